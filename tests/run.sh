#!/bin/sh
# Runs every unit test binary and every tests/tNNNN-*.sh script; prints one
# line per test and ends with "N passed, N failed". A script that exits 77 is
# skipped (it says why). Pick tests with T='t0001*' sh tests/run.sh.
#
# Needs: DREAMD (the binary under test), UNIT_DIR (the unit test binaries).
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DREAMD:?set DREAMD to the dreamd binary}"
: "${UNIT_DIR:=$top/build/tests}"
export DREAMD TOP="$top"
export SHARED="${SHARED:-$top/../shared}"
pattern=${T:-*}
passed=0 failed=0 skipped=0 failures=
logdir=$top/build/test-logs
rm -rf "$logdir" && mkdir -p "$logdir"

run_one() {
	name=$1; shift
	start=$(date +%s)
	"$@" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc -eq 0 ]; then
		passed=$((passed + 1)); echo "ok   $name (${secs}s)"
	elif [ $rc -eq 77 ]; then
		skipped=$((skipped + 1)); echo "skip $name: $(tail -n 1 "$logdir/$name.log")"
	else
		failed=$((failed + 1)); failures="$failures $name"
		echo "FAIL $name (exit $rc), last lines of $logdir/$name.log:"
		tail -n 25 "$logdir/$name.log" | sed 's/^/     /'
	fi
}

for t in "$UNIT_DIR"/test-*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	case $n in $pattern) ;; *) continue ;; esac
	run_one "$n" "$t"
done
for t in "$top"/tests/t[0-9]*.sh; do
	n=$(basename "$t" .sh)
	case $n in $pattern) ;; *) continue ;; esac
	run_one "$n" sh "$t"
done
[ -n "$failures" ] && echo "failed:$failures"
if [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
