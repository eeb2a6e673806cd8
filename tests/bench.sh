#!/bin/sh
# tests/bench.sh: `make bench`. Times dreamd over a generated corpus next to
# the floor (zstd -dc of the same files) and prints the figures with their
# targets. A benchmark, not a test: it never fails on a missed target.
# A second floor, parse-floor (zstd and cJSON alone, nothing else), shows
# how much of the single-core target is left to the pipeline's own stages.
# Last, redact-bench times each redaction rule alone on adversarial lines
# (tests/gen/adversarial.h: 1 MB each, BENCH_REDACT_MB) and prints the
# slowest rule's MB/s against its target.
#
# usage: sh tests/bench.sh DREAMD
#
# BENCH_MB (default 500) sets the uncompressed corpus size. The corpus is
# cached in build/bench-corpus and regenerated only when it is missing, the
# generator changed or BENCH_MB differs. The floor and the full runs are
# timed BENCH_REPS times (default 3), alternating, and the shortest time
# counts (with the largest peak RSS): one slow run on a busy machine says
# nothing about the program.
set -u
dreamd=${1:?usage: bench.sh DREAMD}
top=$(cd "$(dirname "$0")/.." && pwd)
bin=$(dirname "$dreamd")
gen=$bin/corpus-gen
timer=$bin/bench-time
pfloor=$bin/parse-floor
rbench=$bin/redact-bench
mb=${BENCH_MB:-500}
reps=${BENCH_REPS:-3}
corpus=$top/build/bench-corpus
new=$top/build/bench-corpus-new
work=$top/build/bench-work
stamp=$top/build/bench-corpus.stamp

for x in "$dreamd" "$gen" "$timer" "$pfloor" "$rbench"; do
	[ -x "$x" ] || { echo "bench: error: '$x' not built (make bench builds it)" >&2; exit 1; }
done
command -v zstd >/dev/null || { echo "bench: error: zstd not found" >&2; exit 1; }

want="$(cksum < "$top/tests/gen/corpus.c") mb=$mb"
if [ ! -f "$stamp" ] || [ "$(sed -n 1p "$stamp")" != "$want" ] || [ ! -d "$corpus" ]; then
	echo "bench: generating a ${mb} MB corpus in $corpus"
	rm -rf "$corpus" "$new" "$stamp"
	out=$("$gen" -m "$mb" "$corpus") || exit 1
	n=${out#sessions }; n=${n%% *}
	bytes=${out##* }
	# 1% new sessions for the incremental run, numbered after the corpus.
	add=$(( n / 100 )); [ "$add" -gt 0 ] || add=1
	out2=$("$gen" -f "$n" -n "$add" "$new") || exit 1
	find "$corpus" "$new" -name '*.jsonl' -print0 | xargs -0 -P 2 -n 64 zstd -q --rm || exit 1
	# Older than ingest.idle_minutes, should the config not say 0.
	find "$corpus" "$new" -type f -exec touch -d '2 hours ago' {} +
	{ echo "$want"; echo "$n $bytes $add ${out2##* }"; } > "$stamp"
fi
set -- $(sed -n 2p "$stamp")
nsess=$1 bytes=$2 nnew=$3
zbytes=$(find "$corpus" -name '*.zst' -exec cat {} + | wc -c)
mbytes=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "corpus: $nsess sessions, $mbytes MB uncompressed, $(awk -v b="$zbytes" 'BEGIN { printf "%.1f", b / 1048576 }') MB zstd; +$nnew new sessions"

rm -rf "$work" && mkdir -p "$work"
printf 'ingest:\n  idle_minutes: 0\n' > "$work/config.yaml"
export DREAMD_CONFIG="$work/config.yaml" DREAMD_DB="$work/store.db"
unset DREAMD_FAULT

find "$corpus" -name '*.zst' | sort > "$work/files"
# Warm the page cache so both sides read from memory.
xargs cat < "$work/files" > /dev/null

# timed NAME CMD...: runs CMD under the timer; sets $secs $rss_kb $rc.
timed() {
	name=$1; shift
	"$timer" "$work/$name.time" "$@" > "$work/$name.out" 2> "$work/$name.err"
	set -- $(cat "$work/$name.time")
	secs=$1 rss_kb=$2 rc=$3
}
# keep NAME: after a timed run, keeps in ${NAME}_s the shortest time so far
# and in ${NAME}_rss the largest peak RSS.
keep() {
	eval "old_s=\${${1}_s:-} old_rss=\${${1}_rss:-0}"
	if [ -z "$old_s" ] || awk -v a="$secs" -v b="$old_s" 'BEGIN { exit !(a < b) }'; then
		eval "${1}_s=\$secs"
	fi
	[ "$rss_kb" -gt "$old_rss" ] && eval "${1}_rss=\$rss_kb"
	return 0
}
rate() {
	awk -v b="$bytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.1f", b / 1048576 / s; else print "inf" }'
}
ok() {
	[ "$1" -eq 0 ] || [ "$1" -eq 65 ]
}

run_full() {	# run_full JOBS
	rm -f "$work"/store.db*
	if [ -n "$jobs_ok" ]; then
		timed "run-j$1" "$dreamd" run --spool "$corpus" --jobs "$1"
	else
		timed "run-j$1" "$dreamd" run --spool "$corpus"
	fi
}

jobs_ok=
if "$dreamd" run --help 2>&1 | grep -q -- '--jobs'; then
	jobs_ok=1
fi

i=0 j1_rc=0 j2_rc=0
while [ $i -lt "$reps" ]; do
	timed floor sh -c "xargs zstd -dcq < '$work/files' > /dev/null"
	keep floor
	timed pfloor sh -c "'$pfloor' < '$work/files'"
	keep pfloor
	run_full 1
	ok "$rc" || j1_rc=$rc
	keep j1
	if [ -n "$jobs_ok" ] && ok "$j1_rc"; then
		run_full 2
		ok "$rc" || j2_rc=$rc
		keep j2
	fi
	i=$((i + 1))
done
floor_rate=$(rate "$floor_s")

echo
echo "best of $reps runs each (BENCH_REPS)"
printf '%-34s %10s %10s %10s   %s\n' "what" "seconds" "MB/s" "peak RSS" "target"
printf '%-34s %10s %10s %10s\n' "zstd -dc (floor, one core)" "$floor_s" "$floor_rate" "${floor_rss}K"
pct=$(awk -v a="$(rate "$pfloor_s")" -v b="$floor_rate" 'BEGIN { printf "%.0f", 100 * a / b }')
# A floor that skipped lines or bytes would flatter the pipeline: say so.
set -- $(cat "$work/pfloor.out")
if [ "${1:-0}" -gt 0 ] && [ "$1" = "${2:-}" ] && [ "${3:-}" = "$bytes" ]; then
	v="(parse floor: $pct% of zstd -dc)"
else
	v="(parse floor INVALID: parsed ${2:-?} of ${1:-?} lines, ${3:-?} of $bytes bytes)"
fi
printf '%-34s %10s %10s %10s   %s\n' "zstd + cJSON, every line" "$pfloor_s" "$(rate "$pfloor_s")" \
	"${pfloor_rss}K" "$v"

if ! ok "$j1_rc"; then
	echo
	echo "dreamd run failed (exit $j1_rc): $(head -n 3 "$work/run-j1.err")"
	echo "only the floor was measured"
	exit 0
fi
j1_rate=$(rate "$j1_s")
pct=$(awk -v a="$j1_rate" -v b="$floor_rate" 'BEGIN { printf "%.0f", 100 * a / b }')
printf '%-34s %10s %10s %10s   %s\n' "run --jobs 1 (empty store)" "$j1_s" "$j1_rate" "${j1_rss}K" \
	">= 25% of floor: $pct% $([ "$pct" -ge 25 ] && echo ok || echo MISSED)"
awk -v r="$j1_rss" 'BEGIN { exit !(r <= 65536) }' && v=ok || v=MISSED
printf '%-34s %10s %10s %10s   %s\n' "" "" "" "" "peak RSS <= 64 MB: $v"

if [ -n "$jobs_ok" ]; then
	if ok "$j2_rc"; then
		sp=$(awk -v a="$j1_s" -v b="$j2_s" 'BEGIN { printf "%.2f", a / b }')
		awk -v s="$sp" 'BEGIN { exit !(s >= 1.8) }' && v=ok || v=MISSED
		printf '%-34s %10s %10s %10s   %s\n' "run --jobs 2 (empty store)" "$j2_s" "$(rate "$j2_s")" \
			"${j2_rss}K" ">= 1.8x --jobs 1: ${sp}x $v"
		awk -v r="$j2_rss" 'BEGIN { exit !(r <= 65536) }' && v=ok || v=MISSED
		printf '%-34s %10s %10s %10s   %s\n' "" "" "" "" "peak RSS <= 64 MB: $v"
	else
		echo "run --jobs 2 failed (exit $j2_rc): $(head -n 1 "$work/run-j2.err")"
	fi
else
	echo "(run has no --jobs yet: --jobs 2 not measured)"
fi

timed rerun "$dreamd" run --spool "$corpus"
p=$(awk -v a="$secs" -v b="$j1_s" 'BEGIN { printf "%.2f", 100 * a / b }')
awk -v p="$p" 'BEGIN { exit !(p <= 2) }' && v=ok || v=MISSED
printf '%-34s %10s %10s %10s   %s\n' "unchanged re-run" "$secs" "" "${rss_kb}K" \
	"<= 2% of full run: $p% $v$(ok "$rc" || echo ", exit $rc")"

timed incr "$dreamd" run --spool "$corpus" --spool "$new"
printf '%-34s %10s %10s %10s   %s\n' "run with 1% new sessions" "$secs" "" "${rss_kb}K" \
	"$(ok "$rc" || echo "exit $rc: $(head -n 1 "$work/incr.err")")"

timed recons "$dreamd" reconsolidate
printf '%-34s %10s %10s %10s   %s\n' "reconsolidate" "$secs" "" "${rss_kb}K" \
	"$([ "$rc" -eq 0 ] || echo "exit $rc: $(head -n 1 "$work/recons.err")")"
echo
echo "store: $(du -k "$work/store.db" | cut -f1) KB; logs in $work"

echo
echo "redaction rules alone on adversarial lines (CPU time):"
"$rbench" "${BENCH_REDACT_MB:-1}"
