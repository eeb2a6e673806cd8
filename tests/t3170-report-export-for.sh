#!/bin/sh
# export --for AGENT --cwd DIR --write: each agent's file in DIR gets what a
# session there loads. Claude Code and aider get a file dreamd owns whole
# (.claude/rules/dreamd.md, .aider.dreamd.md); Codex, OpenCode, Gemini CLI
# and Copilot CLI read a shared file, which gets the dreamd block and keeps
# the user's text byte for byte; --home fills the files under $HOME that
# every project loads. Without --write it prints; --write FILE
# still names a file; an unknown agent or --for with --format is refused.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"
mkdir -p proj
"$DREAMD" export --cwd proj > block.md || fail "export --cwd"
[ -s block.md ] || fail "empty export"

# The same markdown to stdout, for every agent.
for a in aider claude-code codex copilot-cli gemini-cli opencode; do
	"$DREAMD" export --for $a --cwd proj > out.md || fail "export --for $a"
	compare block.md out.md
done

# Each agent's own file, in place, parent directories made.
printf '# Team rules\n\nUse tabs.\n' > proj/GEMINI.md
mkdir -p proj/.github && printf 'Be brief.' > proj/.github/copilot-instructions.md
for a in aider claude-code codex copilot-cli gemini-cli opencode; do
	"$DREAMD" -q export --for $a --cwd proj --write 2> err.txt || fail "export --for $a --write: $(cat err.txt)"
done
compare block.md proj/.claude/rules/dreamd.md
compare block.md proj/.aider.dreamd.md
compare block.md proj/AGENTS.md
{ printf '# Team rules\n\nUse tabs.\n\n'; cat block.md; } > gemini.expected
compare gemini.expected proj/GEMINI.md
{ printf 'Be brief.\n\n'; cat block.md; } > copilot.expected
compare copilot.expected proj/.github/copilot-instructions.md
expect_eq "files" "proj/.aider.dreamd.md
proj/.claude/rules/dreamd.md
proj/.github/copilot-instructions.md
proj/AGENTS.md
proj/GEMINI.md" "$(find proj -type f | sort)"
# Again: nothing changes; codex and opencode share AGENTS.md's one block.
cp -R proj again
"$DREAMD" -q export --for codex --cwd proj --write || fail "codex again"
"$DREAMD" -q export --for gemini-cli --cwd proj --write || fail "gemini again"
diff -r again proj || fail "a second export changed a file"
expect_eq "one block" 1 "$(grep -c 'dreamd:begin' proj/AGENTS.md)"
# aider is told (with -v) how to load its file.
"$DREAMD" -v export --for aider --cwd proj --write 2> err.txt || fail "aider"
grep -q -- '--read .aider.dreamd.md' err.txt || fail "aider hint: $(cat err.txt)"

# --home: the team's and the user's memories, into the files under $HOME
# each agent loads in every project.
"$DREAMD" export --scope team --scope user:alice > home.md || fail "export home scopes"
mkdir -p h/.gemini && printf 'My own notes.\n' > h/.gemini/GEMINI.md
for a in claude-code codex copilot-cli gemini-cli opencode; do
	HOME=$T/h "$DREAMD" -q export --for $a --home --user alice --write 2> err.txt ||
		fail "export --for $a --home: $(cat err.txt)"
done
compare home.md h/.claude/rules/dreamd.md
compare home.md h/.copilot/instructions/dreamd.instructions.md
compare home.md h/.codex/AGENTS.md
compare home.md h/.config/opencode/AGENTS.md
{ printf 'My own notes.\n\n'; cat home.md; } > gemini-home.expected
compare gemini-home.expected h/.gemini/GEMINI.md
HOME=$T/h expect_exit 64 "$DREAMD" export --for aider --home 2> err.txt
grep -q 'no file for every project' err.txt || fail "aider --home: $(cat err.txt)"
expect_exit 64 "$DREAMD" export --for codex --home --cwd proj 2> /dev/null
expect_exit 64 "$DREAMD" export --home 2> /dev/null

# --write FILE and --write=FILE name a file as before.
"$DREAMD" export --cwd proj --write x.md || fail "--write FILE"
compare block.md x.md
"$DREAMD" export --cwd proj --write=y.md || fail "--write=FILE"
compare block.md y.md
"$DREAMD" -q export --for claude-code --cwd proj --write z.md || fail "--for --write FILE"
compare block.md z.md

expect_exit 64 "$DREAMD" export --for vim --cwd proj 2> err.txt
grep -q "unknown agent 'vim'" err.txt || fail "unknown agent: $(cat err.txt)"
expect_exit 64 "$DREAMD" export --for codex --format json 2> /dev/null
expect_exit 64 "$DREAMD" export --write 2> err.txt
grep -q -- '--write needs a FILE' err.txt || fail "bare --write: $(cat err.txt)"
