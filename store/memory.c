/*
 * memory.c: the memory record and its one JSON form; see memory.h.
 */
#include "store/memory.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/common/alloc.h"
#include "dreamd/common/strbuf.h"

static const char *const kind_names[] = {
	[MEMORY_MISTAKE] = "mistake",
	[MEMORY_WORKFLOW] = "workflow",
	[MEMORY_PREFERENCE] = "preference",
};

static const char *const status_names[] = {
	[MEMORY_ACTIVE] = "active",
	[MEMORY_PINNED] = "pinned",
	[MEMORY_CANDIDATE] = "candidate",
	[MEMORY_QUARANTINED] = "quarantined",
	[MEMORY_REJECTED] = "rejected",
	[MEMORY_RETIRED] = "retired",
};

#define NKINDS (sizeof(kind_names) / sizeof(kind_names[0]))
#define NSTATUSES (sizeof(status_names) / sizeof(status_names[0]))

static int name_index(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 1; name && i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return 0;
}

const char *memory_kind_name(enum memory_kind k)
{
	return (size_t)k < NKINDS ? kind_names[k] : NULL;
}

enum memory_kind memory_kind_of(const char *name)
{
	return (enum memory_kind)name_index(kind_names, NKINDS, name);
}

const char *memory_status_name(enum memory_status s)
{
	return (size_t)s < NSTATUSES ? status_names[s] : NULL;
}

enum memory_status memory_status_of(const char *name)
{
	return (enum memory_status)name_index(status_names, NSTATUSES, name);
}

int memory_status_live(enum memory_status s)
{
	return s == MEMORY_ACTIVE || s == MEMORY_PINNED;
}

/* Writing ------------------------------------------------------------------- */

static void key(struct strbuf *sb, const char *k)
{
	strbuf_addf(sb, ",\"%s\":", k);
}

static void str_or_null(struct strbuf *sb, const char *s)
{
	if (s)
		strbuf_add_json(sb, s, strlen(s));
	else
		strbuf_addstr(sb, "null");
}

static void key_str(struct strbuf *sb, const char *k, const char *s)
{
	key(sb, k);
	str_or_null(sb, s);
}

static void add_evidence(struct strbuf *sb, const struct memory *m)
{
	size_t i;

	strbuf_addstr(sb, ",\"evidence\":[");
	for (i = 0; i < m->nev; i++) {
		const struct memory_evidence *e = &m->ev[i];

		strbuf_addstr(sb, i ? ",{\"session\":" : "{\"session\":");
		str_or_null(sb, e->session);
		key_str(sb, "user", e->user);
		key_str(sb, "agent", e->agent);
		key_str(sb, "at", e->at);
		strbuf_addf(sb, ",\"event\":%lld", (long long)e->event);
		key_str(sb, "excerpt", e->excerpt);
		strbuf_addch(sb, '}');
	}
	strbuf_addch(sb, ']');
}

char *memory_to_json(const struct memory *m)
{
	struct strbuf sb;

	strbuf_init(&sb, STRBUF_NOLIMIT);
	strbuf_addstr(&sb, "{\"id\":");
	str_or_null(&sb, m->id);
	key_str(&sb, "kind", memory_kind_name(m->kind));
	key_str(&sb, "scope", m->scope);
	key_str(&sb, "status", memory_status_name(m->status));
	key_str(&sb, "title", m->title);
	key_str(&sb, "body", m->body);
	strbuf_addf(&sb, ",\"score\":%.15g,\"version\":%lld", m->score, (long long)m->version);
	key_str(&sb, "first_seen", m->first_seen);
	key_str(&sb, "last_seen", m->last_seen);
	strbuf_addf(&sb, ",\"support\":{\"sessions\":%lld,\"users\":%lld,\"agents\":%lld,"
		    "\"projects\":%lld,\"occurrences\":%lld}", (long long)m->sessions,
		    (long long)m->users, (long long)m->agents, (long long)m->projects,
		    (long long)m->occurrences);
	add_evidence(&sb, m);
	key_str(&sb, "extractor", m->extractor);
	key_str(&sb, "slot", m->slot);
	key(&sb, "fix");
	if (m->fix_command) {
		strbuf_addstr(&sb, "{\"command\":");
		str_or_null(&sb, m->fix_command);
		strbuf_addf(&sb, ",\"worked\":%lld,\"of\":%lld}", (long long)m->fix_worked,
			    (long long)m->fix_of);
	} else {
		strbuf_addstr(&sb, "null");
	}
	key_str(&sb, "reason", m->reason);
	key_str(&sb, "superseded_by", m->superseded_by);
	key_str(&sb, "conflict_with", m->conflict_with);
	key(&sb, "effectiveness");
	if (m->has_eff)
		strbuf_addf(&sb, "{\"before\":{\"hits\":%lld,\"sessions\":%lld},\"after\":"
			    "{\"hits\":%lld,\"sessions\":%lld},\"recurring\":%s}",
			    (long long)m->eff_before_hits, (long long)m->eff_before_sessions,
			    (long long)m->eff_after_hits, (long long)m->eff_after_sessions,
			    m->eff_recurring ? "true" : "false");
	else
		strbuf_addstr(&sb, "null");
	key(&sb, "reviewed");
	if (m->reviewed_action) {
		strbuf_addstr(&sb, "{\"action\":");
		str_or_null(&sb, m->reviewed_action);
		key_str(&sb, "by", m->reviewed_by);
		key_str(&sb, "at", m->reviewed_at);
		strbuf_addch(&sb, '}');
	} else {
		strbuf_addstr(&sb, "null");
	}
	strbuf_addch(&sb, '}');
	return strbuf_detach(&sb, NULL);
}

/* Reading ------------------------------------------------------------------- */

static char *dup_str(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

static int64_t get_int(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

static void parse_evidence(struct memory *m, const cJSON *ev)
{
	size_t n = cJSON_IsArray(ev) ? (size_t)cJSON_GetArraySize(ev) : 0;
	const cJSON *e;

	if (!n)
		return;
	m->ev = xcalloc(n, sizeof(*m->ev));
	cJSON_ArrayForEach(e, ev) {
		struct memory_evidence *x;

		if (!cJSON_IsObject(e))
			continue;
		x = &m->ev[m->nev++];
		x->session = dup_str(e, "session");
		x->user = dup_str(e, "user");
		x->agent = dup_str(e, "agent");
		x->at = dup_str(e, "at");
		x->excerpt = dup_str(e, "excerpt");
		x->event = get_int(e, "event");
	}
}

static void parse_tail(struct memory *m, const cJSON *o)
{
	const cJSON *fix, *eff, *rev;

	m->extractor = dup_str(o, "extractor");
	m->slot = dup_str(o, "slot");
	fix = cJSON_GetObjectItemCaseSensitive(o, "fix");
	if (cJSON_IsObject(fix)) {
		m->fix_command = dup_str(fix, "command");
		m->fix_worked = get_int(fix, "worked");
		m->fix_of = get_int(fix, "of");
	}
	m->reason = dup_str(o, "reason");
	m->superseded_by = dup_str(o, "superseded_by");
	m->conflict_with = dup_str(o, "conflict_with");
	eff = cJSON_GetObjectItemCaseSensitive(o, "effectiveness");
	if (cJSON_IsObject(eff)) {
		const cJSON *b = cJSON_GetObjectItemCaseSensitive(eff, "before");
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(eff, "after");

		m->has_eff = 1;
		m->eff_before_hits = get_int(b, "hits");
		m->eff_before_sessions = get_int(b, "sessions");
		m->eff_after_hits = get_int(a, "hits");
		m->eff_after_sessions = get_int(a, "sessions");
		m->eff_recurring = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(eff, "recurring"));
	}
	rev = cJSON_GetObjectItemCaseSensitive(o, "reviewed");
	if (cJSON_IsObject(rev)) {
		m->reviewed_action = dup_str(rev, "action");
		m->reviewed_by = dup_str(rev, "by");
		m->reviewed_at = dup_str(rev, "at");
	}
}

int memory_parse(struct memory *m, const char *json)
{
	const cJSON *sup, *e;
	cJSON *o;
	char *s;

	memset(m, 0, sizeof(*m));
	o = cJSON_Parse(json);
	if (!o)
		return -1;
	if (!cJSON_IsObject(o) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "id"))) {
		cJSON_Delete(o);
		return -1;
	}
	m->json = xstrdup(json);
	m->id = dup_str(o, "id");
	s = dup_str(o, "kind");
	m->kind = memory_kind_of(s);
	free(s);
	m->scope = dup_str(o, "scope");
	s = dup_str(o, "status");
	m->status = memory_status_of(s);
	free(s);
	m->title = dup_str(o, "title");
	m->body = dup_str(o, "body");
	e = cJSON_GetObjectItemCaseSensitive(o, "score");
	m->score = cJSON_IsNumber(e) ? e->valuedouble : 0;
	m->version = get_int(o, "version");
	m->first_seen = dup_str(o, "first_seen");
	m->last_seen = dup_str(o, "last_seen");
	sup = cJSON_GetObjectItemCaseSensitive(o, "support");
	if (cJSON_IsObject(sup)) {
		m->sessions = get_int(sup, "sessions");
		m->users = get_int(sup, "users");
		m->agents = get_int(sup, "agents");
		m->projects = get_int(sup, "projects");
		m->occurrences = get_int(sup, "occurrences");
	}
	parse_evidence(m, cJSON_GetObjectItemCaseSensitive(o, "evidence"));
	parse_tail(m, o);
	cJSON_Delete(o);
	return 0;
}

void memory_release(struct memory *m)
{
	char **owned[] = {
		&m->json, &m->id, &m->scope, &m->title, &m->body, &m->first_seen,
		&m->last_seen, &m->extractor, &m->slot, &m->fix_command, &m->reason,
		&m->superseded_by, &m->conflict_with, &m->reviewed_action,
		&m->reviewed_by, &m->reviewed_at,
	};
	size_t i;

	for (i = 0; i < m->nev; i++) {
		free(m->ev[i].session);
		free(m->ev[i].user);
		free(m->ev[i].agent);
		free(m->ev[i].at);
		free(m->ev[i].excerpt);
	}
	free(m->ev);
	for (i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
		free(*owned[i]);
	memset(m, 0, sizeof(*m));
}

void memory_set(char **field, const char *s)
{
	char *copy = s ? xstrdup(s) : NULL;	/* s may be *field itself */

	free(*field);
	*field = copy;
}

/* Comparing ----------------------------------------------------------------- */

static int same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

unsigned memory_differs(const struct memory *a, const struct memory *b)
{
	unsigned what = 0;

	if (!same_str(a->title, b->title) || !same_str(a->body, b->body))
		what |= MEMORY_F_TEXT;
	if (a->score != b->score)
		what |= MEMORY_F_SCORE;
	if (!same_str(a->scope, b->scope))
		what |= MEMORY_F_SCOPE;
	if (a->status != b->status)
		what |= MEMORY_F_STATUS;
	if (a->sessions != b->sessions || a->users != b->users || a->agents != b->agents ||
	    a->projects != b->projects || a->occurrences != b->occurrences)
		what |= MEMORY_F_SUPPORT;
	if (!same_str(a->fix_command, b->fix_command) ||
	    (a->fix_command && (a->fix_worked != b->fix_worked || a->fix_of != b->fix_of)))
		what |= MEMORY_F_FIX;
	if (a->has_eff != b->has_eff ||
	    (a->has_eff && (a->eff_before_hits != b->eff_before_hits ||
			    a->eff_before_sessions != b->eff_before_sessions ||
			    a->eff_after_hits != b->eff_after_hits ||
			    a->eff_after_sessions != b->eff_after_sessions ||
			    a->eff_recurring != b->eff_recurring)))
		what |= MEMORY_F_EFFECTIVENESS;
	if (!same_str(a->id, b->id) || a->kind != b->kind ||
	    !same_str(a->first_seen, b->first_seen) || !same_str(a->extractor, b->extractor) ||
	    !same_str(a->slot, b->slot) || !same_str(a->reason, b->reason) ||
	    !same_str(a->superseded_by, b->superseded_by) ||
	    !same_str(a->conflict_with, b->conflict_with) ||
	    !same_str(a->reviewed_action, b->reviewed_action) ||
	    !same_str(a->reviewed_by, b->reviewed_by) || !same_str(a->reviewed_at, b->reviewed_at))
		what |= MEMORY_F_OTHER;
	return what;
}
