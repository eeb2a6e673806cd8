/*
 * curate-policy.h: curation as policy, plain structs in and plain structs out.
 *
 * The loader (curate-load.c) makes one candidate (struct cand) of every
 * (extractor, key) the store's observations name, with its support. The
 * decisions below take candidates and a struct policy (the settings, and
 * the few facts of the store they weigh) and fill in the rest. None of them
 * reads or writes the store, so each rule is tested on candidates made by
 * hand (tests/unit/test-curate-policy.c). In the order curate.c runs them:
 *
 *   curate-dedupe.c     near-duplicates merge into one candidate
 *   curate-score.c      scope, fix and score
 *   curate-gates.c      status: the gates and decay, poison, what is worth
 *                       a record, and the reviewers' standing decisions
 *   curate-workflows.c  workflows: their background, signal and maximality
 *   curate-slots.c      preferences of one slot: supersession and conflicts
 *   curate-words.c      title and body
 *   curate-cand.c       the candidate itself: its sessions, evidence, sets
 */
#ifndef DREAMD_CURATE_POLICY_H
#define DREAMD_CURATE_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/config.h"
#include "dreamd/util.h"
#include "store/memory.h"

struct poison;
struct review_state;
struct workflow_step;

#define MAX_EVIDENCE 5
#define DAY_MS (86400.0 * 1000)

/* A sorted set of strings, copied in, or borrowed (from a pool). */
struct strset {
	char **v;
	size_t n, alloc;
	int borrowed;
};

/* The index of x in s; *found says whether it is there (else where it goes). */
size_t strset_find(const struct strset *s, const char *x, int *found);
/* Returns the index of x, adding it when absent. */
size_t strset_add(struct strset *s, const char *x);
void strset_release(struct strset *s);

/*
 * What one session contributed to a candidate. Its strings, and those of
 * struct evidence and of a candidate's users, agents and projects, are the
 * loader's pool: a session's id is kept once, not once for every candidate
 * it supports.
 */
struct sess_info {
	const char *id;
	int64_t run;		/* the run that ingested it (last: a file that grew, again) */
	int64_t last_ts;	/* ms: its latest occurrence in the session */
	char *fix;		/* the fix that worked in it, or NULL */
	int succeeded;		/* workflows: it ended in success there */
	const char *project, *user;
};

struct evidence {
	const char *session, *user, *agent, *excerpt;
	int64_t ts;
	uint32_t seq;
};

struct cand {
	char *extractor, *key, *slot, *subject, *detail, *value;
	enum memory_kind kind;
	/*
	 * Sorted by id. A workflow's go once its rows are all in (only the
	 * counts matter to it): sess is then NULL and nsess still counts them.
	 */
	struct sess_info *sess;
	size_t nsess, asess;
	int nsucceeded;		/* sessions where it ended in success */
	struct strset users, agents, projects;
	int occurrences;
	int64_t first_seen, last_seen;
	struct evidence ev[MAX_EVIDENCE];	/* the oldest, one per session */
	int nev;
	struct evidence recent[MAX_EVIDENCE];	/* the newest, one per session */
	int nrecent;
	int dropped;		/* merged into another, or not maximal */
	/* what the store holds for it: MEMORY_STATUS_NONE when nothing */
	enum memory_status stored;
	const struct review_state *review;	/* its standing decisions, or NULL */

	/* decided */
	char id[16];
	enum memory_status status;
	char *scope, *reason, *title, *body;
	char *superseded_by, *conflict_with;
	char *fix;
	int fix_worked;
	double score;
	int passes;		/* passed the gates */
	int decayed;		/* published before, and retired for failing them */
};

/* Sessions in a scope ("team", "project:<cwd>", "user:<name>"). */
struct curate_scope {
	char *scope;
	int64_t sessions;
};

/*
 * The sessions of one project with one agent: where a memory seen there
 * could recur. project "" holds the sessions with none.
 */
struct exposure {
	char *project, *agent;
	int64_t *starts;	/* ms: when each session started, ascending */
	size_t n;
};

/* What the decisions weigh besides the candidate. */
struct policy {
	const struct config *cfg;
	const struct curate_scope *scopes;	/* sorted by scope */
	size_t nscopes;
	const struct exposure *exposures;	/* sorted by project, then agent */
	size_t nexposures;
	const struct workflow_step *steps;	/* workflows' background, sorted */
	size_t nsteps;
	struct poison *poison;
};

/* Replaces *dst with a copy of s (or NULL). */
void set_str(char **dst, const char *s);

/* curate-cand.c */
/* The candidate's entry for session id (a pool string), added when absent. */
struct sess_info *cand_session(struct cand *c, const char *id, int *added);
/* The candidate's entry for session id, or NULL. */
const struct sess_info *cand_find_session(const struct cand *c, const char *id);
/*
 * Keeps the MAX_EVIDENCE oldest (ev) and newest (recent), one per session;
 * the excerpt goes into pool.
 */
void cand_add_evidence(struct strpool *pool, struct cand *c, const struct evidence *e);
/* Moves everything of src into dst; src is dropped. Never workflows. */
void cand_merge(struct strpool *pool, struct cand *dst, struct cand *src);
void cand_release(struct cand *c);

/* curate-dedupe.c */
/*
 * Merges candidates (sorted by extractor and key) whose keys' word sets are
 * at least dedupe_jaccard alike, within one block (extractor, kind,
 * subject, slot, value); see the function.
 */
void curate_dedupe(const struct policy *p, struct strpool *pool, struct cand *c, size_t n);

/* curate-score.c */
const struct curate_scope *policy_scope(const struct policy *p, const char *scope);
/*
 * The sessions since the candidate was last seen in which it could have
 * recurred and did not: those that started after its last evidence in its
 * projects (in sessions with none when it has none) with its agents.
 */
int64_t cand_exposure(const struct policy *p, const struct cand *c);
void decide_scope(const struct policy *p, struct cand *c);
/* The fix that worked in the most sessions; of equals, the first in order. */
void decide_fix(struct cand *c);
void decide_score(const struct policy *p, struct cand *c);

/* curate-gates.c */
/* active (passes), or candidate, or retired when it was published (decay). */
void decide_status(const struct policy *p, struct cand *c);
/* Instruction-like content is quarantined whatever its support. */
void check_poison(const struct policy *p, struct cand *c);
/* Is a candidate that the gates hold back worth a record of its own? */
int cand_worth_record(const struct cand *c);
/*
 * Applies the reviewer's standing decisions (c->review). Returns 1 when the
 * memory is pinned and already frozen: its stored record stands.
 */
int apply_review(struct cand *c);

/* curate-workflows.c */
/*
 * The workflow runs of one step are the background: how many sessions do
 * each step. Takes them out of the candidates (dropped) into *steps, which
 * borrows their keys, sorted as the candidates are.
 */
void take_workflow_steps(struct cand *c, size_t n, struct workflow_step **steps, size_t *nsteps);
/* A workflow above the gates that an agent would follow anyway is not one. */
void gate_workflow_signal(const struct policy *p, struct cand *c);
/*
 * Of active workflows one inside another, only maximal sequences are kept,
 * and a sequence that is another plus a filler step is not.
 */
void keep_maximal_workflows(const struct policy *p, struct cand *c, size_t n);

/* curate-slots.c */
/* Active preferences of one slot with different values supersede or conflict. */
void settle_slots(struct cand *c, size_t n);

/* curate-words.c */
/* The title and body, from the extractor's describe() or a plain fallback. */
void describe(struct cand *c);

/* Effectiveness: in how many sessions of its scope a mistake occurred. */
struct effect {
	int present;
	int before_hits, before_sessions, after_hits, after_sessions, recurring;
};

/*
 * The run from which a mistake's effectiveness is measured: the one that
 * first published it (first_pub), else this one when it is published now;
 * 0 when it is not measured (not a mistake, or not published).
 */
int64_t effect_since(const struct cand *c, int64_t first_pub, int64_t this_run);
/*
 * Its effectiveness since run pub, when its evidence ran up to seen (ms,
 * its last_seen then), with before and after the sessions of its scope
 * before and after that. An occurrence is after when it was ingested after
 * pub and happened after seen: a session ingested again because its file
 * grew brings its old occurrences back, and they are not recurrences.
 */
void decide_effect(const struct cand *c, int64_t pub, int64_t seen, int before, int after,
		   struct effect *ef);
/*
 * Its evidence after publication (as decide_effect() tells after), oldest
 * first, into out[MAX_EVIDENCE]; returns how many.
 */
int effect_evidence(const struct cand *c, int64_t pub, int64_t seen, struct evidence *out);

#endif
