#!/bin/sh
# A run killed (as by kill -9) at points spread over all its store writes
# leaves a store that passes integrity_check and shows the previous
# generation, and the next run converges to the export of a run that was
# never interrupted. CRASH_POINTS sets how many points (default 50).
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run export
points=${CRASH_POINTS:-50}
write_config < /dev/null

# The reference: run 1 on the first half of the spool, run 2 on all of it.
save_store empty
spool_part 1
spool_run 1
rc1=$rc
save_store base1
export_json base1.json
rm -rf "$T/spool1" && cp -R "$T/spool" "$T/spool1"
spool_part 2
spool_run 2
rc2=$rc
export_json ref.json
[ "$(jq '.memories | length' ref.json)" -gt 0 ] || fail "the reference run published no memories"
cmp -s base1.json ref.json && fail "run 2 changed nothing: nothing to test"

# crash_at SPOOL BEFORE-STORE BEFORE-EXPORT REF-EXPORT CLEAN-EXIT N
crash_at() {
	load_store "$2"
	DREAMD_FAULT=abort:$6 "$DREAMD" run --spool "$1" > /dev/null 2> crash.err
	rc=$?
	# Past the last write (count_points is at most 1/32 over): nothing to kill.
	[ $rc -eq "$5" ] && [ "$6" -gt $((total - total / 32 - 1)) ] && return 0
	[ $rc -eq 137 ] || fail "abort:$6: exited $rc, not killed: $(cat crash.err)"
	integrity "abort:$6"
	export_json now.json
	cmp -s "$3" now.json || fail "abort:$6: a partial generation is visible"
	"$DREAMD" run --spool "$1" > /dev/null 2> rerun.err
	rc=$?
	[ $rc -eq "$5" ] || fail "abort:$6: the next run exited $rc: $(cat rerun.err)"
	integrity "the run after abort:$6"
	export_json now.json
	cmp -s "$4" now.json || { diff -u "$4" now.json | head -20; fail "abort:$6: the next run did not converge"; }
}

# Crashes in run 2, over a store with a generation.
save_store base
load_store base1
save_store base
total=$(count_points abort $rc2 "$DREAMD" run --spool "$T/spool")
[ "$total" -ge 10 ] || fail "run 2 passes only $total write points"
echo "run 2: $total write points, crashing at $points of them"
n=0
for p in $(spread "$total" "$points"); do
	in_parallel crash_at "$T/spool" base1 "$T/base1.json" "$T/ref.json" $rc2 "$p"
	n=$((n + 1))
done
par_wait
[ $n -ge "$((points < total ? points : total))" ] || fail "only $n crash points"

# Crashes in the first run, over an empty store, on the first half.
load_store empty
"$DREAMD" export --format json --all > empty.json 2>/dev/null || true
save_store base
total=$(count_points abort $rc1 "$DREAMD" run --spool "$T/spool1")
echo "run 1: $total write points, crashing at 6 of them"
for p in $(spread "$total" 6); do
	in_parallel crash_at "$T/spool1" empty "$T/empty.json" "$T/base1.json" $rc1 "$p"
done
par_wait
