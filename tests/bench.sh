#!/bin/sh
# tests/bench.sh: `make bench`. Times dreamd over a generated corpus next to
# the floor (zstd -dc of the same files) and prints the figures with their
# targets. A benchmark, not a test: it never fails on a missed target.
# A second floor, parse-floor (zstd and cJSON alone, nothing else), shows
# how much of the single-core target is left to the pipeline's own stages.
# Then readers (export, status) during a run held before it publishes.
# Last, redact-bench times each redaction rule alone on adversarial lines
# (tests/gen/adversarial.h: 1 MB each, BENCH_REDACT_MB) and prints the
# slowest rule's MB/s against its target.
# Sharded: two `run --shard k/2` workers at once (one core each), each into
# its own partial store, then `merge` into a fresh store, against one
# `run --jobs 2`; the merged store's export must be the run's.
# A peer: ccusage (npm; CCUSAGE_VERSION) reading the same files,
# uncompressed, laid out as Claude Code keeps them (projects/*/ID.jsonl),
# installed into build/ccusage on first use; when npm cannot fetch it the
# line says why.
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
shard_ok=
if "$dreamd" run --help 2>&1 | grep -q -- '--shard'; then
	shard_ok=1
fi

# Two shards at once, one core each, then the merge; sets shards_rc.
run_shards() {
	rm -f "$work"/part-*.db* "$work"/merged.db*
	timed shards sh -c '
		"$1" --db "$3/part-0.db" run --jobs 1 --shard 0/2 --spool "$2" 2> "$3/shard-0.err" &
		p0=$!
		"$1" --db "$3/part-1.db" run --jobs 1 --shard 1/2 --spool "$2" 2> "$3/shard-1.err" &
		p1=$!
		wait $p0; r0=$?
		wait $p1; r1=$?
		[ $r0 -eq 65 ] && r0=0
		[ $r1 -eq 65 ] && r1=0
		[ $r0 -ne 0 ] && exit $r0
		exit $r1' sh "$dreamd" "$corpus" "$work"
	shards_rc=$rc
	ok "$rc" || return 0
	keep shards
	sh_secs=$secs
	timed merge "$dreamd" --db "$work/merged.db" merge "$work/part-0.db" "$work/part-1.db"
	ok "$rc" || { shards_rc=$rc; return 0; }
	keep merge
	secs=$(awk -v a="$sh_secs" -v b="$secs" 'BEGIN { printf "%.2f", a + b }')
	keep total
}

# The corpus uncompressed, as Claude Code lays it out, for ccusage.
raw=$top/build/bench-raw
if [ ! -f "$raw.stamp" ] || ! cmp -s "$raw.stamp" "$stamp"; then
	rm -rf "$raw" "$raw.stamp"
	while read -r f; do
		rel=${f#"$corpus"/}
		user=${rel%%/*}
		rest=${rel#*/}
		d=$raw/projects/$user${rest%/*}
		mkdir -p "$d"
		b=${rest##*/}
		zstd -dcq "$f" > "$d/${b%.zst}" || exit 1
	done < "$work/files"
	cp "$stamp" "$raw.stamp"
fi
ccv=${CCUSAGE_VERSION:-20.0.24}	# 20.0.26's linux-x64 binary is not on npm
cc=$top/build/ccusage/node_modules/.bin/ccusage
cc_why=
if [ ! -x "$cc" ] || [ "$("$cc" --version 2>/dev/null)" != "ccusage $ccv" ]; then
	if ! command -v npm >/dev/null; then
		cc_why="not installed (no npm to install it with)"
	else
		echo "bench: installing ccusage@$ccv into build/ccusage (npm)"
		if ! timeout 300 npm install --no-audit --no-fund --prefix "$top/build/ccusage" \
			"ccusage@$ccv" > "$work/npm.log" 2>&1; then
			cc_why="not installed: npm install ccusage@$ccv failed: $(grep -m 1 'npm error' \
				"$work/npm.log" || tail -n 1 "$work/npm.log")"
		fi
	fi
fi
if [ -z "$cc_why" ] && ! "$cc" --version > /dev/null 2> "$work/cc-version.err"; then
	cc_why="not usable: $(head -c 200 "$work/cc-version.err")"
fi
# Its input, and a warm page cache for it too.
raw_bytes=$(find "$raw/projects" -type f -exec cat {} + | wc -c)
run_ccusage() {	# run_ccusage NAME [--single-thread]
	n=$1; shift
	timed "$n" env CLAUDE_CONFIG_DIR="$raw" "$cc" claude daily --json --offline "$@"
	[ "$rc" -eq 0 ] || cc_why="exit $rc: $(head -n 1 "$work/$n.err")"
	keep "$n"
}

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
		"$dreamd" export --all --format json 2>/dev/null | sed 's/"published_at": "[^"]*"/"published_at": ""/' > "$work/run-j2.export"
	fi
	if [ -n "$shard_ok" ] && ok "$j1_rc"; then
		run_shards
	fi
	if [ -z "$cc_why" ]; then
		run_ccusage cc1 --single-thread
		run_ccusage cc2
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

if [ -z "$shard_ok" ]; then
	echo "(run has no --shard yet: shards not measured)"
elif ! ok "$shards_rc"; then
	echo "2 shards + merge failed (exit $shards_rc): $(cat "$work"/shard-*.err "$work/merge.err" |
		grep -m 1 error)"
else
	printf '%-34s %10s %10s %10s   %s\n' "2 shards at once (--jobs 1 each)" "$shards_s" \
		"$(rate "$shards_s")" "${shards_rss}K" "two workers, one core each"
	printf '%-34s %10s %10s %10s   %s\n' "merge of the 2 partials" "$merge_s" "" "${merge_rss}K" \
		"into a fresh store, curates, publishes"
	"$dreamd" --db "$work/merged.db" export --all --format json 2>/dev/null |
		sed 's/"published_at": "[^"]*"/"published_at": ""/' > "$work/merged.export"
	# The same but for the time each was published at.
	if [ -s "$work/merged.export" ] && cmp -s "$work/run-j2.export" "$work/merged.export"; then
		v="same export as run"
	else
		v="export DIFFERS from run's"
	fi
	if ok "$j2_rc" && [ -n "$jobs_ok" ]; then
		v="$(awk -v a="$total_s" -v b="$j2_s" 'BEGIN { printf "%.2f", a / b }')x the time of run --jobs 2; $v"
	fi
	printf '%-34s %10s %10s %10s   %s\n' "2 shards + merge" "$total_s" "$(rate "$total_s")" "" "$v"
fi

if [ -n "$cc_why" ]; then
	echo "ccusage $ccv: $cc_why"
else
	crate() {
		awk -v b="$raw_bytes" -v s="$1" 'BEGIN { if (s > 0) printf "%.1f", b / 1048576 / s; else print "inf" }'
	}
	printf '%-34s %10s %10s %10s   %s\n' "ccusage $ccv, --single-thread" "$cc1_s" "$(crate "$cc1_s")" \
		"${cc1_rss}K" "a peer: the same files, uncompressed; dreamd --jobs 1: $j1_rate MB/s"
	printf '%-34s %10s %10s %10s   %s\n' "ccusage $ccv, its own threads" "$cc2_s" "$(crate "$cc2_s")" \
		"${cc2_rss}K" "$([ -n "${j2_s:-}" ] && echo "dreamd --jobs 2: $(rate "$j2_s") MB/s")"
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
# Readers during a run: a reconsolidate held at "publish" (curated, its new
# generation not yet committed, the writer's lock held) while export and
# status answer from the last published generation, 5 times each.
rm -f "$work/paused"
DREAMD_PAUSE="publish:$work/paused" "$dreamd" reconsolidate > "$work/held.out" 2> "$work/held.err" &
held=$!
i=0
while [ ! -f "$work/paused" ] && kill -0 $held 2>/dev/null && [ $i -lt 2400 ]; do
	sleep 0.05
	i=$((i + 1))
done
if [ -f "$work/paused" ]; then
	for what in export status; do
		worst=0 bad=
		for k in 1 2 3 4 5; do
			if [ $what = export ]; then
				timed reader "$dreamd" export --format json
			else
				timed reader "$dreamd" status
			fi
			[ "$rc" -eq 0 ] && [ -s "$work/reader.out" ] || bad="exit $rc: $(head -n 1 "$work/reader.err")"
			worst=$(awk -v a="$secs" -v b="$worst" 'BEGIN { print (a > b) ? a : b }')
		done
		ms=$(awk -v s="$worst" 'BEGIN { printf "%.0f", s * 1000 }')
		[ -z "$bad" ] && [ "$ms" -lt 100 ] && v=ok || v="MISSED${bad:+ ($bad)}"
		printf '%-34s %10s %10s %10s   %s\n' "$what during a held run" "$worst" "" "${rss_kb}K" \
			"worst of 5 < 100 ms: ${ms} ms $v"
	done
	rm -f "$work/paused"
else
	echo "readers during a run: not measured (the held reconsolidate ended: $(head -n 1 "$work/held.err"))"
fi
wait $held

echo
echo "store: $(du -k "$work/store.db" | cut -f1) KB; logs in $work"

echo
echo "redaction rules alone on adversarial lines (CPU time):"
"$rbench" "${BENCH_REDACT_MB:-1}"
