/*
 * review.h: reviewers' decisions (the reviews table, schemas/001-primary.sql)
 * and their replay. This module is the only one that reads or writes it.
 *
 * Decisions are per memory and replayed in the order they were made into
 * one standing state per memory: its verdict (accept or reject), whether it
 * is pinned, the text of its latest edits and the latest decision.
 */
#ifndef DREAMD_STORE_REVIEW_H
#define DREAMD_STORE_REVIEW_H

#include <stddef.h>
#include <stdint.h>

struct db;

enum review_action {
	REVIEW_NONE,
	REVIEW_ACCEPT,
	REVIEW_REJECT,
	REVIEW_PIN,
	REVIEW_UNPIN,
	REVIEW_EDIT,
};

/* The action's word, NULL for NONE; the reverse gives NONE for an unknown word. */
const char *review_action_name(enum review_action a);
enum review_action review_action_of(const char *name);

struct review_state {
	char *id;			/* the memory */
	enum review_action verdict;	/* REVIEW_ACCEPT, REVIEW_REJECT or REVIEW_NONE */
	int pinned;
	char *title, *body;		/* from the latest edits, NULL: none */
	enum review_action last_action;	/* REVIEW_NONE: never reviewed */
	char *last_actor;
	int64_t last_at;		/* ms */
};

/* Applies one decision, made after those already in r. */
void review_apply(struct review_state *r, enum review_action action, const char *actor,
		  int64_t at, const char *title, const char *body);
void review_state_release(struct review_state *r);

/* Records a decision (title and body for edit, else NULL). */
int review_add(struct db *db, const char *id, enum review_action action, const char *actor,
	       int64_t at, const char *title, const char *body);
/* Every memory's standing state, sorted by id; *rv malloc'd (review_states_release). */
int review_load_all(struct db *db, struct review_state **rv, size_t *n);
void review_states_release(struct review_state *rv, size_t n);
/* Binary search by id in what review_load_all gave; NULL: never reviewed. */
const struct review_state *review_find(const struct review_state *rv, size_t n, const char *id);
/* One memory's standing state (all zero when never reviewed). */
int review_load(struct db *db, const char *id, struct review_state *r);

#endif
