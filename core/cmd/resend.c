/* resend USER: mails a fresh confirmation code; the old one stops working. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_resend_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_resend_code(ctx->g, a->argv[0], &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "a new confirmation code was mailed to %s\nnext: pgal confirm %s CODE\n",
		a->argv[0], a->argv[0]);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_resend_entry = {
	.name = "resend",
	.usage = "USER",
	.summary = "mail a new confirmation code",
	.min_args = 1,
	.max_args = 1,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_resend_exec,
};
