/*
 * export.h: choosing and rendering the memories an agent loads.
 *
 * Selection: the current generation's memories whose status is active or
 * pinned (every status with all), in the chosen scopes. With cwd (what an
 * agent loads) a memory is also trusted: supported by at least min_users
 * distinct users, or in scope user:USER, or with USER among its evidence
 * (its own sessions); and a project scope that is not a project path
 * (names.h: "/", /home/NAME, ...) never matches. Budget: the chosen
 * memories are filled into a byte budget, pinned ones first, then one kind
 * after the other in turn (mistake, workflow, preference, others), each
 * kind's highest score first; a memory that does not fit is left out and
 * the fill goes on with the next. Nothing is cut silently: what was left
 * out is listed (export_set.left). Output order: kind, then score
 * descending, then id.
 */
#ifndef DREAMD_EXPORT_H
#define DREAMD_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/report.h"

struct db;

enum export_format { EXPORT_MARKDOWN, EXPORT_JSON, EXPORT_CLAUDE_HOOK };

struct export_opts {
	enum export_format format;
	const char **scopes;		/* exact scopes; none: every scope */
	size_t nscopes;
	const char *cwd;		/* project:CWD and its parents, team, user */
	const char *user;		/* with cwd: user:USER too; may be NULL */
	int all;			/* every status, not only active and pinned */
	int min_users;			/* with cwd: users a memory needs unless user's own */
	int64_t budget_bytes;		/* 0: no budget */
	int64_t budget_tokens;		/* as the user gave it, for messages; 0: bytes */
};

struct export_set {
	struct generation gen;
	const struct memory **mems;	/* chosen, in output order */
	size_t nmems;
	const struct memory **left;	/* left out by the budget, by id */
	size_t nleft;
};

/* 1 when a memory with this scope belongs to a session in cwd for user. */
int export_scope_matches(const char *scope, const char *cwd, const char *user);

/* Loads the current generation and chooses; -1 reported. */
int export_select(struct db *db, const struct export_opts *o, struct export_set *set);
void export_set_release(struct export_set *set);

/*
 * Render set into out. markdown: the block with its begin and end markers;
 * json: CONTRACT.md's export document; claude-hook: the SessionStart hook's
 * JSON with the block (without markers) as additionalContext.
 */
int export_render(struct strbuf *out, const struct export_set *set,
		  const struct export_opts *o);

#endif
