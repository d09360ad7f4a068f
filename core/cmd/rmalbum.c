/* rmalbum NAME: deletes an album with its photos; asks first on a terminal. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_rmalbum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	char question[160];
	int64_t deleted = 0;
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_album_get(ctx->g, ctx->token, ctx->target->album, &al, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (!pgal_args_has(a, "yes")) {
		if (ctx->ask_yes_no == NULL)
			return pgal_cmd_error(ctx, PGAL_EUSAGE,
					      "rmalbum: not on a terminal; confirm with --yes");
		snprintf(question, sizeof question, "delete album '%s' and its %lld photo%s?",
			 al.name, (long long)al.photo_count, al.photo_count == 1 ? "" : "s");
		if (ctx->ask_yes_no(ctx, question) != 1)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "not confirmed; nothing was deleted");
	}
	if (pgal_album_delete(ctx->g, ctx->token, al.name, &deleted, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	fprintf(ctx->out, "deleted album %s and its %lld photo%s\n", al.name, (long long)deleted,
		deleted == 1 ? "" : "s");
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_rmalbum_entry = {
	.name = "rmalbum",
	.usage = "NAME [--yes]",
	.summary = "delete an album and its photos",
	.help = "Asks first on a terminal; scripts confirm with --yes.",
	.min_args = 1,
	.max_args = 1,
	.options = "yes",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_ALBUM,
	.exec = cmd_rmalbum_exec,
};
