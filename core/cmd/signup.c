/* signup USER EMAIL: creates an account and mails a confirmation code. */
#include <limits.h>
#include <stdio.h>

#include "cmd.h"
#include "validate.h"

static int
cmd_signup_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *user = a->argv[0], *email = a->argv[1];
	pgal_err e;
	char *pw, kept[PATH_MAX + 64];
	int rc;

	/* say what is wrong with the names before asking for a password */
	pgal_err_clear(&e);
	if (pgal_valid_username(user, &e) != PGAL_OK || pgal_valid_email(email, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	pw = pgal_secret_get(ctx, "PGAL_PASSWORD", "Password (at least 10 characters): ", 1, &rc);
	if (pw == NULL)
		return rc;
	rc = pgal_signup(ctx->g, user, email, pw, &e);
	pgal_secret_free(pw);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);

	fprintf(ctx->out, "signed up %s; a confirmation code was mailed to %s\n", user, email);
	if (pgal_mail_where_kept(ctx->g, kept, sizeof kept))
		fprintf(ctx->out, "(%s)\n", kept);
	fprintf(ctx->out, "next: pgal confirm %s CODE\n", user);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_signup_entry = {
	.name = "signup",
	.usage = "USER EMAIL",
	.summary = "create an account; a confirmation code is mailed",
	.help = "User names are [a-z][a-z0-9_-]{1,31}; passwords have at least 10 characters.\n"
		"The password is asked twice on a terminal, or taken from PGAL_PASSWORD.",
	.min_args = 2,
	.max_args = 2,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_signup_exec,
};
