/*
 * db.h: a thin layer over SQLite, after Fossil's db.c.
 *
 * Every failure is reported with the SQL text through the reporter set with
 * db_set_reporter() (dreamd/ points it at error()), and the function returns
 * -1. Parameters are bound by name (":name"). A statement's error is sticky,
 * as report.h's struct out is: a bind that fails (or any call on the NULL
 * of a failed db_prepare) only remembers it, and the next db_step() or
 * db_run() reports it once and returns -1. So binding is straight-line code:
 *
 *	st = db_prepare(db, "UPDATE t SET a = :a WHERE id = :id");
 *	db_bind_int(st, ":a", a);
 *	db_bind_text(st, ":id", id);
 *	if (db_run(st) < 0)
 *		return -1;
 *
 * (binds still return -1 when they fail, for the caller who wants to know.) Writers use db_begin(), which
 * is BEGIN IMMEDIATE, so a writer waits for the lock up front instead of
 * failing half way. Connections run in WAL mode with foreign keys on and a
 * busy timeout, so readers never wait on a writer.
 *
 * Statements from db_prepare() are cached per connection by the content of
 * their SQL text (copied, so the caller's text may be a buffer it reuses or
 * frees at once) and reset for reuse; release them with db_done(). Column
 * getters are valid until the next db_step() on that statement.
 */
#ifndef DREAMD_DB_H
#define DREAMD_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

/* One numbered migration: schemas/NNN-name.sql. */
struct db_migration {
	int version;
	const char *name;
	const char *sql;
};

#define DB_APPLICATION_ID 0x64726d64	/* "drmd" */

/* Where messages go; the default writes "dreamd: error: MSG" to stderr. */
void db_set_reporter(void (*report)(const char *msg));
/*
 * Reports a failure of store/ through the reporter and returns -1, so that
 * store/'s modules say what went wrong as db.c does, without dreamd/'s
 * error().
 */
int db_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * A hook asked before each write; returning non-zero makes the write fail
 * as an I/O error would. Used by the fault-injection tests.
 */
void db_set_fault_hook(int (*hook)(const char *where));

/*
 * Opens (creating when allowed) the store at path for writing. Its -wal and
 * -shm files are kept when it closes (SQLITE_FCNTL_PERSIST_WAL), so that a
 * reader who may not write the store's folder can still open it.
 */
int db_open(struct db **out, const char *path, int create);
/*
 * Opens the store at path read-only (SQLITE_OPEN_READONLY): it reads the
 * last committed state, never takes a write lock and never waits for a
 * writer. A WAL store opens so when its -wal and -shm files exist or can be
 * created; a -shm the reader may not write is read into private memory.
 */
int db_open_read(struct db **out, const char *path);
/* Applies the migrations newer than PRAGMA user_version, in one transaction. */
int db_migrate(struct db *db, const struct db_migration *m, size_t n);
void db_close(struct db *db);

int db_begin(struct db *db);		/* BEGIN IMMEDIATE */
int db_begin_read(struct db *db);	/* BEGIN (a consistent snapshot) */
int db_commit(struct db *db);
int db_rollback(struct db *db);
/* Runs SQL that may hold several statements and binds nothing. */
int db_exec(struct db *db, const char *sql);
/*
 * The page cache, DB_CACHE_MIB by default. Dirty pages that do not fit are
 * written to the WAL before the commit, and written again each time they
 * change: a long transaction of scattered inserts (a run storing a night
 * of sessions) writes several times its size with the default.
 * db_cache_mib() writes the dirty pages out and frees the cache, so that
 * lowering it gives the memory back at once.
 */
#define DB_CACHE_MIB 8
int db_cache_mib(struct db *db, int mib);
/*
 * Copies committed pages from the WAL into the store as far as readers
 * allow (a passive checkpoint); never waits, never reports.
 */
void db_checkpoint(struct db *db);

struct db_stmt *db_prepare(struct db *db, const char *sql);
int db_bind_int(struct db_stmt *st, const char *name, int64_t v);
int db_bind_double(struct db_stmt *st, const char *name, double v);
/* NULL binds SQL NULL; the text is copied. */
int db_bind_text(struct db_stmt *st, const char *name, const char *s);
int db_bind_textn(struct db_stmt *st, const char *name, const char *s, size_t n);
int db_bind_blob(struct db_stmt *st, const char *name, const void *p, size_t n);
/* n zero bytes, to be filled in pieces with db_blob_write() once the row is in. */
int db_bind_zeroblob(struct db_stmt *st, const char *name, size_t n);
/*
 * A big blob in pieces, never whole in memory (SQLite's incremental blob
 * I/O): db_blob_write() fills column col of table's row rowid from fill(),
 * which writes up to n bytes into buf and says how many; db_blob_read()
 * hands each piece of it to fn, in order, from the database schema ("main",
 * or an attached one's name). -1 reported, or fill's or fn's -1.
 */
int db_blob_write(struct db *db, const char *table, const char *col, int64_t rowid,
		  int (*fill)(void *arg, void *buf, size_t n, size_t *got), void *arg);
int db_blob_read(struct db *db, const char *schema, const char *table, const char *col,
		 int64_t rowid, int (*fn)(void *arg, const void *piece, size_t n), void *arg);
/* 1: a row is ready; 0: done; -1: error (reported, a bind's too). */
int db_step(struct db_stmt *st);
/* Steps a statement that returns no row, then resets it. */
int db_run(struct db_stmt *st);
int64_t db_col_int(struct db_stmt *st, int col);
double db_col_double(struct db_stmt *st, int col);
/* NULL for SQL NULL. */
const char *db_col_text(struct db_stmt *st, int col);
const void *db_col_blob(struct db_stmt *st, int col, size_t *len);
int db_col_is_null(struct db_stmt *st, int col);
/* Resets and clears bindings and a sticky error; the statement stays cached. */
void db_done(struct db_stmt *st);

/*
 * The first column of the first row of sql into *v (0 when there is no row
 * or it is NULL). -1: an error, reported; *v is then 0.
 */
int db_int(struct db *db, const char *sql, int64_t *v);
int64_t db_changes(struct db *db);
int64_t db_last_rowid(struct db *db);
const char *db_path(const struct db *db);

/*
 * A writer's lock, held for its whole run so a second run exits at once: an
 * flock on the store file itself (created when missing), so every path to
 * the one file (a symlink, a hard link) meets the same lock. Release it
 * after closing the store: closing a descriptor of the store file drops
 * the process's SQLite locks on it. 0: held; 1: somebody else holds it;
 * -1: error.
 */
int db_lock(const char *db_path, int *fd);
void db_unlock(int fd);

#endif
