/*
 * ledger.h: the ledger's tables (schemas/001-primary.sql): files, every
 * spool file a run has seen, as it was (size, mtime, hash) and what became
 * of it (the session it holds, ingested or quarantined); and quarantine,
 * every bad input, with its kind and message. Their one writer but for
 * merge, which copies a partial's rows as they are; status counts them.
 * dreamd/ledger.c decides what goes in.
 */
#ifndef DREAMD_STORE_LEDGER_H
#define DREAMD_STORE_LEDGER_H

#include <stdint.h>

struct db;

/*
 * Is the file in the ledger as it is now (path, size, mtime)? With retry,
 * one quarantined there counts as unseen. 1 yes, 0 no, -1 reported.
 */
int files_seen(struct db *db, const char *path, int64_t size, int64_t mtime, int retry);

/* A file's row; the strings are the caller's. */
struct file_row {
	const char *path;
	int64_t size, mtime;
	const char *hash;
	const char *session;	/* the session it holds, or NULL */
	const char *status;	/* "ingested", "quarantined" */
	int64_t run;
};
/* Stores f, replacing the row of its path. Inside the caller's transaction; -1 reported. */
int files_put(struct db *db, const struct file_row *f);

/*
 * Calls fn with each path the session was stored from, in order (valid
 * until fn returns); nonzero from fn stops the walk and is returned. -1
 * reported.
 */
typedef int (*files_path_fn)(void *arg, const char *path);
int files_of_session(struct db *db, const char *session_id, files_path_fn fn, void *arg);

/* Records a bad input (line 0: the file as a whole) of the run. -1 reported. */
int quarantine_add(struct db *db, const char *path, long line, const char *kind,
		   const char *reason, int64_t run);
/* The same for a file as a whole, unless it is there already (path, kind, reason). */
int quarantine_add_once(struct db *db, const char *path, const char *kind,
			const char *reason, int64_t run);

#endif
