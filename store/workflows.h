/*
 * workflows.h: the session_workflows table (schemas/004-workflows.sql), a
 * session's workflow n-grams packed in one row an extractor. Its one writer
 * but for merge, which copies a partial's rows as they are; what a row
 * holds and how it is read back is dreamd/grams.h's.
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

#endif
