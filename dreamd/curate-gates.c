/*
 * curate-gates.c: a candidate's status: the gates and decay, poison, what
 * is worth a record, and the reviewers' standing decisions; see
 * curate-policy.h.
 */
#include "dreamd/curate-policy.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/poison.h"
#include "dreamd/unicode.h"
#include "store/review.h"

/* How many sessions the store holds in a scope. */
static int64_t scope_sessions(const struct policy *p, const char *scope)
{
	const struct curate_scope *hit = policy_scope(p, scope);

	return hit ? hit->sessions : 0;
}

/*
 * Is a mistake's signature only a hook's tags ("[CREDO]", "[DIALYZER] ")?
 * A tag names the hook that failed, not what failed: no words outside
 * brackets, no signature.
 */
static int tag_only(const struct cand *c)
{
	const char *s = c->detail, *arrow;
	int depth = 0, tags = 0;

	if (c->kind != MEMORY_MISTAKE)
		return 0;
	if (!s && c->key && (arrow = strstr(c->key, " => ")))
		s = arrow + 4;
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '[')
			depth++;
		else if (ch == ']' && depth)
			tags += !--depth;
		else if (!depth && (ch >= 0x80 || (ch >= '0' && ch <= '9') ||
				    ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')))
			return 0;
	}
	return tags > 0;
}

/* A failing call's fix must have worked in this share of its sessions. */
#define FIX_MIN_SHARE (1.0 / 3)

void decide_status(const struct policy *p, struct cand *c)
{
	const struct config *cfg = p->cfg;
	int64_t exposed = cand_exposure(p, c);
	int was_published = memory_status_live(c->stored) || c->stored == MEMORY_RETIRED;
	int converging = c->kind != MEMORY_WORKFLOW || c->users.n >= 2 || c->agents.n >= 2;
	int64_t in_scope;

	c->passes = 0;
	if (tag_only(c)) {
		/* first: however many sessions it gathers, it can never pass */
		c->reason = xstrdup("a hook's tag alone is not a signature");
	} else if ((int)c->nsess < cfg->min_sessions) {
		c->reason = xasprintf("%zu of %d sessions needed", c->nsess, cfg->min_sessions);
	} else if (!strcmp(c->scope, "team") && (int)c->users.n < cfg->min_users_team) {
		c->reason = xasprintf("%zu of %d users needed for team scope", c->users.n,
				      cfg->min_users_team);
	} else if (!converging) {
		c->reason = xstrdup("one user and one agent: not converging");
	} else if (c->kind == MEMORY_WORKFLOW &&
		   (double)c->nsess < cfg->workflow_min_share * (double)(in_scope =
				scope_sessions(p, c->scope))) {
		c->reason = xasprintf("in %zu of %lld sessions of its scope, under %.0f%%",
				      c->nsess, (long long)in_scope,
				      cfg->workflow_min_share * 100);
	} else if (exposed > cfg->retire_after_sessions) {
		c->reason = xasprintf("not seen again in %lld sessions where it could have recurred",
				      (long long)exposed);
	} else if (c->score < cfg->min_score) {
		c->reason = xasprintf("score %.2f below %.2f", c->score, cfg->min_score);
	} else if (c->kind == MEMORY_MISTAKE && (!strcmp(c->extractor, "failing-calls") ||
						  !strcmp(c->extractor, "tool-misuse")) &&
		   !(c->fix && c->fix_worked > 0)) {
		/* a failed call with no fix advises nothing but "read the error" */
		c->reason = xstrdup("no fix seen: nothing to advise but the error");
	} else if (c->kind == MEMORY_MISTAKE && !strcmp(c->extractor, "failing-calls") &&
		   (double)c->fix_worked < FIX_MIN_SHARE * (double)c->nsess) {
		/* what followed the failure now and then is happenstance, not its fix */
		c->reason = xasprintf("its fix worked in only %d of %zu sessions", c->fix_worked,
				      c->nsess);
	} else {
		c->passes = 1;
		c->status = MEMORY_ACTIVE;
		c->reason = xasprintf("%zu sessions, %zu users: above the gates", c->nsess,
				      c->users.n);
		return;
	}
	/* Decay: what was published and no longer passes is retired, not deleted. */
	c->status = was_published ? MEMORY_RETIRED : MEMORY_CANDIDATE;
	c->decayed = was_published;
}

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
void check_poison(const struct policy *p, struct cand *c)
{
	int output = !strcmp(c->extractor, "failing-calls") ||
		!strcmp(c->extractor, "tool-misuse") || !strcmp(c->extractor, "thrashing");
	struct poison_text t[6 + MAX_EVIDENCE] = {
		{ c->title, POISON_PROSE }, { c->body, POISON_PROSE },
		{ c->kind != MEMORY_PREFERENCE ? c->key : NULL, POISON_PROSE },
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
	if (!poison_judge(p->poison, t, n, &hit))
		return;
	for (m = hit.match; *m; m++)
		if ((unsigned char)*m < ' ' || *m == '`')
			*m = ' ';
	c->status = MEMORY_QUARANTINED;
	free(c->reason);
	c->reason = xasprintf("quarantined: %s (rule %s matched \"%s\")", hit.label,
			      hit.rule, hit.match);
	free(hit.match);
	c->passes = 0;
}

/*
 * Below the gates and never seen before: not worth a record. Workflows
 * below the gates are legion, and never are.
 */
int cand_worth_record(const struct cand *c)
{
	return c->passes || (c->nsess >= 2 && c->kind != MEMORY_WORKFLOW) ||
		c->kind == MEMORY_PREFERENCE || c->status == MEMORY_QUARANTINED ||
		c->stored || c->review;
}

int apply_review(struct cand *c)
{
	const struct review_state *rv = c->review;

	if (!rv)
		return 0;
	if (rv->title)
		set_str(&c->title, rv->title);
	if (rv->body)
		set_str(&c->body, rv->body);
	if (rv->verdict == REVIEW_REJECT) {
		c->status = MEMORY_REJECTED;
		free(c->reason);
		c->reason = xasprintf("rejected by %s", rv->last_actor);
		return 0;
	}
	if (rv->pinned) {
		if (c->stored == MEMORY_PINNED)
			return 1;
		c->status = MEMORY_PINNED;
		free(c->reason);
		c->reason = xasprintf("pinned by %s", rv->last_actor);
		return 0;
	}
	/*
	 * An acceptance holds what the gates hold back, for as long as it
	 * stands: a candidate, a quarantined memory, and one the gates would
	 * retire (the acceptance published it; it may not decay under it).
	 */
	if (rv->verdict == REVIEW_ACCEPT &&
	    (c->status == MEMORY_CANDIDATE || c->status == MEMORY_QUARANTINED || c->decayed)) {
		c->status = MEMORY_ACTIVE;
		free(c->reason);
		c->reason = xasprintf("accepted by %s", rv->last_actor);
	}
	return 0;
}

