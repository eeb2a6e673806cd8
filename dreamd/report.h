/*
 * report.h: reading the published memory store for reports and exports.
 *
 * Everything here reads; nothing writes. A caller opens one read
 * transaction (db_begin_read) around its loads, so it sees one complete
 * generation even while a writer publishes the next one.
 *
 * Memories and generations are store/history.h's; a memory's record text is
 * kept in memory.json, so JSON outputs print it byte for byte as stored.
 */
#ifndef DREAMD_REPORT_H
#define DREAMD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/util.h"
#include "store/history.h"

struct db;

/* What differs between two versions of a memory, as diff_entry.what bits. */
enum {
	DIFF_TEXT = MEMORY_F_TEXT,		/* title or body */
	DIFF_SCORE = MEMORY_F_SCORE,
	DIFF_SCOPE = MEMORY_F_SCOPE,
	DIFF_STATUS = MEMORY_F_STATUS,
	DIFF_SUPPORT = MEMORY_F_SUPPORT,
	DIFF_FIX = MEMORY_F_FIX,
	DIFF_EFFECTIVENESS = MEMORY_F_EFFECTIVENESS,
	DIFF_OTHER = MEMORY_F_OTHER		/* reason, links, review, kind, ... */
};

/* Names of the bits above, in bit order, for reports. */
extern const char *const diff_what_names[];
#define DIFF_NWHAT 8

struct diff_entry {
	const struct memory *before;	/* NULL: not in FROM */
	const struct memory *after;	/* NULL: not in TO */
	unsigned what;
	/* support.sessions over the last generations up to TO, oldest first */
	int64_t hist[10];
	int64_t hist_gen[10];
	size_t nhist;
};

/*
 * The memory diff between generations from and to. Classification, in
 * this order (see README "Reviewing"):
 *  - quarantined: quarantined in TO and not in FROM;
 *  - retired: retired or rejected in TO (or gone from TO) and neither in
 *    FROM; superseded ones are those with superseded_by;
 *  - added: not in FROM;
 *  - changed: in both, and the snapshots differ in anything but version,
 *    evidence and last_seen (new evidence alone is churn, not a change);
 *  - unchanged: the rest that is in both.
 * Independent of those, conflicts lists TO's memories with conflict_with
 * that are not retired or rejected, and recurring TO's mistakes whose
 * effectiveness says they keep recurring: both are things to review, not
 * changes. Every list is sorted by id.
 */
struct diff {
	struct generation from, to;
	struct diff_entry *added, *changed, *retired, *quarantined;
	size_t nadded, nchanged, nretired, nquarantined;
	struct diff_entry *conflicts, *recurring;
	size_t nconflicts, nrecurring;
	size_t unchanged;
};

/* Loads both generations and computes the diff; -1 reported. */
int diff_compute(struct db *db, int64_t from, int64_t to, struct diff *d);
/* Fills each entry's hist with up to 10 generations ending at d->to.gen. */
int diff_load_history(struct db *db, struct diff *d);
void diff_release(struct diff *d);
/* 1 when the diff holds changes (what --exit-code reports). */
int diff_has_changes(const struct diff *d);

/*
 * What the report writers print into: put() appends a formatted string and
 * remembers a failure (the buffer's ceiling) in err, so writers check once.
 * color is for the text writer.
 */
struct out {
	struct strbuf *sb;
	int color;
	int err;
};

void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s, or "-" when it is NULL. */
const char *or_dash(const char *s);
/*
 * "N sessions, N users, N agents, N occurrences", and "; fix `x` worked
 * a of b" when the memory has a fix.
 */
/* "" for one, "s" for any other count. */
const char *plural_s(long long n);
/* "3 sessions, 2 users, ...": the counts; each writer renders the fix itself. */
void put_support(struct out *o, const struct memory *m);

/* The names of e->what's bits, comma-separated: "text, score". */
void put_what(struct out *o, const struct diff_entry *e);

/* A diff's sections, in the order every writer prints them. */
enum diff_section {
	DIFF_SEC_ADDED,
	DIFF_SEC_CHANGED,
	DIFF_SEC_RETIRED,
	DIFF_SEC_QUARANTINED,
	DIFF_SEC_CONFLICTS,
	DIFF_SEC_RECURRING,
	DIFF_NSECTIONS
};

/* The sections' titles, for the writers that print them as headings. */
extern const char *const diff_section_titles[DIFF_NSECTIONS];

/*
 * A writer's part of diff_walk(): section() heads a section that has
 * entries, entry[s] prints one entry of section s.
 */
struct diff_writer {
	void (*section)(struct out *o, enum diff_section s, size_t n);
	void (*entry[DIFF_NSECTIONS])(struct out *o, const struct diff *d,
				      const struct diff_entry *e);
};

/* Prints d's sections in order; an empty one not at all. */
void diff_walk(struct out *o, const struct diff *d, const struct diff_writer *w);

/* Report writers, one per format: they append to out and return -1 only
 * when out hits its ceiling. */
int report_diff_text(struct strbuf *out, const struct diff *d, int color);
int report_diff_markdown(struct strbuf *out, const struct diff *d);
int report_diff_json(struct strbuf *out, const struct diff *d);
int report_diff_html(struct strbuf *out, const struct diff *d);

/* Shared helpers for the writers. */
/* "12 in 30 sessions before, 3 in 25 after" into out[96]. */
void mem_effectiveness_phrase(const struct memory *m, char out[96]);
/* Appends s cut to at most max bytes at a UTF-8 boundary, newlines as
 * spaces, with "..." when cut. */
int strbuf_add_excerpt(struct strbuf *sb, const char *s, size_t max);
/* The colour on/off decision: "always", "never", "auto" (a tty on fd and
 * NO_COLOR unset). -1 for an unknown word. */
int report_want_color(const char *when, int fd);

#endif
