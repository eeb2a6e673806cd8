/*
 * mistakes.c: the call-based mistake extractors.
 *
 * failing-calls  a shell call that failed, keyed by its signature: the
 *                command head and the normalized salient error line
 *                ("git push => fatal: The current branch <branch> has no
 *                upstream branch."), with what fixed it in the session.
 * tool-misuse    the same for non-shell tools (Edit, Read, apply_patch),
 *                with the recovery agents used on the same file.
 * thrashing      the same failing command run three or more times in a row.
 *
 * Each emits one observation per key per session: the evidence is the first
 * occurrence, count says how many there were, and fix/fixed come from the
 * first occurrence that was fixed. A failure whose error-line rule has
 * params.only_with_fix (failing tests: normal work when edits fix them) is
 * only a mistake when a command or a changed retry fixed it. A fix is
 * written "first: CMD" (CMD ran
 * between the failure and the retry that worked) or "instead: CMD" (the
 * retry itself changed); describe() words the two differently. CMD is the
 * whole line as it ran (`curl URL | sh`, not `curl URL`) unless the rest
 * only changed directory or filtered output; a line too long for a fix
 * gives none rather than a cut one.
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "extractors/rules-state.h"
#include "extractors/shell.h"
#include "extractors/words.h"
#include "dreamd/common/spill.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define DETAIL_MAX 160
#define FIX_MAX 200
#define FIX_STEPS 3
#define THRASH_RUN 3

/* One key's observation in a session, being gathered. */
struct found {
	char *key, *subject, *detail, *fix, *excerpt;
	size_t first;		/* call index of the first occurrence */
	unsigned count;
	int fixed;
};

struct found_list {
	struct found *f;
	size_t n, alloc;
};

static void found_release(struct found_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->f[i].key);
		free(l->f[i].subject);
		free(l->f[i].detail);
		free(l->f[i].fix);
		free(l->f[i].excerpt);
	}
	free(l->f);
	memset(l, 0, sizeof(*l));
}

static struct found *found_get(struct found_list *l, const char *key, int *is_new)
{
	size_t i;

	*is_new = 0;
	for (i = 0; i < l->n; i++)
		if (!strcmp(l->f[i].key, key))
			return &l->f[i];
	if (l->n == l->alloc) {
		size_t alloc = l->alloc ? 2 * l->alloc : 8;
		struct found *p = realloc(l->f, alloc * sizeof(*p));

		if (!p)
			return NULL;
		l->f = p;
		l->alloc = alloc;
	}
	memset(&l->f[l->n], 0, sizeof(l->f[l->n]));
	l->f[l->n].key = strdup(key);
	if (!l->f[l->n].key)
		return NULL;
	*is_new = 1;
	return &l->f[l->n++];
}

static int cmp_found(const void *a, const void *b)
{
	return strcmp(((const struct found *)a)->key, ((const struct found *)b)->key);
}

static int init(void **state, const struct rule_set *rules, char **cause)
{
	return rules_state_new(state, rules, RULES_CALLS, NULL, cause);
}

/* Same program with the same arguments, or the same head: a retry of c. */
static int is_retry(const struct call *c, const struct call *d)
{
	if (!d->shell)
		return 0;
	if (!strcmp(c->head, d->head))
		return 1;
	return *c->args && !strcmp(c->args, d->args);
}

/* 1 when command b has a word that a does not: a retry that changed something. */
static int adds_words(const char *a, const char *b)
{
	size_t al = strlen(a);

	while (*b) {
		size_t n = strcspn(b, " ");
		const char *p = a;
		int found = 0;

		while (!found && (p = memmem(p, al - (size_t)(p - a), b, n))) {
			found = (p == a || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0');
			p++;
		}
		if (n && !found)
			return 1;
		b += n;
		b += strspn(b, " ");
	}
	return 0;
}

/*
 * The fix of failed call i, or NULL; *fixed when a retry later worked. What
 * ran between the last failed attempt and the retry that worked is the fix
 * ("first: npm install"), unless code was edited there (then the edit was
 * the fix, which says nothing general) or nothing or too much ran; then a retry
 * with something new, right after the failure with nothing but looks in
 * between, is ("instead: python3 x.py"). -1: no memory.
 */
static int find_fix(const struct calls *cs, size_t i, char **fix, int *fixed)
{
	const struct call *c = &cs->c[i];
	struct strbuf b;
	const char *prev = NULL;
	size_t j, k, last = i, steps = 0;

	*fix = NULL;
	*fixed = 0;
	for (j = i + 1; j < cs->n; j++) {
		const struct call *d = &cs->c[j];
		int retry = c->shell ? is_retry(c, d) :
			(!strcmp(c->head, d->head) &&
			 (!c->file || (d->file && !strcmp(c->file, d->file))));

		if (!retry)
			continue;
		if (call_succeeded(d))
			break;
		if (d->failed)
			last = j;
	}
	if (j >= cs->n)
		return 0;
	*fixed = 1;
	/* Code was edited before the retry worked: the edit was the fix. */
	if (c->shell)
		for (k = last + 1; k < j; k++)
			if (call_succeeded(&cs->c[k]) && !cs->c[k].skip && !cs->c[k].readonly &&
			    (!cs->c[k].shell || cs->c[k].edit))
				return 0;
	strbuf_init_cut(&b, FIX_MAX);
	for (k = last + 1; k < j; k++) {
		const struct call *d = &cs->c[k];

		if (!call_succeeded(d) || d->skip || (c->shell && d->readonly))
			continue;
		if (c->shell) {
			if (!d->shell || d->edit || is_retry(c, d) ||
			    (prev && !strcmp(prev, d->line)))
				continue;
			strbuf_addstr(&b, steps ? " && " : "first: ");
			strbuf_addstr(&b, d->line);
			prev = d->line;
		} else {
			if (d->shell || !c->file || !d->file || strcmp(c->file, d->file) ||
			    !strcmp(d->head, c->head))
				continue;
			if (b.len && strstr(strbuf_str(&b), d->head))
				continue;
			strbuf_addstr(&b, steps ? " then " : "first: ");
			strbuf_addstr(&b, d->head);
		}
		steps++;
	}
	if (steps && steps <= FIX_STEPS && !b.cut) {
		*fix = strbuf_detach(&b, NULL);
		return *fix ? 0 : -1;
	}
	strbuf_release(&b);
	for (k = last + 1; k < j; k++)
		if (!cs->c[k].readonly && !cs->c[k].skip && call_succeeded(&cs->c[k]))
			return 0;
	if (c->shell && adds_words(cs->c[last].command, cs->c[j].command) &&
	    strlen(cs->c[j].line) <= FIX_MAX) {
		*fix = xstrfmt("instead: %s", cs->c[j].line);
		return *fix ? 0 : -1;
	}
	return 0;
}

/*
 * The head of the part of a compound command that failed: the program the
 * error-line rule names (params.program: `git add` for "paths are ignored"),
 * else the one the error line begins with ("cat: x: No such file"), when it
 * is a part of the command; else the call's head (its main command). A chain
 * `git add x && git commit` that stopped at `git add` is `git add`'s failure.
 * malloc'd; NULL: no memory.
 */
static char *failed_head(const struct rules_state *s, const struct event *call,
			 const struct call *c, const struct rule *rule, const char *line,
			 pcre2_match_data *md)
{
	const char *want = rule ? rule_param(rule, "program") : NULL, *text;
	char prog[64];
	struct words w = { 0 };
	struct strbuf tb;
	char *head = NULL;
	int rc;

	if (!c->shell || !event_has_text(call) || !c->text_ok)
		return strdup(c->head);
	if (!want) {
		size_t n = strspn(line, "abcdefghijklmnopqrstuvwxyz0123456789_.-");

		if (!n || n >= sizeof(prog) || line[n] != ':')
			return strdup(c->head);
		memcpy(prog, line, n);
		prog[n] = '\0';
		want = prog;
	}
	strbuf_init_cut(&tb, STRBUF_NOLIMIT);
	text = event_text(call, &tb);
	rc = text ? shell_find_command(text, want, &w) : -1;
	strbuf_release(&tb);
	if (rc < 0)
		return NULL;
	head = rc ? shell_head(&s->x.heads, &w, md) : strdup(c->head);
	words_release(&w);
	return head;
}

/* The signature of failed call i: key, subject, detail and raw excerpt. */
static int signature(const struct rules_state *s, const struct event *ev, const struct call *c,
		     pcre2_match_data *md, char **key, char **subject, char **detail, char **raw,
		     int *only_with_fix)
{
	const struct event *r = &ev[c->res];
	const struct rule *rule = NULL;
	const char *text = "";
	struct strbuf tb;
	char *line = NULL;

	strbuf_init_cut(&tb, STRBUF_NOLIMIT);
	if (c->text_ok && event_has_text(r))
		text = event_text(r, &tb);
	if (text)
		line = salient_line(&s->x, c->shell ? &s->x.errline : &s->x.toolerr, text,
				    c->text_ok ? r->text_len : 0, md, &rule);
	strbuf_release(&tb);
	if (!line)
		return -1;
	*only_with_fix = rule && rule_param(rule, "only_with_fix");
	if (!*line) {
		free(line);
		line = r->exit_code > 0 ? xstrfmt("exit code %d", r->exit_code)
					: strdup("failed");
		if (!line)
			return -1;
	}
	*detail = normalize(&s->x, FIELD_OUTPUT, line, md, DETAIL_MAX);
	*raw = excerpt(line, strlen(line));
	*subject = failed_head(s, &ev[c->ev], c, rule, line, md);
	free(line);
	if (!*detail || !*raw || !*subject)
		goto oom;
	*key = xstrfmt("%s => %s", *subject, *detail);
	if (!*key)
		goto oom;
	return 0;
oom:
	free(*detail);
	free(*raw);
	free(*subject);
	*detail = *raw = *subject = NULL;
	return -1;
}

enum mode { MODE_FAILING, MODE_MISUSE, MODE_THRASH };

/* What signature() makes of a failed call. */
struct sig {
	char *key, *subject, *detail, *raw;
};

static void sig_release(struct sig *g)
{
	free(g->key);
	free(g->subject);
	free(g->detail);
	free(g->raw);
	memset(g, 0, sizeof(*g));
}

/*
 * Counts a failed call, first seen at call first, under its key: a thrash
 * by its longest run, others once each, with the fix that followed. Takes
 * g's strings and fix; -1 when out of memory.
 */
static int found_add(struct found_list *l, enum mode mode, size_t first, size_t run,
		     struct sig *g, char *fix, int fixed)
{
	struct found *f;
	int is_new;

	f = g->key ? found_get(l, g->key, &is_new) : NULL;
	if (!f) {
		sig_release(g);
		free(fix);
		return -1;
	}
	free(g->key);
	g->key = NULL;
	if (is_new) {
		f->first = first;
		f->subject = g->subject;
		f->detail = g->detail;
		f->excerpt = g->raw;
		memset(g, 0, sizeof(*g));
	} else {
		sig_release(g);
	}
	if (mode != MODE_THRASH)
		f->count++;
	else if (run > f->count)
		f->count = (unsigned)run;
	if (fixed && !f->fixed) {
		f->fixed = 1;
		free(f->fix);
		f->fix = fix;
	} else if (!f->fix && !f->fixed) {
		f->fix = fix;
	} else {
		free(fix);
	}
	return 0;
}

/* Emits what l found, sorted by key. -1 with *cause when emit refuses one. */
static int emit_found(struct found_list *l, enum mode mode, const char *name,
		      const struct session_view *v, extractor_emit_fn emit, void *emit_data,
		      char **cause)
{
	size_t i;

	if (l->n)
		qsort(l->f, l->n, sizeof(*l->f), cmp_found);
	for (i = 0; i < l->n; i++) {
		struct observation o = { 0 };
		const struct found *f = &l->f[i];

		o.extractor = name;
		o.kind = "mistake";
		o.key = f->key;
		o.subject = f->subject;
		o.detail = f->detail;
		o.fix = mode == MODE_THRASH ? NULL : f->fix;
		o.fixed = mode == MODE_THRASH ? 0 : f->fixed;
		o.excerpt = f->excerpt;
		o.behaviour = 1;
		o.count = f->count;
		obs_evidence(&o, v->meta, &v->events[v->calls->c[f->first].ev]);
		if (emit(emit_data, &o) < 0) {
			*cause = xstrfmt("cannot keep an observation of '%s'", f->key);
			return -1;
		}
	}
	return 0;
}

static int feed_mode(enum mode mode, const char *name, void *state,
		     const struct session_view *v, extractor_emit_fn emit, void *emit_data,
		     char **cause)
{
	const struct event *ev = v->events;
	const struct rules_state *s = state;
	pcre2_match_data *md = matcher_data();
	const struct calls *cs = v->calls;
	struct found_list l = { 0 };
	size_t i, run = 0;
	char *prev = NULL;
	int ret = -1;

	if (!md)
		goto oom;
	for (i = 0; i < cs->n; i++) {
		const struct call *c = &cs->c[i];
		struct sig g = { 0 };
		char *fix = NULL;
		int fixed = 0, only_with_fix = 0;

		if (mode == MODE_THRASH && !c->readonly && (!c->shell || !c->failed ||
							    c->rejected || c->res < 0)) {
			free(prev);
			prev = NULL;
			run = 0;
		}
		if (!c->failed || c->rejected || c->ignored || c->res < 0 ||
		    (mode == MODE_MISUSE) == c->shell)
			continue;
		if (signature(s, ev, c, md, &g.key, &g.subject, &g.detail, &g.raw,
			      &only_with_fix) < 0)
			goto oom;
		if (mode == MODE_THRASH) {
			run = prev && !strcmp(prev, g.key) ? run + 1 : 1;
			free(prev);
			prev = g.key;
			g.key = NULL;
			if (run < THRASH_RUN) {
				sig_release(&g);
				continue;
			}
			g.key = strdup(prev);
		} else if (find_fix(cs, i, &fix, &fixed) < 0) {
			sig_release(&g);
			goto oom;
		} else if (only_with_fix && !fix) {
			sig_release(&g);
			continue;
		}
		if (found_add(&l, mode, mode == MODE_THRASH ? i - (run - 1) : i, run, &g, fix,
			      fixed) < 0)
			goto oom;
	}
	ret = emit_found(&l, mode, name, v, emit, emit_data, cause);
	goto cleanup;
oom:
	*cause = xstrfmt("out of memory in %s", name);
cleanup:
	free(prev);
	found_release(&l);
	pcre2_match_data_free(md);
	return ret;
}

static int feed_failing(void *state, const struct session_view *v, extractor_emit_fn emit,
			void *emit_data, char **cause)
{
	return feed_mode(MODE_FAILING, "failing-calls", state, v, emit, emit_data, cause);
}

static int feed_misuse(void *state, const struct session_view *v, extractor_emit_fn emit,
		       void *emit_data, char **cause)
{
	return feed_mode(MODE_MISUSE, "tool-misuse", state, v, emit, emit_data, cause);
}

static int feed_thrash(void *state, const struct session_view *v, extractor_emit_fn emit,
		       void *emit_data, char **cause)
{
	return feed_mode(MODE_THRASH, "thrashing", state, v, emit, emit_data, cause);
}

/* "first: npm install" -> "first", "npm install". */
static const char *fix_split(const char *fix, int *instead)
{
	*instead = 0;
	if (!strncmp(fix, "instead: ", 9)) {
		*instead = 1;
		return fix + 9;
	}
	if (!strncmp(fix, "first: ", 7))
		return fix + 7;
	return fix;
}

static void fix_evidence(struct strbuf *b, const struct candidate_summary *c, const char *verb)
{
	strbuf_addf(b, " (%s it in %d of ", verb, c->fix_sessions);
	words_count(b, c->sessions, "session", "sessions");
	strbuf_addstr(b, ", ");
	words_count(b, c->users, "user", "users");
	strbuf_addstr(b, ").");
}

static int describe_failing(const struct candidate_summary *c, char **title,
			    char **body, char **cause)
{
	struct strbuf t, b;
	const char *detail = c->detail ? c->detail : "";

	strbuf_init_cut(&t, 300);
	strbuf_init_cut(&b, 2000);
	words_code(&t, c->subject, 80);
	strbuf_addstr(&t, " fails with ");
	words_code(&t, detail, 100);
	strbuf_addstr(&b, "When ");
	words_code(&b, c->subject, 120);
	strbuf_addstr(&b, " fails with ");
	words_code(&b, detail, DETAIL_MAX);
	if (c->fix && c->fix_sessions > 0) {
		int instead;
		const char *cmd = fix_split(c->fix, &instead);

		strbuf_addstr(&b, ", run ");
		words_code(&b, cmd, FIX_MAX);
		strbuf_addstr(&b, instead ? " instead" : " first");
		fix_evidence(&b, c, "fixed");
	} else {
		strbuf_addstr(&b, ", read the error before retrying: it happened in ");
		words_support(&b, c);
		strbuf_addstr(&b, c->fix_sessions > 0 ? ", and a later retry worked in " : ".");
		if (c->fix_sessions > 0) {
			words_count(&b, c->fix_sessions, "session", "sessions");
			strbuf_addch(&b, '.');
		}
	}
	return words_finish(&t, &b, title, body, cause);
}

static int describe_misuse(const struct candidate_summary *c, char **title,
			   char **body, char **cause)
{
	struct strbuf t, b;
	const char *detail = c->detail ? c->detail : "";

	strbuf_init_cut(&t, 300);
	strbuf_init_cut(&b, 2000);
	words_code(&t, c->subject, 40);
	strbuf_addstr(&t, " tool error: ");
	words_code(&t, detail, 100);
	strbuf_addstr(&b, "When the ");
	words_code(&b, c->subject, 40);
	strbuf_addstr(&b, " tool fails with ");
	words_code(&b, detail, DETAIL_MAX);
	if (c->fix && c->fix_sessions > 0) {
		int instead;
		const char *what = fix_split(c->fix, &instead);

		strbuf_addstr(&b, ", use ");
		words_code(&b, what, 80);
		strbuf_addstr(&b, " on the same file before retrying");
		fix_evidence(&b, c, "recovered");
	} else {
		strbuf_addstr(&b, ", check the input before retrying: it happened in ");
		words_support(&b, c);
		strbuf_addch(&b, '.');
	}
	return words_finish(&t, &b, title, body, cause);
}

static int describe_thrash(const struct candidate_summary *c, char **title,
			   char **body, char **cause)
{
	struct strbuf t, b;
	const char *detail = c->detail ? c->detail : "";

	strbuf_init_cut(&t, 300);
	strbuf_init_cut(&b, 2000);
	strbuf_addstr(&t, "Repeated failing ");
	words_code(&t, c->subject, 80);
	strbuf_addstr(&t, " runs");
	strbuf_addstr(&b, "Agents ran ");
	words_code(&b, c->subject, 120);
	strbuf_addf(&b, " %d or more times in a row while it kept failing with ", THRASH_RUN);
	words_code(&b, detail, DETAIL_MAX);
	strbuf_addstr(&b, " (");
	words_support(&b, c);
	strbuf_addstr(&b, "). After the second failure, stop, read the error and change "
		    "something before running it again.");
	return words_finish(&t, &b, title, body, cause);
}

const struct extractor_ops failing_calls_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "failing-calls",
	.init = init,
	.feed = feed_failing,
	.describe = describe_failing,
	.free = rules_state_free,
};

const struct extractor_ops tool_misuse_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "tool-misuse",
	.init = init,
	.feed = feed_misuse,
	.describe = describe_misuse,
	.free = rules_state_free,
};

const struct extractor_ops thrashing_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "thrashing",
	.init = init,
	.feed = feed_thrash,
	.describe = describe_thrash,
	.free = rules_state_free,
};
