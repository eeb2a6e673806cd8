/*
 * export.c: choosing, budgeting and rendering the memories agents load.
 */
#include "dreamd/export.h"
#include "dreamd/export-write.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/md.h"
#include "dreamd/names.h"
#include "dreamd/worktree.h"
#include "store/db.h"

#define ENTRY_MAX (64u << 10)

static const char *const kinds[] = { "mistake", "workflow", "preference" };
#define NKINDS 3

static int kind_rank(const char *kind)
{
	int i;

	for (i = 0; i < NKINDS; i++)
		if (kind && !strcmp(kind, kinds[i]))
			return i;
	return NKINDS;
}

static const char *str(const char *s)
{
	return s ? s : "";
}

static int is_pinned(const struct memory *m)
{
	return m->status == MEMORY_PINNED;
}

/* Kind, then score descending, then id (the output order). */
static int cmp_output(const void *a, const void *b)
{
	const struct memory *x = *(const struct memory *const *)a;
	const struct memory *y = *(const struct memory *const *)b;
	const char *xk = memory_kind_name(x->kind), *yk = memory_kind_name(y->kind);
	int kx = kind_rank(xk), ky = kind_rank(yk), c;

	if (kx != ky)
		return kx < ky ? -1 : 1;
	if (kx == NKINDS && (c = strcmp(str(xk), str(yk))))
		return c;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int cmp_id(const void *a, const void *b)
{
	const struct memory *x = *(const struct memory *const *)a;
	const struct memory *y = *(const struct memory *const *)b;

	return strcmp(x->id, y->id);
}

int export_scope_matches(const char *scope, const char *cwd, const char *user)
{
	size_t n;

	if (!scope)
		return 0;
	if (!strcmp(scope, "team"))
		return 1;
	if (!strncmp(scope, "user:", 5))
		return user && !strcmp(scope + 5, user);
	if (strncmp(scope, "project:", 8) || !cwd || !name_is_project(scope + 8))
		return 0;
	scope += 8;
	n = strlen(scope);
	while (n > 1 && scope[n - 1] == '/')
		n--;
	return !strncmp(cwd, scope, n) && (cwd[n] == '\0' || cwd[n] == '/');
}

/* Supported by enough users, or by the user's own sessions (export.h). */
static int trusted(const struct memory *m, const struct export_opts *o)
{
	size_t i;

	if (m->users >= o->min_users)
		return 1;
	if (!o->user)
		return 0;
	if (m->scope && !strncmp(m->scope, "user:", 5) && !strcmp(m->scope + 5, o->user))
		return 1;
	for (i = 0; i < m->nev; i++)
		if (m->ev[i].user && !strcmp(m->ev[i].user, o->user))
			return 1;
	return 0;
}

/* repo: o->cwd as its repository's main checkout names it (worktree.h), or NULL. */
static int wanted(const struct memory *m, const struct export_opts *o, const char *repo)
{
	size_t i;

	if (!o->all && !memory_status_live(m->status))
		return 0;
	if (o->nscopes) {
		for (i = 0; i < o->nscopes; i++)
			if (m->scope && !strcmp(m->scope, o->scopes[i]))
				return 1;
		return 0;
	}
	if (o->cwd)
		return (export_scope_matches(m->scope, o->cwd, o->user) ||
			(repo && export_scope_matches(m->scope, repo, o->user))) &&
			(o->all || trusted(m, o));
	return 1;
}

/*
 * One memory as a Markdown list item on one line (md.h), newline included.
 * A body that already says the title ("When `npm test` fails with X, ...")
 * goes alone: the budget pays for it once. A preference in conflict with
 * another says so, naming it.
 */
static int entry_markdown(struct strbuf *sb, const struct memory *m)
{
	int says_title = m->body && m->title && *m->title && strstr(m->body, m->title);
	int r = strbuf_addstr(sb, "- ");

	if (!says_title) {
		r |= strbuf_addstr(sb, "**");
		r |= md_inline(sb, str(m->title));
		r |= strbuf_addstr(sb, "**");
	}
	if (m->body) {
		if (!says_title)
			r |= strbuf_addstr(sb, ": ");
		r |= md_inline(sb, m->body);
	}
	/* a preference another one contradicts: the agent asks before acting on it */
	if (m->conflict_with) {
		r |= strbuf_addstr(sb, " Conflicts with ");
		r |= md_inline(sb, m->conflict_with);
		r |= strbuf_addstr(sb, ": ask the user which holds.");
	}
	r |= strbuf_addstr(sb, " (");
	r |= md_inline(sb, m->id);
	r |= strbuf_addstr(sb, ", ");
	r |= md_inline(sb, str(m->scope));
	r |= strbuf_addstr(sb, ")\n");
	return r ? -1 : 0;
}

static int64_t cost(const struct memory *m, const struct export_opts *o)
{
	struct strbuf sb;
	int64_t n;

	if (o->format == EXPORT_JSON)
		return (int64_t)strlen(m->json) + 4;
	strbuf_init(&sb, ENTRY_MAX);
	n = entry_markdown(&sb, m) < 0 ? INT64_MAX / 4 : (int64_t)sb.len;
	strbuf_release(&sb);
	return n;
}

/* The budget fill described in export.h. */
static void fill(struct export_set *set, const struct memory **cand, size_t n,
		 const struct export_opts *o)
{
	const struct memory **bykind[NKINDS + 1];
	size_t nk[NKINDS + 1] = { 0 }, pos[NKINDS + 1] = { 0 }, i;
	int64_t left = o->budget_bytes;
	int k, more;

	for (k = 0; k <= NKINDS; k++)
		bykind[k] = xcalloc(n ? n : 1, sizeof(*bykind[k]));
	for (i = 0; i < n; i++) {
		if (is_pinned(cand[i])) {
			int64_t c = cost(cand[i], o);

			if (c <= left) {
				left -= c;
				set->mems[set->nmems++] = cand[i];
			} else {
				set->left[set->nleft++] = cand[i];
			}
			continue;
		}
		k = kind_rank(memory_kind_name(cand[i]->kind));
		bykind[k][nk[k]++] = cand[i];
	}
	do {
		more = 0;
		for (k = 0; k <= NKINDS; k++) {
			const struct memory *m;
			int64_t c;

			if (pos[k] == nk[k])
				continue;
			m = bykind[k][pos[k]++];
			more = 1;
			c = cost(m, o);
			if (c <= left) {
				left -= c;
				set->mems[set->nmems++] = m;
			} else {
				set->left[set->nleft++] = m;
			}
		}
	} while (more);
	for (k = 0; k <= NKINDS; k++)
		free(bykind[k]);
}

/* Pinned first, then score descending, then id: the fill's order in a kind. */
static int cmp_fill(const void *a, const void *b)
{
	const struct memory *x = *(const struct memory *const *)a;
	const struct memory *y = *(const struct memory *const *)b;

	if (is_pinned(x) != is_pinned(y))
		return is_pinned(x) ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->id, y->id);
}

int export_select(struct db *db, const struct export_opts *o, struct export_set *set)
{
	const struct memory **cand;
	/* a session in a git worktree loads its repository's project */
	char *repo = o->cwd ? worktree_project(o->cwd) : NULL;
	int64_t cur;
	size_t i, n = 0;

	memset(set, 0, sizeof(*set));
	if (generation_current(db, &cur) < 0 || generation_load(db, cur, &set->gen) < 0) {
		free(repo);
		return -1;
	}
	cand = xcalloc(set->gen.nmems ? set->gen.nmems : 1, sizeof(*cand));
	set->mems = xcalloc(set->gen.nmems ? set->gen.nmems : 1, sizeof(*set->mems));
	set->left = xcalloc(set->gen.nmems ? set->gen.nmems : 1, sizeof(*set->left));
	for (i = 0; i < set->gen.nmems; i++)
		if (wanted(&set->gen.mems[i], o, repo))
			cand[n++] = &set->gen.mems[i];
	if (o->budget_bytes > 0) {
		qsort(cand, n, sizeof(*cand), cmp_fill);
		fill(set, cand, n, o);
	} else {
		memcpy(set->mems, cand, n * sizeof(*cand));
		set->nmems = n;
	}
	qsort(set->mems, set->nmems, sizeof(*set->mems), cmp_output);
	qsort(set->left, set->nleft, sizeof(*set->left), cmp_id);
	free(cand);
	free(repo);
	return 0;
}

void export_set_release(struct export_set *set)
{
	free(set->mems);
	free(set->left);
	generation_release(&set->gen);
	memset(set, 0, sizeof(*set));
}

static const char *kind_heading(const char *kind)
{
	switch (kind_rank(kind)) {
	case 0: return "Mistakes to avoid";
	case 1: return "Workflows";
	case 2: return "Preferences";
	default: return NULL;
	}
}

static int budget_phrase(struct strbuf *sb, const struct export_opts *o)
{
	if (o->budget_tokens)
		return strbuf_addf(sb, "%lld tokens", (long long)o->budget_tokens);
	return strbuf_addf(sb, "%lld bytes", (long long)o->budget_bytes);
}

/* The block's text between the markers. */
static int render_inner(struct strbuf *sb, const struct export_set *set,
			const struct export_opts *o)
{
	const char *last = NULL;
	char when[32] = "never";
	size_t i;
	int r = 0, first = 1;

	if (set->gen.gen)
		format_iso8601(set->gen.published_at, when);
	r |= strbuf_addstr(sb, "## Lessons from past sessions\n\n");
	r |= strbuf_addf(sb, "_Written by dreamd from generation %lld, published %s; "
			 "change them with `dreamd review`, not here._\n",
			 (long long)set->gen.gen, when);
	if (!set->nmems)
		r |= strbuf_addstr(sb, "\n_No memories to load yet._\n");
	for (i = 0; i < set->nmems; i++) {
		const struct memory *m = set->mems[i];
		const char *kind = str(memory_kind_name(m->kind));

		if (first || strcmp(kind, last)) {
			const char *h = kind_heading(kind);

			r |= strbuf_addstr(sb, "\n### ");
			r |= md_inline(sb, h ? h : kind);
			r |= strbuf_addstr(sb, "\n\n");
			last = kind;
			first = 0;
		}
		r |= entry_markdown(sb, m);
	}
	if (set->nleft) {
		r |= strbuf_addf(sb, "\n_Left out for the budget of ");
		r |= budget_phrase(sb, o);
		r |= strbuf_addf(sb, ": %zu %s (", set->nleft,
				 set->nleft == 1 ? "memory" : "memories");
		for (i = 0; i < set->nleft; i++)
			r |= strbuf_addstr(sb, i ? ", " : "") | md_inline(sb, set->left[i]->id);
		r |= strbuf_addstr(sb, "); read one with `dreamd show ID`._\n");
	}
	return r ? -1 : 0;
}

static int render_json(struct strbuf *sb, const struct export_set *set)
{
	char when[32];
	size_t i;
	int r = 0;

	r |= strbuf_addf(sb, "{\"generation\": %lld, ", (long long)set->gen.gen);
	if (set->gen.gen) {
		format_iso8601(set->gen.published_at, when);
		r |= strbuf_addf(sb, "\"published_at\": \"%s\",", when);
	} else {
		r |= strbuf_addstr(sb, "\"published_at\": null,");
	}
	r |= strbuf_addstr(sb, "\n \"memories\": [");
	for (i = 0; i < set->nmems; i++) {
		r |= strbuf_addstr(sb, i ? ",\n  " : "\n  ");
		r |= strbuf_addstr(sb, set->mems[i]->json);
	}
	r |= strbuf_addstr(sb, "],\n \"left_out\": [");
	for (i = 0; i < set->nleft; i++) {
		r |= strbuf_addstr(sb, i ? ", " : "");
		r |= strbuf_add_json(sb, set->left[i]->id, strlen(set->left[i]->id));
	}
	r |= strbuf_addstr(sb, "]}\n");
	return r ? -1 : 0;
}

int export_render(struct strbuf *out, const struct export_set *set,
		  const struct export_opts *o)
{
	struct strbuf inner;
	int r = 0;

	if (o->format == EXPORT_JSON)
		return render_json(out, set);
	strbuf_init(&inner, out->max);
	if (render_inner(&inner, set, o) < 0) {
		strbuf_release(&inner);
		return -1;
	}
	if (o->format == EXPORT_MARKDOWN) {
		r |= strbuf_addstr(out, EXPORT_BEGIN "\n");
		r |= strbuf_add(out, inner.buf, inner.len);
		r |= strbuf_addstr(out, EXPORT_END "\n");
	} else {
		r |= strbuf_addstr(out, "{\"hookSpecificOutput\": {\"hookEventName\": "
				   "\"SessionStart\", \"additionalContext\": ");
		r |= strbuf_add_json(out, inner.buf, inner.len);
		r |= strbuf_addstr(out, "}}\n");
	}
	strbuf_release(&inner);
	return r ? -1 : 0;
}
