/*
 * ledger.c: the files ledger and the quarantine; see ledger.h. The only
 * SQL that writes them but merge's copies.
 */
#include "store/ledger.h"

#include "dreamd/common/clock.h"
#include "store/db.h"

int files_seen(struct db *db, const char *path, int64_t size, int64_t mtime, int retry)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 1 FROM files WHERE path = :p AND size = :s AND mtime = :m"
		" AND (status = 'ingested' OR NOT :retry)");
	int rc;

	if (!st)
		return -1;
	db_bind_text(st, ":p", path);
	db_bind_int(st, ":s", size);
	db_bind_int(st, ":m", mtime);
	db_bind_int(st, ":retry", retry);
	rc = db_step(st);
	db_done(st);
	return rc == 1 ? 1 : rc < 0 ? -1 : 0;
}

int files_put(struct db *db, const struct file_row *f)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT OR REPLACE INTO files (path, size, mtime, hash, session_id, status, run)"
		" VALUES (:path, :size, :mtime, :hash, :session, :status, :run)");

	if (!st || db_bind_text(st, ":path", f->path) ||
	    db_bind_int(st, ":size", f->size) || db_bind_int(st, ":mtime", f->mtime) ||
	    db_bind_text(st, ":hash", f->hash) || db_bind_text(st, ":session", f->session) ||
	    db_bind_text(st, ":status", f->status) || db_bind_int(st, ":run", f->run) ||
	    db_run(st) < 0)
		return -1;
	return 0;
}

int files_of_session(struct db *db, const char *session_id, files_path_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT path FROM files WHERE session_id = :id"
					" ORDER BY path");
	int rc = 0, stop = 0;

	if (!st)
		return -1;
	db_bind_text(st, ":id", session_id);
	while (!stop && (rc = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0));
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}

int quarantine_add(struct db *db, const char *path, long line, const char *kind,
		   const char *reason, int64_t run)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO quarantine (path, line, kind, reason, run, at)"
		" VALUES (:path, :line, :kind, :reason, :run, :at)");

	if (!st || db_bind_text(st, ":path", path) ||
	    (line ? db_bind_int(st, ":line", line) : db_bind_text(st, ":line", NULL)) ||
	    db_bind_text(st, ":kind", kind) || db_bind_text(st, ":reason", reason) ||
	    db_bind_int(st, ":run", run) || db_bind_int(st, ":at", now_ms()) ||
	    db_run(st) < 0)
		return -1;
	return 0;
}

int quarantine_add_once(struct db *db, const char *path, const char *kind,
			const char *reason, int64_t run)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO quarantine (path, line, kind, reason,"
		" run, at) SELECT :path, NULL, :kind, :why, :run, :at WHERE NOT EXISTS"
		" (SELECT 1 FROM quarantine WHERE path = :path AND kind = :kind AND"
		" reason = :why)");

	if (!st || db_bind_text(st, ":path", path) || db_bind_text(st, ":kind", kind) ||
	    db_bind_text(st, ":why", reason) || db_bind_int(st, ":run", run) ||
	    db_bind_int(st, ":at", now_ms()) || db_run(st) < 0)
		return -1;
	return 0;
}
