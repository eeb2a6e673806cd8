/*
 * extractor.h: the extractor plugin interface.
 *
 * An extractor reads the events of one session and emits observations
 * (schemas/event.h). It is a versioned vtable in the way of SQLite's VFS:
 * struct extractor_ops with a version number, registered in the
 * NULL-terminated table extractor_table[] (registry.c).
 *
 * Lifecycle, for each run:
 *
 *   ops->init(&state, rules, &cause)     once, with the loaded rules
 *   for each session:
 *     ops->feed(state, &view, emit, emit_data, &cause)
 *   ops->free(state)
 *
 * feed() sees a whole session at once (struct session_view: its events in
 * order and its tool calls, which the pipeline pairs and names once for
 * every extractor) and calls emit() for each observation; emit copies what
 * it keeps. Extractors never print and never exit: they return 0, or -1
 * with *cause set to a malloc'd message the caller reports and frees. feed()
 * depends on nothing but its arguments (extractors keep no thread-local or
 * global state), so sessions can be fed on several threads with one state
 * each.
 *
 * Text the user wrote is evidence of instructions; tool output is only ever
 * evidence of behaviour (a command failed). Extractors must respect that.
 */
#ifndef DREAMD_EXTRACTOR_H
#define DREAMD_EXTRACTOR_H

#include "schemas/event.h"
#include "dreamd/common/rules.h"

/*
 * 2: feed() takes a struct session_view.
 * 3: a big session's texts may be spilled: read them with event_text().
 */
#define EXTRACTOR_VERSION 3

struct calls;

/* One session as the extractors see it; everything borrowed for the call. */
struct session_view {
	const struct session_meta *meta;
	const struct event *events;	/* in event order */
	size_t n;
	const struct calls *calls;	/* its tool calls, paired and named (calls.h) */
};

typedef int (*extractor_emit_fn)(void *data, const struct observation *obs);

/*
 * What the curator aggregated for one key over every session, handed back to
 * the extractor that made the observations so it can word the memory.
 * Strings are borrowed for the call.
 */
struct candidate_summary {
	const char *key, *subject, *detail, *value, *slot;
	const char *fix;	/* the fix seen in most sessions, or NULL */
	int fix_sessions;	/* sessions in which that fix worked */
	int sessions, users, agents, projects, occurrences;
	const char *excerpt;	/* one evidence excerpt (the latest), or NULL */
	int succeeded_sessions;	/* workflows: sessions where it ended in success */
};

struct extractor_ops {
	int version;		/* EXTRACTOR_VERSION */
	const char *name;	/* "failing-calls", "workflows", ... */
	int (*init)(void **state, const struct rule_set *rules, char **cause);
	int (*feed)(void *state, const struct session_view *s,
		    extractor_emit_fn emit, void *emit_data, char **cause);
	/*
	 * Words a candidate as an agent will read it: *title is one line,
	 * *body plain sentences with commands in backticks and the evidence in
	 * numbers. Both malloc'd; the same summary must give the same bytes.
	 */
	int (*describe)(const struct candidate_summary *c, char **title,
			char **body, char **cause);
	void (*free)(void *state);
};

/* Every built-in extractor, NULL-terminated, in a fixed order. */
extern const struct extractor_ops *const extractor_table[];

/* The extractor with that name, or NULL. */
const struct extractor_ops *extractor_find(const char *name);

#endif
