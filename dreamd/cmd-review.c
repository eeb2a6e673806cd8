/*
 * cmd-review.c: dreamd review.
 */
#include "dreamd/cmd.h"
#include "dreamd/util.h"

static int cmd_review_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return error("'review' is not written yet");
}

const struct cmd_entry cmd_review_entry = {
	.name = "review",
	.summary = "(not written yet)",
	.usage = "usage: dreamd review\n",
	.exec = cmd_review_exec,
};
