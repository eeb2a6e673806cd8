/*
 * support.h: the sessions that support a memory, all of them.
 *
 * A memory record keeps a few pieces of evidence (the oldest, one a
 * session); the store keeps every observation it was made from. These are
 * read here from what the store already holds: the observations
 * (schemas/002-derived.sql) and workflow n-grams (schemas/004-workflows.sql)
 * of the memory's extractor and key, the sessions of the record's own
 * evidence (which name the sessions of near-duplicate keys merged into it),
 * and each session's user, agent and time from sessions
 * (schemas/001-primary.sql).
 */
#ifndef DREAMD_STORE_SUPPORT_H
#define DREAMD_STORE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/memory.h"

struct db;

struct memory_session {
	char *id, *user, *agent;
	int64_t at;		/* ms: the session's start (else end); -1 unknown */
};

/*
 * Every session still in the store that supports m (a parsed record: its
 * observations' and workflows' sessions and its evidence's), newest first,
 * ties by id; *s malloc'd (memory_sessions_release). Reports its errors and
 * returns -1.
 */
int memory_sessions_load(struct db *db, const struct memory *m, struct memory_session **s,
			 size_t *n);
void memory_sessions_release(struct memory_session *s, size_t n);

#endif
