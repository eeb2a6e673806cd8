/*
 * obs-store.h: a session's observations into the store.
 */
#ifndef DREAMD_OBS_STORE_H
#define DREAMD_OBS_STORE_H

#include "dreamd/extract.h"

struct db;

/*
 * Stores the observations of a session, workflow n-grams packed in one row
 * (grams.h); with replace, the ones it had before go first.
 */
int obs_list_store(struct db *db, const char *session_id, const struct obs_list *l, int replace);

#endif
