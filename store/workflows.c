/*
 * workflows.c: the session_workflows table; see workflows.h. The only SQL
 * on it but merge's copy and show's support (support.c).
 */
#include "store/workflows.h"

#include "store/db.h"

int workflows_delete(struct db *db, const char *session_id)
{
	struct db_stmt *st = db_prepare(db, "DELETE FROM session_workflows WHERE session_id = :s");

	if (!st || db_bind_text(st, ":s", session_id) || db_run(st) < 0)
		return -1;
	return 0;
}

int workflows_put(struct db *db, const char *session_id, const char *extractor,
		  const char *grams, size_t len)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT OR REPLACE INTO session_workflows (session_id, extractor, grams)"
		" VALUES (:s, :e, :g)");

	if (!st || db_bind_text(st, ":s", session_id) || db_bind_text(st, ":e", extractor) ||
	    db_bind_textn(st, ":g", grams, len) || db_run(st) < 0)
		return -1;
	return 0;
}

int workflows_each(struct db *db, workflows_fn fn, void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT w.session_id, w.extractor, w.grams, s.user, s.agent, s.project"
		" FROM session_workflows w JOIN sessions s ON s.id = w.session_id");
	int rc = 0, stop = 0;

	if (!st)
		return -1;
	while (!stop && (rc = db_step(st)) == 1) {
		struct workflows_row r = {
			.session_id = db_col_text(st, 0), .extractor = db_col_text(st, 1),
			.grams = db_col_text(st, 2), .user = db_col_text(st, 3),
			.agent = db_col_text(st, 4), .project = db_col_text(st, 5),
		};

		stop = fn(arg, &r);
	}
	db_done(st);
	return stop ? stop : rc < 0 ? -1 : 0;
}
