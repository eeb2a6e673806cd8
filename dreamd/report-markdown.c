/*
 * report-markdown.c: the diff report as Markdown, to paste into a pull
 * request or a review ticket.
 */
#include <string.h>

#include "dreamd/md.h"
#include "dreamd/report.h"

#define EXCERPTS 3
#define EXCERPT_MAX 120

/* Text on one line with nothing Markdown would take as structure (md.h). */
static void inline_text(struct out *o, const char *t)
{
	if (md_inline(o->sb, t) < 0)
		o->err = 1;
}

static void code(struct out *o, const char *t)
{
	if (md_code(o->sb, t, strlen(t)) < 0)
		o->err = 1;
}

/* "  - NAME: A → B" with both texts rendered for Markdown. */
static void change(struct out *o, const char *name, const char *a, const char *b)
{
	put(o, "  - %s: ", name);
	inline_text(o, or_dash(a));
	put(o, " → ");
	inline_text(o, or_dash(b));
	put(o, "\n");
}

/* "  - NAME: TEXT", TEXT rendered for Markdown. */
static void line(struct out *o, const char *name, const char *text)
{
	put(o, "  - %s", name);
	inline_text(o, or_dash(text));
	put(o, "\n");
}

static void title_line(struct out *o, const struct memory *m)
{
	put(o, "- **");
	inline_text(o, or_dash(m->title));
	put(o, "** ");
	code(o, m->id);
	put(o, " · ");
	inline_text(o, or_dash(memory_kind_name(m->kind)));
	put(o, " · ");
	inline_text(o, or_dash(m->scope));
	put(o, " · ");
	inline_text(o, or_dash(memory_status_name(m->status)));
	put(o, " · score %.2f\n", m->score);
}

static void support(struct out *o, const struct memory *m)
{
	put(o, "  - support: ");
	put_support(o, m);
	if (m->fix_command) {
		put(o, "; fix ");
		code(o, m->fix_command);
		put(o, " worked %lld of %lld", (long long)m->fix_worked, (long long)m->fix_of);
	}
	put(o, "\n");
}

static void evidence(struct out *o, const struct memory *m)
{
	size_t i;

	for (i = 0; i < m->nev && i < EXCERPTS; i++) {
		const struct memory_evidence *e = &m->ev[i];
		struct strbuf ex;

		put(o, "  - ");
		inline_text(o, or_dash(e->at));
		put(o, ", ");
		inline_text(o, or_dash(e->user));
		put(o, ", session ");
		code(o, or_dash(e->session));
		if (e->excerpt) {
			strbuf_init(&ex, 4 * EXCERPT_MAX);
			strbuf_add_excerpt(&ex, e->excerpt, EXCERPT_MAX);
			put(o, ": ");
			code(o, ex.buf);
			strbuf_release(&ex);
		}
		put(o, "\n");
	}
	if (m->nev > EXCERPTS)
		put(o, "  - and %zu more\n", m->nev - EXCERPTS);
}

static void body(struct out *o, const struct memory *m)
{
	if (m->body) {
		put(o, "  - ");
		inline_text(o, m->body);
		put(o, "\n");
	}
}

static void section(struct out *o, enum diff_section s, size_t n)
{
	put(o, "\n### %s (%zu)\n\n", diff_section_titles[s], n);
}

static void added(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	title_line(o, m);
	body(o, m);
	if (m->reason)
		line(o, "why: ", m->reason);
	support(o, m);
	evidence(o, m);
}

/* What changed in the text, before and after. */
static void changed_text(struct out *o, const struct memory *b, const struct memory *a)
{
	if (strcmp(or_dash(b->title), or_dash(a->title))) {
		put(o, "  - title before: ");
		inline_text(o, or_dash(b->title));
		put(o, "\n");
	}
	if (strcmp(or_dash(b->body), or_dash(a->body))) {
		put(o, "  - body before: ");
		inline_text(o, or_dash(b->body));
		put(o, "\n  - body after: ");
		inline_text(o, or_dash(a->body));
		put(o, "\n");
	}
}

static void changed(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *b = e->before, *a = e->after;

	title_line(o, a);
	put(o, "  - changed: ");
	put_what(o, e);
	put(o, " (version %lld → %lld)\n", (long long)b->version, (long long)a->version);
	if (e->what & DIFF_TEXT)
		changed_text(o, b, a);
	if (e->what & DIFF_SCORE)
		put(o, "  - score: %.2f → %.2f\n", b->score, a->score);
	if (e->what & DIFF_SCOPE)
		change(o, "scope", b->scope, a->scope);
	if (e->what & DIFF_STATUS)
		change(o, "status", memory_status_name(b->status), memory_status_name(a->status));
	if (e->what & DIFF_SUPPORT)
		put(o, "  - sessions: %lld → %lld, users: %lld → %lld\n",
		    (long long)b->sessions, (long long)a->sessions,
		    (long long)b->users, (long long)a->users);
	if (a->reason)
		line(o, "why: ", a->reason);
	support(o, a);
	evidence(o, a);
}

static void retired(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after ? e->after : e->before;

	title_line(o, m);
	if (!e->after)
		put(o, "  - gone from generation %lld\n", (long long)d->to.gen);
	else
		change(o, "status", memory_status_name(e->before->status),
		       memory_status_name(m->status));
	if (m->reason)
		line(o, "why: ", m->reason);
	if (m->superseded_by) {
		put(o, "  - superseded by ");
		code(o, m->superseded_by);
		put(o, "\n");
	}
	support(o, m);
}

static void quarantined(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	title_line(o, m);
	line(o, "matched: ", m->reason);
	support(o, m);
}

static void conflict(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	title_line(o, m);
	put(o, "  - conflicts with ");
	code(o, or_dash(m->conflict_with));
	put(o, "\n");
	support(o, m);
	evidence(o, m);
}

static void recurring(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;
	char phrase[96];

	mem_effectiveness_phrase(m, phrase);
	title_line(o, m);
	put(o, "  - effectiveness: %s\n", phrase);
	evidence(o, m);
}

static const struct diff_writer markdown_writer = {
	.section = section,
	.entry = {
		[DIFF_SEC_ADDED] = added,
		[DIFF_SEC_CHANGED] = changed,
		[DIFF_SEC_RETIRED] = retired,
		[DIFF_SEC_QUARANTINED] = quarantined,
		[DIFF_SEC_CONFLICTS] = conflict,
		[DIFF_SEC_RECURRING] = recurring,
	},
};

int report_diff_markdown(struct strbuf *sb, const struct diff *d)
{
	struct out o = { .sb = sb };
	char when[32] = "-";

	if (d->to.gen)
		format_iso8601(d->to.published_at, when);
	put(&o, "## dreamd memory diff: generation %lld → %lld\n\n",
	    (long long)d->from.gen, (long long)d->to.gen);
	put(&o, "Generation %lld was published %s.\n\n", (long long)d->to.gen, when);
	put(&o, "| added | changed | retired | quarantined | unchanged | conflicts | recurring |\n");
	put(&o, "|---:|---:|---:|---:|---:|---:|---:|\n");
	put(&o, "| %zu | %zu | %zu | %zu | %zu | %zu | %zu |\n", d->nadded, d->nchanged,
	    d->nretired, d->nquarantined, d->unchanged, d->nconflicts, d->nrecurring);
	diff_walk(&o, d, &markdown_writer);
	return o.err ? -1 : 0;
}
