/*
 * sessions.h: the sessions table (schemas/001-primary.sql), a row a
 * session: who, which agent, when, its counts and its digest (the events,
 * compressed). Its one writer but for merge, which copies a partial's rows
 * as they are; dreamd/session-db.c fills a row from a struct session. Its
 * one reader too but for status's counts and show's support: a row's hash
 * and digest, and the walks over every session that curation and
 * reconsolidation take.
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
	struct spill *digest_file;	/* set: the digest is in it (spill.h), not at digest */
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
 * Calls fn with each piece of the stored session's digest in order (valid
 * until fn returns; a small digest comes whole, a big one in pieces, so it
 * is never held whole). 0, or -1 when the store fails (reported), holds no
 * session of that id, or fn returned -1.
 */
typedef int (*session_digest_fn)(void *arg, const void *piece, size_t len);
int session_row_digest(struct db *db, const char *id, session_digest_fn fn, void *arg);
/* The same from an attached database's sessions (schema: its name). */
int session_row_digest_in(struct db *db, const char *schema, const char *id,
			  session_digest_fn fn, void *arg);
/* Sets the session's file count from the ledger (files). -1 reported. */
int session_row_count_files(struct db *db, const char *id);

/*
 * The walks below call fn once a row, in the order each names; the strings
 * live until fn returns. Nonzero from fn stops the walk and is returned;
 * -1 reported.
 */
/* Each session's id and the run that stored it, by id. */
typedef int (*session_run_fn)(void *arg, const char *id, int64_t run);
int sessions_each_run(struct db *db, session_run_fn fn, void *arg);
/* The ids of the sessions that ended (or started) at since (ms) or later, by id. */
typedef int (*session_id_fn)(void *arg, const char *id);
int sessions_each_since(struct db *db, int64_t since, session_id_fn fn, void *arg);
/*
 * How many sessions each scope holds: "project:P" for each project, "user:U"
 * for each user, "team" for all; in no order.
 */
typedef int (*session_scope_fn)(void *arg, const char *scope, int64_t sessions);
int sessions_each_scope(struct db *db, session_scope_fn fn, void *arg);
/*
 * Every session's start (its end, or 0, when unknown) with its project ("" for
 * none) and agent, by project, agent and start (strcmp's order).
 */
typedef int (*session_start_fn)(void *arg, const char *project, const char *agent,
				int64_t start);
int sessions_each_start(struct db *db, session_start_fn fn, void *arg);
/*
 * Of the sessions of project (or of user, or all, for NULL), how many were
 * stored by a run after pub and ended (or started) after seen: *after; the
 * others: *before. -1 reported.
 */
int sessions_around(struct db *db, const char *project, const char *user, int64_t pub,
		    int64_t seen, int *before, int *after);

#endif
