#!/bin/sh
# OpenCode's SQLite store: `dreamd collect --agent opencode` reads
# opencode.db read-only (its bytes unchanged, no journal left behind) and
# writes one spool file per session; a session updated within the idle
# window, or the whole store while its -wal is being written, is left for
# the next run. The sessions' events (user text, bash commands with exit
# codes, a refused edit, a failed read, an aborted reply) come out of
# `dreamd events` and `dreamd run`; the older storage/ files give the
# same. --agent's defaults and errors.
. "$TOP/tests/lib.sh"
mkdir -p home/.local/share/opencode
db=home/.local/share/opencode/opencode.db
sqlite3 "$db" < "$TOP/tests/data/formats/opencode/store.sql" || fail "sqlite3 fixture"
write_config < /dev/null
sum=$(cksum < "$db")

# The default location, from $HOME; the clock is SOURCE_DATE_EPOCH.
HOME=$T/home "$DREAMD" -v collect --agent opencode --to spool --user alice 2> err.txt ||
	fail "collect: $(cat err.txt)"
expect_eq "summary" "dreamd: collected 2 new or grown transcripts into 'spool/alice/opencode', 0 unchanged, some left for the next run" "$(cat err.txt)"
expect_eq "files" "spool/alice/opencode/ses_a1.jsonl.zst spool/alice/opencode/ses_b2.jsonl.zst" \
	"$(find spool -type f | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
expect_eq "store untouched" "$sum" "$(cksum < "$db")"
expect_eq "no journal" "" "$(ls home/.local/share/opencode | grep -v '^opencode.db$')"

"$DREAMD" events --user alice spool/alice/opencode/ses_a1.jsonl.zst > out.jsonl 2> err.txt ||
	fail "events: $(cat err.txt)"
expect_eq "events warnings" "" "$(cat err.txt)"
expect_eq "header" '{"session":"ses_a1","agent":"opencode","model":"claude-sonnet-4","project":"/home/dev/webapp","started":"2026-03-01T00:00:00.000Z"}' \
	"$(jq -c 'select(.dreamd_events) | {session, agent, model, project, started}' out.jsonl)"
cat > want.jsonl <<'JSONL'
{"kind":"user","tool":null,"text":"make the tests pass","is_error":null,"exit_code":null}
{"kind":"assistant","tool":null,"text":"Running the tests first.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"bash","text":"npm test","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"Error: Cannot find module 'jest'","is_error":true,"exit_code":1}
{"kind":"tool_call","tool":"bash","text":"npm install && npm test","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"bash","text":"ok","is_error":null,"exit_code":0}
{"kind":"tool_call","tool":"edit","text":"{\"filePath\":\"/home/dev/webapp/package.json\",\"oldString\":\"a\",\"newString\":\"b\"}","is_error":null,"exit_code":null}
{"kind":"rejected","tool":"edit","text":"The user rejected permission to use this specific tool call.","is_error":null,"exit_code":null}
{"kind":"tool_call","tool":"read","text":"{\"filePath\":\"/home/dev/webapp/missing.js\"}","is_error":null,"exit_code":null}
{"kind":"tool_result","tool":"read","text":"File not found: /home/dev/webapp/missing.js","is_error":true,"exit_code":null}
{"kind":"interrupted","tool":null,"text":"","is_error":null,"exit_code":null}
JSONL
jq -c 'select(.kind) | {kind, tool, text, is_error, exit_code}' out.jsonl > got.jsonl
compare want.jsonl got.jsonl

"$DREAMD" -q run --spool spool 2> err.txt || fail "run: $(cat err.txt)"
expect_eq "sessions stored" "ses_a1|opencode|1|4|2
ses_b2|opencode|1|1|1" "$(sqlite3 "$DREAMD_DB" \
	"SELECT id, agent, user_turns, tool_calls, tool_errors FROM sessions ORDER BY id")"
expect_eq "quarantined" 0 "$(sqlite3 "$DREAMD_DB" 'SELECT count(*) FROM quarantine')"

# Again: nothing new. Once the busy session is old enough, it comes too.
HOME=$T/home "$DREAMD" -v collect --agent opencode --to spool --user alice 2> err.txt || fail "collect again"
expect_eq "again" "dreamd: collected 0 new or grown transcripts into 'spool/alice/opencode', 2 unchanged, some left for the next run" "$(cat err.txt)"
SOURCE_DATE_EPOCH=1797000000 HOME=$T/home "$DREAMD" -v collect --agent opencode --to spool \
	--user alice 2> err.txt || fail "collect later"
expect_eq "later" "dreamd: collected 1 new or grown transcripts into 'spool/alice/opencode', 2 unchanged" "$(cat err.txt)"

# A store whose -wal is being written (modified within 15 idle minutes) is left whole.
printf 'ingest:\n  idle_minutes: 15\n' > idle.yaml
cp "$db" busy.db && printf 'wal' > busy.db-wal && touch -d @1794999500 busy.db-wal
mkdir -p b && mv busy.db b/opencode.db && mv busy.db-wal b/opencode.db-wal
DREAMD_CONFIG=idle.yaml "$DREAMD" -v collect --agent opencode --from b --to spool2 \
	--user alice 2> err.txt || fail "collect busy"
expect_eq "busy store" "dreamd: 'b/opencode.db' is being written: left for the next run
dreamd: collected 0 new or grown transcripts into 'spool2/alice/opencode', 0 unchanged, some left for the next run" "$(cat err.txt)"

# The older file storage (no opencode.db): the same sessions as files,
# written here from the fixture store, give the same events.
st=old/storage
sqlite3 -json "$db" 'SELECT id, project_id, directory, title, time_created, time_updated FROM session' |
	jq -c '.[]' | while read -r row; do
	sid=$(echo "$row" | jq -r .id) pid=$(echo "$row" | jq -r .project_id)
	mkdir -p "$st/session/$pid"
	echo "$row" | jq '{id, projectID: .project_id, directory, title,
		time: {created: .time_created, updated: .time_updated}}' > "$st/session/$pid/$sid.json"
done
sqlite3 -json "$db" 'SELECT id, session_id, data FROM message' | jq -c '.[]' | while read -r row; do
	mid=$(echo "$row" | jq -r .id) sid=$(echo "$row" | jq -r .session_id)
	mkdir -p "$st/message/$sid"
	echo "$row" | jq '.data | fromjson' | jq --arg id "$mid" --arg s "$sid" \
		'. + {id: $id, sessionID: $s}' > "$st/message/$sid/$mid.json"
done
sqlite3 -json "$db" 'SELECT id, message_id, session_id, data FROM part' | jq -c '.[]' | while read -r row; do
	prt=$(echo "$row" | jq -r .id) mid=$(echo "$row" | jq -r .message_id)
	mkdir -p "$st/part/$mid"
	echo "$row" | jq '(.data | fromjson) + {id: .id, messageID: .message_id, sessionID: .session_id}' \
		> "$st/part/$mid/$prt.json"
done
"$DREAMD" -v collect --agent opencode --from old --to spool3 --user alice 2> err.txt ||
	fail "collect storage: $(cat err.txt)"
expect_eq "storage summary" "dreamd: collected 2 new or grown transcripts into 'spool3/alice/opencode', 0 unchanged, some left for the next run" "$(cat err.txt)"
"$DREAMD" events --user alice spool3/alice/opencode/ses_a1.jsonl.zst > out.jsonl 2> err.txt ||
	fail "events storage: $(cat err.txt)"
expect_eq "storage warnings" "" "$(cat err.txt)"
jq -c 'select(.kind) | {kind, tool, text, is_error, exit_code}' out.jsonl > got.jsonl
compare want.jsonl got.jsonl
expect_eq "storage header" '{"session":"ses_a1","agent":"opencode","model":"claude-sonnet-4","project":"/home/dev/webapp"}' \
	"$(jq -c 'select(.dreamd_events) | {session, agent, model, project}' out.jsonl)"

# Agents without a default location need --from; unknown agents are usage errors.
HOME=$T/home expect_exit 64 "$DREAMD" collect --agent aider --to spool 2> /dev/null
expect_exit 64 "$DREAMD" collect --agent nosuch --from b --to spool 2> /dev/null
# Another agent's files go under its own name.
mkdir -p home/.codex/sessions/2026 && echo '{}' > home/.codex/sessions/2026/r.jsonl
HOME=$T/home "$DREAMD" -q collect --agent codex --to spool --user alice || fail "collect codex"
[ -f spool/alice/codex/2026/r.jsonl.zst ] || fail "codex not under its name: $(find spool)"
