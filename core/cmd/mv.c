/* mv ALBUM/PHOTO ALBUM[/NEWNAME]: moves or renames a photo. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_mv_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	char album[PGAL_ALBUM_MAX + 1], name[PGAL_PHOTO_NAME_MAX + 1];
	char to_album[PGAL_ALBUM_MAX + 1], to_name[PGAL_PHOTO_NAME_MAX + 1];
	pgal_photo p;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_split_path(a->argv[0], album, name, 0, &e) != PGAL_OK ||
	    pgal_split_path(a->argv[1], to_album, to_name, 1, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_photo_move(ctx->g, ctx->token, album, name, to_album,
			    to_name[0] != '\0' ? to_name : name, &p, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_photo(&p));
	fprintf(ctx->out, "moved %s/%s to %s/%s\n", album, name, p.album, p.name);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_mv_entry = {
	.name = "mv",
	.usage = "ALBUM/PHOTO ALBUM[/NEWNAME] [--json]",
	.summary = "move a photo to another album or rename it",
	.min_args = 2,
	.max_args = 2,
	.options = "json",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_mv_exec,
};
