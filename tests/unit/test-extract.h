/*
 * test-extract.h: building sessions inline and collecting what extractors
 * emit, for tests/unit/test-extract-*.c.
 */
#ifndef DREAMD_TEST_EXTRACT_H
#define DREAMD_TEST_EXTRACT_H

#include <stdlib.h>
#include <string.h>

#include "dreamd/config.h"
#include "extractors/builtin.h"
#include "extractors/calls.h"
#include "tests/unit/unit.h"

#define TS_MAX 2048

struct tsession {
	struct session_meta meta;
	struct event ev[TS_MAX];
	size_t n;
	int ids;
};

struct tobs {
	char *extractor, *kind, *key, *slot, *subject, *detail, *fix, *value, *excerpt;
	char *session, *user;
	int fixed, user_authored, behaviour, succeeded;
	unsigned count;
	uint32_t seq;
};

struct tobs_list {
	struct tobs v[4096];
	size_t n;
};

static struct config test_cfg;

static inline void ts_start(struct tsession *s, const char *id, const char *user,
			    const char *agent)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->ev[i].text);
		free(s->ev[i].tool);
		free(s->ev[i].call_id);
	}
	memset(s, 0, sizeof(*s));
	s->meta.id = (char *)id;
	s->meta.user = (char *)user;
	s->meta.agent = (char *)agent;
	s->meta.project = (char *)"/srv/app";
}

static inline struct event *ts_add(struct tsession *s, enum event_kind kind,
				   const char *tool, const char *text)
{
	struct event *e = &s->ev[s->n < TS_MAX ? s->n : TS_MAX - 1];

	CHECK(s->n < TS_MAX);
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->seq = (uint32_t)s->n;
	e->ts = 1795000000000LL + (int64_t)s->n * 1000;
	e->exit_code = -1;
	e->tool = tool ? strdup(tool) : NULL;
	e->text = strdup(text ? text : "");
	e->text_len = strlen(e->text);
	s->n++;
	return e;
}

static inline void ts_user(struct tsession *s, const char *text)
{
	ts_add(s, EVENT_USER, NULL, text);
}

static inline void ts_assistant(struct tsession *s, const char *text)
{
	ts_add(s, EVENT_ASSISTANT, NULL, text);
}

/* A call and its result: exit 0 succeeds, anything else fails. */
static inline void ts_call(struct tsession *s, const char *tool, const char *input,
			   int exit_code, const char *output)
{
	char id[32];
	struct event *e;

	snprintf(id, sizeof(id), "call_%d", ++s->ids);
	e = ts_add(s, EVENT_TOOL_CALL, tool, input);
	e->call_id = strdup(id);
	e = ts_add(s, EVENT_TOOL_RESULT, tool, output);
	e->call_id = strdup(id);
	e->exit_code = exit_code;
	e->is_error = exit_code != 0;
}

static inline void ts_sh(struct tsession *s, const char *cmd, int exit_code,
			 const char *output)
{
	ts_call(s, "Bash", cmd, exit_code, output);
}

/* A call the user rejected (no result). */
static inline void ts_reject(struct tsession *s, const char *tool, const char *input)
{
	char id[32];
	struct event *e;

	snprintf(id, sizeof(id), "call_%d", ++s->ids);
	e = ts_add(s, EVENT_TOOL_CALL, tool, input);
	e->call_id = strdup(id);
	e = ts_add(s, EVENT_REJECTED, tool, "");
	e->call_id = strdup(id);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int tcollect(void *data, const struct observation *o)
{
	struct tobs_list *l = data;
	struct tobs *t;

	if (l->n >= sizeof(l->v) / sizeof(l->v[0]))
		return -1;
	t = &l->v[l->n++];
	t->extractor = dup_or_null(o->extractor);
	t->kind = dup_or_null(o->kind);
	t->key = dup_or_null(o->key);
	t->slot = dup_or_null(o->slot);
	t->subject = dup_or_null(o->subject);
	t->detail = dup_or_null(o->detail);
	t->fix = dup_or_null(o->fix);
	t->value = dup_or_null(o->value);
	t->excerpt = dup_or_null(o->excerpt);
	t->session = dup_or_null(o->session);
	t->user = dup_or_null(o->user);
	t->fixed = o->fixed;
	t->user_authored = o->user_authored;
	t->behaviour = o->behaviour;
	t->succeeded = o->succeeded;
	t->count = o->count;
	t->seq = o->seq;
	CHECK(!o->excerpt || (strlen(o->excerpt) <= 200 && !strchr(o->excerpt, '\n')));
	CHECK(o->session && o->user && o->agent);
	return 0;
}

static inline void tobs_clear(struct tobs_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct tobs *t = &l->v[i];

		free(t->extractor); free(t->kind); free(t->key); free(t->slot);
		free(t->subject); free(t->detail); free(t->fix); free(t->value);
		free(t->excerpt); free(t->session); free(t->user);
	}
	l->n = 0;
}

/* Feeds s to the named extractor, appending to l. */
static inline void ts_feed(const char *name, struct tsession *s, struct tobs_list *l)
{
	const struct extractor_ops *ops = extractor_find(name);
	struct calls_builder b;
	struct calls cs = { 0 };
	struct session_view v = { &s->meta, s->ev, s->n, &cs };
	void *state = NULL;
	char *cause = NULL;

	CHECK(ops != NULL);
	if (!ops)
		return;
	if (!test_cfg.rules.n)
		CHECK(config_load(&test_cfg, NULL) == 0);
	CHECK(calls_builder_init(&b, &test_cfg.rules, &cause) == 0);
	CHECK(calls_builder_build(&b, &cs, s->ev, s->n) == 0);
	CHECK(ops->init(&state, &test_cfg.rules, &cause) == 0);
	CHECK(ops->feed(state, &v, tcollect, l, &cause) == 0);
	if (cause)
		fprintf(stderr, "cause: %s\n", cause);
	free(cause);
	ops->free(state);
	calls_release(&cs);
	calls_builder_release(&b);
}

/* The observation with key in l from session (NULL: any), or NULL. */
static inline const struct tobs *tobs_find(const struct tobs_list *l, const char *key,
					   const char *session)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].key, key) && (!session || !strcmp(l->v[i].session, session)))
			return &l->v[i];
	return NULL;
}

static inline void tobs_dump(const struct tobs_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		fprintf(stderr, "  %s %s [%s] fix=%s fixed=%d count=%u slot=%s value=%s\n",
			l->v[i].session, l->v[i].extractor, l->v[i].key,
			l->v[i].fix ? l->v[i].fix : "-", l->v[i].fixed, l->v[i].count,
			l->v[i].slot ? l->v[i].slot : "-", l->v[i].value ? l->v[i].value : "-");
}

static inline void test_extract_done(struct tsession *s, struct tobs_list *l)
{
	ts_start(s, "", "", "");
	tobs_clear(l);
	config_release(&test_cfg);
}

#endif
