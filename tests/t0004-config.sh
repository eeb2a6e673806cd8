#!/bin/sh
# Configuration: defaults need no file; a file changes settings; mistakes
# are named with file:line:column and exit 78; rule files add and disable
# rules; quiet under cron, a progress line and a summary on a terminal (run
# and reconsolidate).
. "$TOP/tests/lib.sh"

# No file at all: every setting has a default.
"$DREAMD" status >/dev/null || fail "status without a config"

config_error() {	# WHAT WANT-MESSAGE
	printf '%s\n' "$1" > bad.yaml
	"$DREAMD" --config bad.yaml status >/dev/null 2>err
	rc=$?
	expect_eq "exit for '$1'" 78 $rc
	grep -qF "$2" err || fail "message for '$1': $(cat err)"
	[ "$(wc -l < err)" -eq 1 ] || fail "more than one line for '$1': $(cat err)"
}
config_error 'curate: {min_sesions: 3}' "unknown setting 'curate.min_sesions' 'bad.yaml:1:10'"
config_error 'curat: {}' "unknown section 'curat' 'bad.yaml:1:1'"
config_error 'curate:
  min_sessions: many' "'curate.min_sessions' takes a number from 1 to 1e+06 'bad.yaml:2:17'"
config_error 'run: {spools: /x}' "'run.spools' takes a list 'bad.yaml:1:15'"
config_error 'curate: [' "bad YAML"
config_error 'extract: {rules: [nowhere.yaml]}' "cannot open 'nowhere.yaml'"
config_error 'extract: {disable: [no-such-extractor]}' "no extractor named 'no-such-extractor'"
config_error 'extract: {disable_rules: [no-such-rule]}' "no rule named 'no-such-rule' to disable"
# What libyaml takes but is surely a mistake: a key twice, a second document.
config_error 'curate: {min_sessions: 3, min_sessions: 4}' "duplicate key 'min_sessions' 'bad.yaml:1:27'"
config_error 'curate: {}
curate: {min_sessions: 4}' "duplicate key 'curate' 'bad.yaml:2:1'"
config_error 'curate: {}
---
curate: {min_sessions: 4}' "more than one YAML document 'bad.yaml:2:1'"
printf -- '---\ncurate: {min_sessions: 2}\n...\n' > one-doc.yaml
"$DREAMD" --config one-doc.yaml status > /dev/null || fail "one document between --- and ..."
printf 'rules:\n  - name: typo\n    group: posion\n    pattern: x\n' > typo.yaml
config_error 'extract: {rules: [typo.yaml]}' "unknown rule group 'posion' (the groups: "
config_error 'extract: {rules: [typo.yaml]}' "'typo.yaml:3:12'"
printf 'rules:\n  - {name: a, group: poison, pattern: x, pattern: y}\n' > twice.yaml
config_error 'extract: {rules: [twice.yaml]}' "duplicate key 'pattern' 'twice.yaml:2:"

# A user's rule file adds a rule; a rule can be turned off by name.
cat > extra.yaml <<'YAML'
rules:
  - name: my-poison
    group: poison
    label: mentions the forbidden word
    pattern: 'xyzzy'
YAML
printf 'extract:\n  rules: [extra.yaml]\n  disable_rules: [skip-tests]\n' > ok.yaml
"$DREAMD" --config ok.yaml status >/dev/null || fail "a config with a rule file"
printf 'rules:\n  - {name: broken, group: poison, pattern: "(unclosed"}\n' > broken.yaml
config_error 'extract: {rules: [broken.yaml]}' \
	"bad pattern in rule 'broken': missing closing parenthesis at offset 9 'broken.yaml:2'"
mkdir -p spool/alice &&
	zstd -q -dc "$TOP/tests/data/samples/alice/s01-alice.jsonl.zst" > spool/alice/short.jsonl
touch -d '1 hour ago' spool/alice/short.jsonl

# Under cron (no terminal) a run prints nothing but errors.
"$DREAMD" run --spool spool > out 2> err || fail "run"
[ ! -s out ] && [ ! -s err ] || fail "a run without a terminal printed: $(cat out err)"
# -v: the summary line, stored with the run.
"$DREAMD" -v run --spool spool 2> err || fail "run -v"
grep -q "^dreamd: run 2: 0 sessions ingested" err || fail "no summary line: $(cat err)"
expect_eq "summary stored" "$(sed -n 's/^dreamd: //p' err | grep '^run 2:')" \
	"$(sql 'SELECT summary FROM runs WHERE id = 2')"
expect_eq "no run left unfinished" 0 "$(sql 'SELECT count(*) FROM runs WHERE finished_at IS NULL')"
# On a terminal: a progress line, then the summary; -q silences both.
if command -v script >/dev/null; then
	rm -f "$DREAMD_DB"*
	script -qec "'$DREAMD' run --spool spool" /dev/null > tty.out 2>&1 </dev/null
	grep -q "units, .* MB, .* sessions" tty.out || fail "no progress line on a terminal: $(cat tty.out)"
	grep -q "run 1: 1 sessions ingested" tty.out || fail "no summary on a terminal: $(cat tty.out)"
	script -qec "'$DREAMD' -q run --spool spool" /dev/null > quiet.out 2>&1 </dev/null
	[ ! -s quiet.out ] || fail "-q printed: $(cat quiet.out)"
	script -qec "'$DREAMD' reconsolidate" /dev/null > tty.out 2>&1 </dev/null
	grep -q "1/1 sessions extracted again" tty.out ||
		fail "no reconsolidate progress line on a terminal: $(cat tty.out)"
	"$DREAMD" reconsolidate > out 2> err || fail "reconsolidate"
	[ ! -s out ] && [ ! -s err ] || fail "a reconsolidate without a terminal printed: $(cat out err)"
fi
exit 0
