/*
 * history.c: the memories, their versions and their generations; see
 * history.h. The only SQL on those four tables is here.
 */
#include "store/history.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/alloc.h"
#include "dreamd/common/clock.h"
#include "store/db.h"

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

int memory_rows_load(struct db *db, struct memory_row **rows, size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT id, status, snapshot, version, extractor, key FROM memories ORDER BY id");
	size_t alloc = 0;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		struct memory_row *r;

		ALLOC_GROW(*rows, *n + 1, alloc);
		r = &(*rows)[(*n)++];
		r->id = xstrdup(db_col_text(st, 0));
		r->status = memory_status_of(db_col_text(st, 1));
		r->snapshot = xstrdup(db_col_text(st, 2));
		r->version = db_col_int(st, 3);
		r->extractor = xstrdup(db_col_text(st, 4));
		r->key = xstrdup(db_col_text(st, 5));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void memory_row_release(struct memory_row *r)
{
	free(r->id);
	free(r->snapshot);
	free(r->extractor);
	free(r->key);
	memset(r, 0, sizeof(*r));
}

void memory_rows_release(struct memory_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		memory_row_release(&rows[i]);
	free(rows);
}

int memory_exists(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "SELECT 1 FROM memories WHERE id = :id");
	int rc;

	if (!st || db_bind_text(st, ":id", id) < 0)
		return -1;
	rc = db_step(st);
	db_done(st);
	return rc;
}

int memory_put(struct db *db, const struct memory *m, const char *key,
	       const struct memory_change *ch)
{
	char *rec = memory_to_json(m);
	struct db_stmt *st;
	int ret = -1;

	st = db_prepare(db,
		"INSERT INTO memory_versions (memory_id, version, gen, change, actor, reason, snapshot)"
		" VALUES (:id, :version, :gen, :change, :actor, :reason, :snapshot)");
	db_bind_text(st, ":id", m->id);
	db_bind_int(st, ":version", m->version);
	db_bind_int(st, ":gen", ch->gen);
	db_bind_text(st, ":change", ch->change);
	db_bind_text(st, ":actor", ch->actor);
	db_bind_text(st, ":reason", ch->reason);
	db_bind_text(st, ":snapshot", rec);
	if (db_run(st) < 0)
		goto done;
	st = db_prepare(db,
		"INSERT INTO memories (id, extractor, kind, key, slot, scope, status, version, snapshot)"
		" VALUES (:id, :extractor, :kind, :key, :slot, :scope, :status, :version, :snapshot)"
		" ON CONFLICT (id) DO UPDATE SET extractor = excluded.extractor,"
		" kind = excluded.kind, key = excluded.key, slot = excluded.slot,"
		" scope = excluded.scope, status = excluded.status,"
		" version = excluded.version, snapshot = excluded.snapshot");
	db_bind_text(st, ":id", m->id);
	db_bind_text(st, ":extractor", m->extractor);
	db_bind_text(st, ":kind", memory_kind_name(m->kind));
	db_bind_text(st, ":key", key);
	db_bind_text(st, ":slot", m->slot);
	db_bind_text(st, ":scope", m->scope);
	db_bind_text(st, ":status", memory_status_name(m->status));
	db_bind_int(st, ":version", m->version);
	db_bind_text(st, ":snapshot", rec);
	if (db_run(st) < 0)
		goto done;
	ret = 0;
done:
	free(rec);
	return ret;
}

int memory_count(struct db *db, int *live, int *total)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*) FILTER (WHERE status IN ('active', 'pinned')), count(*)"
		" FROM memories");
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == 1) {
		*live = (int)db_col_int(st, 0);
		*total = (int)db_col_int(st, 1);
	}
	db_done(st);
	return rc == 1 ? 0 : -1;
}

int memory_first_published_run(struct db *db, const char *id, int64_t *run, int64_t *seen)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT g.run,"
		" CAST(strftime('%s', json_extract(v.snapshot, '$.last_seen')) AS INTEGER)"
		" FROM memory_versions v JOIN generations g ON g.gen = v.gen"
		" WHERE v.memory_id = :id"
		" AND json_extract(v.snapshot, '$.status') IN ('active', 'pinned')"
		" ORDER BY g.run, v.version LIMIT 1");
	int rc;

	*run = 0;
	if (seen)
		*seen = 0;
	db_bind_text(st, ":id", id);
	rc = db_step(st);
	if (rc == 1) {
		*run = db_col_int(st, 0);
		/* the record says seconds: the whole second was seen */
		if (seen && !db_col_is_null(st, 1))
			*seen = db_col_int(st, 1) * 1000 + 999;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

int memory_load_current(struct db *db, const char *id, struct memory *m, int64_t *gen)
{
	static const char *const sql[] = {
		"SELECT v.snapshot, gm.gen FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.memory_id = :id AND gm.gen = (SELECT max(gen) FROM generations)",
		"SELECT snapshot, gen FROM memory_versions WHERE memory_id = :id"
		" ORDER BY version DESC LIMIT 1",
		"SELECT snapshot, NULL FROM memories WHERE id = :id",
	};
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		struct db_stmt *st = db_prepare(db, sql[i]);
		int r;

		if (!st || db_bind_text(st, ":id", id) < 0)
			return -1;
		r = db_step(st);
		if (r == 1) {
			const char *snap = db_col_text(st, 0);

			*gen = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
			if (!snap || memory_parse(m, snap) < 0) {
				db_done(st);
				return db_report("corrupt snapshot of memory '%s'", id);
			}
		}
		db_done(st);
		if (r != 0)
			return r;
	}
	return 0;
}

int memory_versions_load(struct db *db, const char *id, struct memory_version **v,
			 size_t *n)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT v.version, v.gen, v.change, v.actor, v.reason, g.published_at"
		" FROM memory_versions v LEFT JOIN generations g ON g.gen = v.gen"
		" WHERE v.memory_id = :id ORDER BY v.version");
	size_t alloc = 0;
	int rc;

	*v = NULL;
	*n = 0;
	if (!st || db_bind_text(st, ":id", id) < 0)
		return -1;
	while ((rc = db_step(st)) == 1) {
		struct memory_version *x;

		ALLOC_GROW(*v, *n + 1, alloc);
		x = &(*v)[(*n)++];
		x->version = db_col_int(st, 0);
		x->gen = db_col_int(st, 1);
		x->change = dup_or_null(db_col_text(st, 2));
		x->actor = dup_or_null(db_col_text(st, 3));
		x->reason = dup_or_null(db_col_text(st, 4));
		x->published_at = db_col_is_null(st, 5) ? -1 : db_col_int(st, 5);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void memory_versions_release(struct memory_version *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].change);
		free(v[i].actor);
		free(v[i].reason);
	}
	free(v);
}

int memory_support_history(struct db *db, const char *id, int64_t lo, int64_t hi,
			   int64_t *sessions)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT gm.gen, v.snapshot FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.memory_id = :id AND gm.gen BETWEEN :lo AND :hi ORDER BY gm.gen");
	int r;

	db_bind_text(st, ":id", id);
	db_bind_int(st, ":lo", lo);
	db_bind_int(st, ":hi", hi);
	while ((r = db_step(st)) == 1) {
		int64_t gen = db_col_int(st, 0);
		const char *snap = db_col_text(st, 1);
		struct memory m;

		if (gen < lo || gen > hi || !snap || memory_parse(&m, snap) < 0)
			continue;
		sessions[gen - lo] = m.sessions;
		memory_release(&m);
	}
	db_done(st);
	return r < 0 ? -1 : 0;
}

int generation_changes(struct db *db, int64_t gen,
		       int (*fn)(void *arg, const char *change, const struct memory *m),
		       void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT change, memory_id, snapshot FROM memory_versions WHERE gen = :g"
		" ORDER BY memory_id");
	int rc, ret = 0;

	if (!st || db_bind_int(st, ":g", gen) < 0)
		return -1;
	while (!ret && (rc = db_step(st)) == 1) {
		struct memory m;

		if (memory_parse(&m, db_col_text(st, 2)) < 0) {
			ret = db_report("corrupt snapshot of memory '%s'", db_col_text(st, 1));
			break;
		}
		ret = fn(arg, db_col_text(st, 0), &m);
		memory_release(&m);
	}
	db_done(st);
	return ret ? -1 : rc < 0 ? -1 : 0;
}

/* Generations ---------------------------------------------------------------- */

int generation_current(struct db *db, int64_t *gen)
{
	struct db_stmt *st = db_prepare(db, "SELECT coalesce(max(gen), 0) FROM generations");
	int rc;

	if (!st)
		return -1;
	rc = db_step(st);
	if (rc == 1)
		*gen = db_col_int(st, 0);
	db_done(st);
	return rc == 1 ? 0 : -1;
}

int generation_next(struct db *db, int64_t *gen)
{
	if (generation_current(db, gen) < 0)
		return -1;
	++*gen;
	return 0;
}

int generation_exists(struct db *db, int64_t gen)
{
	struct db_stmt *st;
	int r;

	if (gen == 0)
		return 1;
	if (gen < 0)
		return 0;
	st = db_prepare(db, "SELECT 1 FROM generations WHERE gen = :gen");
	if (!st || db_bind_int(st, ":gen", gen) < 0)
		return -1;
	r = db_step(st);
	db_done(st);
	return r;
}

int generation_publish(struct db *db, int64_t gen, int64_t run, const char *summary)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO generations (gen, run, published_at, summary)"
			" VALUES (:gen, :run, :at, :summary)");
	db_bind_int(st, ":gen", gen);
	db_bind_int(st, ":run", run);
	db_bind_int(st, ":at", now_ms());
	db_bind_text(st, ":summary", summary);
	if (db_run(st) < 0)
		return -1;
	st = db_prepare(db, "INSERT INTO generation_members (gen, memory_id, version)"
			" SELECT :gen, id, version FROM memories");
	db_bind_int(st, ":gen", gen);
	return db_run(st);
}

int generation_latest_load(struct db *db, struct generation_latest *g)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT count(*), max(gen), (SELECT published_at FROM generations ORDER BY gen DESC"
		" LIMIT 1), (SELECT summary FROM generations ORDER BY gen DESC LIMIT 1)"
		" FROM generations");
	int r;

	memset(g, 0, sizeof(*g));
	r = db_step(st);
	if (r == 1) {
		g->count = db_col_int(st, 0);
		g->current = db_col_int(st, 1);
		g->published = !db_col_is_null(st, 2);
		g->published_at = db_col_int(st, 2);
		g->summary = dup_or_null(db_col_text(st, 3));
	}
	db_done(st);
	return r == 1 ? 0 : -1;
}

int generation_count_by_status(struct db *db,
				int (*fn)(void *arg, const char *status, int64_t count), void *arg)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT json_extract(v.snapshot, '$.status') AS s, count(*)"
		" FROM generation_members gm JOIN memory_versions v"
		" ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.gen = (SELECT max(gen) FROM generations) GROUP BY s ORDER BY s");
	int r, stop = 0;

	while (!stop && (r = db_step(st)) == 1)
		stop = fn(arg, db_col_text(st, 0), db_col_int(st, 1));
	db_done(st);
	return stop ? stop : r < 0 ? -1 : 0;
}

int generation_set_summary(struct db *db, int64_t gen, const char *summary)
{
	struct db_stmt *st = db_prepare(db, "UPDATE generations SET summary = :summary"
					" WHERE gen = :gen");

	db_bind_text(st, ":summary", summary);
	db_bind_int(st, ":gen", gen);
	return db_run(st);
}

static int generation_load_members(struct db *db, struct generation *g)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT gm.memory_id, v.snapshot FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.gen = :gen ORDER BY gm.memory_id");
	size_t alloc = 0;
	int r;

	if (!st || db_bind_int(st, ":gen", g->gen) < 0)
		return -1;
	while ((r = db_step(st)) == 1) {
		const char *id = db_col_text(st, 0);
		const char *snap = db_col_text(st, 1);

		ALLOC_GROW(g->mems, g->nmems + 1, alloc);
		if (!snap || memory_parse(&g->mems[g->nmems], snap) < 0) {
			db_report("corrupt snapshot of memory '%s' in generation %lld",
			      id ? id : "?", (long long)g->gen);
			db_done(st);
			return -1;
		}
		g->nmems++;
	}
	db_done(st);
	return r < 0 ? -1 : 0;
}

int generation_load(struct db *db, int64_t gen, struct generation *g)
{
	struct db_stmt *st;
	int r;

	memset(g, 0, sizeof(*g));
	g->gen = gen;
	if (gen == 0) {
		g->summary = xstrdup("the empty set");
		return 0;
	}
	st = db_prepare(db, "SELECT published_at, summary FROM generations WHERE gen = :gen");
	if (!st || db_bind_int(st, ":gen", gen) < 0)
		return -1;
	r = db_step(st);
	if (r == 1) {
		const char *s = db_col_text(st, 1);

		g->published_at = db_col_int(st, 0);
		g->summary = xstrdup(s ? s : "");
	}
	db_done(st);
	if (r < 0)
		return -1;
	if (r == 0)
		return db_report("no generation '%lld'", (long long)gen);
	if (generation_load_members(db, g) < 0) {
		generation_release(g);
		return -1;
	}
	return 0;
}

void generation_release(struct generation *g)
{
	size_t i;

	for (i = 0; i < g->nmems; i++)
		memory_release(&g->mems[i]);
	free(g->mems);
	free(g->summary);
	memset(g, 0, sizeof(*g));
}

const struct memory *generation_find(const struct generation *g, const char *id)
{
	size_t lo = 0, hi = g->nmems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->mems[mid].id, id);

		if (!c)
			return &g->mems[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
