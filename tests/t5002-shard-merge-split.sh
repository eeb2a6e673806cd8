#!/bin/sh
# One session in three files that fall into different shards, and a merged
# session over the event limit. The shard is a hash of the spool user and
# the file's name (the id Claude Code names a file by), so files of one
# session under other names (codemie's turn-1.jsonl, turn-2.jsonl) can land
# in different shards: merging the partials gives, byte for byte, what one
# run gives, for N = 2 and 3. A union of two readings over ingest.max_events
# keeps its earliest events, is reported and quarantined as too-many-events,
# in a run as in a merge, and merging again changes nothing.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-shard.sh"
. "$TOP/tests/lib-reliability.sh"

sh "$TOP/tests/scenario/gen.sh" "$T/raw" || fail "gen.sh exited $?"
for d in "$T"/raw/*; do
	for f in "$d"/*.jsonl; do
		[ "${f##*/}" = s01-alice.jsonl ] || spool_add "$(basename "$d")" "$f"
	done
done
# s01-alice in three files, each with events the others lack (the first
# two lines in each, as a session written again starts as it did).
src=$(sample s01-alice)
n=$(wc -l < "$src")
k=$((n / 3))
head -n $k "$src" > third-1.jsonl
{ head -n 2 "$src"; sed -n "$((k + 1)),$((2 * k))p" "$src"; } > third-2.jsonl
{ head -n 2 "$src"; tail -n +$((2 * k + 1)) "$src"; } > third-3.jsonl
# Names that split them: of two shards, the first and the last file in
# one, the middle one in the other (the partial holds a union the run never
# made); of three, one in each.
spool_add alice third-1.jsonl part-1.jsonl
spool_add alice third-2.jsonl turn-2.jsonl
spool_add alice third-3.jsonl turn-3.jsonl
write_config </dev/null

# shards N PREFIX: N workers at once, then a merge into PREFIX.db; exit in $rc.
shards() {
	pids= K=0
	while [ $K -lt "$1" ]; do
		"$DREAMD" -q --db "$2-part$K.db" run --shard "$K/$1" --spool "$T/spool" 2>/dev/null &
		pids="$pids $!"
		K=$((K + 1))
	done
	for p in $pids; do
		wait "$p"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "a shard of $1 exited $rc"
	done
	# shellcheck disable=SC2046
	"$DREAMD" --db "$2.db" merge $(ls "$2"-part*.db | LC_ALL=C sort -r) 2> "$2.err"
	rc=$?
}

"$DREAMD" -q --db one.db run --spool "$T/spool" 2>/dev/null
expect_eq "one run" 0 $?
dump one.db one
[ "$(jq '.memories | length' one.export)" -gt 3 ] || fail "too few memories to compare"
expect_eq "three files, one session" "3|$(sqlite3 one.db "SELECT count(*) FROM files")" \
	"$(sqlite3 one.db "SELECT files, (SELECT count(*) FROM files) FROM sessions WHERE id = 's01-alice'")"
for N in 2 3; do
	shards $N split$N
	expect_eq "merge of $N" 0 $rc
	dump split$N.db split$N
	for what in export diff mem primary; do
		compare one.$what split$N.$what
	done
	# The three files fell into more than one shard (else this proves less).
	for p in split$N-part*.db; do
		sqlite3 "$p" "SELECT 1 FROM sessions WHERE id = 's01-alice'" || fail "sqlite3 $p"
	done > where
	expect_eq "N = $N: s01-alice in $N shards" $N "$(wc -l < where)"
done
for p in split2-part*.db; do
	sqlite3 "$p" "SELECT group_concat(substr(path, length(path) - 15), ' ') FROM
		(SELECT path FROM files WHERE session_id = 's01-alice' ORDER BY path)"
done > where
expect_eq "two shards: the first and the last file in one" \
	"part-1.jsonl.zst turn-3.jsonl.zst|turn-2.jsonl.zst" "$(LC_ALL=C sort where | paste -sd '|')"

# Over the limit: two readings of one session, 80 events each, 120 in all.
rm -rf "$T/spool" && mkdir -p "$T/spool"
i=1
while [ $i -le 120 ]; do
	printf '{"type":"user","sessionId":"big","cwd":"/srv/big","timestamp":"2026-11-10T10:%02d:%02d.000Z","message":{"role":"user","content":"step %d"}}\n' \
		$((i / 60)) $((i % 60)) $i
	i=$((i + 1))
done > big.jsonl
head -n 80 big.jsonl > big-a.jsonl
tail -n 80 big.jsonl > big-b.jsonl
spool_add alice big-a.jsonl turn-1.jsonl
spool_add alice big-b.jsonl turn-2.jsonl
printf '  max_events: 100\n' | write_config
"$DREAMD" --db capone.db run --spool "$T/spool" 2> err
expect_eq "capped run" 65 $?
first=$(( $(date -u -d 2026-11-10T10:00:01Z +%s) * 1000 ))
expect_eq "capped: the earliest 100" "100|$first|$((first + 99000))" \
	"$(sqlite3 capone.db "SELECT events, started_at, ended_at FROM sessions")"
grep -q "^dreamd: warning: session 'big' merged over the event or size limit, 20 events dropped '$T/spool/alice/turn-2.jsonl.zst'\$" err ||
	fail "capped run: $(cat err)"
expect_eq "capped: quarantined" "too-many-events" "$(sqlite3 capone.db 'SELECT kind FROM quarantine')"
dump capone.db capone
shards 2 cap
expect_eq "capped merge" 65 $rc
grep -q "^dreamd: warning: session 'big' merged over the event or size limit, 20 events dropped" \
	cap.err || fail "capped merge: $(cat cap.err)"
for p in cap-part*.db; do
	sqlite3 "$p" "SELECT events FROM sessions" || fail "sqlite3 $p"
done > where
expect_eq "capped: in two shards" "80 80" "$(paste -sd ' ' where)"
dump cap.db cap
for what in export diff mem primary; do
	compare capone.$what cap.$what
done
expect_eq "capped merge: the earliest 100" "100|$first|$((first + 99000))" \
	"$(sqlite3 cap.db "SELECT events, started_at, ended_at FROM sessions")"
cp cap.db again.db
"$DREAMD" -q --db again.db merge cap-part0.db cap-part1.db 2>/dev/null
expect_eq "merge again" 0 $?
dump again.db again
for what in export diff mem primary; do
	compare cap.$what again.$what
done
exit 0
