/*
 * observations.h: the observations table (schemas/002-derived.sql), what
 * the extractors saw, a row per (session, extractor, key, seq). Its one
 * writer but for merge, which copies a shard's rows as they are, and its one
 * reader but for show's support (store/support.c). Workflow n-grams are
 * apart, a row a session (dreamd/grams.h).
 */
#ifndef DREAMD_STORE_OBSERVATIONS_H
#define DREAMD_STORE_OBSERVATIONS_H

#include "schemas/event.h"

struct db;

/* Deletes the session's observations. Inside the caller's transaction; -1 reported. */
int observations_delete(struct db *db, const char *session_id);

/*
 * Stores o as session_id's (o->session is not read); one that is already
 * there (the same extractor, key and seq) is left as it was. A count of 0
 * is stored as 1. Inside the caller's transaction; -1 reported.
 */
int observation_insert(struct db *db, const char *session_id, const struct observation *o);

/*
 * Calls fn once for each observation, in the primary key's order
 * (extractor, key, session, seq); the strings live until fn returns. What
 * fn returns is not looked at. -1 reported.
 */
typedef int (*observation_fn)(void *arg, const struct observation *o);
int observations_each(struct db *db, observation_fn fn, void *arg);

#endif
