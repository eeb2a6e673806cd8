#!/bin/sh
# Review decisions are per memory and replayed in order: a reviewer's
# decision on one memory never re-decides another. An accepted candidate
# (below the gates) stays active through a pin of another memory, an edit,
# a run and a reconsolidation, and only a version of its own names it.
. "$TOP/tests/lib.sh"
# Three sessions are not enough: everything the scenario plants in three
# sessions stays a candidate.
write_config <<EOF
curate:
  min_sessions: 4
EOF
scenario_spool
"$DREAMD" -q run --spool "$T/spool" || fail "run"

all() { "$DREAMD" export --format json --all; }
status_of() { all | jq -r --arg id "$1" '.memories[] | select(.id == $id) | .status'; }
cands=$(all | jq -r '[.memories[] | select(.status == "candidate")] | map(.id) | join(" ")')
set -- $cands
[ $# -ge 2 ] || fail "the scenario has fewer than two candidates: $cands"
acc=$1 other=$2
active=$(all | jq -r '[.memories[] | select(.status == "active")][0].id')
[ -n "$active" ] && [ "$active" != null ] || fail "nothing active"

"$DREAMD" -q review accept "$acc" --by rita || fail "accept"
expect_eq "accepted" active "$(status_of "$acc")"
versions=$(sql "SELECT count(*) FROM memory_versions WHERE memory_id = '$acc'")

# Decisions on other memories, of every kind, then a run and a
# reconsolidation: the acceptance stands, and no version of it is written.
"$DREAMD" -q review pin "$active" --by rita || fail "pin"
expect_eq "accepted after a pin of another" active "$(status_of "$acc")"
"$DREAMD" -q review accept "$other" --by sam || fail "accept another"
"$DREAMD" -q review edit "$other" --body "Another body" --by sam || fail "edit another"
"$DREAMD" -q review reject "$active" --by sam || fail "reject another"
expect_eq "accepted after decisions on others" active "$(status_of "$acc")"
expect_eq "no version of it from others' decisions" "$versions" \
	"$(sql "SELECT count(*) FROM memory_versions WHERE memory_id = '$acc'")"
expect_eq "no version from others' decisions names it" 0 \
	"$(sql "SELECT count(*) FROM memory_versions WHERE memory_id = '$acc'
		AND reason LIKE 'review %' AND reason NOT LIKE '% $acc %'")"
"$DREAMD" -q run --spool "$T/spool" || fail "run 2"
"$DREAMD" -q reconsolidate || fail "reconsolidate"
expect_eq "accepted after a run and a reconsolidation" active "$(status_of "$acc")"
all | jq -e --arg id "$acc" '.memories[] | select(.id == $id) | .reason == "accepted by rita"' \
	>/dev/null || fail "reason: $(all | jq -r --arg id "$acc" '.memories[] | select(.id == $id) | .reason')"
"$DREAMD" log "$acc" | grep -v "$acc by\|nightly run\|reconsolidation" && fail "log names others' decisions"

# Its own decisions still decide it: a rejection, then an acceptance again.
"$DREAMD" -q review reject "$acc" --by rita || fail "reject"
expect_eq "rejected" rejected "$(status_of "$acc")"
"$DREAMD" -q review accept "$acc" --by rita || fail "accept again"
expect_eq "accepted again" active "$(status_of "$acc")"
exit 0
