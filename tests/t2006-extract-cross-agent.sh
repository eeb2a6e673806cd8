#!/bin/sh
# One mistake, three agents: `npm test` fails with Cannot find module and
# `npm install` fixes it, once in a Claude Code session (alice), once in a
# Codex rollout (bob), once in a Gemini CLI session (carol). The run makes
# it one memory whose support names three sessions, three users and three
# agents, and `show` lists each agent's evidence.
. "$TOP/tests/lib.sh"
err="Error: Cannot find module 'left-pad'"
mkdir -p raw/alice raw/bob raw/carol

# Claude Code: tool_use / tool_result lines.
claude() {	# N TS TOOL-ID CMD OUTPUT IS-ERROR
	jq -nc --arg ts "$2" --arg id "$3" --arg c "$4" \
		'{type: "assistant", sessionId: "c1", cwd: "/srv/shop", timestamp: $ts, uuid: ("a" + $id),
		  version: "2.1.39", message: {id: ("msg" + $id), role: "assistant", model: "claude-opus-4-5",
		  content: [{type: "tool_use", id: $id, name: "Bash", input: {command: $c}}]}}'
	jq -nc --arg ts "$2" --arg id "$3" --arg out "$5" --argjson e "$6" \
		'{type: "user", sessionId: "c1", cwd: "/srv/shop", timestamp: $ts, uuid: ("r" + $id),
		  message: {role: "user", content: [{type: "tool_result", tool_use_id: $id, content: $out, is_error: $e}]}}'
}
{
	jq -nc '{type: "user", sessionId: "c1", cwd: "/srv/shop", timestamp: "2026-11-02T10:00:00.000Z",
		uuid: "u1", version: "2.1.39", message: {role: "user", content: "run the tests"}}'
	claude 1 2026-11-02T10:00:01.000Z t1 "npm test" "Exit code 1
$err" true
	claude 2 2026-11-02T10:00:02.000Z t2 "npm install" "added 1 package" false
	claude 3 2026-11-02T10:00:03.000Z t3 "npm test" "1 passing" false
} > raw/alice/c1.jsonl

# Codex: exec_command calls and their exec_command_end.
codex() {	# TS CALL-ID CMD EXIT OUTPUT
	jq -nc --arg ts "$1" --arg id "$2" --arg c "$3" \
		'{timestamp: $ts, type: "response_item", payload: {type: "function_call", name: "exec_command",
		  arguments: ({cmd: $c, workdir: "/srv/shop"} | tojson), call_id: $id}}'
	jq -nc --arg ts "$1" --arg id "$2" --arg c "$3" --argjson code "$4" --arg out "$5" \
		'{timestamp: $ts, type: "event_msg", payload: {type: "exec_command_end", call_id: $id,
		  command: ["/bin/bash", "-lc", $c], cwd: "/srv/shop", exit_code: $code,
		  aggregated_output: $out, stdout: $out, stderr: ""}}'
	jq -nc --arg ts "$1" --arg id "$2" --argjson code "$4" --arg out "$5" \
		'{timestamp: $ts, type: "response_item", payload: {type: "function_call_output", call_id: $id,
		  output: ("Process exited with code " + ($code | tostring) + "\nOutput:\n" + $out)}}'
}
{
	jq -nc '{timestamp: "2026-11-03T10:00:00.000Z", type: "session_meta", payload: {id: "x1",
		timestamp: "2026-11-03T10:00:00.000Z", cwd: "/srv/shop", originator: "codex_cli_rs", cli_version: "0.125.0"}}'
	jq -nc '{timestamp: "2026-11-03T10:00:00.000Z", type: "event_msg", payload: {type: "user_message",
		message: "run the tests", images: []}}'
	codex 2026-11-03T10:00:01.000Z k1 "npm test" 1 "$err"
	codex 2026-11-03T10:00:02.000Z k2 "npm install" 0 "added 1 package"
	codex 2026-11-03T10:00:03.000Z k3 "npm test" 0 "1 passing"
} > raw/bob/rollout-x1.jsonl

# Gemini CLI: one pretty-printed session document with its toolCalls.
gem() {	# TS ID CMD OUTPUT
	jq -n --arg ts "$1" --arg id "$2" --arg c "$3" --arg out "$4" \
		'{id: $id, name: "run_shell_command", args: {command: $c}, status: "success", timestamp: $ts,
		  description: "[current working directory /srv/shop]",
		  result: [{functionResponse: {id: $id, name: "run_shell_command", response: {output: $out}}}]}'
}
jq -n --argjson a "$(gem 2026-11-04T10:00:01.000Z g1 "npm test" "Output: $err
Exit Code: 1")" --argjson b "$(gem 2026-11-04T10:00:02.000Z g2 "npm install" "Output: added 1 package")" \
	--argjson c "$(gem 2026-11-04T10:00:03.000Z g3 "npm test" "Output: 1 passing")" \
	'{sessionId: "g-1", projectHash: "ab", startTime: "2026-11-04T10:00:00.000Z", messages: [
	  {id: "m1", type: "user", timestamp: "2026-11-04T10:00:00.000Z", content: [{text: "run the tests"}]},
	  {id: "m2", type: "gemini", timestamp: "2026-11-04T10:00:01.000Z", content: "", model: "gemini-2.5-pro",
	   toolCalls: [$a, $b, $c]}]}' > raw/carol/session-2026-11-04T10-00-g-1.json

for u in alice bob carol; do
	for f in raw/$u/*; do spool_add $u "$f"; done
done
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "run warnings" "" "$(cat err.txt)"
expect_eq "sessions" "claude-code|alice
codex|bob
gemini-cli|carol" "$(sqlite3 "$DREAMD_DB" 'SELECT agent, user FROM sessions ORDER BY agent')"
"$DREAMD" export --format json --all > all.json || fail export
expect_eq "one memory, three agents" "mistake 3 3 3" "$(jq -r --arg e "$err" '.memories[] |
	select(.title | contains("npm test") and contains($e)) |
	"\(.kind) \(.support.sessions) \(.support.users) \(.support.agents)"' all.json)"
id=$(jq -r '.memories[] | select(.kind == "mistake") | .id' all.json)
"$DREAMD" show "$id" > show.txt || fail "show $id"
for a in claude-code codex gemini-cli; do
	grep -q " $a session " show.txt || fail "show names no $a evidence: $(cat show.txt)"
done
grep -q 'support: 3 sessions, 3 users, 3 agents' show.txt || fail "show support: $(cat show.txt)"
