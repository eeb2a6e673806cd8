/*
 * sessions.c: the sessions table; see sessions.h. The only SQL that
 * writes it but merge's copy.
 */
#include "store/sessions.h"

#include "dreamd/common/alloc.h"
#include "store/db.h"

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
	    db_bind_blob(st, ":digest", r->digest, r->digest_len) ||
	    db_bind_int(st, ":run", r->run) || db_run(st) < 0)
		return -1;
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

int session_row_digest(struct db *db, const char *id, session_digest_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db, "SELECT digest FROM sessions WHERE id = :id");
	int ret = -1;

	if (!st)
		return -1;
	db_bind_text(st, ":id", id);
	if (db_step(st) == 1) {
		size_t len;
		const void *blob = db_col_blob(st, 0, &len);

		ret = fn(arg, blob, len);
	}
	db_done(st);
	return ret;
}

int session_row_count_files(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET files ="
		" (SELECT count(*) FROM files WHERE session_id = :id) WHERE id = :id");

	return !st || db_bind_text(st, ":id", id) || db_run(st) < 0 ? -1 : 0;
}
