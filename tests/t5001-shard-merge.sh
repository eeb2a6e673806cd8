#!/bin/sh
# Sharded runs and exact merges: N workers (`run --shard K/N`, run here as N
# background processes, as a Kubernetes Indexed Job or a Slurm array runs
# them) and one `merge` publish the generation one `run` over the whole
# spool publishes, byte for byte: export, diff and the memory tables, for
# N = 1, 2 and 5. A session split over two files that land in different
# shards is merged as run merges two files of one session; another user's
# session id is quarantined as run does. Merging again changes nothing; a
# partial made with other rules or another schema is refused.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-shard.sh"
. "$TOP/tests/lib-reliability.sh"

sh "$TOP/tests/scenario/gen.sh" "$T/raw" || fail "gen.sh exited $?"
for d in "$T"/raw/*; do
	for f in "$d"/*.jsonl; do
		[ "${f##*/}" = s01-alice.jsonl ] || spool_add "$(basename "$d")" "$f"
	done
done
corpus_gen -f 0 -n 16 -t 4 -u 3 -p 2 "$T/gen"
zstd_all "$T/gen"
cp -R "$T/gen"/. "$T/spool/"
# One session only in two files of one user, each with events the other
# lacks, under names that hash to different shards of five; and a file of
# bob's with alice's session id.
src=$(sample s01-alice)
n=$(wc -l < "$src")
head -n $((n / 2)) "$src" > part-a.jsonl
{ head -n 2 "$src"; tail -n +$((n / 2 + 1)) "$src"; } > part-b.jsonl
spool_add alice part-a.jsonl split-a.jsonl
spool_add alice part-b.jsonl split-c.jsonl
spool_add bob "$(sample s04-alice)" stolen.jsonl
write_config </dev/null


"$DREAMD" -q --db one.db run --spool "$T/spool" 2>one.err
expect_eq "one run" 65 $?
dump one.db one
[ "$(jq '.memories | length' one.export)" -gt 5 ] || fail "too few memories to compare"
expect_eq "the split session, merged" "2" \
	"$(sqlite3 one.db "SELECT files FROM sessions WHERE id = 's01-alice'")"

for N in 1 2 5 12; do
	pids=
	K=0
	while [ $K -lt $N ]; do
		"$DREAMD" -q --db "part$K-of$N.db" run --shard "$K/$N" --spool "$T/spool" \
			2>/dev/null &
		pids="$pids $!"
		K=$((K + 1))
	done
	for p in $pids; do
		wait "$p"
		rc=$?
		[ $rc -eq 0 ] || [ $rc -eq 65 ] || fail "a shard of $N exited $rc"
	done
	[ "$(sqlite3 part0-of$N.db 'SELECT count(*) FROM generations')" = 0 ] ||
		fail "shard 0/$N curated"
	# shellcheck disable=SC2046
	"$DREAMD" -q --db "merged$N.db" merge $(ls part*-of$N.db | LC_ALL=C sort -r) 2>merged$N.err
	expect_eq "merge of $N" 65 $?
	# bob's stolen session id, where the merge finds it (alice's session in
	# another partial): the line run prints, a warning, not an error.
	grep 'belongs to user' merged$N.err >> clash.err
	dump "merged$N.db" "merged$N"
	for what in export diff mem primary; do
		compare one.$what merged$N.$what
	done
done
expect_eq "merge's clash lines" "$(grep 'belongs to user' one.err)" "$(sort -u clash.err)"
# The split session fell into two shards of five (else the test proves less).
for p in part*-of5.db; do
	sqlite3 "$p" "SELECT 1 FROM sessions WHERE id = 's01-alice'" || fail "sqlite3 $p"
done > split
expect_eq "split over shards" 2 "$(wc -l < split)"

# Merging again, in any order, changes nothing.
cp merged5.db again.db
"$DREAMD" -q --db again.db merge part4-of5.db part0-of5.db part2-of5.db 2>/dev/null
expect_eq "merge again" 0 $?
dump again.db again
for what in export diff mem primary; do
	compare merged5.$what again.$what
done
expect_eq "no new generation" 1 "$(sqlite3 again.db 'SELECT max(gen) FROM generations')"

# Other rules: refused (78), nothing merged.
printf 'extract:\n  disable: [preferences]\n' | write_config
expect_exit 78 "$DREAMD" -q --db other.db merge part0-of2.db 2>err
grep -q "partial store was made with other rules or settings" err || fail "rules: $(cat err)"
expect_eq "nothing merged" 0 "$(sqlite3 other.db 'SELECT count(*) FROM sessions')"
write_config </dev/null
# Another schema: refused (78).
cp part0-of2.db old.db
sqlite3 old.db 'PRAGMA user_version = 3'
expect_exit 78 "$DREAMD" -q --db other.db merge part1-of2.db old.db 2>err
grep -q "partial store has schema 3" err || fail "schema: $(cat err)"
expect_eq "nothing merged" 0 "$(sqlite3 other.db 'SELECT count(*) FROM sessions')"
# The store itself, by its path, another path or a hard link: refused (64),
# the store unchanged.
ln merged5.db merged5-link.db || fail "ln"
cp merged5.db self-before.db
for self in merged5.db ./merged5.db merged5-link.db; do
	expect_exit 64 "$DREAMD" -q --db merged5.db merge part0-of5.db "$self" 2>err
	grep -q "'$self' is the store merged into" err || fail "self $self: $(cat err)"
done
cmp merged5.db self-before.db || fail "merging the store into itself changed it"
# A store that records no rules (no shard run, no curation): refused (78).
cp part0-of2.db norules.db
sqlite3 norules.db 'DELETE FROM shards; UPDATE runs SET curated = NULL'
expect_exit 78 "$DREAMD" -q --db other.db merge norules.db 2>err
grep -q "partial store records no rules or settings" err || fail "no rules: $(cat err)"
# Not a store (65), missing (66), bad --shard (64).
echo junk > junk.db
expect_exit 65 "$DREAMD" -q --db other.db merge junk.db 2>/dev/null
expect_exit 66 "$DREAMD" -q --db other.db merge nowhere.db 2>/dev/null
for bad in 2/2 x/2 1/0 1 -1/3 1/2x; do
	expect_exit 64 "$DREAMD" -q --db x.db run --shard "$bad" --spool "$T/spool" 2>/dev/null
done
exit 0
