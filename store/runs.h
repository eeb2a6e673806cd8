/*
 * runs.h: the run log (the runs table, schemas/003-history.sql, and a
 * shard's share, shards), its one writer; status reads it too, for the last
 * run it shows, and merge a partial's, to check its rules.
 */
#ifndef DREAMD_STORE_RUNS_H
#define DREAMD_STORE_RUNS_H

#include <stdint.h>

struct db;

/* Inserts the run's row; *run_id is its id. Inside the caller's transaction. */
int run_insert(struct db *db, const char *kind, const char *actor, int64_t *run_id);
/*
 * Records the start of a run of the given kind in its own transaction, so a
 * run that dies leaves a trace; *run_id is its id.
 */
int run_start(struct db *db, const char *kind, const char *actor, int64_t *run_id);
/*
 * Records the end of a run, inside the caller's transaction; curated is the
 * config fingerprint it curated with, or NULL when it did not curate. The
 * run log keeps summary and timing ("; 1.6s", or NULL); the generation keeps
 * the summary alone, so that two identical runs give identical stores.
 */
int run_finish(struct db *db, int64_t run_id, int64_t gen, int status,
	       const char *summary, const char *timing, const char *curated);

/*
 * Would curating now give what the last curation gave? True when the last
 * run that curated (a run, reconsolidation or review) used the same
 * fingerprint and no session was ingested after it. A rollback does not
 * curate, so what it published stands until new evidence arrives.
 */
int run_curation_is_current(struct db *db, const char *fingerprint);

/*
 * A shard's run says which share it took (K of N) and with what rules, the
 * config fingerprint (schemas/005-shards.sql). Inside the caller's transaction.
 */
int run_record_shard(struct db *db, int64_t run_id, unsigned k, unsigned n, const char *rules);

/* "generation N", or "no new generation" for 0, into buf; returns buf. */
const char *run_generation_phrase(int64_t gen, char buf[32]);

#endif
