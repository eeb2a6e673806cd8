#!/bin/sh
# Every kind of bad input in one spool: the run ingests the good sessions,
# quarantines each bad input with one message naming file(:line), counts
# them in `status`, and exits 65. Hostile settings (a billion-laughs YAML
# bomb, 100k-deep nesting) are refused at once with exit 78.
. "$TOP/tests/lib.sh"
. "$TOP/tests/lib-reliability.sh"

# Settings first: they need no run.
yaml_bomb() {
	printf 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
	prev=a
	for k in b c d e f g h i j; do
		printf '%s: &%s [*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s,*%s]\n' $k $k \
			$prev $prev $prev $prev $prev $prev $prev $prev $prev
		prev=$k
	done
}
yaml_bomb > bomb.yaml
{ printf 'ingest:\n  idle_minutes: '; head -c 100000 /dev/zero | tr '\0' '['; echo; } > deep.yaml
{ printf 'ingest: '; i=0; while [ $i -lt 2000 ]; do printf '{a: '; i=$((i + 1)); done; echo; } > deepmap.yaml
for y in bomb.yaml deep.yaml deepmap.yaml; do
	start=$(date +%s%N)
	"$DREAMD" --config "$y" status > /dev/null 2> y.err
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	expect_eq "exit for $y" 78 $rc
	expect_eq "lines for $y" 1 "$(wc -l < y.err)"
	grep -q "^dreamd: error: .*'$y:[0-9]*:[0-9]*'\$" y.err || fail "$y: no file:line:column: $(cat y.err)"
	[ $ms -lt 1000 ] || fail "$y took ${ms} ms"
done

need run status
write_config <<'EOF2'
  max_file_bytes: 8388608
  max_line: 1048576
  max_depth: 64
EOF2

good=$(sample rollout-s05-dave)
s=$T/spool/mallory
mkdir -p "$s"
spool_add alice "$good"
spool_add bob "$(sample s03-carol)"
zstd -q -c "$good" > good.zst
size=$(wc -c < good.zst)

# Whole files that cannot be read.
head -c $((size / 2)) good.zst > "$s/truncated.jsonl.zst"
cp good.zst "$s/corrupt.jsonl.zst"
printf '\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377\377' |
	dd of="$s/corrupt.jsonl.zst" bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
{ cat good.zst; printf 'this is trailing garbage, not a frame'; } > "$s/trailing.jsonl.zst"
# A frame that needs a 2 GiB window (over window_log_max 27): streamed, so
# the header keeps the window.
cat "$good" | zstd -q --long=31 -c > "$s/window.jsonl.zst" ||
	fail "zstd --long=31"
# 64 MiB of empty lines in 2 KiB: blank lines count against max_events
# as they stream, so it stops after 200,000 of them (line 200,001).
head -c 64M /dev/zero | tr '\0' '\n' | zstd -q -c > "$s/bomb.jsonl.zst"
: > "$s/empty.jsonl.zst"
head -c 3000 "$good" > notzstd && mv notzstd "$s/notzstd.jsonl.zst"
printf '{"foo": 1, "bar": [1, 2]}\n{"baz": "qux"}\n' | zstd -q -c > "$s/unknown-format.jsonl.zst"

# Distinct sessions with one bad line each (line 5), and one behind a
# skippable frame (valid zstd: not bad, read as usual).
corpus_gen -f 0 -n 5 -t 3 -u 1 -p 1 "$T/gen"
set -- $(find "$T/gen" -name '*.jsonl' | sort)
badline() {	# NAME FILE LINE-TEXT
	{ head -n 4 "$2"; printf '%s\n' "$3"; tail -n +5 "$2"; } | zstd -q -c > "$s/$1.jsonl.zst"
}
badline nonjson "$1" 'this line is not JSON {'
badline badutf8 "$2" "$(printf '{"type":"user","message":{"role":"user","content":"caf\303\251 \377\376 bad"},"uuid":"x"}')"
deep=$(head -c 200 /dev/zero | tr '\0' '[')$(head -c 200 /dev/zero | tr '\0' ']')
badline deep "$3" "{\"type\":\"user\",\"x\":$deep}"
long=$(head -c 1100000 /dev/zero | tr '\0' 'a')
badline overlong "$4" "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"$long\"}}"
{ printf '\120\052\115\030\010\000\000\000skipskip'; zstd -q -c "$5"; } > "$s/skippable.jsonl.zst"

find "$T/spool" -type f -exec touch -d '1 hour ago' {} +
start=$(date +%s)
"$DREAMD" run --spool "$T/spool" > run.out 2> run.err
rc=$?
secs=$(( $(date +%s) - start ))
cat run.err
expect_eq "run exit" 65 $rc
[ $secs -lt 30 ] || fail "the run took ${secs}s"
n=$(grep -c "^dreamd: warning: session over the event or size limit, the rest dropped '$s/bomb.jsonl.zst:200001'\$" run.err)
expect_eq "messages for bomb" 1 "$n"
for f in truncated corrupt trailing window empty notzstd unknown-format; do
	n=$(grep -v "belongs to user" run.err | grep -c "^dreamd: warning: .*'$s/$f.jsonl.zst'\$")
	expect_eq "messages for $f" 1 "$n"
done
# The part of trailing.jsonl.zst that could be read is alice's session: a clash.
n=$(grep -c "^dreamd: warning: session 's05-dave' belongs to user 'alice', not replaced '$s/trailing.jsonl.zst'\$" run.err)
expect_eq "clash for trailing" 1 "$n"
for f in nonjson:5 badutf8:5:58 deep:5 overlong:5; do
	n=$(grep -c "^dreamd: warning: .*'$s/${f%%:*}.jsonl.zst:${f#*:}'\$" run.err)
	expect_eq "messages for $f" 1 "$n"
done
grep -q "skippable" run.err && fail "the skippable frame was reported"
grep -v '^dreamd: warning: ' run.err && fail "stray lines on stderr"

"$DREAMD" status --format json > status.json || fail "status exited $?"
expect_eq "quarantined" 13 "$(jq .quarantined.count status.json)"
# alice's, bob's, and mallory's skippable one and four with a bad line.
expect_eq "sessions" 7 "$(jq .sessions.count status.json)"

# A second run has nothing new: no new messages, the same count.
spool_run 2
"$DREAMD" status --format json > status2.json
expect_eq "quarantined after a re-run" 13 "$(jq .quarantined.count status2.json)"
