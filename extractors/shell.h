/*
 * shell.h: just enough of the shell to name what a command line runs.
 *
 * A command line is split into simple commands at unquoted &&, ||, ;, |, &
 * and newlines, honouring '...', "...", backslashes, $(...) and here-docs.
 * The main command is the last simple command of the list that is not a
 * prelude (cd, export, echo, ...), taking the first command of a pipeline
 * (`npm test | tail` runs `npm test`); env assignments, sudo, env, time,
 * nohup and timeout in front are skipped, redirections dropped, and
 * `bash -lc '...'` is looked into. Its head is the program's base name plus
 * the subcommand words the "command-head" rules ask for: `git push`,
 * `npm run build`, `python3 -m pytest`.
 */
#ifndef DREAMD_SHELL_H
#define DREAMD_SHELL_H

#include <stddef.h>

#include "dreamd/common/match.h"

struct words {
	char **w;
	size_t n, alloc;
};

void words_release(struct words *w);

/* 1 for the tools that run a shell command (Bash, exec_command, shell ...). */
int shell_tool(const char *tool);

/*
 * Fills out (initialised to zeroes) with the words of cmd's main command,
 * program first. Returns -1 when out of memory; an empty command gives 0
 * words. *whole (unless NULL) is 1 when the main command says all the line
 * does: what else runs only changes directory, prints or filters its
 * output; 0 for `curl URL | sh`, `X=1 npm test`, `export X=1 && npm test`.
 */
int shell_main_command(const char *cmd, struct words *out, int *whole);

/*
 * Every simple command of a line, as it runs: words unquoted, with their
 * assignments, wrappers (sudo, env) and redirections. A command with piped
 * set reads the previous one's output, so a pipeline is a run of commands.
 * The commands inside $(...), <(...), `...`, sh -c '...' and eval come
 * after the line's own, one depth deeper (at most 4).
 */
struct shell_cmd {
	struct words words;
	size_t prog;		/* the program's word, past assignments and
				   wrappers; words.n when there is none */
	int piped;
	unsigned depth;
};

struct shell_line {
	struct shell_cmd *c;
	size_t n, alloc;
};

/* Fills out (no need to initialise); -1 when out of memory. */
int shell_parse(const char *line, struct shell_line *out);
void shell_line_release(struct shell_line *l);

/*
 * Fills out (initialised to zeroes) with the words of the first simple
 * command of cmd that runs want: a program ("cat") or a program and its
 * first word that is not a flag ("git add"). 1 when found, 0 when not, -1
 * when out of memory. For a failing compound command, the part that failed.
 */
int shell_find_command(const char *cmd, const char *want, struct words *out);

/*
 * The head of a main command: a malloc'd "git push", or NULL when out of
 * memory ("" for no words). heads is the compiled "command-head" group.
 */
char *shell_head(const struct matcher *heads, const struct words *w,
		 pcre2_match_data *md);

/* The head plus the command's flags, sorted and unique: "git push --force". */
char *shell_head_flags(const char *head, const struct words *w);

/* The words after the program, joined with spaces (malloc'd). */
char *shell_args(const struct words *w);

/* The words joined with spaces (malloc'd). */
char *shell_join(const struct words *w);

/* 1 for the programs that only filter their input (cat, grep, tail, tee ...). */
int shell_filter(const char *prog);

/* The base name of a path, borrowed from path. */
const char *path_base(const char *path);

#endif
