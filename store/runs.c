/*
 * runs.c: the run log: a row per run in its table, and what the last ones
 * say (is the last curation still current?). A run's summary goes into
 * its generation through store/history.h. The only writer of runs and shards.
 */
#include "store/runs.h"

#include <stdio.h>
#include <stdlib.h>

#include "dreamd/common/alloc.h"
#include "dreamd/common/clock.h"
#include "store/db.h"
#include "store/history.h"

int run_insert(struct db *db, const char *kind, const char *actor, int64_t *run_id)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO runs (kind, actor, started_at) VALUES (:kind, :actor, :at)");
	if (!st || db_bind_text(st, ":kind", kind) || db_bind_text(st, ":actor", actor) ||
	    db_bind_int(st, ":at", now_ms()) || db_run(st) < 0)
		return -1;
	*run_id = db_last_rowid(db);
	return 0;
}

int run_start(struct db *db, const char *kind, const char *actor, int64_t *run_id)
{
	if (db_begin(db) < 0)
		return -1;
	if (run_insert(db, kind, actor, run_id) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int run_finish(struct db *db, int64_t run_id, int64_t gen, int status,
		      const char *summary, const char *timing, const char *curated)
{
	char *logged = xasprintf("%s%s", summary, timing ? timing : "");
	int ret;
	struct db_stmt *st = db_prepare(db,
		"UPDATE runs SET finished_at = :at, gen = :gen, status = :status,"
		" summary = :summary, curated = :curated WHERE id = :id");

	ret = !st || db_bind_int(st, ":at", now_ms()) || db_bind_int(st, ":status", status) ||
		db_bind_text(st, ":summary", logged) || db_bind_text(st, ":curated", curated) ||
		db_bind_int(st, ":id", run_id) ||
		(gen ? db_bind_int(st, ":gen", gen) : db_bind_text(st, ":gen", NULL)) ||
		db_run(st) < 0 ? -1 : 0;
	free(logged);
	if (ret < 0 || !gen)
		return ret;
	return generation_set_summary(db, gen, summary);
}

int run_curation_is_current(struct db *db, const char *fingerprint)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT r.curated = :fp"
		" AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.run > r.id)"
		" FROM runs r WHERE r.curated IS NOT NULL AND r.finished_at IS NOT NULL"
		" ORDER BY r.id DESC LIMIT 1");
	int current = 0;

	if (!st || db_bind_text(st, ":fp", fingerprint))
		return 0;
	if (db_step(st) == 1)
		current = (int)db_col_int(st, 0);
	db_done(st);
	return current;
}

int run_record_shard(struct db *db, int64_t run_id, unsigned k, unsigned n, const char *rules)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO shards (run, shard, shards, rules)"
					" VALUES (:run, :k, :n, :fp)");

	return !st || db_bind_int(st, ":run", run_id) || db_bind_int(st, ":k", k) ||
		db_bind_int(st, ":n", n) || db_bind_text(st, ":fp", rules) || db_run(st) < 0 ?
		-1 : 0;
}

const char *run_generation_phrase(int64_t gen, char buf[32])
{
	if (gen)
		snprintf(buf, 32, "generation %lld", (long long)gen);
	else
		snprintf(buf, 32, "no new generation");
	return buf;
}
