/*
 * preferences.c: what users say they want, from what they typed.
 *
 * Reads EVENT_USER text only: never assistant text or tool output, so an
 * instruction inside a fetched page or a file cannot become a preference.
 * Each sentence matching a "preference" rule is one statement; statements
 * with the same gist (slot=value, or polarity and canonical words) share a
 * key, "package-manager=pnpm" or "dont: commit generat file". One
 * observation per key per session: the first statement is the evidence,
 * count says how often it was said. What the user says right after rejecting
 * or stopping a call is left to the rejections extractor, which keeps it with
 * the call; what they say after stopping the agent mid-answer is read here.
 */
#include <stdlib.h>
#include <string.h>

#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "extractors/prefs.h"
#include "extractors/rules-state.h"
#include "extractors/words.h"
#include "dreamd/common/spill.h"
#include "dreamd/common/strbuf.h"
#include "dreamd/common/utf8.h"

#define STATEMENT_MAX 160

struct said {
	char *key, *slot, *value, *label, *statement;
	size_t ev;
	unsigned count;
};

struct walk {
	const struct rules_state *s;
	pcre2_match_data *md;
	struct said *said;
	size_t n, alloc;
	size_t ev;
	int oom;
};

static int pinit(void **state, const struct rule_set *rules, char **cause)
{
	return rules_state_new(state, rules, RULES_PREFS, NULL, cause);
}

static int sentence(const char *text, size_t len, void *data)
{
	struct walk *w = data;
	struct pref p;
	struct said *d;
	size_t i;
	int rc = pref_read(&w->s->p, text, len, w->md, &p);

	if (rc <= 0) {
		w->oom = rc < 0;
		return rc;
	}
	for (i = 0; i < w->n; i++)
		if (!strcmp(w->said[i].key, p.gist)) {
			w->said[i].count++;
			pref_release(&p);
			return 0;
		}
	if (w->n == w->alloc) {
		size_t alloc = w->alloc ? 2 * w->alloc : 8;
		struct said *q = realloc(w->said, alloc * sizeof(*q));

		if (!q) {
			pref_release(&p);
			w->oom = 1;
			return -1;
		}
		w->said = q;
		w->alloc = alloc;
	}
	d = &w->said[w->n++];
	memset(d, 0, sizeof(*d));
	d->key = p.gist;
	d->slot = p.slot ? xstrfmt("preference:%s", p.slot) : NULL;
	d->value = p.value;
	d->label = strdup(p.label);
	d->statement = excerpt(text, len < STATEMENT_MAX ? len : utf8_cut(text, STATEMENT_MAX));
	d->ev = w->ev;
	d->count = 1;
	free(p.slot);
	if (!d->label || !d->statement || (p.slot && !d->slot)) {
		w->oom = 1;
		return -1;
	}
	return 0;
}

static int cmp_said(const void *a, const void *b)
{
	return strcmp(((const struct said *)a)->key, ((const struct said *)b)->key);
}

/* Emits what the user said, sorted. -1 with *cause when emit refuses one. */
static int emit_said(struct walk *w, const struct session_view *v, extractor_emit_fn emit,
		     void *emit_data, char **cause)
{
	size_t i;

	if (w->n)
		qsort(w->said, w->n, sizeof(*w->said), cmp_said);
	for (i = 0; i < w->n; i++) {
		struct observation o = { 0 };

		o.extractor = "preferences";
		o.kind = "preference";
		o.key = w->said[i].key;
		o.slot = w->said[i].slot;
		o.subject = w->said[i].statement;
		o.detail = w->said[i].label;
		o.value = w->said[i].value;
		o.excerpt = w->said[i].statement;
		o.user_authored = 1;
		o.count = w->said[i].count;
		obs_evidence(&o, v->meta, &v->events[w->said[i].ev]);
		if (emit(emit_data, &o) < 0) {
			*cause = xstrfmt("cannot keep an observation of '%s'", o.key);
			return -1;
		}
	}
	return 0;
}

static int pfeed(void *state, const struct session_view *v, extractor_emit_fn emit,
		 void *emit_data, char **cause)
{
	const struct event *ev = v->events;
	size_t n = v->n;
	struct walk w = { 0 };
	struct strbuf tb;
	const char *text;
	size_t i;
	int ret = -1, after_rejection = 0;

	strbuf_init_cut(&tb, STRBUF_NOLIMIT);
	w.s = state;
	w.md = matcher_data();
	if (!w.md)
		goto oom;
	for (i = 0; i < n; i++) {
		if (ev[i].kind == EVENT_REJECTED) {
			after_rejection = 1;
			continue;
		}
		/*
		 * Stopping a call is refusing it; stopping the agent while it wrote
		 * (after its text, or a call that had worked) is not, and the
		 * correction that follows is the user's to read here.
		 */
		if (ev[i].kind == EVENT_INTERRUPTED) {
			after_rejection |= i && (ev[i - 1].kind == EVENT_TOOL_CALL ||
						 (ev[i - 1].kind == EVENT_TOOL_RESULT &&
						  ev[i - 1].is_error));
			continue;
		}
		if (ev[i].kind != EVENT_USER) {
			after_rejection = 0;
			continue;
		}
		/* Words right after a rejection belong to the rejections extractor. */
		if (after_rejection || !event_has_text(&ev[i]) || ev[i].subagent)
			continue;
		if (!(text = event_text(&ev[i], &tb)))
			goto oom;
		if (!utf8_valid(text, ev[i].text_len))
			continue;
		/*
		 * A dreamd block pasted or echoed back (an agent's own loaded
		 * memories) is not the user saying anything new.
		 */
		if (strstr(text, "dreamd:begin") || strstr(text, "dreamd:end"))
			continue;
		w.ev = i;
		if (for_each_sentence(text, ev[i].text_len, sentence, &w) < 0 || w.oom)
			goto oom;
	}
	ret = emit_said(&w, v, emit, emit_data, cause);
	goto cleanup;
oom:
	*cause = xstrfmt("out of memory in preferences");
cleanup:
	for (i = 0; i < w.n; i++) {
		free(w.said[i].key);
		free(w.said[i].slot);
		free(w.said[i].value);
		free(w.said[i].label);
		free(w.said[i].statement);
	}
	free(w.said);
	pcre2_match_data_free(w.md);
	strbuf_release(&tb);
	return ret;
}

static int pdescribe(const struct candidate_summary *c, char **title, char **body,
		     char **cause)
{
	struct strbuf t, b;
	const char *said = c->excerpt ? c->excerpt : c->subject ? c->subject : c->key;
	const char *slot = c->slot && !strncmp(c->slot, "preference:", 11) ? c->slot + 11 : c->slot;

	strbuf_init_cut(&t, 200);
	strbuf_init_cut(&b, 2000);
	strbuf_add(&t, said, strlen(said));
	if (slot && c->value) {
		const char *v = c->value;
		int neg = !strncmp(v, "not ", 4);

		strbuf_addstr(&b, neg ? "Do not use " : "Use ");
		words_code(&b, neg ? v + 4 : v, 60);
		strbuf_addf(&b, " (%s). ", slot);
	}
	strbuf_addstr(&b, c->users > 1 ? "Users said: \"" : "The user said: \"");
	strbuf_addstr(&b, said);
	strbuf_addstr(&b, "\" (");
	words_support(&b, c);
	strbuf_addstr(&b, ").");
	return words_finish(&t, &b, title, body, cause);
}

const struct extractor_ops preferences_ops = {
	.version = EXTRACTOR_VERSION,
	.name = "preferences",
	.init = pinit,
	.feed = pfeed,
	.describe = pdescribe,
	.free = rules_state_free,
};
