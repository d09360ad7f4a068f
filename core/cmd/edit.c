/* edit ALBUM/PHOTO: changes a photo's title, description or tags. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_edit_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *t = ctx->target;
	const char *title = pgal_args_get(a, "title"), *desc = pgal_args_get(a, "description");
	const char *tags = pgal_args_get(a, "tags");
	pgal_photo p;
	pgal_err e;

	pgal_err_clear(&e);
	if (title == NULL && desc == NULL && tags == NULL)
		return pgal_cmd_error(ctx, PGAL_EUSAGE,
				      "edit: nothing to change; give --title, --description or --tags");
	if (pgal_photo_update(ctx->g, ctx->token, t->album, t->photo, title, desc, tags, &p,
			      &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_photo(&p));
	fprintf(ctx->out, "updated %s/%s\n", p.album, p.name);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_edit_entry = {
	.name = "edit",
	.usage = "ALBUM/PHOTO [--title T] [--description D] [--tags a,b]",
	.summary = "change a photo's title, description or tags",
	.help = "--tags replaces the whole set; tags are made lower case, duplicates\n"
		"dropped; --tags '' removes them all.",
	.min_args = 1,
	.max_args = 1,
	.options = "title=,description=,tags=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTO,
	.exec = cmd_edit_exec,
};
