/*
 * event.h: the records every stage of the pipeline shares.
 *
 *   spool -> decode -> parse -> [struct event] -> redact -> extractors
 *         -> [struct observation] -> curate -> store -> report/export
 *
 * A format adapter (Claude Code, Codex, dreamd's own JSONL) turns transcript
 * lines into struct event; extractors read events and emit struct
 * observation; the store keeps both (events compressed as the session's
 * digest, observations as derived rows). Nothing here allocates: the owner
 * of an event or observation is whoever filled it in, as each header says.
 *
 * The on-disk form of events, dreamd's own JSONL, is documented in
 * schemas/events.md.
 */
#ifndef DREAMD_EVENT_H
#define DREAMD_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum event_kind {
	EVENT_USER = 1,		/* text the user typed (never injected context) */
	EVENT_ASSISTANT,	/* text the agent wrote to the user */
	EVENT_TOOL_CALL,	/* a tool call: tool name and input */
	EVENT_TOOL_RESULT,	/* a tool's output with its error flag */
	EVENT_REJECTED,		/* the user rejected a tool call */
	EVENT_INTERRUPTED,	/* the user interrupted the agent */
};

/* Names used in the JSONL form: "user", "assistant", "tool_call", ... */
const char *event_kind_name(enum event_kind kind);
/* The kind for a name, or 0 when the name is unknown. */
enum event_kind event_kind_from_name(const char *name);

/* What is known of a session as a whole. */
struct session_meta {
	char *id;		/* the agent's session id */
	char *user;		/* who ran it: from the spool path */
	char *agent;		/* "claude-code", "codex", or another name */
	char *agent_version;	/* may be NULL */
	char *model;		/* the main model, may be NULL */
	char *project;		/* the session's cwd, may be NULL */
	int64_t started;	/* ms since the epoch of the first event, 0 unknown */
	int64_t ended;		/* ms since the epoch of the last event, 0 unknown */
};

struct event {
	enum event_kind kind;
	uint32_t seq;		/* position in the session, from 0 */
	int64_t ts;		/* ms since the epoch, 0 unknown */
	unsigned subagent : 1;	/* from a subagent (sidechain) transcript */
	unsigned is_error : 1;	/* TOOL_RESULT: the call failed */
	int exit_code;		/* TOOL_RESULT: the process's exit code, -1 unknown */
	char *tool;		/* TOOL_CALL/RESULT/REJECTED: "Bash", "Edit", "exec_command" ... */
	char *call_id;		/* joins a call to its result; may be NULL */
	/*
	 * USER/ASSISTANT: the text. TOOL_CALL: for shell tools the command
	 * line, otherwise the input as compact JSON. TOOL_RESULT: the output.
	 * REJECTED/INTERRUPTED: the message, if any. Valid UTF-8, NUL-terminated,
	 * already redacted once the redact stage has run.
	 */
	char *text;
	size_t text_len;
	/*
	 * A big session's older texts wait on disk (dreamd/common/spill.h):
	 * then text is NULL and the text, text_len bytes, lies in spill at
	 * spill_off. Read every text through event_text(), which handles both.
	 */
	struct spill *spill;
	uint64_t spill_off;
};

/*
 * An observation is one piece of evidence an extractor found in one session:
 * "in session S at event 12, `npm test` failed with `Cannot find module`, and
 * `npm install` fixed it". Observations with the same extractor and key are
 * the same candidate memory; the curator counts their distinct sessions,
 * users, agents and projects.
 *
 * Strings are owned by whoever made the observation (the extractor until it
 * hands the observation to emit(), which copies what it keeps).
 */
struct observation {
	const char *extractor;	/* the extractor's name */
	const char *kind;	/* "mistake", "workflow", "preference" */
	const char *key;	/* identity: equal keys are the same candidate */
	const char *slot;	/* supersession slot ("preference:package-manager"), or NULL */
	const char *subject;	/* what it is about: "npm test", "Edit" */
	const char *detail;	/* the salient line: "Cannot find module 'left-pad'" */
	/*
	 * What fixed it in this session, or NULL. failing-calls and
	 * tool-misuse write "first: CMD" (ran before the retry that worked)
	 * or "instead: CMD" (the retry itself changed).
	 */
	const char *fix;
	int fixed;		/* 1: fix turned failure into success here */
	const char *value;	/* preferences: the preferred choice ("pnpm") */
	const char *excerpt;	/* a short evidence line, redacted */
	const char *session;	/* evidence: session id */
	uint32_t seq;		/* evidence: event index in that session */
	int64_t ts;		/* evidence: ms since the epoch */
	const char *user;	/* evidence: who */
	const char *agent;	/* evidence: which agent */
	const char *project;	/* evidence: the cwd */
	unsigned user_authored : 1; /* from text the user wrote */
	unsigned behaviour : 1;	/* from observed tool behaviour */
	unsigned succeeded : 1;	/* workflows: the sequence ended in a call that worked */
	/*
	 * How many times this session showed it (an extractor emits one
	 * observation per key per session); 0 counts as 1.
	 */
	unsigned count;
};

#endif
