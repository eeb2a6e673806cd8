/*
 * curate-score.c: a candidate's scope, fix and score; see curate-policy.h
 * and curate.h for the formula.
 */
#include "dreamd/curate-policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/names.h"

static int cmp_scope(const void *a, const void *b)
{
	return strcmp(((const struct curate_scope *)a)->scope,
		      ((const struct curate_scope *)b)->scope);
}

const struct curate_scope *policy_scope(const struct policy *p, const char *scope)
{
	struct curate_scope key = { (char *)scope, 0 };

	if (!p->nscopes)
		return NULL;
	return bsearch(&key, p->scopes, p->nscopes, sizeof(*p->scopes), cmp_scope);
}

static int cmp_exposure(const void *a, const void *b)
{
	const struct exposure *x = a, *y = b;
	int c = strcmp(x->project, y->project);

	return c ? c : strcmp(x->agent, y->agent);
}

/* How many of project's sessions with agent started after ts. */
static int64_t exposed_after(const struct policy *p, const char *project, const char *agent,
			     int64_t ts)
{
	struct exposure key = { (char *)project, (char *)agent, NULL, 0 };
	const struct exposure *e;
	size_t lo = 0, hi;

	if (!p->nexposures)
		return 0;
	e = bsearch(&key, p->exposures, p->nexposures, sizeof(*p->exposures), cmp_exposure);
	if (!e)
		return 0;
	for (hi = e->n; lo < hi;) {	/* the first start after ts */
		size_t mid = lo + (hi - lo) / 2;

		if (e->starts[mid] <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int64_t)(e->n - lo);
}

/*
 * Staleness is counted in chances to recur, not in days: the sessions in
 * its projects with its agents since it was last seen. Work elsewhere, or
 * a project nobody touched for a month, make it forget nothing; and the
 * wall clock never enters (same store, same scores).
 */
int64_t cand_exposure(const struct policy *p, const struct cand *c)
{
	int64_t n = 0;
	size_t i, j;

	for (j = 0; j < c->agents.n; j++) {
		if (!c->projects.n)
			n += exposed_after(p, "", c->agents.v[j], c->last_seen);
		for (i = 0; i < c->projects.n; i++)
			n += exposed_after(p, c->projects.v[i], c->agents.v[j], c->last_seen);
	}
	return n;
}

void decide_scope(const struct policy *p, struct cand *c)
{
	if (c->kind == MEMORY_PREFERENCE) {
		if ((int)c->users.n >= p->cfg->min_users_team)
			c->scope = xstrdup("team");
		else
			c->scope = xasprintf("user:%s", c->users.v[0]);
		return;
	}
	if (c->projects.n == 1 && name_is_project(c->projects.v[0]))
		c->scope = xasprintf("project:%s", c->projects.v[0]);
	else if ((int)c->users.n >= p->cfg->min_users_team || !c->users.n)
		c->scope = xstrdup("team");
	else
		c->scope = xasprintf("user:%s", c->users.v[0]);
}

void decide_fix(struct cand *c)
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
	qsort(fix, n, sizeof(*fix), strlist_cmp);
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

void decide_score(const struct policy *p, struct cand *c)
{
	const struct config *cfg = p->cfg;
	double exposed = (double)cand_exposure(p, c);
	double fix_rate = 1, s;

	if (c->kind == MEMORY_MISTAKE)
		fix_rate = c->fix ? (double)c->fix_worked / (double)c->nsess : 0.5;
	else if (c->kind == MEMORY_WORKFLOW)
		fix_rate = (double)c->nsucceeded / (double)c->nsess;
	s = cfg->w_sessions * (1 - exp(-(double)c->nsess / cfg->min_sessions)) +
		cfg->w_users * (1 - exp(-((double)c->users.n - 1) / 2)) +
		cfg->w_recency * pow(0.5, exposed / cfg->half_life_sessions) +
		cfg->w_fix * fix_rate;
	c->score = round2(s);
}

int64_t effect_since(const struct cand *c, int64_t first_pub, int64_t this_run)
{
	if (c->kind != MEMORY_MISTAKE)
		return 0;
	if (first_pub)
		return first_pub;
	/* Published now: by the gates, or by a reviewer's acceptance. */
	return c->passes || memory_status_live(c->status) ? this_run : 0;
}

/* Does the candidate's session si count after publication at run pub? */
static int after_pub(const struct sess_info *si, int64_t pub, int64_t seen)
{
	return si->run > pub && si->last_ts > seen;
}

void decide_effect(const struct cand *c, int64_t pub, int64_t seen, int before, int after,
		   struct effect *ef)
{
	const char *project = NULL, *user = NULL;
	size_t i;

	memset(ef, 0, sizeof(*ef));
	if (!strncmp(c->scope, "project:", 8))
		project = c->scope + 8;
	else if (!strncmp(c->scope, "user:", 5))
		user = c->scope + 5;
	ef->before_sessions = before;
	ef->after_sessions = after;
	for (i = 0; i < c->nsess; i++) {
		if (project && (!c->sess[i].project || strcmp(c->sess[i].project, project)))
			continue;
		if (user && strcmp(c->sess[i].user, user))
			continue;
		if (after_pub(&c->sess[i], pub, seen))
			ef->after_hits++;
		else
			ef->before_hits++;
	}
	/*
	 * Recurring: it still happens in two or more sessions after agents
	 * could load it, at no less than half the rate it had before.
	 */
	ef->recurring = ef->after_hits >= 2 && ef->after_sessions &&
		(double)ef->after_hits / ef->after_sessions >=
		0.5 * (double)ef->before_hits / (ef->before_sessions ? ef->before_sessions : 1);
	ef->present = 1;
}

int effect_evidence(const struct cand *c, int64_t pub, int64_t seen, struct evidence *out)
{
	int i, n = 0;

	for (i = 0; i < c->nrecent; i++) {
		const struct sess_info *si = cand_find_session(c, c->recent[i].session);

		if (si && after_pub(si, pub, seen) && c->recent[i].ts > seen)
			out[n++] = c->recent[i];
	}
	return n;
}
