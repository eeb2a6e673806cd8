/*
 * session-db.c: a session's rows in the store (sessions, observations), as
 * run and merge write them, and the union of two readings of one session.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/hash.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/obs-store.h"
#include "dreamd/session-db.h"
#include "dreamd/util.h"
#include "store/db.h"

int sdb_store(struct db *db, const struct session *s, const struct stored *w,
	      int64_t run, int known)
{
	const struct session_meta *m = &s->meta;
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
	    db_bind_text(st, ":hash", w->hash) || db_bind_int(st, ":files", (int64_t)w->nfiles) ||
	    db_bind_int(st, ":events", (int64_t)s->nevents) ||
	    db_bind_int(st, ":turns", s->user_turns) || db_bind_int(st, ":calls", s->tool_calls) ||
	    db_bind_int(st, ":errors", s->tool_errors) ||
	    db_bind_int(st, ":skipped", s->skipped_lines) ||
	    db_bind_blob(st, ":digest", w->digest, w->digest_len) ||
	    db_bind_int(st, ":run", run) || db_run(st) < 0)
		return -1;
	return obs_list_store(db, m->id, w->obs, known);
}

char *sdb_hash(struct db *db, const char *id, char **user)
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

int sdb_load(struct db *db, const char *id, struct session *s)
{
	struct db_stmt *st = db_prepare(db, "SELECT digest FROM sessions WHERE id = :id");
	int ret = -1;

	if (!st)
		return -1;
	db_bind_text(st, ":id", id);
	if (db_step(st) == 1) {
		size_t len;
		const void *blob = db_col_blob(st, 0, &len);

		ret = digest_decode(blob, len, s);
	}
	db_done(st);
	return ret;
}

int sdb_count_files(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET files ="
		" (SELECT count(*) FROM files WHERE session_id = :id) WHERE id = :id");

	return !st || db_bind_text(st, ":id", id) || db_run(st) < 0 ? -1 : 0;
}

int sdb_store_union(struct db *db, const struct config *cfg, struct extractor_set **set,
		    struct session *u, int64_t run, const char *where)
{
	char hash[24];
	struct obs_list obs = { 0 };
	struct stored w = { 0 };
	char *cause = NULL;
	void *digest = NULL;
	size_t len = 0;
	int ret = -1;

	if (!*set && !(*set = extractor_set_new(cfg)))
		return -1;
	if (extract_session(*set, u, &obs, &cause) < 0) {
		error("extractor failed: %s '%s'", cause ? cause : "?", where);
		goto cleanup;
	}
	if (digest_encode(u, &digest, &len) < 0) {
		error("merged session too large to store '%s'", where);
		goto cleanup;
	}
	snprintf(hash, sizeof(hash), "%016llx",
		 (unsigned long long)hash64(digest, len, HASH64_SEED ^ 0x756e696f6eULL));
	w.digest = digest;
	w.digest_len = len;
	w.obs = &obs;
	w.hash = hash;
	ret = sdb_store(db, u, &w, run, 1);
cleanup:
	obs_list_release(&obs);
	free(digest);
	free(cause);
	return ret;
}

int sdb_record_capped(struct db *db, const char *id, const char *path, size_t dropped,
		      int64_t run)
{
	char *q = name_quote(id), *p = name_quote(path);
	char *why = xasprintf("session '%s' merged over the event or size limit, %zu events"
			      " dropped '%s'", q, dropped, p);
	struct db_stmt *st = db_prepare(db, "INSERT INTO quarantine (path, line, kind, reason,"
		" run, at) SELECT :path, NULL, 'too-many-events', :why, :run, :at WHERE NOT EXISTS"
		" (SELECT 1 FROM quarantine WHERE path = :path AND kind = 'too-many-events' AND"
		" reason = :why)");
	int r = !st || db_bind_text(st, ":path", path) || db_bind_text(st, ":why", why) ||
		db_bind_int(st, ":run", run) || db_bind_int(st, ":at", now_ms()) ||
		db_run(st) < 0 ? -1 : 0;

	warning("%s", why);
	free(why);
	free(p);
	free(q);
	return r;
}
