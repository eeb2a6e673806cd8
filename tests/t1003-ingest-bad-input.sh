#!/bin/sh
# Each kind of bad input: one warning naming file (and line), recorded in
# the session (bad_inputs), and every other session still processed.
. "$TOP/tests/lib.sh"
good=$(sample s01-alice)
zstd -q -f -o good.jsonl.zst "$good"
zstd -q -f -o heavy.jsonl.zst "$(sample rollout-s05-dave)"
good_turns=$(jq -s -c -f "$TOP/tests/jq/claude-counts.jq" "$good" | jq .user_turns)

# run NAME FILE...: dreamd events on good, FILE..., good; keeps out/err.
run() {
	name=$1; shift
	"$DREAMD" events good.jsonl.zst "$@" good.jsonl.zst > out.jsonl 2> err.txt
	rc=$?
	[ $rc -eq 65 ] || [ $rc -eq 0 ] || fail "$name: exit $rc: $(cat err.txt)"
	expect_eq "$name: good sessions before and after" "$good_turns $good_turns" \
		"$(jq -r 'select(.dreamd_events and .session == "s01-alice" and .bad_inputs == 0) | .user_turns' out.jsonl | tr '\n' ' ' | sed 's/ $//')"
}

# expect_warning NAME TEXT: err.txt has exactly one line, this one.
expect_warning() {
	expect_eq "$1: warning" "dreamd: warning: $2" "$(cat err.txt)"
}

# Whole-file problems.
head -c $(( $(wc -c < heavy.jsonl.zst) / 2 )) heavy.jsonl.zst > truncated.jsonl.zst
run truncated truncated.jsonl.zst
expect_warning truncated "truncated zstd frame 'truncated.jsonl.zst'"
[ $rc -eq 65 ] || fail "truncated: exit $rc, expected 65"

{ head -c 200 heavy.jsonl.zst; printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'; tail -c +249 heavy.jsonl.zst; } > corrupt.jsonl.zst
run corrupt corrupt.jsonl.zst
expect_warning corrupt "corrupt zstd frame 'corrupt.jsonl.zst'"

{ cat heavy.jsonl.zst; printf 'trailing garbage'; } > trailing.jsonl.zst
run trailing trailing.jsonl.zst
expect_warning trailing "trailing garbage after the last zstd frame 'trailing.jsonl.zst'"
# The lines before the garbage are kept, and the session says it was bad.
expect_eq "trailing: session kept" 1 "$(jq -s 'map(select(.dreamd_events and .bad_inputs == 1)) | length' out.jsonl)"

# Skippable frames (before and between frames) are passed over, no warning.
{ printf '\120\052\115\030\004\000\000\000abcd'; cat good.jsonl.zst
  printf '\121\052\115\030\002\000\000\000xy'; cat heavy.jsonl.zst; } > skippable.jsonl.zst
"$DREAMD" events skippable.jsonl.zst > out.jsonl 2> err.txt || fail "skippable: $(cat err.txt)"
expect_eq "skippable: no warning" "" "$(cat err.txt)"
expect_eq "skippable: counted" 2 "$(jq 'select(.dreamd_events) | .skippable_frames' out.jsonl)"

: > empty.jsonl.zst
run empty empty.jsonl.zst
expect_warning empty "empty file 'empty.jsonl.zst'"

cp "$good" notzstd.jsonl.zst
run not-zstd notzstd.jsonl.zst
expect_warning not-zstd "not zstd data 'notzstd.jsonl.zst'"

printf '{"hello": "world"}\n{"x": [1, 2]}\n' > unknown.jsonl
run unknown unknown.jsonl
expect_warning unknown "unknown transcript format 'unknown.jsonl'"

# A subagent file of an unknown format is quarantined; its parent is kept.
mkdir -p 55604662/subagents && cp unknown.jsonl 55604662/subagents/agent-a1.jsonl
cp good.jsonl.zst 55604662.jsonl.zst
"$DREAMD" events 55604662.jsonl.zst 55604662/subagents/agent-a1.jsonl > out.jsonl 2> err.txt
expect_warning subagent "unknown transcript format '55604662/subagents/agent-a1.jsonl'"
expect_eq "subagent: parent kept" "$good_turns" "$(jq 'select(.dreamd_events) | .user_turns' out.jsonl)"

# Window over the limit: a frame that asks for 256 MiB (--long=28).
head -c 100000 /dev/urandom | base64 | zstd -q --long=28 -c > window.jsonl.zst
run window window.jsonl.zst
expect_warning window "zstd window over the limit 'window.jsonl.zst'"

# A bomb: 1 GiB of zeros stops at the ceiling.
head -c 1073741824 /dev/zero | zstd -q -1 -c > bomb.jsonl.zst
write_config <<'YAML'
  max_file_bytes: 8388608
YAML
run bomb bomb.jsonl.zst
expect_warning bomb "decompressed size over the limit 'bomb.jsonl.zst'"

# A bomb of one endless line: one warning, that names the format unknown.
head -c 16777216 /dev/zero | zstd -q -1 -c > oneline.jsonl.zst
write_config <<'YAML'
  max_line: 1048576
YAML
run oneline oneline.jsonl.zst
expect_warning oneline "unknown transcript format (line over the length limit) 'oneline.jsonl.zst:1'"

# Line-level problems: the line is dropped, the session kept.
write_config <<'YAML'
  max_line: 100000
  max_depth: 64
YAML
{
	sed -n 1p "$good"
	echo 'this is not json'
	sed -n 2,3p "$good"
	printf '{"type":"user","sessionId":"x","message":{"content":"bad \377 byte"}}\n'
	sed -n 4,5p "$good"
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; print "" }'
	awk 'BEGIN { printf "{\"type\":\"user\",\"pad\":\""; for (i = 0; i < 20000; i++) printf "0123456789"; print "\"}" }'
	echo '{"a": 1} trailing'
	sed -n '6,$p' "$good"
} > lines.jsonl
zstd -q -f lines.jsonl -o lines.jsonl.zst
run lines lines.jsonl.zst
cat > want.txt <<'TXT'
dreamd: warning: not JSON 'lines.jsonl.zst:2'
dreamd: warning: invalid UTF-8 'lines.jsonl.zst:5:58'
dreamd: warning: JSON nested too deep 'lines.jsonl.zst:8'
dreamd: warning: line over the length limit 'lines.jsonl.zst:9'
dreamd: warning: not JSON 'lines.jsonl.zst:10'
TXT
compare want.txt err.txt
[ $rc -eq 65 ] || fail "lines: exit $rc, expected 65"
expect_eq "lines: session kept with its turns" "$good_turns 5" \
	"$(jq -r 'select(.bad_inputs > 0) | "\(.user_turns) \(.bad_inputs)"' out.jsonl)"

# A file that is not there is input missing (66), named, and the others
# are still read.
"$DREAMD" events good.jsonl.zst nowhere.jsonl > out.jsonl 2> err.txt
expect_eq "missing file exit" 66 $?
grep -q "no such file 'nowhere.jsonl'" err.txt || fail "missing file message: $(cat err.txt)"
expect_eq "session before the missing file" 1 "$(jq -s '[.[] | select(.dreamd_events)] | length' out.jsonl)"

# A file that cannot be opened says why, after its name (as the system
# puts it). As root, the reader is another user.
cp "$good" secret.jsonl && chmod 600 secret.jsonl && chmod 755 "$T"
as=
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null || fail "setpriv missing: cannot test an unreadable file as root"
	as="setpriv --reuid 65534 --regid 65534 --clear-groups"
else
	chmod 000 secret.jsonl
fi
$as "$DREAMD" events secret.jsonl > out.jsonl 2> err.txt
expect_eq "unreadable file exit" 65 $?
expect_warning unreadable "cannot open 'secret.jsonl': Permission denied"

# A file in no known format is one bad input, whatever its length: one
# warning naming the first bad line, with the count of the others.
printf 'notes, not a transcript\nline 2\n\nline 4 {\nline 5\nline 6\nline 7\n' > plain.jsonl
run plain plain.jsonl
expect_warning plain "unknown transcript format (not JSON; 5 more bad lines) 'plain.jsonl:1'"
{ echo '# aider chat started at 2026-11-01'; echo; echo '#### hello'; echo 'some text'; } > notes.jsonl
mkdir -p fmt/alice && cp plain.jsonl notes.jsonl fmt/alice/
DREAMD_DB=$T/fmt.db "$DREAMD" -v run --now --spool fmt 2> err.txt
expect_eq "unknown formats exit" 65 $?
grep -q ", 1 quarantined, 1 bad inputs;" err.txt || fail "run line: $(cat err.txt)"
expect_eq "one quarantined input, at its first bad line" "1|1" \
	"$(sqlite3 fmt.db "SELECT count(*), min(line) FROM quarantine WHERE path LIKE '%plain.jsonl'")"
# Bad lines before the format is known are one bad input too; the rest is read.
{ echo 'garbage 1'; echo 'garbage 2'; echo 'garbage 3'; cat "$good"; } > late.jsonl
run late late.jsonl
expect_warning late "not JSON (and 2 more bad lines before the format was known) 'late.jsonl:1'"

# Blank lines and dropped long lines count against the session's limits as
# they stream: the read stops at the first bound, not at the end of the file.
write_config <<'YAML'
  max_events: 100
YAML
{ head -c 100000 /dev/zero | tr '\0' '\n'; cat "$good"; } > blanks.jsonl
"$DREAMD" events blanks.jsonl > out.jsonl 2> err.txt
expect_warning blanks "session over the event or size limit, the rest dropped 'blanks.jsonl:101'"
write_config <<'YAML'
  max_line: 1024
  max_session_bytes: 65536
YAML
long=$(head -c 2000 /dev/zero | tr '\0' 'a')
i=0; while [ $i -lt 100 ]; do echo "$long"; i=$((i + 1)); done > longs.jsonl
"$DREAMD" events longs.jsonl > out.jsonl 2> err.txt
grep -q "session over the event or size limit, the rest dropped 'longs.jsonl:65'" err.txt ||
	fail "long lines: $(cat err.txt)"
