/*
 * sessions.h: the sessions table (schemas/001-primary.sql), a row a
 * session: who, which agent, when, its counts and its digest (the events,
 * compressed). Its one writer but for merge, which copies a partial's rows
 * as they are; dreamd/session-db.c fills a row from a struct session.
 */
#ifndef DREAMD_STORE_SESSIONS_H
#define DREAMD_STORE_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "schemas/event.h"

struct db;

/* A session's row; the strings and the digest are the caller's. */
struct session_row {
	const struct session_meta *meta;	/* id, user, agent, ..., when */
	const char *hash;		/* its content hash */
	int64_t files, events, user_turns, tool_calls, tool_errors, skipped_lines;
	const void *digest;
	size_t digest_len;
	int64_t run;			/* the run that stored it */
};

/* Stores r, replacing the row of its id. Inside the caller's transaction; -1 reported. */
int session_row_put(struct db *db, const struct session_row *r);
/*
 * What is stored for a session id: its content hash, or NULL; *user (may
 * be NULL) gets the user it belongs to. Both malloc'd.
 */
char *session_row_hash(struct db *db, const char *id, char **user);
/*
 * Calls fn with the stored session's digest (valid until fn returns) and
 * returns what fn returns; -1 when the store fails (reported) or holds no
 * session of that id.
 */
typedef int (*session_digest_fn)(void *arg, const void *digest, size_t len);
int session_row_digest(struct db *db, const char *id, session_digest_fn fn, void *arg);
/* Sets the session's file count from the ledger (files). -1 reported. */
int session_row_count_files(struct db *db, const char *id);

#endif
