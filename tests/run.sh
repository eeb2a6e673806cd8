#!/bin/sh
# Runs every unit test binary and every tests/tNNNN-*.sh script; prints one
# line per test and ends with "N passed, N failed". A test that exits 77 is
# skipped (its last line says why). Pick tests with T='t0001*' sh tests/run.sh.
#
# The real-transcript tier (see tests/lib.sh) reads DREAMD_REAL_TRANSCRIPTS
# (default ../shared/transcripts); its skips are counted apart on the closing
# line. With DREAMD_REAL_REQUIRED=1 (as .ci/run sets where the transcripts
# are), such a skip is a failure.
#
# Needs: DREAMD (the binary under test), UNIT_DIR (the unit test binaries).
top=$(cd "$(dirname "$0")/.." && pwd)
: "${DREAMD:?set DREAMD to the dreamd binary}"
: "${UNIT_DIR:=$top/build/tests}"
export DREAMD TOP="$top"
export DREAMD_REAL_TRANSCRIPTS="${DREAMD_REAL_TRANSCRIPTS:-$top/../shared/transcripts}"
real_skip="real transcripts not found (set DREAMD_REAL_TRANSCRIPTS)"
pattern=${T:-*}
passed=0 failed=0 skipped=0 real_skipped=0 failures=
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
		why=$(tail -n 1 "$logdir/$name.log")
		if [ "$why" = "$real_skip" ] && [ "${DREAMD_REAL_REQUIRED:-0}" = 1 ]; then
			failed=$((failed + 1)); failures="$failures $name"
			echo "FAIL $name: $why, but DREAMD_REAL_REQUIRED=1"
			return
		fi
		[ "$why" = "$real_skip" ] && real_skipped=$((real_skipped + 1))
		skipped=$((skipped + 1)); echo "skip $name: $why"
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
if [ $real_skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped" \
		"($real_skipped of the real-transcript tier: set DREAMD_REAL_TRANSCRIPTS)"
elif [ $skipped -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
