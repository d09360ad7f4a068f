/* df: the user's storage as a disk, in the layout of coreutils' `df -k`
 * (rclone's `about` over SSH runs "df -k PATH" and reads the second line's
 * 1K-blocks, Used and Available). The size is the quota (see quota.h); the
 * paths, like df's, only choose lines: every one shows the same account. */
#include <stdio.h>

#include <jansson.h>

#include "cmd.h"
#include "quota.h"

static long long
kib_up(int64_t bytes)
{
	return (long long)(bytes / 1024 + (bytes % 1024 != 0));
}

static int
cmd_df_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_quota_usage u;
	long long size, used, avail;
	pgal_err e;
	int i, lines;

	pgal_err_clear(&e);
	if (pgal_quota_usage_get(ctx->g, ctx->token, &u, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		return pgal_json_print(ctx, json_pack("{s:I, s:I, s:I, s:I}",
						      "size", (json_int_t)u.size,
						      "used", (json_int_t)u.used,
						      "free", (json_int_t)u.free,
						      "photos", (json_int_t)u.photos));
	size = kib_up(u.size);
	used = kib_up(u.used);
	avail = size > used ? size - used : 0;
	fprintf(ctx->out, "%-14s %10s %10s %10s %4s %s\n", "Filesystem", "1K-blocks", "Used",
		"Available", "Use%", "Mounted on");
	lines = a->argc > 0 ? a->argc : 1;
	for (i = 0; i < lines; i++)
		fprintf(ctx->out, "%-14s %10lld %10lld %10lld %3lld%% /\n", "pgal", size, used,
			avail, size > 0 ? (used * 100 + size - 1) / size : 0);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_df_entry = {
	.name = "df",
	.usage = "[-k] [PATH...]",
	.summary = "show the storage used and free under the quota",
	.help = "Lines in the layout of df -k (1 KiB blocks), one per PATH; every PATH\n"
		"shows the same account. A user without a quota is shown 1 PiB free.",
	.min_args = 0,
	.max_args = 64,
	.options = "k",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_df_exec,
};
