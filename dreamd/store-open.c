/*
 * store-open.c: opening the store, creating and migrating it from the
 * schemas compiled in (schemas/NNN-*.sql), or for a reader that never
 * migrates.
 */
#include "dreamd/store-open.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dreamd/embedded.h"
#include "dreamd/util.h"
#include "store/db.h"

/* The embedded schemas/NNN-*.sql as migrations; returns how many. */
static size_t migrations(struct db_migration *m, size_t max)
{
	const struct embedded_file *f;
	size_t n = 0;

	for (f = embedded_files; f->name; f++) {
		if (strncmp(f->name, "schemas/", 8) || !strstr(f->name, ".sql"))
			continue;
		if (n == max)
			die(EX_SOFTWARE, "too many migrations");
		m[n].version = atoi(f->name + 8);
		m[n].name = f->name;
		m[n].sql = (const char *)f->data;
		n++;
	}
	return n;
}

int store_open(const char *path, struct db **out)
{
	struct db_migration m[16];
	struct db *db;
	size_t n = migrations(m, 16);

	*out = NULL;
	if (db_open(&db, path, 1) < 0)
		return -1;
	if (db_migrate(db, m, n) < 0) {
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

int store_open_read(const char *path, struct db **out)
{
	struct db_migration m[16];
	size_t n = migrations(m, 16);
	struct stat st;
	struct db *db;
	int64_t have, app;

	*out = NULL;
	/*
	 * No store yet: the reader answers from an empty one in memory and
	 * leaves the path alone (a hook run in a project folder with the
	 * default ./dreamd.db must not leave a store there); a writer creates it.
	 */
	if (stat(path, &st) < 0 ? errno == ENOENT : !st.st_size)
		return store_open(":memory:", out);
	if (db_open_read(&db, path) < 0)
		return -1;
	if (db_int(db, "PRAGMA user_version", &have) < 0 ||
	    db_int(db, "PRAGMA application_id", &app) < 0)
		have = -1;
	else if (!have && !app) {
		/* a writer died before its first migration: no store yet */
		db_close(db);
		return store_open(":memory:", out);
	}
	if (have < 0 || (app != DB_APPLICATION_ID && have)) {
		db_close(db);
		return error("cannot read the store '%s'", path);
	}
	if (have != m[n - 1].version) {
		db_close(db);
		if (have > m[n - 1].version)
			return error("store is from a newer dreamd (schema %lld) '%s'",
				     (long long)have, path);
		return error("store needs migrating from schema %lld to %d, which readers never "
			     "do: run 'dreamd run' as its owner first '%s'", (long long)have,
			     m[n - 1].version, path);
	}
	*out = db;
	return 0;
}
