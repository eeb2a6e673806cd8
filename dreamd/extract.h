/*
 * extract.h: the extractors over one session, for `run`, `reconsolidate`
 * and `extract`.
 */
#ifndef DREAMD_EXTRACT_H
#define DREAMD_EXTRACT_H

#include <stddef.h>

#include "dreamd/config.h"
#include "dreamd/ingest.h"
#include "extractors/calls.h"
#include "extractors/extractor.h"

#define MAX_EXTRACTORS 32

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

#endif
