#!/bin/sh
# One repository, one project: a session whose cwd is in a linked git
# worktree (git worktree add) is stored under the main checkout's path, the
# same path below it; a checkout of its own, a path not on this machine and
# one outside any repository keep their cwd, and so, quietly, does a .git
# file whose gitdir has no commondir (a submodule's) or names a FIFO (which
# would block the run). And export --cwd in a worktree
# loads the repository's project memories.
. "$TOP/tests/lib.sh"
command -v git >/dev/null || { echo "git missing"; exit 77; }
write_config </dev/null
g() { git -c user.name=t -c user.email=t@example.org -c init.defaultBranch=main "$@"; }
g init -q "$T/repo/app" && mkdir -p "$T/repo/app/lib" &&
	g -C "$T/repo/app" commit -q --allow-empty -m init &&
	g -C "$T/repo/app" worktree add -q "$T/repo/app-fix" -b fix >/dev/null 2>&1 &&
	mkdir -p "$T/repo/app-fix/lib" "$T/repo/other/lib" || fail "git worktree setup"
g init -q "$T/repo/other" || fail "git init other"
mkdir -p "$T/repo/sub/lib" "$T/repo/modules/sub" "$T/repo/fifo/lib" "$T/repo/fifo-gitdir" &&
	echo "gitdir: ../modules/sub" > "$T/repo/sub/.git" &&
	echo "gitdir: $T/repo/fifo-gitdir" > "$T/repo/fifo/.git" &&
	mkfifo "$T/repo/fifo-gitdir/commondir" || fail "submodule and FIFO setup"
src=$(sample s01-alice)
n=0
for cwd in "$T/repo/app/lib" "$T/repo/app-fix/lib" "$T/repo/app-fix" "$T/repo/other/lib" \
	"/srv/not-here/app" "$T/repo/sub/lib" "$T/repo/fifo/lib"; do
	n=$((n + 1))
	mkdir -p spool/alice
	jq -c --arg cwd "$cwd" --arg id "wt-$n" 'if .cwd then .cwd = $cwd else . end |
		if .sessionId then .sessionId = $id else . end' "$src" > "spool/alice/wt-$n.jsonl"
done
touch -d '1 hour ago' spool/alice/*.jsonl
# timeout guards against a hang on the FIFO; it times nothing.
timeout 120 "$DREAMD" -q run --spool spool 2>run.err || fail "run exited $?: $(cat run.err)"
expect_eq "run's errors" "" "$(cat run.err)"
expect_eq "projects" "wt-1|$T/repo/app/lib
wt-2|$T/repo/app/lib
wt-3|$T/repo/app
wt-4|$T/repo/other/lib
wt-5|/srv/not-here/app
wt-6|$T/repo/sub/lib
wt-7|$T/repo/fifo/lib" "$(sql 'SELECT id, project FROM sessions ORDER BY id')"

# What a session in the worktree loads: the main checkout's project memories.
sql "UPDATE sessions SET user = 'u' || substr(id, 4), project = '$T/repo/app/lib'" ||
	fail "sessions"
"$DREAMD" -q reconsolidate || fail "reconsolidate"
n=$("$DREAMD" export --format json | jq '[.memories[] | select(.scope | startswith("project:"))] | length')
[ "$n" -gt 0 ] || fail "no project memory to load: $("$DREAMD" export --format json --all)"
for d in "$T/repo/app/lib" "$T/repo/app-fix/lib"; do
	expect_eq "project memories for $d" "$n" "$("$DREAMD" export --format json --cwd "$d" |
		jq '[.memories[] | select(.scope | startswith("project:"))] | length')"
done
expect_eq "none for the other repository" 0 "$("$DREAMD" export --format json --cwd "$T/repo/other/lib" |
	jq '[.memories[] | select(.scope | startswith("project:"))] | length')"
exit 0
