/*
 * rules.c: looking things up in loaded rules.
 */
#include "extractors/rules.h"

#include <string.h>

const char *rule_param(const struct rule *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nparams; i++)
		if (!strcmp(r->params[i].key, key))
			return r->params[i].value;
	return NULL;
}
