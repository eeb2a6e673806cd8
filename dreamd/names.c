/*
 * names.c: checking user names, tool names and paths (rules in names.h).
 */
#include "dreamd/names.h"

#include <string.h>

#include "dreamd/util.h"

static int in_set(const char *s, size_t max, const char *extra)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		unsigned char c = (unsigned char)*s;

		if (n == max)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || (c && strchr(extra, c))))
			return 0;
	}
	return n > 0;
}

int name_is_user(const char *s)
{
	return s && s[0] != '.' && s[0] != '-' && in_set(s, 64, "._-@+");
}

int name_is_tool(const char *s)
{
	return s && in_set(s, 128, "._-:/@+");
}

int name_is_path(const char *s)
{
	const char *p;
	size_t n;

	if (!s || s[0] != '/' || (n = strlen(s)) > 4096)
		return 0;
	if (n == 1)
		return 1;
	for (p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return 0;
	for (p = s; *p; ) {
		const char *q = strchr(p + 1, '/');
		size_t len = (q ? (size_t)(q - p) : strlen(p)) - 1;

		/* p points at a slash; p + 1 .. p + len is one component */
		if (!len && q)
			return 0;
		if ((len == 1 && p[1] == '.') || (len == 2 && p[1] == '.' && p[2] == '.'))
			return 0;
		if (!q)
			break;
		p = q;
	}
	return 1;
}

/* The number of components of a path that passed name_is_path. */
static int components(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '/' && s[1] && s[1] != '/';
	return n;
}

int name_is_project(const char *s)
{
	static const char *const homes[] = { "/home/", "/Users/", "/var/home/", NULL };
	size_t n;
	int i;

	if (!name_is_path(s))
		return 0;
	n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		n--;
	if (components(s) < 2)
		return 0;
	for (i = 0; homes[i]; i++) {
		size_t h = strlen(homes[i]);

		/* /home/NAME, nothing after it but slashes */
		if (n > h && !strncmp(s, homes[i], h) && !memchr(s + h, '/', n - h))
			return 0;
	}
	return 1;
}

char *name_quote(const char *s)
{
	struct strbuf sb;
	size_t n;

	if (!s)
		return xstrdup("(none)");
	n = strlen(s);
	strbuf_init(&sb, STRBUF_NOLIMIT);
	strbuf_add_oneline(&sb, s, n > 1024 ? 1024 : n);
	if (n > 1024)
		strbuf_addstr(&sb, "...");
	return strbuf_detach(&sb, NULL);
}
