/*
 * parse.h: transcript lines to events, for the format adapters.
 *
 * ingest.c hands every line of a file to parse_line(), which checks it
 * (UTF-8, nesting depth, JSON), detects the format from the first lines
 * that tell, and calls the adapter (parse-claude.c, parse-codex.c,
 * parse-dreamd.c, ...). A file that is one pretty-printed JSON document
 * is cut into items by parse-doc.c instead. Adapters add events with the helpers below, which copy,
 * redact and cap the text, so nothing unredacted is ever kept.
 */
#ifndef DREAMD_PARSE_H
#define DREAMD_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "dreamd/ingest.h"
#include "dreamd/util.h"

struct parse_ctx;

struct format {
	const char *name;
	/* 1 when a parsed line shows the file is in this format. */
	int (*detect)(const cJSON *root, const char *type);
	/*
	 * Called for each line; type is the line's top-level "type" (or "")
	 * found before parsing. Adapters may return 1 from skip() to pass over
	 * a line without parsing it.
	 */
	int (*skip)(struct parse_ctx *c, const char *type);
	void (*line)(struct parse_ctx *c, const cJSON *root, const char *type);
	/* After the last line of a file. */
	void (*end)(struct parse_ctx *c);
	/*
	 * Formats that are not JSON lines: detect_text() looks at a file's
	 * first non-blank line, text() then gets every line, unparsed.
	 */
	int (*detect_text)(const char *line, size_t len);
	void (*text)(struct parse_ctx *c, char *line, size_t len);
	/*
	 * Formats written as one JSON document (parse-doc.c): detect_member()
	 * looks at an item (key: its top-level member's name, NULL in a
	 * top-level array; an array member comes element by element), member()
	 * then gets every item. A format with member() but no line() gets the
	 * members of a document written on one line the same way.
	 */
	int (*detect_member)(const char *key, const cJSON *item);
	void (*member)(struct parse_ctx *c, const char *key, const cJSON *item);
};

extern const struct format format_claude, format_codex, format_dreamd;
extern const struct format format_aider, format_opencode;
extern const struct format format_gemini, format_swe_agent, format_openhands, format_copilot;

struct model_count {
	char *name;
	int count;
};

/* What is kept across the files of one unit. */
struct unit_state {
	struct model_count *models;
	size_t nmodels;
};

struct parse_ctx {
	struct session *s;
	const struct ingest_opts *opts;
	struct unit_state *unit;
	const char *path;
	long lineno;
	int subagent;		/* the file is a subagent transcript */
	int main_file;		/* the first file of the unit */
	const struct format *fmt;	/* NULL until detected */
	/*
	 * Bad lines before the format is known: the first is kept and the
	 * others counted, so a file in no known format is one bad input.
	 */
	long early_line, early_byte, early_more;
	const char *early_kind, *early_what;
	int64_t ts;		/* the current line's timestamp */
	int later_frame;	/* a second zstd frame of data has begun */
	char *first_id;		/* the session id the file's lines named first */
	char *second_id;	/* set: a second session starts at this line */

	struct strmap calls;	/* call id -> TOOL_CALL index */
	struct strmap results;	/* call id -> TOOL_RESULT index */
	struct strmap pending;	/* call id -> exit code seen before the result */

	/* Claude Code */
	char *msg_id;		/* the last assistant message.id */
	long asst;		/* its ASSISTANT event, -1 none */

	/* Codex */
	int saw_user_message;	/* event_msg.user_message seen */
	long *tentative;	/* response_item user events, dropped if it is */
	size_t ntentative, atentative;
	int wrapped;

	/* dreamd JSONL */
	int header_seen;

	/* aider: the events being extended line by line (-1 none, -2 skipped) */
	long aider_user, aider_asst, aider_result, aider_call;
	int aider_prompted;	/* a user prompt seen in this session */
	int aider_echo;		/* the next prompt repeats a /code X */
	struct strbuf aider_pending;	/* "> " lines that may be a command */

	/* OpenCode */
	int opencode_user;	/* the current message is the user's */

	/* A file that is one JSON document (parse-doc.c), NULL for JSON lines. */
	struct doc *doc;
	size_t file_from;	/* the file's first event */

	/* Gemini CLI JSON lines: message id -> its first event */
	struct strmap msgs;
	char *last_msg;		/* the id of the message whose events end the list */

	/* SWE-agent */
	int swe_user_seen;
};

void parse_ctx_init(struct parse_ctx *c, struct session *s,
		    const struct ingest_opts *opts, struct unit_state *u,
		    const char *path, int subagent, int main_file);
void parse_ctx_release(struct parse_ctx *c);

/*
 * Checks and parses one line (NUL-terminated at line[len]) and hands it to
 * the adapter; bad lines are recorded in c->s. Line 0 means "no file".
 */
void parse_line(struct parse_ctx *c, char *line, size_t len);
/* A line over max_line was dropped unread. */
void parse_long_line(struct parse_ctx *c);
/* After the last line: runs the adapter's end(); -1 when no format was found. */
int parse_end(struct parse_ctx *c);

/*
 * Adds an event with a copy of text (redacted, then cut to max_text); ts
 * and subagent come from c. Returns its index in c->s->events.
 */
long parse_add(struct parse_ctx *c, enum event_kind kind, const char *text, size_t len);
/* Appends "\n" and text to the text of event i (redacted, capped). */
void parse_append(struct parse_ctx *c, long i, const char *text, size_t len);
/*
 * Event i's text, brought back into memory if it was spilled (a parser
 * that looks at an earlier event's text reads it here).
 */
const char *parse_text(struct parse_ctx *c, long i);
/* Sets a tool name or call id on event i (copied). */
void parse_set_str(char **dst, const char *s);
/*
 * Adds a tool call named tool (NULL: "unknown") with its call id: its text
 * is cmd when the call runs a shell command, else its input as compact JSON.
 * Returns its index in c->s->events.
 */
long parse_add_call(struct parse_ctx *c, const char *tool, const char *call_id,
		    const char *cmd, const cJSON *input);

/* Drops events from..end (a message written again, a rewind). */
void parse_truncate(struct parse_ctx *c, size_t from);

/* Documents (parse-doc.c). */
int doc_starts(const char *line, size_t len);
void doc_feed(struct parse_ctx *c, const char *line, size_t len);
/* -1 when the document was bad as a whole (already reported). */
int doc_end(struct parse_ctx *c);
/* A one-line document: sets c->fmt from its members, 1 when found. */
int doc_detect(struct parse_ctx *c, const cJSON *root);
/* Hands every member of root (array members element by element) to member(). */
void doc_members(struct parse_ctx *c, const cJSON *root);
void doc_release(struct parse_ctx *c);
/* Drops the file's events and reads no more of the document: one message. */
void doc_fail(struct parse_ctx *c, const char *kind, const char *what);

/*
 * The session id a line of the main file names (NULL: none). The first one
 * is the session's id. Another one on a line of a later zstd frame (files
 * concatenated), or anywhere when always is set (a format that names its
 * session once, at its start), starts a second session: c->second_id is
 * set and the caller stops reading the file. Returns 1 then, else 0.
 * Claude Code names several ids in one file when a session is resumed, so
 * a change of id alone is no second session.
 */
int parse_session_id(struct parse_ctx *c, const char *id, int always);

/* A malloc'd, redacted copy of s for the session meta; NULL stays NULL. */
void parse_meta(struct parse_ctx *c, char **dst, const char *s);
void parse_count_model(struct parse_ctx *c, const char *model);
/* The line's "timestamp" (ISO 8601) into c->ts, when there is one. */
void parse_timestamp(struct parse_ctx *c, const cJSON *obj);

/* Records and prints a bad line of the current file. */
void parse_bad(struct parse_ctx *c, const char *kind, const char *what);

/* JSON helpers: NULL when absent or of another type. */
const char *json_str(const cJSON *obj, const char *key);
const cJSON *json_obj(const cJSON *obj, const char *key);
const cJSON *json_arr(const cJSON *obj, const char *key);
/* 1 when key is true. */
int json_true(const cJSON *obj, const char *key);
int starts_with(const char *s, const char *prefix);

/*
 * Checks a JSON text's nesting without parsing it: -1 when it is deeper
 * than max_depth. Copies the top-level "type" string value, if any, to
 * type[typesz] ("" when there is none).
 */
int json_prescan(const char *s, size_t len, int max_depth, char *type, size_t typesz);
/*
 * Cuts text to at most max bytes, keeping head and tail on UTF-8
 * boundaries with "…[N bytes cut]…" between; returns the new length.
 * *text may be reallocated.
 */
size_t cut_text(char **text, size_t len, size_t max);

/* Session bookkeeping (session.c). */
void unit_state_release(struct unit_state *u);
/* Numbers the events, computes the counts and the time span. */
void session_finish(struct session *s, struct unit_state *u);

#endif
