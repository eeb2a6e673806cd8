#!/bin/sh
# The real tier for redaction's precision: on every real transcript, each
# [REDACTED:...] marker that `dreamd events` prints stands for a credential,
# and the code the old rules took for secrets (`const csrfToken =
# document.querySelector(...)`, `token = ReviewTokenStore.mint(`,
# `api_key: anthropic_api_key()`, ...) is kept whole. What remains is
# this list, counted by where the marker stands; a new marker anywhere else
# fails the test, and so does a credential that is no longer redacted:
#   6  Phoenix CSRF tokens: <meta name="csrf-token" content="...">
#   12 payloads of Phoenix.Token signed LiveView tokens: data-phx-session="SFMyNTY.<payload>.<signature>"
#      (7 of them longer than 256 characters)
#   11 signatures of those tokens (after a kept or a redacted payload)
. "$TOP/tests/lib.sh"
need_real_transcripts claude-code codex

find "$REAL" -mindepth 2 -type f \( -name '*.jsonl' -o -name '*.json' -o -name '*.md' \) | sort > files
[ -s files ] || fail "no transcripts under $REAL"
: > texts.txt
while read -r f; do
	"$DREAMD" events "$f" > out.jsonl 2>> err.txt
	jq -r 'select(.text) | .text' out.jsonl >> texts.txt 2>> err.txt
done < files
[ "$(wc -l < texts.txt)" -gt 1000 ] || fail "too few event texts: $(wc -l < texts.txt)"

count() {
	grep -o -E "$1" texts.txt | wc -l | tr -d ' '
}
total=$(count '\[REDACTED:[a-z0-9-]+\]')
csrf=$(count 'csrf-token\\?" content=\\?"\[REDACTED:secret\]')
payload=$(count 'data-phx-(session|static)=\\?"SFMyNTY\.\[REDACTED:secret\]')
sig_kept=$(count 'data-phx-(session|static)=\\?"SFMyNTY\.[A-Za-z0-9_-]+\.\[REDACTED:secret\]')
sig_red=$(count 'data-phx-(session|static)=\\?"SFMyNTY\.\[REDACTED:secret\]\.\[REDACTED:secret\]')
expect_eq "CSRF tokens" 6 "$csrf"
expect_eq "signed token payloads" 12 "$payload"
expect_eq "signed token signatures" 11 "$((sig_kept + sig_red))"
if [ "$total" != $((csrf + payload + sig_kept + sig_red)) ]; then
	grep -o -E '.{0,60}\[REDACTED:[a-z0-9-]+\].{0,20}' texts.txt |
		grep -v -E 'csrf-token\\?" content=\\?"\[REDACTED|data-phx-(session|static)=' | head -n 20 >&2
	fail "$total markers, of them $((csrf + payload + sig_kept + sig_red)) credentials"
fi

# The code the old rules redacted is there whole.
for code in 'const csrfToken = document.querySelector(' 'token = ReviewTokenStore.mint(' \
	'thread_key: line_meta[' 'thread_key = block[' \
	'api_key: anthropic_api_key()' "apiKey: 'proxy-handled'"; do
	grep -q -F -e "$code" texts.txt || fail "'$code' is not in the events whole"
done
echo "$(wc -l < files) transcripts, $total markers, all credentials"
