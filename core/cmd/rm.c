/* rm ALBUM/PHOTO...: deletes photos and their blobs. */
#include <stdio.h>

#include "cmd.h"

static int
cmd_rm_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *t;
	pgal_err e;
	int i, rc = PGAL_OK;

	for (i = 0; i < ctx->ntargets; i++) {
		t = &ctx->target[i];
		e = t->err; /* a word that names no photo fails in its turn */
		if (e.code != PGAL_OK ||
		    pgal_photo_delete(ctx->g, ctx->token, t->album, t->photo, &e) != PGAL_OK) {
			pgal_cmd_fail(ctx, &e);
			if (rc == PGAL_OK)
				rc = e.code;
			continue;
		}
		fprintf(ctx->out, "deleted %s/%s\n", t->album, t->photo);
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
	.target = PGAL_TARGET_PHOTOS,
	.exec = cmd_rm_exec,
};
