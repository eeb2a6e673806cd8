/*
 * report-json.c: the diff report as JSON (CONTRACT.md, "diff --format
 * json"), with each memory printed as its stored snapshot.
 */
#include "dreamd/report.h"

static int add_list(struct strbuf *sb, const char *key,
		    const struct diff_entry *e, size_t n)
{
	size_t i;
	int r = strbuf_addf(sb, ",\n \"%s\": [", key);

	for (i = 0; i < n; i++) {
		const struct memory *m = e[i].after ? e[i].after : e[i].before;

		r |= strbuf_addstr(sb, i ? ",\n  " : "\n  ");
		r |= strbuf_addstr(sb, m->json);
	}
	r |= strbuf_addstr(sb, "]");
	return r ? -1 : 0;
}

int report_diff_json(struct strbuf *sb, const struct diff *d)
{
	char when[32];
	size_t i, k;
	int r = 0;

	r |= strbuf_addf(sb, "{\"from\": %lld, \"to\": %lld", (long long)d->from.gen,
			 (long long)d->to.gen);
	if (d->to.gen) {
		format_iso8601(d->to.published_at, when);
		r |= strbuf_addf(sb, ", \"published_at\": \"%s\"", when);
	} else {
		r |= strbuf_addstr(sb, ", \"published_at\": null");
	}
	r |= add_list(sb, "added", d->added, d->nadded);
	r |= strbuf_addstr(sb, ",\n \"changed\": [");
	for (i = 0; i < d->nchanged; i++) {
		const struct diff_entry *e = &d->changed[i];
		int first = 1;

		r |= strbuf_addstr(sb, i ? ",\n  {\"before\": " : "\n  {\"before\": ");
		r |= strbuf_addstr(sb, e->before->json);
		r |= strbuf_addstr(sb, ",\n   \"after\": ");
		r |= strbuf_addstr(sb, e->after->json);
		r |= strbuf_addstr(sb, ",\n   \"what\": [");
		for (k = 0; k < DIFF_NWHAT; k++) {
			if (e->what & (1u << k)) {
				r |= strbuf_addf(sb, "%s\"%s\"", first ? "" : ", ",
						 diff_what_names[k]);
				first = 0;
			}
		}
		r |= strbuf_addstr(sb, "]}");
	}
	r |= strbuf_addstr(sb, "]");
	r |= add_list(sb, "retired", d->retired, d->nretired);
	r |= strbuf_addf(sb, ",\n \"unchanged\": %zu", d->unchanged);
	r |= add_list(sb, "quarantined", d->quarantined, d->nquarantined);
	r |= add_list(sb, "conflicts", d->conflicts, d->nconflicts);
	r |= add_list(sb, "recurring", d->recurring, d->nrecurring);
	r |= strbuf_addstr(sb, "}\n");
	return r ? -1 : 0;
}
