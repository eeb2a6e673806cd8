#!/bin/sh
# show lists a memory's supporting sessions newest first, the 5 most recent
# and "and N more (--all lists them)", and --all lists every one: the
# scenario's left-pad mistake (5 sessions) plus seven later copies of
# s01-alice under new session ids and days. Every memory's session list,
# text and JSON, counts what its support counts; the sessions its evidence
# names count even when their observations are gone.
. "$TOP/tests/lib.sh"
command -v jq >/dev/null || { echo "jq missing (make deps-test)"; exit 77; }

scenario_spool
mkdir -p "$T/extra"
for i in 1 2 3 4 5 6 7; do
	sed "s/s01-alice/s2$i-alice/g; s/2026-11-10T/2026-11-2${i}T/g" \
		"$T/raw/alice/s01-alice.jsonl" > "$T/extra/s2$i-alice.jsonl" || fail "sed"
	spool_add alice "$T/extra/s2$i-alice.jsonl"
done
write_config </dev/null
"$DREAMD" -q run --spool "$T/spool" || fail "run"

id=$("$DREAMD" export --all --format json |
	jq -r '.memories[] | select(.title | test("left-pad")) | .id')
[ -n "$id" ] && [ "$(echo "$id" | wc -l)" -eq 1 ] || fail "no one left-pad memory: '$id'"
expect_eq "support" 12 "$("$DREAMD" show "$id" --format json | jq .support.sessions)"

all="s27-alice s26-alice s25-alice s24-alice s23-alice s22-alice s21-alice s05-dave s04-alice s03-carol s02-bob s01-alice"
listed() {	# the session ids show lists, in order
	sed -n '/^sessions (/,/^evidence (/p' | awk '$4 == "session" { print $5 }' | tr '\n' ' ' | sed 's/ $//'
}

"$DREAMD" show "$id" > show.txt || fail "show"
grep -qx 'sessions (12, newest first):' show.txt || fail "no session count: $(cat show.txt)"
expect_eq "newest 5" "s27-alice s26-alice s25-alice s24-alice s23-alice" "$(listed < show.txt)"
grep -qx '  and 7 more (--all lists them)' show.txt || fail "no 'and 7 more' line: $(cat show.txt)"
# newest first means by time: the first line is the latest day
expect_eq "first time" "2026-11-27" "$(grep -m1 ' session s27-alice$' show.txt | cut -c3-12)"

"$DREAMD" show --all "$id" > all.txt || fail "show --all"
expect_eq "all" "$all" "$(listed < all.txt)"
grep -q 'more (--all' all.txt && fail "--all still says more: $(cat all.txt)"

# JSON: the record, extended
"$DREAMD" show "$id" --format json > show.json || fail "show json"
expect_eq "json id" "\"$id\"" "$(jq .id show.json)"
expect_eq "json sessions" '12 7 5 "s27-alice"' \
	"$(jq -r '"\(.sessions.total) \(.sessions.more) \(.sessions.listed | length) \(.sessions.listed[0].session | tojson)"' show.json)"
expect_eq "json --all" "$all" \
	"$("$DREAMD" show --all "$id" --format json | jq -r '[.sessions.listed[].session] | join(" ")')"

# Every memory, the samples' too: the list counts what the support counts.
sample_spool
"$DREAMD" -q run --spool "$T/spool" || fail "run 2"
"$DREAMD" export --all --format json | jq -r '.memories[].id' > ids
[ "$(wc -l < ids)" -ge 5 ] || fail "too few memories"
while read -r m; do
	"$DREAMD" show --all "$m" --format json > m.json || fail "show $m"
	expect_eq "$m sessions" "$(jq .support.sessions m.json)" "$(jq '.sessions.total' m.json)"
	expect_eq "$m listed" "$(jq .support.sessions m.json)" "$(jq '.sessions.listed | length' m.json)"
	"$DREAMD" show "$m" > m.txt || fail "show $m text"
	n=$(jq .support.sessions m.json)
	grep -qx "sessions ($n, newest first):" m.txt || fail "$m: text count: $(cat m.txt)"
done < ids

# A session the record's evidence names, whose observations are gone (a
# later extraction dropped them), still supports the memory.
command -v sqlite3 >/dev/null || { echo "sqlite3 missing (make deps-test)"; exit 77; }
"$DREAMD" show "$id" --format json > ev.json || fail "show json again"
ev=$(jq -r '.evidence[0].session' ev.json)
sqlite3 "$DREAMD_DB" "DELETE FROM observations WHERE session_id = '$ev'" || fail "sqlite3"
"$DREAMD" show --all "$id" > ev.txt || fail "show after the delete"
listed < ev.txt | tr ' ' '\n' | grep -qx "$ev" || fail "evidence session '$ev' not listed: $(cat ev.txt)"
exit 0
