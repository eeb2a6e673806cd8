/*
 * strbuf.c: the one growing string (see strbuf.h for its two kinds).
 */
#include "dreamd/common/strbuf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dreamd/common/alloc.h"
#include "dreamd/common/utf8.h"

static void init(struct strbuf *sb, size_t max, int cut_at_max)
{
	memset(sb, 0, sizeof(*sb));
	sb->max = max;
	sb->cut_at_max = cut_at_max;
}

/* Room for need bytes of content; -1 (failed set) when out of memory. */
static int grow_to(struct strbuf *sb, size_t need)
{
	size_t alloc;
	char *p;

	if (need + 1 <= sb->alloc)
		return 0;
	alloc = sb->alloc ? 2 * sb->alloc : 64;
	if (alloc < need + 1)
		alloc = need + 1;
	p = realloc(sb->buf, alloc);
	if (!p) {
		if (!sb->cut_at_max)
			alloc_failed(alloc);
		sb->failed = 1;
		return -1;
	}
	sb->buf = p;
	sb->alloc = alloc;
	return 0;
}

void strbuf_init(struct strbuf *sb, size_t max)
{
	init(sb, max, 0);
	grow_to(sb, 0);
	sb->buf[0] = '\0';
}

void strbuf_init_cut(struct strbuf *sb, size_t max)
{
	init(sb, max, 1);
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	init(sb, sb->max, sb->cut_at_max);
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *p = sb->buf;
	size_t n = sb->len;

	if (sb->failed) {
		strbuf_release(sb);
		return NULL;
	}
	if (!p) {
		p = malloc(1);
		if (!p && !sb->cut_at_max)
			alloc_failed(1);
		if (p)
			*p = '\0';
	}
	if (len)
		*len = n;
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return p;
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = sb->cut = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

int strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	int ret = 0;

	if (sb->failed)
		return -1;
	if (len > sb->max || sb->len > sb->max - len) {
		if (!sb->cut_at_max)
			return -1;
		len = utf8_cut(data, sb->max - sb->len);
		sb->cut = 1;
		ret = -1;
	}
	if (grow_to(sb, sb->len + len) < 0)
		return -1;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
	return ret;
}

int strbuf_addstr(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addch(struct strbuf *sb, int c)
{
	char ch = (char)c;

	return strbuf_add(sb, &ch, 1);
}

int strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	size_t avail = sb->alloc > sb->len ? sb->alloc - sb->len : 0;
	va_list cp;
	char *big;
	int n, ret;

	if (sb->failed)
		return -1;
	/* Most results fit in what is allocated: format once, straight in. */
	va_copy(cp, ap);
	n = vsnprintf(avail ? sb->buf + sb->len : NULL, avail, fmt, cp);
	va_end(cp);
	if (n < 0) {
		if (avail)
			sb->buf[sb->len] = '\0';
		if (sb->cut_at_max)
			sb->failed = 1;
		return -1;
	}
	if ((size_t)n < avail && (size_t)n <= sb->max - sb->len) {
		sb->len += (size_t)n;
		return 0;
	}
	if (avail)
		sb->buf[sb->len] = '\0';
	if (!sb->cut_at_max) {
		if ((size_t)n > sb->max || sb->len > sb->max - (size_t)n)
			return -1;
		grow_to(sb, sb->len + (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
		sb->len += (size_t)n;
		return 0;
	}
	/* Past what is allocated or past max: format apart, then add (cut). */
	big = malloc((size_t)n + 1);
	if (!big) {
		sb->failed = 1;
		return -1;
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	ret = strbuf_add(sb, big, (size_t)n);
	free(big);
	return ret;
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
	return ret;
}
/* Whether c must be escaped in a JSON string. */
static int json_special(unsigned char c)
{
	return c == '"' || c == '\\' || c < 0x20;
}

/* The first i at or after from where s[i] must be escaped, else len. */
static size_t next_special(const char *s, size_t len, size_t i)
{
#if defined(__SSE2__)
	while (i + 16 <= len) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
					 _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
		unsigned bits;

		/* Below 0x20: max(v, 0x1f) is 0x1f. */
		m = _mm_or_si128(m, _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)),
						   _mm_set1_epi8(0x1f)));
		bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i < len && !json_special((unsigned char)s[i]))
		i++;
	return i;
}

int strbuf_add_json(struct strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;

	if (strbuf_addch(sb, '"') < 0)
		return -1;
	for (i = 0; (i = next_special(s, len, i)) < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[6] = { '\\', 0, '0', '0', 0, 0 };
		size_t n = 2;

		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[1] = 'u';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (strbuf_add(sb, s + start, i - start) < 0 || strbuf_add(sb, esc, n) < 0)
			return -1;
		start = i + 1;
	}
	if (strbuf_add(sb, s + start, len - start) < 0)
		return -1;
	return strbuf_addch(sb, '"');
}

const char *strbuf_str(const struct strbuf *sb)
{
	return sb->buf && !sb->failed ? sb->buf : "";
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
