/*
 * obs-store.c: a session's observations into the store: the workflow
 * n-grams packed a row a session (grams.c), the others a row each through
 * store/observations.h.
 */
#include "dreamd/obs-store.h"

#include "dreamd/grams.h"
#include "store/observations.h"

int obs_list_store(struct db *db, const char *session_id, const struct obs_list *l, int replace)
{
	size_t i;

	if (replace && observations_delete(db, session_id) < 0)
		return -1;
	if (grams_store(db, session_id, l, replace) < 0)
		return -1;
	for (i = 0; i < l->n; i++) {
		if (grams_kind(&l->v[i]))
			continue;
		if (observation_insert(db, session_id, &l->v[i]) < 0)
			return -1;
	}
	return 0;
}
