/*
 * calls.c: pairing tool calls with results, and naming them.
 */
#include "extractors/calls.h"

#include <ctype.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "extractors/call-ids.h"
#include "extractors/shell.h"
#include "dreamd/common/hash.h"
#include "dreamd/common/spill.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define LINE_MAX_BYTES 300
#define EXCERPT_MAX 200
#define WORD_KEEP 60
#define COMMAND_LINE_MAX 4096

int xrules_init(struct xrules *x, const struct rule_set *rules, char **cause)
{
	static const char *const groups[] = {
		"error-line", "tool-error", "ignore-output", "noise-line",
		"normalize", "command-head", "read-only", "workflow-skip",
		"tool-alias", "no-match-exit",
	};
	struct matcher *m[] = {
		&x->errline, &x->toolerr, &x->ignore, &x->noise,
		&x->normalize, &x->heads, &x->readonly, &x->skip, &x->alias,
		&x->nomatch,
	};
	size_t i;

	memset(x, 0, sizeof(*x));
	x->rules = rules;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (matcher_init(m[i], rules, groups[i], cause) < 0) {
			xrules_release(x);
			return -1;
		}
	return 0;
}

void xrules_release(struct xrules *x)
{
	matcher_release(&x->errline);
	matcher_release(&x->toolerr);
	matcher_release(&x->ignore);
	matcher_release(&x->noise);
	matcher_release(&x->normalize);
	matcher_release(&x->heads);
	matcher_release(&x->readonly);
	matcher_release(&x->skip);
	matcher_release(&x->alias);
	matcher_release(&x->nomatch);
}

static void call_release(struct call *c)
{
	free(c->head);
	free(c->action);
	free(c->command);
	free(c->line);
	free(c->args);
	free(c->flags);
	free(c->file);
}

void calls_release(struct calls *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		call_release(&cs->c[i]);
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

/*
 * The event's text when it is valid UTF-8 (checked once here), else "";
 * a spilled one is read into tb. NULL when it cannot be read.
 */
static const char *valid_text(const struct event *e, size_t *len, struct strbuf *tb)
{
	const char *t;

	*len = 0;
	if (!event_has_text(e))
		return "";
	t = event_text(e, tb);
	if (!t || !utf8_valid(t, e->text_len))
		return t ? "" : NULL;
	*len = e->text_len;
	return t;
}

char *json_string_field(const char *json, const char *key)
{
	size_t kl = strlen(key);
	const char *p = json;
	struct strbuf b;

	if (!json)
		return NULL;
	while ((p = strstr(p, key))) {
		const char *q = p + kl;

		if (p > json && p[-1] == '"' && *q == '"') {
			q++;
			while (*q == ' ')
				q++;
			if (*q == ':') {
				q++;
				while (*q == ' ')
					q++;
				if (*q == '"')
					break;
			}
		}
		p = q;
	}
	if (!p)
		return NULL;
	p = strchr(p + kl, '"');
	p = strchr(p + 1, '"') + 1;
	strbuf_init_cut(&b, 4096);
	while (*p && *p != '"') {
		if (*p == '\\' && p[1]) {
			p++;
			switch (*p) {
			case 'n': strbuf_addch(&b, '\n'); break;
			case 't': strbuf_addch(&b, '\t'); break;
			case 'u':
				strbuf_addch(&b, '?');
				while (isxdigit((unsigned char)p[1]))
					p++;
				break;
			default: strbuf_addch(&b, *p);
			}
			p++;
			continue;
		}
		strbuf_addch(&b, *p++);
	}
	return strbuf_detach(&b, NULL);
}

char *file_type(const char *path)
{
	const char *base, *dot;

	if (!path || !*path)
		return strdup("");
	base = path_base(path);
	dot = strrchr(base, '.');
	if (dot && dot != base && dot[1] && strlen(dot) <= 12)
		return xstrfmt("*%s", dot);
	if (!dot && strlen(base) <= 24 && isupper((unsigned char)base[0]))
		return strdup(base);
	return strdup("");
}

/* The file an apply_patch input works on: its first "*** ... File: " line. */
static char *patch_file(const char *text)
{
	static const char *const marks[] = {
		"*** Update File: ", "*** Add File: ", "*** Delete File: ", NULL
	};
	size_t i;

	for (i = 0; marks[i]; i++) {
		const char *p = strstr(text, marks[i]);

		if (p) {
			p += strlen(marks[i]);
			return strndup(p, strcspn(p, "\n\"\\"));
		}
	}
	return NULL;
}

/*
 * The action of a line that does more than its main command: the head, and
 * what its output is piped into when that is not a filter ("curl | sh").
 */
static char *piped_action(const char *head, const char *text)
{
	struct shell_line l;
	struct strbuf b;
	const char *prog = NULL;
	size_t i, len = strcspn(head, " ");

	if (shell_parse(text, &l) < 0)
		return NULL;
	strbuf_init_cut(&b, 256);
	strbuf_addstr(&b, head);
	for (i = 0; i < l.n && !l.c[i].depth; i++) {
		const struct shell_cmd *c = &l.c[i];
		const char *base = c->prog < c->words.n ? path_base(c->words.w[c->prog]) : "";

		if (!prog) {
			if (strlen(base) == len && !strncmp(base, head, len))
				prog = base;
			continue;
		}
		if (!c->piped)
			break;
		if (*base && !shell_filter(base))
			strbuf_addf(&b, " | %s", base);
	}
	shell_line_release(&l);
	return strbuf_detach(&b, NULL);
}

static int name_call(struct call *c, const struct xrules *x, const struct event *e,
		     const char *text, size_t len, pcre2_match_data *md)
{
	c->shell = shell_tool(e->tool);
	if (c->shell) {
		struct words w = { 0 };
		const struct rule *r;
		char *joined;
		size_t i;
		int whole;

		if (shell_main_command(text, &w, &whole) < 0)
			return -1;
		c->head = shell_head(&x->heads, &w, md);
		c->args = shell_args(&w);
		c->flags = c->head ? shell_head_flags(c->head, &w) : NULL;
		for (i = 1; i < w.n; i++)
			if (strlen(w.w[i]) > WORD_KEEP || strchr(w.w[i], '\n')) {
				free(w.w[i]);
				w.w[i] = strdup("<arg>");
				if (!w.w[i]) {
					words_release(&w);
					return -1;
				}
			}
		joined = shell_join(&w);
		c->command = joined ? normalize(x, FIELD_COMMAND, joined, md, 200) : NULL;
		free(joined);
		words_release(&w);
		if (!c->head || !c->args || !c->flags || !c->command)
			return -1;
		c->line = whole ? strdup(c->command) :
			normalize(x, FIELD_COMMAND, text, md, COMMAND_LINE_MAX);
		if (!c->line)
			return -1;
		if (!*c->head) {
			free(c->head);
			c->head = strdup("sh");
		}
		r = matcher_first(&x->alias, FIELD_COMMAND, c->head, strlen(c->head), md);
		if (r && rule_param(r, "as")) {
			char *file = patch_file(text), *type = file_type(file);

			c->edit = 1;
			c->action = type ? (*type ? xstrfmt("%s %s", rule_param(r, "as"), type)
					  : strdup(rule_param(r, "as"))) : NULL;
			free(file);
			free(type);
		} else {
			c->action = whole ? strdup(c->head) : piped_action(c->head, text);
		}
		c->readonly = c->head && !!matcher_first(&x->readonly, FIELD_COMMAND,
							 c->head, strlen(c->head), md);
	} else {
		const char *tool = e->tool ? e->tool : "tool", *as = tool;
		const struct rule *r;
		char *type;

		c->head = strdup(tool);
		c->file = json_string_field(text, "file_path");
		if (!c->file)
			c->file = json_string_field(text, "notebook_path");
		if (!c->file)
			c->file = patch_file(text);
		if (!c->file)
			c->file = json_string_field(text, "path");
		type = file_type(c->file);
		if (!type)
			return -1;
		r = matcher_first(&x->alias, FIELD_TOOL, tool, strlen(tool), md);
		if (r && rule_param(r, "as"))
			as = rule_param(r, "as");
		c->action = *type ? xstrfmt("%s %s", as, type) : strdup(as);
		free(type);
		c->readonly = !!matcher_first(&x->readonly, FIELD_TOOL, tool, strlen(tool), md);
		c->skip = !!matcher_first(&x->skip, FIELD_TOOL, tool, strlen(tool), md);
	}
	return c->head && c->action ? 0 : -1;
}

/* A call_memo slot: the name of one short call (see struct calls_builder). */
#define MEMO_SLOTS 1024
#define MEMO_TEXT_MAX 256

struct memo {
	int used;
	uint64_t hash;
	char *tool;			/* NULL for a call without one */
	char text[MEMO_TEXT_MAX];
	size_t len;
	struct call c;			/* the named part only */
};

struct call_memo {
	struct memo slot[MEMO_SLOTS];
};

static void memo_free(struct call_memo *memo)
{
	size_t i;

	if (!memo)
		return;
	for (i = 0; i < MEMO_SLOTS; i++) {
		free(memo->slot[i].tool);
		call_release(&memo->slot[i].c);
	}
	free(memo);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*oom = 1;
	return d;
}

/* Copies what name_call() sets; -1 when out of memory (dst then released). */
static int copy_name(struct call *dst, const struct call *src)
{
	int oom = 0;

	dst->shell = src->shell;
	dst->edit = src->edit;
	dst->readonly = src->readonly;
	dst->skip = src->skip;
	dst->head = dup_or_null(src->head, &oom);
	dst->action = dup_or_null(src->action, &oom);
	dst->command = dup_or_null(src->command, &oom);
	dst->line = dup_or_null(src->line, &oom);
	dst->args = dup_or_null(src->args, &oom);
	dst->flags = dup_or_null(src->flags, &oom);
	dst->file = dup_or_null(src->file, &oom);
	if (oom) {
		call_release(dst);
		return -1;
	}
	return 0;
}

static int same_tool(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

static int name_call_memo(struct call *c, const struct xrules *x, struct call_memo *memo,
			  const struct event *e, pcre2_match_data *md, struct strbuf *tb)
{
	size_t len;
	const char *text = valid_text(e, &len, tb);
	uint64_t h = 0xcbf29ce484222325ULL;
	struct memo *m;
	size_t i;

	if (!text)
		return -1;
	if (!memo || len > MEMO_TEXT_MAX)
		return name_call(c, x, e, text, len, md);
	for (i = 0; e->tool && e->tool[i]; i++)
		h = (h ^ (unsigned char)e->tool[i]) * 0x100000001b3ULL;
	h = (h ^ (e->tool ? 0x100 : 0x200)) * 0x100000001b3ULL;
	/* The text by 8 bytes a round: a byte at a time was most of the memo's cost. */
	h = hash_fast(text, len, h);
	m = &memo->slot[h & (MEMO_SLOTS - 1)];
	if (m->used && m->hash == h && m->len == len &&
	    same_tool(m->tool, e->tool) && !memcmp(m->text, text, len))
		return copy_name(c, &m->c);
	if (name_call(c, x, e, text, len, md) < 0)
		return -1;
	free(m->tool);
	call_release(&m->c);
	memset(m, 0, sizeof(*m));
	m->tool = e->tool ? strdup(e->tool) : NULL;
	if ((e->tool && !m->tool) || copy_name(&m->c, c) < 0) {
		free(m->tool);
		memset(m, 0, sizeof(*m));
		return 0;
	}
	memcpy(m->text, text, len);
	m->len = len;
	m->hash = h;
	m->used = 1;
	return 0;
}

/* How far back a result with no call of its id looks for an open call. */
#define OWNER_LOOKBACK 1024

/*
 * The call a result or rejection belongs to: by call_id, else the latest
 * open one of its tool (of those with no id, when it has one) among the
 * last OWNER_LOOKBACK.
 */
static long owner(const struct calls *cs, const struct call_ids *ix, const struct event *ev,
		  const struct event *e, int want_open)
{
	size_t i, n = e->call_id ? ix->nnoid : cs->n, seen = 0;
	long k;

	if (e->call_id && (k = call_ids_find(ix, cs, ev, e->call_id)) >= 0)
		return k;
	for (i = n; i-- > 0 && seen++ < OWNER_LOOKBACK;) {
		size_t j = e->call_id ? ix->noid[i] : i;
		const struct call *c = &cs->c[j];

		if (want_open && c->res >= 0)
			continue;
		if (e->tool && ev[c->ev].tool && strcmp(e->tool, ev[c->ev].tool))
			continue;
		return (long)j;
	}
	return -1;
}

static int build(struct calls *cs, const struct xrules *x, struct call_memo *memo,
		 const struct event *ev, size_t n, pcre2_match_data *md)
{
	struct call_ids ix;
	struct strbuf tb;
	size_t i, alloc = 0;

	memset(cs, 0, sizeof(*cs));
	call_ids_init(&ix);
	strbuf_init_cut(&tb, STRBUF_NOLIMIT);
	for (i = 0; i < n; i++) {
		const struct event *e = &ev[i];
		long k;

		if (e->kind == EVENT_TOOL_CALL) {
			struct call *c;

			if (cs->n == alloc) {
				size_t na = alloc ? 2 * alloc : 32;
				struct call *p = realloc(cs->c, na * sizeof(*p));

				if (!p)
					goto oom;
				cs->c = p;
				alloc = na;
			}
			c = &cs->c[cs->n++];
			memset(c, 0, sizeof(*c));
			c->ev = i;
			c->res = -1;
			if (name_call_memo(c, x, memo, e, md, &tb) < 0 ||
			    call_ids_add(&ix, cs, ev, cs->n - 1) < 0)
				goto oom;
		} else if (e->kind == EVENT_TOOL_RESULT) {
			const struct rule *r;
			size_t len;
			const char *text = valid_text(e, &len, &tb);

			if (!text)
				goto oom;
			k = owner(cs, &ix, ev, e, 1);
			if (k < 0 || cs->c[k].res >= 0)
				continue;
			cs->c[k].res = (long)i;
			cs->c[k].text_ok = event_has_text(e) && len == e->text_len;
			cs->c[k].failed = e->is_error;
			/* grep found nothing, diff found a difference: an answer. */
			if (e->is_error && e->exit_code == 1 && cs->c[k].command &&
			    matcher_first(&x->nomatch, FIELD_COMMAND, cs->c[k].command,
					  strlen(cs->c[k].command), md) &&
			    !matcher_first(&x->errline, FIELD_OUTPUT, text, len, md))
				cs->c[k].failed = 0;
			r = matcher_first(&x->ignore, FIELD_OUTPUT, text, len, md);
			if (r) {
				cs->c[k].failed = 0;
				cs->c[k].ignored = 1;
				if (r->label && !strcmp(r->label, "rejected"))
					cs->c[k].rejected = 1;
			}
		} else if (e->kind == EVENT_REJECTED || e->kind == EVENT_INTERRUPTED) {
			k = owner(cs, &ix, ev, e, 0);
			if (k >= 0 && (e->kind == EVENT_REJECTED || !call_succeeded(&cs->c[k])))
				cs->c[k].rejected = 1;
		}
	}
	strbuf_release(&tb);
	call_ids_release(&ix);
	return 0;
oom:
	strbuf_release(&tb);
	call_ids_release(&ix);
	calls_release(cs);
	return -1;
}

int calls_build(struct calls *cs, const struct xrules *x, const struct event *ev,
		size_t n, pcre2_match_data *md)
{
	return build(cs, x, NULL, ev, n, md);
}

int calls_builder_init(struct calls_builder *b, const struct rule_set *rules, char **cause)
{
	memset(b, 0, sizeof(*b));
	if (xrules_init(&b->x, rules, cause) < 0)
		return -1;
	b->md = matcher_data();
	b->memo = calloc(1, sizeof(*b->memo));
	if (!b->md || !b->memo) {
		calls_builder_release(b);
		*cause = xstrfmt("out of memory");
		return -1;
	}
	return 0;
}

void calls_builder_release(struct calls_builder *b)
{
	memo_free(b->memo);
	pcre2_match_data_free(b->md);
	xrules_release(&b->x);
	memset(b, 0, sizeof(*b));
}

int calls_builder_build(struct calls_builder *b, struct calls *cs, const struct event *ev,
			size_t n)
{
	return build(cs, &b->x, b->memo, ev, n, b->md);
}

long calls_find_event(const struct calls *cs, size_t ev)
{
	size_t lo = 0, hi = cs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cs->c[mid].ev < ev)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cs->n && cs->c[lo].ev == ev ? (long)lo : -1;
}

int call_succeeded(const struct call *c)
{
	return c->res >= 0 && !c->failed && !c->ignored && !c->rejected;
}

static int blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

static char *line_copy(const char *s, size_t len)
{
	const char *esc = memmem(s, len, "\\n", 2);

	if (esc)
		len = esc - s;
	while (len && isspace((unsigned char)*s))
		s++, len--;
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len > LINE_MAX_BYTES)
		len = utf8_cut(s, LINE_MAX_BYTES);
	return strndup(s, len);
}

char *salient_line(const struct xrules *x, const struct matcher *group,
		   const char *text, size_t len, pcre2_match_data *md,
		   const struct rule **rule)
{
	size_t from = 0;
	const char *end = text + len, *p;
	long r;

	*rule = NULL;
	while ((r = matcher_next(group, &from, FIELD_OUTPUT, text, len, md)) >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		const char *ls = text + ov[0], *le, *g;
		size_t n;

		while (ls > text && ls[-1] != '\n')
			ls--;
		le = memchr(text + ov[0], '\n', end - (text + ov[0]));
		if (!le)
			le = end;
		if (matcher_group(group, r, md, "line", text, &g, &n) == 0) {
			ls = g;
			le = g + n;
		}
		if (blank(ls, le - ls))
			continue;
		*rule = group->r[r].rule;
		return line_copy(ls, le - ls);
	}
	p = end;
	while (p > text) {
		const char *le = p, *ls = p;

		while (ls > text && ls[-1] != '\n')
			ls--;
		p = ls > text ? ls - 1 : text;
		if (blank(ls, le - ls))
			continue;
		if (matcher_first(&x->noise, FIELD_OUTPUT, ls, le - ls, md))
			continue;
		return line_copy(ls, le - ls);
	}
	return strdup("");
}

char *normalize(const struct xrules *x, unsigned field, const char *s,
		pcre2_match_data *md, size_t max)
{
	char *r = matcher_rewrite(&x->normalize, field, s, strlen(s), md);
	char *w, *q;
	int space = 1;

	if (!r)
		return NULL;
	for (w = q = r; *q; q++) {
		if (isspace((unsigned char)*q)) {
			if (!space)
				*w++ = ' ';
			space = 1;
			continue;
		}
		*w++ = *q;
		space = 0;
	}
	if (w > r && w[-1] == ' ')
		w--;
	*w = '\0';
	if ((size_t)(w - r) > max)
		r[utf8_cut(r, max)] = '\0';
	return r;
}

char *excerpt(const char *s, size_t len)
{
	struct strbuf b;
	size_t i = 0;
	int space = 1;

	strbuf_init_cut(&b, EXCERPT_MAX);
	while (s && i < len) {
		unsigned char c = s[i];
		size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;

		if (c < 0x20 || c == 0x7f || c == ' ') {
			if (!space)
				strbuf_addch(&b, ' ');
			space = 1;
			i++;
			continue;
		}
		if (n > len - i || b.len + n > EXCERPT_MAX)
			break;
		space = 0;
		strbuf_add(&b, s + i, n);
		i += n;
	}
	while (b.len && b.buf[b.len - 1] == ' ')
		b.buf[--b.len] = '\0';
	return strbuf_detach(&b, NULL);
}

void obs_evidence(struct observation *o, const struct session_meta *meta,
		  const struct event *e)
{
	o->session = meta->id;
	o->user = meta->user;
	o->agent = meta->agent;
	o->project = meta->project;
	o->seq = e ? e->seq : 0;
	o->ts = e ? e->ts : 0;
}
