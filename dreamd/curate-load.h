/*
 * curate-load.h: the curator's state, and its loader: the store ->
 * candidates and the facts the policy weighs (curate-policy.h).
 *
 * curator_load() reads, inside the caller's transaction, the stored
 * memories, the reviewers' standing decisions, the sessions' scopes and
 * runs, and the observations grouped into candidates (sorted by extractor
 * and key), and fills cu->policy. Nothing here decides anything.
 */
#ifndef DREAMD_CURATE_LOAD_H
#define DREAMD_CURATE_LOAD_H

#include <stdint.h>

#include "dreamd/curate-policy.h"
#include "store/history.h"

struct db;

/* A stored memory (its row in memories), and whether a candidate has its id. */
struct existing {
	struct memory_row row;
	int seen;
};

struct session_run {
	char *id;
	int64_t run;
};

struct curator {
	struct db *db;
	const struct config *cfg;
	int64_t run;
	struct cand *c;		/* sorted by (extractor, key) */
	size_t nc, ac;
	struct existing *ex;	/* sorted by id */
	size_t nex;
	struct existing **ex_by_key;	/* the same, by (extractor, key) */
	struct strset taken;	/* ids given this time to memories not stored yet */
	struct review_state *rv;	/* sorted by memory id */
	size_t nrv;
	struct curate_scope *scopes;	/* sorted by scope */
	size_t nscopes;
	struct exposure *exposures;	/* sorted by project, then agent */
	size_t nexposures;
	struct session_run *runs;	/* sorted by session id */
	size_t nruns;
	struct strpool names;	/* the strings of sessions and evidence */
	int64_t *run_of;	/* by index in names: a session's run, -1 unknown */
	size_t nrun_of, arun_of;
	struct workflow_step *steps;	/* workflows' background (policy.steps) */
	size_t nsteps;
	struct poison *poison;
	struct policy policy;
};

/* cu->db, cfg and run set: loads the rest. */
int curator_load(struct curator *cu);
void curator_release(struct curator *cu);

/* The stored memory with this id, or NULL. */
struct existing *find_existing(struct curator *cu, const char *id);
/*
 * Gives a candidate its id (its stored memory's, else a new one no other
 * memory has) and its reviewer's standing decisions.
 */
void assign_id(struct curator *cu, struct cand *c);
/*
 * Sessions of a scope before and after publication: after, those ingested
 * after run pub that ran past seen (ms); before, the rest.
 */
int scope_sessions_around(struct curator *cu, const char *scope, int64_t pub, int64_t seen,
			  int *before, int *after);

#endif
