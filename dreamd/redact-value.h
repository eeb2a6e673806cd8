/*
 * redact-value.h: what a secret-named key's value is, judged by where it
 * stands, for the redactor's `literal` gate.
 *
 * A value in quotes, in a query string or form body, or after a shell or
 * dotenv name (SECRET_KEY=) is a literal: whatever its shape, it is the
 * secret itself. A bare value after `key = ` or `key: ` may be code (an
 * identifier, a call), so it must look like a key to count.
 */
#ifndef DREAMD_REDACT_VALUE_H
#define DREAMD_REDACT_VALUE_H

#include <stddef.h>

enum value_place {
	VALUE_BARE,	/* after key = or key: , maybe code */
	VALUE_QUOTED,	/* "...", '...' or `...` */
	VALUE_QUERY,	/* ?key=value or key=value&... */
	VALUE_ENV	/* UPPER_NAME=value, the name with a secret's word */
};

/* Where text[start, end) (a key's value, inside text of len bytes) stands. */
enum value_place value_place(const char *text, size_t len, size_t start, size_t end);

/*
 * Whether s[0, n), a quoted value with spaces, reads as a passphrase: a
 * few words with no template, path, ellipsis or prompt's colon, and none
 * of the words that make it a message about secrets ("Invalid token",
 * "Enter your password here").
 */
int value_is_passphrase(const char *s, size_t n);

/*
 * Whether s[0, n) is letters only (8 or more) and not one of the words code
 * assigns to such keys ('required', 'undefined', 'hidden', ...).
 */
int value_is_letters(const char *s, size_t n);

/*
 * Whether s[0, n), a secret-named key's value in a query string or form
 * body, is the secret: 4 bytes or more, and letters only as
 * value_is_letters() has them.
 */
int value_in_query(const char *s, size_t n);

#endif
