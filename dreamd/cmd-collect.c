/*
 * cmd-collect.c: dreamd collect.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_collect_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'collect' is not written yet");
}

const struct cmd_entry cmd_collect_entry = {
	.name = "collect",
	.summary = "(not written yet)",
	.usage = "usage: dreamd collect\n",
	.exec = cmd_collect_exec,
};
