# tests/lib.sh: sourced by every tests/tNNNN-*.sh script.
#
# Each script runs in a fresh temporary directory ($T) that is removed on
# success and kept (and named) on failure. $DREAMD is the binary under test.
#
# Two tiers. By default a test uses only fixtures the project owns (tests/data,
# or made by tests/gen and tests/scenario), so it passes in any fresh clone.
# A test of behaviour on real agent transcripts first calls
# need_real_transcripts, then reads them under $REAL ($DREAMD_REAL_TRANSCRIPTS,
# default ../shared/transcripts beside the checkout); where they are absent it
# is skipped with one line that tests/run.sh counts as the real tier.
set -u
: "${DREAMD:?}" "${TOP:?}"
REAL=${DREAMD_REAL_TRANSCRIPTS:-$TOP/../shared/transcripts}
T=$(mktemp -d "${TMPDIR:-/tmp}/dreamd-test.XXXXXX")
export DREAMD_DB="$T/store.db"
export SOURCE_DATE_EPOCH=1795000000	# 2026-11-19: a fixed clock for reproducible output
unset DREAMD_CONFIG NO_COLOR
cd "$T" || exit 1
trap 'rc=$?; if [ $rc -eq 0 ]; then rm -rf "$T"; else echo "(kept $T)"; fi' EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# expect_exit CODE CMD...: runs CMD, fails unless it exits CODE.
expect_exit() {
	want=$1; shift
	"$@"
	got=$?
	[ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want"
}

# compare EXPECTED-FILE ACTUAL-FILE
compare() {
	diff -u "$1" "$2" || fail "output differs from $1"
}

# expect_events WANT FILE: `events FILE` warns of nothing and gives the
# events of WANT ({kind, tool, text, is_error, exit_code} lines); the output
# is left in out.jsonl.
expect_events() {
	"$DREAMD" events --user alice "$2" > out.jsonl 2> err.txt || fail "events $2: $(cat err.txt)"
	expect_eq "$2 warnings" "" "$(cat err.txt)"
	jq -c 'select(.kind) | {kind, tool, text, is_error, exit_code}' out.jsonl > got.jsonl
	compare "$1" got.jsonl
}

# new_store: an empty store at $DREAMD_DB, made as a writer makes it (a run
# over an empty spool), its run record dropped, for a test that loads a
# fixture of its own into it (readers never create a store).
new_store() {
	mkdir -p "$T/.no-spool" && "$DREAMD" -q run --spool "$T/.no-spool" &&
		sqlite3 "$DREAMD_DB" 'DELETE FROM runs' && rmdir "$T/.no-spool"
}

# A config that ingests files at once (no idle window), plus extra YAML.
write_config() {
	{ echo "ingest:"; echo "  idle_minutes: 0"; cat; } > "$T/config.yaml"
	export DREAMD_CONFIG="$T/config.yaml"
}

# spool_add USER SRC [NAME]: compresses SRC into the spool as USER's.
spool_add() {
	mkdir -p "$T/spool/$1"
	zstd -q -f -o "$T/spool/$1/${3:-$(basename "$2")}.zst" "$2" || fail "zstd $2"
}

# real_spool_others GEMINI OTHERS COPILOT: the real Gemini CLI (user GEMINI),
# OpenHands and SWE-agent (OTHERS) and Copilot CLI (COPILOT) transcripts into
# $T/spool, under the names their agents give them.
real_spool_others() {
	for f in "$REAL"/gemini-cli/*.json; do spool_add "$1" "$f" "session-$(basename "$f")"; done
	spool_add "$2" "$REAL/openhands/demo1.json"
	spool_add "$2" "$REAL/openhands/multi_swe_bench_examples/output.jsonl"
	for f in "$REAL"/swe-agent/*.traj; do spool_add "$2" "$f"; done
	i=0
	for f in "$REAL"/copilot-cli/*.jsonl; do
		i=$((i + 1)); mkdir -p "$T/spool/$3/s$i"; spool_add "$3" "$f" "s$i/events.jsonl"
	done
}

# sample NAME: the project's sample transcript NAME (tests/data/samples/
# USER/NAME.jsonl.zst: s01-alice, rollout-s02-bob, ...) uncompressed into
# $T/samples; prints its path.
sample() {
	mkdir -p "$T/samples"
	[ -f "$T/samples/$1.jsonl" ] ||
		zstd -q -dc "$TOP"/tests/data/samples/*/"$1.jsonl.zst" > "$T/samples/$1.jsonl" ||
		fail "no sample '$1'"
	echo "$T/samples/$1.jsonl"
}

# sample_spool: every sample transcript, as a spool under $T/spool.
sample_spool() {
	mkdir -p "$T/spool" && cp -R "$TOP"/tests/data/samples/*/ "$T/spool/" || fail "sample spool"
}

# scenario_spool: the scenario's sessions (tests/scenario/gen.sh, raw in
# $T/raw) as a spool under $T/spool.
scenario_spool() {
	sh "$TOP/tests/scenario/gen.sh" "$T/raw" || fail "gen.sh exited $?"
	for d in "$T"/raw/*; do
		for f in "$d"/*.jsonl; do
			spool_add "$(basename "$d")" "$f"
		done
	done
}

# golden NAME CMD...: runs CMD into $T/NAME and compares it with
# tests/golden/NAME; with UPDATE_GOLDEN=1 it rewrites the golden file
# instead (after a deliberate change: review the git diff).
golden() {
	name=$1; shift
	"$@" > "$T/$name" 2> "$T/$name.err" || fail "'$*' exited $?: $(cat "$T/$name.err")"
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$T/$name" "$TOP/tests/golden/$name"
	else
		compare "$TOP/tests/golden/$name" "$T/$name"
	fi
}

# need_real_transcripts [SUBDIR...]: skips the test (exit 77, the real tier)
# unless $REAL holds every SUBDIR (claude-code, codex, ...).
need_real_transcripts() {
	for d in "$REAL" ${1+"$@"}; do
		case $d in "$REAL") ;; *) d=$REAL/$d ;; esac
		[ -d "$d" ] && continue
		trap - EXIT
		rm -rf "$T"
		echo "real transcripts not found (set DREAMD_REAL_TRANSCRIPTS)"
		exit 77
	done
}

# real_spool: the real Claude Code transcripts under $T/spool, compressed,
# subagent folders and all; sessions alternate between users alice and bob.
real_spool() {
	need_real_transcripts claude-code
	src=$REAL/claude-code
	i=0
	for f in "$src"/*.jsonl; do
		base=$(basename "$f" .jsonl)
		user=alice; [ $((i % 2)) -eq 1 ] && user=bob
		i=$((i + 1))
		spool_add $user "$f"
		if [ -d "$src/$base" ]; then
			for s in "$src/$base"/subagents/*.jsonl; do
				mkdir -p "$T/spool/$user/$base/subagents"
				zstd -q -f -o "$T/spool/$user/$base/subagents/$(basename "$s").zst" "$s" ||
					fail "zstd $s"
			done
		fi
	done
	# A subagent transcript whose parent is missing stands alone.
	for d in "$src"/*/; do
		base=$(basename "$d")
		[ -f "$src/$base.jsonl" ] && continue
		for s in "$d"subagents/*.jsonl; do
			mkdir -p "$T/spool/carol/$base/subagents"
			zstd -q -f -o "$T/spool/carol/$base/subagents/$(basename "$s").zst" "$s" ||
				fail "zstd $s"
		done
	done
}

# sql QUERY: runs QUERY on the test's store.
sql() {
	sqlite3 -batch -noheader "$DREAMD_DB" "$1"
}
