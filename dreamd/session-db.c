/*
 * session-db.c: a session's rows in the store (sessions, observations), as
 * run and merge write them, and the union of two readings of one session.
 * The rows go in through store/sessions.h and obs-store.h, a union cut to
 * the limits into the quarantine through store/ledger.h.
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
#include "store/ledger.h"
#include "store/sessions.h"

int sdb_store(struct db *db, const struct session *s, const struct stored *w,
	      int64_t run, int known)
{
	struct session_row r = {
		.meta = &s->meta, .hash = w->hash, .files = (int64_t)w->nfiles,
		.events = (int64_t)s->nevents, .user_turns = s->user_turns,
		.tool_calls = s->tool_calls, .tool_errors = s->tool_errors,
		.skipped_lines = s->skipped_lines, .digest = w->digest->data,
		.digest_len = w->digest->len, .digest_file = w->digest->file, .run = run,
	};

	if (session_row_put(db, &r) < 0)
		return -1;
	return obs_list_store(db, s->meta.id, w->obs, known);
}

int sdb_load(struct db *db, const char *id, struct session *s)
{
	return sdb_load_in(db, "main", id, s);
}

int sdb_load_in(struct db *db, const char *schema, const char *id, struct session *s)
{
	struct digest_reader *r = digest_reader_new(s);
	int read = session_row_digest_in(db, schema, id, digest_reader_feed, r);

	return digest_reader_end(r) < 0 || read < 0 ? -1 : 0;
}

int sdb_store_union(struct db *db, const struct config *cfg, struct extractor_set **set,
		    struct session *u, int64_t run, const char *where)
{
	char hash[24];
	struct obs_list obs = { 0 };
	struct stored w = { 0 };
	struct digest d = { 0 };
	char *cause = NULL;
	int ret = -1;

	if (!*set && !(*set = extractor_set_new(cfg)))
		return -1;
	if (extract_session(*set, u, &obs, &cause) < 0) {
		error("extractor failed: %s '%s'", cause ? cause : "?", where);
		goto cleanup;
	}
	if (digest_encode(u, &d) < 0) {
		error("merged session too large to store '%s'", where);
		goto cleanup;
	}
	snprintf(hash, sizeof(hash), "%016llx",
		 (unsigned long long)digest_hash64(&d, HASH64_SEED ^ 0x756e696f6eULL));
	w.digest = &d;
	w.obs = &obs;
	w.hash = hash;
	ret = sdb_store(db, u, &w, run, 1);
cleanup:
	obs_list_release(&obs);
	digest_release(&d);
	free(cause);
	return ret;
}

int sdb_record_capped(struct db *db, const char *id, const char *path, size_t dropped,
		      int64_t run)
{
	char *q = name_quote(id), *p = name_quote(path);
	char *why = xasprintf("session '%s' merged over the event or size limit, %zu events"
			      " dropped '%s'", q, dropped, p);
	int r = quarantine_add_once(db, path, "too-many-events", why, run);

	warning("%s", why);
	free(why);
	free(p);
	free(q);
	return r;
}
