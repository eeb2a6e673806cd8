#!/bin/sh
# dreamd collect: raw transcripts into SPOOL/<user>/<path>.zst, atomically;
# a second run copies nothing; a grown file is copied again.
. "$TOP/tests/lib.sh"
mkdir -p raw/proj-a/s1/subagents raw/proj-b
cp "$(sample s01-alice)" raw/proj-a/s1.jsonl
# A subagent's lines carry its parent's sessionId.
sed -n 5,12p "$(sample s01-alice)" > raw/proj-a/s1/subagents/agent-a1.jsonl
cp "$(sample s04-alice)" raw/proj-b/s2.jsonl
echo 'not a transcript' > raw/proj-b/notes.txt

"$DREAMD" -v collect --from raw --to spool --user alice 2> err.txt || fail "collect: $(cat err.txt)"
expect_eq "summary" "dreamd: collected 3 new or grown transcripts into 'spool/alice', 0 unchanged" "$(cat err.txt)"
(cd spool && find . -type f | sort) > files.txt
printf '%s\n' ./alice/proj-a/s1.jsonl.zst ./alice/proj-a/s1/subagents/agent-a1.jsonl.zst \
	./alice/proj-b/s2.jsonl.zst > want.txt
compare want.txt files.txt
zstd -q -d -c spool/alice/proj-b/s2.jsonl.zst | cmp - raw/proj-b/s2.jsonl || fail "content differs"

"$DREAMD" -v collect --from raw --to spool --user alice 2> err.txt || fail "collect again"
expect_eq "second run" "dreamd: collected 0 new or grown transcripts into 'spool/alice', 3 unchanged" "$(cat err.txt)"
"$DREAMD" -q collect --from raw --to spool --user alice 2> err.txt || fail "collect -q"
expect_eq "quiet" "" "$(cat err.txt)"

sed -n 1p "$(sample s04-alice)" | sed 's/s04-alice/s01-alice/g' >> raw/proj-a/s1.jsonl
"$DREAMD" -v collect --from raw --to spool --user alice 2> err.txt || fail "collect grown"
expect_eq "grown" "dreamd: collected 1 new or grown transcripts into 'spool/alice', 2 unchanged" "$(cat err.txt)"
zstd -q -d -c spool/alice/proj-a/s1.jsonl.zst | cmp - raw/proj-a/s1.jsonl || fail "grown content differs"
expect_eq "no temp files" "" "$(find spool -name '*.tmp.*')"

# The spool reads back: the subagent joins its parent.
"$DREAMD" events spool/alice/proj-a/s1.jsonl.zst spool/alice/proj-a/s1/subagents/agent-a1.jsonl.zst > out.jsonl ||
	fail "events on the spool"
expect_eq "one session" 1 "$(jq -s 'map(select(.dreamd_events)) | length' out.jsonl)"

# Without $USER (systemd units, containers): the account's name.
env -u USER "$DREAMD" -q collect --from raw --to nouser 2> err.txt ||
	fail "collect without \$USER: $(cat err.txt)"
[ -f "nouser/$(id -un)/proj-b/s2.jsonl.zst" ] || fail "not collected as $(id -un): $(find nouser)"
expect_exit 66 "$DREAMD" collect --from nowhere --to spool --user alice
expect_exit 64 "$DREAMD" collect --to spool
