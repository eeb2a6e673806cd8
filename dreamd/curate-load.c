/*
 * curate-load.c: the store -> curation candidates; see curate-load.h. The
 * curator's reads go through store/ (sessions.h, observations.h, history.h,
 * review.h) and grams.h, for the workflow n-grams.
 */
#include "dreamd/curate-load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/curate.h"
#include "dreamd/grams.h"
#include "dreamd/poison.h"
#include "dreamd/unicode.h"
#include "extractors/extractor.h"
#include "store/observations.h"
#include "store/review.h"
#include "store/sessions.h"

static int cmp_existing(const void *a, const void *b)
{
	return strcmp(((const struct existing *)a)->row.id, ((const struct existing *)b)->row.id);
}

struct existing *find_existing(struct curator *cu, const char *id)
{
	struct existing key = { .row.id = (char *)id };

	if (!cu->nex)
		return NULL;
	return bsearch(&key, cu->ex, cu->nex, sizeof(*cu->ex), cmp_existing);
}

static int cmp_existing_key(const void *a, const void *b)
{
	const struct existing *x = *(const struct existing *const *)a;
	const struct existing *y = *(const struct existing *const *)b;
	int c = strcmp(x->row.extractor, y->row.extractor);

	return c ? c : strcmp(x->row.key, y->row.key);
}

/* The stored memory made for this extractor and key, or NULL. */
static struct existing *existing_for(struct curator *cu, const char *extractor,
				     const char *key)
{
	struct existing probe = { .row.extractor = (char *)extractor, .row.key = (char *)key };
	struct existing *pp = &probe, **hit;

	if (!cu->nex)
		return NULL;
	hit = bsearch(&pp, cu->ex_by_key, cu->nex, sizeof(*cu->ex_by_key), cmp_existing_key);
	return hit ? *hit : NULL;
}

/*
 * A memory keeps the id it was first given. A new one gets the hash of its
 * extractor and key, salted again until no other memory, stored or new,
 * has it: ids are 32 bits, so collisions are rare but certain in time.
 * Candidates are assigned in (extractor, key) order, so this is stable.
 */
void assign_id(struct curator *cu, struct cand *c)
{
	struct existing *e = existing_for(cu, c->extractor, c->key);
	unsigned salt;
	int found;

	if (e) {
		snprintf(c->id, sizeof(c->id), "%s", e->row.id);
		c->review = review_find(cu->rv, cu->nrv, c->id);
		return;
	}
	for (salt = 0;; salt++) {
		curate_memory_id(c->extractor, c->key, salt, c->id);
		strset_find(&cu->taken, c->id, &found);
		if (!found && !find_existing(cu, c->id))
			break;
	}
	strset_add(&cu->taken, c->id);
	c->review = review_find(cu->rv, cu->nrv, c->id);
}

static int load_existing(struct curator *cu)
{
	struct memory_row *rows;
	size_t i;

	if (memory_rows_load(cu->db, &rows, &cu->nex) < 0)
		return -1;
	cu->ex = xcalloc(cu->nex + 1, sizeof(*cu->ex));
	cu->ex_by_key = xcalloc(cu->nex + 1, sizeof(*cu->ex_by_key));
	for (i = 0; i < cu->nex; i++) {
		cu->ex[i].row = rows[i];
		cu->ex_by_key[i] = &cu->ex[i];
	}
	free(rows);	/* the strings are cu->ex's now */
	if (cu->nex)
		qsort(cu->ex_by_key, cu->nex, sizeof(*cu->ex_by_key), cmp_existing_key);
	return 0;
}

/*
 * Does user text echo an agent's loaded memory block back? Such text is no
 * new evidence. Exports mark the block (dreamd:begin) and name every memory
 * by id, so a pasted or quoted memory carries an id the store knows. A
 * user's own words may well equal a memory's title: that is not an echo.
 */
static int is_echo(struct curator *cu, const char *excerpt)
{
	const char *p;

	if (!excerpt)
		return 0;
	if (strstr(excerpt, "dreamd:begin") || strstr(excerpt, "dreamd:end"))
		return 1;
	for (p = excerpt; (p = strstr(p, "m-")); p += 2) {
		char id[11];
		int i;

		for (i = 0; i < 8 && ((p[2 + i] >= '0' && p[2 + i] <= '9') ||
				      (p[2 + i] >= 'a' && p[2 + i] <= 'f')); i++)
			;
		if (i < 8)
			continue;
		memcpy(id, p, 10);
		id[10] = '\0';
		if (find_existing(cu, id))
			return 1;
	}
	return 0;
}

static int cmp_session_run(const void *a, const void *b)
{
	return strcmp(((const struct session_run *)a)->id, ((const struct session_run *)b)->id);
}

struct loading {
	struct curator *cu;
	size_t alloc, nalloc;
	struct exposure *e;
};

static int take_session_run(void *arg, const char *id, int64_t run)
{
	struct loading *l = arg;
	struct curator *cu = l->cu;

	ALLOC_GROW(cu->runs, cu->nruns + 1, l->alloc);
	cu->runs[cu->nruns].id = xstrdup(id);
	cu->runs[cu->nruns++].run = run;
	return 0;
}

/* Which run ingested each session, loaded once. */
static int load_session_runs(struct curator *cu)
{
	struct loading l = { cu, 0, 0, NULL };

	return sessions_each_run(cu->db, take_session_run, &l) < 0 ? -1 : 0;
}

static int64_t session_run(struct curator *cu, const char *id)
{
	struct session_run key = { (char *)id, 0 }, *hit;

	if (!cu->nruns)
		return 0;
	hit = bsearch(&key, cu->runs, cu->nruns, sizeof(*cu->runs), cmp_session_run);
	return hit ? hit->run : 0;
}

/* The pool's copy of a session id, and its run, looked up once an id. */
static const char *session_name(struct curator *cu, const char *id, int64_t *run)
{
	size_t k = strpool_add(&cu->names, id, strlen(id));

	if (k >= cu->nrun_of) {
		size_t n = cu->nrun_of;

		ALLOC_GROW(cu->run_of, k + 1, cu->arun_of);
		while (n <= k)
			cu->run_of[n++] = -1;
		cu->nrun_of = n;
	}
	if (cu->run_of[k] < 0)
		cu->run_of[k] = session_run(cu, id);
	*run = cu->run_of[k];
	return cu->names.v[k];
}

/* Is this group worth keeping once all its rows are in? */
static int cand_worth_keeping(struct curator *cu, struct cand *c)
{
	/* Workflow n-grams seen once are legion and never matter. */
	if (c->nsess >= 2 || c->kind != MEMORY_WORKFLOW)
		return 1;
	return existing_for(cu, c->extractor, c->key) != NULL;
}

/* Groups observations, in (extractor, key) order, into candidates. */
struct grouping {
	struct curator *cu;
	struct cand *c;		/* the group being filled, or NULL */
};

static void group_close(struct grouping *g)
{
	struct cand *c = g->c;

	g->c = NULL;
	if (!c)
		return;
	if (!cand_worth_keeping(g->cu, c)) {
		cand_release(c);
		g->cu->nc--;
	} else if (c->kind == MEMORY_WORKFLOW) {
		free(c->sess);
		c->sess = NULL;
		c->asess = 0;
	}
}

static int group_take(void *arg, const struct observation *o)
{
	struct grouping *g = arg;
	struct curator *cu = g->cu;
	struct cand *c = g->c;
	struct existing *e0;
	struct evidence e;
	struct sess_info *si;
	const char *project;
	char *excerpt;
	int64_t run;
	int added;

	/* Support counts only user-authored text and observed behaviour. */
	if (!o->user_authored && !o->behaviour)
		return 0;
	if (o->user_authored && is_echo(cu, o->excerpt))
		return 0;
	if (!c || strcmp(c->extractor, o->extractor) || strcmp(c->key, o->key)) {
		group_close(g);
		ALLOC_GROW(cu->c, cu->nc + 1, cu->ac);
		c = g->c = &cu->c[cu->nc++];
		memset(c, 0, sizeof(*c));
		c->extractor = xstrdup(o->extractor);
		c->kind = memory_kind_of(o->kind);
		c->key = xstrdup(o->key);
		c->slot = o->slot ? xstrdup(o->slot) : NULL;
		c->subject = o->subject ? xstrdup(o->subject) : NULL;
		c->detail = o->detail ? xstrdup(o->detail) : NULL;
		/* What is published is folded (unicode.h): values, excerpts. */
		c->value = o->value ? text_fold(o->value, 0) : NULL;
		c->first_seen = o->ts;
		e0 = existing_for(cu, c->extractor, c->key);
		c->stored = e0 ? e0->row.status : MEMORY_STATUS_NONE;
		c->users.borrowed = c->agents.borrowed = c->projects.borrowed = 1;
	}
	e.session = session_name(cu, o->session, &run);
	e.user = strpool_str(&cu->names, o->user);
	e.agent = strpool_str(&cu->names, o->agent);
	e.excerpt = excerpt = o->excerpt ? text_fold(o->excerpt, 0) : NULL;
	e.seq = o->seq;
	e.ts = o->ts;
	project = strpool_str(&cu->names, o->project);
	si = cand_session(c, e.session, &added);
	if (added) {
		si->run = run;
		si->user = e.user;
		si->project = project;
	}
	if (o->ts > si->last_ts)
		si->last_ts = o->ts;
	if (o->fixed && o->fix && !si->fix)
		si->fix = xstrdup(o->fix);
	if (o->succeeded && !si->succeeded) {
		si->succeeded = 1;
		c->nsucceeded++;
	}
	c->occurrences += (int)o->count;
	if (o->ts > c->last_seen)
		c->last_seen = o->ts;
	if (o->ts < c->first_seen)
		c->first_seen = o->ts;
	strset_add(&c->users, e.user);
	strset_add(&c->agents, e.agent);
	if (project)
		strset_add(&c->projects, project);
	cand_add_evidence(&cu->names, c, &e);
	free(excerpt);
	return 0;
}

static int cmp_cand_key(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	int c = strcmp(x->extractor, y->extractor);

	return c ? c : strcmp(x->key, y->key);
}

/*
 * The candidates, sorted by (extractor, key): the observation rows, then the
 * workflow n-grams seen in two sessions or more (those seen in one are
 * legion and never matter).
 */
static int load_candidates(struct curator *cu)
{
	struct grouping g = { cu, NULL };
	int rc;

	rc = observations_each(cu->db, group_take, &g);
	group_close(&g);
	if (rc < 0 || grams_load(cu->db, 2, group_take, &g) < 0)
		return -1;
	group_close(&g);
	if (cu->nc)
		qsort(cu->c, cu->nc, sizeof(*cu->c), cmp_cand_key);
	return 0;
}

static int cmp_scope_count(const void *a, const void *b)
{
	return strcmp(((const struct curate_scope *)a)->scope,
		      ((const struct curate_scope *)b)->scope);
}

static int take_scope_count(void *arg, const char *scope, int64_t sessions)
{
	struct loading *l = arg;
	struct curator *cu = l->cu;

	ALLOC_GROW(cu->scopes, cu->nscopes + 1, l->alloc);
	cu->scopes[cu->nscopes].scope = xstrdup(scope);
	cu->scopes[cu->nscopes++].sessions = sessions;
	return 0;
}

static int load_scope_counts(struct curator *cu)
{
	struct loading l = { cu, 0, 0, NULL };
	int rc = sessions_each_scope(cu->db, take_scope_count, &l);

	if (cu->nscopes)
		qsort(cu->scopes, cu->nscopes, sizeof(*cu->scopes), cmp_scope_count);
	return rc < 0 ? -1 : 0;
}

/*
 * Where a memory could recur (cand_exposure): every session's start, by
 * project and agent, in the policy's order (strcmp: SQLite's BINARY).
 */
static int take_exposure(void *arg, const char *project, const char *agent, int64_t start)
{
	struct loading *l = arg;
	struct curator *cu = l->cu;
	struct exposure *e = l->e;

	if (!e || strcmp(e->project, project) || strcmp(e->agent, agent)) {
		ALLOC_GROW(cu->exposures, cu->nexposures + 1, l->alloc);
		e = l->e = &cu->exposures[cu->nexposures++];
		*e = (struct exposure){ xstrdup(project), xstrdup(agent), NULL, 0 };
		l->nalloc = 0;
	}
	ALLOC_GROW(e->starts, e->n + 1, l->nalloc);
	e->starts[e->n++] = start;
	return 0;
}

static int load_exposures(struct curator *cu)
{
	struct loading l = { cu, 0, 0, NULL };

	return sessions_each_start(cu->db, take_exposure, &l) < 0 ? -1 : 0;
}

int scope_sessions_around(struct curator *cu, const char *scope, int64_t pub, int64_t seen,
			  int *before, int *after)
{
	const char *project = NULL, *user = NULL;

	if (!strncmp(scope, "project:", 8))
		project = scope + 8;
	else if (!strncmp(scope, "user:", 5))
		user = scope + 5;
	return sessions_around(cu->db, project, user, pub, seen, before, after);
}

int curator_load(struct curator *cu)
{
	if (poison_load(cu->cfg, &cu->poison) < 0 || load_existing(cu) < 0 ||
	    review_load_all(cu->db, &cu->rv, &cu->nrv) < 0 ||
	    load_scope_counts(cu) < 0 || load_exposures(cu) < 0 || load_session_runs(cu) < 0 ||
	    load_candidates(cu) < 0)
		return -1;
	cu->policy = (struct policy){
		.cfg = cu->cfg, .scopes = cu->scopes, .nscopes = cu->nscopes,
		.exposures = cu->exposures, .nexposures = cu->nexposures,
		.poison = cu->poison,
	};
	return 0;
}

void curator_release(struct curator *cu)
{
	size_t i;

	for (i = 0; i < cu->nc; i++)
		cand_release(&cu->c[i]);
	free(cu->c);
	for (i = 0; i < cu->nex; i++)
		memory_row_release(&cu->ex[i].row);
	free(cu->ex);
	free(cu->ex_by_key);
	strset_release(&cu->taken);
	review_states_release(cu->rv, cu->nrv);
	poison_free(cu->poison);
	for (i = 0; i < cu->nscopes; i++)
		free(cu->scopes[i].scope);
	free(cu->scopes);
	for (i = 0; i < cu->nexposures; i++) {
		free(cu->exposures[i].project);
		free(cu->exposures[i].agent);
		free(cu->exposures[i].starts);
	}
	free(cu->exposures);
	for (i = 0; i < cu->nruns; i++)
		free(cu->runs[i].id);
	free(cu->runs);
	strpool_release(&cu->names);
	free(cu->steps);
	free(cu->run_of);
}

