/* sha256sum [PHOTO...]: the SHA-256 of photos' originals, as coreutils' sha256sum
 * writes it (core/cmd/digest.c). */
#include "cmd.h"

static int
cmd_sha256sum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	return pgal_cmd_digest_run(ctx, a, PGAL_DIGEST_SHA256);
}

const pgal_cmd_entry pgal_cmd_sha256sum_entry = {
	.name = "sha256sum",
	.usage = "[PHOTO...]",
	.summary = "print the SHA-256 of photos",
	.help = PGAL_CMD_DIGEST_HELP,
	.min_args = 0,
	.max_args = -1,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTOS,
	.exec = cmd_sha256sum_exec,
};
