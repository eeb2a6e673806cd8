/*
 * config.h: settings, from YAML (--config, DREAMD_CONFIG), all with defaults.
 *
 * The file is read with libyaml through yaml.c, which refuses aliases, deep
 * nesting and oversized files; unknown keys are errors that name the key and
 * file:line:column. See README.md for every setting.
 */
#ifndef DREAMD_CONFIG_H
#define DREAMD_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "dreamd/common/rules.h"

struct config {
	char *path;			/* the file read, or NULL for defaults */

	/* run */
	char **spools;			/* spool roots when --spool is not given */
	size_t nspools;
	char *user;			/* name every session's user this; NULL: from the path */
	int jobs;			/* 0: the number of cores */

	/* ingest */
	size_t max_line;		/* bytes; default 64 MiB */
	uint64_t max_file_bytes;	/* decompressed, per file; default 4 GiB */
	int window_log_max;		/* default 27 (128 MiB) */
	int max_depth;			/* JSON nesting; default 64 */
	size_t max_text;		/* per event; default 16 KiB */
	int idle_minutes;		/* default 15 */
	size_t max_events;		/* per session; default 200000 */
	size_t max_session_bytes;	/* of a session's texts; default 128 MiB */
	size_t session_memory;		/* of them held in memory; default 8 MiB */
	uint64_t memory_budget;		/* big lines and sessions of a run; default 1 GiB */

	/* extract */
	char **extractors_disabled;
	size_t nextractors_disabled;
	char **rule_files;		/* extra rule files, in order */
	size_t nrule_files;
	char **rules_disabled;		/* rule names */
	size_t nrules_disabled;

	/* curate */
	int min_sessions;		/* gate; default 3 */
	int min_users_team;		/* gate for team scope; default 2 */
	int min_users;			/* export: users a memory needs unless the user's own; 2 */
	double half_life_sessions;	/* recency, in sessions it could recur in; 25 */
	double w_sessions, w_users, w_recency, w_fix;	/* score weights */
	double min_score;		/* below: candidate, or retired; default 0.3 */
	double dedupe_jaccard;		/* default 0.9 */
	int retire_after_sessions;	/* not seen again in this many: retired; 100 */
	/* superseded by the two above: still read, so old files load; unused */
	double half_life_days;
	int retire_after_days;
	double workflow_min_share;	/* of the sessions in a workflow's scope; default 0.05 */

	/* export */
	int budget_tokens;		/* default 2000 */

	struct rule_set rules;		/* built-in rules, then rule_files, less rules_disabled */
};

/* Loads path (NULL: defaults only) into cfg; -1 reported. */
int config_load(struct config *cfg, const char *path);
void config_release(struct config *cfg);

/* The rules of one group, borrowed from cfg. */
struct rule_set config_rule_group(const struct config *cfg, const char *group);

/*
 * A fingerprint of everything curation depends on besides the store: the
 * settings the table marks (every curate.* one, extract.disable,
 * ingest.max_text), every rule, the version. 16 hex digits into out[17].
 */
void config_fingerprint(const struct config *cfg, char out[17]);
/*
 * The i-th setting of the table, for tests: its section, name, largest
 * value and whether the fingerprint covers it. 0 past the last.
 */
int config_setting_at(size_t i, const char **section, const char **name, double *max,
		      int *curation);

#endif
