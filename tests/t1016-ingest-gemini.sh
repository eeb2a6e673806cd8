#!/bin/sh
# Gemini CLI: the older pretty-printed session-*.json and the newer JSON
# lines (a message written again replaces its first copy, $rewindTo drops
# what follows, $set patches the metadata), from fixtures of our own; shell
# exit codes read from the output text (of which only the command's output
# and stderr are kept), a call the user did not allow is a
# rejection; collected under chats/ and run from the spool. The real
# sessions are t1014's.
. "$TOP/tests/lib.sh"
data=$TOP/tests/data/formats/gemini
legacy=$data/session-2026-04-02T09-00-7d3c0a51.json
lines=$data/session-2026-04-03T10-00-0c9e4f2a.jsonl

cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"run the tests","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"run_shell_command","text":"pytest -q","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run_shell_command","text":"1 failed","is_error":true,"exit_code":1}
{"kind":"tool_call","tool":"replace","text":"{\"file_path\":\"/home/dev/shop/cart.py\",\"old_string\":\"a\",\"new_string\":\"b\"}","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"replace","text":"Failed to edit, 0 occurrences found","is_error":true,"exit_code":null}
{"kind":"tool_call","tool":"run_shell_command","text":"rm -rf /tmp/cache","is_error":null,"exit_code":null}
{"kind":"rejected","tool":"run_shell_command","text":"User did not allow tool call","is_error":null,"exit_code":null}
{"kind":"user","tool":null,"text":"use python -m pytest","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"Running it with the module form.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"run_shell_command","text":"python -m pytest -q","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run_shell_command","text":"3 passed","is_error":null,"exit_code":0}
JSONL
# Any name, compressed or not, on many lines or on one: the content tells.
cp "$legacy" plain.txt
zstd -q -o doc.zst "$legacy" || fail zstd
jq -c . "$legacy" > oneline.json
for f in plain.txt doc.zst oneline.json; do
	expect_events want.jsonl "$f"
	expect_eq "$f header" \
		'{"session":"7d3c0a51-9f0e-4c1b-8a55-0e6a2f4b9c10","agent":"gemini-cli","model":"gemini-2.5-pro","project":"/home/dev/shop","started":"2026-04-02T09:00:01.000Z","user_turns":2,"tool_calls":4,"tool_errors":2}' \
		"$(jq -c 'select(.dreamd_events) | {session, agent, model, project, started, user_turns, tool_calls, tool_errors}' out.jsonl)"
done

# JSON lines: the call's first copy (still running) gives way to the
# finished one; the rewind drops "delete everything" and its reply.
cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"build it","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"run_shell_command","text":"make","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"run_shell_command","text":"make: *** No targets.\nstderr line","is_error":true,"exit_code":2}
{"kind":"user","tool":null,"text":"run make all instead","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"Done.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"read_file","text":"{\"file_path\":\"/srv/app/Makefile\"}","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"read_file","text":"all:\n\tcc app.c","is_error":null,"exit_code":null}
JSONL
expect_events want.jsonl "$lines"
expect_eq "jsonl header" '"0c9e4f2a-1111-4a2b-9c3d-5e6f7a8b9c0d gemini-cli gemini-3-flash-preview"' \
	"$(jq -c 'select(.dreamd_events) | "\(.session) \(.agent) \(.model)"' out.jsonl)"
# A $set with the messages replaces them all.
{ cat "$lines"; echo '{"$set":{"messages":[{"id":"z","type":"user","content":"start over"}]}}'; } > set.jsonl
"$DREAMD" events set.jsonl > out.jsonl 2> err.txt || fail "events set"
expect_eq "\$set messages" '"start over"' "$(jq -c 'select(.kind) | .text' out.jsonl)"
# A rewind to an id never seen drops every message, as Gemini CLI does.
{ cat "$lines"; echo '{"$rewindTo":"nope"}'; } > rw.jsonl
"$DREAMD" events rw.jsonl > out.jsonl 2> err.txt || fail "events rewind"
expect_eq "rewind to unknown id" 0 "$(jq -c 'select(.dreamd_events) | .events' out.jsonl)"

# collect takes ~/.gemini/tmp/<hash>/chats/ (and nothing else under tmp),
# run reads both kinds from the spool; a subagent's chat, in a directory
# named after its parent's session id, joins the parent's session (its
# prompt, from the parent agent, is no user turn).
h=5b8e0c6f1a2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f
chats=home/.gemini/tmp/$h/chats
mkdir -p $chats/0c9e4f2a-1111-4a2b-9c3d-5e6f7a8b9c0d
cp "$legacy" "$lines" $chats/
cp "$data/subagent-9f1d2c3b.jsonl" $chats/0c9e4f2a-1111-4a2b-9c3d-5e6f7a8b9c0d/9f1d2c3b-aaaa-4bbb-8ccc-1d2e3f4a5b6c.jsonl
echo '[]' > home/.gemini/tmp/$h/logs.json
HOME=$T/home "$DREAMD" -q collect --agent gemini-cli --to spool --user alice || fail collect
expect_eq "collected" "spool/alice/gemini-cli/$h/chats/0c9e4f2a-1111-4a2b-9c3d-5e6f7a8b9c0d/9f1d2c3b-aaaa-4bbb-8ccc-1d2e3f4a5b6c.jsonl.zst
spool/alice/gemini-cli/$h/chats/session-2026-04-02T09-00-7d3c0a51.json.zst
spool/alice/gemini-cli/$h/chats/session-2026-04-03T10-00-0c9e4f2a.jsonl.zst" "$(find spool -type f | sort)"
write_config < /dev/null
"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "run warnings" "" "$(cat err.txt)"
expect_eq "sessions stored" "0c9e4f2a-1111-4a2b-9c3d-5e6f7a8b9c0d|2|2|3|1
7d3c0a51-9f0e-4c1b-8a55-0e6a2f4b9c10|1|2|4|2" "$(sqlite3 "$DREAMD_DB" \
	"SELECT id, files, user_turns, tool_calls, tool_errors FROM sessions ORDER BY id")"
expect_eq "quarantined" 0 "$(sqlite3 "$DREAMD_DB" 'SELECT count(*) FROM quarantine')"
