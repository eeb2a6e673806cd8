/*
 * cmd-rollback.c: dreamd rollback.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_rollback_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'rollback' is not written yet");
}

const struct cmd_entry cmd_rollback_entry = {
	.name = "rollback",
	.summary = "(not written yet)",
	.usage = "usage: dreamd rollback\n",
	.exec = cmd_rollback_exec,
};
