/*
 * xbuf.c: growing strings with a ceiling, for extractors.
 */
#include "extractors/xbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

void xbuf_init(struct xbuf *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void xbuf_release(struct xbuf *b)
{
	free(b->buf);
	xbuf_init(b, b->max);
}

void xbuf_reset(struct xbuf *b)
{
	b->len = 0;
	b->failed = b->cut = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

static int grow(struct xbuf *b, size_t need)
{
	char *p;
	size_t alloc;

	if (need + 1 <= b->alloc)
		return 0;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < need + 1)
		alloc *= 2;
	p = realloc(b->buf, alloc);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->buf = p;
	b->alloc = alloc;
	return 0;
}

void xbuf_add(struct xbuf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (len > b->max - b->len) {
		len = utf8_cut(s, b->max - b->len);
		b->cut = 1;
	}
	if (grow(b, b->len + len) < 0)
		return;
	memcpy(b->buf + b->len, s, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void xbuf_addstr(struct xbuf *b, const char *s)
{
	xbuf_add(b, s, strlen(s));
}

void xbuf_addch(struct xbuf *b, int c)
{
	char ch = (char)c;

	xbuf_add(b, &ch, 1);
}

void xbuf_addf(struct xbuf *b, const char *fmt, ...)
{
	char small[256], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		xbuf_add(b, small, n);
		return;
	}
	big = malloc((size_t)n + 1);
	if (!big) {
		b->failed = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	xbuf_add(b, big, n);
	free(big);
}

const char *xbuf_str(const struct xbuf *b)
{
	return b->buf && !b->failed ? b->buf : "";
}

char *xbuf_detach(struct xbuf *b)
{
	char *s;

	if (b->failed) {
		xbuf_release(b);
		return NULL;
	}
	s = b->buf ? b->buf : strdup("");
	b->buf = NULL;
	b->len = b->alloc = 0;
	return s;
}

char *xstrfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

size_t utf8_cut(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

int utf8_check(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n, k;
		unsigned cp;

		if (c < 0x80) {
			uint64_t w;

			/* ASCII runs, eight bytes at a time. */
			while (end - p >= 8) {
				memcpy(&w, p, 8);
				if (w & 0x8080808080808080ULL)
					break;
				p += 8;
			}
			if (p < end && *p < 0x80)
				p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= n)
			return 0;
		for (k = 1; k <= n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[k] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}
