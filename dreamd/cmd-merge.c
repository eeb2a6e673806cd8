/*
 * cmd-merge.c: dreamd merge, the partial stores of sharded runs (or of
 * developers' own stores) into this one, then one curation.
 *
 *   lock -> attach and check every partial (schema, rules) -> each session
 *   of every partial, in spool order, by the rules run uses for a session
 *   read again -> the ledger's quarantine -> curate -> publish
 *
 * The union is exact and idempotent: a session new to the store is copied
 * as the partial stored it (row, observations, workflows, ledger); one
 * stored already with the same content changes nothing; one stored with
 * other content is merged by event identity (merge.c), as two files of one
 * session are. Sessions are taken in the order of their first spool file,
 * the order one `run` over the whole spool takes them in, so the store,
 * the curation and the generation are the ones that run would have made.
 * The merge is a run (kind "run", actor "run:N"): its memories' history
 * reads as a nightly run's.
 *
 * Any number of partials: SQLite attaches at most 10 databases at once, so
 * partial i is attached as pI when it is needed and the one needed again
 * last (the order of the sessions is known: Belady's choice) is detached
 * to make room. A database read in a transaction
 * cannot be detached, so the merge commits what it has done first (as a
 * run commits as it goes; merging again completes a merge cut short).
 * Partials taken in turn (2 shards' worth) are never detached.
 *
 * The copies of a partial's rows into main (INSERT INTO main.T SELECT ...
 * FROM pI.T, and the DELETE FROM main.T before them) keep their SQL here:
 * copying between attached databases is the command's whole job. Its
 * other writes go through the tables' owners in store/ (a clash into the
 * quarantine as run records it, store/ledger.h).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dreamd/cmd.h"
#include "dreamd/curate.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/session-db.h"
#include "dreamd/util.h"
#include "dreamd/writer.h"
#include "store/db.h"
#include "store/ledger.h"
#include "store/runs.h"
#include "store/sessions.h"

/* SQLite's default SQLITE_MAX_ATTACHED: partials attached at once. */
#define SLOTS 10

static const char usage[] =
	"usage: dreamd merge PART.db...\n"
	"\n"
	"Unites partial stores (from `dreamd run --shard K/N --db PART.db`, or\n"
	"developers' own stores) into the store (--db): their sessions,\n"
	"observations and ledger, never their transcripts; then curates and\n"
	"publishes one generation. The N partials of a spool give the generation\n"
	"one run over the whole spool gives; merging a partial again changes\n"
	"nothing. Any number of partials.\n"
	"\n"
	"A partial made with other rules or settings (config fingerprint) or\n"
	"another store schema is refused, and nothing is merged.\n"
	"Exit: 0 done, 64 usage (a partial is the store itself, say), 65 a\n"
	"partial is not a dreamd store, 66 a partial is missing, 74 store failure,\n"
	"75 locked, 78 a partial's rules or schema differ from this store's.\n";

struct part_session {
	char *first;		/* its first spool file */
	size_t part;
	char *id;
	size_t next;		/* the next session of its partial (SIZE_MAX: none) */
};

struct merge {
	struct db *db;
	char **paths;		/* the partials */
	size_t nparts;
	unsigned long *used;	/* per partial: when last used, 0 when not attached */
	size_t *next;		/* per partial: where it is needed next (0: not known) */
	unsigned long tick;
	size_t nattached;
	char sql[1024];		/* the statement sqlf() made last */
	const struct config *cfg;
	struct extractor_set *set;
	int64_t run;
	int added, same, merged, clashes;
	int bad;		/* the partials' bad inputs new to the store */
};

/*
 * A statement for a partial, formatted into m's buffer: valid until the
 * next sqlf() (the store copies the text it caches).
 */
static const char *sqlf(struct merge *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static const char *sqlf(struct merge *m, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(m->sql, sizeof(m->sql), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(m->sql))
		die(EX_SOFTWARE, "statement too long '%.60s'", fmt);
	return m->sql;
}

static int cmp_ps(const void *a, const void *b)
{
	const struct part_session *x = a, *y = b;
	int c = strcmp(x->first, y->first);

	if (c)
		return c;
	if (x->part != y->part)
		return x->part < y->part ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int run_sql(struct db *db, const char *sql, const char *id, int64_t run)
{
	struct db_stmt *st = db_prepare(db, sql);

	return !st || (id && db_bind_text(st, ":id", id)) ||
		(run && db_bind_int(st, ":run", run)) || db_run(st) < 0 ? -1 : 0;
}

/* Does the file start as an SQLite database does? */
static int sqlite_file(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	char head[16];
	FILE *f = fopen(path, "rb");
	int yes;

	if (!f)
		return 0;
	yes = fread(head, 1, sizeof(head), f) == sizeof(head) && !memcmp(head, magic, 16);
	fclose(f);
	return yes;
}

/*
 * Partial i attached as pI, detaching if need be the one needed again last,
 * of those the one used least recently.
 */
static int use_part(struct merge *m, size_t i)
{
	struct db_stmt *st;
	size_t j, lru = m->nparts;

	if (m->used[i]) {
		m->used[i] = ++m->tick;
		return 0;
	}
	if (m->nattached == SLOTS) {
		for (j = 0; j < m->nparts; j++)
			if (m->used[j] && (lru == m->nparts || m->next[j] > m->next[lru] ||
					   (m->next[j] == m->next[lru] && m->used[j] < m->used[lru])))
				lru = j;
		/* BEGIN IMMEDIATE holds every attached database: detach between. */
		if (db_commit(m->db) < 0 || db_exec(m->db, sqlf(m, "DETACH p%zu", lru)) < 0 ||
		    db_begin(m->db) < 0)
			return -1;
		m->used[lru] = 0;
		m->nattached--;
	}
	st = db_prepare(m->db, sqlf(m, "ATTACH :path AS p%zu", i));
	if (!st || db_bind_text(st, ":path", m->paths[i]) || db_run(st) < 0)
		return -1;
	m->used[i] = ++m->tick;
	m->nattached++;
	return 0;
}

/* Attaches partial i as pI and checks it is one this store may take. */
static int attach_part(struct merge *m, size_t i, const char *fp)
{
	struct db *db = m->db;
	const char *path = m->paths[i];
	char *q;
	struct db_stmt *st;
	int64_t have, want;
	int bad = 0, rows = 0, rc;
	struct stat sb;

	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		error("partial store missing '%s'", path);
		return EX_NOINPUT;
	}
	if (!sqlite_file(path)) {
		q = name_quote(path);
		error("not a dreamd store '%s'", q);
		free(q);
		return EX_DATAERR;
	}
	if (use_part(m, i) < 0)
		return EX_IOERR;
	if (db_int(db, sqlf(m, "PRAGMA p%zu.user_version", i), &have) < 0 ||
	    db_int(db, "PRAGMA main.user_version", &want) < 0)
		return EX_IOERR;
	q = name_quote(path);
	if (have <= 0) {
		error("not a dreamd store '%s'", q);
		free(q);
		return EX_DATAERR;
	}
	if (have != want) {
		error("partial store has schema %lld, this store %lld: made by another dreamd"
		      " '%s'", (long long)have, (long long)want, q);
		free(q);
		return EX_CONFIG;
	}
	/* Its shard runs' rules, else (a developer's own store) its curations'. */
	st = db_prepare(db, sqlf(m, "SELECT rules FROM p%zu.shards UNION SELECT curated FROM"
			" p%zu.runs WHERE curated IS NOT NULL AND NOT EXISTS (SELECT 1 FROM p%zu.shards)",
			i, i, i));
	if (!st) {
		free(q);
		return EX_IOERR;
	}
	while ((rc = db_step(st)) == 1) {
		rows++;
		bad |= strcmp(db_col_text(st, 0), fp) != 0;
	}
	db_done(st);
	if (rc < 0) {
		free(q);
		return EX_IOERR;
	}
	if (!rows) {
		error("partial store records no rules or settings (no shard run, no curation)"
		      " to compare with this store's (config fingerprint %s) '%s'", fp, q);
		free(q);
		return EX_CONFIG;
	}
	if (bad) {
		error("partial store was made with other rules or settings than this store's"
		      " (config fingerprint %s); run the shards with this config '%s'", fp, q);
		free(q);
		return EX_CONFIG;
	}
	free(q);
	return 0;
}

/* Appends partial i's sessions with their first file to *v. */
static int list_part(struct merge *m, size_t i, struct part_session **v, size_t *n,
		     size_t *alloc)
{
	struct db_stmt *st = use_part(m, i) < 0 ? NULL : db_prepare(m->db, sqlf(m, "SELECT s.id, coalesce((SELECT min(path) FROM p%zu.files f"
			      " WHERE f.session_id = s.id), '') FROM p%zu.sessions s", i, i));
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		if (*n == *alloc) {
			*alloc = *alloc ? *alloc * 2 : 64;
			*v = xrealloc(*v, *alloc * sizeof(**v));
		}
		(*v)[*n].id = xstrdup(db_col_text(st, 0));
		(*v)[*n].first = xstrdup(db_col_text(st, 1));
		(*v)[*n].part = i;
		(*n)++;
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

/* The partial's ledger of the session, as the store's (unless it has it). */
static int copy_files(struct merge *m, const struct part_session *ps, int quarantined)
{
	const char *sql = sqlf(m, "INSERT OR REPLACE INTO main.files (path, size, mtime, hash,"
		" session_id, status, run) SELECT f.path, f.size, f.mtime, f.hash, %s, %s, :run"
		" FROM p%zu.files f WHERE f.session_id = :id AND NOT EXISTS (SELECT 1 FROM"
		" main.files g WHERE g.path = f.path AND g.size = f.size AND g.mtime = f.mtime"
		" AND g.hash = f.hash AND g.session_id IS %s AND g.status = %s)",
		quarantined ? "NULL" : "f.session_id", quarantined ? "'quarantined'" : "f.status",
		ps->part, quarantined ? "NULL" : "f.session_id",
		quarantined ? "'quarantined'" : "f.status");
	return run_sql(m->db, sql, ps->id, m->run);
}

/* The session as the partial stored it: row, observations, workflows. */
static int copy_session(struct merge *m, const struct part_session *ps, int known)
{
	static const char *const sql_fmt[] = {
		"DELETE FROM main.observations WHERE session_id = :id",
		"DELETE FROM main.session_workflows WHERE session_id = :id",
		"INSERT OR REPLACE INTO main.sessions (id, user, agent, agent_version, model,"
		" project, started_at, ended_at, content_hash, files, events, user_turns,"
		" tool_calls, tool_errors, skipped_lines, digest, run) SELECT id, user, agent,"
		" agent_version, model, project, started_at, ended_at, content_hash, files,"
		" events, user_turns, tool_calls, tool_errors, skipped_lines, digest, :run"
		" FROM p%zu.sessions WHERE id = :id",
		"INSERT INTO main.observations SELECT * FROM p%zu.observations"
		" WHERE session_id = :id",
		"INSERT INTO main.session_workflows SELECT * FROM p%zu.session_workflows"
		" WHERE session_id = :id",
	};
	size_t i;

	for (i = known ? 0 : 2; i < sizeof(sql_fmt) / sizeof(*sql_fmt); i++) {
		const char *sql = sqlf(m, sql_fmt[i], ps->part);

		if (run_sql(m->db, sql, ps->id, i == 2 ? m->run : 0) < 0)
			return -1;
	}
	return 0;
}

/* A session id is its first user's (as in run): another's is quarantined. */
static int clash(struct merge *m, const struct part_session *ps, const char *owner)
{
	char *id = name_quote(ps->id), *u = name_quote(owner);
	/* The reason run records (session_add_bad): the same quarantine row. */
	char *why = xasprintf("session '%s' belongs to user '%s', not replaced '%s'", id, u,
			      ps->first);
	int r = quarantine_add_once(m->db, ps->first, "session-clash", why, m->run);

	warning("%s", why);
	m->clashes++;
	free(why);
	free(id);
	free(u);
	return r < 0 ? -1 : copy_files(m, ps, 1);
}

/* The partial's reading of a session the store holds other content for. */
static int merge_readings(struct merge *m, const struct part_session *ps)
{
	struct session old, add;
	enum session_merge how = MERGE_OLD;
	size_t nfresh, dropped = 0;
	char schema[32];
	int ret = -1;

	session_init(&old);
	session_init(&add);
	snprintf(schema, sizeof(schema), "p%zu", ps->part);
	if (sdb_load_in(m->db, schema, ps->id, &add) < 0 || sdb_load(m->db, ps->id, &old) < 0)
		goto cleanup;
	how = session_merge(&old, &add, m->cfg->max_events, m->cfg->max_session_bytes, &nfresh,
			    &dropped);
	m->merged++;
	if (how == MERGE_NEW && copy_session(m, ps, 1) < 0)
		goto cleanup;
	if (how == MERGE_UNION) {
		if (sdb_store_union(m->db, m->cfg, &m->set, &old, m->run, ps->first) < 0 ||
		    (dropped && sdb_record_capped(m->db, ps->id, ps->first, dropped, m->run) < 0))
			goto cleanup;
		m->bad += dropped > 0;
	}
	ret = copy_files(m, ps, 0) < 0 ||
		session_row_count_files(m->db, ps->id) < 0 ? -1 : 0;
cleanup:
	session_release(&old);
	session_release(&add);
	return ret;
}

static int take_session(struct merge *m, const struct part_session *ps)
{
	struct db_stmt *st = use_part(m, ps->part) < 0 ? NULL : db_prepare(m->db, sqlf(m, "SELECT user, content_hash FROM"
						     " p%zu.sessions WHERE id = :id", ps->part));
	char *user = NULL, *hash = NULL, *owner = NULL, *old;
	int r = -1;

	if (!st || db_bind_text(st, ":id", ps->id) || db_step(st) != 1) {
		if (st)
			db_done(st);
		return -1;
	}
	user = xstrdup(db_col_text(st, 0));
	hash = xstrdup(db_col_text(st, 1));
	db_done(st);
	old = session_row_hash(m->db, ps->id, &owner);
	if (!old) {
		m->added++;
		r = copy_session(m, ps, 0) < 0 || copy_files(m, ps, 0) < 0 ? -1 : 0;
	} else if (strcmp(owner, user)) {
		r = clash(m, ps, owner);
	} else if (!strcmp(old, hash)) {
		m->same++;
		r = copy_files(m, ps, 0);
	} else {
		r = merge_readings(m, ps);
	}
	free(old);
	free(owner);
	free(user);
	free(hash);
	return r;
}

/* The partials' quarantined files and bad inputs, each once; counts them. */
static int copy_quarantine(struct merge *m, size_t i)
{
	const char *sql;

	if (use_part(m, i) < 0)
		return -1;
	sql = sqlf(m, "INSERT OR REPLACE INTO main.files (path, size, mtime, hash,"
		" session_id, status, run) SELECT f.path, f.size, f.mtime, f.hash, NULL, f.status,"
		" :run FROM p%zu.files f WHERE f.session_id IS NULL AND NOT EXISTS (SELECT 1 FROM"
		" main.files g WHERE g.path = f.path AND g.size = f.size AND g.mtime = f.mtime)", i);
	if (run_sql(m->db, sql, NULL, m->run) < 0)
		return -1;
	sql = sqlf(m, "INSERT INTO main.quarantine (path, line, kind, reason, run, at)"
		" SELECT q.path, q.line, q.kind, q.reason, :run, q.at FROM p%zu.quarantine q"
		" WHERE NOT EXISTS (SELECT 1 FROM main.quarantine r WHERE r.path = q.path AND"
		" r.line IS q.line AND r.kind = q.kind AND r.reason = q.reason) ORDER BY q.id", i);
	if (run_sql(m->db, sql, NULL, m->run) < 0)
		return -1;
	m->bad += (int)db_changes(m->db);
	return 0;
}

/* Whether a and b name one file (by any path or hard link). */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;

	return !stat(a, &x) && !stat(b, &y) && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Attaches, checks and unites the partials. Returns 0 or the exit status. */
static int merge_parts(struct merge *m, const char *fp)
{
	size_t nparts = m->nparts;
	struct part_session *v = NULL;
	size_t i, n = 0, alloc = 0;
	int r = 0;

	for (i = 0; i < nparts && !r; i++)
		r = attach_part(m, i, fp);
	for (i = 0; i < nparts && !r; i++)
		if (list_part(m, i, &v, &n, &alloc) < 0)
			r = EX_IOERR;
	if (n)
		qsort(v, n, sizeof(*v), cmp_ps);
	for (i = 0; i < nparts; i++)
		m->next[i] = SIZE_MAX;
	for (i = n; i-- > 0;) {
		v[i].next = m->next[v[i].part];
		m->next[v[i].part] = i;
	}
	for (i = 0; i < n && !r; i++) {
		if (take_session(m, &v[i]) < 0)
			r = EX_IOERR;
		m->next[v[i].part] = v[i].next;
	}
	for (i = 0; i < nparts && !r; i++)
		if (copy_quarantine(m, i) < 0)
			r = EX_IOERR;
	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].first);
	}
	free(v);
	return r;
}

static int cmd_merge_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	extern const struct cmd_entry cmd_merge_entry;
	char fp[17], summary[512], stats_line[256], gen_line[32], timing[32];
	struct merge m = { 0 };
	struct curate_stats cs;
	struct progress timer;
	struct writer *w;
	int64_t gen = 0;
	int i, r, curated;

	progress_start(&timer);
	for (i = 1; i < argc; i++)
		if (argv[i][0] == '-')
			return cmd_usage_error(&cmd_merge_entry, "unknown option '%s'", argv[i]);
	if (argc < 2)
		return cmd_usage_error(&cmd_merge_entry, "no partial store given");
	for (i = 1; i < argc; i++)
		if (same_file(argv[i], ctx->db_path))
			return cmd_usage_error(&cmd_merge_entry, "'%s' is the store merged into",
					       argv[i]);
	config_fingerprint(ctx->cfg, fp);
	w = cmd_writer(ctx, "run", NULL, 0);
	m.db = w->db;
	m.cfg = ctx->cfg;
	m.run = w->run;
	m.paths = argv + 1;
	m.nparts = (size_t)argc - 1;
	m.used = xcalloc(m.nparts, sizeof(*m.used));
	m.next = xcalloc(m.nparts, sizeof(*m.next));
	r = merge_parts(&m, fp);
	free(m.used);
	free(m.next);
	if (m.set)
		extractor_set_free(m.set);
	curated = !r && !run_curation_is_current(w->db, fp);
	if (curated && curate_publish(w->db, ctx->cfg, w->run, w->actor, "nightly run", NULL,
				      &cs, &gen) < 0)
		r = EX_IOERR;
	if (r)
		return r;
	if (curated)
		curate_stats_format(&cs, stats_line, sizeof(stats_line));
	else
		snprintf(stats_line, sizeof(stats_line), "nothing new to curate");
	snprintf(summary, sizeof(summary), "run %lld: merged %d partial%s: %d sessions added,"
		 " %d unchanged, %d merged, %d quarantined (another user's session id), %d bad"
		 " inputs; memories: %s; %s", (long long)w->run, argc - 1, argc == 2 ? "" : "s",
		 m.added, m.same, m.merged, m.clashes, m.bad, stats_line,
		 run_generation_phrase(gen, gen_line));
	snprintf(timing, sizeof(timing), "; %.1fs", progress_elapsed(&timer));
	return writer_finish(w, gen, m.clashes || m.bad ? EX_DATAERR : 0, summary, timing,
			     curated ? fp : NULL);
}

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.summary = "unite sharded runs' partial stores, curate, publish",
	.usage = usage,
	.flags = CMD_STORE_WRITE,
	.exec = cmd_merge_exec,
};
