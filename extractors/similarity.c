/*
 * similarity.c: shingle sets, Jaccard, MinHash, canonical token keys.
 */
#include "extractors/similarity.h"

#include <ctype.h>
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/strbuf.h"
#include "dreamd/common/strlist.h"
#include "dreamd/common/utf8.h"

#define SHINGLE_MAX 4096
#define WORD_MAX 48

static uint64_t fnv(const void *data, size_t len, uint64_t h)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Next word of s from *p, lower-cased into w; 0 at the end. */
static size_t next_word(const char **p, char w[WORD_MAX])
{
	const unsigned char *s = (const unsigned char *)*p;
	size_t n = 0;

	while (*s && !isalnum(*s) && *s < 0x80)
		s++;
	while (*s && (isalnum(*s) || *s >= 0x80 || ((*s == '\'' || *s == '.' || *s == '-') &&
						   isalnum(s[1])))) {
		if (n < WORD_MAX - 1)
			w[n++] = (char)tolower(*s);
		s++;
	}
	w[n] = '\0';
	*p = (const char *)s;
	return n;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The sorted unique shingle hashes of s; returns the count (into out[SHINGLE_MAX]). */
static size_t shingles(const char *s, int k, uint64_t *out)
{
	uint64_t win[16];
	char w[WORD_MAX];
	size_t n = 0, nw = 0, i, u;
	const char *p = s ? s : "";

	if (k < 1)
		k = 1;
	if (k > 16)
		k = 16;
	while (n < SHINGLE_MAX && next_word(&p, w)) {
		memmove(win, win + 1, (k - 1) * sizeof(*win));
		win[k - 1] = fnv(w, strlen(w), 0xcbf29ce484222325ULL);
		if (++nw < (size_t)k)
			continue;
		out[n++] = fnv(win, k * sizeof(*win), 0xcbf29ce484222325ULL);
	}
	if (nw && nw < (size_t)k)
		out[n++] = fnv(win + k - nw, nw * sizeof(*win), 0xcbf29ce484222325ULL);
	qsort(out, n, sizeof(*out), cmp_u64);
	for (i = u = 0; i < n; i++)
		if (!u || out[u - 1] != out[i])
			out[u++] = out[i];
	return u;
}

double text_jaccard(const char *a, const char *b, int k)
{
	uint64_t *sa = malloc(SHINGLE_MAX * sizeof(*sa)), *sb = malloc(SHINGLE_MAX * sizeof(*sb));
	size_t na, nb, i = 0, j = 0, both = 0;
	double r = 0;

	if (!sa || !sb)
		goto cleanup;
	na = shingles(a, k, sa);
	nb = shingles(b, k, sb);
	if (!na && !nb) {
		r = 1;
		goto cleanup;
	}
	while (i < na && j < nb) {
		if (sa[i] == sb[j])
			both++, i++, j++;
		else if (sa[i] < sb[j])
			i++;
		else
			j++;
	}
	r = (double)both / (double)(na + nb - both);
cleanup:
	free(sa);
	free(sb);
	return r;
}

void text_minhash(const char *s, int k, uint64_t *sig, size_t nsig)
{
	uint64_t *sh = malloc(SHINGLE_MAX * sizeof(*sh));
	size_t n, i, j;

	for (j = 0; j < nsig; j++)
		sig[j] = UINT64_MAX;
	if (!sh)
		return;
	n = shingles(s, k, sh);
	for (i = 0; i < n; i++)
		for (j = 0; j < nsig; j++) {
			uint64_t h = mix(sh[i] ^ mix(j + 1));

			if (h < sig[j])
				sig[j] = h;
		}
	free(sh);
}

double minhash_similarity(const uint64_t *a, const uint64_t *b, size_t nsig)
{
	size_t j, same = 0;

	if (!nsig)
		return 0;
	for (j = 0; j < nsig; j++)
		same += a[j] == b[j];
	return (double)same / (double)nsig;
}

/*
 * Words that carry no content in a statement. The negations are among them:
 * the preference's polarity keeps them (prefs.c's "do:"/"dont:" gist).
 */
static int stop_word(const char *w)
{
	static const char *const words[] = {
		"a", "all", "always", "am", "an", "and", "any", "anything", "are", "as",
		"at", "be", "but", "by", "can", "could", "do", "don't", "dont", "each",
		"every", "everything", "for", "from", "i", "i'm", "in", "instead", "is",
		"it", "it's", "its", "just", "let's", "make", "me", "must", "my", "never",
		"no", "not", "of", "ok", "okay", "on", "or", "our", "please", "remember",
		"should", "so", "something", "sure", "than", "that", "the", "them",
		"then", "these", "this", "those", "to", "use", "using", "we", "we're",
		"will", "with", "would", "yes", "you", "you're", "your", NULL
	};
	size_t i;

	for (i = 0; words[i]; i++)
		if (!strcmp(w, words[i]))
			return 1;
	return 0;
}

/*
 * Snowball's English stemmer ("committing" -> "commit"), then an agent
 * noun's "-er" off a long stem ("linter" -> "lint"): the tool and its use
 * meet. Words with a dot or a digit (file names, versions) stay as they are.
 */
static void stem(struct sb_stemmer *sb, char *w)
{
	const sb_symbol *out;
	size_t n;

	if (!sb || strpbrk(w, ".0123456789"))
		return;
	out = sb_stemmer_stem(sb, (const sb_symbol *)w, (int)strlen(w));
	if (!out)
		return;
	n = (size_t)sb_stemmer_length(sb);
	if (n >= WORD_MAX)
		n = WORD_MAX - 1;
	memcpy(w, out, n);
	if (n > 5 && !strcmp((const char *)out + n - 2, "er"))
		n -= 2;
	w[n] = '\0';
}

char *token_key(const char *s, size_t len, size_t max)
{
	char *copy = strndup(s, len), **tok = NULL, w[WORD_MAX];
	const char *p = copy;
	size_t n = 0, alloc = 0, i;
	struct strbuf b;
	/* One a call: a stemmer is not to be shared between threads. */
	struct sb_stemmer *sb = sb_stemmer_new("english", "UTF_8");

	strbuf_init_cut(&b, 1024);
	if (!copy || !sb) {
		free(copy);
		sb_stemmer_delete(sb);
		return NULL;
	}
	while (next_word(&p, w)) {
		if (stop_word(w))
			continue;
		stem(sb, w);
		if (n == alloc) {
			char **t = realloc(tok, (alloc = alloc ? 2 * alloc : 16) * sizeof(*t));

			if (!t)
				goto oom;
			tok = t;
		}
		if (!(tok[n] = strdup(w)))
			goto oom;
		n++;
	}
	if (n)
		qsort(tok, n, sizeof(*tok), strlist_cmp);
	for (i = 0; i < n; i++) {
		if (i && !strcmp(tok[i], tok[i - 1]))
			continue;
		if (max-- == 0)
			break;
		if (b.len)
			strbuf_addch(&b, ' ');
		strbuf_addstr(&b, tok[i]);
	}
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
	free(copy);
	sb_stemmer_delete(sb);
	return strbuf_detach(&b, NULL);
oom:
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
	free(copy);
	sb_stemmer_delete(sb);
	strbuf_release(&b);
	return NULL;
}
