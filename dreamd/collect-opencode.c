/*
 * collect-opencode.c: OpenCode's SQLite store as one JSONL text per session.
 *
 * opencode.db (tables session, message, part; the content is the JSON in
 * their data columns) is opened read-only by SQLite itself, never written,
 * never locked for long. Each session becomes the lines parse-opencode.c
 * reads: per message {type:"message", timestamp, sessionID, message:<data>}
 * and then per part {type:<part type>, timestamp, sessionID, part:<data
 * with id, messageID, sessionID>}, in the order OpenCode wrote them. A
 * database whose -wal was modified within the idle window is being written
 * and is left for the next run, as is a session updated within it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cJSON.h>
#include <sqlite3.h>

#include "dreamd/collect-opencode.h"
#include "dreamd/util.h"

/* One stored JSON text with the ids OpenCode keeps in columns added back. */
static void add_line(struct strbuf *sb, const char *type, int64_t ts, const char *sid,
		     const char *key, const char *data, const char *id, const char *mid)
{
	cJSON *line = cJSON_CreateObject(), *obj = data ? cJSON_Parse(data) : NULL;
	char *text;

	if (!cJSON_IsObject(obj)) {
		cJSON_Delete(obj);
		obj = cJSON_CreateObject();
	}
	if (id && !cJSON_GetObjectItemCaseSensitive(obj, "id"))
		cJSON_AddStringToObject(obj, "id", id);
	if (mid && !cJSON_GetObjectItemCaseSensitive(obj, "messageID"))
		cJSON_AddStringToObject(obj, "messageID", mid);
	if (!cJSON_GetObjectItemCaseSensitive(obj, "sessionID"))
		cJSON_AddStringToObject(obj, "sessionID", sid);
	if (!type) {
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "type"));

		type = t ? t : "unknown";
	}
	cJSON_AddStringToObject(line, "type", type);
	cJSON_AddNumberToObject(line, "timestamp", (double)ts);
	cJSON_AddStringToObject(line, "sessionID", sid);
	cJSON_AddItemToObject(line, key, obj);
	text = cJSON_PrintUnformatted(line);
	if (!text)
		die(EX_UNAVAILABLE, "out of memory");
	strbuf_addstr(sb, text);
	strbuf_addch(sb, '\n');
	cJSON_free(text);
	cJSON_Delete(line);
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int render(sqlite3 *db, const char *sid, struct strbuf *sb)
{
	/* Messages and their parts, interleaved in the order they were written. */
	static const char sql[] =
		"SELECT 0, m.id, m.time_created, m.data, NULL, m.time_created, m.id"
		" FROM message m WHERE m.session_id = ?1"
		" UNION ALL SELECT 1, p.id, p.time_created, p.data, p.message_id,"
		" m.time_created, m.id FROM part p JOIN message m ON m.id = p.message_id"
		" WHERE p.session_id = ?1 ORDER BY 6, 7, 1, 2";
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, sid, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int is_part = sqlite3_column_int(st, 0);

		add_line(sb, is_part ? NULL : "message", sqlite3_column_int64(st, 2), sid,
			 is_part ? "part" : "message", col(st, 3), col(st, 1),
			 is_part ? col(st, 4) : NULL);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int opencode_collect(const char *path, int64_t busy_after_ms,
		     int (*emit)(void *arg, const char *session, int64_t updated_ms,
				 const struct strbuf *jsonl),
		     void *arg, int *busy)
{
	char *wal = xasprintf("%s-wal", path);
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	struct stat ws;
	int rc, ret = 0;

	*busy = 0;
	if (stat(wal, &ws) == 0 && ws.st_size > 0 &&
	    (int64_t)ws.st_mtim.tv_sec * 1000 + ws.st_mtim.tv_nsec / 1000000 > busy_after_ms) {
		info("'%s' is being written: left for the next run", path);
		*busy = 1;
		free(wal);
		return 0;
	}
	free(wal);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT s.id, s.time_updated, s.directory FROM session s"
			       " ORDER BY s.id", -1, &st, NULL) != SQLITE_OK) {
		ret = error("cannot read the OpenCode store '%s': %s", path,
			    db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	sqlite3_busy_timeout(db, 2000);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *sid = col(st, 0);
		int64_t updated = sqlite3_column_int64(st, 1);
		struct strbuf sb;

		if (!sid)
			continue;
		if (updated > busy_after_ms) {
			(*busy)++;
			continue;
		}
		strbuf_init(&sb, STRBUF_NOLIMIT);
		if (render(db, sid, &sb) < 0) {
			ret = error("cannot read session '%s' of '%s': %s", sid, path,
				    sqlite3_errmsg(db));
		} else if (emit(arg, sid, updated, &sb) < 0) {
			ret = -1;
		}
		strbuf_release(&sb);
	}
	if (rc != SQLITE_DONE)
		ret = error("cannot read the OpenCode store '%s': %s", path, sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
