/*
 * obs-store.c: a session's observations into the store.
 */
#include "dreamd/obs-store.h"

#include "dreamd/grams.h"
#include "store/db.h"

int obs_list_store(struct db *db, const char *session_id, const struct obs_list *l, int replace)
{
	struct db_stmt *st;
	size_t i;

	if (replace) {
		st = db_prepare(db, "DELETE FROM observations WHERE session_id = :s");
		if (!st || db_bind_text(st, ":s", session_id) || db_run(st) < 0)
			return -1;
	}
	if (grams_store(db, session_id, l, replace) < 0)
		return -1;
	for (i = 0; i < l->n; i++) {
		const struct observation *o = &l->v[i];

		if (grams_kind(o))
			continue;
		st = db_prepare(db,
			"INSERT OR IGNORE INTO observations (session_id, extractor, kind, key, slot, subject,"
			" detail, fix, fixed, value, excerpt, seq, ts, user, agent, project,"
			" user_authored, behaviour, count, succeeded) VALUES (:session, :extractor,"
			" :kind, :key, :slot, :subject, :detail, :fix, :fixed, :value, :excerpt,"
			" :seq, :ts, :user, :agent, :project, :ua, :beh, :count, :ok)");
		if (!st || db_bind_text(st, ":session", session_id) ||
		    db_bind_text(st, ":extractor", o->extractor) ||
		    db_bind_text(st, ":kind", o->kind) || db_bind_text(st, ":key", o->key) ||
		    db_bind_text(st, ":slot", o->slot) ||
		    db_bind_text(st, ":subject", o->subject) ||
		    db_bind_text(st, ":detail", o->detail) || db_bind_text(st, ":fix", o->fix) ||
		    db_bind_int(st, ":fixed", o->fixed) || db_bind_text(st, ":value", o->value) ||
		    db_bind_text(st, ":excerpt", o->excerpt) || db_bind_int(st, ":seq", o->seq) ||
		    db_bind_int(st, ":ts", o->ts) || db_bind_text(st, ":user", o->user) ||
		    db_bind_text(st, ":agent", o->agent) ||
		    db_bind_text(st, ":project", o->project) ||
		    db_bind_int(st, ":ua", o->user_authored) ||
		    db_bind_int(st, ":beh", o->behaviour) ||
		    db_bind_int(st, ":count", o->count ? o->count : 1) ||
		    db_bind_int(st, ":ok", o->succeeded) || db_run(st) < 0)
			return -1;
	}
	return 0;
}
