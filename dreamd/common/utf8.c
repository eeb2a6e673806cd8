/*
 * utf8.c: checking, cutting and repairing UTF-8 (see utf8.h).
 */
#include "dreamd/common/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dreamd/common/strbuf.h"

/* The length of the valid sequence at s[0..n), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;
		if (c == 0xED && s[1] >= 0xA0)
			return 0;
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
		    (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;
		return 4;
	}
	return 0;
}

int utf8_valid(const char *str, size_t len)
{
	return utf8_prefix(str, len) == len;
}

/* The first i at or after from where s[i] is not ASCII, else len. */
static size_t next_high(const unsigned char *s, size_t len, size_t i)
{
#if defined(__SSE2__)
	while (i + 16 <= len) {
		unsigned bits = (unsigned)_mm_movemask_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(s + i)));

		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i + 8 <= len) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			break;
		i += 8;
	}
	while (i < len && s[i] < 0x80)
		i++;
	return i;
}

size_t utf8_prefix(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while ((i = next_high(s, len, i)) < len) {
		size_t k = utf8_seq(s + i, len - i);

		if (!k)
			return i;
		i += k;
	}
	return len;
}

size_t utf8_cut(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
		i--;
	return i;
}

size_t utf8_fix(char **text, size_t len)
{
	struct strbuf sb;
	const unsigned char *s = (const unsigned char *)*text;
	size_t i = 0;

	if (utf8_valid(*text, len))
		return len;
	strbuf_init(&sb, STRBUF_NOLIMIT);
	while (i < len) {
		size_t k = utf8_seq(s + i, len - i);

		if (k) {
			strbuf_add(&sb, s + i, k);
			i += k;
		} else {
			strbuf_addstr(&sb, "\xEF\xBF\xBD");
			i++;
		}
	}
	free(*text);
	*text = strbuf_detach(&sb, &len);
	return len;
}
