/* share ALBUM/PHOTO [--ttl 1h]: a link to the original that anyone can open
 * without an account until it expires (S3 presigned GET). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"

static int
cmd_share_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *t = ctx->target;
	char when[32];
	const char *ttl_s = pgal_args_get(a, "ttl");
	int64_t ttl = PGAL_SHARE_TTL_DEFAULT, expires = 0, now;
	char *url = NULL;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (ttl_s != NULL && pgal_share_parse_ttl(ttl_s, &ttl, &e) != PGAL_OK)
		return pgal_cmd_error(ctx, e.code, "share: --ttl: %s", e.msg);
	now = (int64_t)time(NULL);
	if (pgal_share(ctx->g, ctx->token, t->album, t->photo, ttl, &url, &expires, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (expires - now < ttl) {
		/* temporary credentials (an instance role) sign it: it cannot
		 * outlive them, so say when it really ends */
		pgal_fmt_iso(when, expires, 1);
		fprintf(ctx->err, "share: the link expires at %s, sooner than "
		    "asked: the AWS credentials signing it end then\n", when);
		ttl = expires - now;
	}
	if (pgal_args_has(a, "json")) {
		pgal_fmt_iso(when, expires, 1);
		rc = pgal_json_print(ctx, json_pack("{s:s, s:s, s:s, s:I, s:s}",
						    "album", t->album,
						    "photo", t->photo,
						    "url", url,
						    "ttl", (json_int_t)ttl,
						    "expires_at", when));
	} else {
		/* the link alone on stdout, so that scripts can take it as is */
		fprintf(ctx->out, "%s\n", url);
		rc = PGAL_OK;
	}
	free(url);
	return rc;
}

const pgal_cmd_entry pgal_cmd_share_entry = {
	.name = "share",
	.usage = "ALBUM/PHOTO [--ttl 1h]",
	.summary = "make a time-limited download link to a photo",
	.help = "Prints a link anyone can download the original from, without an account,\n"
		"until it expires: --ttl takes seconds or a number with s, m, h or d\n"
		"(default 1h, at most 7d). Needs photos in S3 (blobs = s3).",
	.min_args = 1,
	.max_args = 1,
	.options = "ttl=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTO,
	.exec = cmd_share_exec,
};
