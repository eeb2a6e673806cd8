/*
 * support.c: the sessions that support a memory; see support.h. Reads
 * observations, session_workflows and sessions, never writes them.
 */
#include "store/support.h"

#include <stdlib.h>
#include <string.h>

#include "dreamd/common/alloc.h"
#include "dreamd/common/strbuf.h"
#include "store/db.h"

/*
 * A packed n-gram record starts the grams text or follows an RS (0x1e) and
 * ends its key with a US (0x1f): schemas/004-workflows.sql.
 */
static const char support_sql[] =
	"WITH m AS (SELECT extractor, key FROM memories WHERE id = :id),"
	" ids AS ("
	"  SELECT o.session_id AS id FROM observations o, m"
	"   WHERE o.extractor = m.extractor AND o.key = m.key"
	"  UNION SELECT w.session_id FROM session_workflows w, m"
	"   WHERE w.extractor = m.extractor"
	"   AND instr(char(30) || w.grams, char(30) || m.key || char(31)) > 0"
	"  UNION SELECT value FROM json_each(:evidence))"
	" SELECT s.id, s.user, s.agent, coalesce(s.started_at, s.ended_at, -1) AS t"
	" FROM sessions s JOIN ids ON ids.id = s.id"
	" ORDER BY t DESC, s.id";

int memory_sessions_load(struct db *db, const struct memory *m, struct memory_session **s,
			 size_t *n)
{
	struct db_stmt *st = db_prepare(db, support_sql);
	struct strbuf ev;
	size_t alloc = 0, i;
	int rc;

	*s = NULL;
	*n = 0;
	/* The evidence's sessions as a JSON array of ids, from the parsed record. */
	strbuf_init(&ev, STRBUF_NOLIMIT);
	strbuf_addch(&ev, '[');
	for (i = 0; i < m->nev; i++) {
		if (!m->ev[i].session)
			continue;
		strbuf_addstr(&ev, ev.len > 1 ? ", " : "");
		strbuf_add_json(&ev, m->ev[i].session, strlen(m->ev[i].session));
	}
	strbuf_addch(&ev, ']');
	db_bind_text(st, ":id", m->id);
	db_bind_text(st, ":evidence", ev.buf);
	strbuf_release(&ev);
	while ((rc = db_step(st)) == 1) {
		struct memory_session *x;

		ALLOC_GROW(*s, *n + 1, alloc);
		x = &(*s)[(*n)++];
		x->id = xstrdup(db_col_text(st, 0));
		x->user = xstrdup(db_col_text(st, 1));
		x->agent = xstrdup(db_col_text(st, 2));
		x->at = db_col_int(st, 3);
	}
	db_done(st);
	if (rc < 0) {
		memory_sessions_release(*s, *n);
		*s = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void memory_sessions_release(struct memory_session *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].user);
		free(s[i].agent);
	}
	free(s);
}
