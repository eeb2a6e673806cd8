/*
 * history.h: the tables that hold memory records and their publication
 * (schemas/002-derived.sql memories, schemas/003-history.sql
 * memory_versions, generations, generation_members). This module is the
 * only one that reads or writes them; store/memory.h is the record itself.
 *
 * memory_put() is the one writer of a memory's versions, generation_next()
 * the one place a generation number is chosen, generation_publish() the one
 * place a set is published. Writers run inside the caller's write
 * transaction, readers inside its read transaction. Every function reports
 * its errors and returns -1.
 */
#ifndef DREAMD_STORE_HISTORY_H
#define DREAMD_STORE_HISTORY_H

#include <stddef.h>
#include <stdint.h>

#include "store/memory.h"

struct db;

/* A row of memories: the current state of one memory. */
struct memory_row {
	char *id, *extractor, *key;
	enum memory_status status;
	int64_t version;
	char *snapshot;		/* the record (JSON) */
};

/* Every row of memories, sorted by id; *rows malloc'd (memory_rows_release). */
int memory_rows_load(struct db *db, struct memory_row **rows, size_t *n);
void memory_rows_release(struct memory_row *rows, size_t n);
void memory_row_release(struct memory_row *r);
/* 1: memory id exists; 0: it does not. */
int memory_exists(struct db *db, const char *id);

/* Who made a new version, when and why. */
struct memory_change {
	int64_t gen;		/* the generation it goes into */
	const char *change;	/* added, updated, retired, restored, reviewed */
	const char *actor, *reason;
};

/*
 * Records m (with m->version) as a new version of memory m->id made for
 * (m->extractor, key), and as the memory's current state.
 */
int memory_put(struct db *db, const struct memory *m, const char *key,
	       const struct memory_change *ch);

/* Active and pinned memories, and all of them, in the memories table. */
int memory_count(struct db *db, int *live, int *total);
/*
 * The run that first published memory id as active or pinned (0: none),
 * and, when seen is not NULL, its last_seen then (ms; 0 when unknown).
 */
int memory_first_published_run(struct db *db, const char *id, int64_t *run, int64_t *seen);

/*
 * Loads memory id as the current generation holds it, else its latest
 * version, else its row in memories (*gen is then -1). 1: found; 0: no such
 * memory.
 */
int memory_load_current(struct db *db, const char *id, struct memory *m, int64_t *gen);

/* One line of a memory's history. */
struct memory_version {
	int64_t version, gen;
	int64_t published_at;	/* ms; -1 when its generation has no row */
	char *change, *actor, *reason;
};

/* Every version of memory id, oldest first; *v malloc'd (memory_versions_release). */
int memory_versions_load(struct db *db, const char *id, struct memory_version **v,
			 size_t *n);
void memory_versions_release(struct memory_version *v, size_t n);
/*
 * support.sessions of memory id in each generation lo..hi that holds it:
 * sessions[gen - lo], which the caller zeroes.
 */
int memory_support_history(struct db *db, const char *id, int64_t lo, int64_t hi,
			   int64_t *sessions);

/* The versions generation gen wrote, by memory id; each is parsed into a memory. */
int generation_changes(struct db *db, int64_t gen,
		       int (*fn)(void *arg, const char *change, const struct memory *m),
		       void *arg);

/* The number the next generation gets: one more than the current. */
int generation_next(struct db *db, int64_t *gen);
/* The current generation (0 when nothing was published). */
int generation_current(struct db *db, int64_t *gen);
/* 1: gen exists (0 always does); 0: it does not. */
int generation_exists(struct db *db, int64_t gen);
/*
 * Publishes the memories table as it stands as generation gen of run run:
 * one row in generations and the version of every memory in
 * generation_members.
 */
int generation_publish(struct db *db, int64_t gen, int64_t run, const char *summary);
/* How many generations there are, and what the latest one says. */
struct generation_latest {
	int64_t count;
	int64_t current;	/* its number; 0 when none */
	int published;		/* it has a publication time */
	int64_t published_at;	/* ms */
	char *summary;		/* the caller frees it; NULL when none */
};

int generation_latest_load(struct db *db, struct generation_latest *g);
/*
 * Calls fn with each status of the current generation's memories (NULL for
 * a record without one), in order, and how many have it. Nonzero from fn
 * stops the walk and is returned; -1 reported.
 */
int generation_count_by_status(struct db *db,
				int (*fn)(void *arg, const char *status, int64_t count), void *arg);
/* Replaces generation gen's summary (the publishing run's summary line). */
int generation_set_summary(struct db *db, int64_t gen, const char *summary);

/* A published generation: its memories sorted by id. */
struct generation {
	int64_t gen;
	int64_t published_at;		/* ms; 0 for generation 0 */
	char *summary;
	struct memory *mems;
	size_t nmems;
};

/* Loads generation gen (a record that is not JSON is an error). */
int generation_load(struct db *db, int64_t gen, struct generation *g);
void generation_release(struct generation *g);
/* Binary search by id; NULL when absent. */
const struct memory *generation_find(const struct generation *g, const char *id);

#endif
