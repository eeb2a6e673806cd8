/*
 * md.h: text rendered for Markdown, so that no memory text can leave the
 * line, the list item or the dreamd block it is written in.
 *
 * md_inline renders text that may hold code spans (commands in backticks,
 * as memory titles and bodies do): outside the spans every control
 * character is escaped (newline, carriage return and tab become a space,
 * the others \xNN) and \ * _ [ ] < | (and > at a line's start) are
 * backslash-escaped, so nothing opens emphasis, a link, an HTML comment
 * (<!-- dreamd:end -->), a quote or a table cell; each span is written again by md_code. A backtick run with
 * no closing run of the same length is literal text and escaped.
 *
 * md_code writes one code span whose fence is longer than any backtick run
 * inside it (CommonMark), padded with a space when the content starts or
 * ends with a backtick or a space; nothing inside is HTML-escaped, only
 * control characters (a newline becomes a space, the others \xNN).
 *
 * Both return 0, or -1 when sb is full.
 */
#ifndef DREAMD_MD_H
#define DREAMD_MD_H

#include <stddef.h>

#include "dreamd/util.h"

int md_inline(struct strbuf *sb, const char *text);
int md_code(struct strbuf *sb, const char *code, size_t len);

#endif
