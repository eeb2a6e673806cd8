#!/bin/sh
# The failing calls in the real transcripts, classified: `dreamd extract
# --table` over every Claude Code and Codex file (subagents with their
# parents) gives sessions, occurrences, extractor and signature. The table
# is the expected output; a few rows are also counted independently with jq.
# Failing tests fixed by editing code are work, not mistakes: no mix test row.
# `git add x && git commit` that failed in `git add` is `git add`'s; a Codex
# command still running when its call returned fails with what it printed
# later (exec_command_end's aggregated_output), not "exit code <n>".
. "$TOP/tests/lib.sh"
need_real_transcripts claude-code codex

files=$(find "$REAL/claude-code" "$REAL/codex" -name '*.jsonl' |
	LC_ALL=C sort)
# shellcheck disable=SC2086
"$DREAMD" extract --table --user u --extractor failing-calls \
	--extractor tool-misuse --extractor thrashing $files > actual ||
	fail "dreamd extract exited $?"

cat > expected <<'TABLE'
1	1	failing-calls	apply_patch => <path>: -c: line <n>: syntax error: unexpected end of file
1	7	failing-calls	apply_patch => error: Failed to find expected lines
1	1	failing-calls	applypatch => error: Failed to find expected lines
3	3	failing-calls	git add => The following paths are ignored by one of your .gitignore files:
1	1	failing-calls	git add => fatal: pathspec '<path>' is beyond a symbolic link
2	3	failing-calls	git commit => [CREDO]
2	6	failing-calls	git commit => [DIALYZER]
3	3	failing-calls	git commit => [FORMAT] Code is not formatted.
4	4	failing-calls	git push => fatal: The current branch <branch> has no upstream branch.
1	3	failing-calls	mix credo => [D] ↘ Nested modules could be aliased at the top of the invoking module.
1	1	failing-calls	mix test => error: undefined function get/<n> (expected SpotterWeb.ProjectReviewLiveTest to define such a function or for it to be imported, but none are available)
1	1	failing-calls	node => Error: Build failed with <n> errors:
1	1	failing-calls	npm run test => error TS2323: Cannot redeclare exported variable 'listHashes'.
1	1	failing-calls	npm test => AssertionError: expected undefined to deeply equal { auto: true, prune: true, …(<n>) }
1	1	failing-calls	npm test => Error: Worker exited unexpectedly
1	1	failing-calls	python3 => json.decoder.JSONDecodeError: Unterminated string starting at: line <n> column <n> (char <n>)
1	1	failing-calls	rg => When multiline mode is enabled, new line characters can be matched.
1	1	failing-calls	rg => failed in sandbox LinuxSeccomp with execution error: sandbox denied exec error, exit code: <n>, stdout: , stderr: <path>: -c: line <n>: unexpected EOF while loo
1	1	failing-calls	rg => rg: node_modules/opencode-ai: No such file or directory (os error <n>)
1	1	failing-calls	sed => failed in sandbox LinuxSeccomp with execution error: sandbox denied exec error, exit code: <n>, stdout: , stderr: sed: can't read .deepwiki/ID: No such file or 
1	1	failing-calls	spotter_generate_traceparent => (eval):<n>: permission denied:
1	1	failing-calls	tree => (eval):<n>: command not found: tree
1	2	tool-misuse	Edit => String to replace not found in file.
1	1	tool-misuse	Read => EISDIR: illegal operation on a directory, read
1	1	tool-misuse	Read => File content (<n> tokens) exceeds maximum allowed tokens (<n>). Please use offset and limit parameters to read specific portions of the file, or use the GrepToo
1	1	tool-misuse	Read => File content (<n>KB) exceeds maximum allowed size (<n>KB). Please use offset and limit parameters to read specific portions of the file, or use the GrepTool to 
3	3	tool-misuse	Read => File does not exist.
1	1	tool-misuse	Skill => 'git <command> [<revision>...] -- [<file>...]'
1	7	tool-misuse	memory__add_observations => tool call error: tool call failed for `memory/add_observations`
TABLE
compare expected actual

# The branch names differ in all four sessions, the signature does not.
n=0
for f in "$REAL"/claude-code/*.jsonl; do
	jq -r 'select(.type == "user") | .message.content | arrays | .[] |
		select(.type == "tool_result") | .content | tostring |
		select(test("fatal: The current branch \\S+ has no upstream branch"))' "$f" |
		grep -q . && n=$((n + 1))
done
expect_eq "sessions with the no-upstream failure (jq)" 4 "$n"
expect_eq "no-upstream sessions (dreamd)" "4" \
	"$(grep -F 'git push => fatal: The current branch <branch> has no upstream branch.' actual | cut -f1)"

# Every failure has its fix where the same head later worked: the upstream
# one always by the changed command.
# shellcheck disable=SC2086
"$DREAMD" extract --user u --extractor failing-calls $files > obs.jsonl ||
	fail "dreamd extract exited $?"
expect_eq "upstream fixes" "4 instead: git push --set-upstream origin <branch>" \
	"$(jq -r 'select(.key | startswith("git push => fatal: The current branch")) |
		select(.fixed == 1) | .fix' obs.jsonl | sort | uniq -c | sed 's/^ *//')"
# Evidence is the raw line, one line, at most 200 bytes, branch and all.
jq -r '.excerpt' obs.jsonl | awk 'length($0) > 200 { bad = 1 } END { exit bad }' ||
	fail "an excerpt is longer than 200 bytes"
jq -r 'select(.key | startswith("git push =>")) | .excerpt' obs.jsonl | grep -q 'spotter-gqc' ||
	fail "the excerpt lost the real branch name"
# Same input, same bytes.
# shellcheck disable=SC2086
"$DREAMD" extract --user u --extractor failing-calls $files | cmp -s - obs.jsonl ||
	fail "a second run printed other bytes"
