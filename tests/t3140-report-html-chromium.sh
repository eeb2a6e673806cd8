#!/bin/sh
# The HTML diff report is one self-contained file that a headless Chromium
# renders without console errors, with its sections and SVG charts.
. "$TOP/tests/lib.sh"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell missing (make deps-test)"; exit 77; }
[ -x /usr/bin/chromium ] || { echo "chromium missing (make deps-test)"; exit 77; }
new_store || fail "cannot create the store"
sqlite3 "$DREAMD_DB" < "$TOP/tests/data/report-scenario.sql" || fail "fixture"

"$DREAMD" diff --format html > report.html || fail "diff --format html"
# Self-contained: no script, no external reference.
grep -Eiq '<script|<link|src=|@import|url\(|https?://[^"]*"' report.html &&
	grep -Eio '<script|<link|src=[^ ]*|@import|url\([^)]*\)|https?://[^"]*' report.html | grep -v 'http://www.w3.org/2000/svg' | grep -q . &&
	fail "external reference in the report"

profile=$(mktemp -d)
timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking --disable-component-update \
	--disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 \
	--dump-dom "file://$T/report.html" > dom.html 2> console.log
rc=$?
rm -rf "$profile"
[ $rc -eq 0 ] || { cat console.log; fail "chromium exited $rc"; }
grep -i 'CONSOLE' console.log | grep -iE 'error|uncaught' && fail "console errors"
for id in added changed retired quarantined conflicts recurring; do
	grep -q "<h2 id=\"$id\">" dom.html || fail "section '$id' not rendered"
done
n=$(grep -o '<svg class="spark"' dom.html | wc -l)
[ "$n" -ge 10 ] || fail "only $n charts rendered"
# The changed memory's chart holds its sessions over generations 1 to 3.
grep -q 'sessions in generations 1 to 3: 3 3 5' dom.html || fail "m-10000001's history"
exit 0
