/*
 * config.c: the configuration: settings from YAML, with a default for every
 * one, the rules, and the fingerprint of what curation reads.
 *
 * The settings are a table (name, type, where, whether curation reads it),
 * so the parser, the unknown-key check, the README's list and the
 * fingerprint cannot disagree. A file looks like:
 *
 *   run:     {spools: [/var/spool/dreamd], user: null, jobs: 0}
 *   ingest:  {max_line: 67108864, idle_minutes: 15, ...}
 *   extract: {disable: [workflows], rules: [/etc/dreamd/extra.yaml],
 *             disable_rules: [python-traceback]}
 *   curate:  {min_sessions: 3, min_users_team: 2, min_users: 2, ...}
 *   export:  {budget: 2000}
 */
#include "dreamd/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/embedded.h"
#include "dreamd/util.h"
#include "dreamd/yaml.h"
#include "extractors/extractor.h"

enum setting_type { T_INT, T_SIZE, T_U64, T_DOUBLE, T_STRING, T_LIST };

struct setting {
	const char *section, *name;
	enum setting_type type;
	size_t offset;		/* into struct config */
	size_t count_offset;	/* T_LIST: where the count goes */
	double min, max;
	int curation;		/* curation depends on it: see config_fingerprint() */
};

#define OFF(f) offsetof(struct config, f)

static const struct setting settings[] = {
	{ "run", "spools", T_LIST, OFF(spools), OFF(nspools), 0, 0, 0 },
	{ "run", "user", T_STRING, OFF(user), 0, 0, 0, 0 },
	{ "run", "jobs", T_INT, OFF(jobs), 0, 0, 256, 0 },
	{ "ingest", "max_line", T_SIZE, OFF(max_line), 0, 1024, 1 << 30, 0 },
	{ "ingest", "max_file_bytes", T_U64, OFF(max_file_bytes), 0, 1024, 1e15, 0 },
	{ "ingest", "window_log_max", T_INT, OFF(window_log_max), 0, 10, 31, 0 },
	{ "ingest", "max_depth", T_INT, OFF(max_depth), 0, 4, 10000, 0 },
	{ "ingest", "max_text", T_SIZE, OFF(max_text), 0, 256, 1 << 30, 1 },
	{ "ingest", "idle_minutes", T_INT, OFF(idle_minutes), 0, 0, 100000, 0 },
	{ "ingest", "max_events", T_SIZE, OFF(max_events), 0, 100, 1e9, 0 },
	{ "ingest", "max_session_bytes", T_SIZE, OFF(max_session_bytes), 0, 65536, 1 << 30, 0 },
	{ "ingest", "session_memory", T_SIZE, OFF(session_memory), 0, 65536, 1 << 30, 0 },
	{ "ingest", "memory_budget", T_U64, OFF(memory_budget), 0, 1 << 20, 1e15, 0 },
	{ "extract", "disable", T_LIST, OFF(extractors_disabled),
	  OFF(nextractors_disabled), 0, 0, 1 },
	{ "extract", "rules", T_LIST, OFF(rule_files), OFF(nrule_files), 0, 0, 0 },
	{ "extract", "disable_rules", T_LIST, OFF(rules_disabled),
	  OFF(nrules_disabled), 0, 0, 0 },
	{ "curate", "min_sessions", T_INT, OFF(min_sessions), 0, 1, 1000000, 1 },
	{ "curate", "min_users_team", T_INT, OFF(min_users_team), 0, 1, 1000000, 1 },
	{ "curate", "min_users", T_INT, OFF(min_users), 0, 1, 1000000, 1 },
	{ "curate", "half_life_sessions", T_DOUBLE, OFF(half_life_sessions), 0, 0.01, 1e9, 1 },
	{ "curate", "weight_sessions", T_DOUBLE, OFF(w_sessions), 0, 0, 100, 1 },
	{ "curate", "weight_users", T_DOUBLE, OFF(w_users), 0, 0, 100, 1 },
	{ "curate", "weight_recency", T_DOUBLE, OFF(w_recency), 0, 0, 100, 1 },
	{ "curate", "weight_fix", T_DOUBLE, OFF(w_fix), 0, 0, 100, 1 },
	{ "curate", "min_score", T_DOUBLE, OFF(min_score), 0, 0, 1, 1 },
	{ "curate", "dedupe_jaccard", T_DOUBLE, OFF(dedupe_jaccard), 0, 0.5, 1, 1 },
	{ "curate", "retire_after_sessions", T_INT, OFF(retire_after_sessions), 0, 1, 1e9, 1 },
	/*
	 * Superseded by the two above (staleness counts sessions, not days):
	 * still read so that old files load, unused, fingerprinted all the same.
	 */
	{ "curate", "half_life_days", T_DOUBLE, OFF(half_life_days), 0, 0.01, 1e6, 1 },
	{ "curate", "retire_after_days", T_INT, OFF(retire_after_days), 0, 1, 100000, 1 },
	{ "curate", "workflow_min_share", T_DOUBLE, OFF(workflow_min_share), 0, 0, 1, 1 },
	{ "export", "budget", T_INT, OFF(budget_tokens), 0, 1, 10000000, 0 },
};

static void set_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_line = 64 << 20;
	cfg->max_file_bytes = (uint64_t)4 << 30;
	cfg->window_log_max = 27;
	cfg->max_depth = 64;
	cfg->max_text = 16 << 10;
	cfg->idle_minutes = 15;
	cfg->max_events = 200000;
	cfg->max_session_bytes = (size_t)128 << 20;
	cfg->session_memory = (size_t)8 << 20;
	cfg->memory_budget = (uint64_t)1 << 30;
	cfg->min_sessions = 3;
	cfg->min_users_team = 2;
	cfg->min_users = 2;
	cfg->half_life_sessions = 25;
	cfg->half_life_days = 14;
	cfg->w_sessions = 0.4;
	cfg->w_users = 0.2;
	cfg->w_recency = 0.25;
	cfg->w_fix = 0.15;
	cfg->min_score = 0.3;
	cfg->dedupe_jaccard = 0.9;
	cfg->retire_after_sessions = 100;
	cfg->retire_after_days = 60;
	cfg->workflow_min_share = 0.05;
	cfg->budget_tokens = 2000;
}

static int set_number(const char *file, const struct setting *s, struct ynode *v,
		      struct config *cfg)
{
	char *end;
	double d;

	if (v->type != YNODE_SCALAR)
		return ynode_error(file, v, "'%s.%s' takes a number", s->section, s->name);
	errno = 0;
	d = strtod(v->value, &end);
	if (errno || end == v->value || *end || d < s->min || d > s->max)
		return ynode_error(file, v, "'%s.%s' takes a number from %g to %g",
				  s->section, s->name, s->min, s->max);
	if (s->type != T_DOUBLE && d != (double)(int64_t)d)
		return ynode_error(file, v, "'%s.%s' takes a whole number",
				  s->section, s->name);
	switch (s->type) {
	case T_INT: *(int *)((char *)cfg + s->offset) = (int)d; break;
	case T_SIZE: *(size_t *)((char *)cfg + s->offset) = (size_t)d; break;
	case T_U64: *(uint64_t *)((char *)cfg + s->offset) = (uint64_t)d; break;
	default: *(double *)((char *)cfg + s->offset) = d; break;
	}
	return 0;
}

static int is_null(const struct ynode *v)
{
	return v->type == YNODE_SCALAR && v->plain &&
		(!*v->value || !strcmp(v->value, "~") || !strcmp(v->value, "null"));
}

static int set_one(const char *file, const struct setting *s, struct ynode *v,
		   struct config *cfg)
{
	char **str = (char **)((char *)cfg + s->offset);
	struct ynode *item;

	switch (s->type) {
	case T_STRING:
		if (is_null(v))
			return 0;
		if (v->type != YNODE_SCALAR)
			return ynode_error(file, v, "'%s.%s' takes a string",
					  s->section, s->name);
		free(*str);
		*str = xstrdup(v->value);
		return 0;
	case T_LIST: {
		char ***list = (char ***)str;
		size_t *count = (size_t *)((char *)cfg + s->count_offset);

		if (is_null(v))
			return 0;
		if (v->type != YNODE_SEQ)
			return ynode_error(file, v, "'%s.%s' takes a list",
					  s->section, s->name);
		for (item = v->child; item; item = item->next) {
			if (item->type != YNODE_SCALAR)
				return ynode_error(file, item, "'%s.%s' takes a list of strings",
						  s->section, s->name);
			*list = xrealloc(*list, (*count + 1) * sizeof(**list));
			(*list)[(*count)++] = xstrdup(item->value);
		}
		return 0;
	}
	default:
		return set_number(file, s, v, cfg);
	}
}

static int apply(const char *file, struct ynode *root, struct config *cfg)
{
	struct ynode *sec, *v;
	size_t i;

	if (!root)
		return 0;
	if (root->type != YNODE_MAP)
		return ynode_error(file, root, "settings must be a map of sections");
	for (sec = root->child; sec; sec = sec->next) {
		int known = 0;

		for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
			known |= !strcmp(settings[i].section, sec->key);
		if (!known)
			return ynode_key_error(file, sec, "unknown section '%s'", sec->key);
		if (is_null(sec))
			continue;
		if (sec->type != YNODE_MAP)
			return ynode_error(file, sec, "section '%s' must be a map", sec->key);
		for (v = sec->child; v; v = v->next) {
			const struct setting *s = NULL;

			for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
				if (!strcmp(settings[i].section, sec->key) &&
				    !strcmp(settings[i].name, v->key))
					s = &settings[i];
			if (!s)
				return ynode_key_error(file, v, "unknown setting '%s.%s'",
						      sec->key, v->key);
			if (set_one(file, s, v, cfg) < 0)
				return -1;
		}
	}
	return 0;
}

/* Rules ------------------------------------------------------------------ */

static char *scalar_field(const char *file, struct ynode *n, const char *key, int *bad)
{
	if (n->type != YNODE_SCALAR) {
		*bad = ynode_error(file, n, "rule field '%s' takes a string", key);
		return NULL;
	}
	return xstrdup(n->value);
}

/* literal: one string or a list of them; r->literal joins them for fingerprints. */
static int parse_literals(const char *file, struct ynode *f, struct rule *r)
{
	struct ynode *item;
	struct strbuf sb;
	size_t i;

	if (r->literals)
		return ynode_error(file, f, "rule field 'literal' given twice");
	if (f->type == YNODE_SCALAR) {
		r->literals = xcalloc(1, sizeof(*r->literals));
		r->literals[r->nliterals++] = xstrdup(f->value);
	} else if (f->type == YNODE_SEQ) {
		r->literals = xcalloc(1, sizeof(*r->literals));
		for (item = f->child; item; item = item->next) {
			if (item->type != YNODE_SCALAR)
				return ynode_error(file, item, "rule field 'literal' takes strings");
			if (r->nliterals == LITERAL_MAX)
				return ynode_error(file, item,
						  "rule field 'literal' takes at most %d strings",
						  LITERAL_MAX);
			r->literals = xrealloc(r->literals,
					       (r->nliterals + 1) * sizeof(*r->literals));
			r->literals[r->nliterals++] = xstrdup(item->value);
		}
	} else {
		return ynode_error(file, f, "rule field 'literal' takes a string or a list");
	}
	for (i = 0; i < r->nliterals; i++)
		if (!*r->literals[i])
			return ynode_error(file, f, "rule field 'literal' takes no empty string");
	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (i = 0; i < r->nliterals; i++) {
		if (i)
			strbuf_addch(&sb, '\n');
		strbuf_addstr(&sb, r->literals[i]);
	}
	r->literal = strbuf_detach(&sb, NULL);
	return 0;
}

static int parse_rule(const char *file, struct ynode *item, struct rule *r)
{
	struct ynode *f;
	const char *c;
	size_t i;
	int bad = 0;

	memset(r, 0, sizeof(*r));
	if (item->type != YNODE_MAP)
		return ynode_error(file, item, "a rule must be a map");
	r->origin = xasprintf("%s:%d", file, item->line);
	for (f = item->child; f && !bad; f = f->next) {
		char **dst = NULL;

		if (!strcmp(f->key, "name")) dst = &r->name;
		else if (!strcmp(f->key, "group")) dst = &r->group;
		else if (!strcmp(f->key, "field")) dst = &r->field;
		else if (!strcmp(f->key, "pattern")) dst = &r->pattern;
		else if (!strcmp(f->key, "literal")) {
			if (parse_literals(file, f, r) < 0)
				return -1;
			continue;
		} else if (!strcmp(f->key, "literal_icase") || !strcmp(f->key, "literal_starts")) {
			int *flag = !strcmp(f->key, "literal_icase") ? &r->literal_icase :
				&r->literal_starts;

			if (f->type != YNODE_SCALAR ||
			    (strcmp(f->value, "true") && strcmp(f->value, "false")))
				return ynode_error(file, f, "rule field '%s' takes true or false",
						  f->key);
			*flag = !strcmp(f->value, "true");
			continue;
		}
		else if (!strcmp(f->key, "label")) dst = &r->label;
		else if (!strcmp(f->key, "slot")) dst = &r->slot;
		else if (!strcmp(f->key, "params")) {
			struct ynode *p;

			if (f->type != YNODE_MAP)
				return ynode_error(file, f, "rule params must be a map");
			for (p = f->child; p; p = p->next) {
				if (p->type != YNODE_SCALAR)
					return ynode_error(file, p, "rule param '%s' takes a string",
							  p->key);
				r->params = xrealloc(r->params, (r->nparams + 1) * sizeof(*r->params));
				r->params[r->nparams].key = xstrdup(p->key);
				r->params[r->nparams].value = xstrdup(p->value);
				r->nparams++;
			}
			continue;
		} else
			return ynode_key_error(file, f, "unknown rule field '%s'", f->key);
		if (*dst)
			return ynode_error(file, f, "rule field '%s' given twice", f->key);
		*dst = scalar_field(file, f, f->key, &bad);
	}
	if (bad)
		return -1;
	if (!r->name || !r->group || !r->pattern)
		return ynode_error(file, item, "a rule needs a name, a group and a pattern");
	if ((r->literal_icase || r->literal_starts) && !r->nliterals)
		return ynode_error(file, item, "rule '%s' has literal flags but no literal",
				  r->name);
	for (i = 0; r->literal_icase && i < r->nliterals; i++)
		for (c = r->literals[i]; *c; c++)
			if ((unsigned char)*c >= 0x80)
				return ynode_error(file, item,
						  "rule '%s' has literal_icase: its literals must be ASCII",
						  r->name);
	return 0;
}

static void rule_release(struct rule *r)
{
	size_t i;

	free(r->name);
	free(r->group);
	free(r->field);
	free(r->pattern);
	free(r->literal);
	for (i = 0; i < r->nliterals; i++)
		free(r->literals[i]);
	free(r->literals);
	free(r->label);
	free(r->slot);
	free(r->origin);
	for (i = 0; i < r->nparams; i++) {
		free(r->params[i].key);
		free(r->params[i].value);
	}
	free(r->params);
}

/*
 * A user's rule in a group no built-in rule has would never be read by
 * anything: name the groups there are instead.
 */
static int refuse_group(const char *file, const struct ynode *item, const struct rule *r,
			const struct strpool *groups)
{
	const struct ynode *f = item->child;
	struct strbuf sb;
	size_t i;
	int ret;

	if (strpool_find(groups, r->group, strlen(r->group)) != (size_t)-1)
		return 0;
	while (f && strcmp(f->key, "group"))
		f = f->next;
	strbuf_init(&sb, STRBUF_NOLIMIT);
	for (i = 0; i < groups->n; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", groups->v[i]);
	ret = ynode_error(file, f ? f : item, "unknown rule group '%s' (the groups: %s)",
			  r->group, sb.buf);
	strbuf_release(&sb);
	return ret;
}

/*
 * Adds the rules of one file; a rule with a known name replaces the old one.
 * groups, when set, are the groups a rule may name.
 */
static int load_rules(struct rule_set *set, const char *file, const char *text, size_t len,
		      const struct strpool *groups)
{
	struct ynode *root, *list = NULL, *item;
	int ret = -1;

	if (ynode_load(file, text, len, &root) < 0)
		return -1;
	if (!root)
		return 0;
	for (item = root->type == YNODE_MAP ? root->child : NULL; item; item = item->next) {
		if (strcmp(item->key, "rules")) {
			ynode_key_error(file, item, "unknown key '%s' in a rule file", item->key);
			goto cleanup;
		}
		list = item;
	}
	if (!list || list->type != YNODE_SEQ) {
		ynode_error(file, root, "a rule file holds 'rules:', a list");
		goto cleanup;
	}
	for (item = list->child; item; item = item->next) {
		struct rule r;
		size_t i;

		if (parse_rule(file, item, &r) < 0 ||
		    (groups && refuse_group(file, item, &r, groups) < 0)) {
			rule_release(&r);
			goto cleanup;
		}
		for (i = 0; i < set->n; i++)
			if (!strcmp(set->rules[i].name, r.name))
				break;
		if (i < set->n) {
			rule_release(&set->rules[i]);
			set->rules[i] = r;
		} else {
			set->rules = xrealloc(set->rules, (set->n + 1) * sizeof(*set->rules));
			set->rules[set->n++] = r;
		}
	}
	ret = 0;
cleanup:
	ynode_free(root);
	return ret;
}

static int load_all_rules(struct config *cfg)
{
	const struct embedded_file *f;
	struct strpool groups = { 0 };
	size_t i, j;

	for (f = embedded_files; f->name; f++) {
		if (!strstr(f->name, "rules/") || !strstr(f->name, ".yaml"))
			continue;
		if (load_rules(&cfg->rules, f->name, (const char *)f->data, f->len, NULL) < 0)
			return -1;
	}
	for (i = 0; i < cfg->rules.n; i++)
		strpool_add(&groups, cfg->rules.rules[i].group, strlen(cfg->rules.rules[i].group));
	for (i = 0; i < cfg->nrule_files; i++) {
		char *text;
		size_t len;
		int ret;

		if (read_file(cfg->rule_files[i], YAML_MAX_BYTES, &text, &len) < 0) {
			strpool_release(&groups);
			return -1;
		}
		ret = load_rules(&cfg->rules, cfg->rule_files[i], text, len, &groups);
		free(text);
		if (ret < 0) {
			strpool_release(&groups);
			return -1;
		}
	}
	strpool_release(&groups);
	for (i = 0; i < cfg->nrules_disabled; i++) {
		int found = 0;

		for (j = 0; j < cfg->rules.n; j++)
			if (!strcmp(cfg->rules.rules[j].name, cfg->rules_disabled[i]))
				found = cfg->rules.rules[j].disabled = 1;
		if (!found)
			return error("no rule named '%s' to disable", cfg->rules_disabled[i]);
	}
	/*
	 * Grouped so config_rule_group() can hand out a slice; an insertion
	 * sort, because it is stable: within a group, the order files gave.
	 */
	for (i = 1; i < cfg->rules.n; i++) {
		struct rule r = cfg->rules.rules[i];

		for (j = i; j > 0 && strcmp(cfg->rules.rules[j - 1].group, r.group) > 0; j--)
			cfg->rules.rules[j] = cfg->rules.rules[j - 1];
		cfg->rules.rules[j] = r;
	}
	return 0;
}

/*
 * Compiles every rule's pattern once, so a bad one is a configuration error
 * at start-up rather than a failure half way through a run.
 */
static int check_patterns(const struct rule_set *rules)
{
	size_t i;

	for (i = 0; i < rules->n; i++) {
		char *cause = NULL;
		pcre2_code *re;

		if (rules->rules[i].disabled)
			continue;
		re = rule_compile(&rules->rules[i], 0, &cause);
		if (!re) {
			error("%s", cause ? cause : "out of memory");
			free(cause);
			return -1;
		}
		pcre2_code_free(re);
	}
	return 0;
}

struct rule_set config_rule_group(const struct config *cfg, const char *group)
{
	struct rule_set s = { NULL, 0 };
	size_t i;

	for (i = 0; i < cfg->rules.n; i++) {
		if (strcmp(cfg->rules.rules[i].group, group))
			continue;
		if (!s.rules)
			s.rules = &cfg->rules.rules[i];
		s.n++;
	}
	return s;
}

int config_load(struct config *cfg, const char *path)
{
	struct ynode *root = NULL;
	char *text = NULL;
	size_t len, i;
	int ret = -1;

	set_defaults(cfg);
	if (path) {
		cfg->path = xstrdup(path);
		if (read_file(path, YAML_MAX_BYTES, &text, &len) < 0)
			return -1;
		if (ynode_load(path, text, len, &root) < 0 || apply(path, root, cfg) < 0)
			goto cleanup;
	}
	if (load_all_rules(cfg) < 0)
		goto cleanup;
	if (check_patterns(&cfg->rules) < 0)
		goto cleanup;
	for (i = 0; i < cfg->nextractors_disabled; i++)
		if (!extractor_find(cfg->extractors_disabled[i])) {
			error("no extractor named '%s' to disable", cfg->extractors_disabled[i]);
			goto cleanup;
		}
	ret = 0;
cleanup:
	ynode_free(root);
	free(text);
	return ret;
}

static void free_list(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void config_release(struct config *cfg)
{
	size_t i;

	free(cfg->path);
	free(cfg->user);
	free_list(cfg->spools, cfg->nspools);
	free_list(cfg->extractors_disabled, cfg->nextractors_disabled);
	free_list(cfg->rule_files, cfg->nrule_files);
	free_list(cfg->rules_disabled, cfg->nrules_disabled);
	for (i = 0; i < cfg->rules.n; i++)
		rule_release(&cfg->rules.rules[i]);
	free(cfg->rules.rules);
	memset(cfg, 0, sizeof(*cfg));
}

static void fp_str(struct hasher *h, const char *s)
{
	hasher_add(h, s ? s : "\1", s ? strlen(s) + 1 : 1);
}

/* "section.name=value" of one setting, its lists item by item. */
static void fp_setting(struct hasher *h, const struct setting *s, const struct config *cfg)
{
	const char *at = (const char *)cfg + s->offset;
	char buf[128];
	size_t i;

	snprintf(buf, sizeof(buf), "%s.%s", s->section, s->name);
	fp_str(h, buf);
	switch (s->type) {
	case T_INT: snprintf(buf, sizeof(buf), "%d", *(const int *)at); break;
	case T_SIZE: snprintf(buf, sizeof(buf), "%zu", *(const size_t *)at); break;
	case T_U64:
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)*(const uint64_t *)at);
		break;
	case T_DOUBLE: snprintf(buf, sizeof(buf), "%.17g", *(const double *)at); break;
	case T_STRING:
		fp_str(h, *(char *const *)at);
		return;
	case T_LIST:
		for (i = 0; i < *(const size_t *)((const char *)cfg + s->count_offset); i++)
			fp_str(h, (*(char **const *)at)[i]);
		fp_str(h, NULL);
		return;
	}
	fp_str(h, buf);
}

void config_fingerprint(const struct config *cfg, char out[17])
{
	struct hasher h;
	size_t i, k;

	hasher_init(&h, HASH64_SEED);
	fp_str(&h, DREAMD_VERSION);
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
		if (settings[i].curation)
			fp_setting(&h, &settings[i], cfg);
	for (i = 0; i < cfg->rules.n; i++) {
		const struct rule *r = &cfg->rules.rules[i];

		fp_str(&h, r->disabled ? "off" : "on");
		fp_str(&h, r->name);
		fp_str(&h, r->group);
		fp_str(&h, r->field);
		fp_str(&h, r->pattern);
		fp_str(&h, r->literal);
		fp_str(&h, r->literal_icase ? "icase" : "case");
		fp_str(&h, r->literal_starts ? "starts" : "within");
		fp_str(&h, r->label);
		fp_str(&h, r->slot);
		for (k = 0; k < r->nparams; k++) {
			fp_str(&h, r->params[k].key);
			fp_str(&h, r->params[k].value);
		}
	}
	snprintf(out, 17, "%016llx", (unsigned long long)hasher_final(&h));
}

int config_setting_at(size_t i, const char **section, const char **name, double *max,
		      int *curation)
{
	if (i >= sizeof(settings) / sizeof(settings[0]))
		return 0;
	*section = settings[i].section;
	*name = settings[i].name;
	*max = settings[i].max;
	*curation = settings[i].curation;
	return 1;
}
