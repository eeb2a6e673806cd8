/*
 * review.c: reviewers' decisions and their replay; see review.h. The only
 * SQL on the reviews table is here.
 */
#include "store/review.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/alloc.h"
#include "store/db.h"

static const char *const action_names[] = {
	[REVIEW_ACCEPT] = "accept",
	[REVIEW_REJECT] = "reject",
	[REVIEW_PIN] = "pin",
	[REVIEW_UNPIN] = "unpin",
	[REVIEW_EDIT] = "edit",
};

#define NACTIONS (sizeof(action_names) / sizeof(action_names[0]))

const char *review_action_name(enum review_action a)
{
	return (size_t)a < NACTIONS ? action_names[a] : NULL;
}

enum review_action review_action_of(const char *name)
{
	size_t i;

	for (i = 1; name && i < NACTIONS; i++)
		if (!strcmp(action_names[i], name))
			return (enum review_action)i;
	return REVIEW_NONE;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

void review_apply(struct review_state *r, enum review_action action, const char *actor,
		  int64_t at, const char *title, const char *body)
{
	switch (action) {
	case REVIEW_ACCEPT:
		r->verdict = action;
		break;
	case REVIEW_REJECT:
		r->verdict = action;
		r->pinned = 0;
		break;
	case REVIEW_PIN:
		r->pinned = 1;
		r->verdict = REVIEW_NONE;
		break;
	case REVIEW_UNPIN:
		r->pinned = 0;
		break;
	case REVIEW_EDIT:
		/* An edit of one half keeps the other half's edit. */
		if (title)
			set_str(&r->title, title);
		if (body)
			set_str(&r->body, body);
		break;
	case REVIEW_NONE:
		return;
	}
	r->last_action = action;
	set_str(&r->last_actor, actor);
	r->last_at = at;
}

void review_state_release(struct review_state *r)
{
	free(r->id);
	free(r->title);
	free(r->body);
	free(r->last_actor);
	memset(r, 0, sizeof(*r));
}

int review_add(struct db *db, const char *id, enum review_action action, const char *actor,
	       int64_t at, const char *title, const char *body)
{
	struct db_stmt *st = db_prepare(db,
		"INSERT INTO reviews (memory_id, action, actor, at, title, body)"
		" VALUES (:id, :action, :actor, :at, :title, :body)");

	db_bind_text(st, ":id", id);
	db_bind_text(st, ":action", review_action_name(action));
	db_bind_text(st, ":actor", actor);
	db_bind_int(st, ":at", at);
	db_bind_text(st, ":title", title);
	db_bind_text(st, ":body", body);
	return db_run(st);
}

static void apply_row(struct review_state *r, struct db_stmt *st, int col)
{
	review_apply(r, review_action_of(db_col_text(st, col)), db_col_text(st, col + 1),
		     db_col_int(st, col + 2), db_col_text(st, col + 3), db_col_text(st, col + 4));
}

int review_load_all(struct db *db, struct review_state **rv, size_t *n)
{
	/* By memory, then in the order they were made. */
	struct db_stmt *st = db_prepare(db,
		"SELECT memory_id, action, actor, at, title, body FROM reviews"
		" ORDER BY memory_id, id");
	size_t alloc = 0;
	int rc;

	*rv = NULL;
	*n = 0;
	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		const char *id = db_col_text(st, 0);

		if (!*n || strcmp((*rv)[*n - 1].id, id)) {
			ALLOC_GROW(*rv, *n + 1, alloc);
			memset(&(*rv)[*n], 0, sizeof(**rv));
			(*rv)[(*n)++].id = xstrdup(id);
		}
		apply_row(&(*rv)[*n - 1], st, 1);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

void review_states_release(struct review_state *rv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		review_state_release(&rv[i]);
	free(rv);
}

const struct review_state *review_find(const struct review_state *rv, size_t n, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(rv[mid].id, id);

		if (!c)
			return &rv[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int review_load(struct db *db, const char *id, struct review_state *r)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT action, actor, at, title, body FROM reviews WHERE memory_id = :id"
		" ORDER BY id");
	int rc;

	memset(r, 0, sizeof(*r));
	if (!st || db_bind_text(st, ":id", id) < 0)
		return -1;
	while ((rc = db_step(st)) == 1)
		apply_row(r, st, 0);
	db_done(st);
	return rc < 0 ? -1 : 0;
}
