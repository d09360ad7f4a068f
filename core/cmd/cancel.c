/* cancel: deletes the account with every album, photo and session in it. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int
cmd_cancel_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_whoami *w = &ctx->who;
	char what[128], size[16], prompt[320], typed[64];
	pgal_err e, ce;
	char *pw;
	int rc;

	pgal_err_clear(&e);
	pgal_err_clear(&ce);
	pgal_fmt_size(size, w->bytes);
	snprintf(what, sizeof what, "%lld album%s, %lld photo%s, %s",
		 (long long)w->albums, w->albums == 1 ? "" : "s",
		 (long long)w->photos, w->photos == 1 ? "" : "s", size);
	if (!pgal_args_has(a, "yes")) {
		if (ctx->ask_line == NULL)
			return pgal_cmd_error(ctx, PGAL_EUSAGE,
					      "cancel: not on a terminal; confirm with --yes");
		snprintf(prompt, sizeof prompt,
			 "This deletes the account %s and everything in it (%s) for good.\n"
			 "Type the user name to confirm: ", w->user, what);
		if (ctx->ask_line(ctx, prompt, typed, sizeof typed) != 0 || strcmp(typed, w->user) != 0)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "not confirmed; nothing was deleted");
	}
	if ((pw = pgal_secret_get(ctx, "PGAL_PASSWORD", "Password: ", 0, &rc)) == NULL)
		return rc;
	rc = pgal_cancel_account(ctx->g, ctx->token, pw, &e);
	pgal_secret_free(pw);
	if (rc != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (ctx->clear_token != NULL && ctx->clear_token(ctx, &ce) != PGAL_OK)
		pgal_cmd_fail(ctx, &ce);
	fprintf(ctx->out, "deleted account %s: %s\n", w->user, what);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_cancel_entry = {
	.name = "cancel",
	.usage = "[--yes]",
	.summary = "delete the account and everything in it",
	.help = "Asks to type the user name on a terminal (or take --yes), then for the\n"
		"password again (or PGAL_PASSWORD).",
	.min_args = 0,
	.max_args = 0,
	.options = "yes",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_cancel_exec,
};
