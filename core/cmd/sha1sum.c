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
	.summary = "print the SHA-1 of photos",
	.exec = cmd_sha1sum_exec,
	PGAL_CMD_DIGEST_FIELDS,
};
