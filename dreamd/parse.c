/*
 * parse.c: line checks, format detection and the helpers adapters share.
 */
#include "dreamd/parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "dreamd/common/spill.h"
#include "dreamd/json-arena.h"
#include "dreamd/redact.h"
#include "dreamd/util.h"

static const char *const kind_names[] = {
	[EVENT_USER] = "user",
	[EVENT_ASSISTANT] = "assistant",
	[EVENT_TOOL_CALL] = "tool_call",
	[EVENT_TOOL_RESULT] = "tool_result",
	[EVENT_REJECTED] = "rejected",
	[EVENT_INTERRUPTED] = "interrupted",
};

const char *event_kind_name(enum event_kind kind)
{
	if ((int)kind < EVENT_USER || kind > EVENT_INTERRUPTED)
		return "unknown";
	return kind_names[kind];
}

enum event_kind event_kind_from_name(const char *name)
{
	int k;

	for (k = EVENT_USER; k <= EVENT_INTERRUPTED; k++)
		if (name && !strcmp(kind_names[k], name))
			return (enum event_kind)k;
	return 0;
}

/* JSON helpers */

const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *json_obj(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsObject(v) ? v : NULL;
}

const cJSON *json_arr(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsArray(v) ? v : NULL;
}

int json_true(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

int starts_with(const char *s, const char *prefix)
{
	return s && !strncmp(s, prefix, strlen(prefix));
}

size_t cut_text(char **text, size_t len, size_t max)
{
	char marker[64];
	size_t head, tail, mlen;
	char *t = *text, *out;

	if (!max || len <= max)
		return len;
	snprintf(marker, sizeof(marker), "\xE2\x80\xA6[%zu bytes cut]\xE2\x80\xA6", len);
	mlen = strlen(marker);
	if (max < mlen + 8)
		max = mlen + 8;
	head = (max - mlen) / 2;
	tail = max - mlen - head;
	while (head > 0 && ((unsigned char)t[head] & 0xC0) == 0x80)
		head--;
	while (tail > 0 && ((unsigned char)t[len - tail] & 0xC0) == 0x80)
		tail--;
	snprintf(marker, sizeof(marker), "\xE2\x80\xA6[%zu bytes cut]\xE2\x80\xA6",
		 len - head - tail);
	mlen = strlen(marker);
	out = xmalloc(head + mlen + tail + 1);
	memcpy(out, t, head);
	memcpy(out + head, marker, mlen);
	memcpy(out + head + mlen, t + len - tail, tail);
	out[head + mlen + tail] = '\0';
	free(t);
	*text = out;
	return head + mlen + tail;
}

/*
 * The first '"' at or after i, else len: 16 bytes at a time inline, as
 * most strings of a line are keys and short values, for which a call of
 * memchr cost more than the search; memchr for long ones.
 */
static size_t next_quote(const char *s, size_t len, size_t i)
{
	const char *q;

#if defined(__SSE2__)
	size_t stop = i + 64 < len ? i + 64 : len;

	for (; i + 16 <= stop; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')));

		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	q = memchr(s + i, '"', len - i);
	return q ? (size_t)(q - s) : len;
}

int json_prescan(const char *s, size_t len, int max_depth, char *type, size_t typesz)
{
	int depth = 0, want_type = 0, expect_key = 0;
	size_t i = 0;

	if (typesz)
		type[0] = '\0';
	while (i < len) {
		char ch = s[i];

		if (ch == '"') {
			size_t start = ++i;

			/*
			 * The closing quote is the first one not escaped by
			 * an odd run of backslashes.
			 */
			for (;;) {
				size_t k = next_quote(s, len, i), bs = 0;

				if (k == len)
					return 0;
				while (k - bs > start && s[k - bs - 1] == '\\')
					bs++;
				i = k;
				if (!(bs & 1))
					break;
				if (++i >= len)
					return 0;
			}
			if (depth == 1 && want_type && typesz && !type[0] &&
			    i - start < typesz) {
				memcpy(type, s + start, i - start);
				type[i - start] = '\0';
			}
			want_type = 0;
			if (depth == 1 && expect_key && i - start == 4 &&
			    !memcmp(s + start, "type", 4)) {
				size_t j = i + 1;

				while (j < len && (s[j] == ' ' || s[j] == '\t'))
					j++;
				if (j < len && s[j] == ':')
					want_type = 1;
			}
			expect_key = 0;
			i++;
			continue;
		}
		switch (ch) {
		case '{':
			if (++depth > max_depth)
				return -1;
			expect_key = 1;
			break;
		case '[':
			if (++depth > max_depth)
				return -1;
			break;
		case '}': case ']':
			depth--;
			break;
		case ',':
			expect_key = 1;
			break;
		case ':': case ' ': case '\t': case '\r': case '\n':
			break;
		default:
			want_type = 0;
			break;
		}
		i++;
	}
	return 0;
}

/* Context and events */

void parse_ctx_init(struct parse_ctx *c, struct session *s,
		    const struct ingest_opts *opts, struct unit_state *u,
		    const char *path, int subagent, int main_file)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
	c->opts = opts;
	c->unit = u;
	c->path = path;
	c->subagent = subagent;
	c->main_file = main_file;
	c->asst = -1;
	c->file_from = s->nevents;
	c->aider_user = c->aider_asst = c->aider_result = c->aider_call = -1;
	strbuf_init(&c->aider_pending, STRBUF_NOLIMIT);
}

void parse_ctx_release(struct parse_ctx *c)
{
	strmap_release(&c->calls);
	strmap_release(&c->results);
	strmap_release(&c->pending);
	free(c->msg_id);
	free(c->tentative);
	free(c->first_id);
	free(c->second_id);
	strbuf_release(&c->aider_pending);
	strmap_release(&c->msgs);
	free(c->last_msg);
	doc_release(c);
}

/* A bad line; byte > 0 names the byte too. kind and what are literals. */
static void bad_at(struct parse_ctx *c, long byte, const char *kind, const char *what)
{
	if (c->fmt) {
		session_add_bad_at(c->s, c->path, c->lineno, byte, kind, what);
		return;
	}
	if (c->early_line) {
		c->early_more++;
		return;
	}
	c->early_line = c->lineno;
	c->early_byte = byte;
	c->early_kind = kind;
	c->early_what = what;
}

void parse_bad(struct parse_ctx *c, const char *kind, const char *what)
{
	bad_at(c, 0, kind, what);
}

/*
 * The format is known now (unknown when at_end): the bad lines before it
 * become one bad input, the first one's, with the count of the others.
 */
static void early_flush(struct parse_ctx *c, int at_end)
{
	char *what;

	if (!c->early_line)
		return;
	if (at_end && c->early_more)
		what = xasprintf("unknown transcript format (%s; %ld more bad lines)",
				 c->early_what, c->early_more);
	else if (at_end)
		what = xasprintf("unknown transcript format (%s)", c->early_what);
	else if (c->early_more)
		what = xasprintf("%s (and %ld more bad lines before the format was known)",
				 c->early_what, c->early_more);
	else
		what = xstrdup(c->early_what);
	session_add_bad_at(c->s, c->path, c->early_line, c->early_byte,
			   at_end ? "unknown-format" : c->early_kind, what);
	free(what);
	c->early_line = 0;
}

static char *clean_text(struct parse_ctx *c, const char *text, size_t len, size_t *out_len)
{
	char *t = xmalloc(len + 1);

	memcpy(t, text, len);
	t[len] = '\0';
	/* redact() makes the text valid UTF-8 itself before matching. */
	if (c->opts && c->opts->redact)
		redact(c->opts->redact, &t, &len);
	else
		len = utf8_fix(&t, len);
	if (c->opts)
		len = cut_text(&t, len, c->opts->max_text);
	*out_len = len;
	return t;
}

long parse_add(struct parse_ctx *c, enum event_kind kind, const char *text, size_t len)
{
	struct session *s = c->s;
	struct event *e;

	ALLOC_GROW(s->events, s->nevents + 1, s->alloc);
	e = &s->events[s->nevents];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->ts = c->ts;
	e->subagent = c->subagent ? 1 : 0;
	e->exit_code = -1;
	e->text = clean_text(c, text ? text : "", text ? len : 0, &e->text_len);
	s->text_bytes += e->text_len;
	s->mem_bytes += e->text_len;
	return (long)s->nevents++;
}

const char *parse_text(struct parse_ctx *c, long i)
{
	struct event *e = &c->s->events[i];

	if (!e->text && e->spill) {
		if (spill_unspill(e) < 0)
			die(EX_IOERR, "cannot read back a spilled text: %s", strerror(errno));
		c->s->mem_bytes += e->text_len;
	}
	return e->text;
}

void parse_append(struct parse_ctx *c, long i, const char *text, size_t len)
{
	struct event *e = &c->s->events[i];
	size_t add_len, had;
	char *add = clean_text(c, text, len, &add_len);

	parse_text(c, i);
	had = e->text_len;
	e->text = xrealloc(e->text, e->text_len + 1 + add_len + 1);
	if (e->text_len)
		e->text[e->text_len++] = '\n';
	memcpy(e->text + e->text_len, add, add_len + 1);
	e->text_len += add_len;
	c->s->text_bytes += add_len;
	free(add);
	if (c->opts)
		e->text_len = cut_text(&e->text, e->text_len, c->opts->max_text);
	c->s->mem_bytes += e->text_len - had;
}

void parse_truncate(struct parse_ctx *c, size_t from)
{
	struct session *s = c->s;

	while (s->nevents > from) {
		struct event *e = &s->events[--s->nevents];

		s->text_bytes -= e->text_len;
		if (e->text)
			s->mem_bytes -= e->text_len;
		free(e->tool);
		free(e->call_id);
		free(e->text);
	}
}

void parse_set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

long parse_add_call(struct parse_ctx *c, const char *tool, const char *call_id,
		    const char *cmd, const cJSON *input)
{
	struct event *e;
	long i;

	if (cmd) {
		i = parse_add(c, EVENT_TOOL_CALL, cmd, strlen(cmd));
	} else {
		char *json = input ? cJSON_PrintUnformatted(input) : NULL;

		i = parse_add(c, EVENT_TOOL_CALL, json ? json : "", json ? strlen(json) : 0);
		cJSON_free(json);
	}
	e = &c->s->events[i];
	parse_set_str(&e->tool, tool ? tool : "unknown");
	parse_set_str(&e->call_id, call_id);
	return i;
}

int parse_session_id(struct parse_ctx *c, const char *id, int always)
{
	if (!id || !c->main_file || c->second_id)
		return 0;
	if (!c->first_id) {
		c->first_id = xstrdup(id);
		parse_meta(c, &c->s->meta.id, id);
		return 0;
	}
	if (strcmp(c->first_id, id) && (always || c->later_frame)) {
		c->second_id = xstrdup(id);
		return 1;
	}
	return 0;
}

void parse_meta(struct parse_ctx *c, char **dst, const char *s)
{
	size_t len;

	if (!s || *dst)
		return;
	*dst = clean_text(c, s, strlen(s), &len);
}

void parse_count_model(struct parse_ctx *c, const char *model)
{
	struct unit_state *u = c->unit;
	size_t i;

	if (!model || !*model || *model == '<' || !u)
		return;
	for (i = 0; i < u->nmodels; i++)
		if (!strcmp(u->models[i].name, model)) {
			u->models[i].count++;
			return;
		}
	u->models = xrealloc(u->models, (u->nmodels + 1) * sizeof(*u->models));
	u->models[u->nmodels].name = xstrdup(model);
	u->models[u->nmodels].count = 1;
	u->nmodels++;
}

void parse_timestamp(struct parse_ctx *c, const cJSON *obj)
{
	const char *t = json_str(obj, "timestamp");
	int64_t ms;

	if (t && (ms = parse_iso8601(t)) > 0)
		c->ts = ms;
}

/* The line pipeline. */

static const struct format *const formats[] = {
	&format_dreamd, &format_opencode, &format_copilot, &format_gemini, &format_openhands,
	&format_codex, &format_claude, NULL
};

/* Formats detected from a first line that is not JSON. */
static const struct format *const text_formats[] = {
	&format_aider, NULL
};

static void parse_one(struct parse_ctx *c, char *line, size_t len);

void parse_line(struct parse_ctx *c, char *line, size_t len)
{
	parse_one(c, line, len);
	if (c->opts && c->opts->session_memory)
		session_spill(c->s, c->opts->session_memory);
}

static void parse_one(struct parse_ctx *c, char *line, size_t len)
{
	char type[64];
	cJSON *root;
	size_t i;

	if (c->fmt && c->fmt->text) {
		/* Text formats see blank lines too: they may end a block. */
		if (utf8_valid(line, len))
			c->fmt->text(c, line, len);
		else
			bad_at(c, (long)utf8_prefix(line, len) + 1, "invalid-utf8", "invalid UTF-8");
		return;
	}
	for (i = 0; i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'); i++)
		;
	if (i == len)
		return;
	i = utf8_prefix(line, len);
	if (i < len) {
		/* file:line:byte, the byte counted from 1 as editors do. */
		bad_at(c, (long)i + 1, "invalid-utf8", "invalid UTF-8");
		return;
	}
	if (c->doc || (!c->fmt && doc_starts(line, len))) {
		doc_feed(c, line, len);
		return;
	}
	if (!c->fmt && line[0] != '{') {
		const struct format *const *f;

		for (f = text_formats; *f; f++)
			if ((*f)->detect_text(line, len)) {
				c->fmt = *f;
				early_flush(c, 0);
				break;
			}
	}
	if (c->fmt && c->fmt->text) {
		c->fmt->text(c, line, len);
		return;
	}
	if (json_prescan(line, len, c->opts && c->opts->max_depth > 0 ?
			 c->opts->max_depth : 64, type, sizeof(type)) < 0) {
		parse_bad(c, "too-deep", "JSON nested too deep");
		return;
	}
	if (c->fmt && c->fmt->skip && c->fmt->skip(c, type))
		return;
	root = json_arena_parse(line, len);
	if (!root) {
		parse_bad(c, "not-json", "not JSON");
		return;
	}
	if (!cJSON_IsObject(root)) {
		json_arena_delete(root);
		parse_bad(c, "not-json", "not a JSON object");
		return;
	}
	if (!c->fmt) {
		const struct format *const *f;

		for (f = formats; *f; f++)
			if ((*f)->detect(root, type)) {
				c->fmt = *f;
				early_flush(c, 0);
				break;
			}
		if (!c->fmt)
			doc_detect(c, root);
	}
	if (c->fmt && c->fmt->line)
		c->fmt->line(c, root, type);
	else if (c->fmt)
		doc_members(c, root);
	else
		c->s->skipped_lines++;
	json_arena_delete(root);
}

void parse_long_line(struct parse_ctx *c)
{
	if (c->doc) {
		doc_fail(c, "too-large", "JSON document with a line over the length limit");
		return;
	}
	c->s->skipped_lines++;
	parse_bad(c, "long-line", "line over the length limit");
}

int parse_end(struct parse_ctx *c)
{
	if (doc_end(c) < 0 || !c->fmt) {
		early_flush(c, 1);
		return -1;
	}
	if (c->fmt->end)
		c->fmt->end(c);
	return 0;
}
