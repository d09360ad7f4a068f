/* md5sum [PHOTO...]: the MD5 of photos' originals, as coreutils' md5sum
 * writes it (core/cmd/digest.c). */
#include "cmd.h"

static int
cmd_md5sum_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	return pgal_cmd_digest_run(ctx, a, PGAL_DIGEST_MD5);
}

const pgal_cmd_entry pgal_cmd_md5sum_entry = {
	.name = "md5sum",
	.summary = "print the MD5 of photos",
	.exec = cmd_md5sum_exec,
	PGAL_CMD_DIGEST_FIELDS,
};
