/* mkalbum NAME: creates an album. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_mkalbum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_album_create(ctx->g, ctx->token, a->argv[0], pgal_args_get(a, "title"),
			      pgal_args_get(a, "description"), &al, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_album(&al));
	fprintf(ctx->out, "created album %s\n", al.name);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_mkalbum_entry = {
	.name = "mkalbum",
	.usage = "NAME [--title T] [--description D]",
	.summary = "create an album",
	.help = "Album names are 1 to 64 of A-Z a-z 0-9 . _ - and space, starting with a\n"
		"letter or digit.",
	.min_args = 1,
	.max_args = 1,
	.options = "title=,description=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_mkalbum_exec,
};
