/*
 * redact-value.c: where a secret-named key's value stands (quoted, in a
 * query, after an env name) and whether a quoted phrase or a letters-only
 * value is the secret itself; see redact-value.h.
 */
#include "dreamd/redact-value.h"

#include <string.h>
#include <strings.h>

static int is_upper_name(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int is_key_char(int c)
{
	return is_upper_name(c) || (c >= 'a' && c <= 'z') || c == '.' || c == '-' || c == '%' ||
	       c == '[' || c == ']';
}

/* Whether one _-separated segment of an upper case name says it holds a secret. */
static int secret_segment(const char *s, size_t n, const char *prev, size_t prevn)
{
	static const char *const words[] = {
		"PASSWORD", "PASSWD", "PASS", "PWD", "PASSPHRASE", "PASSCODE", "SECRET", "TOKEN",
		"APIKEY", "CREDENTIAL", "CREDENTIALS", NULL
	};
	static const char *const key_after[] = { "API", "ACCESS", "PRIVATE", "AUTH", "MASTER", NULL };
	size_t i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !memcmp(s, words[i], n))
			return 1;
	if (n != 3 || memcmp(s, "KEY", 3) || !prev)
		return 0;
	for (i = 0; key_after[i]; i++)
		if (strlen(key_after[i]) == prevn && !memcmp(prev, key_after[i], prevn))
			return 1;
	return 0;
}

/* Whether name[0, n) is an UPPER_CASE name with a segment that names a secret. */
static int is_env_secret(const char *name, size_t n)
{
	const char *prev = NULL;
	size_t i, start = 0, prevn = 0, letters = 0;

	for (i = 0; i < n; i++) {
		if (!is_upper_name((unsigned char)name[i]))
			return 0;
		letters += name[i] >= 'A' && name[i] <= 'Z';
	}
	if (!letters)
		return 0;
	for (i = 0; i <= n; i++) {
		if (i < n && name[i] != '_')
			continue;
		if (i > start && secret_segment(name + start, i - start, prev, prevn))
			return 1;
		prev = name + start;
		prevn = i - start;
		start = i + 1;
	}
	return 0;
}

enum value_place value_place(const char *text, size_t len, size_t start, size_t end)
{
	size_t a, e = end;

	if (start > 0 && (text[start - 1] == '"' || text[start - 1] == '\'' ||
			  text[start - 1] == '`')) {
		while (e < len && text[e] == '\\')
			e++;
		if (e < len && text[e] == text[start - 1])
			return VALUE_QUOTED;
	}
	if (start < 2 || text[start - 1] != '=')
		return VALUE_BARE;
	a = start - 1;
	while (a > 0 && start - a < 128 && is_key_char((unsigned char)text[a - 1]))
		a--;
	if (a == start - 1 || (a > 0 && is_key_char((unsigned char)text[a - 1])))
		return VALUE_BARE;
	if ((a > 0 && (text[a - 1] == '?' || text[a - 1] == '&' || text[a - 1] == ';')) ||
	    (end < len && text[end] == '&'))
		return VALUE_QUERY;
	return is_env_secret(text + a, start - 1 - a) ? VALUE_ENV : VALUE_BARE;
}

/* Whether the word w[0, n) (any case) is one of words. */
static int word_in(const char *w, size_t n, const char *const *words)
{
	size_t i;

	for (i = 0; words[i]; i++)
		if (strlen(words[i]) == n && !strncasecmp(w, words[i], n))
			return 1;
	return 0;
}

int value_is_passphrase(const char *s, size_t n)
{
	/* The words of a message about secrets or of a placeholder, not of a secret. */
	static const char *const prose[] = {
		"password", "passwords", "passwd", "passphrase", "secret", "secrets", "token",
		"tokens", "key", "keys", "api", "credential", "credentials", "auth", "login",
		"your", "here", "enter", "example", "placeholder", "replace", "insert", "invalid",
		"expired", "missing", "required", "wrong", "incorrect", NULL
	};
	size_t i, start = 0, words = 0;

	/* A prompt's end, a template, a path, an ellipsis: no secret of its own. */
	if (!n || s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
		return 0;
	for (i = 0; i < n; i++)
		if (strchr("<>{}/\\\t", s[i]) ||
		    (i + 1 < n && ((s[i] == '.' && s[i + 1] == '.') || (s[i] == '$' && s[i + 1] == '(') ||
				   (s[i] == '%' && strchr("sd(", s[i + 1])))))
			return 0;
	for (i = 0; i <= n; i++) {
		size_t a, b;

		if (i < n && s[i] != ' ')
			continue;
		for (a = start; a < i && !((s[a] | 0x20) >= 'a' && (s[a] | 0x20) <= 'z'); a++)
			;
		for (b = i; b > a && !((s[b - 1] | 0x20) >= 'a' && (s[b - 1] | 0x20) <= 'z'); b--)
			;
		if (b > a && word_in(s + a, b - a, prose))
			return 0;
		words += i > start;
		start = i + 1;
	}
	return words >= 2 && words <= 12;
}

int value_is_letters(const char *s, size_t n)
{
	/* What code assigns to a password or token field that is no secret. */
	static const char *const code[] = {
		"required", "optional", "confirmed", "nullable", "sometimes", "string", "boolean",
		"integer", "undefined", "password", "passwd", "passphrase", "secret", "hidden",
		"readonly", "disabled", "enabled", "redacted", "anonymous", "placeholder", NULL
	};
	size_t i;

	if (n < 8)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
	return !word_in(s, n, code);
}

int value_in_query(const char *s, size_t n)
{
	size_t i;

	if (n < 4 || s[0] == '/')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 1;
	return value_is_letters(s, n);
}
