/*
 * calls.h: what the call-based extractors share.
 *
 * struct xrules holds the rule groups they compile (see rules/mistakes.yaml):
 *
 *   error-line      picks the salient line of a failed call's output
 *   tool-error      the same for non-shell tools (Edit, Read, apply_patch)
 *   ignore-output   outputs that are not failures of the call itself
 *                   (a rejection notice, "Sibling tool call errored")
 *   noise-line      lines never salient ("Exit code 1", "hint: ...")
 *   normalize       rewrites that make signatures stable (paths, numbers,
 *                   hashes, branch names -> <path>, <n>, <hash>, <branch>)
 *   command-head    programs with subcommands (git push, npm run build)
 *   read-only       actions that only look (Read, Grep, ls, cat)
 *   workflow-skip   tools that are not steps of a workflow (TodoWrite)
 *   tool-alias      tools that do the same under other names, for actions:
 *                   apply_patch, Write, MultiEdit -> Edit (params.as)
 *   no-match-exit   commands whose exit code 1 is an answer ("no match",
 *                   "differs"): not a failure unless an error-line rule
 *                   matches the output
 *
 * calls_build() pairs every tool call of a session with its result and
 * names it; struct call strings are owned by struct calls. The pipeline
 * builds each session's table once, with a struct calls_builder of its own,
 * and hands it to every extractor in struct session_view (extractor.h).
 */
#ifndef DREAMD_CALLS_H
#define DREAMD_CALLS_H

#include <stddef.h>

#include "schemas/event.h"
#include "dreamd/common/match.h"

struct xrules {
	const struct rule_set *rules;	/* what they were compiled from */
	struct matcher errline, toolerr, ignore, noise, normalize, heads,
		readonly, skip, alias, nomatch;
};

/* Compiles every group; -1 with *cause. */
int xrules_init(struct xrules *x, const struct rule_set *rules, char **cause);
void xrules_release(struct xrules *x);

struct call {
	size_t ev;		/* the TOOL_CALL event */
	long res;		/* its TOOL_RESULT event, or -1 */
	unsigned shell : 1;	/* a shell tool */
	unsigned failed : 1;	/* the result says it failed */
	unsigned ignored : 1;	/* the result is not about the call (ignore-output) */
	unsigned rejected : 1;	/* the user rejected or interrupted it */
	unsigned readonly : 1;	/* it only looks */
	unsigned skip : 1;	/* not a workflow step */
	unsigned text_ok : 1;	/* the result's text is valid UTF-8 */
	unsigned edit : 1;	/* a shell call that edits files (tool-alias) */
	char *head;		/* "git push", or the tool name; never NULL */
	char *action;		/* "git push", "Edit *.py" */
	char *command;		/* shell: the normalized main command; else NULL */
	char *line;		/* shell: the normalized line as it ran, or
				   command when that says all it does */
	char *args;		/* shell: the raw words after the program */
	char *flags;		/* shell: head and sorted flags; else NULL */
	char *file;		/* non-shell: the file it works on, or NULL */
};

struct calls {
	struct call *c;
	size_t n;
};

/*
 * Names every tool call of events[0..n). md is the caller's match data.
 * Returns -1 when out of memory.
 */
int calls_build(struct calls *cs, const struct xrules *x, const struct event *ev,
		size_t n, pcre2_match_data *md);
void calls_release(struct calls *cs);

/*
 * What building call tables takes, one per thread: the compiled rules, match
 * data, and the names of the last short calls named (agents run the same
 * commands again and again; naming depends only on a call's tool, its text
 * and the rules). -1 with *cause.
 */
struct call_memo;
struct calls_builder {
	struct xrules x;
	pcre2_match_data *md;
	struct call_memo *memo;
};

int calls_builder_init(struct calls_builder *b, const struct rule_set *rules, char **cause);
void calls_builder_release(struct calls_builder *b);
/* calls_build() with b's rules, remembering names; -1 when out of memory. */
int calls_builder_build(struct calls_builder *b, struct calls *cs, const struct event *ev,
			size_t n);

/* The call index of event ev (a TOOL_CALL), or -1. */
long calls_find_event(const struct calls *cs, size_t ev);

/* 1 when the call ran and succeeded (it has a result that did not fail). */
int call_succeeded(const struct call *c);

/*
 * The salient line of a failed call's output, raw, single line: from the
 * first rule of group (errline or toolerr) that matches, else the last line
 * that is not noise. text must be valid UTF-8 (calls_build() checked each
 * result: see struct call's text_ok). Returns a malloc'd string ("" when nothing) or NULL
 * when out of memory; *rule is the rule that matched, or NULL.
 */
char *salient_line(const struct xrules *x, const struct matcher *group,
		   const char *text, size_t len, pcre2_match_data *md,
		   const struct rule **rule);

/*
 * A stable form of s: the normalize rules for field applied, whitespace
 * collapsed, cut to max bytes. malloc'd, NULL when out of memory.
 */
char *normalize(const struct xrules *x, unsigned field, const char *s,
		pcre2_match_data *md, size_t max);

/* A one-line excerpt of s, at most 200 bytes (malloc'd, NULL: no memory). */
char *excerpt(const char *s, size_t len);

/* Fills the evidence fields of o from meta and e. */
void obs_evidence(struct observation *o, const struct session_meta *meta,
		  const struct event *e);

/* The value of a string field in a compact JSON object, malloc'd, or NULL. */
char *json_string_field(const char *json, const char *key);

/* "*.py" for a path, or "" (malloc'd). */
char *file_type(const char *path);

#endif
