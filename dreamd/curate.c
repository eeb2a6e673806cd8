/*
 * curate.c: observations -> versioned memories -> a generation; see curate.h.
 *
 * The steps, in order: load the stored memories, the reviews and the
 * candidates (curate-load.c); merge near-duplicates; decide scope, score
 * and status; keep maximal workflows; quarantine poison; settle slots
 * (curate-policy.h, each rule in its own file); apply the reviewers'
 * standing decisions; write a version for every memory whose record
 * changed and publish the set (here).
 */
#include "dreamd/curate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dreamd/curate-load.h"
#include "dreamd/util.h"
#include "store/history.h"
#include "store/review.h"

/* Memory ids ----------------------------------------------------------------- */

void curate_memory_id(const char *extractor, const char *key, unsigned salt, char out[16])
{
	uint64_t h = hash64(extractor, strlen(extractor), HASH64_SEED);
	char s[16];

	h = hash64("\0", 1, h);
	h = hash64(key, strlen(key), h);
	if (salt) {
		snprintf(s, sizeof(s), "#%u", salt);
		h = hash64(s, strlen(s), h);
	}
	snprintf(out, 16, "m-%08x", (unsigned)(h ^ (h >> 32)));
}

/* The record ----------------------------------------------------------------- */

/* Room for a candidate's record: its times as text. */
struct record_buf {
	struct memory_evidence ev[MAX_EVIDENCE];
	char first[32], last[32], reviewed_at[32], at[MAX_EVIDENCE][32];
};

/*
 * The candidate's record, borrowing its strings (never memory_release it),
 * with ev[0..nev) as its evidence.
 */
static void cand_record(const struct cand *c, const struct evidence *ev, int nev,
			const struct review_state *rv, const struct effect *ef,
			struct memory *m, struct record_buf *b)
{
	int i;

	memset(m, 0, sizeof(*m));
	m->id = (char *)c->id;
	m->kind = c->kind;
	m->scope = c->scope;
	m->status = c->status;
	m->title = c->title;
	m->body = c->body;
	m->score = c->score;
	format_iso8601(c->first_seen, b->first);
	format_iso8601(c->last_seen, b->last);
	m->first_seen = b->first;
	m->last_seen = b->last;
	m->sessions = (int64_t)c->nsess;
	m->users = (int64_t)c->users.n;
	m->agents = (int64_t)c->agents.n;
	m->projects = (int64_t)c->projects.n;
	m->occurrences = c->occurrences;
	for (i = 0; i < nev; i++) {
		format_iso8601(ev[i].ts, b->at[i]);
		b->ev[i] = (struct memory_evidence){
			.session = (char *)ev[i].session, .user = (char *)ev[i].user,
			.agent = (char *)ev[i].agent, .at = b->at[i],
			.excerpt = (char *)ev[i].excerpt, .event = ev[i].seq,
		};
	}
	m->ev = b->ev;
	m->nev = (size_t)nev;
	m->extractor = c->extractor;
	m->slot = c->slot;
	if (c->fix) {
		m->fix_command = c->fix;
		m->fix_worked = c->fix_worked;
		m->fix_of = (int64_t)c->nsess;
	}
	m->reason = c->reason;
	m->superseded_by = c->superseded_by;
	m->conflict_with = c->conflict_with;
	if (ef && ef->present) {
		m->has_eff = 1;
		m->eff_before_hits = ef->before_hits;
		m->eff_before_sessions = ef->before_sessions;
		m->eff_after_hits = ef->after_hits;
		m->eff_after_sessions = ef->after_sessions;
		m->eff_recurring = ef->recurring;
	}
	if (rv && rv->last_action) {
		format_iso8601(rv->last_at, b->reviewed_at);
		m->reviewed_action = (char *)review_action_name(rv->last_action);
		m->reviewed_by = rv->last_actor;
		m->reviewed_at = b->reviewed_at;
	}
}

/* Writing -------------------------------------------------------------------- */

static const char *change_kind(const struct existing *e, enum memory_status status,
			       int reviewed)
{
	int was_live, is_live;

	if (!e)
		return "added";
	if (reviewed)
		return "reviewed";
	was_live = memory_status_live(e->row.status);
	is_live = memory_status_live(status);
	if (was_live && !is_live && status == MEMORY_RETIRED)
		return "retired";
	if (!was_live && is_live && e->row.status == MEMORY_RETIRED)
		return "restored";
	return "updated";
}

struct publish {
	struct curator *cu;
	const char *actor, *reason, *review_id;
	int64_t gen;
	struct curate_stats *st;
};

static void count_change(struct curate_stats *st, const char *change)
{
	if (!strcmp(change, "added"))
		st->added++;
	else if (!strcmp(change, "retired"))
		st->retired++;
	else if (!strcmp(change, "restored"))
		st->restored++;
	else if (!strcmp(change, "reviewed"))
		st->reviewed++;
	else
		st->updated++;
}

/*
 * Records memory m made for key: a new version only when its record
 * changed (the same serializer's bytes, but for the version). Sets
 * m->version.
 */
static int put_memory(struct publish *p, struct memory *m, const char *key)
{
	struct existing *e = find_existing(p->cu, m->id);
	int reviewed = p->review_id && !strcmp(p->review_id, m->id);
	struct memory_change ch = { p->gen, NULL, p->actor, p->reason };

	m->version = e ? e->row.version : 1;
	if (e) {
		char *rec = memory_to_json(m);
		int same = !strcmp(e->row.snapshot, rec);

		free(rec);
		e->seen = 1;
		if (same)
			return 0;
		m->version++;
	}
	ch.change = change_kind(e, m->status, reviewed);
	count_change(p->st, ch.change);
	return memory_put(p->cu->db, m, key, &ch);
}

/*
 * A stored memory's record with another status and reason (each kept when
 * NONE or NULL) and the text of the reviewer's edits.
 */
static int put_stored(struct publish *p, struct existing *e, enum memory_status status,
		      const char *reason, const struct review_state *rv)
{
	struct memory m;
	int ret;

	if (memory_parse(&m, e->row.snapshot) < 0)
		return error("corrupt snapshot of memory '%s'", e->row.id);
	if (status)
		m.status = status;
	if (reason)
		memory_set(&m.reason, reason);
	if (rv && rv->title)
		memory_set(&m.title, rv->title);
	if (rv && rv->body)
		memory_set(&m.body, rv->body);
	ret = put_memory(p, &m, e->row.key);
	memory_release(&m);
	return ret;
}

static int publish_candidate(struct publish *p, struct cand *c)
{
	struct curator *cu = p->cu;
	struct effect ef = { 0 };
	struct evidence after[MAX_EVIDENCE];
	const struct evidence *ev = c->ev;
	struct record_buf buf;
	struct memory m;
	int64_t first, seen, since;
	int nev = c->nev;

	/* Pinned: frozen against runs, but a reviewer's edit still lands. */
	if (apply_review(c))
		return put_stored(p, find_existing(cu, c->id), MEMORY_STATUS_NONE, NULL, c->review);
	if (c->kind == MEMORY_MISTAKE) {
		int nbefore, nafter;

		if (memory_first_published_run(cu->db, c->id, &first, &seen) < 0)
			return -1;
		since = effect_since(c, first, cu->run);
		if (!first)	/* published now: all it has is before */
			seen = c->last_seen;
		if (since && scope_sessions_around(cu, c->scope, since, seen, &nbefore, &nafter) < 0)
			return -1;
		if (since)
			decide_effect(c, since, seen, nbefore, nafter, &ef);
		/* What still recurs is shown by its recurrences, not by what came before. */
		if (ef.after_hits && (nev = effect_evidence(c, since, seen, after)))
			ev = after;
		else
			nev = c->nev;
	}
	cand_record(c, ev, nev, c->review, &ef, &m, &buf);
	return put_memory(p, &m, c->key);
}

/* A memory no candidate speaks for any more. */
static int publish_orphan(struct publish *p, struct existing *e)
{
	const struct review_state *rv = review_find(p->cu->rv, p->cu->nrv, e->row.id);
	enum memory_status was = e->row.status, status = was;
	char reason[128] = "";

	/*
	 * No evidence speaks for it now. Standing decisions still hold: a
	 * rejection, a pin, an acceptance of what was held back, an edit.
	 * Anything else that was live is retired.
	 */
	if (rv && rv->verdict == REVIEW_REJECT) {
		status = MEMORY_REJECTED;
		snprintf(reason, sizeof(reason), "rejected by %s", rv->last_actor);
	} else if (rv && rv->pinned) {
		status = MEMORY_PINNED;
		snprintf(reason, sizeof(reason), "pinned by %s", rv->last_actor);
	} else if (rv && rv->verdict == REVIEW_ACCEPT &&
		   (was == MEMORY_CANDIDATE || was == MEMORY_QUARANTINED ||
		    was == MEMORY_REJECTED)) {
		status = MEMORY_ACTIVE;
		snprintf(reason, sizeof(reason), "accepted by %s", rv->last_actor);
	} else if (was != MEMORY_RETIRED) {
		status = MEMORY_RETIRED;
		snprintf(reason, sizeof(reason), "no longer supported by the evidence");
	}
	return put_stored(p, e, status, status != was ? reason : NULL, rv);
}

void curate_stats_format(const struct curate_stats *st, char *buf, size_t len)
{
	snprintf(buf, len, "%d added, %d changed, %d retired, %d restored, %d reviewed;"
		 " %d active of %d", st->added, st->updated, st->retired, st->restored,
		 st->reviewed, st->active, st->total);
}

int curate_publish(struct db *db, const struct config *cfg, int64_t run_id,
		   const char *actor, const char *reason, const char *review_id,
		   struct curate_stats *stats, int64_t *gen)
{
	struct curator cu = { .db = db, .cfg = cfg, .run = run_id };
	struct publish p = { &cu, actor, reason, review_id, 0, stats };
	const struct policy *pol = &cu.policy;
	int changes;
	size_t i;
	int ret = -1;

	memset(stats, 0, sizeof(*stats));
	*gen = 0;
	if (curator_load(&cu) < 0)
		goto cleanup;
	curate_dedupe(pol, &cu.names, cu.c, cu.nc);
	take_workflow_steps(cu.c, cu.nc, &cu.steps, &cu.nsteps);
	cu.policy.steps = cu.steps;
	cu.policy.nsteps = cu.nsteps;
	for (i = 0; i < cu.nc; i++) {
		struct cand *c = &cu.c[i];

		if (c->dropped)
			continue;
		assign_id(&cu, c);
		decide_scope(pol, c);
		decide_fix(c);
		decide_score(pol, c);
		decide_status(pol, c);
		gate_workflow_signal(pol, c);
		describe(c);
		check_poison(pol, c);
		c->dropped = !cand_worth_record(c);
	}
	keep_maximal_workflows(pol, cu.c, cu.nc);
	settle_slots(cu.c, cu.nc);

	if (generation_next(db, &p.gen) < 0)
		goto cleanup;
	for (i = 0; i < cu.nc; i++) {
		if (cu.c[i].dropped)
			continue;
		if (publish_candidate(&p, &cu.c[i]) < 0)
			goto cleanup;
	}
	for (i = 0; i < cu.nex; i++)
		if (!cu.ex[i].seen && publish_orphan(&p, &cu.ex[i]) < 0)
			goto cleanup;
	if (memory_count(db, &stats->active, &stats->total) < 0)
		goto cleanup;
	changes = stats->added + stats->updated + stats->retired + stats->restored +
		stats->reviewed;
	if (changes) {
		char summary[256];

		curate_stats_format(stats, summary, sizeof(summary));
		if (generation_publish(db, p.gen, run_id, summary) < 0)
			goto cleanup;
		*gen = p.gen;
	}
	ret = 0;
cleanup:
	curator_release(&cu);
	return ret;
}
