/*
 * test-grams.c: workflow observations packed one row a session: what is
 * packed and what stays an observation row, reading back exactly the
 * n-grams seen in enough sessions (also when the sketch lets thousands of
 * others through), replacing a session's, and migrating a version 3 store.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dreamd/embedded.h"
#include "dreamd/extract.h"
#include "dreamd/grams.h"
#include "dreamd/obs-store.h"
#include "dreamd/store-open.h"
#include "dreamd/util.h"
#include "store/db.h"
#include "tests/unit/unit.h"

/* The first column of the first row of sql; -1 on an error. */
static int64_t sql_int(struct db *db, const char *sql)
{
	int64_t v;

	return db_int(db, sql, &v) < 0 ? -1 : v;
}

static struct db *db;

static void add_session(const char *id, const char *user, const char *project)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT OR REPLACE INTO sessions (id, user, agent, project, content_hash, files,"
		" events, user_turns, tool_calls, tool_errors, digest, run)"
		" VALUES (:id, :user, 'codex', :project, 'x', 1, 0, 0, 0, 0, x'', 1)");

	db_bind_text(st, ":id", id);
	db_bind_text(st, ":user", user);
	db_bind_text(st, ":project", project);
	CHECK(db_run(st) == 0);
}

/* A workflow observation as the workflows extractor makes it. */
static void add_gram(struct obs_list *l, const char *session, const char *key, uint32_t seq,
		     unsigned count, int ok)
{
	struct observation *o;

	ALLOC_GROW(l->v, l->n + 1, l->alloc);
	o = &l->v[l->n++];
	memset(o, 0, sizeof(*o));
	o->extractor = "workflows";
	o->kind = "workflow";
	o->key = xstrdup(key);
	o->subject = xstrdup(key);
	o->excerpt = xstrdup(key);
	o->session = xstrdup(session);
	o->user = xstrdup("ignored");
	o->agent = xstrdup("ignored");
	o->seq = seq;
	o->ts = 1793000000000LL + seq;
	o->count = count;
	o->succeeded = (unsigned)ok;
	o->behaviour = 1;
}

static int cmp_key(const void *a, const void *b)
{
	const struct observation *x = a, *y = b;

	return strcmp(x->key, y->key);
}

/* Sorts l as extract_session() does, stores it and frees it. */
static void store(const char *session, struct obs_list *l, int replace)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), cmp_key);
	CHECK(obs_list_store(db, session, l, replace) == 0);
	obs_list_release(l);
}

struct seen {
	struct strbuf out;	/* "key session seq ts count ok user agent project\n" */
	char last[256];		/* the group being read */
	int groups, split;	/* a key's rows came in two runs */
	char done[64][256];
	int ndone;
};

static int take(void *arg, const struct observation *o)
{
	struct seen *s = arg;
	int i;

	if (strcmp(s->last, o->key)) {
		for (i = 0; i < s->ndone; i++)
			if (!strcmp(s->done[i], o->key))
				s->split = 1;
		if (s->ndone < 64)
			snprintf(s->done[s->ndone++], 256, "%s", o->key);
		snprintf(s->last, sizeof(s->last), "%s", o->key);
		s->groups++;
	}
	CHECK_STR(o->kind, "workflow");
	CHECK_STR(o->subject, o->key);
	CHECK_STR(o->excerpt, o->key);
	CHECK(o->behaviour && !o->user_authored);
	if (strncmp(o->key, "noise ", 6))
		strbuf_addf(&s->out, "%s %s %u %lld %u %u %s %s %s\n", o->key, o->session,
			    o->seq, (long long)(o->ts - 1793000000000LL), o->count,
			    o->succeeded, o->user, o->agent, o->project ? o->project : "-");
	return 0;
}

/*
 * The rows grams_load_parts() gives for min, sorted (groups come in any
 * order), holding at most rows_max rows at once (0: grams_load()).
 */
static char *load_max(int min, size_t rows_max, int *groups, int *split)
{
	struct seen s;
	char *lines[256], *p, *q, *ret;
	struct strbuf sorted;
	size_t n = 0, i, j;

	memset(&s, 0, sizeof(s));
	strbuf_init(&s.out, STRBUF_NOLIMIT);
	if (rows_max)
		CHECK(grams_load_parts(db, min, rows_max, take, &s) == 0);
	else
		CHECK(grams_load(db, min, take, &s) == 0);
	for (p = s.out.buf; *p && n < 256; p = q + 1) {
		q = strchr(p, '\n');
		*q = '\0';
		lines[n++] = p;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
			char *t = lines[j];

			lines[j] = lines[j - 1];
			lines[j - 1] = t;
		}
	strbuf_init(&sorted, STRBUF_NOLIMIT);
	for (i = 0; i < n; i++) {
		strbuf_addstr(&sorted, lines[i]);
		strbuf_addch(&sorted, '\n');
	}
	*groups = s.groups;
	*split = s.split;
	strbuf_release(&s.out);
	ret = strbuf_detach(&sorted, NULL);
	return ret;
}

static char *load(int min, int *groups, int *split)
{
	return load_max(min, 0, groups, split);
}

static void plant(void)
{
	struct obs_list l = { 0 };
	struct observation *o;

	add_session("s1", "ann", "/srv/web");
	add_session("s2", "bob", NULL);
	add_session("s3", "ann", "/srv/api");
	add_session("s4", "cy", "/srv/web");

	add_gram(&l, "s1", "pytest -> git commit", 4, 2, 1);
	add_gram(&l, "s1", "make -> make test", 9, 1, 0);
	add_gram(&l, "s1", "odd\x1fkey -> ls", 2, 1, 1);
	/* Not a workflow: stays an observation row. */
	ALLOC_GROW(l.v, l.n + 1, l.alloc);
	o = &l.v[l.n++];
	memset(o, 0, sizeof(*o));
	o->extractor = "failing-calls";
	o->kind = "mistake";
	o->key = xstrdup("npm test => Cannot find module");
	o->subject = xstrdup("npm test");
	o->session = xstrdup("s1");
	o->user = xstrdup("ann");
	o->agent = xstrdup("codex");
	o->behaviour = 1;
	store("s1", &l, 0);

	add_gram(&l, "s2", "pytest -> git commit", 7, 1, 1);
	add_gram(&l, "s2", "cargo build -> cargo test", 3, 1, 1);
	add_gram(&l, "s2", "odd\x1fkey -> ls", 5, 1, 0);
	store("s2", &l, 0);

	add_gram(&l, "s3", "pytest -> git commit", 1, 3, 0);
	store("s3", &l, 0);

	add_gram(&l, "s4", "cargo build -> cargo test", 12, 1, 0);
	store("s4", &l, 0);
}

static void test_store_and_load(void)
{
	char *got;
	int groups, split;
	size_t max;

	plant();
	CHECK(sql_int(db, "SELECT count(*) FROM session_workflows") == 4);
	CHECK(sql_int(db, "SELECT count(*) FROM observations WHERE kind = 'workflow'") == 2);
	CHECK(sql_int(db, "SELECT count(*) FROM observations WHERE kind = 'mistake'") == 1);
	CHECK(sql_int(db, "SELECT count(*) FROM session_workflows WHERE"
		     " instr(grams, 'odd') > 0") == 0);

	got = load(2, &groups, &split);
	CHECK_STR(got,
		  "cargo build -> cargo test s2 3 3 1 1 bob codex -\n"
		  "cargo build -> cargo test s4 12 12 1 0 cy codex /srv/web\n"
		  "pytest -> git commit s1 4 4 2 1 ann codex /srv/web\n"
		  "pytest -> git commit s2 7 7 1 1 bob codex -\n"
		  "pytest -> git commit s3 1 1 3 0 ann codex /srv/api\n");
	CHECK(groups == 2 && !split);
	/* Read in parts of at most 1 or 2 rows: the same rows, no group split. */
	for (max = 1; max <= 2; max++) {
		char *parts = load_max(2, max, &groups, &split);

		CHECK_STR(parts, got);
		CHECK(groups == 2 && !split);
		free(parts);
	}
	free(got);

	got = load(3, &groups, &split);
	CHECK_STR(got,
		  "pytest -> git commit s1 4 4 2 1 ann codex /srv/web\n"
		  "pytest -> git commit s2 7 7 1 1 bob codex -\n"
		  "pytest -> git commit s3 1 1 3 0 ann codex /srv/api\n");
	free(got);

	got = load(4, &groups, &split);
	CHECK_STR(got, "");
	CHECK(groups == 0);
	free(got);
}

static void test_replace(void)
{
	struct obs_list l = { 0 };
	char *got;
	int groups, split;

	/* s3 no longer has pytest -> git commit; its other rows are gone too. */
	add_gram(&l, "s3", "make -> make test", 6, 1, 1);
	store("s3", &l, 1);
	got = load(2, &groups, &split);
	CHECK_STR(got,
		  "cargo build -> cargo test s2 3 3 1 1 bob codex -\n"
		  "cargo build -> cargo test s4 12 12 1 0 cy codex /srv/web\n"
		  "make -> make test s1 9 9 1 0 ann codex /srv/web\n"
		  "make -> make test s3 6 6 1 1 ann codex /srv/api\n"
		  "pytest -> git commit s1 4 4 2 1 ann codex /srv/web\n"
		  "pytest -> git commit s2 7 7 1 1 bob codex -\n");
	free(got);
	/* A session with no workflows left keeps no row. */
	store("s3", &l, 1);
	CHECK(sql_int(db, "SELECT count(*) FROM session_workflows WHERE session_id = 's3'") == 0);
}

/*
 * 300,000 n-grams seen once fill the sketch: thousands of them get through
 * it, and the exact count must still drop every one.
 */
static void test_sketch_is_only_a_filter(void)
{
	struct obs_list l = { 0 };
	char key[64], *got;
	int groups, split, i;

	add_session("big", "dee", "/srv/big");
	for (i = 0; i < 300000; i++) {
		snprintf(key, sizeof(key), "noise %d -> step", i);
		add_gram(&l, "big", key, (uint32_t)i, 1, 1);
	}
	add_gram(&l, "big", "noise 17 -> step", 1, 1, 1);	/* twice in one session */
	store("big", &l, 0);
	got = load(2, &groups, &split);
	CHECK(groups == 2);
	CHECK(!split);
	CHECK(strstr(got, "noise") == NULL);
	free(got);
	/* The same when the rows the sketch lets through come in parts. */
	got = load_max(2, 8192, &groups, &split);
	CHECK(groups == 2);
	CHECK(!split);
	CHECK(strstr(got, "noise") == NULL);
	free(got);
}

/* A store at schema version 3 keeps its workflow evidence when migrated. */
static void test_migration(const char *path)
{
	struct db_migration m[8];
	const struct embedded_file *f;
	struct db *old;
	size_t n = 0;

	for (f = embedded_files; f->name; f++)
		if (!strncmp(f->name, "schemas/", 8) && strstr(f->name, ".sql") &&
		    atoi(f->name + 8) <= 3 && n < 8) {
			m[n].version = atoi(f->name + 8);
			m[n].name = f->name;
			m[n].sql = (const char *)f->data;
			n++;
		}
	CHECK(n == 3);
	CHECK(db_open(&old, path, 1) == 0);
	CHECK(db_migrate(old, m, n) == 0);
	CHECK(db_exec(old,
		"INSERT INTO sessions (id, user, agent, content_hash, files, events, user_turns,"
		" tool_calls, tool_errors, digest, run) VALUES"
		" ('a', 'ann', 'codex', 'x', 1, 0, 0, 0, 0, x'', 1),"
		" ('b', 'bob', 'codex', 'x', 1, 0, 0, 0, 0, x'', 1);"
		"INSERT INTO observations (extractor, key, session_id, seq, kind, subject, excerpt,"
		" ts, user, agent, behaviour, count, succeeded) VALUES"
		" ('workflows', 'ls -> make', 'a', 3, 'workflow', 'ls -> make', 'ls -> make', 30,"
		"  'ann', 'codex', 1, 2, 1),"
		" ('workflows', 'ls -> make', 'b', 5, 'workflow', 'ls -> make', 'ls -> make', 50,"
		"  'bob', 'codex', 1, 1, 0),"
		" ('workflows', 'vi -> make', 'a', 1, 'workflow', 'vi -> make', 'vi -> make', 10,"
		"  'ann', 'codex', 1, 1, 1),"
		" ('failing-calls', 'make => error', 'a', 2, 'mistake', 'make', 'error', 20,"
		"  'ann', 'codex', 1, 1, 0);") == 0);
	db_close(old);

	CHECK(store_open(path, &db) == 0);
	CHECK(sql_int(db, "PRAGMA user_version") >= 4);	/* 004 and any later */
	CHECK(sql_int(db, "SELECT count(*) FROM observations") == 1);
	CHECK(sql_int(db, "SELECT count(*) FROM session_workflows") == 2);
	CHECK(sql_int(db, "SELECT grams = 'ls -> make' || char(31) || '3' || char(31) || '30'"
		     " || char(31) || '2' || char(31) || '1' || char(30) || 'vi -> make'"
		     " || char(31) || '1' || char(31) || '10' || char(31) || '1' || char(31)"
		     " || '1' || char(30) FROM session_workflows WHERE session_id = 'a'") == 1);
	db_close(db);
}

int main(void)
{
	char path[] = "/tmp/dreamd-test-grams-XXXXXX";
	char old[] = "/tmp/dreamd-test-grams-v3-XXXXXX";
	int fd = mkstemp(path);

	close(fd);
	unlink(path);
	CHECK(store_open(path, &db) == 0);
	test_store_and_load();
	test_replace();
	test_sketch_is_only_a_filter();
	db_close(db);

	fd = mkstemp(old);
	close(fd);
	unlink(old);
	test_migration(old);

	unlink(path);
	unlink(old);
	return unit_done();
}
