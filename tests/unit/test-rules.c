/*
 * test-rules.c: the rule pre-filter, made per call or prepared once, agrees
 * with memmem on every placement of a literal, and rule_compile() names a
 * bad rule.
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/rules.h"
#include "tests/unit/unit.h"

static const char *const literals[] = {
	"sk-", " failed", "rror", "error[E", "<tool_use_error>", "x", "AKIA",
	"Exit code", "zz", "\"password\"", NULL
};

int main(void)
{
	const char *const *lit;
	char text[64], *cause = NULL;
	unsigned seed = 7;
	int i, disagree = 0;
	struct rule r = { 0 };
	struct literal_filter f;
	pcre2_code *re;

	for (lit = literals; *lit; lit++) {
		size_t n = strlen(*lit);

		r.literals = (char **)lit;
		r.nliterals = 1;
		literal_filter_init(&f, &r);
		/* Every placement, and text made of the literal's own bytes. */
		for (i = 0; i < 20000; i++) {
			size_t len = (size_t)(rand_r(&seed) % (sizeof(text) - 1)), k;

			for (k = 0; k < len; k++)
				text[k] = (*lit)[rand_r(&seed) % n];
			if (len >= n && rand_r(&seed) % 3 == 0) {
				size_t at = (size_t)rand_r(&seed) % (len - n + 1);

				memcpy(text + at, *lit, n);
			}
			text[len] = '\0';
			if (rule_literal_in(&r, text, len) != (memmem(text, len, *lit, n) != NULL) ||
			    literal_filter_in(&f, text, len) != rule_literal_in(&r, text, len))
				disagree++;
		}
		/* At the very start and the very end. */
		CHECK(rule_literal_in(&r, *lit, n));
		snprintf(text, sizeof(text), "....%s", *lit);
		CHECK(rule_literal_in(&r, text, strlen(text)));
		CHECK(!rule_literal_in(&r, text, strlen(text) - 1));
	}
	CHECK(disagree == 0);
	r.literals = NULL;
	r.nliterals = 0;
	CHECK(rule_literal_in(&r, "", 0));
	literal_filter_init(&f, NULL);
	CHECK(literal_filter_in(&f, "", 0));

	r.name = (char *)"broken";
	r.pattern = (char *)"(unclosed";
	r.origin = (char *)"x.yaml:3";
	re = rule_compile(&r, 0, &cause);
	CHECK(re == NULL);
	CHECK_STR(cause, "bad pattern in rule 'broken': missing closing parenthesis at offset 9 'x.yaml:3'");
	free(cause);
	r.pattern = (char *)"caf\xc3\xa9";
	re = rule_compile(&r, 0, &cause);
	CHECK(re != NULL);
	pcre2_code_free(re);
	return unit_done();
}
