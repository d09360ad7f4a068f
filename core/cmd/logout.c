/* logout: ends the session everywhere and forgets its token. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_logout_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_err e, ce;
	int rc;

	pgal_err_clear(&e);
	pgal_err_clear(&ce);
	if (ctx->token == NULL || ctx->token[0] == '\0')
		return pgal_cmd_error(ctx, PGAL_EDENIED, "not logged in");
	rc = pgal_logout(ctx->g, ctx->token, &e);
	/* forget the token even if the session had already ended */
	if (ctx->clear_token != NULL && ctx->clear_token(ctx, &ce) != PGAL_OK && rc == PGAL_OK)
		return pgal_cmd_fail(ctx, &ce);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "logged out\n");
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_logout_entry = {
	.name = "logout",
	.usage = "",
	.summary = "end the session",
	.min_args = 0,
	.max_args = 0,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_logout_exec,
};
