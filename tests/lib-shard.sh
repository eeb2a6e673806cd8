# tests/lib-shard.sh: sourced by the shard and merge tests (t5*), after
# tests/lib.sh.

# dump DB OUT: what must be the same whatever the sharding.
dump() {
	"$DREAMD" --db "$1" export --format json --all > "$2.export" || fail "export $1 exited $?"
	"$DREAMD" --db "$1" diff --format json > "$2.diff" || fail "diff $1 exited $?"
	sqlite3 "$1" '.dump memories' '.dump memory_versions' '.dump generation_members' > "$2.mem" ||
		fail "sqlite3 $1"
	sqlite3 "$1" "SELECT id, user, content_hash, files, events, hex(digest) FROM sessions
		ORDER BY id; SELECT * FROM observations ORDER BY 1, 2, 3, 4;
		SELECT * FROM session_workflows ORDER BY 1, 2;
		SELECT path, size, mtime, hash, session_id, status FROM files ORDER BY path;
		SELECT path, line, kind, reason FROM quarantine ORDER BY 1, 2, 3, 4" > "$2.primary" ||
		fail "sqlite3 $1"
}
