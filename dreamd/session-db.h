/*
 * session-db.h: a session's rows in the store, as run and merge write them.
 */
#ifndef DREAMD_SESSION_DB_H
#define DREAMD_SESSION_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct config;
struct session;
struct obs_list;
struct extractor_set;
struct digest;

/* What sdb_store() stores besides the session itself. */
struct stored {
	const struct digest *digest;
	const struct obs_list *obs;
	size_t nfiles;
	const char *hash;
};

/* The session's row and observations (replacing the old ones when known). */
int sdb_store(struct db *db, const struct session *s, const struct stored *w,
	      int64_t run, int known);
/* The stored session's digest, decoded into s (initialised). -1 reported. */
int sdb_load(struct db *db, const char *id, struct session *s);
/* The same from an attached database (schema: its name). */
int sdb_load_in(struct db *db, const char *schema, const char *id, struct session *s);
/*
 * Stores u, the union of two readings of one session, extracted again
 * (with *set, made from cfg when NULL), under a hash of its content (its
 * digest): the same whatever order its readings were united in, so merged
 * shards store the hash one run stores. where names it in an error. -1
 * reported.
 */
int sdb_store_union(struct db *db, const struct config *cfg, struct extractor_set **set,
		    struct session *u, int64_t run, const char *where);
/*
 * A union cut to a session's limits: reported (a warning naming the file
 * that made it) and quarantined as too-many-events, once.
 */
int sdb_record_capped(struct db *db, const char *id, const char *path, size_t dropped,
		      int64_t run);

#endif
