/*
 * cmd-log.c: dreamd log.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_log_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'log' is not written yet");
}

const struct cmd_entry cmd_log_entry = {
	.name = "log",
	.summary = "(not written yet)",
	.usage = "usage: dreamd log\n",
	.exec = cmd_log_exec,
};
