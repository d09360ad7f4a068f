/* editalbum NAME: renames an album or changes its title or description. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static int
cmd_editalbum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *name = ctx->target->album, *new_name = pgal_args_get(a, "name");
	const char *title = pgal_args_get(a, "title"), *desc = pgal_args_get(a, "description");
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (new_name == NULL && title == NULL && desc == NULL)
		return pgal_cmd_error(ctx, PGAL_EUSAGE,
				      "editalbum: nothing to change; give --name, --title or --description");
	if (pgal_album_update(ctx->g, ctx->token, name, new_name, title, desc, &al, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, pgal_json_album(&al));
	if (strcmp(al.name, name) != 0)
		fprintf(ctx->out, "renamed album %s to %s\n", name, al.name);
	else
		fprintf(ctx->out, "updated album %s\n", al.name);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_editalbum_entry = {
	.name = "editalbum",
	.usage = "NAME [--name NEW] [--title T] [--description D]",
	.summary = "rename an album or change its title or description",
	.min_args = 1,
	.max_args = 1,
	.options = "name=,title=,description=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_ALBUM,
	.exec = cmd_editalbum_exec,
};
