/*
 * cmd-run.c: dreamd run, the nightly job.
 *
 *   lock -> scan the spools -> skip what the ledger has seen -> ingest and
 *   extract (in --jobs workers) -> one writer stores sessions, observations
 *   and the ledger -> curate -> publish a generation -> one summary line
 *
 * Workers decode, parse, redact, extract and compress a session each; the
 * main thread is the only writer and takes their results in spool order,
 * so the store, and so the generation, is the same whatever --jobs says.
 * A run commits twice: the sessions it ingested, then the generation it
 * curated with its run record. After a crash at any point the published
 * generation is the one before; the next run ingests what is left and,
 * finding sessions newer than the last curation, curates again.
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/obs-store.h"
#include "dreamd/options.h"
#include "dreamd/pool.h"
#include "dreamd/redact.h"
#include "dreamd/runs.h"
#include "dreamd/store-open.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"

static const char usage[] =
	"usage: dreamd run [--spool DIR]... [--jobs N] [--now] [--retry-quarantined]\n"
	"\n"
	"The nightly job: ingest new and grown transcripts from the spools, find\n"
	"recurring mistakes, workflows and preferences, and publish the memories\n"
	"as a new generation when anything changed.\n"
	"\n"
	"  --spool DIR   a spool root, SPOOL/<user>/.../<session>.jsonl[.zst];\n"
	"                repeatable; default: run.spools from the config\n"
	"  --jobs N      worker threads (default: run.jobs, else the number of cores)\n"
	"  --now         take files modified within ingest.idle_minutes too (a first\n"
	"                try on freshly copied transcripts)\n"
	"  --retry-quarantined\n"
	"                read quarantined files again (after raising a limit);\n"
	"                files that could not be read at all are retried anyway\n"
	"\n"
	"Files modified within ingest.idle_minutes (default 15) are left for the\n"
	"next run, and the summary counts them. A second run while one holds\n"
	"the lock exits 75 at once.\n"
	"Exit: 0 done, 65 some inputs were quarantined (all others processed),\n"
	"66 a spool is missing, 74 store failure, 75 locked, 78 bad configuration.\n";

/* One unit of work: a session unit in, a session and its findings out. */
struct job {
	struct spool_unit *unit;
	struct session s;
	struct obs_list obs;
	void *digest;
	size_t digest_len;
	char *cause;		/* an extractor failed */
};

struct totals {
	int files, sessions, unchanged, duplicates, quarantined, bad_lines;
	int clashes;		/* quarantined: another user's session id */
	int merged;		/* units merged into a session stored from other files */
	uint64_t bytes;
};

static void do_job(struct job *j, const struct ingest_opts *opts,
		   struct extractor_set *set)
{
	size_t i;

	ingest_unit(j->unit, opts, &j->s);
	if (j->s.unusable)
		return;
	if (extract_session(set, &j->s, &j->obs, &j->cause) < 0) {
		if (!j->cause)
			j->cause = xstrdup("extractor failed");
		return;
	}
	if (digest_encode(&j->s, &j->digest, &j->digest_len) < 0) {
		/* Bad input, not a bug: quarantine it and go on. */
		session_add_bad(&j->s, j->unit->files[0].path, 0, "too-large",
				"session too large to store");
		j->s.unusable = 1;
	}
	/* The digest holds the events now; free them early to keep RSS low. */
	for (i = 0; i < j->s.nevents; i++) {
		free(j->s.events[i].text);
		j->s.events[i].text = NULL;
	}
}

static void job_release(struct job *j)
{
	session_release(&j->s);
	obs_list_release(&j->obs);
	free(j->digest);
	free(j->cause);
	j->digest = NULL;
	j->cause = NULL;
}

/* What the pool's callbacks share: the jobs and the writer's side. */
struct batch {
	struct job *jobs;
	size_t n;
	const struct ingest_opts *opts;
	const struct config *cfg;
	struct db *db;
	int64_t run;
	struct totals *t;
	int *bad;
	struct progress prog;
	size_t taken;
	struct extractor_set *set;	/* the writer's, for merged sessions; made when needed */
};

/* The ledger ------------------------------------------------------------------ */

/*
 * Has the ledger seen every file of the unit as it is now? With retry,
 * files quarantined before count as unseen (the limits may have changed).
 */
static int unit_unchanged(struct db *db, const struct spool_unit *u, int retry)
{
	size_t i;

	for (i = 0; i < u->nfiles; i++) {
		struct db_stmt *st = db_prepare(db,
			"SELECT 1 FROM files WHERE path = :p AND size = :s AND mtime = :m"
			" AND (status = 'ingested' OR NOT :retry)");
		int rc;

		if (!st)
			return -1;
		db_bind_text(st, ":p", u->files[i].path);
		db_bind_int(st, ":s", u->files[i].size);
		db_bind_int(st, ":m", u->files[i].mtime);
		db_bind_int(st, ":retry", retry);
		rc = db_step(st);
		db_done(st);
		if (rc != 1)
			return rc < 0 ? -1 : 0;
	}
	return 1;
}

static int record_files(struct db *db, const struct job *j, const char *session,
			const char *status, int64_t run)
{
	size_t i;

	for (i = 0; i < j->unit->nfiles; i++) {
		const struct spool_file *f = &j->unit->files[i];
		struct db_stmt *st = db_prepare(db,
			"INSERT OR REPLACE INTO files (path, size, mtime, hash, session_id, status, run)"
			" VALUES (:path, :size, :mtime, :hash, :session, :status, :run)");
		char hash[17];

		snprintf(hash, sizeof(hash), "%016llx", j->s.file_hashes ?
			 (unsigned long long)j->s.file_hashes[i] : 0ULL);
		if (!st || db_bind_text(st, ":path", f->path) ||
		    db_bind_int(st, ":size", f->size) || db_bind_int(st, ":mtime", f->mtime) ||
		    db_bind_text(st, ":hash", hash) || db_bind_text(st, ":session", session) ||
		    db_bind_text(st, ":status", status) || db_bind_int(st, ":run", run) ||
		    db_run(st) < 0)
			return -1;
	}
	return 0;
}

static int record_bad(struct db *db, const struct session *s, int64_t run)
{
	size_t i;

	for (i = 0; i < s->nbad; i++) {
		const struct bad_input *b = &s->bad[i];
		struct db_stmt *st = db_prepare(db,
			"INSERT INTO quarantine (path, line, kind, reason, run, at)"
			" VALUES (:path, :line, :kind, :reason, :run, :at)");

		if (!st || db_bind_text(st, ":path", b->path) ||
		    (b->line ? db_bind_int(st, ":line", b->line) : db_bind_text(st, ":line", NULL)) ||
		    db_bind_text(st, ":kind", b->kind) || db_bind_text(st, ":reason", b->reason) ||
		    db_bind_int(st, ":run", run) || db_bind_int(st, ":at", now_ms()) ||
		    db_run(st) < 0)
			return -1;
	}
	return 0;
}

/* What store_session() stores besides the session itself. */
struct stored {
	const void *digest;
	size_t digest_len;
	const struct obs_list *obs;
	size_t nfiles;
	const char *hash;
};

static int store_session(struct db *db, const struct session *s, const struct stored *w,
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

/*
 * What is stored for a session id: its content hash, or NULL; *user (may
 * be NULL) gets the user it belongs to. Both malloc'd.
 */
static char *stored_hash(struct db *db, const char *id, char **user)
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

/* The paths of the files a session was stored from, but not the unit's. */
static int other_sources(struct db *db, const struct job *j, struct strbuf *first)
{
	struct db_stmt *st = db_prepare(db, "SELECT path FROM files WHERE session_id = :id"
					" ORDER BY path");
	int n = 0, rc;

	if (!st)
		return -1;
	db_bind_text(st, ":id", j->s.meta.id);
	while ((rc = db_step(st)) == 1) {
		const char *p = db_col_text(st, 0);
		size_t i;

		for (i = 0; i < j->unit->nfiles; i++)
			if (!strcmp(p, j->unit->files[i].path))
				break;
		if (i < j->unit->nfiles)
			continue;
		if (!n++) {
			char *q = name_quote(p);

			strbuf_addstr(first, q);
			free(q);
		}
	}
	db_done(st);
	return rc < 0 ? -1 : n;
}

/* The stored session's digest, decoded into s (initialised). -1 reported. */
static int load_stored(struct db *db, const char *id, struct session *s)
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

static int count_files(struct db *db, const char *id)
{
	struct db_stmt *st = db_prepare(db, "UPDATE sessions SET files ="
		" (SELECT count(*) FROM files WHERE session_id = :id) WHERE id = :id");

	return !st || db_bind_text(st, ":id", id) || db_run(st) < 0 ? -1 : 0;
}

/* Stores the union of two readings: extracted again, one digest. */
static int store_union(struct batch *b, struct job *j, struct session *u, const char *hash)
{
	struct obs_list obs = { 0 };
	struct stored w = { 0 };
	char *cause = NULL;
	void *digest = NULL;
	size_t len = 0;
	int ret = -1;

	if (!b->set && !(b->set = extractor_set_new(b->cfg)))
		return -1;
	if (extract_session(b->set, u, &obs, &cause) < 0) {
		error("extractor failed: %s '%s'", cause ? cause : "?", j->unit->files[0].path);
		goto cleanup;
	}
	if (digest_encode(u, &digest, &len) < 0) {
		error("merged session too large to store '%s'", j->unit->files[0].path);
		goto cleanup;
	}
	w.digest = digest;
	w.digest_len = len;
	w.obs = &obs;
	w.hash = hash;
	ret = store_session(b->db, u, &w, b->run, 1);
cleanup:
	obs_list_release(&obs);
	free(digest);
	free(cause);
	return ret;
}

/*
 * The unit's session is stored already from other files (Claude Code
 * writes a session again as it grows): the two readings are merged by
 * event identity, the superset wins and nothing shrinks. Returns 0 when
 * the unit's own reading is to be stored as usual, 2 when it is to be
 * stored as the superset of the stored one, 1 when the merge was stored
 * here, -1 on error.
 */
static int merge_stored(struct batch *b, struct job *j, const char *old_hash)
{
	struct session old, add;
	struct strbuf other;
	enum session_merge m;
	char hash[24], more[40] = "", *id = NULL, *path = NULL;
	size_t nfresh;
	int n, ret = -1;

	strbuf_init(&other, 4096);
	session_init(&old);
	session_init(&add);
	n = other_sources(b->db, j, &other);
	if (n <= 0) {
		ret = n;
		goto cleanup;
	}
	if (load_stored(b->db, j->s.meta.id, &old) < 0 ||
	    digest_decode(j->digest, j->digest_len, &add) < 0)
		goto cleanup;
	m = session_merge(&old, &add, &nfresh);
	id = name_quote(j->s.meta.id);
	path = name_quote(j->unit->files[0].path);
	if (n > 1)
		snprintf(more, sizeof(more), " and %d more files", n - 1);
	b->t->merged++;
	if (m == MERGE_NEW) {
		info("session '%s' merged: '%s' holds all of '%s'%s, %zu events (%zu new)", id,
		     path, other.buf, more, add.nevents, nfresh);
		ret = 2;
		goto cleanup;
	}
	snprintf(hash, sizeof(hash), "%016llx", (unsigned long long)hash64(j->s.meta.id, 0,
		 hash64(old_hash, strlen(old_hash), j->s.content_hash)));
	if (m == MERGE_OLD) {
		info("session '%s' merged: '%s' adds nothing to '%s'%s, %zu events kept", id, path,
		     other.buf, more, old.nevents);
	} else {
		info("session '%s' merged: '%s' with '%s'%s, %zu events (%zu new)", id, path,
		     other.buf, more, old.nevents, nfresh);
		if (store_union(b, j, &old, hash) < 0)
			goto cleanup;
	}
	if (record_files(b->db, j, j->s.meta.id, "ingested", b->run) < 0 ||
	    count_files(b->db, j->s.meta.id) < 0)
		goto cleanup;
	ret = 1;
cleanup:
	strbuf_release(&other);
	session_release(&old);
	session_release(&add);
	free(id);
	free(path);
	return ret;
}

/* Stores one finished job. Returns 1 when it had bad input, 0, or -1. */
static int write_job(struct batch *b, struct job *j)
{
	struct db *db = b->db;
	int64_t run = b->run;
	struct totals *t = b->t;
	struct stored w = { 0 };
	char hash[24], *old, *owner = NULL;
	size_t i;
	int bad = j->s.nbad > 0, part, r;

	t->files += (int)j->unit->nfiles;
	for (i = 0; i < j->unit->nfiles; i++)
		t->bytes += (uint64_t)j->unit->files[i].size;
	if (!j->s.unusable && j->s.meta.id && !j->cause) {
		old = stored_hash(db, j->s.meta.id, &owner);
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
	old = stored_hash(db, j->s.meta.id, NULL);
	if (old && !strcmp(old, hash)) {
		/* The same content under another name: counted once. */
		t->duplicates++;
		free(old);
		return record_files(db, j, j->s.meta.id, "ingested", run) < 0 ? -1 : bad;
	}
	r = old ? merge_stored(b, j, old) : 0;
	if (r == 1 || r < 0) {
		free(old);
		return r < 0 ? -1 : bad;
	}
	if (r != 2)	/* a merge is no new session */
		t->sessions++;
	w.digest = j->digest;
	w.digest_len = j->digest_len;
	w.obs = &j->obs;
	w.nfiles = j->unit->nfiles;
	w.hash = hash;
	r = store_session(db, &j->s, &w, run, old != NULL);
	if (r < 0 || record_files(db, j, j->s.meta.id, part ? "quarantined" : "ingested",
				  run) < 0 || (old && count_files(db, j->s.meta.id) < 0))
		r = -1;
	free(old);
	return r < 0 ? -1 : bad;
}

/* Progress --------------------------------------------------------------------- */

static void progress(struct progress *p, const struct totals *t, size_t done, size_t total,
		     int final)
{
	if (!progress_due(p, final))
		return;
	progress_show(final, "%zu/%zu units, %.1f MB, %d sessions, %.0f sessions/s",
		      done, total, (double)t->bytes / 1e6, t->sessions,
		      p->last > 0 ? (double)t->sessions / p->last : 0.0);
}

/* The run ---------------------------------------------------------------------- */


static void *batch_start(void *data)
{
	const struct batch *b = data;

	return extractor_set_new(b->cfg);
}

static void batch_stop(void *set)
{
	extractor_set_free(set);
}

static void batch_work(void *data, void *set, size_t i)
{
	struct batch *b = data;

	do_job(&b->jobs[i], b->opts, set);
}

static int batch_take(void *data, size_t i)
{
	struct batch *b = data;
	int r = write_job(b, &b->jobs[i]);

	job_release(&b->jobs[i]);
	if (r < 0)
		return -1;
	*b->bad |= r;
	b->taken = i + 1;
	progress(&b->prog, b->t, b->taken, b->n, 0);
	return 0;
}

static void batch_drop(void *data, size_t i)
{
	struct batch *b = data;

	job_release(&b->jobs[i]);
}

static const struct pool_ops batch_ops = {
	batch_start, batch_stop, batch_work, batch_take, batch_drop
};

static int ingest_all(struct db *db, const struct config *cfg, struct spool_unit *units,
		      size_t nunits, int jobs, int retry, int64_t run, struct totals *t, int *bad)
{
	struct redactor *red = NULL;
	struct ingest_opts opts;
	struct batch b = { 0 };
	size_t i;
	int ret = -1;

	progress_start(&b.prog);
	if (ingest_setup(cfg, &opts, &red) < 0)
		return -1;
	b.jobs = xcalloc(nunits + 1, sizeof(*b.jobs));
	for (i = 0; i < nunits; i++) {
		int r = unit_unchanged(db, &units[i], retry);

		if (r < 0) {
			while (b.n)
				job_release(&b.jobs[--b.n]);
			goto cleanup;
		}
		if (r) {
			t->unchanged++;
			continue;
		}
		b.jobs[b.n].unit = &units[i];
		session_init(&b.jobs[b.n].s);
		b.n++;
	}
	b.opts = &opts;
	b.cfg = cfg;
	b.db = db;
	b.run = run;
	b.t = t;
	b.bad = bad;
	/*
	 * How far workers may run ahead of the writer. A finished job holds
	 * only its digest and observations, so a wide window costs little
	 * memory and keeps workers busy while the writer stores a big one.
	 */
	ret = pool_run(&batch_ops, &b, b.n, jobs, (size_t)jobs * 16);
	if (b.n)
		progress(&b.prog, t, b.taken, b.n, 1);
	if (b.set)
		extractor_set_free(b.set);
cleanup:
	free(b.jobs);
	redactor_free(red);
	return ret;
}

/* Returns 0, or the exit status. */
static int scan_spools(const struct cmd_ctx *ctx, char **spools, size_t nspools,
		       int now_too, struct spool_unit **units, size_t *nunits,
		       size_t *nfresh, size_t *nskipped)
{
	struct spool_opts so = { 0 };
	struct timespec now;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &now);
	so.now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	so.idle_ns = now_too ? 0 : (int64_t)ctx->cfg->idle_minutes * 60 * 1000000000;
	so.user = ctx->cfg->user;
	so.nfresh = nfresh;
	so.nskipped = nskipped;
	*units = NULL;
	*nunits = 0;
	for (i = 0; i < nspools; i++) {
		struct spool_unit *u;
		struct stat sb;
		size_t n;

		if (stat(spools[i], &sb) < 0 || !S_ISDIR(sb.st_mode)) {
			error("spool missing '%s'", spools[i]);
			return EX_NOINPUT;
		}
		if (spool_scan(spools[i], &so, &u, &n) < 0)
			return EX_IOERR;
		*units = xrealloc(*units, (*nunits + n + 1) * sizeof(**units));
		if (n)	/* u is NULL for an empty spool */
			memcpy(*units + *nunits, u, n * sizeof(*u));
		*nunits += n;
		free(u);
	}
	return 0;
}

static int cmd_run_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "spool", required_argument, NULL, 's' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "retry-quarantined", no_argument, NULL, 'r' },
		{ "now", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	extern const struct cmd_entry cmd_run_entry;
	char **spools = NULL, summary[1024], stats_line[256], gen_line[32], fp[17];
	char fresh_line[256] = "", timing[32], clash_line[64] = "";
	char merged_line[32] = "";
	size_t nspools = 0, nunits = 0, nfresh = 0, nskipped = 0;
	struct spool_unit *units = NULL;
	struct curate_stats cs;
	struct totals t = { 0 };
	struct progress timer;
	struct writer w;
	int64_t gen = 0;
	int c, jobs = ctx->cfg->jobs, bad = 0, r, curated, retry = 0, now_too = 0;

	progress_start(&timer);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			spools = xrealloc(spools, (nspools + 1) * sizeof(*spools));
			spools[nspools++] = optarg;
			break;
		case 'r':
			retry = 1;
			break;
		case 'n':
			now_too = 1;
			break;
		case 'j':
			jobs = opt_jobs(optarg);
			if (!jobs) {
				free(spools);
				return cmd_usage_error(&cmd_run_entry, "--jobs takes 1 to 256");
			}
			break;
		default:
			free(spools);
			return cmd_usage_error(&cmd_run_entry, "unknown option");
		}
	}
	if (optind < argc) {
		free(spools);
		return cmd_usage_error(&cmd_run_entry, "unexpected argument '%s'", argv[optind]);
	}
	if (!nspools && ctx->cfg->nspools) {
		spools = xcalloc(ctx->cfg->nspools, sizeof(*spools));
		for (nspools = 0; nspools < ctx->cfg->nspools; nspools++)
			spools[nspools] = ctx->cfg->spools[nspools];
	}
	if (!nspools)
		return cmd_usage_error(&cmd_run_entry, "no spool: give --spool DIR or run.spools");
	jobs = opt_jobs_or_cores(jobs);

	r = scan_spools(ctx, spools, nspools, now_too, &units, &nunits, &nfresh, &nskipped);
	if (r)
		goto done;
	r = writer_start(&w, ctx, "run", NULL, 0);
	if (r)
		goto done;
	if (db_cache_mib(w.db, FILL_CACHE_MIB) < 0 ||
	    ingest_all(w.db, ctx->cfg, units, nunits, jobs, retry, w.run, &t, &bad) < 0 ||
	    db_cache_mib(w.db, DB_CACHE_MIB) < 0) {
		writer_abort(&w);
		r = EX_IOERR;
		goto done;
	}
	/* The workers' malloc arenas and the fill cache go back before curating. */
	malloc_trim(0);
	/*
	 * The night's sessions commit on their own, and with cores to spare
	 * their pages go from the WAL into the store while curation runs.
	 */
	if (writer_stage(&w, jobs > 1 && t.sessions > 0) < 0) {
		writer_abort(&w);
		r = EX_IOERR;
		goto done;
	}
	if (verbosity >= 2)
		info("ingested and extracted in %.2fs", progress_elapsed(&timer));
	/* Nothing new and the same rules: curating again would change nothing. */
	config_fingerprint(ctx->cfg, fp);
	curated = !run_curation_is_current(w.db, fp);
	if (curated && curate_publish(w.db, ctx->cfg, w.run, w.actor, "nightly run", NULL,
				      &cs, &gen) < 0) {
		writer_abort(&w);
		r = EX_IOERR;
		goto done;
	}
	if (curated && verbosity >= 2)
		info("curated at %.2fs", progress_elapsed(&timer));
	if (curated)
		curate_stats_format(&cs, stats_line, sizeof(stats_line));
	else
		snprintf(stats_line, sizeof(stats_line), "nothing new to curate");
	if (nfresh)
		snprintf(fresh_line, sizeof(fresh_line), "; %zu file%s modified in the last %d"
			 " minutes left for the next run (ingest.idle_minutes; --now takes them)",
			 nfresh, nfresh == 1 ? "" : "s", ctx->cfg->idle_minutes);
	if (t.merged)
		snprintf(merged_line, sizeof(merged_line), ", %d merged", t.merged);
	if (t.clashes)
		snprintf(clash_line, sizeof(clash_line), " (%d with another user's session id)",
			 t.clashes);
	if (nskipped)
		snprintf(fresh_line + strlen(fresh_line), sizeof(fresh_line) - strlen(fresh_line),
			 "; %zu file%s that %s no transcript passed over", nskipped,
			 nskipped == 1 ? "" : "s", nskipped == 1 ? "is" : "are");
	snprintf(summary, sizeof(summary),
		 "run %lld: %d sessions ingested (%d unchanged, %d duplicate%s), %d quarantined%s,"
		 " %d bad inputs%s; memories: %s; %s", (long long)w.run, t.sessions,
		 t.unchanged, t.duplicates, merged_line, t.quarantined, clash_line, t.bad_lines,
		 fresh_line,
		 stats_line, run_generation_phrase(gen, gen_line));
	snprintf(timing, sizeof(timing), "; %.1fs", progress_elapsed(&timer));
	r = writer_finish(&w, gen, bad ? EX_DATAERR : 0, summary, timing, curated ? fp : NULL);
done:
	spool_units_free(units, nunits);
	free(spools);
	return r;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.summary = "the nightly job: ingest, extract, curate, publish",
	.usage = usage,
	.exec = cmd_run_exec,
};
