#!/bin/sh
# The real tier for Gemini CLI, OpenHands, SWE-agent and Copilot CLI: every
# real sample ingests without a warning, and its user turns, tool calls and
# failures equal a count of the raw file made here with jq; a run over all
# of them (under the names the agents write) quarantines nothing.
. "$TOP/tests/lib.sh"
need_real_transcripts gemini-cli openhands swe-agent copilot-cli

# check FILE WANT: events FILE (compressed) gives no warning and the
# counts "user_turns tool_calls tool_errors bad_inputs" WANT.
check() {
	zstd -q -f -o in.zst "$1" || fail "zstd $1"
	"$DREAMD" events --user bob in.zst > out.jsonl 2> err.txt || fail "events $1: $(cat err.txt)"
	expect_eq "$1 warnings" "" "$(cat err.txt)"
	expect_eq "$1 counts" "$2" "$(jq -r 'select(.dreamd_events) |
		"\(.user_turns) \(.tool_calls) \(.tool_errors) \(.bad_inputs)"' out.jsonl)"
}

# Gemini CLI: prompts with text; every toolCalls[] entry; failed when its
# status is error or a shell's output has a nonzero "Exit Code:".
n=0
for f in "$REAL"/gemini-cli/*.json; do
	n=$((n + 1))
	check "$f" "$(jq -r '([.messages[] | select(.type == "user") |
		select((.content | if type == "string" then . else map(.text // "") | join("") end) != "")] | length) as $u |
		([.messages[].toolCalls[]?] | length) as $c |
		([.messages[].toolCalls[]? | select(.status == "error" or (.name == "run_shell_command" and
			(.result[0].functionResponse.response.output // "" | test("Exit Code: [1-9]"))))] | length) as $e |
		"\($u) \($c) \($e) 0"' "$f")"
done
expect_eq "real Gemini CLI sessions" 3 "$n"

# OpenHands: the user's message actions; every action but message, finish,
# system, recall and state changes is a call; error observations, "ERROR:"
# edits and nonzero exit codes are failures.
oh='([.[] | select(.action == "message" and .source == "user" and
		((.args.content // .message) != ""))] | length) as $u |
	([.[] | select(.action and (.action | IN("message", "finish", "system", "recall",
		"change_agent_state", "null") | not))] | length) as $c |
	([.[] | select(.observation == "error" or
		(.observation == "edit" and (.content // "" | startswith("ERROR:"))) or
		((.extras.metadata.exit_code // 0) != 0))] | length) as $e |
	"\($u) \($c) \($e) 0"'
check "$REAL/openhands/demo1.json" "$(jq -r "$oh" "$REAL/openhands/demo1.json")"
f=$REAL/openhands/multi_swe_bench_examples/output.jsonl
check "$f" "$(jq -s -r "map(.history[]) | $oh" "$f")"

# SWE-agent: the task is the one user turn; each step with an action is a
# call; without exit codes nothing is a failure by flag.
n=0
for f in "$REAL"/swe-agent/*.traj; do
	n=$((n + 1))
	check "$f" "$(jq -r '([.history[] | select(.role == "user" and (.is_demo | not))][0:1] | length) as $u |
		([.trajectory[] | select(.action | test("\\S"))] | length) as $c | "\($u) \($c) 0 0"' "$f")"
	expect_eq "$f cwd" "$(jq -r '.trajectory[0].state | if type == "string" then fromjson else . end | .working_dir' "$f")" \
		"$(jq -r 'select(.dreamd_events) | .project' out.jsonl)"
done
expect_eq "real SWE-agent trajectories" 2 "$n"

# Copilot CLI: user.message lines; tool.execution_start lines; completions
# not successful or whose shell exited nonzero.
n=0
for f in "$REAL"/copilot-cli/*.jsonl; do
	n=$((n + 1))
	check "$f" "$(jq -s -r '(map(select(.type == "user.message" and .data.content != "")) | length) as $u |
		(map(select(.type == "tool.execution_start")) | length) as $c |
		(map(select(.type == "tool.execution_complete" and ((.data.success | not) or
			(.data.result.content // "" | test("exit code [1-9]"))))) | length) as $e |
		"\($u) \($c) \($e) 0"' "$f")"
	expect_eq "$f session" "$(jq -r 'select(.type == "session.start") | "copilot-cli \(.data.sessionId) \(.data.context.cwd)"' "$f")" \
		"$(jq -r 'select(.dreamd_events) | "\(.agent) \(.session) \(.project)"' out.jsonl)"
done
expect_eq "real Copilot CLI sessions" 2 "$n"

# All of them from a spool, under the names their agents give them.
real_spool_others bob bob bob
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "quarantined" 0 "$(sqlite3 "$DREAMD_DB" 'SELECT count(*) FROM quarantine')"
expect_eq "sessions by agent" "copilot-cli|2
gemini-cli|3
openhands|2
swe-agent|2" "$(sqlite3 "$DREAMD_DB" 'SELECT agent, count(*) FROM sessions GROUP BY agent ORDER BY agent')"
