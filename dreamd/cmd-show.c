/*
 * cmd-show.c: dreamd show.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'show' is not written yet");
}

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.summary = "(not written yet)",
	.usage = "usage: dreamd show\n",
	.exec = cmd_show_exec,
};
