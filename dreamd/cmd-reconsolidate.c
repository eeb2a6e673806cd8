/*
 * cmd-reconsolidate.c: dreamd reconsolidate.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_reconsolidate_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'reconsolidate' is not written yet");
}

const struct cmd_entry cmd_reconsolidate_entry = {
	.name = "reconsolidate",
	.summary = "(not written yet)",
	.usage = "usage: dreamd reconsolidate\n",
	.exec = cmd_reconsolidate_exec,
};
