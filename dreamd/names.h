/*
 * names.h: what a user name, a tool name and a path may look like, and
 * which paths are a project.
 *
 * The stages that take names from transcripts and spools (ingest) check
 * them here, so a name that could forge a line of output is bad input, not
 * data. The rules:
 *   user: 1 to 64 of A-Z a-z 0-9 . _ - @ +, not starting with . or -
 *   tool: 1 to 128 of A-Z a-z 0-9 . _ - : / @ +
 *   path: absolute, at most 4096 bytes, no control character (below 0x20,
 *         0x7f), no empty, "." or ".." component
 * A project path is a path that is not "/", not a single component (/home,
 * /tmp, /srv) and not a home directory (/root, /home/NAME, /Users/NAME,
 * /var/home/NAME): a project is a repository root or a directory below
 * one, and those are never one.
 */
#ifndef DREAMD_NAMES_H
#define DREAMD_NAMES_H

int name_is_user(const char *s);
int name_is_tool(const char *s);
int name_is_path(const char *s);
int name_is_project(const char *s);

/*
 * A copy of s fit to print inside '...' on one line: escaped as every
 * message is (strbuf_add_oneline: \n, \x1b), cut to 1024 bytes with "..."
 * after. Malloc'd; NULL gives "(none)".
 */
char *name_quote(const char *s);

#endif
