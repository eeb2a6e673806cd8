/*
 * cmd-status.c: dreamd status.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_status_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'status' is not written yet");
}

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.summary = "(not written yet)",
	.usage = "usage: dreamd status\n",
	.exec = cmd_status_exec,
};
