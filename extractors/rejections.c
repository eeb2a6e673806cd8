/*
 * rejections.c: tool calls the user refused or interrupted, with the words
 * that followed ("No, never force push to main").
 *
 * The action is the rejected call's head and flags ("git push --force") or
 * the tool and file type ("Edit *.lock"); the gist of the user's next
 * message, if one came before the agent's next call, is read with the
 * preference rules (slot=value) or else reduced to its canonical words. key
 * = "ACTION | GIST" or just ACTION; when the words have a slot, ACTION is
 * the head alone ("git push | git-push=not force-push"), so `-f` and
 * `--force` meet. Only the user's own text is read for the
 * words; the rejection itself is behaviour.
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "extractors/prefs.h"
#include "extractors/rules-state.h"
#include "extractors/similarity.h"
#include "extractors/words.h"
#include "dreamd/common/spill.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define LOOKAHEAD 8
#define GIST_WORDS 6

static int rinit(void **state, const struct rule_set *rules, char **cause)
{
	return rules_state_new(state, rules, RULES_CALLS | RULES_PREFS, NULL, cause);
}

struct gist_walk {
	const struct prefrules *p;
	pcre2_match_data *md;
	struct pref pref;
	int found;
};

static int gist_sentence(const char *s, size_t len, void *data)
{
	struct gist_walk *g = data;
	int rc = pref_read(g->p, s, len, g->md, &g->pref);

	if (rc > 0)
		g->found = 1;
	return rc;
}

/*
 * 1 when the user's words only say go on ("continue", "ok, go ahead"): a
 * rejection taken back, not a preference against the call.
 */
static int go_ahead(const char *t, size_t len)
{
	static const char *const ok[] = {"continue", "go", "on", "ahead", "ok", "okay",
		"yes", "yep", "y", "proceed", "please", "sure", "sorry", "fine", "do", "it"};
	size_t i = 0, n, k, words = 0;

	while (i < len) {
		char w[16];

		while (i < len && !((t[i] | 32) >= 'a' && (t[i] | 32) <= 'z'))
			i++;
		for (n = 0; i < len && (t[i] | 32) >= 'a' && (t[i] | 32) <= 'z'; i++)
			if (n < sizeof(w) - 1)
				w[n++] = (char)(t[i] | 32);
		if (!n)
			break;
		w[n] = '\0';
		for (k = 0; k < sizeof(ok) / sizeof(*ok) && strcmp(ok[k], w); k++)
			;
		if (k == sizeof(ok) / sizeof(*ok))
			return 0;
		words++;
	}
	return words > 0;
}

/* 1 when a call after i runs what call i did and succeeds. */
static int ran_later(const struct calls *cs, size_t i)
{
	const struct call *c = &cs->c[i];
	size_t j;

	for (j = i + 1; j < cs->n; j++)
		if (!strcmp(cs->c[j].action, c->action) &&
		    (!c->command || (cs->c[j].command && !strcmp(cs->c[j].command, c->command))))
			return call_succeeded(&cs->c[j]);
	return 0;
}

/*
 * What the user refused, by the tool's own name: a rejected Write is not an
 * Edit (workflows alias them, rejections do not). malloc'd.
 */
static char *refused(const struct call *c)
{
	const char *sp;

	if (c->shell)
		return strdup(c->flags);
	sp = strchr(c->action, ' ');
	return xstrfmt("%s%s", c->head, sp ? sp : "");
}

/* What the user said: an event's text, read (when it was spilled) into tb. */
struct words_said {
	const struct event *e;	/* NULL: nothing */
	const char *text;
	size_t len;
	struct strbuf tb;
};

/*
 * The user's words after call c (into *u): the first USER event before the
 * next call. -1 when a spilled text cannot be read.
 */
static int next_words(const struct event *ev, size_t n, size_t from, struct words_said *u)
{
	size_t i;

	u->e = NULL;
	for (i = from + 1; i < n && i <= from + LOOKAHEAD; i++) {
		const char *t;

		if (ev[i].kind == EVENT_TOOL_CALL)
			return 0;
		if (ev[i].kind != EVENT_USER || !event_has_text(&ev[i]) || !ev[i].text_len)
			continue;
		if (!(t = event_text(&ev[i], &u->tb)))
			return -1;
		if (strncmp(t, "[Request interrupted", 20) && utf8_valid(t, ev[i].text_len)) {
			u->e = &ev[i];
			u->text = t;
			u->len = ev[i].text_len;
			return 0;
		}
	}
	return 0;
}

struct rej {
	char *key, *action, *words, *value;
	size_t ev;
	unsigned count;
	int authored;
};

static int cmp_rej(const void *a, const void *b)
{
	return strcmp(((const struct rej *)a)->key, ((const struct rej *)b)->key);
}

/*
 * Is rejected call i one to learn from? u is then the user's first words
 * after it and the rejections and interruptions that follow (u->e NULL:
 * none). -1 when a spilled text cannot be read.
 */
static int worth_learning(const struct calls *cs, size_t i, const struct event *ev, size_t n,
			  struct words_said *u)
{
	const struct call *c = &cs->c[i];
	size_t after = c->res >= 0 ? (size_t)c->res : c->ev;

	u->e = NULL;
	if (!c->rejected)
		return 0;
	/* A look or a wait refused says nothing against the call. */
	if (c->readonly || c->skip)
		return 0;
	/* Issued before its rejected sibling's answer: cancelled with it. */
	if (i && cs->c[i - 1].rejected && cs->c[i - 1].res > (long)c->ev)
		return 0;
	while (after + 1 < n && (ev[after + 1].kind == EVENT_REJECTED ||
				 ev[after + 1].kind == EVENT_INTERRUPTED))
		after++;
	if (next_words(ev, n, after, u) < 0)
		return -1;
	return !(u->e && go_ahead(u->text, u->len) && ran_later(cs, i));
}

/*
 * The key of rejected call c: the act refused (*act, malloc'd), and the
 * gist of what the user said after it (u; g keeps the preference found in
 * it). NULL when out of memory.
 */
static char *rejection_key(const struct call *c, const struct words_said *u,
			   struct gist_walk *g, char **act)
{
	char *gist = NULL, *key;

	*act = NULL;
	if (u->e) {
		if (for_each_sentence(u->text, u->len, gist_sentence, g) < 0)
			return NULL;
		gist = g->found ? strdup(g->pref.gist) : token_key(u->text, u->len, GIST_WORDS);
		if (!gist)
			return NULL;
	}
	*act = refused(c);
	/* Words with a slot say why: any flags of the head are the same act. */
	if (!*act)
		key = NULL;
	else if (gist && *gist)
		key = xstrfmt("%s | %s", c->shell && !(g->found && g->pref.slot) ?
			      *act : c->shell ? c->action : *act, gist);
	else
		key = strdup(*act);
	free(gist);
	return key;
}

/* Emits the rejections, sorted. -1 with *cause when emit refuses one. */
static int emit_rejections(struct rej *r, size_t nr, const struct session_view *v,
			   extractor_emit_fn emit, void *emit_data, char **cause)
{
	size_t i;

	qsort(r, nr, sizeof(*r), cmp_rej);
	for (i = 0; i < nr; i++) {
		struct observation o = { 0 };

		o.extractor = "rejections";
		o.kind = "preference";
		o.key = r[i].key;
		o.subject = r[i].action;
		o.detail = r[i].words;
		o.value = r[i].value;
		o.excerpt = r[i].words ? r[i].words : r[i].action;
		o.behaviour = 1;
		o.user_authored = r[i].authored;
		o.count = r[i].count;
		obs_evidence(&o, v->meta, &v->events[r[i].ev]);
		if (emit(emit_data, &o) < 0) {
			*cause = xstrfmt("cannot keep an observation of '%s'", o.key);
			return -1;
		}
	}
	return 0;
}

static int rfeed(void *state, const struct session_view *v, extractor_emit_fn emit,
		 void *emit_data, char **cause)
{
	const struct rules_state *s = state;
	pcre2_match_data *md = matcher_data();
	const struct calls *cs = v->calls;
	struct rej *r = NULL;
	struct words_said u;
	size_t i, j, nr = 0;
	int ret = -1, worth;

	strbuf_init_cut(&u.tb, STRBUF_NOLIMIT);
	if (!md)
		goto oom;
	r = calloc(cs->n + 1, sizeof(*r));
	if (!r)
		goto oom;
	for (i = 0; i < cs->n; i++) {
		const struct call *c = &cs->c[i];
		struct gist_walk g = { &s->p, md, { 0 }, 0 };
		char *key, *act;

		if ((worth = worth_learning(cs, i, v->events, v->n, &u)) < 0)
			goto oom;
		if (!worth)
			continue;
		key = rejection_key(c, &u, &g, &act);
		if (!key) {
			free(act);
			pref_release(&g.pref);
			goto oom;
		}
		for (j = 0; j < nr; j++)
			if (!strcmp(r[j].key, key))
				break;
		if (j < nr) {
			r[j].count++;
			free(key);
			free(act);
			pref_release(&g.pref);
			continue;
		}
		r[nr].key = key;
		r[nr].action = act;
		r[nr].words = u.e ? excerpt(u.text, u.len) : NULL;
		r[nr].value = g.found && g.pref.value ? strdup(g.pref.value) : NULL;
		r[nr].ev = c->ev;
		r[nr].count = 1;
		r[nr].authored = !!u.e;
		pref_release(&g.pref);
		nr++;
		if (!r[nr - 1].action || (u.e && !r[nr - 1].words))
			goto oom;
	}
	ret = emit_rejections(r, nr, v, emit, emit_data, cause);
	goto cleanup;
oom:
	*cause = xstrfmt("out of memory in rejections");
cleanup:
	for (i = 0; r && i < nr; i++) {
		free(r[i].key);
		free(r[i].action);
		free(r[i].words);
		free(r[i].value);
	}
	free(r);
	pcre2_match_data_free(md);
	strbuf_release(&u.tb);
	return ret;
}

static int rdescribe(const struct candidate_summary *c, char **title, char **body,
		     char **cause)
{
	struct strbuf t, b;
	/*
	 * Only its own words: merged with a rejection of the same act (curation
	 * merges them by the act), its evidence may hold another's.
	 */
	const char *words = c->detail;

	strbuf_init_cut(&t, 200);
	strbuf_init_cut(&b, 2000);
	strbuf_addstr(&t, "Users stopped ");
	words_code(&t, c->subject, 80);
	strbuf_addstr(&b, "Ask before running ");
	words_code(&b, c->subject, 120);
	strbuf_addstr(&b, ": users rejected or interrupted it (");
	words_support(&b, c);
	if (words && strcmp(words, c->subject ? c->subject : "")) {
		strbuf_addstr(&b, "), saying \"");
		strbuf_addstr(&b, words);
		strbuf_addstr(&b, "\".");
	} else {
		strbuf_addstr(&b, ").");
	}
	return words_finish(&t, &b, title, body, cause);
}

const struct extractor_ops rejections_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "rejections",
	.init = rinit,
	.feed = rfeed,
	.describe = rdescribe,
	.free = rules_state_free,
};
