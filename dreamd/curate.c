/*
 * curate.c: observations -> versioned memories -> a generation; see curate.h.
 *
 * The steps, in order: load the current memories and the reviews; stream the
 * observations grouped by (extractor, key) into candidates; merge
 * near-duplicates; decide scope, score and status; keep maximal workflows;
 * quarantine poison; settle slots (supersession and conflicts); apply
 * reviewer decisions; write a version for every memory whose record changed
 * and publish the set.
 */
#include "dreamd/curate.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/grams.h"
#include "dreamd/names.h"
#include "dreamd/poison.h"
#include "dreamd/unicode.h"
#include "dreamd/util.h"
#include "extractors/extractor.h"
#include "extractors/workflows.h"
#include "store/db.h"

#define MAX_EVIDENCE 5
#define DAY_MS (86400.0 * 1000)

/* A sorted set of strings, copied in, or borrowed (from the curator's pool). */
struct strset {
	char **v;
	size_t n, alloc;
	int borrowed;
};

static size_t strset_find(const struct strset *s, const char *x, int *found)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = s->v[mid] == x ? 0 : strcmp(s->v[mid], x);

		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

/* Returns the index of x, adding it when absent. */
static size_t strset_add(struct strset *s, const char *x)
{
	int found;
	size_t i = strset_find(s, x, &found);

	if (found)
		return i;
	ALLOC_GROW(s->v, s->n + 1, s->alloc);
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
	s->v[i] = s->borrowed ? (char *)x : xstrdup(x);
	s->n++;
	return i;
}

static void strset_release(struct strset *s)
{
	size_t i;

	if (!s->borrowed)
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/*
 * What one session contributed to a candidate. Its strings, and those of
 * struct evidence and of a candidate's users, agents and projects, are the
 * curator's (struct curator.names): a session's id is kept once, not once
 * for every candidate it supports.
 */
struct sess_info {
	const char *id;
	int64_t run;		/* the run that ingested it */
	char *fix;		/* the fix that worked in it, or NULL */
	int succeeded;		/* workflows: it ended in success there */
	const char *project, *user;
};

struct evidence {
	const char *session, *user, *agent, *excerpt;
	int64_t ts;
	uint32_t seq;
};

struct cand {
	char *extractor, *kind, *key, *slot, *subject, *detail, *value;
	/*
	 * Sorted by id. A workflow's go once its rows are all in (only the
	 * counts matter to it): sess is then NULL and nsess still counts them.
	 */
	struct sess_info *sess;
	size_t nsess, asess;
	int nsucceeded;		/* sessions where it ended in success */
	struct strset users, agents, projects;
	int occurrences;
	int64_t first_seen, last_seen;
	struct evidence ev[MAX_EVIDENCE];
	int nev;
	int dropped;		/* merged into another, or not maximal */

	/* decided */
	char id[16];
	char *scope, *status, *reason, *title, *body;
	char *superseded_by, *conflict_with;
	char *fix;
	int fix_worked;
	double score;
	int passes;		/* passed the gates */
};

struct existing {
	char *id, *status, *snapshot;
	char *extractor, *key;	/* what the id was given for */
	char *scope;		/* from the snapshot, when asked (e_scope) */
	int64_t version;
	int seen;		/* a candidate has this id */
};

struct review_state {
	char *id;
	char *verdict;		/* accept, reject or NULL */
	int pinned;
	char *title, *body;	/* from the latest edit */
	char *last_action, *last_actor;
	int64_t last_at;
};

struct scope_count;

struct session_run {
	char *id;
	int64_t run;
};

struct curator {
	struct db *db;
	const struct config *cfg;
	struct cand *c;
	size_t nc, ac;
	struct existing *ex;	/* sorted by id */
	size_t nex;
	struct existing **ex_by_key;	/* the same, by (extractor, key) */
	struct strset taken;	/* ids given this time to memories not stored yet */
	struct review_state *rv;
	size_t nrv;
	int64_t run;
	struct poison *poison;
	struct scope_count *scopes;	/* sorted by scope */
	size_t nscopes;
	struct session_run *runs;	/* sorted by session id */
	size_t nruns;
	struct strpool names;	/* the strings of sessions and evidence */
	struct workflow_step *steps;	/* workflows' background, sorted by step */
	size_t nsteps;
	int64_t *run_of;	/* by index in names: a session's run, -1 unknown */
	size_t nrun_of, arun_of;
};

/* Memory ids ----------------------------------------------------------------- */

void curate_memory_id(const char *extractor, const char *key, unsigned salt, char out[16])
{
	uint64_t h = hash64(extractor, strlen(extractor), HASH64_SEED);
	char s[16];

	h = hash64("\0", 1, h);
	h = hash64(key, strlen(key), h);
	if (salt) {
		snprintf(s, sizeof(s), "#%u", salt);
		h = hash64(s, strlen(s), h);
	}
	snprintf(out, 16, "m-%08x", (unsigned)(h ^ (h >> 32)));
}

/* Loading -------------------------------------------------------------------- */

static int cmp_existing(const void *a, const void *b)
{
	return strcmp(((const struct existing *)a)->id, ((const struct existing *)b)->id);
}

static struct existing *find_existing(struct curator *cu, const char *id)
{
	struct existing key = { .id = (char *)id };

	if (!cu->nex)
		return NULL;
	return bsearch(&key, cu->ex, cu->nex, sizeof(*cu->ex), cmp_existing);
}

static int cmp_existing_key(const void *a, const void *b)
{
	const struct existing *x = *(const struct existing *const *)a;
	const struct existing *y = *(const struct existing *const *)b;
	int c = strcmp(x->extractor, y->extractor);

	return c ? c : strcmp(x->key, y->key);
}

/* The stored memory made for this extractor and key, or NULL. */
static struct existing *existing_for(struct curator *cu, const char *extractor,
				     const char *key)
{
	struct existing probe = { .extractor = (char *)extractor, .key = (char *)key };
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
static void assign_id(struct curator *cu, struct cand *c)
{
	struct existing *e = existing_for(cu, c->extractor, c->key);
	unsigned salt;
	int found;

	if (e) {
		snprintf(c->id, sizeof(c->id), "%s", e->id);
		return;
	}
	for (salt = 0;; salt++) {
		curate_memory_id(c->extractor, c->key, salt, c->id);
		strset_find(&cu->taken, c->id, &found);
		if (!found && !find_existing(cu, c->id))
			break;
	}
	strset_add(&cu->taken, c->id);
}

static int load_existing(struct curator *cu)
{
	struct db_stmt *st = db_prepare(cu->db,
		"SELECT id, status, snapshot, version, extractor, key FROM memories ORDER BY id");
	size_t i;
	size_t alloc = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		struct existing *e;

		ALLOC_GROW(cu->ex, cu->nex + 1, alloc);
		e = &cu->ex[cu->nex++];
		memset(e, 0, sizeof(*e));
		e->id = xstrdup(db_col_text(st, 0));
		e->status = xstrdup(db_col_text(st, 1));
		e->snapshot = xstrdup(db_col_text(st, 2));
		e->version = db_col_int(st, 3);
		e->extractor = xstrdup(db_col_text(st, 4));
		e->key = xstrdup(db_col_text(st, 5));
	}
	db_done(st);
	cu->ex_by_key = xcalloc(cu->nex + 1, sizeof(*cu->ex_by_key));
	for (i = 0; i < cu->nex; i++)
		cu->ex_by_key[i] = &cu->ex[i];
	if (cu->nex)
		qsort(cu->ex_by_key, cu->nex, sizeof(*cu->ex_by_key), cmp_existing_key);
	return rc < 0 ? -1 : 0;
}

static struct review_state *review_for(struct curator *cu, const char *id)
{
	size_t i;

	for (i = 0; i < cu->nrv; i++)
		if (!strcmp(cu->rv[i].id, id))
			return &cu->rv[i];
	return NULL;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

/* Applies one review, in order, to a memory's standing state. */
static void review_apply(struct review_state *r, const char *action, const char *actor,
			 int64_t at, const char *title, const char *body)
{
	if (!strcmp(action, "accept") || !strcmp(action, "reject")) {
		set_str(&r->verdict, action);
		if (!strcmp(action, "reject"))
			r->pinned = 0;
	} else if (!strcmp(action, "pin")) {
		r->pinned = 1;
		set_str(&r->verdict, NULL);
	} else if (!strcmp(action, "unpin")) {
		r->pinned = 0;
	} else if (!strcmp(action, "edit")) {
		/* An edit of one half keeps the other half's edit. */
		if (title)
			set_str(&r->title, title);
		if (body)
			set_str(&r->body, body);
	}
	set_str(&r->last_action, action);
	set_str(&r->last_actor, actor);
	r->last_at = at;
}

/* Replays every review in order into one state per memory. */
static int load_reviews(struct curator *cu)
{
	struct db_stmt *st = db_prepare(cu->db,
		"SELECT memory_id, action, actor, at, title, body FROM reviews ORDER BY id");
	size_t alloc = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		const char *id = db_col_text(st, 0);
		struct review_state *r = review_for(cu, id);

		if (!r) {
			ALLOC_GROW(cu->rv, cu->nrv + 1, alloc);
			r = &cu->rv[cu->nrv++];
			memset(r, 0, sizeof(*r));
			r->id = xstrdup(id);
		}
		review_apply(r, db_col_text(st, 1), db_col_text(st, 2), db_col_int(st, 3),
			     db_col_text(st, 4), db_col_text(st, 5));
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
}

static void review_state_release(struct review_state *r)
{
	free(r->id);
	free(r->verdict);
	free(r->title);
	free(r->body);
	free(r->last_action);
	free(r->last_actor);
}

int curate_review_standing(struct db *db, const char *id, int *rejected, int *pinned)
{
	struct db_stmt *st = db_prepare(db,
		"SELECT action, actor, at, title, body FROM reviews WHERE memory_id = :id ORDER BY id");
	struct review_state r = { 0 };
	int rc;

	*rejected = *pinned = 0;
	if (!st || db_bind_text(st, ":id", id))
		return -1;
	while ((rc = db_step(st)) == 1)
		review_apply(&r, db_col_text(st, 0), db_col_text(st, 1), db_col_int(st, 2),
			     db_col_text(st, 3), db_col_text(st, 4));
	db_done(st);
	*rejected = r.verdict && !strcmp(r.verdict, "reject");
	*pinned = r.pinned;
	review_state_release(&r);
	return rc < 0 ? -1 : 0;
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

/* Grouping ------------------------------------------------------------------- */

static struct sess_info *cand_session(struct cand *c, const char *id, int *added)
{
	size_t lo = 0, hi = c->nsess;

	*added = 0;
	/* Rows come in session order: most often id is the last one or after it. */
	if (hi && c->sess[hi - 1].id == id)
		return &c->sess[hi - 1];
	if (hi && strcmp(c->sess[hi - 1].id, id) < 0)
		lo = hi;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = strcmp(c->sess[mid].id, id);

		if (!cmp)
			return &c->sess[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	ALLOC_GROW(c->sess, c->nsess + 1, c->asess);
	memmove(c->sess + lo + 1, c->sess + lo, (c->nsess - lo) * sizeof(*c->sess));
	memset(&c->sess[lo], 0, sizeof(c->sess[lo]));
	c->sess[lo].id = id;
	c->nsess++;
	*added = 1;
	return &c->sess[lo];
}

static int cmp_evidence(const void *a, const void *b)
{
	const struct evidence *x = a, *y = b;
	int c;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	c = strcmp(x->session, y->session);
	if (c)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Keeps the MAX_EVIDENCE oldest, one per session; e's strings but the
 * excerpt are the curator's already.
 */
static void cand_add_evidence(struct curator *cu, struct cand *c, const struct evidence *e)
{
	int i;

	for (i = 0; i < c->nev; i++) {
		if (c->ev[i].session != e->session)	/* both the pool's */
			continue;
		if (cmp_evidence(e, &c->ev[i]) >= 0)
			return;
		c->ev[i] = *e;
		c->ev[i].excerpt = strpool_str(&cu->names, e->excerpt);
		qsort(c->ev, (size_t)c->nev, sizeof(*c->ev), cmp_evidence);
		return;
	}
	if (c->nev == MAX_EVIDENCE) {
		if (cmp_evidence(e, &c->ev[MAX_EVIDENCE - 1]) >= 0)
			return;
		c->nev--;
	}
	c->ev[c->nev] = *e;
	c->ev[c->nev++].excerpt = strpool_str(&cu->names, e->excerpt);
	qsort(c->ev, (size_t)c->nev, sizeof(*c->ev), cmp_evidence);
}

static void cand_release(struct cand *c)
{
	size_t i;

	free(c->extractor);
	free(c->kind);
	free(c->key);
	free(c->slot);
	free(c->subject);
	free(c->detail);
	free(c->value);
	for (i = 0; c->sess && i < c->nsess; i++)
		free(c->sess[i].fix);
	free(c->sess);
	strset_release(&c->users);
	strset_release(&c->agents);
	strset_release(&c->projects);
	free(c->scope);
	free(c->status);
	free(c->reason);
	free(c->title);
	free(c->body);
	free(c->superseded_by);
	free(c->conflict_with);
	free(c->fix);
}

static const char *col(struct db_stmt *st, int i)
{
	return db_col_text(st, i);
}

static int cmp_session_run(const void *a, const void *b)
{
	return strcmp(((const struct session_run *)a)->id, ((const struct session_run *)b)->id);
}

/* Which run ingested each session, loaded once. */
static int load_session_runs(struct curator *cu)
{
	struct db_stmt *st = db_prepare(cu->db, "SELECT id, run FROM sessions ORDER BY id");
	size_t alloc = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		ALLOC_GROW(cu->runs, cu->nruns + 1, alloc);
		cu->runs[cu->nruns].id = xstrdup(db_col_text(st, 0));
		cu->runs[cu->nruns++].run = db_col_int(st, 1);
	}
	db_done(st);
	return rc < 0 ? -1 : 0;
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
	if (c->nsess >= 2 || strcmp(c->kind, "workflow"))
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
	} else if (!strcmp(c->kind, "workflow")) {
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
	struct evidence e;
	struct sess_info *si;
	const char *project;
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
		c->kind = xstrdup(o->kind);
		c->key = xstrdup(o->key);
		c->slot = o->slot ? xstrdup(o->slot) : NULL;
		c->subject = o->subject ? xstrdup(o->subject) : NULL;
		c->detail = o->detail ? xstrdup(o->detail) : NULL;
		c->value = o->value ? xstrdup(o->value) : NULL;
		c->first_seen = o->ts;
		c->users.borrowed = c->agents.borrowed = c->projects.borrowed = 1;
	}
	e.session = session_name(cu, o->session, &run);
	e.user = strpool_str(&cu->names, o->user);
	e.agent = strpool_str(&cu->names, o->agent);
	e.excerpt = o->excerpt;
	e.seq = o->seq;
	e.ts = o->ts;
	project = strpool_str(&cu->names, o->project);
	si = cand_session(c, e.session, &added);
	if (added) {
		si->run = run;
		si->user = e.user;
		si->project = project;
	}
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
	cand_add_evidence(cu, c, &e);
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
	struct db_stmt *st = db_prepare(cu->db,
		"SELECT o.extractor, o.kind, o.key, o.slot, o.subject, o.detail, o.fix,"
		" o.fixed, o.value, o.excerpt, o.session_id, o.seq, o.ts, o.user, o.agent,"
		" o.project, o.user_authored, o.behaviour, o.count, o.succeeded"
		" FROM observations o"
		/* The primary key's order: no sorting. */
		" ORDER BY o.extractor, o.key, o.session_id, o.seq");
	struct grouping g = { cu, NULL };
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		struct observation o = {
			.extractor = col(st, 0), .kind = col(st, 1), .key = col(st, 2),
			.slot = col(st, 3), .subject = col(st, 4), .detail = col(st, 5),
			.fix = col(st, 6), .fixed = (int)db_col_int(st, 7),
			.value = col(st, 8), .excerpt = col(st, 9), .session = col(st, 10),
			.seq = (uint32_t)db_col_int(st, 11), .ts = db_col_int(st, 12),
			.user = col(st, 13), .agent = col(st, 14), .project = col(st, 15),
			.user_authored = db_col_int(st, 16) != 0,
			.behaviour = db_col_int(st, 17) != 0,
			.count = (unsigned)db_col_int(st, 18),
			.succeeded = db_col_int(st, 19) != 0,
		};

		group_take(&g, &o);
	}
	db_done(st);
	group_close(&g);
	if (rc < 0 || grams_load(cu->db, 2, group_take, &g) < 0)
		return -1;
	group_close(&g);
	if (cu->nc)
		qsort(cu->c, cu->nc, sizeof(*cu->c), cmp_cand_key);
	return 0;
}

/* Near-duplicates ------------------------------------------------------------ */

/* The word tokens of s, lowercased, as a sorted set. */
static void tokens(const char *s, struct strset *out)
{
	char word[128];
	size_t n = 0;

	for (;; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch && (ch >= 0x80 || ch == '_' || ch == '-' || ch == '.' ||
			   (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))) {
			if (n < sizeof(word) - 1)
				word[n++] = (char)(ch >= 'A' && ch <= 'Z' ? ch | 0x20 : ch);
			continue;
		}
		if (n) {
			word[n] = '\0';
			strset_add(out, word);
			n = 0;
		}
		if (!ch)
			break;
	}
}

static double jaccard(const struct strset *a, const struct strset *b)
{
	size_t i = 0, j = 0, both = 0;

	if (!a->n && !b->n)
		return 1;
	while (i < a->n && j < b->n) {
		int c = strcmp(a->v[i], b->v[j]);

		if (!c) {
			both++;
			i++;
			j++;
		} else if (c < 0) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(a->n + b->n - both);
}

/*
 * A preference whose key's words (polarity and stems) are all in another's
 * says a part of it ("don't rewrite everything" of "don't rewrite
 * everything, make small focused changes"): the overlap coefficient is 1.
 * Two words at least: the polarity alone says nothing.
 */
static int part_of(const struct cand *c, const struct strset *a, const struct strset *b)
{
	size_t i = 0, j = 0, both = 0, small = a->n < b->n ? a->n : b->n;

	if (strcmp(c->extractor, "preferences") || small < 2)
		return 0;
	while (i < a->n && j < b->n) {
		int d = strcmp(a->v[i], b->v[j]);

		both += !d;
		i += d <= 0;
		j += d >= 0;
	}
	return both == small;
}

/* Moves everything of src into dst; src is dropped. Never workflows. */
static void cand_merge(struct curator *cu, struct cand *dst, struct cand *src)
{
	size_t i;
	int k, added;

	for (i = 0; i < src->nsess; i++) {
		struct sess_info *si = cand_session(dst, src->sess[i].id, &added);

		if (added) {
			si->run = src->sess[i].run;
			si->user = src->sess[i].user;
			si->project = src->sess[i].project;
		}
		if (!si->fix && src->sess[i].fix)
			si->fix = xstrdup(src->sess[i].fix);
		if (src->sess[i].succeeded && !si->succeeded) {
			si->succeeded = 1;
			dst->nsucceeded++;
		}
	}
	for (i = 0; i < src->users.n; i++)
		strset_add(&dst->users, src->users.v[i]);
	for (i = 0; i < src->agents.n; i++)
		strset_add(&dst->agents, src->agents.v[i]);
	for (i = 0; i < src->projects.n; i++)
		strset_add(&dst->projects, src->projects.v[i]);
	for (k = 0; k < src->nev; k++)
		cand_add_evidence(cu, dst, &src->ev[k]);
	dst->occurrences += src->occurrences;
	if (src->first_seen < dst->first_seen)
		dst->first_seen = src->first_seen;
	if (src->last_seen > dst->last_seen)
		dst->last_seen = src->last_seen;
	src->dropped = 1;
}

/*
 * Candidates that may be near-duplicates: same extractor, kind, slot and
 * value, and same subject, except for preferences, whose subject is the
 * sentence said (the wordings are what differs).
 */
static int same_block(const struct cand *a, const struct cand *b)
{
	int pref = !strcmp(a->kind, "preference") && !strcmp(a->extractor, "preferences");

	return !strcmp(a->extractor, b->extractor) && !strcmp(a->kind, b->kind) &&
		(pref || !strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "")) &&
		!strcmp(a->slot ? a->slot : "", b->slot ? b->slot : "") &&
		!strcmp(a->value ? a->value : "", b->value ? b->value : "");
}

/*
 * Merges candidates whose keys' token sets are at least dedupe_jaccard alike,
 * within one block (extractor, kind, subject, slot, value). The earlier key
 * in sort order absorbs the later, so the merged id is stable. Workflows are
 * left alone: their keys are sequences, and maximality handles them.
 */
static void merge_near_duplicates(struct curator *cu)
{
	struct strset *tok = xcalloc(cu->nc + 1, sizeof(*tok));
	size_t i, j;

	for (i = 0; i < cu->nc; i++)
		if (strcmp(cu->c[i].kind, "workflow"))
			tokens(cu->c[i].key, &tok[i]);
	for (i = 0; i < cu->nc; i++) {
		if (cu->c[i].dropped || !strcmp(cu->c[i].kind, "workflow"))
			continue;
		for (j = i + 1; j < cu->nc; j++) {
			if (cu->c[j].dropped || !same_block(&cu->c[i], &cu->c[j]))
				continue;
			int alike = jaccard(&tok[i], &tok[j]) >= cu->cfg->dedupe_jaccard;

			if (!alike && !part_of(&cu->c[i], &tok[i], &tok[j]))
				continue;
			/*
			 * The one already stored absorbs the new one, so a
			 * memory a reviewer rejected or pinned keeps its id
			 * and its decision; else the whole absorbs its part,
			 * else the first in key order.
			 */
			if (!existing_for(cu, cu->c[i].extractor, cu->c[i].key) &&
			    (existing_for(cu, cu->c[j].extractor, cu->c[j].key) ||
			     (!alike && tok[i].n < tok[j].n))) {
				cand_merge(cu, &cu->c[j], &cu->c[i]);
				break;
			}
			cand_merge(cu, &cu->c[i], &cu->c[j]);
		}
	}
	for (i = 0; i < cu->nc; i++)
		strset_release(&tok[i]);
	free(tok);
}

/* Sessions per project and per user, loaded once: scope sizes. */
struct scope_count {
	char *scope;
	int64_t n;
	int64_t newest;		/* ms: the end of its newest session */
};

static int cmp_scope_count(const void *a, const void *b)
{
	return strcmp(((const struct scope_count *)a)->scope,
		      ((const struct scope_count *)b)->scope);
}

static int load_scope_counts(struct curator *cu)
{
	struct db_stmt *st = db_prepare(cu->db,
		"SELECT 'project:' || project, count(*), max(coalesce(ended_at, started_at, 0))"
		" FROM sessions WHERE project IS NOT NULL GROUP BY project"
		" UNION ALL SELECT 'user:' || user, count(*), max(coalesce(ended_at, started_at, 0))"
		" FROM sessions GROUP BY user"
		" UNION ALL SELECT 'team', count(*), max(coalesce(ended_at, started_at, 0))"
		" FROM sessions"
		/* where a memory could recur: one project with one agent (age_days) */
		" UNION ALL SELECT 'exposure:' || project || char(31) || agent, count(*),"
		" max(coalesce(ended_at, started_at, 0))"
		" FROM sessions WHERE project IS NOT NULL GROUP BY project, agent");
	size_t alloc = 0;
	int rc;

	if (!st)
		return -1;
	while ((rc = db_step(st)) == 1) {
		ALLOC_GROW(cu->scopes, cu->nscopes + 1, alloc);
		cu->scopes[cu->nscopes].scope = xstrdup(db_col_text(st, 0));
		cu->scopes[cu->nscopes].n = db_col_int(st, 1);
		cu->scopes[cu->nscopes++].newest = db_col_int(st, 2);
	}
	db_done(st);
	if (cu->nscopes)
		qsort(cu->scopes, cu->nscopes, sizeof(*cu->scopes), cmp_scope_count);
	return rc < 0 ? -1 : 0;
}

static const struct scope_count *scope_find(struct curator *cu, const char *scope)
{
	struct scope_count key = { (char *)scope, 0, 0 };

	if (!cu->nscopes)
		return NULL;
	return bsearch(&key, cu->scopes, cu->nscopes, sizeof(*cu->scopes), cmp_scope_count);
}

/* How many sessions the store holds in a scope. */
static int64_t scope_sessions(struct curator *cu, const char *scope)
{
	const struct scope_count *hit = scope_find(cu, scope);

	return hit ? hit->n : 0;
}

/*
 * Days since the candidate was last seen, counted up to the newest session
 * in which it could have recurred: one in its projects with its agents
 * (its scope's newest when it has no project). A project nobody worked on
 * for a month, or one agent's sessions elsewhere, make it forget nothing;
 * the wall clock never enters (same store, same scores).
 */
static double age_days(struct curator *cu, const struct cand *c)
{
	const struct scope_count *hit = NULL;
	int64_t newest = 0;
	size_t i, j;
	double d;

	for (i = 0; i < c->projects.n; i++)
		for (j = 0; j < c->agents.n; j++) {
			char *key = xasprintf("exposure:%s\x1f%s", c->projects.v[i], c->agents.v[j]);

			hit = scope_find(cu, key);
			free(key);
			if (hit && hit->newest > newest)
				newest = hit->newest;
		}
	if (!newest) {
		hit = scope_find(cu, c->scope);
		newest = hit ? hit->newest : c->last_seen;
	}
	d = (double)(newest - c->last_seen) / DAY_MS;
	return d > 0 ? d : 0;
}

/* Scope, score, gates -------------------------------------------------------- */

static void decide_scope(struct curator *cu, struct cand *c)
{
	if (!strcmp(c->kind, "preference")) {
		if ((int)c->users.n >= cu->cfg->min_users_team)
			c->scope = xstrdup("team");
		else
			c->scope = xasprintf("user:%s", c->users.v[0]);
		return;
	}
	if (c->projects.n == 1 && name_is_project(c->projects.v[0]))
		c->scope = xasprintf("project:%s", c->projects.v[0]);
	else if ((int)c->users.n >= cu->cfg->min_users_team || !c->users.n)
		c->scope = xstrdup("team");
	else
		c->scope = xasprintf("user:%s", c->users.v[0]);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The fix that worked in the most sessions; of equals, the first in order. */
static void decide_fix(struct cand *c)
{
	char **fix = NULL;
	size_t i, j, n = 0;

	for (i = 0; c->sess && i < c->nsess; i++)
		if (c->sess[i].fix) {
			if (!fix)
				fix = xcalloc(c->nsess, sizeof(*fix));
			fix[n++] = c->sess[i].fix;
		}
	if (!n)
		return;
	qsort(fix, n, sizeof(*fix), cmp_str);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && !strcmp(fix[j], fix[i]); j++)
			;
		if ((int)(j - i) > c->fix_worked) {
			c->fix_worked = (int)(j - i);
			set_str(&c->fix, fix[i]);
		}
	}
	free(fix);
}

static double round2(double x)
{
	return floor(x * 100 + 0.5) / 100;
}

static void decide_score(struct curator *cu, struct cand *c)
{
	const struct config *cfg = cu->cfg;
	double age = age_days(cu, c);
	double fix_rate = 1, s;

	if (!strcmp(c->kind, "mistake"))
		fix_rate = c->fix ? (double)c->fix_worked / (double)c->nsess : 0.5;
	else if (!strcmp(c->kind, "workflow"))
		fix_rate = (double)c->nsucceeded / (double)c->nsess;
	s = cfg->w_sessions * (1 - exp(-(double)c->nsess / cfg->min_sessions)) +
		cfg->w_users * (1 - exp(-((double)c->users.n - 1) / 2)) +
		cfg->w_recency * pow(0.5, age / cfg->half_life_days) +
		cfg->w_fix * fix_rate;
	c->score = round2(s);
}

/* A failing call's fix must have worked in this share of its sessions. */
#define FIX_MIN_SHARE (1.0 / 3)

static void decide_status(struct curator *cu, struct cand *c)
{
	const struct config *cfg = cu->cfg;
	double age = age_days(cu, c);
	struct existing *e = find_existing(cu, c->id);
	int was_published = e && (!strcmp(e->status, "active") || !strcmp(e->status, "pinned") ||
				  !strcmp(e->status, "retired"));
	int converging = strcmp(c->kind, "workflow") || c->users.n >= 2 || c->agents.n >= 2;
	int64_t in_scope;

	c->passes = 0;
	if ((int)c->nsess < cfg->min_sessions) {
		c->reason = xasprintf("%zu of %d sessions needed", c->nsess, cfg->min_sessions);
	} else if (!strcmp(c->scope, "team") && (int)c->users.n < cfg->min_users_team) {
		c->reason = xasprintf("%zu of %d users needed for team scope", c->users.n,
				      cfg->min_users_team);
	} else if (!converging) {
		c->reason = xstrdup("one user and one agent: not converging");
	} else if (!strcmp(c->kind, "workflow") &&
		   (double)c->nsess < cfg->workflow_min_share * (double)(in_scope =
				scope_sessions(cu, c->scope))) {
		c->reason = xasprintf("in %zu of %lld sessions of its scope, under %.0f%%",
				      c->nsess, (long long)in_scope,
				      cfg->workflow_min_share * 100);
	} else if (age > cfg->retire_after_days) {
		c->reason = xasprintf("not reinforced for %.0f days", age);
	} else if (c->score < cfg->min_score) {
		c->reason = xasprintf("score %.2f below %.2f", c->score, cfg->min_score);
	} else if (!strcmp(c->kind, "mistake") && (!strcmp(c->extractor, "failing-calls") ||
						     !strcmp(c->extractor, "tool-misuse")) &&
		   !(c->fix && c->fix_worked > 0)) {
		/* a failed call with no fix advises nothing but "read the error" */
		c->reason = xstrdup("no fix seen: nothing to advise but the error");
	} else if (!strcmp(c->kind, "mistake") && !strcmp(c->extractor, "failing-calls") &&
		   (double)c->fix_worked < FIX_MIN_SHARE * (double)c->nsess) {
		/* what followed the failure now and then is happenstance, not its fix */
		c->reason = xasprintf("its fix worked in only %d of %zu sessions", c->fix_worked,
				      c->nsess);
	} else {
		c->passes = 1;
		c->status = xstrdup("active");
		c->reason = xasprintf("%zu sessions, %zu users: above the gates", c->nsess,
				      c->users.n);
		return;
	}
	/* Decay: what was published and no longer passes is retired, not deleted. */
	c->status = xstrdup(was_published ? "retired" : "candidate");
}

/* Workflows: keep maximal sequences only ------------------------------------ */

/* Is a, as a sequence of " -> "-joined actions, a contiguous part of b? */
static int subsequence(const char *a, const char *b)
{
	size_t la = strlen(a);
	const char *p = b;

	while ((p = strstr(p, a))) {
		int starts = p == b || (p - b >= 4 && !strncmp(p - 4, " -> ", 4));
		int ends = !p[la] || !strncmp(p + la, " -> ", 4);

		if (starts && ends)
			return 1;
		p++;
	}
	return 0;
}

static void keep_maximal_workflows(struct curator *cu)
{
	size_t i, j;

	for (i = 0; i < cu->nc; i++) {
		struct cand *a = &cu->c[i];

		if (a->dropped || strcmp(a->kind, "workflow") || !a->passes)
			continue;
		for (j = 0; j < cu->nc; j++) {
			struct cand *b = &cu->c[j];

			if (i == j || b->dropped || strcmp(b->kind, "workflow") || !b->passes ||
			    b->nsess != a->nsess || strlen(b->key) <= strlen(a->key))
				continue;
			if (subsequence(a->key, b->key)) {
				a->dropped = !find_existing(cu, a->id);
				if (!a->dropped) {
					set_str(&a->status, "retired");
					free(a->reason);
					a->reason = xasprintf("contained in %s with the same support", b->id);
					a->passes = 0;
				}
				break;
			}
		}
	}
}

/*
 * The workflow runs of one step are the background: how many sessions do
 * each step (workflows.h). Taken out of the candidates; the array borrows
 * their keys, sorted as the candidates are.
 */
static void take_workflow_steps(struct curator *cu)
{
	size_t i, alloc = 0;

	for (i = 0; i < cu->nc; i++) {
		struct cand *c = &cu->c[i];

		if (strcmp(c->kind, "workflow") || strstr(c->key, WORKFLOW_SEP))
			continue;
		c->dropped = 1;
		ALLOC_GROW(cu->steps, cu->nsteps + 1, alloc);
		cu->steps[cu->nsteps].step = c->key;
		cu->steps[cu->nsteps].sessions = (int)c->nsess;
		cu->steps[cu->nsteps++].projects = (int)c->projects.n;
	}
}

/* A workflow above the gates that an agent would follow anyway is not one. */
static void gate_workflow_signal(struct curator *cu, struct cand *c)
{
	const char *why;
	struct existing *e;

	if (!c->passes || strcmp(c->kind, "workflow"))
		return;
	why = workflow_noise(c->key, (int)c->nsess, (int)scope_sessions(cu, "team"),
			     cu->steps, cu->nsteps);
	if (!why)
		return;
	e = find_existing(cu, c->id);
	c->passes = 0;
	set_str(&c->status, e && (!strcmp(e->status, "active") || !strcmp(e->status, "pinned") ||
				  !strcmp(e->status, "retired")) ? "retired" : "candidate");
	free(c->reason);
	c->reason = xstrdup(why);
}

/* Poison --------------------------------------------------------------------- */

/* Replaces *s with its published spelling (unicode.h). */
static void fold_published(char **s)
{
	char *f;

	if (!*s)
		return;
	f = text_fold(*s, 0);
	free(*s);
	*s = f;
}

/*
 * What agents would read, published folded, and judged: the fix as the
 * command it is, a signature from tool output as output; a preference's
 * key is its statement's stemmed gist ("dont: use --no-verifi"), which the
 * statement itself stands for.
 */
static void check_poison(struct curator *cu, struct cand *c)
{
	int output = !strcmp(c->extractor, "failing-calls") ||
		!strcmp(c->extractor, "tool-misuse") || !strcmp(c->extractor, "thrashing");
	struct poison_text t[6 + MAX_EVIDENCE] = {
		{ c->title, POISON_PROSE }, { c->body, POISON_PROSE },
		{ strcmp(c->kind, "preference") ? c->key : NULL, POISON_PROSE },
		{ c->fix, POISON_COMMAND }, { c->value, POISON_PROSE },
		{ output ? c->detail : NULL, POISON_OUTPUT },
	};
	struct poison_hit hit;
	size_t i, j, n = 6;
	char *m;

	fold_published(&c->title);
	fold_published(&c->body);
	fold_published(&c->fix);
	t[0].text = c->title;
	t[1].text = c->body;
	t[3].text = c->fix;
	for (i = 0; i < (size_t)c->nev; i++) {
		/* A workflow's excerpts are its key: each text is looked at once. */
		for (j = 0; j < n; j++)
			if (t[j].text && c->ev[i].excerpt && !strcmp(t[j].text, c->ev[i].excerpt))
				break;
		if (j == n) {
			t[n].text = c->ev[i].excerpt;
			t[n++].kind = output ? POISON_OUTPUT : POISON_PROSE;
		}
	}
	if (!poison_judge(cu->poison, t, n, &hit))
		return;
	for (m = hit.match; *m; m++)
		if ((unsigned char)*m < ' ' || *m == '`')
			*m = ' ';
	set_str(&c->status, "quarantined");
	free(c->reason);
	c->reason = xasprintf("quarantined: %s (rule %s matched \"%s\")", hit.label,
			      hit.rule, hit.match);
	free(hit.match);
	c->passes = 0;
}

/* Slots ---------------------------------------------------------------------- */

static int same_slot(const struct cand *a, const struct cand *b)
{
	return a->slot && b->slot && !strcmp(a->slot, b->slot) &&
		!strcmp(a->kind, b->kind) && !strcmp(a->scope, b->scope) &&
		strcmp(a->value ? a->value : "", b->value ? b->value : "");
}

/*
 * Of two active memories for one slot with different values, the newer
 * supersedes the older when the team clearly moved on: all of the newer's
 * evidence comes after the older's last, or it has at least twice the
 * sessions. Otherwise the evidence is balanced: both stay, flagged.
 */
static void settle_slots(struct curator *cu)
{
	size_t i, j, n = 0, *slotted = xcalloc(cu->nc + 1, sizeof(*slotted));

	/* Only candidates with a slot meet; the pairs keep their order. */
	for (i = 0; i < cu->nc; i++)
		if (cu->c[i].slot)
			slotted[n++] = i;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			struct cand *a = &cu->c[slotted[i]], *b = &cu->c[slotted[j]], *old, *new;

			if (a->dropped || b->dropped || !a->passes || !b->passes ||
			    !same_slot(a, b))
				continue;
			if (a->last_seen < b->last_seen ||
			    (a->last_seen == b->last_seen && strcmp(a->id, b->id) < 0)) {
				old = a;
				new = b;
			} else {
				old = b;
				new = a;
			}
			if (new->first_seen > old->last_seen || new->nsess >= 2 * old->nsess) {
				set_str(&old->status, "retired");
				set_str(&old->superseded_by, new->id);
				free(old->reason);
				old->reason = xasprintf("superseded by %s (%s)", new->id,
							new->value ? new->value : "newer");
				old->passes = 0;
			} else if (old->nsess >= 2 * new->nsess) {
				set_str(&new->status, "retired");
				set_str(&new->superseded_by, old->id);
				free(new->reason);
				new->reason = xasprintf("outweighed by %s (%s)", old->id,
							old->value ? old->value : "older");
				new->passes = 0;
			} else {
				if (!old->conflict_with)
					set_str(&old->conflict_with, new->id);
				if (!new->conflict_with)
					set_str(&new->conflict_with, old->id);
			}
		}
	}
	free(slotted);
}

/* Text ----------------------------------------------------------------------- */

static void describe(struct cand *c)
{
	const struct extractor_ops *ops = extractor_find(c->extractor);
	struct candidate_summary s = {
		.key = c->key, .subject = c->subject, .detail = c->detail,
		.value = c->value, .slot = c->slot, .fix = c->fix,
		.fix_sessions = c->fix_worked, .sessions = (int)c->nsess,
		.users = (int)c->users.n, .agents = (int)c->agents.n,
		.projects = (int)c->projects.n, .occurrences = c->occurrences,
		.excerpt = c->nev ? c->ev[0].excerpt : NULL,
		.succeeded_sessions = c->nsucceeded,
	};
	char *cause = NULL;

	if (ops && ops->describe && ops->describe(&s, &c->title, &c->body, &cause) == 0)
		return;
	free(cause);
	free(c->title);
	free(c->body);
	c->title = xstrdup(c->subject ? c->subject : c->key);
	c->body = xasprintf("%s (seen in %zu sessions, %zu users).", c->key, c->nsess,
			    c->users.n);
}

/* Effectiveness -------------------------------------------------------------- */

/* The run that first published id as active or pinned, or 0. */
static int64_t first_published_run(struct curator *cu, const char *id)
{
	struct db_stmt *st = db_prepare(cu->db,
		"SELECT min(g.run) FROM memory_versions v JOIN generations g ON g.gen = v.gen"
		" WHERE v.memory_id = :id"
		" AND json_extract(v.snapshot, '$.status') IN ('active', 'pinned')");
	int64_t run = 0;

	if (!st)
		return -1;
	db_bind_text(st, ":id", id);
	if (db_step(st) == 1 && !db_col_is_null(st, 0))
		run = db_col_int(st, 0);
	db_done(st);
	return run;
}

struct effect {
	int present;
	int before_hits, before_sessions, after_hits, after_sessions, recurring;
};

static int effectiveness(struct curator *cu, struct cand *c, struct effect *ef)
{
	struct db_stmt *st;
	int64_t pub;
	const char *project = NULL, *user = NULL;
	size_t i;

	memset(ef, 0, sizeof(*ef));
	if (strcmp(c->kind, "mistake"))
		return 0;
	pub = first_published_run(cu, c->id);
	if (pub < 0)
		return -1;
	if (!pub) {
		if (!c->passes)
			return 0;
		pub = cu->run;	/* published now */
	}
	if (!strncmp(c->scope, "project:", 8))
		project = c->scope + 8;
	else if (!strncmp(c->scope, "user:", 5))
		user = c->scope + 5;
	st = db_prepare(cu->db,
		"SELECT count(*) FILTER (WHERE run <= :pub), count(*) FILTER (WHERE run > :pub)"
		" FROM sessions WHERE (:project IS NULL OR project = :project)"
		" AND (:user IS NULL OR user = :user)");
	if (!st)
		return -1;
	db_bind_int(st, ":pub", pub);
	db_bind_text(st, ":project", project);
	db_bind_text(st, ":user", user);
	if (db_step(st) == 1) {
		ef->before_sessions = (int)db_col_int(st, 0);
		ef->after_sessions = (int)db_col_int(st, 1);
	}
	db_done(st);
	for (i = 0; i < c->nsess; i++) {
		if (project && (!c->sess[i].project || strcmp(c->sess[i].project, project)))
			continue;
		if (user && strcmp(c->sess[i].user, user))
			continue;
		if (c->sess[i].run <= pub)
			ef->before_hits++;
		else
			ef->after_hits++;
	}
	/*
	 * Recurring: it still happens in two or more sessions after agents
	 * could load it, at no less than half the rate it had before.
	 */
	ef->recurring = ef->after_hits >= 2 && ef->after_sessions &&
		(double)ef->after_hits / ef->after_sessions >=
		0.5 * (double)ef->before_hits / (ef->before_sessions ? ef->before_sessions : 1);
	ef->present = 1;
	return 0;
}

/* The record ----------------------------------------------------------------- */

static void add_str_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_json(sb, s, strlen(s));
	else
		strbuf_addstr(sb, "null");
}

static char *snapshot(struct curator *cu, struct cand *c, int64_t version,
		      const struct review_state *rv, const struct effect *ef)
{
	struct strbuf sb;
	char t1[32], t2[32];
	int i;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	strbuf_addf(&sb, "{\"id\":\"%s\",\"kind\":", c->id);
	add_str_or_null(&sb, c->kind);
	strbuf_addstr(&sb, ",\"scope\":");
	add_str_or_null(&sb, c->scope);
	strbuf_addstr(&sb, ",\"status\":");
	add_str_or_null(&sb, c->status);
	strbuf_addstr(&sb, ",\"title\":");
	add_str_or_null(&sb, c->title);
	strbuf_addstr(&sb, ",\"body\":");
	add_str_or_null(&sb, c->body);
	format_iso8601(c->first_seen, t1);
	format_iso8601(c->last_seen, t2);
	strbuf_addf(&sb, ",\"score\":%.15g,\"version\":%lld,\"first_seen\":\"%s\","
		    "\"last_seen\":\"%s\",\"support\":{\"sessions\":%zu,\"users\":%zu,"
		    "\"agents\":%zu,\"projects\":%zu,\"occurrences\":%d},\"evidence\":[",
		    c->score, (long long)version, t1, t2, c->nsess, c->users.n,
		    c->agents.n, c->projects.n, c->occurrences);
	for (i = 0; i < c->nev; i++) {
		format_iso8601(c->ev[i].ts, t1);
		strbuf_addstr(&sb, i ? ",{\"session\":" : "{\"session\":");
		add_str_or_null(&sb, c->ev[i].session);
		strbuf_addstr(&sb, ",\"user\":");
		add_str_or_null(&sb, c->ev[i].user);
		strbuf_addstr(&sb, ",\"agent\":");
		add_str_or_null(&sb, c->ev[i].agent);
		strbuf_addf(&sb, ",\"at\":\"%s\",\"event\":%u,\"excerpt\":", t1, c->ev[i].seq);
		add_str_or_null(&sb, c->ev[i].excerpt);
		strbuf_addch(&sb, '}');
	}
	strbuf_addstr(&sb, "],\"extractor\":");
	add_str_or_null(&sb, c->extractor);
	strbuf_addstr(&sb, ",\"slot\":");
	add_str_or_null(&sb, c->slot);
	strbuf_addstr(&sb, ",\"fix\":");
	if (c->fix) {
		strbuf_addstr(&sb, "{\"command\":");
		add_str_or_null(&sb, c->fix);
		strbuf_addf(&sb, ",\"worked\":%d,\"of\":%zu}", c->fix_worked, c->nsess);
	} else {
		strbuf_addstr(&sb, "null");
	}
	strbuf_addstr(&sb, ",\"reason\":");
	add_str_or_null(&sb, c->reason);
	strbuf_addstr(&sb, ",\"superseded_by\":");
	add_str_or_null(&sb, c->superseded_by);
	strbuf_addstr(&sb, ",\"conflict_with\":");
	add_str_or_null(&sb, c->conflict_with);
	strbuf_addstr(&sb, ",\"effectiveness\":");
	if (ef && ef->present)
		strbuf_addf(&sb, "{\"before\":{\"hits\":%d,\"sessions\":%d},\"after\":"
			    "{\"hits\":%d,\"sessions\":%d},\"recurring\":%s}",
			    ef->before_hits, ef->before_sessions, ef->after_hits,
			    ef->after_sessions, ef->recurring ? "true" : "false");
	else
		strbuf_addstr(&sb, "null");
	strbuf_addstr(&sb, ",\"reviewed\":");
	if (rv && rv->last_action) {
		format_iso8601(rv->last_at, t1);
		strbuf_addstr(&sb, "{\"action\":");
		add_str_or_null(&sb, rv->last_action);
		strbuf_addstr(&sb, ",\"by\":");
		add_str_or_null(&sb, rv->last_actor);
		strbuf_addf(&sb, ",\"at\":\"%s\"}", t1);
	} else {
		strbuf_addstr(&sb, "null");
	}
	strbuf_addch(&sb, '}');
	return strbuf_detach(&sb, NULL);
}

/*
 * Applies a reviewer's standing decisions to a computed candidate. Returns 1
 * when the memory is pinned and already frozen: keep its old record as is.
 */
static int apply_review(struct cand *c, const struct review_state *rv,
			const struct existing *e)
{
	if (!rv)
		return 0;
	if (rv->title)
		set_str(&c->title, rv->title);
	if (rv->body)
		set_str(&c->body, rv->body);
	if (rv->verdict && !strcmp(rv->verdict, "reject")) {
		set_str(&c->status, "rejected");
		free(c->reason);
		c->reason = xasprintf("rejected by %s", rv->last_actor);
		return 0;
	}
	if (rv->pinned) {
		if (e && !strcmp(e->status, "pinned"))
			return 1;
		set_str(&c->status, "pinned");
		free(c->reason);
		c->reason = xasprintf("pinned by %s", rv->last_actor);
		return 0;
	}
	if (rv->verdict && !strcmp(rv->verdict, "accept") &&
	    (!strcmp(c->status, "candidate") || !strcmp(c->status, "quarantined"))) {
		set_str(&c->status, "active");
		free(c->reason);
		c->reason = xasprintf("accepted by %s", rv->last_actor);
	}
	return 0;
}

/* Writing -------------------------------------------------------------------- */

static const char *change_kind(const struct existing *e, const char *status, int reviewed)
{
	int was_live, is_live;

	if (!e)
		return "added";
	if (reviewed)
		return "reviewed";
	was_live = !strcmp(e->status, "active") || !strcmp(e->status, "pinned");
	is_live = !strcmp(status, "active") || !strcmp(status, "pinned");
	if (was_live && !is_live && !strcmp(status, "retired"))
		return "retired";
	if (!was_live && is_live && !strcmp(e->status, "retired"))
		return "restored";
	return "updated";
}

struct publish {
	struct curator *cu;
	const char *actor, *reason, *review_id;
	int64_t gen;
	struct curate_stats *st;
};

/* Records one memory's record; a new version only when it changed. */
static int put_memory(struct publish *p, const char *id, const char *extractor,
		      const char *kind, const char *key, const char *slot, const char *scope,
		      const char *status, char *(*make)(void *, int64_t), void *arg,
		      int reviewed)
{
	struct curator *cu = p->cu;
	struct existing *e = find_existing(cu, id);
	int64_t version = e ? e->version : 1;
	char *rec = make(arg, version);
	struct db_stmt *st;
	const char *change;

	if (e)
		e->seen = 1;
	if (e && !strcmp(e->snapshot, rec)) {
		free(rec);
		return 0;
	}
	if (e) {
		free(rec);
		rec = make(arg, ++version);
	}
	change = change_kind(e, status, reviewed);
	if (!strcmp(change, "added"))
		p->st->added++;
	else if (!strcmp(change, "retired"))
		p->st->retired++;
	else if (!strcmp(change, "restored"))
		p->st->restored++;
	else if (!strcmp(change, "reviewed"))
		p->st->reviewed++;
	else
		p->st->updated++;
	st = db_prepare(cu->db,
		"INSERT INTO memory_versions (memory_id, version, gen, change, actor, reason, snapshot)"
		" VALUES (:id, :version, :gen, :change, :actor, :reason, :snapshot)");
	if (!st || db_bind_text(st, ":id", id) || db_bind_int(st, ":version", version) ||
	    db_bind_int(st, ":gen", p->gen) || db_bind_text(st, ":change", change) ||
	    db_bind_text(st, ":actor", p->actor) || db_bind_text(st, ":reason", p->reason) ||
	    db_bind_text(st, ":snapshot", rec) || db_run(st) < 0)
		goto fail;
	st = db_prepare(cu->db,
		"INSERT INTO memories (id, extractor, kind, key, slot, scope, status, version, snapshot)"
		" VALUES (:id, :extractor, :kind, :key, :slot, :scope, :status, :version, :snapshot)"
		" ON CONFLICT (id) DO UPDATE SET extractor = excluded.extractor,"
		" kind = excluded.kind, key = excluded.key, slot = excluded.slot,"
		" scope = excluded.scope, status = excluded.status,"
		" version = excluded.version, snapshot = excluded.snapshot");
	if (!st || db_bind_text(st, ":id", id) || db_bind_text(st, ":extractor", extractor) ||
	    db_bind_text(st, ":kind", kind) || db_bind_text(st, ":key", key) ||
	    db_bind_text(st, ":slot", slot) || db_bind_text(st, ":scope", scope) ||
	    db_bind_text(st, ":status", status) || db_bind_int(st, ":version", version) ||
	    db_bind_text(st, ":snapshot", rec) || db_run(st) < 0)
		goto fail;
	free(rec);
	return 1;
fail:
	free(rec);
	return -1;
}

struct cand_arg {
	struct curator *cu;
	struct cand *c;
	const struct review_state *rv;
	struct effect ef;
};

static char *make_cand(void *arg, int64_t version)
{
	struct cand_arg *a = arg;

	return snapshot(a->cu, a->c, version, a->rv, &a->ef);
}

struct old_arg {
	const char *snapshot;
	const char *status, *reason;
	const struct review_state *rv;
};

char *snapshot_rewrite(const char *snap, const char *status, const char *reason,
		       const char *title, const char *body, int64_t version)
{
	cJSON *j = cJSON_Parse(snap);
	char *out, *ret;

	if (!j)
		return xstrdup(snap);
	if (status)
		cJSON_ReplaceItemInObjectCaseSensitive(j, "status", cJSON_CreateString(status));
	if (title)
		cJSON_ReplaceItemInObjectCaseSensitive(j, "title", cJSON_CreateString(title));
	if (body)
		cJSON_ReplaceItemInObjectCaseSensitive(j, "body", cJSON_CreateString(body));
	if (reason)
		cJSON_ReplaceItemInObjectCaseSensitive(j, "reason", cJSON_CreateString(reason));
	cJSON_ReplaceItemInObjectCaseSensitive(j, "version", cJSON_CreateNumber((double)version));
	out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	ret = xstrdup(out);
	cJSON_free(out);
	return ret;
}

/* An existing record with a new status and reason (and version). */
static char *make_old(void *arg, int64_t version)
{
	struct old_arg *a = arg;

	return snapshot_rewrite(a->snapshot, a->status, a->reason,
				a->rv ? a->rv->title : NULL, a->rv ? a->rv->body : NULL, version);
}

/* The scope in a stored record. */
static const char *e_scope(struct existing *e)
{
	if (!e->scope) {
		cJSON *j = cJSON_Parse(e->snapshot);
		cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "scope");

		e->scope = xstrdup(cJSON_IsString(v) ? v->valuestring : "team");
		cJSON_Delete(j);
	}
	return e->scope;
}

static int publish_candidate(struct publish *p, struct cand *c)
{
	struct curator *cu = p->cu;
	struct existing *e = find_existing(cu, c->id);
	const struct review_state *rv = review_for(cu, c->id);
	struct cand_arg a = { cu, c, rv, { 0 } };
	int reviewed;

	if (apply_review(c, rv, e)) {
		/* Pinned: frozen against runs, but a reviewer's edit still lands. */
		struct old_arg o = { e->snapshot, NULL, NULL, rv };

		return put_memory(p, e->id, c->extractor, c->kind, c->key, c->slot, e_scope(e),
				  "pinned", make_old, &o,
				  p->review_id && !strcmp(p->review_id, c->id)) < 0 ? -1 : 0;
	}
	if (effectiveness(cu, c, &a.ef) < 0)
		return -1;
	reviewed = p->review_id && !strcmp(p->review_id, c->id);
	return put_memory(p, c->id, c->extractor, c->kind, c->key, c->slot, c->scope,
			  c->status, make_cand, &a, reviewed) < 0 ? -1 : 0;
}

/* A memory no candidate speaks for any more. */
static int publish_orphan(struct publish *p, struct existing *e)
{
	struct curator *cu = p->cu;
	const struct review_state *rv = review_for(cu, e->id);
	struct old_arg a = { e->snapshot, e->status, NULL, rv };
	struct db_stmt *st;
	char *kind = NULL, *slot = NULL, reason[128];
	int ret = -1;

	/*
	 * No evidence speaks for it now. Standing decisions still hold: a
	 * rejection, a pin, an acceptance of what was held back, an edit.
	 * Anything else that was live is retired.
	 */
	if (rv && rv->verdict && !strcmp(rv->verdict, "reject")) {
		a.status = "rejected";
		snprintf(reason, sizeof(reason), "rejected by %s", rv->last_actor);
	} else if (rv && rv->pinned) {
		a.status = "pinned";
		snprintf(reason, sizeof(reason), "pinned by %s", rv->last_actor);
	} else if (rv && rv->verdict && !strcmp(rv->verdict, "accept") &&
		   (!strcmp(e->status, "candidate") || !strcmp(e->status, "quarantined") ||
		    !strcmp(e->status, "rejected"))) {
		a.status = "active";
		snprintf(reason, sizeof(reason), "accepted by %s", rv->last_actor);
	} else if (strcmp(e->status, "retired")) {
		a.status = "retired";
		snprintf(reason, sizeof(reason), "no longer supported by the evidence");
	} else {
		reason[0] = '\0';
	}
	if (strcmp(a.status, e->status))
		a.reason = reason;
	st = db_prepare(cu->db, "SELECT kind, slot FROM memories WHERE id = :id");
	if (!st || db_bind_text(st, ":id", e->id) || db_step(st) != 1) {
		db_done(st);
		return -1;
	}
	kind = xstrdup(col(st, 0));
	slot = col(st, 1) ? xstrdup(col(st, 1)) : NULL;
	db_done(st);
	ret = put_memory(p, e->id, e->extractor, kind, e->key, slot, e_scope(e), a.status,
			 make_old, &a, p->review_id && !strcmp(p->review_id, e->id)) < 0 ? -1 : 0;
	free(kind);
	free(slot);
	return ret;
}

int publish_generation(struct db *db, int64_t gen, int64_t run, const char *summary)
{
	struct db_stmt *st;

	st = db_prepare(db, "INSERT INTO generations (gen, run, published_at, summary)"
			" VALUES (:gen, :run, :at, :summary)");
	if (!st || db_bind_int(st, ":gen", gen) || db_bind_int(st, ":run", run) ||
	    db_bind_int(st, ":at", now_ms()) || db_bind_text(st, ":summary", summary) ||
	    db_run(st) < 0)
		return -1;
	st = db_prepare(db, "INSERT INTO generation_members (gen, memory_id, version)"
			" SELECT :gen, id, version FROM memories");
	if (!st || db_bind_int(st, ":gen", gen) || db_run(st) < 0)
		return -1;
	return 0;
}

void curate_stats_format(const struct curate_stats *st, char *buf, size_t len)
{
	snprintf(buf, len, "%d added, %d changed, %d retired, %d restored, %d reviewed;"
		 " %d active of %d", st->added, st->updated, st->retired, st->restored,
		 st->reviewed, st->active, st->total);
}

static void curator_release(struct curator *cu)
{
	size_t i;

	for (i = 0; i < cu->nc; i++)
		cand_release(&cu->c[i]);
	free(cu->c);
	for (i = 0; i < cu->nex; i++) {
		free(cu->ex[i].id);
		free(cu->ex[i].status);
		free(cu->ex[i].snapshot);
		free(cu->ex[i].extractor);
		free(cu->ex[i].key);
		free(cu->ex[i].scope);
	}
	free(cu->ex);
	free(cu->ex_by_key);
	strset_release(&cu->taken);
	for (i = 0; i < cu->nrv; i++)
		review_state_release(&cu->rv[i]);
	free(cu->rv);
	poison_free(cu->poison);
	for (i = 0; i < cu->nscopes; i++)
		free(cu->scopes[i].scope);
	free(cu->scopes);
	for (i = 0; i < cu->nruns; i++)
		free(cu->runs[i].id);
	free(cu->runs);
	strpool_release(&cu->names);
	free(cu->steps);
	free(cu->run_of);
}

int curate_publish(struct db *db, const struct config *cfg, int64_t run_id,
		   const char *actor, const char *reason, const char *review_id,
		   struct curate_stats *stats, int64_t *gen)
{
	struct curator cu = { .db = db, .cfg = cfg, .run = run_id };
	struct publish p = { &cu, actor, reason, review_id, 0, stats };
	int changes;
	size_t i;
	int ret = -1;

	memset(stats, 0, sizeof(*stats));
	*gen = 0;
	if (poison_load(cfg, &cu.poison) < 0 || load_existing(&cu) < 0 || load_reviews(&cu) < 0 ||
	    load_scope_counts(&cu) < 0 || load_session_runs(&cu) < 0 ||
	    load_candidates(&cu) < 0)
		goto cleanup;
	merge_near_duplicates(&cu);
	take_workflow_steps(&cu);
	for (i = 0; i < cu.nc; i++) {
		struct cand *c = &cu.c[i];

		if (c->dropped)
			continue;
		assign_id(&cu, c);
		decide_scope(&cu, c);
		decide_fix(c);
		decide_score(&cu, c);
		decide_status(&cu, c);
		gate_workflow_signal(&cu, c);
		describe(c);
		check_poison(&cu, c);
		/*
		 * Below the gates and never seen before: not worth a record.
		 * Workflows below the gates are legion, and never are.
		 */
		if (!c->passes && (c->nsess < 2 || !strcmp(c->kind, "workflow")) &&
		    strcmp(c->kind, "preference") && strcmp(c->status, "quarantined") &&
		    !find_existing(&cu, c->id) && !review_for(&cu, c->id))
			c->dropped = 1;
	}
	keep_maximal_workflows(&cu);
	settle_slots(&cu);

	p.gen = db_int(db, "SELECT coalesce(max(gen), 0) + 1 FROM generations", 1);
	for (i = 0; i < cu.nc; i++) {
		if (cu.c[i].dropped)
			continue;
		if (publish_candidate(&p, &cu.c[i]) < 0)
			goto cleanup;
	}
	for (i = 0; i < cu.nex; i++)
		if (!cu.ex[i].seen && publish_orphan(&p, &cu.ex[i]) < 0)
			goto cleanup;
	stats->active = (int)db_int(db, "SELECT count(*) FROM memories"
				    " WHERE status IN ('active', 'pinned')", 0);
	stats->total = (int)db_int(db, "SELECT count(*) FROM memories", 0);
	changes = stats->added + stats->updated + stats->retired + stats->restored +
		stats->reviewed;
	if (changes) {
		char summary[256];

		curate_stats_format(stats, summary, sizeof(summary));
		if (publish_generation(db, p.gen, run_id, summary) < 0)
			goto cleanup;
		*gen = p.gen;
	}
	ret = 0;
cleanup:
	curator_release(&cu);
	return ret;
}
