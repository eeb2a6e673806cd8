/*
 * report.c: loading generations into structs, and the memory diff.
 */
#include "dreamd/report.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"

const char *const diff_what_names[] = {
	"text", "score", "scope", "status", "support", "fix", "effectiveness", "other"
};

static char *dup_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) && v->valuestring ? xstrdup(v->valuestring) : NULL;
}

static int64_t get_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : 0;
}

int mem_parse(struct mem *m, const char *json)
{
	const cJSON *o, *sup, *ev, *e, *fix, *eff, *rev;
	cJSON *root;
	size_t n;

	memset(m, 0, sizeof(*m));
	root = cJSON_Parse(json);
	if (!root)
		return -1;
	if (!cJSON_IsObject(root) ||
	    !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "id"))) {
		cJSON_Delete(root);
		return -1;
	}
	o = root;
	m->json = xstrdup(json);
	m->id = dup_str(o, "id");
	m->kind = dup_str(o, "kind");
	m->scope = dup_str(o, "scope");
	m->status = dup_str(o, "status");
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
	ev = cJSON_GetObjectItemCaseSensitive(o, "evidence");
	n = cJSON_IsArray(ev) ? (size_t)cJSON_GetArraySize(ev) : 0;
	if (n) {
		m->ev = xcalloc(n, sizeof(*m->ev));
		cJSON_ArrayForEach(e, ev) {
			struct mem_evidence *x;

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
	cJSON_Delete(root);
	return 0;
}

void mem_release(struct mem *m)
{
	size_t i;

	for (i = 0; i < m->nev; i++) {
		free(m->ev[i].session);
		free(m->ev[i].user);
		free(m->ev[i].agent);
		free(m->ev[i].at);
		free(m->ev[i].excerpt);
	}
	free(m->ev);
	free(m->json);
	free(m->id);
	free(m->kind);
	free(m->scope);
	free(m->status);
	free(m->title);
	free(m->body);
	free(m->first_seen);
	free(m->last_seen);
	free(m->extractor);
	free(m->slot);
	free(m->fix_command);
	free(m->reason);
	free(m->superseded_by);
	free(m->conflict_with);
	free(m->reviewed_action);
	free(m->reviewed_by);
	free(m->reviewed_at);
	memset(m, 0, sizeof(*m));
}

int64_t report_current_gen(struct db *db)
{
	return db_int(db, "SELECT coalesce(max(gen), 0) FROM generations", -1);
}

int report_gen_exists(struct db *db, int64_t gen)
{
	struct db_stmt *st;
	int r;

	if (gen == 0)
		return 1;
	if (gen < 0)
		return 0;
	st = db_prepare(db, "SELECT 1 FROM generations WHERE gen = :gen");
	if (!st || db_bind_int(st, ":gen", gen) < 0)
		return -1;
	r = db_step(st);
	db_done(st);
	return r;
}

int report_load_generation(struct db *db, int64_t gen, struct generation *g)
{
	struct db_stmt *st;
	size_t alloc = 0;
	int r, ret = -1;

	memset(g, 0, sizeof(*g));
	g->gen = gen;
	if (gen == 0) {
		g->summary = xstrdup("the empty set");
		return 0;
	}
	st = db_prepare(db, "SELECT published_at, summary FROM generations WHERE gen = :gen");
	if (!st || db_bind_int(st, ":gen", gen) < 0)
		return -1;
	r = db_step(st);
	if (r == 1) {
		const char *s = db_col_text(st, 1);

		g->published_at = db_col_int(st, 0);
		g->summary = xstrdup(s ? s : "");
	}
	db_done(st);
	if (r < 0)
		return -1;
	if (r == 0)
		return error("no generation '%lld'", (long long)gen);

	st = db_prepare(db,
		"SELECT gm.memory_id, v.snapshot FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.gen = :gen ORDER BY gm.memory_id");
	if (!st || db_bind_int(st, ":gen", gen) < 0)
		goto cleanup;
	while ((r = db_step(st)) == 1) {
		const char *id = db_col_text(st, 0);
		const char *snap = db_col_text(st, 1);

		ALLOC_GROW(g->mems, g->nmems + 1, alloc);
		if (!snap || mem_parse(&g->mems[g->nmems], snap) < 0) {
			error("corrupt snapshot of memory '%s' in generation %lld",
			      id ? id : "?", (long long)gen);
			db_done(st);
			goto cleanup;
		}
		g->nmems++;
	}
	db_done(st);
	if (r < 0)
		goto cleanup;
	ret = 0;
cleanup:
	if (ret)
		generation_release(g);
	return ret;
}

void generation_release(struct generation *g)
{
	size_t i;

	for (i = 0; i < g->nmems; i++)
		mem_release(&g->mems[i]);
	free(g->mems);
	free(g->summary);
	memset(g, 0, sizeof(*g));
}

const struct mem *generation_find(const struct generation *g, const char *id)
{
	size_t lo = 0, hi = g->nmems;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->mems[mid].id, id);

		if (!c)
			return &g->mems[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static unsigned key_bit(const char *key)
{
	static const struct { const char *key; unsigned bit; } map[] = {
		{ "title", DIFF_TEXT }, { "body", DIFF_TEXT },
		{ "score", DIFF_SCORE }, { "scope", DIFF_SCOPE },
		{ "status", DIFF_STATUS }, { "support", DIFF_SUPPORT },
		{ "fix", DIFF_FIX }, { "effectiveness", DIFF_EFFECTIVENESS },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].key, key))
			return map[i].bit;
	return DIFF_OTHER;
}

static int ignored_key(const char *key)
{
	return !strcmp(key, "version") || !strcmp(key, "evidence") ||
	       !strcmp(key, "last_seen");
}

/* The bits of what differs between two snapshots, ignoring churn. */
static unsigned compare_snapshots(const char *a_json, const char *b_json)
{
	cJSON *a = cJSON_Parse(a_json), *b = cJSON_Parse(b_json);
	const cJSON *x;
	unsigned what = 0;

	if (!a || !b) {
		what = strcmp(a_json, b_json) ? DIFF_OTHER : 0;
		goto cleanup;
	}
	cJSON_ArrayForEach(x, a) {
		const cJSON *y;

		if (!x->string || ignored_key(x->string))
			continue;
		y = cJSON_GetObjectItemCaseSensitive(b, x->string);
		if (!y || !cJSON_Compare(x, y, 1))
			what |= key_bit(x->string);
	}
	cJSON_ArrayForEach(x, b) {
		if (!x->string || ignored_key(x->string))
			continue;
		if (!cJSON_GetObjectItemCaseSensitive(a, x->string))
			what |= key_bit(x->string);
	}
cleanup:
	cJSON_Delete(a);
	cJSON_Delete(b);
	return what;
}

static int is_gone(const struct mem *m)
{
	return !m || !strcmp(m->status ? m->status : "", "retired") ||
	       !strcmp(m->status ? m->status : "", "rejected");
}

static int is_status(const struct mem *m, const char *status)
{
	return m && m->status && !strcmp(m->status, status);
}

static void push(struct diff_entry **list, size_t *n, size_t *alloc,
		 const struct mem *before, const struct mem *after, unsigned what)
{
	struct diff_entry *e;

	ALLOC_GROW(*list, *n + 1, *alloc);
	e = &(*list)[(*n)++];
	memset(e, 0, sizeof(*e));
	e->before = before;
	e->after = after;
	e->what = what;
}

int diff_compute(struct db *db, int64_t from, int64_t to, struct diff *d)
{
	size_t i = 0, j = 0;
	size_t a_add = 0, a_chg = 0, a_ret = 0, a_qua = 0, a_con = 0, a_rec = 0;
	const struct generation *f, *t;

	memset(d, 0, sizeof(*d));
	if (report_load_generation(db, from, &d->from) < 0)
		return -1;
	if (report_load_generation(db, to, &d->to) < 0) {
		generation_release(&d->from);
		return -1;
	}
	f = &d->from;
	t = &d->to;
	/* A merge of the two id-sorted lists. */
	while (i < f->nmems || j < t->nmems) {
		const struct mem *b = NULL, *a = NULL;
		int c;

		if (i == f->nmems)
			c = 1;
		else if (j == t->nmems)
			c = -1;
		else
			c = strcmp(f->mems[i].id, t->mems[j].id);
		if (c <= 0)
			b = &f->mems[i++];
		if (c >= 0)
			a = &t->mems[j++];

		if (is_status(a, "quarantined") && !is_status(b, "quarantined")) {
			push(&d->quarantined, &d->nquarantined, &a_qua, b, a,
			     b ? compare_snapshots(b->json, a->json) : 0);
		} else if (b && is_gone(a) && !is_gone(b)) {
			push(&d->retired, &d->nretired, &a_ret, b, a,
			     a ? compare_snapshots(b->json, a->json) : 0);
		} else if (!b) {
			push(&d->added, &d->nadded, &a_add, NULL, a, 0);
		} else if (!a) {
			d->unchanged++;	/* gone, and already retired or rejected */
		} else {
			unsigned what = b->version == a->version ? 0 :
				compare_snapshots(b->json, a->json);

			if (what)
				push(&d->changed, &d->nchanged, &a_chg, b, a, what);
			else
				d->unchanged++;
		}
	}
	for (j = 0; j < t->nmems; j++) {
		const struct mem *a = &t->mems[j];
		const struct mem *b = generation_find(f, a->id);

		if (a->conflict_with && !is_gone(a))
			push(&d->conflicts, &d->nconflicts, &a_con, b, a, 0);
		if (a->has_eff && a->eff_recurring && !is_gone(a))
			push(&d->recurring, &d->nrecurring, &a_rec, b, a, 0);
	}
	return 0;
}

int diff_load_history(struct db *db, struct diff *d)
{
	struct diff_entry *lists[] = { d->added, d->changed, d->retired,
		d->quarantined, d->conflicts, d->recurring };
	size_t counts[] = { d->nadded, d->nchanged, d->nretired,
		d->nquarantined, d->nconflicts, d->nrecurring };
	struct db_stmt *st;
	int64_t lo = d->to.gen - 9 < 1 ? 1 : d->to.gen - 9;
	size_t l, k;

	st = db_prepare(db,
		"SELECT gm.gen, v.snapshot FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.memory_id = :id AND gm.gen BETWEEN :lo AND :hi ORDER BY gm.gen");
	if (!st)
		return -1;
	for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		for (k = 0; k < counts[l]; k++) {
			struct diff_entry *e = &lists[l][k];
			const struct mem *m = e->after ? e->after : e->before;
			int64_t g;
			int r;

			for (g = lo; g <= d->to.gen && e->nhist < 10; g++) {
				e->hist_gen[e->nhist] = g;
				e->hist[e->nhist++] = 0;
			}
			if (db_bind_text(st, ":id", m->id) < 0 ||
			    db_bind_int(st, ":lo", lo) < 0 ||
			    db_bind_int(st, ":hi", d->to.gen) < 0)
				goto fail;
			while ((r = db_step(st)) == 1) {
				int64_t gen = db_col_int(st, 0);
				const char *snap = db_col_text(st, 1);
				cJSON *o = snap ? cJSON_Parse(snap) : NULL;

				if (gen >= lo && gen - lo < 10)
					e->hist[gen - lo] = get_int(
						cJSON_GetObjectItemCaseSensitive(o, "support"),
						"sessions");
				cJSON_Delete(o);
			}
			db_done(st);
			if (r < 0)
				return -1;
		}
	}
	return 0;
fail:
	db_done(st);
	return -1;
}

void diff_release(struct diff *d)
{
	free(d->added);
	free(d->changed);
	free(d->retired);
	free(d->quarantined);
	free(d->conflicts);
	free(d->recurring);
	generation_release(&d->from);
	generation_release(&d->to);
	memset(d, 0, sizeof(*d));
}

int diff_has_changes(const struct diff *d)
{
	return d->nadded || d->nchanged || d->nretired || d->nquarantined;
}

void mem_effectiveness_phrase(const struct mem *m, char out[96])
{
	if (!m->has_eff) {
		snprintf(out, 96, "not measured");
		return;
	}
	snprintf(out, 96, "%lld in %lld sessions before, %lld in %lld after",
		 (long long)m->eff_before_hits, (long long)m->eff_before_sessions,
		 (long long)m->eff_after_hits, (long long)m->eff_after_sessions);
}

int strbuf_add_excerpt(struct strbuf *sb, const char *s, size_t max)
{
	size_t len = strlen(s), n = len, i;

	if (len > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		if (strbuf_addch(sb, c) < 0)
			return -1;
	}
	return n < len ? strbuf_addstr(sb, "...") : 0;
}

int report_want_color(const char *when, int fd)
{
	const char *nc;

	if (!when || !strcmp(when, "auto")) {
		nc = getenv("NO_COLOR");
		return isatty(fd) && !(nc && *nc);
	}
	if (!strcmp(when, "always"))
		return 1;
	if (!strcmp(when, "never"))
		return 0;
	return -1;
}

int report_load_memory(struct db *db, const char *id, struct mem *m, int64_t *gen)
{
	static const char *const sql[] = {
		"SELECT v.snapshot, gm.gen FROM generation_members gm"
		" JOIN memory_versions v ON v.memory_id = gm.memory_id AND v.version = gm.version"
		" WHERE gm.memory_id = :id AND gm.gen = (SELECT max(gen) FROM generations)",
		"SELECT snapshot, gen FROM memory_versions WHERE memory_id = :id"
		" ORDER BY version DESC LIMIT 1",
		"SELECT snapshot, NULL FROM memories WHERE id = :id",
	};
	size_t i;

	for (i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		struct db_stmt *st = db_prepare(db, sql[i]);
		int r;

		if (!st || db_bind_text(st, ":id", id) < 0)
			return -1;
		r = db_step(st);
		if (r == 1) {
			const char *snap = db_col_text(st, 0);

			*gen = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
			if (!snap || mem_parse(m, snap) < 0) {
				db_done(st);
				return error("corrupt snapshot of memory '%s'", id);
			}
		}
		db_done(st);
		if (r != 0)
			return r;
	}
	return 0;
}

void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vaddf(o->sb, fmt, ap) < 0)
		o->err = 1;
	va_end(ap);
}

const char *or_dash(const char *s)
{
	return s ? s : "-";
}

const char *plural_s(long long n)
{
	return n == 1 ? "" : "s";
}

void put_support(struct out *o, const struct mem *m)
{
	put(o, "%lld session%s, %lld user%s, %lld agent%s, %lld occurrence%s",
	    (long long)m->sessions, plural_s(m->sessions), (long long)m->users,
	    plural_s(m->users), (long long)m->agents, plural_s(m->agents),
	    (long long)m->occurrences, plural_s(m->occurrences));
}
