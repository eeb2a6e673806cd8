/*
 * md.c: Markdown-safe rendering of memory text (rules in md.h).
 */
#include "dreamd/md.h"

#include <string.h>

static int put_ctrl(struct strbuf *sb, unsigned char c)
{
	if (c == '\n' || c == '\r' || c == '\t')
		return strbuf_addch(sb, ' ');
	return strbuf_addf(sb, "\\x%02x", c);
}

static int is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

int md_code(struct strbuf *sb, const char *code, size_t len)
{
	size_t i, run = 0, longest = 0, k;
	int r = 0, pad;

	for (i = 0; i < len; i++) {
		run = code[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	pad = len && (code[0] == '`' || code[len - 1] == '`' ||
		      (code[0] == ' ' && code[len - 1] == ' '));
	for (k = 0; k <= longest; k++)
		r |= strbuf_addch(sb, '`');
	if (pad)
		r |= strbuf_addch(sb, ' ');
	for (i = 0; i < len; i++)
		r |= is_ctrl((unsigned char)code[i]) ? put_ctrl(sb, (unsigned char)code[i]) :
			strbuf_addch(sb, code[i]);
	if (pad)
		r |= strbuf_addch(sb, ' ');
	for (k = 0; k <= longest; k++)
		r |= strbuf_addch(sb, '`');
	return r ? -1 : 0;
}

static size_t backticks(const char *s)
{
	size_t n = 0;

	while (s[n] == '`')
		n++;
	return n;
}

/* The closing run of exactly n backticks after s, or NULL. */
static const char *closing(const char *s, size_t n)
{
	while ((s = strchr(s, '`'))) {
		size_t k = backticks(s);

		if (k == n)
			return s;
		s += k;
	}
	return NULL;
}

int md_inline(struct strbuf *sb, const char *t)
{
	int r = 0;

	while (t && *t) {
		unsigned char c = (unsigned char)*t;

		if (c == '`') {
			size_t n = backticks(t);
			const char *end = closing(t + n, n);

			if (end) {
				r |= md_code(sb, t + n, (size_t)(end - t - n));
				t = end + n;
			} else {
				for (; n; n--)
					r |= strbuf_addstr(sb, "\\`");
				t += backticks(t);
			}
			continue;
		}
		if (is_ctrl(c))
			r |= put_ctrl(sb, c);
		else if (strchr("\\*_[]|<", c) ||
			 (c == '>' && (!sb->len || sb->buf[sb->len - 1] == '\n')))
			/* < opens no tag or comment; > opens no quote. */
			r |= strbuf_addch(sb, '\\') | strbuf_addch(sb, c);
		else
			r |= strbuf_addch(sb, c);
		t++;
	}
	return r ? -1 : 0;
}
