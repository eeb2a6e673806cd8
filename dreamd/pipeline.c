/*
 * pipeline.c: extractors over sessions, observations into the store, runs.
 */
#include "dreamd/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <errno.h>
#include <sys/stat.h>

#include "dreamd/cmd.h"
#include "dreamd/embedded.h"
#include "dreamd/grams.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"
#include "store/db.h"

/* The embedded schemas/NNN-*.sql as migrations; returns how many. */
static size_t migrations(struct db_migration *m, size_t max)
{
	const struct embedded_file *f;
	size_t n = 0;

	for (f = embedded_files; f->name; f++) {
		if (strncmp(f->name, "schemas/", 8) || !strstr(f->name, ".sql"))
			continue;
		if (n == max)
			die(EX_SOFTWARE, "too many migrations");
		m[n].version = atoi(f->name + 8);
		m[n].name = f->name;
		m[n].sql = (const char *)f->data;
		n++;
	}
	return n;
}

int store_open(const char *path, struct db **out)
{
	struct db_migration m[16];
	struct db *db;
	size_t n = migrations(m, 16);

	*out = NULL;
	if (db_open(&db, path, 1) < 0)
		return -1;
	if (db_migrate(db, m, n) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int store_open_read(const char *path, struct db **out)
{
	struct db_migration m[16];
	size_t n = migrations(m, 16);
	struct stat st;
	struct db *db;
	int64_t have, app;

	*out = NULL;
	/* no store yet: nobody else uses it, a writer creates it */
	if (stat(path, &st) < 0 ? errno == ENOENT : !st.st_size)
		return store_open(path, out);
	if (db_open_read(&db, path) < 0)
		return -1;
	have = db_int(db, "PRAGMA user_version", -1);
	app = db_int(db, "PRAGMA application_id", 0);
	if (!have && !app) {
		/* a writer died before its first migration: no store yet */
		db_close(db);
		return store_open(path, out);
	}
	if (have < 0 || (app != DB_APPLICATION_ID && have)) {
		db_close(db);
		return error("cannot read the store '%s'", path);
	}
	if (have != m[n - 1].version) {
		db_close(db);
		if (have > m[n - 1].version)
			return error("store is from a newer dreamd (schema %lld) '%s'",
				     (long long)have, path);
		return error("store needs migrating from schema %lld to %d, which readers never "
			     "do: run 'dreamd run' as its owner first '%s'", (long long)have,
			     m[n - 1].version, path);
	}
	*out = db;
	return 0;
}

int ingest_setup(const struct config *cfg, struct ingest_opts *io, struct redactor **red)
{
	struct rule_set rs = config_rule_group(cfg, "redact");
	char *cause = NULL;

	memset(io, 0, sizeof(*io));
	*red = NULL;
	if (redactor_new(red, &rs, &cause) < 0) {
		error("%s", cause ? cause : "cannot compile the redaction rules");
		free(cause);
		return -1;
	}
	io->max_line = cfg->max_line;
	io->max_bytes = cfg->max_file_bytes;
	io->window_log_max = cfg->window_log_max;
	io->max_depth = cfg->max_depth;
	io->max_text = cfg->max_text;
	io->max_events = cfg->max_events;
	io->max_session_bytes = cfg->max_session_bytes;
	io->redact = *red;
	return 0;
}

static int disabled(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nextractors_disabled; i++)
		if (!strcmp(cfg->extractors_disabled[i], name))
			return 1;
	return 0;
}

int extractor_set_init(struct extractor_set *set, const struct config *cfg)
{
	const struct extractor_ops *const *e;
	char *cause = NULL;

	memset(set, 0, sizeof(*set));
	if (calls_builder_init(&set->calls, &cfg->rules, &cause) < 0) {
		error("%s", cause ? cause : "cannot compile the call rules");
		free(cause);
		return -1;
	}
	for (e = extractor_table; *e; e++) {
		if (disabled(cfg, (*e)->name))
			continue;
		if ((*e)->version != EXTRACTOR_VERSION) {
			extractor_set_release(set);
			return error("extractor '%s' has unknown version %d", (*e)->name,
				     (*e)->version);
		}
		if (set->n == MAX_EXTRACTORS)
			die(EX_SOFTWARE, "too many extractors");
		if ((*e)->init(&set->state[set->n], &cfg->rules, &cause) < 0) {
			error("extractor '%s': %s", (*e)->name, cause ? cause : "init failed");
			free(cause);
			extractor_set_release(set);
			return -1;
		}
		set->ops[set->n++] = *e;
	}
	return 0;
}

void extractor_set_release(struct extractor_set *set)
{
	size_t i;

	for (i = 0; i < set->n; i++)
		set->ops[i]->free(set->state[i]);
	set->n = 0;
	calls_builder_release(&set->calls);
}

struct extractor_set *extractor_set_new(const struct config *cfg)
{
	struct extractor_set *set = xmalloc(sizeof(*set));

	if (extractor_set_init(set, cfg) < 0) {
		free(set);
		return NULL;
	}
	return set;
}

void extractor_set_free(struct extractor_set *set)
{
	if (set)
		extractor_set_release(set);
	free(set);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int collect(void *data, const struct observation *o)
{
	struct obs_list *l = data;
	struct observation *c;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	c = &l->v[l->n++];
	*c = *o;
	c->key = xstrdup(o->key);
	c->slot = dup_or_null(o->slot);
	c->subject = dup_or_null(o->subject);
	c->detail = dup_or_null(o->detail);
	c->fix = dup_or_null(o->fix);
	c->value = dup_or_null(o->value);
	c->excerpt = dup_or_null(o->excerpt);
	c->session = xstrdup(o->session);
	c->user = xstrdup(o->user ? o->user : "unknown");
	c->agent = xstrdup(o->agent ? o->agent : "unknown");
	c->project = dup_or_null(o->project);
	return 0;
}

static int cmp_obs(const void *a, const void *b)
{
	const struct observation *x = a, *y = b;
	int c = strcmp(x->extractor, y->extractor);

	if (!c)
		c = strcmp(x->key, y->key);
	if (!c)
		c = x->seq < y->seq ? -1 : x->seq > y->seq;
	return c;
}

int extract_session(struct extractor_set *set, const struct session *s,
		    struct obs_list *out, char **cause)
{
	struct calls cs;
	struct session_view v = { &s->meta, s->events, s->nevents, &cs };
	size_t i;

	if (calls_builder_build(&set->calls, &cs, s->events, s->nevents) < 0) {
		*cause = xasprintf("out of memory pairing the tool calls of %s", s->meta.id);
		return -1;
	}
	for (i = 0; i < set->n; i++) {
		if (set->ops[i]->feed(set->state[i], &v, collect, out, cause) < 0) {
			calls_release(&cs);
			return -1;
		}
	}
	calls_release(&cs);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_obs);
	return 0;
}

void obs_list_release(struct obs_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct observation *o = &l->v[i];

		free((char *)o->key);
		free((char *)o->slot);
		free((char *)o->subject);
		free((char *)o->detail);
		free((char *)o->fix);
		free((char *)o->value);
		free((char *)o->excerpt);
		free((char *)o->session);
		free((char *)o->user);
		free((char *)o->agent);
		free((char *)o->project);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int store_observations(struct db *db, const char *session_id, const struct obs_list *l,
		       int replace)
{
	struct db_stmt *st;
	size_t i;

	if (replace) {
		st = db_prepare(db, "DELETE FROM observations WHERE session_id = :s");
		if (!st || db_bind_text(st, ":s", session_id) || db_run(st) < 0)
			return -1;
	}
	if (grams_store(db, session_id, l, replace) < 0)
		return -1;
	for (i = 0; i < l->n; i++) {
		const struct observation *o = &l->v[i];

		if (grams_kind(o))
			continue;
		st = db_prepare(db,
			"INSERT OR IGNORE INTO observations (session_id, extractor, kind, key, slot, subject,"
			" detail, fix, fixed, value, excerpt, seq, ts, user, agent, project,"
			" user_authored, behaviour, count, succeeded) VALUES (:session, :extractor,"
			" :kind, :key, :slot, :subject, :detail, :fix, :fixed, :value, :excerpt,"
			" :seq, :ts, :user, :agent, :project, :ua, :beh, :count, :ok)");
		if (!st || db_bind_text(st, ":session", session_id) ||
		    db_bind_text(st, ":extractor", o->extractor) ||
		    db_bind_text(st, ":kind", o->kind) || db_bind_text(st, ":key", o->key) ||
		    db_bind_text(st, ":slot", o->slot) ||
		    db_bind_text(st, ":subject", o->subject) ||
		    db_bind_text(st, ":detail", o->detail) || db_bind_text(st, ":fix", o->fix) ||
		    db_bind_int(st, ":fixed", o->fixed) || db_bind_text(st, ":value", o->value) ||
		    db_bind_text(st, ":excerpt", o->excerpt) || db_bind_int(st, ":seq", o->seq) ||
		    db_bind_int(st, ":ts", o->ts) || db_bind_text(st, ":user", o->user) ||
		    db_bind_text(st, ":agent", o->agent) ||
		    db_bind_text(st, ":project", o->project) ||
		    db_bind_int(st, ":ua", o->user_authored) ||
		    db_bind_int(st, ":beh", o->behaviour) ||
		    db_bind_int(st, ":count", o->count ? o->count : 1) ||
		    db_bind_int(st, ":ok", o->succeeded) || db_run(st) < 0)
			return -1;
	}
	return 0;
}

/* Inserts the run's row; *run_id is its id. Inside the caller's transaction. */
static int insert_run(struct db *db, const char *kind, const char *actor, int64_t *run_id)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO runs (kind, actor, started_at) VALUES (:kind, :actor, :at)");
	if (!st || db_bind_text(st, ":kind", kind) || db_bind_text(st, ":actor", actor) ||
	    db_bind_int(st, ":at", now_ms()) || db_run(st) < 0)
		return -1;
	*run_id = db_last_rowid(db);
	return 0;
}

int run_record_start(struct db *db, const char *kind, const char *actor, int64_t *run_id)
{
	if (db_begin(db) < 0)
		return -1;
	if (insert_run(db, kind, actor, run_id) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int run_record_finish(struct db *db, int64_t run_id, int64_t gen, int status,
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
	st = db_prepare(db, "UPDATE generations SET summary = :summary WHERE gen = :gen");
	if (!st || db_bind_text(st, ":summary", summary) || db_bind_int(st, ":gen", gen))
		return -1;
	return db_run(st);
}

int curation_is_current(struct db *db, const char *fingerprint)
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

const char *generation_phrase(int64_t gen, char buf[32])
{
	if (gen)
		snprintf(buf, 32, "generation %lld", (long long)gen);
	else
		snprintf(buf, 32, "no new generation");
	return buf;
}

int jobs_arg(const char *arg)
{
	int64_t n;

	return parse_whole(arg, 256, &n) == 0 && n >= 1 ? (int)n : 0;
}

int jobs_or_cores(int jobs)
{
	long n;

	if (jobs > 0)
		return jobs;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

const char *reviewer_name(const char *by)
{
	const char *u = login_name();

	if (by && *by)
		return by;
	return u && *u ? u : "unknown";
}

int writer_start(struct writer *w, const struct cmd_ctx *ctx, const char *kind,
		 const char *person, int dry_run)
{
	int r;

	memset(w, 0, sizeof(*w));
	r = db_lock(ctx->db_path, &w->lockfd);
	if (r > 0)
		error("another run holds the lock on '%s'", ctx->db_path);
	if (r)
		return r > 0 ? EX_TEMPFAIL : EX_IOERR;
	fault_pause("locked");
	if (store_open(ctx->db_path, &w->db) < 0) {
		writer_abort(w);
		return EX_IOERR;
	}
	/*
	 * A real run's record commits on its own, so a run that dies leaves a
	 * trace; a dry run's lives and dies with its transaction.
	 */
	if (dry_run)
		r = db_begin(w->db) || insert_run(w->db, kind, person ? person : "dreamd", &w->run);
	else
		r = run_record_start(w->db, kind, person ? person : "dreamd", &w->run) ||
			db_begin(w->db);
	if (r) {
		writer_abort(w);
		return EX_IOERR;
	}
	w->actor = person ? xstrdup(person) :
		xasprintf("%s:%lld", kind, (long long)w->run);
	return 0;
}

static void *checkpoint_main(void *arg)
{
	struct db *db;

	if (db_open(&db, arg, 0) == 0) {
		db_checkpoint(db);
		db_close(db);
	}
	free(arg);
	return NULL;
}

int writer_stage(struct writer *w, int background)
{
	char *path;

	/* The commit would copy the WAL itself: leave that to the thread. */
	if (background && !w->checkpointing &&
	    db_exec(w->db, "PRAGMA wal_autocheckpoint=0") < 0)
		return -1;
	if (db_commit(w->db) < 0 || db_begin(w->db) < 0)
		return -1;
	if (!background || w->checkpointing)
		return 0;
	path = xstrdup(db_path(w->db));
	if (pthread_create(&w->checkpointer, NULL, checkpoint_main, path)) {
		free(path);	/* the commit that closes the store checkpoints anyway */
		return 0;
	}
	w->checkpointing = 1;
	return 0;
}

static void writer_close(struct writer *w)
{
	if (w->checkpointing)
		pthread_join(w->checkpointer, NULL);
	db_close(w->db);
	db_unlock(w->lockfd);
	free(w->actor);
	memset(w, 0, sizeof(*w));
	w->lockfd = -1;
}

int writer_finish(struct writer *w, int64_t gen, int status, const char *summary,
		  const char *timing, const char *curated)
{
	fault_pause("publish");
	if (run_record_finish(w->db, w->run, gen, status, summary, timing, curated) < 0 ||
	    db_commit(w->db) < 0) {
		writer_abort(w);
		return EX_IOERR;
	}
	writer_close(w);
	info("%s%s", summary, timing ? timing : "");
	return status;
}

void writer_abort(struct writer *w)
{
	if (w->db)
		db_rollback(w->db);
	writer_close(w);
}
