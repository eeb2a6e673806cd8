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
 * transaction; with CMD_STORE_WRITE, cmd_writer() gives it the run lock,
 * the store opened for writing and a write transaction (struct writer,
 * writer.h). After exec(), whatever it returned, main() rolls back and
 * closes what the command left open: a reader never commits, and a writer
 * commits only through writer_finish().
 */
#ifndef DREAMD_CMD_H
#define DREAMD_CMD_H

#include "dreamd/config.h"

struct db;

/* struct cmd_entry's flags. */
#define CMD_STORE_READ (1 << 0)	/* reads the store: cmd_store() */
#define CMD_STORE_WRITE (1 << 1)	/* writes it under the run lock: cmd_writer() */

struct cmd_entry;
struct writer;

struct cmd_ctx {
	const char *db_path;		/* --db, DREAMD_DB, or the default */
	struct config *cfg;
	const struct cmd_entry *cmd;	/* the command being run */
	struct db *db;			/* cmd_store()'s, or NULL */
	struct writer *writer;		/* cmd_writer()'s, or NULL */
};

struct cmd_entry {
	const char *name;
	const char *summary;		/* one line, for `dreamd --help` */
	const char *usage;		/* the full --help text */
	unsigned flags;			/* CMD_STORE_READ, CMD_STORE_WRITE */
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
/*
 * The frame of a CMD_STORE_WRITE command (writer_start()): the run lock,
 * the store opened for writing and migrated, a run record of kind ("run",
 * "review", ...) by person (NULL: the run itself, "KIND:N") and a write
 * transaction; a dry run records nothing that outlives its transaction.
 * Taken at the first call, once the command has checked its arguments, so
 * a usage error never touches the store or the lock. Exits 75 when another
 * writer holds the lock and 74 when the store cannot be opened (the error
 * printed). The command ends it with writer_finish(); whatever it leaves
 * open, main() rolls back after exec().
 */
struct writer *cmd_writer(struct cmd_ctx *ctx, const char *kind, const char *person,
			  int dry_run);
/* Prints the command's usage to stderr and returns EX_USAGE. */
int cmd_usage_error(const struct cmd_entry *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
