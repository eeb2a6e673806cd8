/*
 * strbuf.h: the one growing string, for every folder.
 *
 * git's strbuf with a ceiling set when it is made (curl's curlx_dyn_init),
 * in two kinds that differ only in what happens at the edges:
 *
 *   strbuf_init(sb, max)      an append that would pass max fails with -1
 *                             and adds nothing; out of memory exits 69
 *                             (EX_UNAVAILABLE) with a message, as xmalloc()
 *                             does. For dreamd/, which may die.
 *   strbuf_init_cut(sb, max)  an append past max is cut at a UTF-8 boundary
 *                             and sets cut; out of memory sets failed, later
 *                             appends do nothing and strbuf_detach() returns
 *                             NULL, so a caller builds a whole string and
 *                             checks once at the end, as with ferror(). For
 *                             library code (extractors/, store/), which
 *                             never dies.
 *
 * Appends return 0, or -1 when they did not add everything.
 */
#ifndef DREAMD_STRBUF_H
#define DREAMD_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;	/* NUL-terminated once anything was added; strbuf_init
			 * allocates at once, strbuf_init_cut when needed */
	size_t len;
	size_t alloc;
	size_t max;	/* longest content kept */
	unsigned cut_at_max : 1;	/* strbuf_init_cut */
	unsigned failed : 1;	/* out of memory (strbuf_init_cut) */
	unsigned cut : 1;	/* something was cut at max */
};

#define STRBUF_NOLIMIT ((size_t)-1)

void strbuf_init(struct strbuf *sb, size_t max);
void strbuf_init_cut(struct strbuf *sb, size_t max);
/* Frees the content; sb stays usable, of the same kind and ceiling. */
void strbuf_release(struct strbuf *sb);
/*
 * Hands the malloc'd content ("" when empty) to the caller, *len its length
 * when len is not NULL; NULL when failed. sb is left empty with no buffer,
 * its kind and ceiling kept: appending starts a new one.
 */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Empties sb, keeping its buffer; clears failed and cut. */
void strbuf_reset(struct strbuf *sb);
int strbuf_add(struct strbuf *sb, const void *data, size_t len);
int strbuf_addstr(struct strbuf *sb, const char *s);
int strbuf_addch(struct strbuf *sb, int c);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included. */
int strbuf_add_json(struct strbuf *sb, const char *s, size_t len);
/* The content, "" when there is none or it failed; borrowed. */
const char *strbuf_str(const struct strbuf *sb);

/* A malloc'd printf, or NULL when out of memory; for *cause. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
