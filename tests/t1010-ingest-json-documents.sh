#!/bin/sh
# A transcript written as one JSON document (Gemini CLI's session-*.json,
# SWE-agent's .traj, an OpenHands trajectory) is read item by item and
# bounded like JSON lines: what is wrong with it is one warning, never one
# per line, and never a crash. An item (or a line) over max_line makes the
# document one quarantined input; a document cut short keeps what it held.
. "$TOP/tests/lib.sh"
legacy=$TOP/tests/data/formats/gemini/session-2026-04-02T09-00-7d3c0a51.json
write_config <<'YAML'
  max_line: 100000
  max_events: 100
YAML

# one_warning FILE WHAT EXIT: events FILE exits EXIT with the one warning WHAT.
one_warning() {
	"$DREAMD" events "$1" > out.jsonl 2> err.txt
	rc=$?
	expect_eq "$1 exit" "$3" "$rc"
	expect_eq "$1 warnings" "dreamd: warning: $2" "$(cat err.txt)"
}

# Cut short: the messages before the cut are kept.
head -n 40 "$legacy" > cut.json
one_warning cut.json "JSON document cut short 'cut.json:40'" 65
expect_eq "cut keeps" '"run the tests"' "$(jq -c 'select(.kind == "user") | .text' out.jsonl)"

# An item over max_line spread over short lines, and a line over it.
{ printf '{\n  "sessionId": "s",\n  "projectHash": "h",\n  "messages": [\n    {"id": "a", "type": "user", "content": [\n'
  i=0; while [ $i -lt 3000 ]; do printf '      {"text": "%s"},\n' "$(printf '%060d' $i)"; i=$((i + 1)); done
  printf '      {"text": "end"}]}\n  ]\n}\n'; } > bigitem.json
one_warning bigitem.json "JSON document with an item over the length limit 'bigitem.json:1255'" 65
[ ! -s out.jsonl ] || fail "bigitem: events of an unusable document: $(head -c 200 out.jsonl)"
{ printf '{\n  "projectHash": "h",\n  "messages": [\n    {"id": "a", "type": "user", "content": "'
  head -c 200000 /dev/zero | tr '\0' x; printf '"}\n  ]\n}\n'; } > bigline.json
one_warning bigline.json "JSON document with a line over the length limit 'bigline.json:4'" 65

# Nesting, text after the end, not JSON inside, no known format.
{ printf '[\n'; i=0; while [ $i -lt 100 ]; do printf '['; i=$((i + 1)); done; printf '\n]\n'; } > deep.json
one_warning deep.json "JSON nested too deep 'deep.json:2'" 65
{ cat "$legacy"; echo 'trailing'; } > trail.json
one_warning trail.json "text after the end of the JSON document 'trail.json:$(($(wc -l < "$legacy") + 1))'" 65
printf '{\n  "projectHash": "h",\n  "messages": [ {"id": tru} ]\n}\n' > bad.json
one_warning bad.json "not JSON 'bad.json:3'" 65
printf '{\n  "name": "my-app",\n  "version": "1.0.0"\n}\n' > package.json
one_warning package.json "unknown transcript format 'package.json'" 65
printf '[\n  1,\n  2\n]\n' > array.json
one_warning array.json "unknown transcript format 'array.json'" 65
printf '{\n  "projectHash": "h",\n  "messages": [ 1 2 ]\n}\n' > missing-comma.json
one_warning missing-comma.json "not JSON 'missing-comma.json:3'" 65

# Fields of the wrong type are passed over, not trusted.
cat > types.json <<'JSON'
{
  "sessionId": 5,
  "projectHash": "h",
  "messages": [
    {"id": 1, "type": "user", "content": {"text": 3}},
    {"id": "b", "type": "gemini", "toolCalls": "no", "content": [1, null, {"text": "ok"}]},
    {"id": "c", "type": "gemini", "toolCalls": [3, {"name": 5, "args": [1], "result": "zz", "status": 7},
      {"name": "run_shell_command", "status": "success", "result": [{"functionResponse": {"response": {"output": 9}}}]}]}
  ]
}
JSON
"$DREAMD" events types.json > out.jsonl 2> err.txt || fail "types: $(cat err.txt)"
expect_eq "types" 'assistant - ok
tool_call unknown 
tool_call run_shell_command ' "$(jq -r 'select(.kind) | "\(.kind) \(.tool // "-") \(.text)"' out.jsonl | head -3)"

# Over max_events: the rest is dropped with one warning, memory stays bounded.
{ printf '{\n  "projectHash": "h",\n  "messages": [\n'
  i=0; while [ $i -lt 500 ]; do printf '    {"id": "m%d", "type": "user", "content": "turn %d"},\n' $i $i; i=$((i + 1)); done
  printf '    {"id": "last", "type": "user", "content": "last"}\n  ]\n}\n'; } > many.json
"$DREAMD" events many.json > out.jsonl 2> err.txt
expect_eq "many warnings" 1 "$(wc -l < err.txt)"
grep -q 'session over the event or size limit' err.txt || fail "many: $(cat err.txt)"
expect_eq "many events" 100 "$(jq -r 'select(.dreamd_events) | .events' out.jsonl)"

# In a run: the oversized document is one quarantined input, the others go in.
spool_add alice bigitem.json
spool_add alice "$legacy" session-a.json
expect_exit 65 "$DREAMD" -q run --spool spool 2> err.txt
expect_eq "run warnings" 1 "$(wc -l < err.txt)"
expect_eq "quarantined" "too-large" "$(sqlite3 "$DREAMD_DB" 'SELECT kind FROM quarantine')"
expect_eq "stored" "gemini-cli|2" "$(sqlite3 "$DREAMD_DB" 'SELECT agent, user_turns FROM sessions')"
