#!/bin/sh
# A run commits the sessions it ingested before it curates: when curation
# fails (here an unreadable row of packed workflow n-grams), the night's
# sessions are kept, the published generation is the one before, and the
# next run, with nothing new to ingest, curates again and publishes what a
# run that never failed publishes.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run export
write_config < /dev/null

# The reference: both halves without a failure.
spool_part 1
spool_run 1
save_store base
export_json base.json
spool_part 2
spool_run 2
rc2=$rc
export_json ref.json
cmp -s base.json ref.json && fail "run 2 changed nothing: nothing to test"
want_sessions=$(sql 'SELECT count(*) FROM sessions')

# The same second run over a store with one unreadable row.
load_store base
before=$(sql 'SELECT count(*) FROM sessions')
victim=$(sql 'SELECT session_id FROM session_workflows ORDER BY session_id LIMIT 1')
[ -n "$victim" ] || fail "no packed workflow n-grams in the store"
saved=$(sql "SELECT hex(grams) FROM session_workflows WHERE session_id = '$victim'")
sql "UPDATE session_workflows SET grams = 'not packed' WHERE session_id = '$victim'" > /dev/null
"$DREAMD" run --spool "$T/spool" > /dev/null 2> fail.err
expect_eq "exit when curation fails" 74 $?
grep -q "^dreamd: error: unreadable workflow observations of session '$victim'" fail.err ||
	fail "no error naming the row: $(cat fail.err)"
now=$(sql 'SELECT count(*) FROM sessions')
[ "$now" -gt "$before" ] || fail "the ingested sessions were lost ($before -> $now)"
expect_eq "sessions kept" "$want_sessions" "$now"
expect_eq "an unfinished run" 1 "$(sql 'SELECT count(*) FROM runs WHERE finished_at IS NULL')"
export_json now.json
cmp -s base.json now.json || fail "a partial generation is visible"
integrity "failed curation"

# Mended, the next run ingests nothing and curates again.
sql "UPDATE session_workflows SET grams = CAST(x'$saved' AS TEXT) WHERE session_id = '$victim'" > /dev/null
"$DREAMD" run --spool "$T/spool" > /dev/null 2> rerun.err
rc=$?
[ $rc -eq "$rc2" ] || fail "the next run exited $rc: $(cat rerun.err)"
sql 'SELECT summary FROM runs ORDER BY id DESC LIMIT 1' | grep -q ' 0 sessions ingested' ||
	fail "the next run ingested again: $(sql 'SELECT summary FROM runs ORDER BY id DESC LIMIT 1')"
export_json now.json
cmp -s ref.json now.json || { diff -u ref.json now.json | head; fail "the next run did not converge"; }
