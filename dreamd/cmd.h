/*
 * cmd.h: the subcommand table, after tmux's cmd_entry and git's commands[].
 *
 * Each subcommand lives in its own cmd-NAME.c and exports one
 * const struct cmd_entry with its usage text beside its code, so --help
 * cannot drift. main.c parses the global options, loads the config and calls
 * exec() with the command's own argv (argv[0] is the command name).
 */
#ifndef DREAMD_CMD_H
#define DREAMD_CMD_H

#include "dreamd/config.h"

struct db;

struct cmd_ctx {
	const char *db_path;		/* --db, DREAMD_DB, or the default */
	struct config *cfg;
};

struct cmd_entry {
	const char *name;
	const char *summary;		/* one line, for `dreamd --help` */
	const char *usage;		/* the full --help text */
	/* Returns the exit status. */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

/*
 * Opens the store, creating and migrating it when needed. Exits 74 (the
 * error printed) on failure.
 */
struct db *cmd_open_store(const struct cmd_ctx *ctx);
/* The same for a command that only reads (store_open_read). */
struct db *cmd_open_store_read(const struct cmd_ctx *ctx);
/* Prints the command's usage to stderr and returns EX_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
