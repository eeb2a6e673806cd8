#!/bin/sh
# The real tier for aider and OpenCode: every real aider history and
# OpenCode stream ingests without a warning, and its user turns, tool calls
# and failures equal a count of the raw file made here with awk and jq.
. "$TOP/tests/lib.sh"
need_real_transcripts aider opencode

src=$REAL/aider
n=0
for f in "$src"/*/.aider.chat.history.md; do
	n=$((n + 1))
	zstd -q -f -o "real$n.zst" "$f" || fail "zstd $f"
	"$DREAMD" events --user bob "real$n.zst" > out.jsonl 2> err.txt || fail "events $f"
	expect_eq "$f warnings" "" "$(cat err.txt)"
	got=$(jq -r 'select(.dreamd_events) | "\(.user_turns) \(.tool_calls) \(.tool_errors) \(.bad_inputs)"' out.jsonl)
	# Runs of "#### " lines ending in two spaces are prompts (a /run, /test
	# or ! one is a call; the prompt after a "/code X" repeats it); edits,
	# commits, lint runs, proposed shell commands and declined new files
	# are calls; lint output and nonzero exit codes are failures.
	want=$(awk '
		/^####( .*)?  $/ {
			if (!inp) {
				if (echo) echo = 0
				else if ($0 ~ /^#### (\/run |\/test |!)/) calls++
				else { turns++; if ($0 ~ /^#### \/(code|ask|architect|context) /) mode = 1 }
			}
			inp = 1; next }
		{ inp = 0 }
		/^ *$/ { if (mode) { echo = 1; mode = 0 }; next }
		{ echo = mode = 0 }
		/^> Applied edit to / || /^> Commit [0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]* / { calls++ }
		/^> ## Running: / { calls++; fails++ }
		/^> Run shell command/ { calls++ }
		/^> Create new file\?.*: [nN]o?  $/ { calls++ }
		/^> .*exit code [1-9]/ { fails++ }
		END { printf "%d %d %d 0\n", turns, calls, fails }' "$f")
	expect_eq "$f counts" "$want" "$got"
done
expect_eq "real aider histories" 3 "$n"

# OpenCode's `run --format json` stream: no user prompt in it; every tool
# part is a call, a failure when it errored or its shell exited nonzero.
f=$REAL/opencode/output.txt
zstd -q -f -o oc.zst "$f" || fail "zstd $f"
"$DREAMD" events --user bob oc.zst > out.jsonl 2> err.txt || fail "events $f"
expect_eq "$f warnings" "" "$(cat err.txt)"
want=$(jq -s -r '[(map(select(.part.type == "text")) | length),
	(map(select(.part.type == "tool")) | length),
	(map(select(.part.type == "tool" and (.part.state.status == "error" or
		((.part.state.metadata.exit // 0) != 0)))) | length)] | "0 \(.[1]) \(.[2]) 0 \(.[0])"' "$f")
got=$(jq -s -r '(map(select(.dreamd_events))[0] | "\(.user_turns) \(.tool_calls) \(.tool_errors) \(.bad_inputs)") +
	" \(map(select(.kind == "assistant")) | length)"' out.jsonl)
expect_eq "$f counts" "$want" "$got"
expect_eq "$f session" "opencode ses_41c989669ffeOegf7BiLgoe4ym" \
	"$(jq -r 'select(.dreamd_events) | "\(.agent) \(.session)"' out.jsonl)"
expect_eq "$f bash commands" "$(jq -r 'select(.part.tool == "bash") | .part.state.input.command' "$f")" \
	"$(jq -r 'select(.kind == "tool_call" and .tool == "bash") | .text' out.jsonl)"
