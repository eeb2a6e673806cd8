/*
 * workflows.c: the session_workflows table; see workflows.h. The only SQL
 * that writes it but merge's copy.
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
