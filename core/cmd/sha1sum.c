/* sha1sum [PHOTO...]: the SHA-1 of photos' originals, as coreutils' sha1sum
 * writes it (core/cmd/digest.c). */
#include "cmd.h"

static int
cmd_sha1sum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	return pgal_cmd_digest_run(ctx, a, PGAL_DIGEST_SHA1);
}

const pgal_cmd_entry pgal_cmd_sha1sum_entry = {
	.name = "sha1sum",
	.usage = "[PHOTO...]",
	.summary = "print the SHA-1 of photos",
	.help = PGAL_CMD_DIGEST_HELP,
	.min_args = 0,
	.max_args = -1,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTOS,
	.exec = cmd_sha1sum_exec,
};
