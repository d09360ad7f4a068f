/* info ALBUM/PHOTO: a photo's metadata and EXIF. */
#include "cmd.h"

static int
cmd_info_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *t = ctx->target;
	pgal_photo p;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_photo_get(ctx->g, ctx->token, t->album, t->photo, &p, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_photo(&p));
	pgal_print_photo_info(ctx, &p);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_info_entry = {
	.name = "info",
	.usage = "ALBUM/PHOTO",
	.summary = "show a photo's details and EXIF",
	.min_args = 1,
	.max_args = 1,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTO,
	.exec = cmd_info_exec,
};
