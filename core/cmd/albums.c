/* albums: the user's albums, sorted by name. */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "cmd.h"
#include "sanitize.h"

static int
print_json(pgal_cmd_ctx *ctx, const pgal_album *al, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; arr != NULL && i < n; i++) {
		if (json_array_append_new(arr, pgal_json_album(&al[i])) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	}
	return pgal_json_print(ctx, arr);
}

static void
print_text(pgal_cmd_ctx *ctx, const pgal_album *al, size_t n)
{
	char size[16], when[32], count[24];
	int w = 5, cw;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((cw = pgal_text_width(al[i].name)) > w)
			w = cw;
	}
	pgal_put_col(ctx->out, "ALBUM", w);
	fprintf(ctx->out, "%7s %9s  %-16s  %s\n", "PHOTOS", "SIZE", "UPDATED", "TITLE");
	for (i = 0; i < n; i++) {
		pgal_fmt_size(size, al[i].bytes);
		pgal_fmt_local(when, al[i].updated_at);
		snprintf(count, sizeof count, "%lld", (long long)al[i].photo_count);
		pgal_put_col(ctx->out, al[i].name, w);
		fprintf(ctx->out, "%7s %9s  %-16s  %s\n", count, size, when, al[i].title);
	}
}

static int
cmd_albums_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	pgal_album *al = NULL;
	size_t n = 0;
	pgal_err e;
	int rc = PGAL_OK;

	pgal_err_clear(&e);
	if (pgal_album_list(ctx->g, ctx->token, &al, &n, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_args_has(a, "json"))
		rc = print_json(ctx, al, n);
	else if (n > 0)
		print_text(ctx, al, n);
	free(al);
	return rc;
}

const pgal_cmd_entry pgal_cmd_albums_entry = {
	.name = "albums",
	.usage = "",
	.summary = "list the albums",
	.min_args = 0,
	.max_args = 0,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_albums_exec,
};
