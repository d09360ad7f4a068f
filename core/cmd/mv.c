/* mv ALBUM/PHOTO ALBUM[/NEWNAME]: moves or renames a photo. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_mv_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *from = &ctx->target[0], *to = &ctx->target[1];
	pgal_photo p;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_photo_move(ctx->g, ctx->token, from->album, from->photo, to->album,
			    to->photo[0] != '\0' ? to->photo : from->photo, &p, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_photo(&p));
	fprintf(ctx->out, "moved %s/%s to %s/%s\n", from->album, from->photo, p.album, p.name);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_mv_entry = {
	.name = "mv",
	.usage = "ALBUM/PHOTO ALBUM[/NEWNAME]",
	.summary = "move a photo to another album or rename it",
	.min_args = 2,
	.max_args = 2,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_MOVE,
	.exec = cmd_mv_exec,
};
