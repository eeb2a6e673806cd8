#!/bin/sh
# Extractors run one state per thread: the scenario and generated sessions
# give the same memories, byte for byte, on one thread and on four (run and
# reconsolidate), and the same observations whatever order the sessions are
# read in.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"

scenario_spool
corpus_gen -f 0 -n 12 -t 4 -u 3 -p 2 "$T/gen"
zstd_all "$T/gen"
cp -R "$T/gen"/. "$T/spool/"
write_config </dev/null
for jobs in 1 4; do
	"$DREAMD" -q --db "$T/jobs$jobs.db" run --jobs $jobs --spool "$T/spool" ||
		fail "dreamd run --jobs $jobs exited $?"
	"$DREAMD" --db "$T/jobs$jobs.db" export --format json --all > "export$jobs.json" ||
		fail "dreamd export exited $?"
done
compare export1.json export4.json
# The generations are derived data too: no run's elapsed time in them.
for jobs in 1 4; do
	sqlite3 "$T/jobs$jobs.db" 'SELECT gen, run, summary FROM generations' > gens$jobs ||
		fail "sqlite3 jobs$jobs.db"
done
compare gens1 gens4
grep -E '; [0-9.]+s$' gens1 && fail "a generation stores the run's time"
sqlite3 "$T/jobs1.db" 'SELECT summary FROM runs' | grep -qE '; [0-9.]+s$' ||
	fail "the run log lost the run's time"
[ "$(jq '.memories | length' export1.json)" -gt 5 ] || fail "too few memories to compare"

# Reconsolidate with other rules, on one thread and on four, from the same store.
observations() {
	sqlite3 "$1" "SELECT session_id, extractor, key, seq, detail FROM observations
		ORDER BY 1, 2, 3, 4; SELECT * FROM session_workflows ORDER BY 1, 2" ||
		fail "sqlite3 $1"
}
observations "$T/jobs1.db" > obs.before
printf 'ingest:\n  idle_minutes: 0\nextract:\n  disable: [preferences]\n' > other.yaml
for jobs in 1 4; do
	cp "$T/jobs1.db" "$T/re$jobs.db"
	DREAMD_CONFIG=other.yaml "$DREAMD" -q --db "$T/re$jobs.db" reconsolidate --jobs $jobs ||
		fail "dreamd reconsolidate --jobs $jobs exited $?"
	observations "$T/re$jobs.db" > obs$jobs
	"$DREAMD" --db "$T/re$jobs.db" export --format json --all |
		jq 'del(.published_at)' > re-export$jobs.json || fail "dreamd export exited $?"
done
cmp -s obs.before obs1 && fail "reconsolidate changed no observation"
compare obs1 obs4
compare re-export1.json re-export4.json

files=$(find "$T/raw" -name '*.jsonl' | LC_ALL=C sort)
# shellcheck disable=SC2086
"$DREAMD" extract --table $files > forward || fail "dreamd extract exited $?"
# shellcheck disable=SC2086
"$DREAMD" extract --table $(echo "$files" | LC_ALL=C sort -r) > backward ||
	fail "dreamd extract exited $?"
compare forward backward
