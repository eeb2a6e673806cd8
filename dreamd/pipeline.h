/*
 * pipeline.h: the pieces `run` and `reconsolidate` share: running the
 * extractors over a session, storing what they found, and the run records.
 */
#ifndef DREAMD_PIPELINE_H
#define DREAMD_PIPELINE_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "dreamd/config.h"
#include "dreamd/ingest.h"
#include "extractors/calls.h"
#include "extractors/extractor.h"

struct db;

#define MAX_EXTRACTORS 32

/*
 * The page cache (MiB) while a writer stores sessions and observations,
 * back to DB_CACHE_MIB (and freed) before curating. On the bench corpus
 * writes were 2.7 times the store's size with 32 MiB, 3.1 times with 20,
 * for the same time; 32 MiB put the peak RSS of --jobs 2 over 64 MB, 24
 * left it at 62 MB on a three times larger corpus.
 */
#define FILL_CACHE_MIB 20

/*
 * The enabled extractors with one state each, and what builds the call
 * table each session's view hands them; one set per thread.
 */
struct extractor_set {
	const struct extractor_ops *ops[MAX_EXTRACTORS];
	void *state[MAX_EXTRACTORS];
	size_t n;
	struct calls_builder calls;
};

/* Observations with their strings owned by the list. */
struct obs_list {
	struct observation *v;
	size_t n, alloc;
};

/*
 * Opens the store at path, creating it and applying the migrations compiled
 * in from schemas/ as needed. -1 reported.
 */
int store_open(const char *path, struct db **out);
/*
 * Opens the store for a reader: read-only, never migrating, never waiting
 * for a writer (db_open_read). A missing or empty store is created as
 * store_open does; one that needs migrating is an error that says so.
 */
int store_open_read(const char *path, struct db **out);

/*
 * Fills io from cfg's ingest settings and compiles the redaction rules into
 * *red, which io points at (free it with redactor_free()). -1 reported.
 */
int ingest_setup(const struct config *cfg, struct ingest_opts *io, struct redactor **red);

/* Initialises every extractor not disabled in cfg; -1 reported. */
int extractor_set_init(struct extractor_set *set, const struct config *cfg);
void extractor_set_release(struct extractor_set *set);
/* The same, allocated: a worker's own set (pool.h). NULL reported. */
struct extractor_set *extractor_set_new(const struct config *cfg);
void extractor_set_free(struct extractor_set *set);

/*
 * Feeds one session to every extractor (its view, with the call table built
 * once for all of them) and appends what they emit to out,
 * sorted so the order never depends on the extractors' internals. Returns -1
 * with *cause malloc'd when an extractor fails.
 */
int extract_session(struct extractor_set *set, const struct session *s,
		    struct obs_list *out, char **cause);
void obs_list_release(struct obs_list *l);

/*
 * Stores the observations of a session, workflow n-grams packed in one row
 * (grams.h); with replace, the ones it had before go first.
 */
int store_observations(struct db *db, const char *session_id, const struct obs_list *l,
		       int replace);

/*
 * Records the start of a run of the given kind in its own transaction, so a
 * run that dies leaves a trace; *run_id is its id.
 */
int run_record_start(struct db *db, const char *kind, const char *actor, int64_t *run_id);
/*
 * Records the end of a run, inside the caller's transaction; curated is the
 * config fingerprint it curated with, or NULL when it did not curate. The
 * run log keeps summary and timing ("; 1.6s", or NULL); the generation keeps
 * the summary alone, so that two identical runs give identical stores.
 */
int run_record_finish(struct db *db, int64_t run_id, int64_t gen, int status,
		      const char *summary, const char *timing, const char *curated);

/*
 * Would curating now give what the last curation gave? True when the last
 * run that curated (a run, reconsolidation or review) used the same
 * fingerprint and no session was ingested after it. A rollback does not
 * curate, so what it published stands until new evidence arrives.
 */
int curation_is_current(struct db *db, const char *fingerprint);

/* "generation N", or "no new generation" for 0, into buf; returns buf. */
const char *generation_phrase(int64_t gen, char buf[32]);

/* --jobs N: N when it is 1 to 256, else 0. */
int jobs_arg(const char *arg);
/* jobs, or the number of cores when it is 0 (run.jobs' default). */
int jobs_or_cores(int jobs);

/* The reviewer's name: --by, else $USER, else "unknown". */
const char *reviewer_name(const char *by);

/*
 * A writing command's frame: the lock, the store, a run record (none for a
 * dry run, which must write nothing) and one write transaction.
 * writer_start() returns 0, or the exit status to return (75 when another
 * writer holds the lock, 74 on store failure). writer_stage() commits what
 * is done so far and opens the next transaction. writer_finish() records
 * the run, commits and prints the summary line and its timing (unless
 * quiet; see run_record_finish());
 * writer_abort() rolls back. Both close everything.
 */
struct cmd_ctx;
struct writer {
	int lockfd;
	struct db *db;
	int64_t run;
	char *actor;		/* "run:N" for jobs, the person for reviews */
	pthread_t checkpointer;
	int checkpointing;	/* checkpointer runs */
};

int writer_start(struct writer *w, const struct cmd_ctx *ctx, const char *kind,
		 const char *person, int dry_run);
int writer_finish(struct writer *w, int64_t gen, int status, const char *summary,
		  const char *timing, const char *curated);
void writer_abort(struct writer *w);
/*
 * Commits and begins again; with background, a thread copies what was
 * committed from the WAL into the store meanwhile (on its own connection,
 * so it overlaps what the writer does next). -1 reported.
 */
int writer_stage(struct writer *w, int background);

#endif
