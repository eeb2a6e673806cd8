/*
 * grams.h: workflow observations, stored one row a session.
 *
 * The workflows extractor finds ~90 runs of actions (n-grams) a session,
 * nearly all of them seen in that session only. grams_store() packs a
 * session's workflow observations into one row of session_workflows
 * (schemas/004-workflows.sql) instead of ~90 observation rows.
 *
 * grams_load() gives the curator back only the n-grams seen in enough
 * sessions, without holding every n-gram in memory: a first pass counts
 * sessions per n-gram in a fixed-size count-min sketch (it may overcount,
 * never undercount), a second keeps the n-grams the sketch lets through and
 * counts their sessions exactly. Memory is bounded (the sketch and one part
 * of the n-grams at a time) whatever the number of sessions; the result is
 * exact.
 */
#ifndef DREAMD_GRAMS_H
#define DREAMD_GRAMS_H

#include "dreamd/extract.h"
#include "schemas/event.h"

struct db;

/* Is o one of the observations grams_store() keeps? */
int grams_kind(const struct observation *o);

/*
 * Stores the workflow observations of l (the others are left alone) for
 * session_id; with replace, the session's earlier ones go first. Inside the
 * caller's transaction; -1 reported.
 */
int grams_store(struct db *db, const char *session_id, const struct obs_list *l,
		int replace);

/*
 * Called once for each stored workflow observation whose (extractor, key)
 * was seen in min_sessions sessions or more, the rows of one (extractor,
 * key) one after the other; no other order is promised. The strings live until fn returns. Nonzero from fn stops
 * the walk and is returned.
 */
typedef int (*grams_fn)(void *arg, const struct observation *o);

/*
 * Walks the recurring workflow observations (min_sessions from 1 to 255);
 * -1 reported (store or memory). The n-grams the sketch lets through are
 * held GRAMS_ROWS_MAX rows (8 MiB) at a time: when there are more, they are
 * read in parts, split by hash, which changes nothing but the order of the
 * groups (one n-gram seen in more sessions than that is still read whole).
 * grams_load_parts() sets the ceiling (for tests).
 */
#define GRAMS_ROWS_MAX ((size_t)1 << 18)
int grams_load(struct db *db, int min_sessions, grams_fn fn, void *arg);
int grams_load_parts(struct db *db, int min_sessions, size_t rows_max, grams_fn fn,
		     void *arg);

#endif
