/*
 * parse-doc.c: a JSON document spread over many lines, read item by item.
 *
 * Some agents write a session as one pretty-printed JSON document, not as
 * JSON lines: Gemini CLI's session-*.json ({sessionId, ..., messages[]}),
 * SWE-agent's .traj ({trajectory[], history[], info}), an OpenHands
 * trajectory ([event, ...]). Such a file is never held whole. Its bytes are
 * scanned as they arrive, line by line, and cut into items: each element of
 * a top-level array, and each member of a top-level object (an array
 * member element by element). Each item is parsed on its own and handed to
 * the format's member() callback with its member name (NULL for elements
 * of a top-level array). Memory is bounded by the largest item, which may
 * not exceed max_line: a document with a bigger one is one bad input, its
 * events dropped, the rest of it passed over.
 *
 * The format is detected from the first items (detect_member()); the items
 * seen before it is known are kept (a few small ones at most) and replayed.
 */
#include <stdlib.h>
#include <string.h>

#include "dreamd/json-arena.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

#define PENDING_MAX 16		/* items held back until the format is known */
#define PENDING_BYTES (64 << 10)

enum phase {
	P_KEY,		/* object: a member name or '}' */
	P_COLON,	/* object: ':' */
	P_VALUE,	/* object: the member's value */
	P_AFTER,	/* object: ',' or '}' */
	P_ITEM,		/* array: an element or ']' */
	P_ITEM_AFTER,	/* array: ',' or ']' */
};

struct doc {
	char top;		/* '{' or '[' once the document has begun */
	int depth;		/* brackets open, outside strings */
	int level;		/* depth of the container whose items are cut: 1, or 2 in a member's array */
	enum phase phase;
	int in_str, esc, in_key;
	int capturing, over, done, broken;
	struct strbuf key, item;
	size_t bytes_pending;
	cJSON *pending;		/* [[key, item], ...] before detection */
	size_t from;		/* the file's first event */
};

static const struct format *const doc_formats[] = {
	&format_gemini, &format_swe_agent, &format_openhands, NULL
};

int doc_starts(const char *line, size_t len)
{
	size_t i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i < len && line[i] == '[')
		return 1;
	/*
	 * A pretty-printed object opens with "{" alone on its line; any other
	 * first line is a JSON line (or a bad one, reported as such).
	 */
	if (i == len || line[i] != '{')
		return 0;
	for (i++; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	return i == len;
}

static struct doc *doc_get(struct parse_ctx *c)
{
	if (!c->doc) {
		c->doc = xcalloc(1, sizeof(*c->doc));
		strbuf_init(&c->doc->key, 4096);
		strbuf_init(&c->doc->item, c->opts && c->opts->max_line ?
			    c->opts->max_line : (size_t)64 << 20);
		c->doc->from = c->s->nevents;
	}
	return c->doc;
}

void doc_release(struct parse_ctx *c)
{
	if (!c->doc)
		return;
	strbuf_release(&c->doc->key);
	strbuf_release(&c->doc->item);
	cJSON_Delete(c->doc->pending);
	free(c->doc);
	c->doc = NULL;
}

void doc_fail(struct parse_ctx *c, const char *kind, const char *what)
{
	struct doc *d = c->doc;

	if (d->broken)
		return;
	d->broken = 1;
	parse_truncate(c, d->from);
	session_add_bad(c->s, c->path, c->lineno, kind, what);
}

static const struct format *detect(const char *key, const cJSON *item)
{
	const struct format *const *f;

	for (f = doc_formats; *f; f++)
		if ((*f)->detect_member(key, item))
			return *f;
	return NULL;
}

static void replay(struct parse_ctx *c)
{
	struct doc *d = c->doc;
	const cJSON *p;

	cJSON_ArrayForEach(p, d->pending) {
		const cJSON *k = cJSON_GetArrayItem(p, 0);

		c->fmt->member(c, cJSON_IsString(k) ? k->valuestring : NULL,
			       cJSON_GetArrayItem(p, 1));
	}
	cJSON_Delete(d->pending);
	d->pending = NULL;
}

static void hand_over(struct parse_ctx *c, const char *key, cJSON *item)
{
	struct doc *d = c->doc;
	cJSON *pair;

	if (!c->fmt)
		c->fmt = detect(key, item);
	if (c->fmt) {
		if (d->pending)
			replay(c);
		c->fmt->member(c, key, item);
		return;
	}
	if (d->bytes_pending + d->item.len > PENDING_BYTES ||
	    cJSON_GetArraySize(d->pending) >= PENDING_MAX) {
		doc_fail(c, "unknown-format", "unknown transcript format");
		return;
	}
	d->bytes_pending += d->item.len;
	if (!d->pending)
		d->pending = cJSON_CreateArray();
	pair = cJSON_CreateArray();
	cJSON_AddItemToArray(pair, key ? cJSON_CreateString(key) : cJSON_CreateNull());
	cJSON_AddItemToArray(pair, cJSON_Duplicate(item, 1));
	cJSON_AddItemToArray(d->pending, pair);
}

static void emit(struct parse_ctx *c)
{
	struct doc *d = c->doc;
	const char *key = d->top == '{' ? d->key.buf : NULL;
	cJSON *item;

	d->capturing = 0;
	if (d->over) {
		doc_fail(c, "too-large", "JSON document with an item over the length limit");
		return;
	}
	item = json_arena_parse(d->item.buf, d->item.len);
	strbuf_reset(&d->item);
	if (!item) {
		doc_fail(c, "not-json", "not JSON");
		return;
	}
	hand_over(c, key, item);
	json_arena_delete(item);
}

static void keep(struct doc *d, char ch)
{
	if (!d->over && strbuf_addch(&d->item, ch) < 0)
		d->over = 1;
}

/* A byte outside strings, at the level items are cut from. */
static int structural(struct parse_ctx *c, char ch)
{
	struct doc *d = c->doc;

	switch (d->phase) {
	case P_KEY:
		if (ch == '"') {
			strbuf_reset(&d->key);
			d->in_str = d->in_key = 1;
			return 0;
		}
		if (ch != '}')
			return -1;
		d->done = 1;
		return 0;
	case P_COLON:
		if (ch != ':')
			return -1;
		d->phase = P_VALUE;
		return 0;
	case P_AFTER:
		if (ch == ',')
			d->phase = P_KEY;
		else if (ch == '}')
			d->done = 1;
		else
			return -1;
		return 0;
	case P_ITEM_AFTER:
		if (ch == ',') {
			d->phase = P_ITEM;
			return 0;
		}
		if (ch != ']')
			return -1;
		/* fall through */
	case P_ITEM:
		if (ch != ']')
			break;
		if (d->level == 2) {
			d->level = d->depth = 1;
			d->phase = P_AFTER;
		} else {
			d->done = 1;
		}
		return 0;
	case P_VALUE:
		if (ch == '[') {
			/* An array member: its elements are the items. */
			d->level = d->depth = 2;
			d->phase = P_ITEM;
			return 0;
		}
		break;
	}
	if (ch == ']' || ch == '}' || ch == ',' || ch == ':')
		return -1;
	d->capturing = 1;
	strbuf_reset(&d->item);
	keep(d, ch);
	if (ch == '"')
		d->in_str = 1;
	else if (ch == '{' || ch == '[')
		d->depth++;
	return 0;
}

/* A byte of an item being captured, outside strings. */
static void captured(struct parse_ctx *c, char ch, int *again)
{
	struct doc *d = c->doc;
	int max_depth = c->opts && c->opts->max_depth > 0 ? c->opts->max_depth : 64;

	if ((ch == ',' || ch == '}' || ch == ']') && d->depth == d->level) {
		/* A scalar item ends: the byte belongs to the container. */
		emit(c);
		d->phase = d->level == 1 && d->top == '{' ? P_AFTER : P_ITEM_AFTER;
		*again = 1;
		return;
	}
	keep(d, ch);
	if (ch == '"') {
		d->in_str = 1;
	} else if (ch == '{' || ch == '[') {
		if (++d->depth > max_depth)
			doc_fail(c, "too-deep", "JSON nested too deep");
	} else if (ch == '}' || ch == ']') {
		if (--d->depth == d->level) {
			emit(c);
			d->phase = d->level == 1 && d->top == '{' ? P_AFTER : P_ITEM_AFTER;
		}
	}
}

static void in_string(struct doc *d, char ch)
{
	if (d->in_key) {
		if (d->esc) {
			d->esc = 0;
		} else if (ch == '\\') {
			d->esc = 1;
		} else if (ch == '"') {
			d->in_str = d->in_key = 0;
			d->phase = P_COLON;
			return;
		}
		if (strbuf_addch(&d->key, ch) < 0)
			d->over = 1;
		return;
	}
	keep(d, ch);
	if (d->esc)
		d->esc = 0;
	else if (ch == '\\')
		d->esc = 1;
	else if (ch == '"')
		d->in_str = 0;
}

void doc_feed(struct parse_ctx *c, const char *line, size_t len)
{
	struct doc *d = doc_get(c);
	size_t i;

	for (i = 0; i <= len && !d->broken; i++) {
		/* Lines end in a newline, whitespace to JSON outside strings. */
		char ch = i < len ? line[i] : '\n';
		int again = 0;

		if (d->in_str && !d->in_key && !d->esc && i < len) {
			/* The plain run of a string up to its next quote or backslash, at once. */
			size_t j = i + strcspn(line + i, "\"\\");	/* line[len] is a NUL */

			if (j > len)
				j = len;
			if (j > i) {
				if (!d->over && strbuf_add(&d->item, line + i, j - i) < 0)
					d->over = 1;
				i = j - 1;
				continue;
			}
		}
		if (d->in_str) {
			in_string(d, ch);
			continue;
		}
		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			if (d->capturing)
				keep(d, ch);
			continue;
		}
		if (d->done) {
			doc_fail(c, "not-json", "text after the end of the JSON document");
			break;
		}
		if (!d->top) {
			if (ch != '{' && ch != '[') {
				doc_fail(c, "not-json", "not JSON");
				break;
			}
			d->top = ch;
			d->depth = d->level = 1;
			d->phase = ch == '{' ? P_KEY : P_ITEM;
			continue;
		}
		if (d->capturing) {
			captured(c, ch, &again);
			if (!again)
				continue;
		}
		if (structural(c, ch) < 0)
			doc_fail(c, "not-json", "not JSON");
	}
	if (d->over)
		doc_fail(c, "too-large", "JSON document with an item over the length limit");
}

int doc_end(struct parse_ctx *c)
{
	struct doc *d = c->doc;

	if (!d)
		return 0;
	if (d->broken)
		return -1;
	if (!d->done && c->fmt && !c->s->truncated)
		/* Keep what was read: a file cut short is still evidence. */
		session_add_bad(c->s, c->path, c->lineno, "truncated-json",
				"JSON document cut short");
	return 0;
}

int doc_detect(struct parse_ctx *c, const cJSON *root)
{
	const cJSON *m;

	cJSON_ArrayForEach(m, root) {
		const cJSON *first = cJSON_IsArray(m) ? m->child : m;

		if (first && (c->fmt = detect(m->string, first)))
			return 1;
	}
	return 0;
}

void doc_members(struct parse_ctx *c, const cJSON *root)
{
	const cJSON *m, *el;

	cJSON_ArrayForEach(m, root) {
		if (cJSON_IsArray(m)) {
			cJSON_ArrayForEach(el, m)
				c->fmt->member(c, m->string, el);
		} else {
			c->fmt->member(c, m->string, m);
		}
	}
}
