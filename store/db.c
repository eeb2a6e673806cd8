/*
 * db.c: the SQLite layer; see db.h.
 */
#include "store/db.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "dreamd/common/hash.h"

#define CACHE_SIZE 64
#define NAMES_SEEN 32

struct db_stmt {
	struct db *db;
	sqlite3_stmt *st;
	/*
	 * The cache's key: the SQL text, copied, and its hash. Never the
	 * caller's pointer, which a stack buffer or a freed string may
	 * hand to another text.
	 */
	char *sql;
	uint64_t key;
	int writes;		/* the statement may change the database */
	/*
	 * names[i]: the pointer last bound to parameter i. A hit is confirmed
	 * against the name SQLite keeps now (not a copy of its pointer: that
	 * is freed when SQLite prepares the statement again, as it does after
	 * an ATTACH or DETACH), without the lookup by name.
	 */
	const char *names[NAMES_SEEN];
	char *err;		/* a bind's failure, reported at the next step */
};

struct db {
	sqlite3 *h;
	char *path;
	struct db_stmt cache[CACHE_SIZE];
	int ncache;
	int evict;		/* the slot the next eviction reuses */
};

static void default_report(const char *msg)
{
	fprintf(stderr, "dreamd: error: %s\n", msg);
}

static void (*reporter)(const char *msg) = default_report;
static int (*fault_hook)(const char *where);

void db_set_reporter(void (*report)(const char *msg))
{
	reporter = report ? report : default_report;
}

void db_set_fault_hook(int (*hook)(const char *where))
{
	fault_hook = hook;
}

int db_report(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	reporter(msg);
	return -1;
}

/*
 * Why the last call failed: SQLite's message, and for a failed read or
 * write (a full disk) the system's reason, which SQLite's message leaves out.
 */
static const char *why(struct db *db, int rc, char *buf, size_t size)
{
	int prim = rc & 0xff, sys = sqlite3_system_errno(db->h);
	const char *msg = rc == sqlite3_errcode(db->h) ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);

	if (sys && (prim == SQLITE_IOERR || prim == SQLITE_FULL || prim == SQLITE_CANTOPEN))
		snprintf(buf, size, "%s (%s)", msg, strerror(sys));
	else
		snprintf(buf, size, "%s", msg);
	return buf;
}

static int sql_error(struct db *db, const char *sql)
{
	char buf[512];

	return db_report("%s in '%.300s'",
			 why(db, sqlite3_extended_errcode(db->h), buf, sizeof(buf)), sql);
}

static char oom[] = "out of memory";

/* Remembers a statement's first failure, for db_step() to report. */
__attribute__((format(printf, 2, 3)))
static int stmt_fail(struct db_stmt *st, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (st->err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	st->err = strdup(msg);
	if (!st->err)
		st->err = oom;
	return -1;
}

static void stmt_clear(struct db_stmt *st)
{
	if (st->err != oom)
		free(st->err);
	st->err = NULL;
}

static int open_flags(struct db **out, const char *path, int flags)
{
	struct db *db;

	*out = NULL;
	db = calloc(1, sizeof(*db));
	if (!db)
		return db_report("out of memory");
	db->path = strdup(path);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		db_report("cannot open store '%s': %s", path,
		       db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return -1;
	}
	sqlite3_extended_result_codes(db->h, 1);
	*out = db;
	return 0;
}

int db_open(struct db **out, const char *path, int create)
{
	struct db *db;
	int persist = 1;

	if (open_flags(&db, path, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) < 0)
		return -1;
	sqlite3_busy_timeout(db->h, 10000);
	/*
	 * An 8 MiB page cache; a writer filling the store widens it for a
	 * while with db_cache_mib().
	 */
	if (db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
			"PRAGMA synchronous=NORMAL; PRAGMA journal_size_limit=67108864;") < 0 ||
	    db_cache_mib(db, DB_CACHE_MIB) < 0) {
		db_close(db);
		return -1;
	}
	sqlite3_file_control(db->h, "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
	*out = db;
	return 0;
}

int db_open_read(struct db **out, const char *path)
{
	struct db *db;

	if (open_flags(&db, path, SQLITE_OPEN_READONLY) < 0)
		return -1;
	/* a reader waits only for a WAL recovery, never for a writer */
	sqlite3_busy_timeout(db->h, 2000);
	if (db_exec(db, "PRAGMA foreign_keys=ON") < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int db_cache_mib(struct db *db, int mib)
{
	char sql[64], buf[512];
	int rc;

	snprintf(sql, sizeof(sql), "PRAGMA cache_size=%d", -1024 * mib);
	if (db_exec(db, sql) < 0)
		return -1;
	/*
	 * Dirty pages stay in the cache whatever its size until they are
	 * written: write them (to the WAL, still uncommitted) and free what
	 * is over the new size.
	 */
	rc = sqlite3_db_cacheflush(db->h);
	if (rc != SQLITE_OK)	/* the connection's message is not set: why() names rc */
		return db_report("cannot write the store '%s': %s", db->path,
			      why(db, rc, buf, sizeof(buf)));
	sqlite3_db_release_memory(db->h);
	return 0;
}

void db_checkpoint(struct db *db)
{
	sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
}

int db_migrate(struct db *db, const struct db_migration *m, size_t n)
{
	int64_t have, app;
	size_t i;
	char pragma[64];

	if (db_begin(db) < 0)
		return -1;
	if (db_int(db, "PRAGMA user_version", &have) < 0 ||
	    db_int(db, "PRAGMA application_id", &app) < 0) {
		db_rollback(db);
		return -1;
	}
	if (app && app != DB_APPLICATION_ID) {
		db_rollback(db);
		return db_report("not a dreamd store '%s'", db->path);
	}
	if (have > (int64_t)m[n - 1].version) {
		db_rollback(db);
		return db_report("store '%s' is from a newer dreamd (schema %lld)",
			      db->path, (long long)have);
	}
	for (i = 0; i < n; i++) {
		if (m[i].version <= have)
			continue;
		if (db_exec(db, m[i].sql) < 0) {
			db_rollback(db);
			return db_report("migration '%s' failed", m[i].name);
		}
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", m[i].version);
		if (db_exec(db, pragma) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	if (!app) {
		snprintf(pragma, sizeof(pragma), "PRAGMA application_id=%d",
			 DB_APPLICATION_ID);
		if (db_exec(db, pragma) < 0) {
			db_rollback(db);
			return -1;
		}
	}
	return db_commit(db);
}

void db_close(struct db *db)
{
	int i;

	if (!db)
		return;
	for (i = 0; i < db->ncache; i++) {
		stmt_clear(&db->cache[i]);
		sqlite3_finalize(db->cache[i].st);
		free(db->cache[i].sql);
	}
	if (db->h)
		sqlite3_close(db->h);
	free(db->path);
	free(db);
}

int db_exec(struct db *db, const char *sql)
{
	char *msg = NULL;

	if (fault_hook && strncmp(sql, "PRAGMA", 6) && strncmp(sql, "BEGIN", 5) &&
	    strncmp(sql, "ROLLBACK", 8)) {
		if (fault_hook("abort") || fault_hook("write"))
			return db_report("injected write fault in '%.300s'", sql);
	}
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		db_report("%s in '%.300s'", msg ? msg : sqlite3_errmsg(db->h), sql);
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_begin(struct db *db)
{
	return db_exec(db, "BEGIN IMMEDIATE");
}

int db_begin_read(struct db *db)
{
	/* A deferred transaction takes its snapshot at the first read. */
	if (db_exec(db, "BEGIN") < 0)
		return -1;
	int64_t n;

	return db_int(db, "SELECT count(*) FROM sqlite_master", &n);
}

int db_commit(struct db *db)
{
	return db_exec(db, "COMMIT");
}

int db_rollback(struct db *db)
{
	if (sqlite3_get_autocommit(db->h))
		return 0;
	return db_exec(db, "ROLLBACK");
}

/* A cached statement's slot for new text: a free one, else the next in turn. */
static struct db_stmt *cache_slot(struct db *db)
{
	struct db_stmt *st;

	if (db->ncache < CACHE_SIZE)
		return &db->cache[db->ncache++];
	/*
	 * Reuse one slot in turn: the others stay where they are, so a
	 * statement a caller still holds is never moved under it.
	 */
	st = &db->cache[db->evict];
	db->evict = (db->evict + 1) % CACHE_SIZE;
	stmt_clear(st);
	sqlite3_finalize(st->st);
	st->st = NULL;
	free(st->sql);
	st->sql = NULL;		/* matches no statement until it is refilled */
	return st;
}

struct db_stmt *db_prepare(struct db *db, const char *sql)
{
	size_t len = strlen(sql);
	uint64_t key = hash_fast(sql, len, HASH64_SEED);
	struct db_stmt *st;
	int i;

	for (i = 0; i < db->ncache; i++)
		if (db->cache[i].key == key && db->cache[i].sql && !strcmp(db->cache[i].sql, sql))
			return &db->cache[i];
	st = cache_slot(db);
	assert(!st->sql && !st->err);
	if (sqlite3_prepare_v3(db->h, sql, (int)len, SQLITE_PREPARE_PERSISTENT, &st->st,
			       NULL) != SQLITE_OK) {
		sql_error(db, sql);
		return NULL;
	}
	st->sql = strdup(sql);
	if (!st->sql) {
		sqlite3_finalize(st->st);
		st->st = NULL;
		db_report("out of memory");
		return NULL;
	}
	st->key = key;
	st->db = db;
	memset(st->names, 0, sizeof(st->names));
	st->writes = !sqlite3_stmt_readonly(st->st);
	return st;
}

static int param(struct db_stmt *st, const char *name)
{
	int i;

	for (i = 1; i < NAMES_SEEN; i++) {
		const char *known;

		if (st->names[i] != name)
			continue;
		known = sqlite3_bind_parameter_name(st->st, i);
		if (known && !strcmp(known, name))
			return i;
		break;
	}
	i = sqlite3_bind_parameter_index(st->st, name);
	if (!i) {
		stmt_fail(st, "no parameter '%s' in '%.300s'", name, st->sql);
	} else if (i < NAMES_SEEN) {
		st->names[i] = sqlite3_bind_parameter_name(st->st, i) ? name : NULL;
	}
	return i;
}

static int bind_result(struct db_stmt *st, int rc)
{
	if (rc != SQLITE_OK)
		return stmt_fail(st, "%s in '%.300s'", sqlite3_errmsg(st->db->h), st->sql);
	return 0;
}

int db_bind_int(struct db_stmt *st, const char *name, int64_t v)
{
	int i = st ? param(st, name) : 0;

	return i ? bind_result(st, sqlite3_bind_int64(st->st, i, v)) : -1;
}

int db_bind_double(struct db_stmt *st, const char *name, double v)
{
	int i = st ? param(st, name) : 0;

	return i ? bind_result(st, sqlite3_bind_double(st->st, i, v)) : -1;
}

int db_bind_text(struct db_stmt *st, const char *name, const char *s)
{
	int i = st ? param(st, name) : 0;

	if (!i)
		return -1;
	if (!s)
		return bind_result(st, sqlite3_bind_null(st->st, i));
	return bind_result(st, sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT));
}

int db_bind_textn(struct db_stmt *st, const char *name, const char *s, size_t n)
{
	int i = st ? param(st, name) : 0;

	if (!i)
		return -1;
	return bind_result(st, sqlite3_bind_text64(st->st, i, s, n, SQLITE_TRANSIENT,
						   SQLITE_UTF8));
}

int db_bind_blob(struct db_stmt *st, const char *name, const void *p, size_t n)
{
	int i = st ? param(st, name) : 0;

	if (!i)
		return -1;
	return bind_result(st, sqlite3_bind_blob64(st->st, i, p, n, SQLITE_TRANSIENT));
}

int db_bind_zeroblob(struct db_stmt *st, const char *name, size_t n)
{
	int i = st ? param(st, name) : 0;

	if (!i)
		return -1;
	return bind_result(st, sqlite3_bind_zeroblob64(st->st, i, n));
}

#define BLOB_PIECE ((size_t)1 << 16)

static int blob_open(struct db *db, const char *schema, const char *table, const char *col,
		     int64_t rowid, int write, sqlite3_blob **b)
{
	char buf[512];
	int rc = sqlite3_blob_open(db->h, schema, table, col, rowid, write, b);

	if (rc == SQLITE_OK)
		return 0;
	db_report("%s in a blob of %s.%s", why(db, rc, buf, sizeof(buf)), table, col);
	sqlite3_blob_close(*b);
	*b = NULL;
	return -1;
}

static int blob_fail(struct db *db, sqlite3_blob *b, int rc, const char *table)
{
	char buf[512];

	db_report("%s in a blob of %s", why(db, rc, buf, sizeof(buf)), table);
	sqlite3_blob_close(b);
	return -1;
}

int db_blob_write(struct db *db, const char *table, const char *col, int64_t rowid,
		  int (*fill)(void *arg, void *buf, size_t n, size_t *got), void *arg)
{
	char *piece = malloc(BLOB_PIECE);
	sqlite3_blob *b = NULL;
	int off = 0, size, rc, ret = -1;

	if (!piece)
		return db_report("%s", oom);
	if (fault_hook && (fault_hook("abort") || fault_hook("write"))) {
		free(piece);
		return db_report("injected write fault in a blob of %s", table);
	}
	if (blob_open(db, "main", table, col, rowid, 1, &b) < 0)
		goto done;
	size = sqlite3_blob_bytes(b);
	while (off < size) {
		size_t want = (size_t)(size - off) < BLOB_PIECE ? (size_t)(size - off) : BLOB_PIECE;
		size_t got = 0;

		if (fill(arg, piece, want, &got) < 0) {
			sqlite3_blob_close(b);
			goto done;
		}
		if (got != want) {
			sqlite3_blob_close(b);
			db_report("a blob of %s ended early", table);
			goto done;
		}
		rc = sqlite3_blob_write(b, piece, (int)got, off);
		if (rc != SQLITE_OK) {
			blob_fail(db, b, rc, table);
			goto done;
		}
		off += (int)got;
	}
	rc = sqlite3_blob_close(b);
	ret = rc == SQLITE_OK ? 0 : blob_fail(db, NULL, rc, table);
done:
	free(piece);
	return ret;
}

int db_blob_read(struct db *db, const char *schema, const char *table, const char *col,
		 int64_t rowid, int (*fn)(void *arg, const void *piece, size_t n), void *arg)
{
	char *piece = malloc(BLOB_PIECE);
	sqlite3_blob *b = NULL;
	int off = 0, size, rc, ret = -1;

	if (!piece)
		return db_report("%s", oom);
	if (blob_open(db, schema, table, col, rowid, 0, &b) < 0)
		goto done;
	size = sqlite3_blob_bytes(b);
	while (off < size) {
		int n = size - off < (int)BLOB_PIECE ? size - off : (int)BLOB_PIECE;

		rc = sqlite3_blob_read(b, piece, n, off);
		if (rc != SQLITE_OK) {
			blob_fail(db, b, rc, table);
			goto done;
		}
		if (fn(arg, piece, (size_t)n) < 0) {
			sqlite3_blob_close(b);
			goto done;
		}
		off += n;
	}
	sqlite3_blob_close(b);
	ret = 0;
done:
	free(piece);
	return ret;
}

int db_step(struct db_stmt *st)
{
	int rc;

	if (!st)
		return -1;	/* db_prepare reported it */
	if (st->err) {
		db_report("%s", st->err);
		stmt_clear(st);
		return -1;
	}
	if (st->writes && fault_hook && (fault_hook("abort") || fault_hook("write")))
		return db_report("injected write fault in '%.300s'", st->sql);
	rc = sqlite3_step(st->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sql_error(st->db, st->sql);
}

int db_run(struct db_stmt *st)
{
	int rc = db_step(st);

	db_done(st);
	return rc < 0 ? -1 : 0;
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(st->st, col);
}

double db_col_double(struct db_stmt *st, int col)
{
	return sqlite3_column_double(st->st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->st, col);
}

const void *db_col_blob(struct db_stmt *st, int col, size_t *len)
{
	const void *p = sqlite3_column_blob(st->st, col);

	*len = (size_t)sqlite3_column_bytes(st->st, col);
	return p;
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(st->st, col) == SQLITE_NULL;
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	stmt_clear(st);
	sqlite3_reset(st->st);
	sqlite3_clear_bindings(st->st);
}

int db_int(struct db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	int rc;

	*v = 0;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return sql_error(db, sql);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*v = sqlite3_column_int64(st, 0);
	else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		sql_error(db, sql);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int64_t db_changes(struct db *db)
{
	return sqlite3_changes64(db->h);
}

int64_t db_last_rowid(struct db *db)
{
	return sqlite3_last_insert_rowid(db->h);
}

const char *db_path(const struct db *db)
{
	return db->path;
}

int db_lock(const char *path, int *fd)
{
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0)
		return db_report("cannot open store '%s': %s", path, strerror(errno));
	if (flock(*fd, LOCK_EX | LOCK_NB) < 0) {
		int busy = errno == EWOULDBLOCK;

		close(*fd);
		*fd = -1;
		if (busy)
			return 1;
		return db_report("cannot lock '%s': %s", path, strerror(errno));
	}
	return 0;
}

void db_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
