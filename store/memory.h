/*
 * memory.h: the memory record (schemas/memory.md) and its one JSON form.
 *
 * struct memory is what every stage means by a memory: the curator builds
 * one, the store keeps it as JSON text (memory_to_json, the one
 * serializer), and every report, export, show, log and rollback reads it
 * back (memory_parse, the one parser). The same memory always gives the
 * same bytes: keys in the documented order, every key present. So "did
 * this memory change?" is a comparison of two memory_to_json() outputs.
 *
 * The tables that hold the records are store/history.h's.
 */
#ifndef DREAMD_STORE_MEMORY_H
#define DREAMD_STORE_MEMORY_H

#include <stddef.h>
#include <stdint.h>

enum memory_kind {
	MEMORY_KIND_NONE,	/* missing or unknown */
	MEMORY_MISTAKE,
	MEMORY_WORKFLOW,
	MEMORY_PREFERENCE,
};

enum memory_status {
	MEMORY_STATUS_NONE,	/* missing or unknown */
	MEMORY_ACTIVE,
	MEMORY_PINNED,
	MEMORY_CANDIDATE,
	MEMORY_QUARANTINED,
	MEMORY_REJECTED,
	MEMORY_RETIRED,
};

/* The record's word for each, NULL for NONE; the reverse gives NONE for NULL or unknown. */
const char *memory_kind_name(enum memory_kind k);
enum memory_kind memory_kind_of(const char *name);
const char *memory_status_name(enum memory_status s);
enum memory_status memory_status_of(const char *name);
/* Active or pinned: what agents load. */
int memory_status_live(enum memory_status s);

struct memory_evidence {
	char *session, *user, *agent, *at, *excerpt;
	int64_t event;
};

/*
 * A memory record. Strings are NULL where the record has null; times are
 * the record's ISO 8601 text. Whoever fills one owns its strings
 * (memory_release frees them); the curator fills one with borrowed
 * strings to serialize it, and never releases it.
 */
struct memory {
	char *json;			/* the record as parsed (memory_parse), or NULL */
	char *id;
	enum memory_kind kind;
	char *scope;
	enum memory_status status;
	char *title, *body;
	double score;
	int64_t version;
	char *first_seen, *last_seen;
	int64_t sessions, users, agents, projects, occurrences;
	struct memory_evidence *ev;
	size_t nev;
	char *extractor, *slot;
	char *fix_command;		/* NULL: no fix */
	int64_t fix_worked, fix_of;
	char *reason, *superseded_by, *conflict_with;
	int has_eff;
	int64_t eff_before_hits, eff_before_sessions;
	int64_t eff_after_hits, eff_after_sessions;
	int eff_recurring;
	char *reviewed_action, *reviewed_by, *reviewed_at;	/* NULL: not reviewed */
};

/* The record as JSON text, malloc'd: the one serializer. */
char *memory_to_json(const struct memory *m);
/*
 * Parses a record into m, which owns copies of everything (memory_release)
 * and keeps the text in m->json. Missing keys read as NULL or 0; -1 (not
 * reported) when json is not a JSON object with a string "id".
 */
int memory_parse(struct memory *m, const char *json);
void memory_release(struct memory *m);
/* Replaces an owned string of a parsed memory with a copy of s (or NULL). */
void memory_set(char **field, const char *s);

/* Parts of a record, for memory_differs(). */
enum {
	MEMORY_F_TEXT = 1 << 0,		/* title or body */
	MEMORY_F_SCORE = 1 << 1,
	MEMORY_F_SCOPE = 1 << 2,
	MEMORY_F_STATUS = 1 << 3,
	MEMORY_F_SUPPORT = 1 << 4,
	MEMORY_F_FIX = 1 << 5,
	MEMORY_F_EFFECTIVENESS = 1 << 6,
	MEMORY_F_OTHER = 1 << 7		/* reason, links, review, kind, ... */
};

/*
 * The parts in which a and b differ, ignoring version, evidence and
 * last_seen (new evidence alone is churn, not a change).
 */
unsigned memory_differs(const struct memory *a, const struct memory *b);

#endif
