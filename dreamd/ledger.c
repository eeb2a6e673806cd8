/*
 * ledger.c: storing a run's ingested units: the files ledger, the sessions
 * with their identity (first user, merges), the quarantine (ledger.h). What
 * it decides goes in through store/ledger.h and store/sessions.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/ledger.h"
#include "dreamd/names.h"
#include "dreamd/obs-store.h"
#include "dreamd/session-db.h"
#include "dreamd/util.h"
#include "store/ledger.h"
#include "store/sessions.h"


int ledger_unchanged(struct db *db, const struct spool_unit *u, int retry)
{
	size_t i;

	for (i = 0; i < u->nfiles; i++) {
		const struct spool_file *f = &u->files[i];
		int rc = files_seen(db, f->path, f->size, f->mtime, retry);

		if (rc != 1)
			return rc;
	}
	return 1;
}

static int record_files(struct db *db, const struct job *j, const char *session,
			const char *status, int64_t run)
{
	size_t i;

	for (i = 0; i < j->unit->nfiles; i++) {
		const struct spool_file *f = &j->unit->files[i];
		char hash[17];
		struct file_row row = {
			.path = f->path, .size = f->size, .mtime = f->mtime, .hash = hash,
			.session = session, .status = status, .run = run,
		};

		snprintf(hash, sizeof(hash), "%016llx", j->s.file_hashes ?
			 (unsigned long long)j->s.file_hashes[i] : 0ULL);
		if (files_put(db, &row) < 0)
			return -1;
	}
	return 0;
}

static int record_bad(struct db *db, const struct session *s, int64_t run)
{
	size_t i;

	for (i = 0; i < s->nbad; i++) {
		const struct bad_input *b = &s->bad[i];

		if (quarantine_add(db, b->path, b->line, b->kind, b->reason, run) < 0)
			return -1;
	}
	return 0;
}

/*
 * A session id is its first user's: a unit of another user that carries it
 * is quarantined, never stored over the session (a file in SPOOL/mallory/
 * with alice's session id cannot change her session).
 */
static void quarantine_clash(struct job *j, const char *owner)
{
	char *id = name_quote(j->s.meta.id), *u = name_quote(owner);
	char *what = xasprintf("session '%s' belongs to user '%s', not replaced", id, u);

	session_add_bad(&j->s, j->unit->files[0].path, 0, "session-clash", what);
	j->s.unusable = 1;
	free(what);
	free(id);
	free(u);
}

/* Did a file of the unit fail as a whole (not just a line of it)? */
static int file_problem(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->nbad; i++)
		if (!s->bad[i].line && strcmp(s->bad[i].kind, "future-timestamp"))
			return 1;
	return 0;
}

/* Did the unit fail only for reasons that may go away by themselves? */
static int transient(const struct session *s)
{
	size_t i;

	for (i = 0; i < s->nbad; i++)
		if (strcmp(s->bad[i].kind, "unreadable") && strcmp(s->bad[i].kind, "read-error") &&
		    strcmp(s->bad[i].kind, "missing"))
			return 0;
	return s->nbad > 0;
}

struct others {
	const struct job *j;
	struct strbuf *first;	/* the first one's name, quoted */
	int n;
};

static int other_source(void *arg, const char *p)
{
	struct others *o = arg;
	size_t i;

	for (i = 0; i < o->j->unit->nfiles; i++)
		if (!strcmp(p, o->j->unit->files[i].path))
			return 0;
	if (!o->n++) {
		char *q = name_quote(p);

		strbuf_addstr(o->first, q);
		free(q);
	}
	return 0;
}

/* The paths of the files a session was stored from, but not the unit's. */
static int other_sources(struct db *db, const struct job *j, struct strbuf *first)
{
	struct others o = { j, first, 0 };

	return files_of_session(db, j->s.meta.id, other_source, &o) < 0 ? -1 : o.n;
}

/*
 * The unit's session is stored already from other files (Claude Code
 * writes a session again as it grows): the two readings are merged by
 * event identity, the superset wins and nothing shrinks (but to the
 * session's limits). Returns 0 when the unit's own reading is to be stored
 * as usual, 2 when it is to be stored as the superset of the stored one, 1
 * when the merge was stored here, 3 when it was and was cut to the limits
 * (bad input), -1 on error.
 */
static int merge_stored(struct ledger *l, struct job *j)
{
	struct session old, add;
	struct strbuf other;
	enum session_merge m;
	char more[40] = "", *id = NULL, *path = NULL;
	size_t nfresh, dropped = 0;
	int n, ret = -1;

	strbuf_init(&other, 4096);
	session_init(&old);
	session_init(&add);
	n = other_sources(l->db, j, &other);
	if (n <= 0) {
		ret = n;
		goto cleanup;
	}
	if (sdb_load(l->db, j->s.meta.id, &old) < 0 ||
	    digest_decode(&j->digest, &add) < 0)
		goto cleanup;
	m = session_merge(&old, &add, l->cfg->max_events, l->cfg->max_session_bytes, &nfresh,
			  &dropped);
	id = name_quote(j->s.meta.id);
	path = name_quote(j->unit->files[0].path);
	if (n > 1)
		snprintf(more, sizeof(more), " and %d more files", n - 1);
	l->t->merged++;
	if (m == MERGE_NEW) {
		info("session '%s' merged: '%s' holds all of '%s'%s, %zu events (%zu new)", id,
		     path, other.buf, more, add.nevents, nfresh);
		ret = 2;
		goto cleanup;
	}
	if (m == MERGE_OLD) {
		info("session '%s' merged: '%s' adds nothing to '%s'%s, %zu events kept", id, path,
		     other.buf, more, old.nevents);
	} else {
		info("session '%s' merged: '%s' with '%s'%s, %zu events (%zu new)", id, path,
		     other.buf, more, old.nevents, nfresh);
		if (sdb_store_union(l->db, l->cfg, &l->set, &old, l->run,
				    j->unit->files[0].path) < 0 ||
		    (dropped && sdb_record_capped(l->db, j->s.meta.id, j->unit->files[0].path,
						  dropped, l->run) < 0))
			goto cleanup;
	}
	if (record_files(l->db, j, j->s.meta.id, "ingested", l->run) < 0 ||
	    session_row_count_files(l->db, j->s.meta.id) < 0)
		goto cleanup;
	ret = dropped ? 3 : 1;
cleanup:
	strbuf_release(&other);
	session_release(&old);
	session_release(&add);
	free(id);
	free(path);
	return ret;
}

int ledger_write(struct ledger *l, struct job *j)
{
	struct db *db = l->db;
	int64_t run = l->run;
	struct run_totals *t = l->t;
	struct stored w = { 0 };
	char hash[24], *old, *owner = NULL;
	size_t i;
	int bad = j->s.nbad > 0, part, r;

	t->files += (int)j->unit->nfiles;
	for (i = 0; i < j->unit->nfiles; i++)
		t->bytes += (uint64_t)j->unit->files[i].size;
	if (!j->s.unusable && j->s.meta.id && !j->cause) {
		old = session_row_hash(db, j->s.meta.id, &owner);
		if (old && strcmp(owner, j->s.meta.user)) {
			quarantine_clash(j, owner);
			t->clashes++;
		}
		free(owner);
		free(old);
	}
	if (record_bad(db, &j->s, run) < 0)
		return -1;
	t->bad_lines += (int)j->s.nbad;
	if (j->s.unusable || !j->s.meta.id) {
		t->quarantined++;
		/* What may pass by itself (a file not readable yet) is retried. */
		if (transient(&j->s))
			return 1;
		return record_files(db, j, NULL, "quarantined", run) < 0 ? -1 : 1;
	}
	if (j->cause) {
		/* An extractor failing is a bug, not bad input: stop. */
		return error("extractor failed: %s '%s'", j->cause, j->unit->files[0].path);
	}
	/*
	 * A session kept in part (a file cut short) is marked so in its hash,
	 * or reading the whole of it later would pass for the same content,
	 * and in the ledger, so --retry-quarantined reads it again.
	 */
	part = file_problem(&j->s);
	snprintf(hash, sizeof(hash), "%016llx%s", (unsigned long long)j->s.content_hash,
		 part ? "-part" : "");
	old = session_row_hash(db, j->s.meta.id, NULL);
	if (old && !strcmp(old, hash)) {
		/* The same content under another name: counted once. */
		t->duplicates++;
		free(old);
		return record_files(db, j, j->s.meta.id, "ingested", run) < 0 ? -1 : bad;
	}
	r = old ? merge_stored(l, j) : 0;
	if (r == 1 || r == 3 || r < 0) {
		free(old);
		return r < 0 ? -1 : bad || r == 3;
	}
	if (r != 2)	/* a merge is no new session */
		t->sessions++;
	w.digest = &j->digest;
	w.obs = &j->obs;
	w.nfiles = j->unit->nfiles;
	w.hash = hash;
	r = sdb_store(db, &j->s, &w, run, old != NULL);
	if (r < 0 || record_files(db, j, j->s.meta.id, part ? "quarantined" : "ingested",
				  run) < 0 ||
	    (old && session_row_count_files(db, j->s.meta.id) < 0))
		r = -1;
	free(old);
	return r < 0 ? -1 : bad;
}

void ledger_release(struct ledger *l)
{
	if (l->set)
		extractor_set_free(l->set);
	l->set = NULL;
}
