#!/bin/sh
# Injected failures: a store write that fails (DREAMD_FAULT=write:N) or an
# allocation that fails (alloc:N), at points spread over a run and over a
# reconsolidate, end with one clean error line and exit 74 or 69; no partial
# generation is visible (export and status show the previous one) and the
# next run converges to the export of a run that never failed.
# FAULT_POINTS sets the points per kind (default 12).
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run export status reconsolidate
points=${FAULT_POINTS:-12}
write_config < /dev/null

spool_part 1
spool_run 1
save_store base
export_json base.json
"$DREAMD" status --format json > base-status.json || fail "status exited $?"
gen1=$(jq .generation base.json)
spool_part 2
spool_run 2
rc2=$rc
export_json ref.json
cmp -s base.json ref.json && fail "run 2 changed nothing: nothing to test"

# one_error FILE WHAT: FILE holds exactly one error line, and nothing but
# warnings about inputs besides.
one_error() {
	[ "$(grep -c '^dreamd: error: ' "$1")" -eq 1 ] || { cat "$1"; fail "$2: not one error line"; }
	grep -v '^dreamd: error: \|^dreamd: warning: ' "$1" && fail "$2: stray output on stderr"
	return 0
}

# fault_at KIND N EXIT CMD...
fault_at() {
	kind=$1 n=$2 want=$3; shift 3
	load_store base
	DREAMD_FAULT=$kind:$n "$@" > /dev/null 2> fault.err
	rc=$?
	# Past the last point (count_points is at most 1/32 over): no fault.
	[ $rc -eq "$rc2" ] && [ "$n" -gt $((total - total / 32 - 1)) ] && return 0
	[ $rc -eq "$want" ] || fail "$kind:$n ($*): exited $rc, expected $want: $(head -n 3 fault.err)"
	one_error fault.err "$kind:$n"
	integrity "$kind:$n"
	export_json now.json
	cmp -s "$T/base.json" now.json || fail "$kind:$n: a partial generation is visible"
	g=$("$DREAMD" status --format json | jq .generations.current)
	expect_eq "$kind:$n: status generation" "$gen1" "$g"
	"$DREAMD" run --spool "$T/spool" > /dev/null 2> rerun.err
	rc=$?
	[ $rc -eq "$rc2" ] || fail "$kind:$n: the next run exited $rc: $(cat rerun.err)"
	export_json now.json
	cmp -s "$ref" now.json || { diff -u "$ref" now.json | head; fail "$kind:$n: the next run did not converge"; }
}

ref=$T/ref.json
for kind in write alloc; do
	want=74; [ $kind = alloc ] && want=69
	total=$(count_points $kind $rc2 "$DREAMD" run --spool "$T/spool")
	[ "$total" -ge 5 ] || fail "run: only $total $kind points"
	echo "run: $total $kind points, failing $points of them"
	for p in $(spread "$total" "$points"); do
		in_parallel fault_at $kind "$p" $want "$DREAMD" run --spool "$T/spool"
	done
	par_wait
done

# reconsolidate over the full store: a failure leaves the generation as it
# was; the reference is a reconsolidate that did not fail.
"$DREAMD" run --spool "$T/spool" > /dev/null 2>&1
save_store base
export_json base.json
gen1=$(jq .generation base.json)
"$DREAMD" reconsolidate > /dev/null 2> recons.err || fail "reconsolidate exited $?: $(cat recons.err)"
export_json recons.json
recons_fault_at() {	# KIND N EXIT
	load_store base
	DREAMD_FAULT=$1:$2 "$DREAMD" reconsolidate > /dev/null 2> fault.err
	rc=$?
	[ $rc -eq 0 ] && [ "$2" -gt $((total - total / 32 - 1)) ] && return 0
	[ $rc -eq "$3" ] || fail "reconsolidate $1:$2: exited $rc, expected $3: $(head -n 3 fault.err)"
	one_error fault.err "reconsolidate $1:$2"
	integrity "reconsolidate $1:$2"
	export_json now.json
	cmp -s "$T/base.json" now.json || fail "reconsolidate $1:$2: a partial generation is visible"
	"$DREAMD" reconsolidate > /dev/null 2>&1 || fail "reconsolidate after $1:$2 exited $?"
	export_json now.json
	cmp -s "$T/recons.json" now.json || fail "reconsolidate after $1:$2 did not converge"
}
for kind in write alloc; do
	want=74; [ $kind = alloc ] && want=69
	total=$(count_points $kind 0 "$DREAMD" reconsolidate)
	echo "reconsolidate: $total $kind points, failing 5 of them"
	for p in $(spread "$total" 5); do
		in_parallel recons_fault_at $kind "$p" $want
	done
	par_wait
done
