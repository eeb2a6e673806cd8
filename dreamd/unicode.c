/*
 * unicode.c: one spelling for text that can be written many ways; see
 * unicode.h. ICU does the work: NFKC (unorm2), the default-ignorable
 * property (u_hasBinaryProperty) and the confusables skeleton (uspoof).
 */
#include "dreamd/unicode.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "dreamd/util.h"

/* Opened once, used read-only after (uspoof_getSkeleton is then thread-safe). */
static USpoofChecker *spoof(void)
{
	static USpoofChecker *sc;
	UErrorCode err = U_ZERO_ERROR;

	if (!sc) {
		sc = uspoof_open(&err);
		if (U_FAILURE(err))
			sc = NULL;
	}
	return sc;
}

static int all_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The ASCII skeleton of code point c, or 0 when it has none. */
static int ascii_skeleton(UChar32 c, char *out, size_t cap)
{
	USpoofChecker *sc = spoof();
	UChar in[2], sk[16];
	UErrorCode err = U_ZERO_ERROR;
	int32_t n = 0, len, i;

	if (!sc)
		return 0;
	U16_APPEND_UNSAFE(in, n, c);
	len = uspoof_getSkeleton(sc, 0, in, n, sk, 16, &err);
	if (U_FAILURE(err) || len <= 0 || (size_t)len >= cap)
		return 0;
	for (i = 0; i < len; i++) {
		if (sk[i] >= 0x80 || sk[i] < 0x20)
			return 0;
		out[i] = (char)sk[i];
	}
	out[len] = '\0';
	return 1;
}

/* UTF-16 of s, NFKC; NULL on failure. *n is its length. */
static UChar *nfkc(const char *s, int32_t *n)
{
	const UNormalizer2 *nf;
	UErrorCode err = U_ZERO_ERROR;
	int32_t len = 0, cap;
	UChar *u, *v;

	nf = unorm2_getNFKCInstance(&err);
	if (U_FAILURE(err))
		return NULL;
	u_strFromUTF8WithSub(NULL, 0, &len, s, -1, 0xFFFD, NULL, &err);
	err = U_ZERO_ERROR;
	u = xcalloc((size_t)len + 1, sizeof(*u));
	u_strFromUTF8WithSub(u, len + 1, &len, s, -1, 0xFFFD, NULL, &err);
	if (U_FAILURE(err)) {
		free(u);
		return NULL;
	}
	/* NFKC grows a text at most 18 times (U+FDFA). */
	cap = len * 18 + 1;
	v = xcalloc((size_t)cap, sizeof(*v));
	*n = unorm2_normalize(nf, u, len, v, cap, &err);
	free(u);
	if (U_FAILURE(err)) {
		free(v);
		return NULL;
	}
	return v;
}

static void add_utf8(struct strbuf *b, UChar32 c)
{
	char s[4];
	int32_t n = 0;
	UBool bad = 0;

	U8_APPEND(s, n, 4, c, bad);
	if (!bad)
		strbuf_add(b, s, (size_t)n);
}

/* 1 when the word at u[i..] (up to white space) has an ASCII letter. */
static int word_has_ascii_letter(const UChar *u, int32_t n, int32_t from)
{
	int32_t i = from;

	while (i > 0 && !u_isUWhiteSpace(u[i - 1]))
		i--;
	for (; i < n && !u_isUWhiteSpace(u[i]); i++)
		if (u[i] < 0x80 && ((u[i] | 0x20) >= 'a' && (u[i] | 0x20) <= 'z'))
			return 1;
	return 0;
}

char *text_fold(const char *s, int judge)
{
	struct strbuf b;
	UChar *u;
	int32_t n, i = 0;

	if (!s)
		return NULL;
	if (all_ascii(s))
		return xstrdup(s);
	u = nfkc(s, &n);
	if (!u)
		return xstrdup("");	/* fail closed: not the raw text */
	strbuf_init(&b, STRBUF_NOLIMIT);
	while (i < n) {
		int32_t at = i;
		UChar32 c;
		char sk[16];

		U16_NEXT(u, i, n, c);
		if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
		    (u_charType(c) == U_FORMAT_CHAR))
			continue;
		if (c >= 0x80 && (judge || word_has_ascii_letter(u, n, at)) &&
		    ascii_skeleton(c, sk, sizeof(sk))) {
			strbuf_addstr(&b, sk);
			continue;
		}
		add_utf8(&b, c);
	}
	free(u);
	return strbuf_detach(&b, NULL);
}
