/*
 * registry.c: the table of built-in extractors.
 */
#include "extractors/builtin.h"

#include <string.h>

const struct extractor_ops *const extractor_table[] = {
	&failing_calls_ops,
	&tool_misuse_ops,
	&thrashing_ops,
	&rejections_ops,
	&workflows_ops,
	&preferences_ops,
	NULL
};

const struct extractor_ops *extractor_find(const char *name)
{
	const struct extractor_ops *const *e;

	for (e = extractor_table; *e; e++)
		if (!strcmp((*e)->name, name))
			return *e;
	return NULL;
}
