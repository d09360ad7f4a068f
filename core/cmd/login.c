/* login USER: starts a session and keeps its token for the next commands. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int
cmd_login_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *user = a->argv[0];
	char token[PGAL_TOKEN_HEX + 1], prompt[80];
	pgal_err e;
	char *pw;
	int rc;

	pgal_err_clear(&e);
	snprintf(prompt, sizeof prompt, "Password for %.40s: ", user);
	if ((pw = pgal_secret_get(ctx, "PGAL_PASSWORD", prompt, 0, &rc)) == NULL)
		return rc;
	rc = pgal_login(ctx->g, user, pw, token, &e);
	pgal_secret_free(pw);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);

	if (ctx->save_token == NULL)
		fprintf(ctx->out, "%s\n", token);
	else if (ctx->save_token(ctx, token, &e) != PGAL_OK) {
		/* a session nobody can use: end it */
		pgal_logout(ctx->g, token, NULL);
		explicit_bzero(token, sizeof token);
		return pgal_cmd_fail(ctx, &e);
	}
	explicit_bzero(token, sizeof token);
	fprintf(ctx->out, "logged in as %s\n", user);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_login_entry = {
	.name = "login",
	.usage = "USER",
	.summary = "log in; the session is kept for the next commands",
	.help = "The password is asked on a terminal, or taken from PGAL_PASSWORD.\n"
		"The session token is kept in ${XDG_CONFIG_HOME:-~/.config}/pgal/session;\n"
		"PGAL_TOKEN overrides it.",
	.min_args = 1,
	.max_args = 1,
	.options = "",
	.flags = PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_login_exec,
};
