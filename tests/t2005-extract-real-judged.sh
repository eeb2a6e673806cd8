#!/bin/sh
# The real transcripts (Claude Code, Codex, Gemini CLI, OpenHands, SWE-agent,
# Copilot CLI) against the judged list (tests/data/expected-real.tsv):
# every active memory is one the list keeps, every memory it keeps is active,
# and none it drops is (wrong attribution, hook tags, collateral rejections,
# universal workflows, one task's instructions).
. "$TOP/tests/lib.sh"
command -v jq >/dev/null || { echo "jq is missing"; exit 77; }
need_real_transcripts claude-code codex gemini-cli openhands swe-agent copilot-cli
write_config </dev/null
real_spool
for f in "$REAL"/codex/*.jsonl; do
	spool_add dave "$f"
done
# The other agents, one user each, under the names their agents give them.
real_spool_others erin fay gus
"$DREAMD" -q run --spool "$T/spool" 2>run.err || fail "dreamd run exited $?: $(cat run.err)"
"$DREAMD" export --format json --all >all.json || fail "dreamd export exited $?"
jq -r '.memories[] | select(.status == "active" or .status == "pinned") | .title' all.json |
	sort >active.txt
grep -v '^#' "$TOP/tests/data/expected-real.tsv" | awk -F'\t' '$2 == "keep" { print $1 }' |
	sort >keep.txt
grep -v '^#' "$TOP/tests/data/expected-real.tsv" | awk -F'\t' '$2 == "drop" { print $1 }' |
	sort >drop.txt
bad=$(comm -23 active.txt keep.txt)
[ -z "$bad" ] || fail "active but not kept by the judged list: $bad"
missing=$(comm -13 active.txt keep.txt)
[ -z "$missing" ] || fail "kept by the judged list but not active: $missing"
[ -s keep.txt ] && [ -s drop.txt ] || fail "the judged list is empty"
exit 0
