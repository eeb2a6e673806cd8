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
 *
 * Older OpenCode kept the same JSON as files (storage/session/<project>/
 * <session>.json, storage/message/<session>/<message>.json, storage/part/
 * <message>/<part>.json); opencode_collect_storage() turns those into the
 * same lines, messages by creation time, each followed by its parts in id
 * order (OpenCode's ids ascend).
 */
#include <dirent.h>
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

#define STORAGE_FILE_MAX (64u << 20)

/* The names in dir ending in suffix, sorted; *n 0 when it cannot be read. */
static char **dir_names(const char *dir, const char *suffix, size_t *n)
{
	size_t slen = strlen(suffix);
	char **names = NULL;
	size_t alloc = 0;
	struct dirent *de;
	DIR *d = opendir(dir);

	*n = 0;
	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= slen || strcmp(de->d_name + len - slen, suffix))
			continue;
		ALLOC_GROW(names, *n + 1, alloc);
		names[(*n)++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (*n)
		qsort(names, *n, sizeof(*names), strlist_cmp);
	return names;
}

static void free_names(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

/* The JSON object in path, or NULL (reported) when it is none. */
static cJSON *read_json(const char *path)
{
	char *text;
	size_t len;
	cJSON *obj;

	if (read_file(path, STORAGE_FILE_MAX, &text, &len) < 0)
		return NULL;
	obj = cJSON_ParseWithLength(text, len);
	free(text);
	if (!cJSON_IsObject(obj)) {
		warning("not an OpenCode JSON object: skipped '%s'", path);
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

static int64_t time_of(const cJSON *obj, const char *key)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(obj, "time"), key);

	return cJSON_IsNumber(t) ? (int64_t)t->valuedouble : 0;
}

struct stored_message {
	int64_t created;
	char *id, *data;
};

static int cmp_message(const void *a, const void *b)
{
	const struct stored_message *x = a, *y = b;

	if (x->created != y->created)
		return x->created < y->created ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* One message's parts, in id order, as lines. */
static void storage_parts(const char *root, const char *sid, const struct stored_message *m,
			  struct strbuf *sb)
{
	char *dir = xasprintf("%s/part/%s", root, m->id);
	size_t n, i;
	char **names = dir_names(dir, ".json", &n);

	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		cJSON *part = read_json(path);
		char *text = part ? cJSON_PrintUnformatted(part) : NULL;

		if (text) {
			names[i][strlen(names[i]) - 5] = '\0';
			add_line(sb, NULL, m->created, sid, "part", text, names[i], m->id);
		}
		cJSON_free(text);
		cJSON_Delete(part);
		free(path);
	}
	free_names(names, n);
	free(dir);
}

static void storage_session(const char *root, const char *sid, struct strbuf *sb)
{
	char *dir = xasprintf("%s/message/%s", root, sid);
	struct stored_message *msgs;
	size_t n, i, k = 0;
	char **names = dir_names(dir, ".json", &n);

	msgs = xcalloc(n ? n : 1, sizeof(*msgs));
	for (i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]);
		cJSON *m = read_json(path);

		if (m) {
			names[i][strlen(names[i]) - 5] = '\0';
			msgs[k].created = time_of(m, "created");
			msgs[k].id = xstrdup(names[i]);
			msgs[k].data = cJSON_PrintUnformatted(m);
			k++;
		}
		cJSON_Delete(m);
		free(path);
	}
	if (k)
		qsort(msgs, k, sizeof(*msgs), cmp_message);
	for (i = 0; i < k; i++) {
		add_line(sb, "message", msgs[i].created, sid, "message", msgs[i].data,
			 msgs[i].id, NULL);
		storage_parts(root, sid, &msgs[i], sb);
		free(msgs[i].id);
		cJSON_free(msgs[i].data);
	}
	free(msgs);
	free_names(names, n);
	free(dir);
}

int opencode_collect_storage(const char *root, int64_t busy_after_ms,
			     int (*emit)(void *arg, const char *session, int64_t updated_ms,
					 const struct strbuf *jsonl),
			     void *arg, int *busy)
{
	char *sessions = xasprintf("%s/session", root);
	size_t np, p, ns, i;
	char **projects = dir_names(sessions, "", &np);
	int ret = 0;

	*busy = 0;
	for (p = 0; p < np && !ret; p++) {
		char *pdir = xasprintf("%s/%s", sessions, projects[p]);
		char **names = dir_names(pdir, ".json", &ns);

		for (i = 0; i < ns && !ret; i++) {
			char *path = xasprintf("%s/%s", pdir, names[i]);
			cJSON *s = read_json(path);
			const char *sid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "id"));
			int64_t updated = time_of(s, "updated");
			struct strbuf sb;

			if (!sid) {
				names[i][strlen(names[i]) - 5] = '\0';
				sid = names[i];
			}
			if (s && updated > busy_after_ms) {
				(*busy)++;
			} else if (s && !strchr(sid, '/') && sid[0] != '.') {
				strbuf_init(&sb, STRBUF_NOLIMIT);
				storage_session(root, sid, &sb);
				if (emit(arg, sid, updated, &sb) < 0)
					ret = -1;
				strbuf_release(&sb);
			}
			cJSON_Delete(s);
			free(path);
		}
		free_names(names, ns);
		free(pdir);
	}
	free_names(projects, np);
	free(sessions);
	return ret;
}
