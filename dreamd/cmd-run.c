/*
 * cmd-run.c: dreamd run.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_run_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'run' is not written yet");
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.summary = "(not written yet)",
	.usage = "usage: dreamd run\n",
	.exec = cmd_run_exec,
};
