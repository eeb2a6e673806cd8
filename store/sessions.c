/*
 * sessions.c: the sessions table; see sessions.h. The only SQL on it but
 * merge's copy, status's counts and show's support (support.c).
 */
#include "store/sessions.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dreamd/common/alloc.h"
#include "dreamd/common/spill.h"
#include "store/db.h"

/* A big digest goes in from its file a piece at a time. */
struct file_cursor {
	struct spill *sp;
	uint64_t off;
};

static int fill_from_file(void *arg, void *buf, size_t n, size_t *got)
{
	struct file_cursor *c = arg;

	if (spill_read(c->sp, c->off, buf, n) < 0)
		return db_report("cannot read a digest from its temporary file: %s",
				 strerror(errno));
	c->off += n;
	*got = n;
	return 0;
}

int session_row_put(struct db *db, const struct session_row *r)
{
	const struct session_meta *m = r->meta;
	struct db_stmt *st = db_prepare(db,
		"INSERT OR REPLACE INTO sessions (id, user, agent, agent_version, model, project,"
		" started_at, ended_at, content_hash, files, events, user_turns, tool_calls,"
		" tool_errors, skipped_lines, digest, run) VALUES (:id, :user, :agent, :version,"
		" :model, :project, :started, :ended, :hash, :files, :events, :turns, :calls,"
		" :errors, :skipped, :digest, :run)");

	if (!st || db_bind_text(st, ":id", m->id) || db_bind_text(st, ":user", m->user) ||
	    db_bind_text(st, ":agent", m->agent) ||
	    db_bind_text(st, ":version", m->agent_version) ||
	    db_bind_text(st, ":model", m->model) || db_bind_text(st, ":project", m->project) ||
	    db_bind_int(st, ":started", m->started) || db_bind_int(st, ":ended", m->ended) ||
	    db_bind_text(st, ":hash", r->hash) || db_bind_int(st, ":files", r->files) ||
	    db_bind_int(st, ":events", r->events) ||
	    db_bind_int(st, ":turns", r->user_turns) || db_bind_int(st, ":calls", r->tool_calls) ||
	    db_bind_int(st, ":errors", r->tool_errors) ||
	    db_bind_int(st, ":skipped", r->skipped_lines) ||
	    (r->digest_file ? db_bind_zeroblob(st, ":digest", r->digest_len) :
	     db_bind_blob(st, ":digest", r->digest, r->digest_len)) ||
	    db_bind_int(st, ":run", r->run) || db_run(st) < 0)
		return -1;
	if (r->digest_file) {
		struct file_cursor c = { r->digest_file, 0 };

		return db_blob_write(db, "sessions", "digest", db_last_rowid(db),
				     fill_from_file, &c);
	}
	return 0;
}

char *session_row_hash(struct db *db, const char *id, char **user)
{
	struct db_stmt *st = db_prepare(db, "SELECT content_hash, user FROM sessions WHERE id = :id");
	char *h = NULL;

	if (user)
		*user = NULL;
	if (!st)
		return NULL;
	db_bind_text(st, ":id", id);
	if (db_step(st) == 1) {
		h = xstrdup(db_col_text(st, 0));
		if (user)
			*user = xstrdup(db_col_text(st, 1));
	}
	db_done(st);
	return h;
}

/* A digest up to this is read whole with its row; a bigger one in pieces. */
#define DIGEST_WHOLE (1 << 20)

int session_row_digest(struct db *db, const char *id, session_digest_fn fn, void *arg)
{
	return session_row_digest_in(db, "main", id, fn, arg);
}

int session_row_digest_in(struct db *db, const char *schema, const char *id,
			  session_digest_fn fn, void *arg)
{
	char sql[160];
	struct db_stmt *st;
	int64_t rowid = 0;
	int ret = -1, rc;

	snprintf(sql, sizeof(sql), "SELECT rowid, CASE WHEN length(digest) <= :whole THEN digest"
		 " END FROM %s.sessions WHERE id = :id", schema);
	st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_text(st, ":id", id);
	db_bind_int(st, ":whole", DIGEST_WHOLE);
	rc = db_step(st);
	if (rc == 1 && !db_col_is_null(st, 1)) {
		size_t len;
		const void *blob = db_col_blob(st, 1, &len);

		ret = fn(arg, blob, len);
	} else if (rc == 1) {
		rowid = db_col_int(st, 0);
	}
	db_done(st);
	if (rowid)
		ret = db_blob_read(db, schema, "sessions", "digest", rowid, fn, arg);
	return ret;
}

int sessions_each_run(struct db *db, session_run_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT id, run FROM sessions ORDER BY id");
	int rc = 0, stop = 0;

	if (!st)
		return -1;
	while (!stop && (rc = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0), db_col_int(st, 1));
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}

int sessions_each_since(struct db *db, int64_t since, session_id_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT id FROM sessions"
			" WHERE coalesce(ended_at, started_at, 0) >= :since ORDER BY id");
	int rc = 0, stop = 0;

	if (!st || db_bind_int(st, ":since", since))
		return -1;
	while (!stop && (rc = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0));
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}

int sessions_each_scope(struct db *db, session_scope_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT 'project:' || project, count(*)"
		" FROM sessions WHERE project IS NOT NULL GROUP BY project"
		" UNION ALL SELECT 'user:' || user, count(*) FROM sessions GROUP BY user"
		" UNION ALL SELECT 'team', count(*) FROM sessions");
	int rc = 0, stop = 0;

	if (!st)
		return -1;
	while (!stop && (rc = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0), db_col_int(st, 1));
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}

int sessions_each_start(struct db *db, session_start_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT coalesce(project, ''), agent, coalesce(started_at, ended_at, 0)"
		" FROM sessions ORDER BY 1, 2, 3");
	int rc = 0, stop = 0;

	if (!st)
		return -1;
	while (!stop && (rc = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2));
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}

int sessions_around(struct db *db, const char *project, const char *user, int64_t pub,
		    int64_t seen, int *before, int *after)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FILTER (WHERE NOT (run > :pub AND"
		"  coalesce(ended_at, started_at, 0) > :seen)),"
		" count(*) FILTER (WHERE run > :pub AND coalesce(ended_at, started_at, 0) > :seen)"
		" FROM sessions WHERE (:project IS NULL OR project = :project)"
		" AND (:user IS NULL OR user = :user)");
	int rc;

	if (!st)
		return -1;
	db_bind_int(st, ":pub", pub);
	db_bind_int(st, ":seen", seen);
	db_bind_text(st, ":project", project);
	db_bind_text(st, ":user", user);
	rc = db_step(st);
	*before = *after = 0;
	if (rc == 1) {
		*before = (int)db_col_int(st, 0);
		*after = (int)db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int session_row_count_files(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET files ="
		" (SELECT count(*) FROM files WHERE session_id = :id) WHERE id = :id");

	return !st || db_bind_text(st, ":id", id) || db_run(st) < 0 ? -1 : 0;
}
