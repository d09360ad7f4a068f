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
	.summary = "print the SHA-256 of photos",
	.exec = cmd_sha256sum_exec,
	PGAL_CMD_DIGEST_FIELDS,
};
