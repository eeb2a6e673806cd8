/*
 * test-db.c: store/db.c's statement wrapper: a failed bind is remembered and
 * reported once, at the step; a failed prepare makes every later call on its
 * statement a quiet -1; db_int tells an error from an empty answer; the
 * statement cache goes by the SQL text's content, never by its address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "store/db.h"
#include "tests/unit/unit.h"

static int reports;
static char last[512];

static void count_report(const char *msg)
{
	reports++;
	snprintf(last, sizeof(last), "%s", msg);
}

static struct db *open_db(char *path)
{
	struct db *db;
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	close(fd);
	CHECK(db_open(&db, path, 1) == 0);
	CHECK(db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL)") == 0);
	return db;
}

static void test_sticky_bind(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO t (a) VALUES (:a)");

	reports = 0;
	CHECK(db_bind_text(st, ":nope", "x") < 0);
	CHECK(db_bind_text(st, ":a", "x") == 0);
	CHECK(reports == 0);			/* remembered, not reported yet */
	CHECK(db_run(st) < 0);
	CHECK(reports == 1);
	CHECK(strstr(last, "no parameter ':nope'") != NULL);
	/* Reported once: the statement is clean again. */
	db_bind_text(st, ":a", "y");
	CHECK(db_run(st) == 0);
	CHECK(reports == 1);
}

static void test_failed_prepare(struct db *db)
{
	struct db_stmt *st;

	reports = 0;
	st = db_prepare(db, "INSERT INTO nosuch (a) VALUES (:a)");
	CHECK(st == NULL && reports == 1);
	CHECK(db_bind_text(st, ":a", "x") < 0);
	CHECK(db_bind_int(st, ":a", 1) < 0);
	CHECK(db_run(st) < 0);
	CHECK(db_step(st) < 0);
	db_done(st);
	CHECK(reports == 1);
}

/* A constraint failure is reported at the step, as before. */
static void test_step_error(struct db *db)
{
	struct db_stmt *st = db_prepare(db, "INSERT INTO t (a) VALUES (:a)");

	reports = 0;
	db_bind_text(st, ":a", NULL);
	CHECK(db_run(st) < 0);
	CHECK(reports == 1 && strstr(last, "NOT NULL") != NULL);
}

static void test_db_int(struct db *db)
{
	int64_t v = 7;

	reports = 0;
	CHECK(db_int(db, "SELECT count(*) FROM t", &v) == 0 && v == 1);
	CHECK(db_int(db, "SELECT a FROM t WHERE id = -1", &v) == 0 && v == 0);
	CHECK(db_int(db, "SELECT NULL", &v) == 0 && v == 0);
	CHECK(reports == 0);
	v = 7;
	CHECK(db_int(db, "SELECT count(*) FROM nosuch", &v) < 0 && v == 0);
	CHECK(reports == 1);
}

static int64_t one_int(struct db *db, const char *sql)
{
	struct db_stmt *st = db_prepare(db, sql);
	int64_t v = -1;

	if (db_step(st) == 1)
		v = db_col_int(st, 0);
	db_done(st);
	return v;
}

/*
 * The cache once kept the caller's pointer as the key: a buffer reused for
 * another text gave back the first text's statement, and a freed text was
 * read again at the next lookup.
 */
static void test_cache_by_content(struct db *db)
{
	struct db_stmt *first, *again;
	char buf[64], *heap;
	int i;

	reports = 0;
	snprintf(buf, sizeof(buf), "SELECT %d", 1);
	CHECK(one_int(db, buf) == 1);
	snprintf(buf, sizeof(buf), "SELECT %d", 2);
	CHECK(one_int(db, buf) == 2);
	heap = strdup("SELECT 3");
	CHECK(one_int(db, heap) == 3);
	free(heap);
	heap = strdup("SELECT 4");
	CHECK(one_int(db, heap) == 4);
	free(heap);
	/* The same text at another address is the same statement. */
	first = db_prepare(db, "SELECT 1");
	snprintf(buf, sizeof(buf), "SELECT %d", 1);
	again = db_prepare(db, buf);
	CHECK(first != NULL && first == again);
	/* Past the cache's size, evicted statements are prepared again. */
	for (i = 0; i < 200; i++) {
		snprintf(buf, sizeof(buf), "SELECT %d", i % 100);
		CHECK(one_int(db, buf) == i % 100);
	}
	CHECK(reports == 0);
}

int main(void)
{
	char path[] = "/tmp/dreamd-test-db.XXXXXX";
	char wal[64], shm[64];
	struct db *db;

	db_set_reporter(count_report);
	db = open_db(path);
	test_sticky_bind(db);
	test_failed_prepare(db);
	test_step_error(db);
	test_db_int(db);
	test_cache_by_content(db);
	db_close(db);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	snprintf(shm, sizeof(shm), "%s-shm", path);
	unlink(path);
	unlink(wal);
	unlink(shm);
	return unit_done();
}
