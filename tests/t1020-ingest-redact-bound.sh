#!/bin/sh
# Fail closed: a text whose redaction gives up (a rule that hits its PCRE2
# limit, or the text past its work bound) is kept as [REDACTED:limit],
# never raw: not in the store's files, not in the events. The run says so
# once on stderr and counts such texts in its summary line, and the count
# is the same on every run of the same input.
. "$TOP/tests/lib.sh"
# A user rule that backtracks catastrophically on a run of a's.
cat > slow.yaml <<'YAML'
rules:
  - name: slow
    group: redact
    label: slow
    pattern: '(a+)+$'
YAML
write_config <<EOF2
extract:
  rules: [$T/slow.yaml]
EOF2
mkdir -p spool/alice
secret=Zq7wP3mK5nXv9Lt2Rb6T
aaa=$(printf 'a%.0s' $(seq 1 40))
jq -n -c --arg t "${aaa}b and the key $secret" '
	{type: "user", sessionId: "s-1", cwd: "/srv/app", timestamp: "2026-01-01T00:00:00Z",
	 message: {role: "user", content: $t}},
	{type: "user", sessionId: "s-1", cwd: "/srv/app", timestamp: "2026-01-01T00:00:01Z",
	 message: {role: "user", content: "a plain text that stays"}}' > spool/alice/s-1.jsonl ||
	fail "jq"
touch -d '1 hour ago' spool/alice/s-1.jsonl

"$DREAMD" -v run --spool spool 2> err || fail "run: $(cat err)"
expect_eq "warnings" 1 "$(grep -c 'hit its limit' err)"
grep -q "rule 'slow' ($T/slow.yaml:2) hit its limit: a text of [0-9]* bytes is kept as \[REDACTED:limit\]" err ||
	fail "warning: $(cat err)"
grep -q "; 1 text kept as \[REDACTED:limit\] (a redaction limit)" err || fail "run line: $(cat err)"
for f in "$DREAMD_DB"*; do
	[ -f "$f" ] || continue
	if grep -q -a -F "$secret" "$f"; then fail "the secret is in '$f'"; fi
done
"$DREAMD" events spool/alice/s-1.jsonl > events.jsonl 2> err2 || fail "events: $(cat err2)"
expect_eq "texts" '"[REDACTED:limit]" "a plain text that stays"' \
	"$(jq -c 'select(.kind == "user") | .text' events.jsonl | tr '\n' ' ' | sed 's/ $//')"
grep -q -F "$secret" events.jsonl && fail "the secret is in the events"

# The same input again (a new store): the same count, the same result.
DREAMD_DB=$T/again.db "$DREAMD" -v run --spool spool 2> err3 || fail "run again: $(cat err3)"
grep -q "; 1 text kept as \[REDACTED:limit\] (a redaction limit)" err3 || fail "run line again: $(cat err3)"
echo ok
