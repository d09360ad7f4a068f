/* passwd: changes the password; every other session of the user ends. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_passwd_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	char *old, *new;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if ((old = pgal_secret_get(ctx, "PGAL_PASSWORD", "Current password: ", 0, &rc)) == NULL)
		return rc;
	if ((new = pgal_secret_get(ctx, "PGAL_NEW_PASSWORD", "New password (at least 10 characters): ",
				   1, &rc)) == NULL) {
		pgal_secret_free(old);
		return rc;
	}
	rc = pgal_passwd(ctx->g, ctx->token, old, new, &e);
	pgal_secret_free(old);
	pgal_secret_free(new);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "password changed; other sessions of %s were ended\n", ctx->who.user);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_passwd_entry = {
	.name = "passwd",
	.usage = "",
	.summary = "change the password (ends other sessions)",
	.help = "Passwords are asked on a terminal, or taken from PGAL_PASSWORD (current)\n"
		"and PGAL_NEW_PASSWORD (new).",
	.min_args = 0,
	.max_args = 0,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_passwd_exec,
};
