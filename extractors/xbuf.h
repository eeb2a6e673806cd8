/*
 * xbuf.h: a growing string for extractors, which may not use dreamd/util.h.
 *
 * Like git's strbuf with curl's ceiling, but it never dies: an append that
 * runs out of memory or passes the ceiling sets failed and is dropped, so a
 * caller builds a whole string and checks once at the end, as with stdio's
 * ferror(). An append past the ceiling is cut at a UTF-8 boundary.
 */
#ifndef DREAMD_XBUF_H
#define DREAMD_XBUF_H

#include <stdarg.h>
#include <stddef.h>

struct xbuf {
	char *buf;	/* NUL-terminated once anything was added; may be NULL */
	size_t len;
	size_t alloc;
	size_t max;	/* longest content kept */
	int failed;	/* out of memory */
	int cut;	/* something was cut at max */
};

void xbuf_init(struct xbuf *b, size_t max);
void xbuf_release(struct xbuf *b);
void xbuf_reset(struct xbuf *b);
void xbuf_add(struct xbuf *b, const char *s, size_t len);
void xbuf_addstr(struct xbuf *b, const char *s);
void xbuf_addch(struct xbuf *b, int c);
void xbuf_addf(struct xbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The content, "" when empty; borrowed. */
const char *xbuf_str(const struct xbuf *b);
/* Hands the malloc'd content to the caller; NULL when failed. */
char *xbuf_detach(struct xbuf *b);

/* A malloc'd printf, or NULL; for *cause. */
char *xstrfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The length of the longest prefix of s[0..len) not splitting a UTF-8 sequence. */
size_t utf8_cut(const char *s, size_t len);
/* 1 when s[0..len) is valid UTF-8. */
int utf8_check(const char *s, size_t len);

#endif
