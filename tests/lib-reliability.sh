# tests/lib-reliability.sh: helpers for the t4NNN-reliability-* suites,
# sourced after tests/lib.sh.

# need CMD...: skips the test (exit 77) while a command it needs is a stub.
need() {
	for c in "$@"; do
		"$DREAMD" --help 2>&1 | grep -q "^  $c  *(not written yet)" &&
			{ trap - EXIT; rm -rf "$T"; echo "'dreamd $c' is not written yet"; exit 77; }
	done
	return 0
}

# corpus_gen ARGS...: the benchmark's generator (tests/gen/corpus.c), built
# here; writes uncompressed sessions, see its usage.
corpus_gen() {
	if [ ! -x "$T/corpus-gen" ]; then
		${CC:-cc} -std=c11 -D_GNU_SOURCE -O1 -o "$T/corpus-gen" "$TOP/tests/gen/corpus.c" ||
			fail "cannot build corpus-gen"
	fi
	"$T/corpus-gen" "$@" > /dev/null || fail "corpus-gen $*"
}

# zstd_all DIR: compresses every .jsonl under DIR in place.
zstd_all() {
	find "$1" -name '*.jsonl' -exec zstd -q --rm {} + || fail "zstd $1"
}

# save_store NAME, load_store NAME: copies of the store with its -wal.
save_store() {
	rm -rf "$T/saved-$1" && mkdir -p "$T/saved-$1"
	for f in "$DREAMD_DB" "$DREAMD_DB-wal" "$DREAMD_DB-shm"; do
		[ -f "$f" ] && cp "$f" "$T/saved-$1/"
	done
	return 0
}
load_store() {
	rm -f "$DREAMD_DB" "$DREAMD_DB-wal" "$DREAMD_DB-shm" "$DREAMD_DB-journal"
	for f in "$T/saved-$1"/*; do
		[ -f "$f" ] && cp "$f" "$(dirname "$DREAMD_DB")/"
	done
	return 0
}

integrity() {
	r=$(sqlite3 "$DREAMD_DB" 'PRAGMA integrity_check' 2>&1)
	[ "$r" = ok ] || fail "integrity_check after $1: $r"
}

export_json() {
	"$DREAMD" export --format json --all > "$1" 2> "$1.err" ||
		fail "export exited $?: $(cat "$1.err")"
}

# count_points KIND CLEAN-EXIT CMD...: about how many times CMD passes the
# fault point KIND (DREAMD_FAULT=KIND:N) when run from the store saved as
# "base": a number at most 1/32 over the true count. A run whose fault never
# fires exits CLEAN-EXIT; N is searched for, first doubling, then halving.
count_points() {
	kind=$1 clean=$2; shift 2
	lo=0 hi=1
	while :; do
		load_store base
		DREAMD_FAULT=$kind:$hi "$@" > /dev/null 2>&1
		[ $? -eq "$clean" ] && break
		lo=$hi hi=$((hi * 2))
		[ $hi -le 16777216 ] || fail "$kind: no end to the fault points"
	done
	# The fault at lo fires, the one at hi does not.
	while [ $((hi - lo)) -gt $((hi / 32)) ] && [ $((hi - lo)) -gt 1 ]; do
		mid=$(((lo + hi) / 2))
		load_store base
		DREAMD_FAULT=$kind:$mid "$@" > /dev/null 2>&1
		if [ $? -eq "$clean" ]; then hi=$mid; else lo=$mid; fi
	done
	echo $hi
}

# in_parallel FUNC ARG...: runs FUNC ARG in the background in a directory
# and store of its own ($T/w<slot>), two at a time; par_wait waits for the
# rest. A failure in any of them fails the test.
par_pids=
in_parallel() {
	par_slot=$(($(echo $par_pids | wc -w) + 1))
	mkdir -p "$T/w$par_slot"
	(cd "$T/w$par_slot" && DREAMD_DB=$T/w$par_slot/store.db && "$@") &
	par_pids="$par_pids $!"
	[ $(echo $par_pids | wc -w) -ge 2 ] && par_wait
	return 0
}
par_wait() {
	for p in $par_pids; do
		wait "$p" || fail "a fault point failed (see above)"
	done
	par_pids=
}

# spread TOTAL COUNT: COUNT points from 1 to TOTAL, evenly spaced, distinct.
spread() {
	awk -v t="$1" -v c="$2" 'BEGIN {
		if (c > t) c = t
		for (i = 0; i < c; i++) {
			p = c > 1 ? 1 + int(i * (t - 1) / (c - 1)) : 1
			if (p != last) print p
			last = p
		}
	}'
}

# spool_run N: a run over $T/spool that must exit 0 or 65 (some inputs are
# bad on purpose); its exit status in $rc, its stderr in runN.err.
spool_run() {
	"$DREAMD" run --spool "$T/spool" > /dev/null 2> "run$1.err"
	rc=$?
	[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "run $1 exited $rc: $(cat "run$1.err")"
}

# A spool in two halves: the sample transcripts and a few generated sessions
# with recurring patterns (enough for memories), then more of both for a
# second run. spool_part 1|2 adds that half to $T/spool.
spool_part() {
	mkdir -p "$T/spool"
	case $1 in
	1)
		spool_add alice "$(sample s01-alice)"
		spool_add bob "$(sample rollout-s02-bob)"
		spool_add carol "$(sample s03-carol)"
		corpus_gen -f 0 -n 8 -t 4 -u 3 -p 2 "$T/gen1"
		;;
	2)
		spool_add dave "$(sample rollout-s05-dave)"
		spool_add erin "$(sample rollout-s06-bob)"
		corpus_gen -f 8 -n 6 -t 4 -u 3 -p 2 "$T/gen1"
		;;
	esac
	zstd_all "$T/gen1"
	cp -R "$T/gen1"/. "$T/spool/" && rm -rf "$T/gen1"
}

# paused WHERE OUT CMD...: runs CMD in the background, its stdout and stderr
# in OUT and OUT.err, held at the named point WHERE (DREAMD_PAUSE, see
# dreamd/fault.c) once it gets there; returns when it is held, its pid in
# $paused_pid. resume lets it go on and waits for it, its exit status in $rc.
paused() {
	where=$1 out=$2; shift 2
	rm -f "$T/paused"
	DREAMD_PAUSE=$where:$T/paused "$@" > "$out" 2> "$out.err" &
	paused_pid=$!
	i=0
	until [ -f "$T/paused" ]; do
		kill -0 $paused_pid 2>/dev/null ||
			{ wait $paused_pid; fail "'$*' ended ($?) before '$where': $(cat "$out.err")"; }
		i=$((i + 1))
		[ $i -le 1200 ] || { kill $paused_pid; fail "'$*' never reached '$where'"; }
		sleep 0.05
	done
}
resume() {
	rm -f "$T/paused"
	wait $paused_pid
	rc=$?
}
