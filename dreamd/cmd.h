/*
 * cmd.h: the subcommand table, after tmux's cmd_entry and git's commands[].
 *
 * Each subcommand lives in its own cmd-NAME.c and exports one
 * const struct cmd_entry with its usage text beside its code, so --help
 * cannot drift. main.c parses the global options, loads the config and calls
 * exec() with the command's own argv (argv[0] is the command name).
 *
 * What a command needs set up is a flag of its entry, as git's RUN_SETUP:
 * with CMD_STORE_READ, cmd_store() gives it the store in a read
 * transaction, and main() rolls that back and closes the store after
 * exec(), whatever exec() returned. Writers (run, reconsolidate, review,
 * rollback) have their frame in struct writer (writer.h).
 */
#ifndef DREAMD_CMD_H
#define DREAMD_CMD_H

#include "dreamd/config.h"

struct db;

/* struct cmd_entry's flags. */
#define CMD_STORE_READ (1 << 0)	/* reads the store: cmd_store() */

struct cmd_entry;

struct cmd_ctx {
	const char *db_path;		/* --db, DREAMD_DB, or the default */
	struct config *cfg;
	const struct cmd_entry *cmd;	/* the command being run */
	struct db *db;			/* cmd_store()'s, or NULL */
};

struct cmd_entry {
	const char *name;
	const char *summary;		/* one line, for `dreamd --help` */
	const char *usage;		/* the full --help text */
	unsigned flags;			/* CMD_STORE_READ */
	/* Returns the exit status. */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

/*
 * The store of a CMD_STORE_READ command, opened for a reader
 * (store_open_read) in a read transaction: one snapshot for the whole
 * command. Opened at the first call, once the command has checked its
 * arguments, so a usage error never touches the store. Exits 74 (the error
 * printed) when it cannot be opened or read.
 */
struct db *cmd_store(struct cmd_ctx *ctx);
/* Prints the command's usage to stderr and returns EX_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
