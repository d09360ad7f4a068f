/* rm ALBUM/PHOTO...: deletes photos and their blobs. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_rm_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	char album[PGAL_ALBUM_MAX + 1], name[PGAL_PHOTO_NAME_MAX + 1];
	pgal_err e;
	int i, rc = PGAL_OK;

	for (i = 0; i < a->argc; i++) {
		pgal_err_clear(&e);
		if (pgal_split_path(a->argv[i], album, name, 0, &e) != PGAL_OK ||
		    pgal_photo_delete(ctx->g, ctx->token, album, name, &e) != PGAL_OK) {
			pgal_cmd_fail(ctx, &e);
			if (rc == PGAL_OK)
				rc = e.code;
			continue;
		}
		fprintf(ctx->out, "deleted %s/%s\n", album, name);
	}
	return rc;
}

const pgal_cmd_entry pgal_cmd_rm_entry = {
	.name = "rm",
	.usage = "ALBUM/PHOTO...",
	.summary = "delete photos",
	.min_args = 1,
	.max_args = -1,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_rm_exec,
};
