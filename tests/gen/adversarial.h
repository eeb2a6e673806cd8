/*
 * tests/gen/adversarial.h: lines built to hit a redaction rule's worst
 * case, for test-redact (time stays linear) and redact-bench (`make bench`).
 *
 * For a rule they come from its literals (or, without literals, from a
 * token alphabet): each literal over and over, glued to token characters,
 * to the separators a key's value follows (`=`, `: `, `="`), to spaces,
 * to backslashes; and a literal followed by one long token run. The same
 * for every rule: JSON escapes, base64, token runs wrapped every few
 * characters (the views redact-view.c builds), key=value pairs. Lines are
 * made of ASCII only, so valid UTF-8.
 */
#ifndef TESTS_GEN_ADVERSARIAL_H
#define TESTS_GEN_ADVERSARIAL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The shapes a literal is repeated in; %s is the literal. */
static const char *const adv_shapes[] = {
	"%s", "%saB3", "%s=", "%s: ", "%s=\"", "%s ", "%s\\", "%s:aB3@", "%s -", NULL
};

/* The lines every rule sees. */
static const char *const adv_common[] = {
	"aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF",	/* one token run */
	"eyJ", "eyJhbGc.", "\\u005f", "\\\\\\\"", "\\n", "ab/cd/", "a:b@", "://a:",
	"x=aB3dE6gH9j ", "--password aB3dE6 ", "-u a:b ", "password is aB3dE6gH ",
	"QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n", "aB3dE6gH9jK2mN5pQ8sT\n", NULL
};

/* size bytes of unit over and over (the last copy cut); malloc'd, NUL-terminated. */
static inline char *adv_repeat(const char *unit, size_t size)
{
	size_t n = strlen(unit), i;
	char *s = malloc(size + 1);

	if (!s || !n) {
		free(s);
		return NULL;
	}
	for (i = 0; i < size; i++)
		s[i] = unit[i % n];
	s[size] = '\0';
	return s;
}

/* lit then size bytes of one token run. */
static inline char *adv_then_run(const char *lit, size_t size)
{
	static const char run[] = "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eFhJkLnPqRsTvWxYz";
	size_t n = strlen(lit), i;
	char *s = malloc(size + n + 1);

	if (!s)
		return NULL;
	memcpy(s, lit, n);
	for (i = 0; i < size; i++)
		s[n + i] = run[i % (sizeof(run) - 1)];
	s[n + size] = '\0';
	return s;
}

/*
 * The i-th adversarial line of about size bytes for a rule with these
 * literals (nlits may be 0), or NULL past the last one. Free it.
 */
static inline char *adv_line(char *const *lits, size_t nlits, size_t i, size_t size)
{
	static const char *const none[] = { "aB3", "a" };
	size_t nshapes = 0, nl = nlits ? nlits : 2;

	while (adv_shapes[nshapes])
		nshapes++;
	if (nl > 4)
		nl = 4;	/* the first four literals: enough shapes, not too slow */
	if (i < nl * (nshapes + 1)) {
		const char *lit = nlits ? lits[i / (nshapes + 1)] : none[i / (nshapes + 1)];
		size_t shape = i % (nshapes + 1);
		char unit[256];

		if (shape == nshapes)
			return adv_then_run(lit, size);
		snprintf(unit, sizeof(unit), adv_shapes[shape], lit);
		return adv_repeat(unit, size);
	}
	i -= nl * (nshapes + 1);
	{
		size_t n = 0;

		while (adv_common[n])
			n++;
		if (i < n)
			return adv_repeat(adv_common[i], size);
	}
	return NULL;
}

#endif
