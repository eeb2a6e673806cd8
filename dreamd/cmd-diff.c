/*
 * cmd-diff.c: dreamd diff.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_diff_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'diff' is not written yet");
}

const struct cmd_entry cmd_diff_entry = {
	.name = "diff",
	.summary = "(not written yet)",
	.usage = "usage: dreamd diff\n",
	.exec = cmd_diff_exec,
};
