/* reset USER [CODE]: a forgotten password. Without CODE a code is mailed
 * to the account's address; with it a new password is set (asked twice,
 * or PGAL_PASSWORD) and every session of the account ends. */
#include <limits.h>
#include <stdio.h>

#include "cmd.h"
#include "validate.h"

static int
cmd_reset_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *user = a->argv[0];
	char *pw, kept[PATH_MAX + 64];
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (a->argc == 1) {
		if (pgal_reset_request(ctx->g, user, &e) != PGAL_OK)
			return pgal_cmd_fail(ctx, &e);
		fprintf(ctx->out, "a password reset code was mailed to the address of %s\n", user);
		if (pgal_mail_where_kept(ctx->g, kept, sizeof kept))
			fprintf(ctx->out, "(%s)\n", kept);
		fprintf(ctx->out, "next: pgal reset %s CODE\n", user);
		return PGAL_OK;
	}
	if (pgal_valid_username(user, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	pw = pgal_secret_get(ctx, "PGAL_PASSWORD", "New password (at least 10 characters): ", 1, &rc);
	if (pw == NULL)
		return rc;
	rc = pgal_reset_password(ctx->g, user, a->argv[1], pw, &e);
	pgal_secret_free(pw);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "password of %s changed; every session of it was ended\nnext: pgal login %s\n",
		user, user);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_reset_entry = {
	.name = "reset",
	.usage = "USER [CODE]",
	.summary = "forgotten password: mail a code, then set a new password with it",
	.help = "'pgal reset USER' mails a code to the account's address; 'pgal reset USER CODE'\n"
		"sets a new password (asked twice on a terminal, or taken from PGAL_PASSWORD)\n"
		"and ends every session. A code expires and allows a few wrong tries, like\n"
		"the sign-up code.",
	.min_args = 1,
	.max_args = 2,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_reset_exec,
};
