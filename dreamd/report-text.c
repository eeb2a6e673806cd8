/*
 * report-text.c: the diff report for a terminal, coloured only on request
 * (report_want_color).
 */
#include <string.h>

#include "dreamd/report.h"

#define EXCERPTS 3
#define EXCERPT_MAX 100

static void paint(struct out *o, const char *code)
{
	if (o->color)
		put(o, "\033[%sm", code);
}

static void support_line(struct out *o, const struct memory *m)
{
	put(o, "    support: ");
	put_support(o, m);
	if (m->fix_command)
		put(o, "; fix `%s` worked %lld of %lld", m->fix_command,
		    (long long)m->fix_worked, (long long)m->fix_of);
	put(o, "\n");
}

static void evidence_lines(struct out *o, const struct memory *m)
{
	size_t i;

	for (i = 0; i < m->nev && i < EXCERPTS; i++) {
		const struct memory_evidence *e = &m->ev[i];

		put(o, "    evidence: %s %s session %s", or_dash(e->at), or_dash(e->user), or_dash(e->session));
		if (e->excerpt) {
			put(o, ": \"");
			if (strbuf_add_excerpt(o->sb, e->excerpt, EXCERPT_MAX) < 0)
				o->err = 1;
			put(o, "\"");
		}
		put(o, "\n");
	}
	if (m->nev > EXCERPTS)
		put(o, "    evidence: and %zu more\n", m->nev - EXCERPTS);
}

static void head_line(struct out *o, char mark, const char *code, const struct memory *m)
{
	paint(o, code);
	put(o, "  %c %s", mark, m->id);
	paint(o, "0");
	put(o, " %s %s %s score %.2f\n", or_dash(memory_kind_name(m->kind)), or_dash(m->scope), or_dash(memory_status_name(m->status)), m->score);
	put(o, "    %s\n", or_dash(m->title));
}

static void full(struct out *o, char mark, const char *code, const struct memory *m)
{
	head_line(o, mark, code, m);
	if (m->body)
		put(o, "    %s\n", m->body);
	if (m->reason)
		put(o, "    reason: %s\n", m->reason);
	support_line(o, m);
	evidence_lines(o, m);
}

static void section(struct out *o, const char *name, size_t n)
{
	put(o, "\n");
	paint(o, "1");
	put(o, "%s (%zu)", name, n);
	paint(o, "0");
	put(o, "\n");
}

static void section_head(struct out *o, enum diff_section s, size_t n)
{
	static const char *const names[DIFF_NSECTIONS] = {
		[DIFF_SEC_ADDED] = "added",
		[DIFF_SEC_CHANGED] = "changed",
		[DIFF_SEC_RETIRED] = "retired and superseded",
		[DIFF_SEC_QUARANTINED] = "quarantined",
		[DIFF_SEC_CONFLICTS] = "conflicts",
		[DIFF_SEC_RECURRING] = "effectiveness: still recurring after publication",
	};

	section(o, names[s], n);
}

static void added(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	full(o, '+', "32", e->after);
}

static void changed(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *b = e->before, *a = e->after;

	head_line(o, '~', "33", a);
	put(o, "    changed: ");
	put_what(o, e);
	put(o, " (version %lld -> %lld)\n", (long long)b->version, (long long)a->version);
	if (e->what & DIFF_TEXT) {
		if (strcmp(or_dash(b->title), or_dash(a->title))) {
			paint(o, "31");
			put(o, "    - title: %s\n", or_dash(b->title));
			paint(o, "32");
			put(o, "    + title: %s\n", or_dash(a->title));
			paint(o, "0");
		}
		if (strcmp(or_dash(b->body), or_dash(a->body))) {
			paint(o, "31");
			put(o, "    - body: %s\n", or_dash(b->body));
			paint(o, "32");
			put(o, "    + body: %s\n", or_dash(a->body));
			paint(o, "0");
		}
	}
	if (e->what & DIFF_SCORE)
		put(o, "    score: %.2f -> %.2f\n", b->score, a->score);
	if (e->what & DIFF_SCOPE)
		put(o, "    scope: %s -> %s\n", or_dash(b->scope), or_dash(a->scope));
	if (e->what & DIFF_STATUS)
		put(o, "    status: %s -> %s\n", or_dash(memory_status_name(b->status)),
		    or_dash(memory_status_name(a->status)));
	if (e->what & DIFF_SUPPORT)
		put(o, "    sessions: %lld -> %lld, users: %lld -> %lld\n",
		    (long long)b->sessions, (long long)a->sessions,
		    (long long)b->users, (long long)a->users);
	if (a->reason)
		put(o, "    reason: %s\n", a->reason);
	support_line(o, a);
	evidence_lines(o, a);
}

static void retired(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after ? e->after : e->before;

	head_line(o, '-', "31", m);
	if (!e->after)
		put(o, "    gone from generation %lld\n", (long long)d->to.gen);
	else
		put(o, "    status: %s -> %s\n", or_dash(memory_status_name(e->before->status)),
		    or_dash(memory_status_name(m->status)));
	if (m->reason)
		put(o, "    why: %s\n", m->reason);
	if (m->superseded_by)
		put(o, "    superseded by: %s\n", m->superseded_by);
	support_line(o, m);
}

static void quarantined(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	head_line(o, '!', "35", m);
	put(o, "    matched: %s\n", or_dash(m->reason));
	support_line(o, m);
}

static void conflict(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;
	const struct memory *w = generation_find(&d->to, m->conflict_with);

	head_line(o, '?', "36", m);
	put(o, "    conflicts with: %s", m->conflict_with);
	if (w)
		put(o, " (%s)", or_dash(w->title));
	put(o, "\n");
	support_line(o, m);
	evidence_lines(o, m);
}

static void recurring(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;
	char phrase[96];

	mem_effectiveness_phrase(m, phrase);
	head_line(o, '!', "31", m);
	put(o, "    effectiveness: %s\n", phrase);
	evidence_lines(o, m);
}

static const struct diff_writer text_writer = {
	.section = section_head,
	.entry = {
		[DIFF_SEC_ADDED] = added,
		[DIFF_SEC_CHANGED] = changed,
		[DIFF_SEC_RETIRED] = retired,
		[DIFF_SEC_QUARANTINED] = quarantined,
		[DIFF_SEC_CONFLICTS] = conflict,
		[DIFF_SEC_RECURRING] = recurring,
	},
};

int report_diff_text(struct strbuf *sb, const struct diff *d, int color)
{
	struct out o = { .sb = sb, .color = color };
	char when[32] = "-";

	if (d->to.gen)
		format_iso8601(d->to.published_at, when);
	paint(&o, "1");
	put(&o, "dreamd diff: generation %lld -> %lld", (long long)d->from.gen,
	    (long long)d->to.gen);
	paint(&o, "0");
	put(&o, " (published %s)\n", when);
	put(&o, "summary: %zu added, %zu changed, %zu retired, %zu quarantined, "
	    "%zu unchanged; %zu conflicts, %zu recurring\n",
	    d->nadded, d->nchanged, d->nretired, d->nquarantined, d->unchanged,
	    d->nconflicts, d->nrecurring);
	diff_walk(&o, d, &text_writer);
	return o.err ? -1 : 0;
}
