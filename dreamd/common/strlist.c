/*
 * strlist.c: lists of strings (see strlist.h).
 */
#include "dreamd/common/strlist.h"

#include <string.h>

int strlist_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int strlist_has(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}
