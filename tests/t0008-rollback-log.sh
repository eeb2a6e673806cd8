#!/bin/sh
# rollback N gives each memory the record generation N had; log names
# what that did to each: "retired" for the memories it takes out of the
# loaded set (retired in N, or absent from it), "restored" for those it
# brings back or restores.
. "$TOP/tests/lib.sh"
write_config </dev/null
scenario_spool
printf 'curate:\n  min_sessions: 4\ningest:\n  idle_minutes: 0\n' > strict.yaml

"$DREAMD" -q run --spool "$T/spool" || fail "run"			# gen 1
DREAMD_CONFIG=strict.yaml "$DREAMD" -q reconsolidate || fail "strict"	# gen 2
"$DREAMD" -q reconsolidate || fail "reconsolidate"			# gen 3
status_in() {
	sql "SELECT json_extract(v.snapshot, '$.status') FROM generation_members g
		JOIN memory_versions v ON v.memory_id = g.memory_id AND v.version = g.version
		WHERE g.gen = $1 AND g.memory_id = '$2'"
}
# A memory active in 3 and retired in 2, and one active in both.
gone=$(sql "SELECT a.memory_id FROM generation_members a JOIN generation_members b
	ON b.memory_id = a.memory_id AND b.gen = 2 WHERE a.gen = 3 ORDER BY 1" | while read -r id; do
	[ "$(status_in 3 "$id")" = active ] && [ "$(status_in 2 "$id")" = retired ] && echo "$id"
done | head -n 1)
[ -n "$gone" ] || fail "no memory that the strict generation retired"

"$DREAMD" -q rollback 2 || fail "rollback 2"				# gen 4
expect_eq "status after rollback 2" retired "$(status_in 4 "$gone")"
"$DREAMD" log "$gone" --format json > log.json || fail "log"
expect_eq "rollback 2 retired it" retired \
	"$(jq -r '.versions[] | select(.gen == 4) | .change' log.json)"

"$DREAMD" -q rollback 3 || fail "rollback 3"				# gen 5
expect_eq "status after rollback 3" active "$(status_in 5 "$gone")"
"$DREAMD" log "$gone" --format json > log.json || fail "log"
expect_eq "rollback 3 restored it" restored \
	"$(jq -r '.versions[] | select(.gen == 5) | .change' log.json)"

# Rolling back to the empty set retires every live memory.
"$DREAMD" -q rollback 0 || fail "rollback 0"				# gen 6
expect_eq "rollback 0 says retired" "" \
	"$(sql "SELECT change FROM memory_versions WHERE gen = 6 AND change <> 'retired'")"
exit 0
