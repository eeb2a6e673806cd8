/*
 * workflows.h: the session_workflows table (schemas/004-workflows.sql), a
 * session's workflow n-grams packed in one row an extractor. Its one writer
 * but for merge, which copies a partial's rows as they are, and its one
 * reader; what a row holds is dreamd/grams.h's.
 */
#ifndef DREAMD_STORE_WORKFLOWS_H
#define DREAMD_STORE_WORKFLOWS_H

#include <stddef.h>

struct db;

/* Deletes the session's rows. Inside the caller's transaction; -1 reported. */
int workflows_delete(struct db *db, const char *session_id);
/*
 * Stores the packed n-grams (len bytes) of the session's extractor,
 * replacing its row. Inside the caller's transaction; -1 reported.
 */
int workflows_put(struct db *db, const char *session_id, const char *extractor,
		  const char *grams, size_t len);

/* A stored row with its session's user, agent and project (NULL where unknown). */
struct workflows_row {
	const char *session_id, *extractor, *grams;
	const char *user, *agent, *project;
};
/*
 * Calls fn for each stored row, in no order promised; the strings live
 * until fn returns. Nonzero from fn stops the walk and is returned; -1
 * reported.
 */
typedef int (*workflows_fn)(void *arg, const struct workflows_row *r);
int workflows_each(struct db *db, workflows_fn fn, void *arg);

#endif
