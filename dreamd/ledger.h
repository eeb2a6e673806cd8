/*
 * ledger.h: what a run stores of each unit it ingested, and how a session's
 * identity is kept (README, "Identity").
 *
 * The ledger (table files) remembers every spool file seen, so an unchanged
 * one is skipped unread. ledger_write() stores a worker's result: a session
 * id belongs to the first user stored for it (another user's unit is
 * quarantined as session-clash), the same session read from other files of
 * its user is merged by event identity (merge.c), and bad inputs go to the
 * quarantine. One writer calls it, in spool order, so the store is the
 * same whatever --jobs says.
 */
#ifndef DREAMD_LEDGER_H
#define DREAMD_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/config.h"
#include "dreamd/extract.h"
#include "dreamd/ingest.h"

struct db;

/* One unit of work: a session unit in, a session and its findings out. */
struct job {
	struct spool_unit *unit;
	struct session s;
	struct obs_list obs;
	struct digest digest;
	char *cause;		/* an extractor failed */
};

struct run_totals {
	int files, sessions, unchanged, duplicates, quarantined, bad_lines;
	int clashes;		/* quarantined: another user's session id */
	int merged;		/* units merged into a session stored from other files */
	unsigned long redact_failed;	/* texts kept as [REDACTED:limit] */
	uint64_t bytes;
};

/* The writer's side of a run. */
struct ledger {
	struct db *db;
	int64_t run;
	const struct config *cfg;
	struct run_totals *t;
	struct extractor_set *set;	/* for merged sessions; made when needed */
};

/*
 * Has the ledger seen every file of the unit as it is now? With retry,
 * files quarantined before count as unseen (the limits may have changed).
 * 1 yes, 0 no, -1 on store failure (reported).
 */
int ledger_unchanged(struct db *db, const struct spool_unit *u, int retry);
/* Stores one finished job. Returns 1 when it had bad input, 0, or -1. */
int ledger_write(struct ledger *l, struct job *j);
/* Frees what the ledger made (l itself is the caller's). */
void ledger_release(struct ledger *l);

#endif
