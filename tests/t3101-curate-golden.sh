#!/bin/sh
# Curation's whole output against tests/golden/curate-*: the scenario and the
# samples: run (strict), reviewed, run again, rolled back, reconsolidated (not
# strict, then strict); the memory tables (.dump), export, diff, show and
# log, byte for byte.
# Set UPDATE_GOLDEN=1 to rewrite the expected files after a deliberate
# change, then review the git diff.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }

scenario_spool
write_config </dev/null
# Strict first: memories of three sessions stay candidates.
printf 'curate:\n  min_sessions: 4\ningest:\n  idle_minutes: 0\n' > strict.yaml
DREAMD_CONFIG=strict.yaml "$DREAMD" -q run --spool "$T/spool" || fail "run"

# ids by rank, so that the script needs no id written in it
nth() {
	"$DREAMD" export --format json --all |
		jq -r --arg s "$1" --argjson n "$2" '[.memories[] | select(.status == $s)][$n].id'
}
a1=$(nth active 0) a2=$(nth active 1) c1=$(nth candidate 0)
for id in "$a1" "$a2" "$c1"; do
	[ -n "$id" ] && [ "$id" != null ] || fail "scenario has too few memories"
done
"$DREAMD" -q review reject "$a1" --by rita || fail "reject"
"$DREAMD" -q review edit "$a2" --title "Edited title" --by rita || fail "edit"
"$DREAMD" -q review pin "$a2" --by rita || fail "pin"
"$DREAMD" -q review accept "$c1" --by rita || fail "accept"
sample_spool
DREAMD_CONFIG=strict.yaml "$DREAMD" -q run --spool "$T/spool" || fail "run 2"
"$DREAMD" -q rollback 1 || fail "rollback"
"$DREAMD" -q reconsolidate || fail "reconsolidate"
"$DREAMD" -q review unpin "$a2" --by rita || fail "unpin"
DREAMD_CONFIG=strict.yaml "$DREAMD" -q reconsolidate || fail "strict reconsolidate"

# runs.summary keeps each run's timing: not curation's output.
golden curate-store.dump sqlite3 "$DREAMD_DB" '.dump memories memory_versions generations generation_members reviews'
golden curate-export.json "$DREAMD" export --all --format json
golden curate-diff.json "$DREAMD" diff 1 --format json
golden curate-diff.text "$DREAMD" diff 2 6
for id in "$a1" "$a2" "$c1"; do
	golden "curate-show-$id.text" "$DREAMD" show "$id"
	golden "curate-log-$id.text" "$DREAMD" log "$id"
done
exit 0
