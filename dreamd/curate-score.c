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
	struct curate_scope key = { (char *)scope, 0, 0 };

	if (!p->nscopes)
		return NULL;
	return bsearch(&key, p->scopes, p->nscopes, sizeof(*p->scopes), cmp_scope);
}

/*
 * Days since the candidate was last seen, counted up to the newest session
 * in which it could have recurred: one in its projects with its agents
 * (its scope's newest when it has no project). A project nobody worked on
 * for a month, or one agent's sessions elsewhere, make it forget nothing;
 * the wall clock never enters (same store, same scores).
 */
double cand_age_days(const struct policy *p, const struct cand *c)
{
	const struct curate_scope *hit = NULL;
	int64_t newest = 0;
	size_t i, j;
	double d;

	for (i = 0; i < c->projects.n; i++)
		for (j = 0; j < c->agents.n; j++) {
			char *key = xasprintf("exposure:%s\x1f%s", c->projects.v[i], c->agents.v[j]);

			hit = policy_scope(p, key);
			free(key);
			if (hit && hit->newest > newest)
				newest = hit->newest;
		}
	if (!newest) {
		hit = policy_scope(p, c->scope);
		newest = hit ? hit->newest : c->last_seen;
	}
	d = (double)(newest - c->last_seen) / DAY_MS;
	return d > 0 ? d : 0;
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

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
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

void decide_score(const struct policy *p, struct cand *c)
{
	const struct config *cfg = p->cfg;
	double age = cand_age_days(p, c);
	double fix_rate = 1, s;

	if (c->kind == MEMORY_MISTAKE)
		fix_rate = c->fix ? (double)c->fix_worked / (double)c->nsess : 0.5;
	else if (c->kind == MEMORY_WORKFLOW)
		fix_rate = (double)c->nsucceeded / (double)c->nsess;
	s = cfg->w_sessions * (1 - exp(-(double)c->nsess / cfg->min_sessions)) +
		cfg->w_users * (1 - exp(-((double)c->users.n - 1) / 2)) +
		cfg->w_recency * pow(0.5, age / cfg->half_life_days) +
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

void decide_effect(const struct cand *c, int64_t pub, int before, int after,
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
}
