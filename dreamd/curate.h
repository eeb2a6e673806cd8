/*
 * curate.h: observations -> versioned memories -> a published generation.
 *
 * The curator reads every observation in the store (schemas/002-derived.sql),
 * groups them by extractor and key, merges near-duplicates, and decides for
 * each candidate its scope, score and status:
 *
 *   score = w_sessions * (1 - e^(-sessions / min_sessions))
 *         + w_users    * (1 - e^(-(users - 1) / 2))
 *         + w_recency  * 0.5^(exposed / half_life_sessions)
 *         + w_fix      * fix_rate
 *
 * where exposed counts the sessions in which it could have recurred and did
 * not: those started after its last evidence in its projects with its
 * agents (cand_exposure). Not days, and never the wall clock: the same
 * store gives the same scores, work elsewhere ages nothing, and a project
 * left alone for a while forgets nothing. fix_rate is the fraction of
 * sessions in which the fix worked (0.5 for a mistake without a fix), for
 * a workflow the fraction of sessions in which it ended in success, and 1
 * for preferences. A candidate is active when it passes the gates
 * (min_sessions distinct sessions; min_users_team users for team scope;
 * exposed no more than retire_after_sessions) and min_score; otherwise it
 * stays a candidate, or is retired if it was published before (decay); a
 * workflow must also recur in workflow_min_share of its scope's sessions,
 * and one below the gates is not kept as a candidate. Instruction-like
 * content (the "poison" rules) is quarantined whatever its support.
 * Then preferences of one slot supersede or conflict, reviewer decisions are
 * applied, and every memory whose record changed gets a new version. When
 * anything changed, the set is published as a new generation.
 */
#ifndef DREAMD_CURATE_H
#define DREAMD_CURATE_H

#include <stdint.h>

#include "dreamd/config.h"

struct db;

struct curate_stats {
	int added, updated, retired, restored, reviewed;
	int active;		/* active and pinned in the new set */
	int total;		/* memories of every status */
};

/*
 * Computes the memory set and, when it differs from the current one,
 * publishes it as generation *gen for run run_id (0 when nothing changed).
 * Runs inside the caller's write transaction. actor and reason go into
 * every new version; review_id, when set, names the memory a reviewer just
 * decided on, whose new version is recorded as "reviewed".
 */
int curate_publish(struct db *db, const struct config *cfg, int64_t run_id,
		   const char *actor, const char *reason, const char *review_id,
		   struct curate_stats *st, int64_t *gen);

/*
 * The id a memory for (extractor, key) is given: "m-" and 8 hex digits of
 * their hash, salted with salt when nonzero (to step around a collision).
 */
void curate_memory_id(const char *extractor, const char *key, unsigned salt, char out[16]);

/* "3 added, 1 changed, 0 retired" and the like, into buf. */
void curate_stats_format(const struct curate_stats *st, char *buf, size_t len);

#endif
