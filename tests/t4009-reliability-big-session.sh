#!/bin/sh
# One big session costs what a small one does: past ingest.session_memory
# its older texts wait in an unlinked temporary file (dreamd/common/spill.c),
# its digest is compressed as it is written and goes into the store a piece
# at a time. Measured with getrusage (tests/gen/rusage.c), never timed: a
# session four times the size peaks within a few MB of the smaller one
# (it held its text twice over before). Whether spilled or not, a run stores
# the same bytes: digests, observations, export, and a grown session merged
# with its stored reading; with no room for a temporary file it says so
# and holds the text in memory, storing the same again.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run
${CC:-cc} -O1 -o "$T/rusage" "$TOP/tests/gen/rusage.c" || fail "cannot build rusage"

# session FILE TURNS [FROM]: a Claude Code session, every turn a long tool
# output; one in five fails as the first turn does.
session() {
	awk -v turns="$2" -v from="${3:-0}" 'BEGIN {
		for (i = from; i < turns; i++) {
			printf "{\"type\":\"user\",\"sessionId\":\"big\",\"cwd\":\"/srv/app\"," \
			       "\"timestamp\":\"2026-11-10T%02d:%02d:%02d.000Z\",\"message\":" \
			       "{\"content\":\"run the tests again, turn %d\"}}\n",
			       10 + int(i / 3600) % 10, int(i / 60) % 60, i % 60, i
			printf "{\"type\":\"assistant\",\"sessionId\":\"big\",\"message\":{\"id\":" \
			       "\"m%d\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t%d\",\"name\":" \
			       "\"Bash\",\"input\":{\"command\":\"npm test -- --shard %d\"}}]}}\n",
			       i, i, i % 7
			out = i % 5 ? "" : "Exit code 1\\nError: Cannot find module '\''left-pad'\''\\n"
			for (k = 0; k < 60; k++)
				out = out sprintf("line %d of turn %d: %08d checked %d\\n", k, i,
						  (i * 7919 + k * 104729) % 100000000, k * i % 977)
			printf "{\"type\":\"user\",\"sessionId\":\"big\",\"message\":{\"content\":" \
			       "[{\"type\":\"tool_result\",\"tool_use_id\":\"t%d\",\"is_error\":%s," \
			       "\"content\":\"%s\"}]}}\n", i, i % 5 ? "false" : "true", out
		}
	}' > "$1" || fail "awk"
}
write_config <<'YAML'
  session_memory: 1048576
YAML
cp "$T/config.yaml" small-memory.yaml

# Peak memory: 4 times the session, a few MB more (the events' records and
# the store's page cache), not 4 times the text.
mkdir -p s8/alice s32/alice
session s8/alice/big.jsonl 3000
session s32/alice/big.jsonl 12000
zstd -q --rm s8/alice/big.jsonl s32/alice/big.jsonl || fail "zstd"
peak() {	# SPOOL: the peak RSS in MB of a run from an empty store
	rm -f "$DREAMD_DB"*
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		"$T/rusage" "$T/ru" "$DREAMD" run --jobs 1 --spool "$1" 2> run.err ||
		fail "run on $1 exited $?: $(cat run.err)"
	expect_eq "events of $1" "$(($(echo "$1" | tr -d s) * 1125))" \
		"$(sql 'SELECT events FROM sessions')"
	echo $(($(cut -d' ' -f2 "$T/ru") / 1024))
}
small=$(peak s8)
big=$(peak s32)
mb=$(($(zstd -dc s32/alice/big.jsonl.zst | wc -c) / 1000000))
echo "peak RSS: ${small} MB for a quarter, ${big} MB for a ${mb} MB session"
[ "$big" -lt $((small + 16)) ] ||
	fail "the ${mb} MB session peaked at ${big} MB, a quarter of it at ${small} MB"

# The same store spilled or not; a session read again from a second file
# (turns 3000 on, where the first has turns up to 6000) merges with its
# stored reading the same way too.
mkdir -p half/alice
session half/alice/big.jsonl 6000
session later.jsonl 8000 3000
zstd -q --rm half/alice/big.jsonl || fail "zstd"
spool_add bob "$(sample rollout-s02-bob)"
mv "$T/spool/bob" half/
stores() {	# NAME CONFIG [ENV...]: two runs and what they stored, into NAME.*
	name=$1 cfg=$2
	shift 2
	rm -rf "$name.spool" && cp -r half "$name.spool"
	rm -f "$DREAMD_DB"*
	env "$@" "$DREAMD" --config "$cfg" run --spool "$name.spool" 2> "$name.err" ||
		fail "$name: run exited $?: $(cat "$name.err")"
	zstd -q -o "$name.spool/alice/big-2.jsonl.zst" later.jsonl || fail "zstd"
	env "$@" "$DREAMD" --config "$cfg" run --spool "$name.spool" 2>> "$name.err" ||
		fail "$name: second run exited $?: $(cat "$name.err")"
	sql 'SELECT id, user, events, content_hash, hex(digest) FROM sessions ORDER BY id' |
		cksum > "$name.sessions"
	sql 'SELECT * FROM observations ORDER BY 1, 2, 3' > "$name.obs"
	"$DREAMD" export --format json > "$name.export" || fail "$name: export"
	env "$@" "$DREAMD" --config "$cfg" reconsolidate > "$name.recon" 2>> "$name.err" ||
		fail "$name: reconsolidate exited $?: $(cat "$name.err")"
	env "$@" "$DREAMD" --config "$cfg" events "$name.spool/alice/big-2.jsonl.zst" 2>> "$name.err" |
		cksum > "$name.events"
}
printf 'ingest:\n  idle_minutes: 0\n  session_memory: 1073741824\n' > in-memory.yaml
printf 'ingest:\n  idle_minutes: 0\n  session_memory: 65536\n' > spilled.yaml
mkdir tmp
stores held in-memory.yaml
stores spilled spilled.yaml TMPDIR="$T/tmp"
expect_eq "sessions stored" 2 "$(sql 'SELECT count(*) FROM sessions')"
expect_eq "the grown session" 24000 "$(sql "SELECT events FROM sessions WHERE id = 'big'")"
for f in sessions obs export recon events; do
	cmp -s "held.$f" "spilled.$f" || fail "spilled and held in memory differ in $f"
done
[ -s held.obs ] || fail "no observations at all"
expect_eq "files left in TMPDIR" "" "$(ls -A tmp)"

# No room for a temporary file: said once a command (two runs, reconsolidate,
# events), held in memory, the same stored.
stores noroom spilled.yaml TMPDIR="$T/no-such-dir"
expect_eq "warnings, once a command" 4 \
	"$(grep -c "warning: cannot spill session 'big' to a temporary file" noroom.err)"
for f in sessions obs export recon events; do
	cmp -s "held.$f" "noroom.$f" || fail "held for want of a file and held in memory differ in $f"
done

# The disk fills while a session is spilled, or while its digest is
# written: what was written comes back, the rest stays in memory, said once.
stores fulltext spilled.yaml TMPDIR="$T/tmp" DREAMD_FAULT=spill:100
stores fulldigest spilled.yaml TMPDIR="$T/tmp" DREAMD_FAULT=spill-digest:3
grep -q "warning: cannot spill session 'big' to a temporary file (No space left on device)" \
	fulltext.err || fail "no warning of the full disk: $(cat fulltext.err)"
grep -q "warning: cannot write a digest to a temporary file (No space left on device)" \
	fulldigest.err || fail "no warning of the full disk: $(cat fulldigest.err)"
for f in sessions obs export recon events; do
	cmp -s "held.$f" "fulltext.$f" || fail "spilled till the disk filled: $f differs"
	cmp -s "held.$f" "fulldigest.$f" || fail "digest written till the disk filled: $f differs"
done
expect_eq "files left in TMPDIR" "" "$(ls -A tmp)"

# Sharded, the two files of the big session in two partials, spilled: the
# merge reads each partial's digest in pieces and stores what one run does.
for K in 0 1; do
	"$DREAMD" -q --config spilled.yaml --db "part$K.db" run --shard "$K/2" \
		--spool spilled.spool 2>> shard.err || fail "shard $K exited $?: $(cat shard.err)"
done
in=$(for K in 0 1; do sqlite3 "part$K.db" "SELECT count(*) FROM sessions WHERE id = 'big'"; done |
	tr -d '\n')
expect_eq "partials holding the big session (else this proves less)" 11 "$in"
TMPDIR="$T/tmp" "$DREAMD" --config spilled.yaml --db merged.db merge part0.db part1.db \
	2> merge.err || fail "merge exited $?: $(cat merge.err)"
DREAMD_DB=$T/merged.db
sql 'SELECT id, user, events, content_hash, hex(digest) FROM sessions ORDER BY id' |
	cksum > merged.sessions
sql 'SELECT * FROM observations ORDER BY 1, 2, 3' > merged.obs
cmp -s held.sessions merged.sessions || fail "the merged shards' sessions differ"
cmp -s held.obs merged.obs || fail "the merged shards' observations differ"
expect_eq "files left in TMPDIR" "" "$(ls -A tmp)"

# CPU is bounded too: results pair with their calls through an index by id
# (extractors/call-ids.c), so 60000 results naming no call cost little;
# each was a walk over every call before (a minute of CPU, here
# capped at 30 s).
mkdir -p orphans/alice
awk 'BEGIN {
	print "{\"type\":\"user\",\"sessionId\":\"orphans\",\"message\":{\"content\":\"go\"}}"
	for (i = 0; i < 60000; i++)
		printf "{\"type\":\"assistant\",\"sessionId\":\"orphans\",\"message\":{\"id\":\"m%d\"," \
		       "\"content\":[{\"type\":\"tool_use\",\"id\":\"t%d\",\"name\":\"Bash\"," \
		       "\"input\":{\"command\":\"ls\"}}]}}\n", i, i
	for (i = 0; i < 60000; i++)
		printf "{\"type\":\"user\",\"sessionId\":\"orphans\",\"message\":{\"content\":" \
		       "[{\"type\":\"tool_result\",\"tool_use_id\":\"x%d\",\"content\":\"ok\"}]}}\n", i
}' > orphans/alice/o.jsonl || fail "awk"
(ulimit -t 30 && exec "$DREAMD" --db orphans.db run --spool orphans) 2> orphans.err ||
	fail "60000 results naming no call: run exited $? (past 128: killed, out of CPU time): $(cat orphans.err)"
expect_eq "events" 120001 "$(sqlite3 orphans.db 'SELECT events FROM sessions')"
