#!/bin/sh
# Memory stays bounded under hostile input, whatever --jobs says: lines
# longer than the first buffer, and big sessions, are read a few at a time
# under the run's ingest.memory_budget (dreamd/budget.c). Four files of one
# 15 MB line each: the peak RSS at --jobs 4 stays within a line's worth of
# the peak at --jobs 1 (it was four lines' worth). Measured with getrusage
# (tests/gen/rusage.c), never timed; ASan's quarantine is turned off for
# these runs, or freed memory would count. --jobs is capped at four a core.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"
need run
${CC:-cc} -O1 -o "$T/rusage" "$TOP/tests/gen/rusage.c" || fail "cannot build rusage"
write_config <<'YAML'
  max_line: 16777216
  max_session_bytes: 1048576
  memory_budget: 67108864
YAML
mkdir -p big/alice
i=0
line=$(head -c 15000000 /dev/zero | tr '\0' 'a')
for i in 1 2 3 4; do
	printf '{"type":"user","sessionId":"big%s","message":{"role":"user","content":"%s"}}\n' \
		"$i" "$line" | zstd -q -o "big/alice/b$i.jsonl.zst" || fail "zstd"
done
unset line
peak() {	# JOBS [SPOOL]: the peak RSS in MB of a run from an empty store
	rm -f "$DREAMD_DB"*
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0 \
		"$T/rusage" "$T/ru" "$DREAMD" run --jobs "$1" --spool "${2:-big}" 2> run.err ||
		fail "run --jobs $1 exited $?: $(cat run.err)"
	echo $(($(cut -d' ' -f2 "$T/ru") / 1024))
}
one=$(peak 1)
four=$(peak 4)
echo "peak RSS: ${one} MB at --jobs 1, ${four} MB at --jobs 4"
[ "$four" -lt $((one + 80)) ] ||
	fail "--jobs 4 peaked at ${four} MB, ${one} MB at --jobs 1: the big lines were read at once"
expect_eq "sessions stored" 4 "$(sql 'SELECT count(*) FROM sessions')"
# --jobs is capped at four workers a core: 256 costs what the cap costs
# (each worker has buffers and extractor state of its own).
cap=$((4 * $(nproc)))
if [ $cap -lt 256 ]; then
	mkdir -p small/alice
	for i in 1 2 3 4 5 6 7 8; do spool_add alice "$(sample s01-alice)" "s$i.jsonl"; done
	mv "$T"/spool/alice/* small/alice/
	capped=$(peak $cap small)
	most=$(peak 256 small)
	echo "peak RSS: ${capped} MB at --jobs $cap, ${most} MB at --jobs 256"
	[ "$most" -lt $((capped + 40)) ] || fail "--jobs 256 peaked at ${most} MB, ${capped} MB at --jobs $cap"
fi
