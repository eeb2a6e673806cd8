/*
 * redact-view.c: the texts a secret can hide in, derived from one text,
 * each byte mapped back to the bytes of the original it came from.
 */
#include "dreamd/redact-view.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/util.h"

#define UNESCAPE_LEVELS 4
#define JOIN_RUN 10	/* token characters before a newline for it to be a wrap */
#define BASE64_MIN 24

static uint32_t from_of(const struct redact_view *b, size_t i)
{
	return b->from ? b->from[i] : (uint32_t)i;
}

static uint32_t to_of(const struct redact_view *b, size_t i)
{
	return b->to ? b->to[i] : (uint32_t)(i + 1);
}

static void view_alloc(struct redact_view *v, size_t n)
{
	memset(v, 0, sizeof(*v));
	v->s = xmalloc(n + 1);
	v->from = xmalloc((n + 1) * sizeof(*v->from));	/* every byte's is set */
	v->to = xmalloc((n + 1) * sizeof(*v->to));
}

void view_release(struct redact_view *v)
{
	free(v->s);
	free(v->from);
	free(v->to);
	free(v->joins);
	memset(v, 0, sizeof(*v));
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The \uXXXX at s (n bytes left), or -1. */
static long hex4(const char *s, size_t n)
{
	long v = 0;
	int i;

	if (n < 6 || s[0] != '\\' || s[1] != 'u')
		return -1;
	for (i = 2; i < 6; i++) {
		int h = hexval((unsigned char)s[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static size_t utf8_put(char *out, long cp)
{
	if (cp == 0)
		cp = ' ';
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * The escape at s[0] == '\\': what it stands for in out (returns its
 * length) and how many bytes it took in *used; 0 when it is no escape.
 */
static size_t unescape_one(const char *s, size_t n, char *out, size_t *used)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *p;
	long cp;

	if (n < 2)
		return 0;
	if (s[1] && (p = strchr(from, s[1]))) {
		*out = to[p - from];
		*used = 2;
		return 1;
	}
	cp = hex4(s, n);
	if (cp < 0)
		return 0;
	*used = 6;
	if (cp >= 0xD800 && cp < 0xDC00) {
		long lo = hex4(s + 6, n - 6);

		if (lo >= 0xDC00 && lo < 0xE000) {
			*used = 12;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		} else {
			cp = 0xFFFD;
		}
	} else if (cp >= 0xDC00 && cp < 0xE000) {
		cp = 0xFFFD;
	}
	return utf8_put(out, cp);
}

/* One level of unescaping of base into *v; the number of escapes undone. */
static size_t unescape_level(struct redact_view *v, const struct redact_view *base)
{
	size_t i = 0, o = 0, done = 0;

	view_alloc(v, base->n);
	while (i < base->n) {
		size_t used = 1, k, w = 0;

		if (base->s[i] == '\\')
			w = unescape_one(base->s + i, base->n - i, v->s + o, &used);
		if (!w) {
			v->s[o] = base->s[i];
			w = 1;
			used = 1;
		} else {
			done++;
		}
		for (k = 0; k < w; k++) {
			v->from[o + k] = from_of(base, i);
			v->to[o + k] = to_of(base, i + used - 1);
		}
		o += w;
		i += used;
	}
	v->s[o] = '\0';
	v->n = o;
	return done;
}

/* Whether s holds an escape unescape_one() undoes. */
static int has_escape(const char *s, size_t n)
{
	const char *p = s, *end = s + n;

	while ((p = memchr(p, '\\', (size_t)(end - p))) && p + 1 < end) {
		if (strchr("\"\\/bfnrt", p[1]) && p[1])
			return 1;
		if (p[1] == 'u' && hex4(p, (size_t)(end - p)) >= 0)
			return 1;
		p++;
	}
	return 0;
}

int view_unescape(struct redact_view *v, const char *text, size_t len)
{
	struct redact_view base = { (char *)text, len, NULL, NULL, NULL, 0 }, next;
	int level;

	memset(v, 0, sizeof(*v));
	if (!has_escape(text, len))
		return 0;
	for (level = 0; level < UNESCAPE_LEVELS; level++) {
		if (!unescape_level(&next, level ? v : &base)) {
			view_release(&next);
			break;
		}
		view_release(v);
		*v = next;
		if (!has_escape(v->s, v->n))
			break;
	}
	return v->s != NULL;
}

/* 1: a token character (what view_join() joins); 2: also base64's. */
static const unsigned char klass[256] = {
	['A'] = 3, ['B'] = 3, ['C'] = 3, ['D'] = 3, ['E'] = 3, ['F'] = 3, ['G'] = 3, ['H'] = 3,
	['I'] = 3, ['J'] = 3, ['K'] = 3, ['L'] = 3, ['M'] = 3, ['N'] = 3, ['O'] = 3, ['P'] = 3,
	['Q'] = 3, ['R'] = 3, ['S'] = 3, ['T'] = 3, ['U'] = 3, ['V'] = 3, ['W'] = 3, ['X'] = 3,
	['Y'] = 3, ['Z'] = 3, ['a'] = 3, ['b'] = 3, ['c'] = 3, ['d'] = 3, ['e'] = 3, ['f'] = 3,
	['g'] = 3, ['h'] = 3, ['i'] = 3, ['j'] = 3, ['k'] = 3, ['l'] = 3, ['m'] = 3, ['n'] = 3,
	['o'] = 3, ['p'] = 3, ['q'] = 3, ['r'] = 3, ['s'] = 3, ['t'] = 3, ['u'] = 3, ['v'] = 3,
	['w'] = 3, ['x'] = 3, ['y'] = 3, ['z'] = 3, ['0'] = 3, ['1'] = 3, ['2'] = 3, ['3'] = 3,
	['4'] = 3, ['5'] = 3, ['6'] = 3, ['7'] = 3, ['8'] = 3, ['9'] = 3, ['+'] = 3, ['/'] = 3,
	['-'] = 3, ['_'] = 3,
	['='] = 1, ['.'] = 1,
};

static int tokenish(int c)
{
	return klass[c] & 1;
}

/*
 * Whether the newline at s[i] ends a wrapped token: at least JOIN_RUN
 * token characters before it (with digits, or with its case flipping
 * often), and a token character after the indentation, at *next.
 */
static int is_wrap(const char *s, size_t n, size_t i, size_t *next)
{
	size_t a = i, j = i + 1, digits = 0, flips = 0, run;

	if (a > 0 && s[a - 1] == '\r')
		a--;
	while (a > 0 && i - a < 64 && tokenish((unsigned char)s[a - 1]))
		a--;
	run = i - a;
	while (j < n && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (run < JOIN_RUN || j >= n || !tokenish((unsigned char)s[j]))
		return 0;
	for (; a < i; a++) {
		unsigned char c = (unsigned char)s[a], p = a ? (unsigned char)s[a - 1] : 0;

		digits += c >= '0' && c <= '9';
		flips += (islower(c) && isupper(p)) || (isupper(c) && islower(p));
	}
	*next = j;
	return (digits && digits < run) || flips * 4 >= run;
}

int view_join(struct redact_view *v, const struct redact_view *base)
{
	const char *s = base->s, *nl;
	size_t n = base->n, i = 0, c = 0, o = 0, k, ajoins = 0;	/* c: copied up to */

	memset(v, 0, sizeof(*v));
	while ((nl = memchr(s + i, '\n', n - i))) {
		size_t at = (size_t)(nl - s), cut = at, next;

		if (!is_wrap(s, n, at, &next)) {
			i = at + 1;
			continue;
		}
		if (cut > 0 && s[cut - 1] == '\r')
			cut--;
		if (!v->s)
			view_alloc(v, n);
		for (k = c; k < cut; k++, o++) {	/* up to the newline */
			v->s[o] = s[k];
			v->from[o] = from_of(base, k);
			v->to[o] = to_of(base, k);
		}
		ALLOC_GROW(v->joins, v->njoins + 1, ajoins);
		v->joins[v->njoins++] = o;
		i = c = next;
	}
	if (!v->s)
		return 0;
	for (k = c; k < n; k++, o++) {
		v->s[o] = s[k];
		v->from[o] = from_of(base, k);
		v->to[o] = to_of(base, k);
	}
	v->s[o] = '\0';
	v->n = o;
	return 1;
}

/*
 * The first run of at least min base64 characters starting at or after i
 * (i not inside a run): its start, and its end in *end; n when none. It
 * looks at the byte min - 1 ahead first: a byte outside the alphabet there
 * rules out every start up to it, so words cost a probe each, not a scan.
 */
static size_t find_run_probe(const char *s, size_t n, size_t i, size_t min, size_t *end)
{
	while (min && i + min <= n) {
		size_t j = i + min - 1, a = j, e = j + 1;

		if (!(klass[(unsigned char)s[j]] & 2)) {
			i = j + 1;
			continue;
		}
		while (a > i && klass[(unsigned char)s[a - 1]] & 2)
			a--;
		while (e < n && klass[(unsigned char)s[e]] & 2)
			e++;
		if (e - a >= min) {
			*end = e;
			return a;
		}
		i = e + 1;
	}
	*end = n;
	return n;
}

#if defined(__SIZEOF_INT128__)
#if defined(__SSE2__)
#include <emmintrin.h>

/* Bit k: s[k] is a base64 character, for the 16 bytes at s. */
static unsigned mask16(const char *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	/* (v | 0x20) - 'a' < 26 unsigned: a letter of either case. */
	__m128i alpha = _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
				     _mm_set1_epi8((char)(0x80 - 'a')));
	__m128i digit = _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0')));
	__m128i m = _mm_or_si128(_mm_cmplt_epi8(alpha, _mm_set1_epi8(-128 + 26)),
				 _mm_cmplt_epi8(digit, _mm_set1_epi8(-128 + 10)));

	m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')),
					 _mm_cmpeq_epi8(v, _mm_set1_epi8('/'))));
	m = _mm_or_si128(m, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('-')),
					 _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
	return (unsigned)_mm_movemask_epi8(m);
}
#endif

/* Bit k: s[at + k] is a base64 character (0 past n). */
static uint64_t mask64(const char *s, size_t n, size_t at)
{
	uint64_t m = 0;
	size_t k;

	if (at >= n)
		return 0;
#if defined(__SSE2__)
	if (n - at >= 64)
		return (uint64_t)mask16(s + at) | (uint64_t)mask16(s + at + 16) << 16 |
			(uint64_t)mask16(s + at + 32) << 32 | (uint64_t)mask16(s + at + 48) << 48;
#endif
	for (k = 0; k < 64 && at + k < n; k++)
		m |= (uint64_t)(klass[(unsigned char)s[at + k]] >> 1 & 1) << k;
	return m;
}

/*
 * find_run_probe() by 64 bytes at a time: bit k of the 128 bits of two
 * words' masks, ANDed with itself shifted by up to min - 1, says that a
 * run of min starts at k. The first such k at or after i is where the
 * first run of min or more starts (the byte before it is outside the
 * alphabet, or it would be an earlier one), so both find the same run.
 */
static size_t find_run(const char *s, size_t n, size_t i, size_t min, size_t *end)
{
	uint64_t lo, hi;
	size_t w;

	if (!min || min > 64)
		return find_run_probe(s, n, i, min, end);
	lo = mask64(s, n, i);
	for (w = i; w + min <= n; w += 64) {
		unsigned __int128 x;
		size_t have = 1, a, e;

		hi = mask64(s, n, w + 64);
		x = (unsigned __int128)hi << 64 | lo;
		while (have * 2 <= min) {
			x &= x >> have;
			have *= 2;
		}
		if (have < min)
			x &= x >> (min - have);
		lo = hi;
		if (!(uint64_t)x)
			continue;
		a = w + (size_t)__builtin_ctzll((uint64_t)x);
		for (e = a + min; e < n && klass[(unsigned char)s[e]] & 2; e++)
			;
		*end = e;
		return a;
	}
	*end = n;
	return n;
}
#else
#define find_run find_run_probe
#endif

size_t view_next_run(const char *s, size_t n, size_t from, size_t min)
{
	size_t i = from, end;

	if (i > 0)
		while (i < n && klass[(unsigned char)s[i]] & 2 && klass[(unsigned char)s[i - 1]] & 2)
			i++;
	return find_run(s, n, i, min, &end);
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Decodes s[0..n) (no padding) into out; 1 when it is printable ASCII. */
static int b64_text(const char *s, size_t n, char *out, size_t *outn)
{
	unsigned acc = 0;
	size_t i, o = 0;
	int bits = 0;

	for (i = 0; i < n; i++) {
		acc = acc << 6 | (unsigned)b64val((unsigned char)s[i]);
		bits += 6;
		if (bits >= 8) {
			unsigned char c = (unsigned char)(acc >> (bits - 8));

			bits -= 8;
			acc &= (1u << bits) - 1;
			/* ASCII only: what PCRE2 is given must be valid UTF-8. */
			if (c >= 0x7F || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
				return 0;
			out[o++] = (char)c;
		}
	}
	*outn = o;
	return o > 0;
}

int view_next_base64(struct redact_view *v, const struct redact_view *base, size_t *at)
{
	const char *s = base->s;
	size_t n = base->n, i = *at;

	memset(v, 0, sizeof(*v));
	while (i < n) {
		size_t start, end, k, dn;

		start = find_run(s, n, i, BASE64_MIN, &end);
		if (start >= n)
			break;
		i = end;
		while (i < n && i - end < 2 && s[i] == '=')
			i++;
		/* Most runs (paths, hashes) decode to binary in their first bytes. */
		{
			char head[6];

			if (!b64_text(s + start, 8, head, &dn))
				continue;
		}
		/* The maps only once the run is known to be text. */
		v->s = xmalloc((end - start) * 3 / 4 + 1);
		if (!b64_text(s + start, end - start - ((end - start) % 4 == 1), v->s, &dn)) {
			free(v->s);
			v->s = NULL;
			continue;
		}
		v->s[dn] = '\0';
		v->n = dn;
		v->from = xmalloc((dn + 1) * sizeof(*v->from));
		v->to = xmalloc((dn + 1) * sizeof(*v->to));
		for (k = 0; k < dn; k++) {
			v->from[k] = from_of(base, start);
			v->to[k] = to_of(base, i - 1);
		}
		*at = i;
		return 1;
	}
	*at = n;
	return 0;
}
