#!/bin/sh
# dreamd run end to end on the real Claude Code transcripts: sessions, tool
# calls and failures as jq counts them; a second run changes nothing; the
# export follows the contract.
. "$TOP/tests/lib.sh"
write_config </dev/null
real_spool

"$DREAMD" run --spool "$T/spool" 2>run.err
expect_eq "first run exit" 0 $?

# Sessions: one per distinct sessionId across all files.
want=$(cat "$REAL"/claude-code/*.jsonl "$REAL"/claude-code/*/subagents/*.jsonl |
	jq -r 'select(.sessionId) | .sessionId' | sort -u | wc -l)
expect_eq "sessions" "$want" "$(sql 'SELECT count(*) FROM sessions')"

# Tool calls: every tool_use block in assistant lines (progress lines copy
# subagent messages and do not count).
want=$(cat "$REAL"/claude-code/*.jsonl "$REAL"/claude-code/*/subagents/*.jsonl |
	jq -c 'select(.type == "assistant") | .message.content[]? | select(.type == "tool_use")' | wc -l)
expect_eq "tool calls" "$want" "$(sql 'SELECT sum(tool_calls) FROM sessions')"

# Users come from the spool path.
expect_eq "users" "alice
bob
carol" "$(sql 'SELECT DISTINCT user FROM sessions ORDER BY 1')"
expect_eq "agent" "claude-code" "$(sql 'SELECT DISTINCT agent FROM sessions')"
expect_eq "project of short.jsonl" "/home/marco/projects/spotter" \
	"$(sql "SELECT project FROM sessions WHERE id = '55604662-cf2a-4331-851a-ec234028f8ca'")"
expect_eq "generations" 1 "$(sql 'SELECT count(*) FROM generations')"

# The export follows CONTRACT.md.
"$DREAMD" export --format json --all > export1.json || fail "export"
jq -e '(.generation | type) == "number" and (.published_at | type) == "string" and
	(.memories | type) == "array"' export1.json >/dev/null || fail "export shape"
jq -e '.memories | length > 0' export1.json >/dev/null || fail "no memories at all"
jq -e '[.memories[] | (.id | test("^m-[0-9a-f]{8}$")) and
	(.kind | IN("mistake", "workflow", "preference")) and
	(.scope | test("^(team|project:.+|user:.+)$")) and
	(.status | IN("active", "pinned", "candidate", "quarantined", "rejected", "retired")) and
	(.title | type) == "string" and (.body | type) == "string" and
	(.score | type) == "number" and (.version | type) == "number" and
	(.support | has("sessions") and has("users") and has("agents") and has("occurrences")) and
	(.evidence | type) == "array" and all(.evidence[]; has("session") and has("user") and has("at") and has("event"))
	] | all' export1.json >/dev/null || fail "a memory does not follow the contract"

# git push without an upstream failed in four sessions: a mistake memory.
jq -e '[.memories[] | select(.kind == "mistake" and (.title + .body | test("git push")))] | length >= 1' \
	export1.json >/dev/null || fail "the recurring git push failure was not found"

# A second run over the same spool adds nothing and publishes nothing.
sessions=$(sql 'SELECT count(*) FROM sessions')
"$DREAMD" run --spool "$T/spool" 2>run2.err
expect_eq "second run exit" 0 $?
expect_eq "sessions after second run" "$sessions" "$(sql 'SELECT count(*) FROM sessions')"
expect_eq "generations after second run" 1 "$(sql 'SELECT count(*) FROM generations')"
expect_eq "runs" 2 "$(sql 'SELECT count(*) FROM runs WHERE finished_at IS NOT NULL')"
"$DREAMD" export --format json --all > export2.json || fail "export 2"
cmp export1.json export2.json || fail "second run changed the export"
summary=$(sql "SELECT summary FROM runs ORDER BY id DESC LIMIT 1")
case $summary in
*"0 sessions ingested"*"nothing new to curate"*) ;;
*) fail "second run summary: $summary" ;;
esac

# New rules or settings are curated at the next run, even with no new session.
printf 'ingest:\n  idle_minutes: 0\ncurate:\n  min_sessions: 2\n' > looser.yaml
DREAMD_CONFIG=looser.yaml "$DREAMD" run --spool "$T/spool" || fail "run with new settings"
expect_eq "generations after new settings" 2 "$(sql 'SELECT count(*) FROM generations')"
DREAMD_CONFIG=looser.yaml "$DREAMD" run --spool "$T/spool" || fail "run again"
expect_eq "generations after the same settings" 2 "$(sql 'SELECT count(*) FROM generations')"
exit 0
