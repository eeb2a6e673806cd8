/*
 * store-open.h: opening the store, migrated to the schemas compiled in.
 */
#ifndef DREAMD_STORE_OPEN_H
#define DREAMD_STORE_OPEN_H

struct db;

/*
 * Opens the store at path, creating it and applying the migrations compiled
 * in from schemas/ as needed. -1 reported.
 */
int store_open(const char *path, struct db **out);
/*
 * Opens the store for a reader: read-only, never migrating, never waiting
 * for a writer (db_open_read). A missing or empty store is created as
 * store_open does; one that needs migrating is an error that says so.
 */
int store_open_read(const char *path, struct db **out);

#endif
