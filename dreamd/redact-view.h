/*
 * redact-view.h: the other ways a text can spell a secret, for the
 * redactor to match in.
 *
 * A view is a text derived from the original (JSON escapes undone, a token
 * wrapped over two lines joined, a base64 run decoded) with, for every
 * byte, where in the original it came from, so a match in the view
 * redacts the right bytes of the original.
 */
#ifndef DREAMD_REDACT_VIEW_H
#define DREAMD_REDACT_VIEW_H

#include <stddef.h>
#include <stdint.h>

struct redact_view {
	char *s;	/* NUL-terminated, n bytes */
	size_t n;
	uint32_t *from, *to;	/* byte i came from the original's [from[i], to[i]) */
	size_t *joins;	/* view_join(): where in s two lines were joined */
	size_t njoins;
};

/*
 * The text with its JSON string escapes undone (\" \\ \/ \n \uXXXX, as
 * many levels deep as there are, up to 4); 0 and nothing set when the text
 * has no escape.
 */
int view_unescape(struct redact_view *v, const char *text, size_t len);

/*
 * base (a view, or the original when base->from is NULL) with each newline
 * that ends a run of at least 10 token characters (with digits or with its
 * case flipping often), and the indentation after it, removed when the
 * next line goes on with token characters: a token wrapped at a terminal's
 * width (not a word or a name at the end of a line). 0 when there is no
 * such place.
 */
int view_join(struct redact_view *v, const struct redact_view *base);

/*
 * The next base64 run (standard or URL-safe alphabet, at least 24
 * characters, padding allowed) in base->s at or after *at that decodes to
 * printable text: 1 with *v the decoded text, every byte of it mapped to
 * the whole run in the original, and *at moved past the run; 0 when there
 * is none.
 */
int view_next_base64(struct redact_view *v, const struct redact_view *base, size_t *at);

/*
 * Where the first run of at least min base64 characters (A-Za-z0-9+/_-)
 * of s at or after from starts (not inside a run from is in), or n.
 */
size_t view_next_run(const char *s, size_t n, size_t from, size_t min);

void view_release(struct redact_view *v);

#endif
