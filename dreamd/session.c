/*
 * session.c: struct session's lifetime and bookkeeping.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/budget.h"
#include "dreamd/common/spill.h"
#include "dreamd/ingest.h"
#include "dreamd/names.h"
#include "dreamd/parse.h"
#include "dreamd/util.h"

void session_init(struct session *s)
{
	memset(s, 0, sizeof(*s));
}

void session_drop_budget(struct session *s)
{
	if (s->big)
		budget_drop();
	s->big = 0;
}

static void meta_release(struct session_meta *m)
{
	free(m->id);
	free(m->user);
	free(m->agent);
	free(m->agent_version);
	free(m->model);
	free(m->project);
}

void session_release(struct session *s)
{
	size_t i;

	meta_release(&s->meta);
	for (i = 0; i < s->nevents; i++) {
		free(s->events[i].tool);
		free(s->events[i].call_id);
		free(s->events[i].text);
	}
	free(s->events);
	free(s->file_hashes);
	for (i = 0; i < s->nbad; i++) {
		free(s->bad[i].path);
		free(s->bad[i].kind);
		free(s->bad[i].reason);
	}
	free(s->bad);
	for (i = 0; i < s->nspills; i++)
		spill_close(s->spills[i]);
	free(s->spills);
	session_drop_budget(s);
	memset(s, 0, sizeof(*s));
}

/*
 * The latest events keep their texts: a parser may still add to them
 * (parse_append), and the next pass would only bring them back.
 */
#define SPILL_KEEP_EVENTS 16

int session_spill(struct session *s, size_t limit)
{
	static int said;
	struct spill *sp = s->nspills ? s->spills[s->nspills - 1] : NULL;
	size_t i, keep = s->nevents, window = 0, kept = 0;
	char *id;

	if (!limit || s->mem_bytes <= limit || s->spill_failed)
		return 0;
	/* The latest few, while they hold under a quarter of the limit. */
	while (keep > 0 && s->nevents - keep < SPILL_KEEP_EVENTS &&
	       window + s->events[keep - 1].text_len <= limit / 4)
		window += s->events[--keep].text_len;
	if (!sp) {
		sp = spill_open();
		if (!sp)
			goto failed;
		s->spills = xrealloc(s->spills, (s->nspills + 1) * sizeof(*s->spills));
		s->spills[s->nspills++] = sp;
	}
	for (i = 0; i < s->nevents; i++) {
		struct event *e = &s->events[i];

		if (!e->text)
			continue;
		if (i >= keep) {
			kept += e->text_len;
			continue;
		}
		if (fault_hit("spill")) {	/* the disk filled (tests) */
			errno = ENOSPC;
			goto failed;
		}
		if (spill_event(sp, e) < 0)
			goto failed;
	}
	s->mem_bytes = kept;	/* counted again, whatever was freed unseen */
	return 0;
failed:
	s->spill_failed = 1;
	if (__atomic_exchange_n(&said, 1, __ATOMIC_RELAXED))
		return -1;	/* once a run: the next sessions would say the same */
	id = name_quote(s->meta.id ? s->meta.id : "-");
	warning("cannot spill session '%s' to a temporary file (%s): big sessions' text "
		"stays in memory", id, strerror(errno));
	free(id);
	return -1;
}

void session_adopt_spills(struct session *s, struct session *from)
{
	if (!from->nspills)
		return;
	s->spills = xrealloc(s->spills, (s->nspills + from->nspills) * sizeof(*s->spills));
	memcpy(s->spills + s->nspills, from->spills, from->nspills * sizeof(*s->spills));
	s->nspills += from->nspills;
	free(from->spills);
	from->spills = NULL;
	from->nspills = 0;
}

void session_add_bad(struct session *s, const char *path, long line,
		     const char *kind, const char *what)
{
	session_add_bad_at(s, path, line, 0, kind, what);
}

/* Records a bad input whose message (owned, then s's) is made, and prints it. */
static void add_bad(struct session *s, const char *path, long line, const char *kind,
		    char *reason)
{
	struct bad_input *b;

	s->bad = xrealloc(s->bad, (s->nbad + 1) * sizeof(*s->bad));
	b = &s->bad[s->nbad++];
	b->path = xstrdup(path);
	b->line = line;
	b->kind = xstrdup(kind);
	b->reason = reason;
	warning("%s", reason);
}

void session_add_bad_at(struct session *s, const char *path, long line, long byte,
			const char *kind, const char *what)
{
	path = path ? path : "-";
	if (line > 0 && byte > 0)
		add_bad(s, path, line, kind, xasprintf("%s '%s:%ld:%ld'", what, path, line, byte));
	else if (line > 0)
		add_bad(s, path, line, kind, xasprintf("%s '%s:%ld'", what, path, line));
	else
		add_bad(s, path, 0, kind, xasprintf("%s '%s'", what, path));
}

void session_add_bad_err(struct session *s, const char *path, const char *kind,
			 const char *what, int err)
{
	path = path ? path : "-";
	/* The reason follows the quoted name, as everywhere else. */
	if (err)
		add_bad(s, path, 0, kind, xasprintf("%s '%s': %s", what, path, strerror(err)));
	else
		add_bad(s, path, 0, kind, xasprintf("%s '%s'", what, path));
}

void session_finish(struct session *s, struct unit_state *u)
{
	size_t i;

	s->user_turns = s->tool_calls = s->tool_errors = 0;
	for (i = 0; i < s->nevents; i++) {
		struct event *e = &s->events[i];

		e->seq = (uint32_t)i;
		if (e->kind == EVENT_USER && !e->subagent)
			s->user_turns++;
		else if (e->kind == EVENT_TOOL_CALL)
			s->tool_calls++;
		else if (e->kind == EVENT_TOOL_RESULT && e->is_error)
			s->tool_errors++;
		if (e->ts > 0) {
			if (!s->meta.started || e->ts < s->meta.started)
				s->meta.started = e->ts;
			if (e->ts > s->meta.ended)
				s->meta.ended = e->ts;
		}
	}
	if (u && u->nmodels && !s->meta.model) {
		size_t best = 0;

		for (i = 1; i < u->nmodels; i++)
			if (u->models[i].count > u->models[best].count)
				best = i;
		s->meta.model = xstrdup(u->models[best].name);
	}
}

void unit_state_release(struct unit_state *u)
{
	size_t i;

	for (i = 0; i < u->nmodels; i++)
		free(u->models[i].name);
	free(u->models);
	memset(u, 0, sizeof(*u));
}

int session_exit_status(const struct session *s)
{
	size_t i;
	int status = 0;

	for (i = 0; i < s->nbad; i++) {
		if (!strcmp(s->bad[i].kind, "missing"))
			return EX_NOINPUT;
		status = EX_DATAERR;
	}
	return status;
}
