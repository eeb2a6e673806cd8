#!/bin/sh
# Reviews, rollback and reconsolidation through the command line: every
# decision is a version, survives later runs and reconsolidation; two
# reconsolidations give byte-identical output; --dry-run writes nothing.
. "$TOP/tests/lib.sh"
write_config </dev/null
sample_spool
"$DREAMD" run --spool "$T/spool" || fail "run"

id=$("$DREAMD" export --format json | jq -r '[.memories[] | select(.kind == "mistake")][0].id')
[ -n "$id" ] && [ "$id" != null ] || fail "no active mistake to review"
status_of() {
	"$DREAMD" export --format json --all | jq -r --arg id "$1" '.memories[] | select(.id == $id) | .status'
}

# Unknown ids and actions are refused.
"$DREAMD" review pin m-00000000 2>err; expect_eq "unknown id" 66 $?
grep -q "no memory 'm-00000000'" err || fail "message: $(cat err)"
"$DREAMD" review frobnicate "$id" 2>/dev/null; expect_eq "unknown action" 64 $?
"$DREAMD" review edit "$id" 2>/dev/null; expect_eq "edit without text" 64 $?

# Reject: gone from the export, back with accept.
"$DREAMD" review reject "$id" --by rita || fail "reject"
expect_eq "rejected" rejected "$(status_of "$id")"
"$DREAMD" export --format json | jq -e --arg id "$id" 'all(.memories[]; .id != $id)' >/dev/null ||
	fail "a rejected memory is exported"
"$DREAMD" log "$id" --format json > log.json || fail "log"
jq -e '[.. | objects | select(.change? == "reviewed" and .actor? == "rita")] | length == 1' log.json >/dev/null ||
	fail "the rejection is not a version: $(cat log.json)"

# It survives a run and a reconsolidation.
"$DREAMD" run --spool "$T/spool" || fail "run 2"
expect_eq "rejected after run" rejected "$(status_of "$id")"
"$DREAMD" reconsolidate || fail "reconsolidate"
expect_eq "rejected after reconsolidate" rejected "$(status_of "$id")"
"$DREAMD" review accept "$id" --by rita || fail "accept"
expect_eq "accepted" active "$(status_of "$id")"

# Edit replaces the text; pin freezes it.
"$DREAMD" review edit "$id" --title "Set the upstream on first push" --by rita || fail "edit"
"$DREAMD" review pin "$id" --by rita || fail "pin"
expect_eq "pinned" pinned "$(status_of "$id")"
"$DREAMD" export --format json | jq -e --arg id "$id" \
	'.memories[] | select(.id == $id) | .title == "Set the upstream on first push"' >/dev/null ||
	fail "edited title lost"
"$DREAMD" reconsolidate || fail "reconsolidate 2"
expect_eq "pinned after reconsolidate" pinned "$(status_of "$id")"

# Reconsolidation is reproducible byte for byte.
"$DREAMD" reconsolidate || fail "reconsolidate 3"
"$DREAMD" export --format json --all > a.json
"$DREAMD" diff --format json > a.diff
"$DREAMD" reconsolidate || fail "reconsolidate 4"
"$DREAMD" export --format json --all > b.json
"$DREAMD" diff --format json > b.diff
cmp a.json b.json || fail "two reconsolidations differ (export)"
cmp a.diff b.diff || fail "two reconsolidations differ (diff)"

# --dry-run prints what would change and writes nothing.
printf 'curate:\n  min_sessions: 99\ningest:\n  idle_minutes: 0\n' > strict.yaml
before=$(sqlite3 "$DREAMD_DB" .dump | md5sum)
DREAMD_CONFIG=strict.yaml "$DREAMD" reconsolidate --dry-run > dry.out || fail "dry run"
grep -q "retired" dry.out || fail "dry run shows no retirement: $(cat dry.out)"
expect_eq "dry run wrote nothing" "$before" "$(sqlite3 "$DREAMD_DB" .dump | md5sum)"

# Rollback publishes an earlier generation's set again, as a new generation.
gen=$(sql 'SELECT max(gen) FROM generations')
DREAMD_CONFIG=strict.yaml "$DREAMD" reconsolidate || fail "strict reconsolidate"
expect_eq "strict retires all but the pinned" "$id" \
	"$("$DREAMD" export --format json | jq -r '.memories[].id')"
"$DREAMD" export --format json --all | jq -S '.memories | map(del(.version))' > before-rollback.json
"$DREAMD" rollback "$gen" || fail "rollback"
expect_eq "new generation" $((gen + 2)) "$(sql 'SELECT max(gen) FROM generations')"
sqlite3 "$DREAMD_DB" "SELECT m.memory_id, v.snapshot FROM generation_members m JOIN memory_versions v
	ON v.memory_id = m.memory_id AND v.version = m.version WHERE m.gen = $gen ORDER BY 1" |
	sed 's/"version":[0-9]*,//' > want.txt
sqlite3 "$DREAMD_DB" "SELECT m.memory_id, v.snapshot FROM generation_members m JOIN memory_versions v
	ON v.memory_id = m.memory_id AND v.version = m.version WHERE m.gen = $((gen + 2))
	AND m.memory_id IN (SELECT memory_id FROM generation_members WHERE gen = $gen) ORDER BY 1" |
	sed 's/"version":[0-9]*,//' > got.txt
compare want.txt got.txt
# What generation $gen did not hold is retired.
expect_eq "others retired" 0 "$(sql "SELECT count(*) FROM memories WHERE status <> 'retired'
	AND id NOT IN (SELECT memory_id FROM generation_members WHERE gen = $gen)")"
"$DREAMD" rollback 999 2>/dev/null; expect_eq "unknown generation" 66 $?

# A rejection outlives a rollback to a generation from before it, and an
# unchanged run after the rollback does not undo either.
victim=$("$DREAMD" export --format json --all | jq -r --arg id "$id" \
	'[.memories[] | select(.id != $id and .status == "active")][0].id')
[ -n "$victim" ] && [ "$victim" != null ] || fail "nothing active to reject"
before=$(sql 'SELECT max(gen) FROM generations')
"$DREAMD" review reject "$victim" --by rita || fail "reject before rollback"
"$DREAMD" rollback "$before" || fail "rollback over a rejection"
expect_eq "rejected after rollback" rejected "$(status_of "$victim")"
"$DREAMD" run --spool "$T/spool" || fail "run after rollback"
expect_eq "rejected after the next run" rejected "$(status_of "$victim")"
exit 0
