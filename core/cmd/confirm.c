/* confirm USER CODE: checks the mailed code and activates the account. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_confirm_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_confirm(ctx->g, a->argv[0], a->argv[1], &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "confirmed %s\nnext: pgal login %s\n", a->argv[0], a->argv[0]);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_confirm_entry = {
	.name = "confirm",
	.usage = "USER CODE",
	.summary = "activate an account with the mailed code",
	.help = "A code expires after a day and allows a few wrong tries; then run\n"
		"'pgal resend USER' for a new one.",
	.min_args = 2,
	.max_args = 2,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_confirm_exec,
};
