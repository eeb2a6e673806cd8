/*
 * report.c: loading generations into structs, the memory diff, and what
 * its writers share: the walk over its sections and the output helpers.
 */
#include "dreamd/report.h"

#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

const char *const diff_section_titles[DIFF_NSECTIONS] = {
	[DIFF_SEC_ADDED] = "Added",
	[DIFF_SEC_CHANGED] = "Changed",
	[DIFF_SEC_RETIRED] = "Retired and superseded",
	[DIFF_SEC_QUARANTINED] = "Quarantined",
	[DIFF_SEC_CONFLICTS] = "Conflicts",
	[DIFF_SEC_RECURRING] = "Still recurring after publication",
};

const char *const diff_what_names[] = {
	"text", "score", "scope", "status", "support", "fix", "effectiveness", "other"
};

static int is_gone(const struct memory *m)
{
	return !m || m->status == MEMORY_RETIRED || m->status == MEMORY_REJECTED;
}

static int is_status(const struct memory *m, enum memory_status status)
{
	return m && m->status == status;
}

static void push(struct diff_entry **list, size_t *n, size_t *alloc,
		 const struct memory *before, const struct memory *after, unsigned what)
{
	struct diff_entry *e;

	ALLOC_GROW(*list, *n + 1, *alloc);
	e = &(*list)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->before = before;
	e->after = after;
	e->what = what;
}

int diff_compute(struct db *db, int64_t from, int64_t to, struct diff *d)
{
	size_t i = 0, j = 0;
	size_t a_add = 0, a_chg = 0, a_ret = 0, a_qua = 0, a_con = 0, a_rec = 0;
	const struct generation *f, *t;

	memset(d, 0, sizeof(*d));
	if (generation_load(db, from, &d->from) < 0)
		return -1;
	if (generation_load(db, to, &d->to) < 0) {
		generation_release(&d->from);
		return -1;
	}
	f = &d->from;
	t = &d->to;
	/* A merge of the two id-sorted lists. */
	while (i < f->nmems || j < t->nmems) {
		const struct memory *b = NULL, *a = NULL;
		int c;

		if (i == f->nmems)
			c = 1;
		else if (j == t->nmems)
			c = -1;
		else
			c = strcmp(f->mems[i].id, t->mems[j].id);
		if (c <= 0)
			b = &f->mems[i++];
		if (c >= 0)
			a = &t->mems[j++];

		if (is_status(a, MEMORY_QUARANTINED) && !is_status(b, MEMORY_QUARANTINED)) {
			push(&d->quarantined, &d->nquarantined, &a_qua, b, a,
			     b ? memory_differs(b, a) : 0);
		} else if (b && is_gone(a) && !is_gone(b)) {
			push(&d->retired, &d->nretired, &a_ret, b, a,
			     a ? memory_differs(b, a) : 0);
		} else if (!b) {
			push(&d->added, &d->nadded, &a_add, NULL, a, 0);
		} else if (!a) {
			d->unchanged++;	/* gone, and already retired or rejected */
		} else {
			unsigned what = b->version == a->version ? 0 :
				memory_differs(b, a);

			if (what)
				push(&d->changed, &d->nchanged, &a_chg, b, a, what);
			else
				d->unchanged++;
		}
	}
	for (j = 0; j < t->nmems; j++) {
		const struct memory *a = &t->mems[j];
		const struct memory *b = generation_find(f, a->id);

		if (a->conflict_with && !is_gone(a))
			push(&d->conflicts, &d->nconflicts, &a_con, b, a, 0);
		if (a->has_eff && a->eff_recurring && !is_gone(a))
			push(&d->recurring, &d->nrecurring, &a_rec, b, a, 0);
	}
	return 0;
}

int diff_load_history(struct db *db, struct diff *d)
{
	struct diff_entry *lists[] = { d->added, d->changed, d->retired,
		d->quarantined, d->conflicts, d->recurring };
	size_t counts[] = { d->nadded, d->nchanged, d->nretired,
		d->nquarantined, d->nconflicts, d->nrecurring };
	int64_t lo = d->to.gen - 9 < 1 ? 1 : d->to.gen - 9;
	size_t l, k;

	for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		for (k = 0; k < counts[l]; k++) {
			struct diff_entry *e = &lists[l][k];
			const struct memory *m = e->after ? e->after : e->before;
			int64_t g;

			for (g = lo; g <= d->to.gen && e->nhist < 10; g++) {
				e->hist_gen[e->nhist] = g;
				e->hist[e->nhist++] = 0;
			}
			if (memory_support_history(db, m->id, lo, d->to.gen, e->hist) < 0)
				return -1;
		}
	}
	return 0;
}

void diff_release(struct diff *d)
{
	free(d->added);
	free(d->changed);
	free(d->retired);
	free(d->quarantined);
	free(d->conflicts);
	free(d->recurring);
	generation_release(&d->from);
	generation_release(&d->to);
	memset(d, 0, sizeof(*d));
}

int diff_has_changes(const struct diff *d)
{
	return d->nadded || d->nchanged || d->nretired || d->nquarantined;
}

void mem_effectiveness_phrase(const struct memory *m, char out[96])
{
	if (!m->has_eff) {
		snprintf(out, 96, "not measured");
		return;
	}
	snprintf(out, 96, "%lld in %lld sessions before, %lld in %lld after",
		 (long long)m->eff_before_hits, (long long)m->eff_before_sessions,
		 (long long)m->eff_after_hits, (long long)m->eff_after_sessions);
}

int strbuf_add_excerpt(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = strlen(s), n = len, i;

	if (len > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (strbuf_addch(sb, c) < 0)
			return -1;
	}
	return n < len ? strbuf_addstr(sb, "...") : 0;
}

int report_want_color(const char *when, int fd)
{
	const char *nc;

	if (!when || !strcmp(when, "auto")) {
		nc = getenv("NO_COLOR");
		return isatty(fd) && !(nc && *nc);
	}
	if (!strcmp(when, "always"))
		return 1;
	if (!strcmp(when, "never"))
		return 0;
	return -1;
}

void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vaddf(o->sb, fmt, ap) < 0)
		o->err = 1;
	va_end(ap);
}

const char *or_dash(const char *s)
{
	return s ? s : "-";
}

const char *plural_s(long long n)
{
	return n == 1 ? "" : "s";
}

void put_support(struct out *o, const struct memory *m)
{
	put(o, "%lld session%s, %lld user%s, %lld agent%s, %lld occurrence%s",
	    (long long)m->sessions, plural_s(m->sessions), (long long)m->users,
	    plural_s(m->users), (long long)m->agents, plural_s(m->agents),
	    (long long)m->occurrences, plural_s(m->occurrences));
}

void put_what(struct out *o, const struct diff_entry *e)
{
	const char *sep = "";
	size_t k;

	for (k = 0; k < DIFF_NWHAT; k++) {
		if (e->what & (1u << k)) {
			put(o, "%s%s", sep, diff_what_names[k]);
			sep = ", ";
		}
	}
}

void diff_walk(struct out *o, const struct diff *d, const struct diff_writer *w)
{
	const struct diff_entry *const v[DIFF_NSECTIONS] = {
		d->added, d->changed, d->retired, d->quarantined, d->conflicts, d->recurring
	};
	const size_t n[DIFF_NSECTIONS] = {
		d->nadded, d->nchanged, d->nretired, d->nquarantined, d->nconflicts, d->nrecurring
	};
	size_t i;
	int s;

	for (s = 0; s < DIFF_NSECTIONS; s++) {
		if (!n[s])
			continue;
		w->section(o, (enum diff_section)s, n[s]);
		for (i = 0; i < n[s]; i++)
			w->entry[s](o, d, &v[s][i]);
	}
}
