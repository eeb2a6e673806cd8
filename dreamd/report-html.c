/*
 * report-html.c: the diff report as one self-contained HTML file: inline
 * CSS, inline SVG charts, no script and no external reference, so it opens
 * offline from a mail attachment or a CI artifact.
 */
#include <string.h>

#include "dreamd/report.h"

#define EXCERPTS 3
#define EXCERPT_MAX 160



static void esc(struct out *o, const char *t)
{
	for (; t && *t; t++) {
		switch (*t) {
		case '<': put(o, "&lt;"); break;
		case '>': put(o, "&gt;"); break;
		case '&': put(o, "&amp;"); break;
		case '"': put(o, "&quot;"); break;
		case '\'': put(o, "&#39;"); break;
		default: put(o, "%c", *t); break;
		}
	}
}


static const char css[] =
	"body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;"
	"padding:0 1em;color:#1d2125;background:#fff}"
	"h1{font-size:1.4em}h2{font-size:1.15em;border-bottom:1px solid #ccd;"
	"padding-bottom:.2em;margin-top:2em}"
	"table.sum{border-collapse:collapse}table.sum td,table.sum th{border:1px solid #ccd;"
	"padding:.25em .7em;text-align:right}"
	".mem{border-left:4px solid #99a;padding:.3em .8em;margin:.8em 0;background:#f7f8fa}"
	".added{border-color:#2da44e}.changed{border-color:#bf8700}.retired{border-color:#cf222e}"
	".quarantined{border-color:#8250df}.conflict{border-color:#0969da}"
	".recurring{border-color:#cf222e}"
	".id{font-family:monospace;color:#555}.meta{color:#555;font-size:.9em}"
	".title{font-weight:600}.before{color:#cf222e}.after{color:#1a7f37}"
	"ul.ev{margin:.3em 0;padding-left:1.2em;font-size:.9em}"
	"ul.ev code{white-space:pre-wrap}"
	"svg.spark{vertical-align:middle;margin-left:.5em}"
	"footer{margin-top:3em;color:#777;font-size:.85em}";

/* support.sessions over the last generations, as bars. */
static void spark(struct out *o, const struct diff_entry *e)
{
	int64_t max = 1;
	size_t i;
	const int w = 8, gap = 2, h = 24;

	if (!e->nhist)
		return;
	for (i = 0; i < e->nhist; i++)
		if (e->hist[i] > max)
			max = e->hist[i];
	put(o, "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
	    (int)e->nhist * (w + gap), h + 2, (int)e->nhist * (w + gap), h + 2);
	put(o, "<title>sessions in generations %lld to %lld:", (long long)e->hist_gen[0],
	    (long long)e->hist_gen[e->nhist - 1]);
	for (i = 0; i < e->nhist; i++)
		put(o, " %lld", (long long)e->hist[i]);
	put(o, "</title>");
	for (i = 0; i < e->nhist; i++) {
		int bh = (int)(e->hist[i] * h / max);

		if (e->hist[i] && bh < 1)
			bh = 1;
		put(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>",
		    (int)i * (w + gap), h + 1 - bh, w, bh ? bh : 1,
		    bh ? "#0969da" : "#d0d7de");
	}
	put(o, "</svg>");
}

static void head(struct out *o, const char *cls, const struct diff_entry *e,
		 const struct memory *m)
{
	put(o, "<div class=\"mem %s\" id=\"%s-", cls, cls);
	esc(o, m->id);
	put(o, "\">\n<div><span class=\"title\">");
	esc(o, or_dash(m->title));
	put(o, "</span> <span class=\"id\">");
	esc(o, m->id);
	put(o, "</span></div>\n<div class=\"meta\">");
	esc(o, or_dash(memory_kind_name(m->kind)));
	put(o, " · ");
	esc(o, or_dash(m->scope));
	put(o, " · ");
	esc(o, or_dash(memory_status_name(m->status)));
	put(o, " · score %.2f · ", m->score);
	put_support(o, &(struct memory){ .sessions = m->sessions, .users = m->users,
				      .agents = m->agents, .occurrences = m->occurrences });
	spark(o, e);
	put(o, "</div>\n");
}

static void para(struct out *o, const char *label, const char *text, const char *cls)
{
	if (!text)
		return;
	put(o, "<div%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
	if (label)
		put(o, "%s: ", label);
	esc(o, text);
	put(o, "</div>\n");
}

static void evidence(struct out *o, const struct memory *m)
{
	size_t i;

	if (m->fix_command) {
		put(o, "<div>fix <code>");
		esc(o, m->fix_command);
		put(o, "</code> worked %lld of %lld</div>\n", (long long)m->fix_worked,
		    (long long)m->fix_of);
	}
	if (!m->nev)
		return;
	put(o, "<ul class=\"ev\">\n");
	for (i = 0; i < m->nev && i < EXCERPTS; i++) {
		const struct memory_evidence *e = &m->ev[i];

		put(o, "<li>");
		esc(o, or_dash(e->at));
		put(o, ", ");
		esc(o, or_dash(e->user));
		put(o, ", session <span class=\"id\">");
		esc(o, or_dash(e->session));
		put(o, "</span>");
		if (e->excerpt) {
			struct strbuf ex;

			strbuf_init(&ex, 4 * EXCERPT_MAX);
			strbuf_add_excerpt(&ex, e->excerpt, EXCERPT_MAX);
			put(o, ": <code>");
			esc(o, ex.buf);
			put(o, "</code>");
			strbuf_release(&ex);
		}
		put(o, "</li>\n");
	}
	if (m->nev > EXCERPTS)
		put(o, "<li>and %zu more</li>\n", m->nev - EXCERPTS);
	put(o, "</ul>\n");
}

static void section(struct out *o, enum diff_section s, size_t n)
{
	static const char *const ids[DIFF_NSECTIONS] = {
		[DIFF_SEC_ADDED] = "added",
		[DIFF_SEC_CHANGED] = "changed",
		[DIFF_SEC_RETIRED] = "retired",
		[DIFF_SEC_QUARANTINED] = "quarantined",
		[DIFF_SEC_CONFLICTS] = "conflicts",
		[DIFF_SEC_RECURRING] = "recurring",
	};

	put(o, "<h2 id=\"%s\">%s (%zu)</h2>\n", ids[s], diff_section_titles[s], n);
}

static void added(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	head(o, "added", e, m);
	para(o, NULL, m->body, NULL);
	para(o, "why", m->reason, "meta");
	evidence(o, m);
	put(o, "</div>\n");
}

/* "<div>NAME A → B</div>" with both texts escaped. */
static void change(struct out *o, const char *name, const char *a, const char *b)
{
	put(o, "<div>%s ", name);
	esc(o, or_dash(a));
	put(o, " → ");
	esc(o, or_dash(b));
	put(o, "</div>\n");
}

static void changed(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *b = e->before, *a = e->after;

	head(o, "changed", e, a);
	put(o, "<div class=\"meta\">changed: ");
	put_what(o, e);
	put(o, " (version %lld → %lld)</div>\n", (long long)b->version, (long long)a->version);
	if ((e->what & DIFF_TEXT) && strcmp(or_dash(b->title), or_dash(a->title)))
		para(o, "title before", b->title, "before");
	if ((e->what & DIFF_TEXT) && strcmp(or_dash(b->body), or_dash(a->body))) {
		para(o, "before", b->body, "before");
		para(o, "after", a->body, "after");
	} else {
		para(o, NULL, a->body, NULL);
	}
	if (e->what & DIFF_SCORE)
		put(o, "<div>score %.2f → %.2f</div>\n", b->score, a->score);
	if (e->what & DIFF_SCOPE)
		change(o, "scope", b->scope, a->scope);
	if (e->what & DIFF_STATUS)
		change(o, "status", memory_status_name(b->status), memory_status_name(a->status));
	if (e->what & DIFF_SUPPORT)
		put(o, "<div>sessions %lld → %lld, users %lld → %lld</div>\n",
		    (long long)b->sessions, (long long)a->sessions,
		    (long long)b->users, (long long)a->users);
	para(o, "why", a->reason, "meta");
	evidence(o, a);
	put(o, "</div>\n");
}

static void retired(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after ? e->after : e->before;

	head(o, "retired", e, m);
	para(o, "why", m->reason, NULL);
	para(o, "superseded by", m->superseded_by, NULL);
	put(o, "</div>\n");
}

static void quarantined(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	head(o, "quarantined", e, m);
	para(o, "matched", m->reason, NULL);
	put(o, "</div>\n");
}

static void conflict(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;

	head(o, "conflict", e, m);
	para(o, NULL, m->body, NULL);
	para(o, "conflicts with", m->conflict_with, NULL);
	evidence(o, m);
	put(o, "</div>\n");
}

static void recurring(struct out *o, const struct diff *d, const struct diff_entry *e)
{
	const struct memory *m = e->after;
	char phrase[96];

	mem_effectiveness_phrase(m, phrase);
	head(o, "recurring", e, m);
	para(o, "effectiveness", phrase, NULL);
	evidence(o, m);
	put(o, "</div>\n");
}

static const struct diff_writer html_writer = {
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

int report_diff_html(struct strbuf *sb, const struct diff *d)
{
	struct out o = { .sb = sb };
	char when[32] = "-";

	if (d->to.gen)
		format_iso8601(d->to.published_at, when);
	put(&o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "<title>dreamd memory diff %lld to %lld</title>\n<style>%s</style>\n"
	    "</head>\n<body>\n", (long long)d->from.gen, (long long)d->to.gen, css);
	put(&o, "<h1>dreamd memory diff: generation %lld → %lld</h1>\n",
	    (long long)d->from.gen, (long long)d->to.gen);
	put(&o, "<p>Generation %lld was published %s.</p>\n", (long long)d->to.gen, when);
	put(&o, "<table class=\"sum\">\n<tr><th>added</th><th>changed</th><th>retired</th>"
	    "<th>quarantined</th><th>unchanged</th><th>conflicts</th><th>recurring</th></tr>\n"
	    "<tr><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td>"
	    "<td>%zu</td></tr>\n</table>\n", d->nadded, d->nchanged, d->nretired,
	    d->nquarantined, d->unchanged, d->nconflicts, d->nrecurring);
	diff_walk(&o, d, &html_writer);
	put(&o, "<footer>dreamd · bars: sessions supporting each memory, one per "
	    "generation</footer>\n</body>\n</html>\n");
	return o.err ? -1 : 0;
}
