#!/bin/sh
# Every report and export format on the fixed scenario (tests/data/
# report-scenario.sql) against tests/golden/. Set UPDATE_GOLDEN=1 to rewrite
# the expected files after a deliberate change, then review the git diff.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }

new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"


for f in text markdown json html; do
	golden "diff-2-3.$f" "$DREAMD" diff --format "$f"
done
golden diff-0-1.text "$DREAMD" diff 0 1
golden diff-1-2.json "$DREAMD" diff 1 2 --format json
golden export.md "$DREAMD" export
golden export-all.json "$DREAMD" export --all --format json
golden export-cwd.md "$DREAMD" export --cwd /srv/webapp/src --user alice
golden export-scope-team.json "$DREAMD" export --scope team --format json
golden export-hook.json "$DREAMD" export --format claude-hook --cwd /srv/api --user bob
golden show-m-10000002.text "$DREAMD" show m-10000002
golden show-m-10000003.json "$DREAMD" show m-10000003 --format json
golden log-m-10000001.text "$DREAMD" log m-10000001
golden log-m-10000003.json "$DREAMD" log m-10000003 --format json
golden status.text "$DREAMD" status
golden status.json "$DREAMD" status --format json

# Every JSON output parses, and the diff's classification holds.
for f in diff-2-3.json diff-1-2.json export-all.json export-scope-team.json \
	export-hook.json show-m-10000003.json log-m-10000003.json status.json; do
	jq -e . "$T/$f" >/dev/null || fail "$f is not JSON"
done
expect_eq added "m-10000004 m-10000006 m-10000009" \
	"$(jq -r '[.added[].id] | join(" ")' "$T/diff-2-3.json")"
expect_eq changed "m-10000001 m-10000002 m-10000005" \
	"$(jq -r '[.changed[].after.id] | join(" ")' "$T/diff-2-3.json")"
expect_eq retired "m-10000003:m-10000004" \
	"$(jq -r '.retired[] | .id + ":" + .superseded_by' "$T/diff-2-3.json")"
expect_eq quarantined m-10000008 "$(jq -r '.quarantined[].id' "$T/diff-2-3.json")"
expect_eq unchanged 1 "$(jq -r .unchanged "$T/diff-2-3.json")"
expect_eq recurring m-10000002 "$(jq -r '.recurring[].id' "$T/diff-2-3.json")"
grep -q '12 in 30 sessions before, 3 in 25 after' "$T/diff-2-3.text" || fail "effectiveness phrase"
# Evidence-only churn is not a change.
expect_eq churn "0 4" "$(jq -r '"\(.changed | length) \(.unchanged)"' "$T/diff-1-2.json")"
# Export: active and pinned only, sorted by kind, then score, then id.
expect_eq export-ids "m-10000001 m-10000002 m-10000007 m-10000004 m-10000005" \
	"$(grep -o '(m-[0-9a-f]*' "$T/export.md" | tr -d '(' | tr '\n' ' ' | sed 's/ $//')"
expect_eq export-all 9 "$(jq '.memories | length' "$T/export-all.json")"
# --cwd: the project's parent scope, team and the user; not other projects.
grep -q 'user:alice' "$T/export-cwd.md" || fail "--cwd lacks the user's memory"
grep -q 'project:/srv/webapp' "$T/export-cwd.md" || fail "--cwd lacks the parent project"
expect_eq hook-event SessionStart "$(jq -r .hookSpecificOutput.hookEventName "$T/export-hook.json")"
jq -r .hookSpecificOutput.additionalContext "$T/export-hook.json" | grep -q 'project:/srv/webapp' &&
	fail "hook for /srv/api has /srv/webapp memories"

# The same store gives the same bytes again.
"$DREAMD" diff --format html > "$T/again.html"
cmp -s "$T/again.html" "$T/diff-2-3.html" || fail "html differs between two runs"
exit 0
