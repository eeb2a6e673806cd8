#!/bin/sh
# Runs every unit test binary and every tests/tNNNN-*.sh script; prints one
# line per test as it ends and closes with "N passed, N failed". A test that
# exits 77 is skipped (its last line says why). Pick tests with
# T='t0001*' sh tests/run.sh; run JOBS of them at once with JOBS=2 (make
# check does; the slowest, the t4 suites, start first).
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
export DREAMD UNIT_DIR TOP="$top"
export DREAMD_REAL_TRANSCRIPTS="${DREAMD_REAL_TRANSCRIPTS:-$top/../shared/transcripts}"
real_skip="real transcripts not found (set DREAMD_REAL_TRANSCRIPTS)"
logdir=$top/build/test-logs

# One test: its log in $logdir/NAME.log, its outcome (ok, skip, realskip,
# fail) in $logdir/NAME.rc, its line on stdout.
if [ "${1:-}" = --one ]; then
	name=$2
	if [ -x "$UNIT_DIR/$name" ]; then
		set -- "$UNIT_DIR/$name"
	else
		set -- sh "$top/tests/$name.sh"
	fi
	start=$(date +%s)
	"$@" >"$logdir/$name.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	why=$(tail -n 1 "$logdir/$name.log")
	if [ $rc -eq 0 ]; then
		out=ok; line="ok   $name (${secs}s)"
	elif [ $rc -eq 77 ] && [ "$why" = "$real_skip" ] &&
	     [ "${DREAMD_REAL_REQUIRED:-0}" = 1 ]; then
		out=fail; line="FAIL $name: $why, but DREAMD_REAL_REQUIRED=1"
	elif [ $rc -eq 77 ]; then
		out=skip; [ "$why" = "$real_skip" ] && out=realskip
		line="skip $name: $why"
	else
		out=fail
		line="FAIL $name (exit $rc), last lines of $logdir/$name.log:
$(tail -n 25 "$logdir/$name.log" | sed 's/^/     /')"
	fi
	echo $out > "$logdir/$name.rc"
	printf '%s\n' "$line"
	exit 0
fi

pattern=${T:-*}
jobs=${JOBS:-1}
rm -rf "$logdir" && mkdir -p "$logdir"
names=
for t in "$UNIT_DIR"/test-* "$top"/tests/t[0-9]*.sh; do
	case $t in *.sh) ;; *) [ -x "$t" ] || continue ;; esac
	n=$(basename "$t" .sh)
	case $n in $pattern) names="$names $n" ;; esac
done
if [ "$jobs" -gt 1 ]; then
	# Longest first: the scripts, last number first, then the unit tests.
	names=$(printf '%s\n' $names | sort -r)
fi
[ -n "$names" ] && printf '%s\n' $names |
	xargs -P "$jobs" -n 1 sh "$top/tests/run.sh" --one

passed=0 failed=0 skipped=0 real_skipped=0 failures=
for n in $(printf '%s\n' $names | sort); do
	case $(cat "$logdir/$n.rc" 2>/dev/null || echo fail) in
	ok) passed=$((passed + 1)) ;;
	skip) skipped=$((skipped + 1)) ;;
	realskip) skipped=$((skipped + 1)); real_skipped=$((real_skipped + 1)) ;;
	*) failed=$((failed + 1)); failures="$failures $n" ;;
	esac
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
