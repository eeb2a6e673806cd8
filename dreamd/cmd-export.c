/*
 * cmd-export.c: dreamd export.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'export' is not written yet");
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.summary = "(not written yet)",
	.usage = "usage: dreamd export\n",
	.exec = cmd_export_exec,
};
