/* ls ALBUM: every photo of an album, streamed page by page with keyset
 * pagination so a huge album is never held in memory at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

#define LS_PAGE 200

int
pgal_cmd_parse_sort(const char *s, pgal_sort *sort)
{
	if (s == NULL || strcmp(s, "taken") == 0)
		*sort = PGAL_SORT_TAKEN;
	else if (strcmp(s, "added") == 0)
		*sort = PGAL_SORT_ADDED;
	else if (strcmp(s, "title") == 0)
		*sort = PGAL_SORT_TITLE;
	else
		return -1;
	return 0;
}

static int
cmd_ls_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	int json = pgal_args_has(a, "json"), namew = 16, w, rc = PGAL_OK;
	pgal_cursor after, next;
	pgal_photo *page;
	size_t n, i, total = 0;
	pgal_sort sort;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_cmd_parse_sort(pgal_args_get(a, "sort"), &sort) != 0)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "ls: --sort is taken, added or title");
	if ((page = calloc(LS_PAGE, sizeof *page)) == NULL)
		return pgal_cmd_error(ctx, PGAL_EBACKEND, "out of memory");
	memset(&after, 0, sizeof after);
	for (;;) {
		memset(&next, 0, sizeof next);
		if (pgal_photo_list(ctx->g, ctx->token, ctx->target->album, sort, &after, LS_PAGE,
				    page, &n, &next, &e) != PGAL_OK) {
			rc = pgal_cmd_fail(ctx, &e);
			break;
		}
		if (!json && total == 0 && n > 0) {
			/* the first page sets the column; later ones only widen it */
			for (i = 0; i < n; i++) {
				if ((w = pgal_photo_name_width(&page[i], 0)) > namew)
					namew = w;
			}
			pgal_print_photo_header(ctx, namew);
		}
		for (i = 0; i < n && rc == PGAL_OK; i++, total++) {
			if (json) {
				rc = pgal_json_array_item(ctx, total, pgal_json_photo(&page[i]));
				continue;
			}
			if ((w = pgal_photo_name_width(&page[i], 0)) > namew && total >= LS_PAGE)
				namew = w;
			pgal_print_photo_row(ctx, &page[i], namew, 0);
		}
		fflush(ctx->out);
		if (rc != PGAL_OK || !next.valid || n == 0)
			break;
		after = next;
	}
	free(page);
	if (json && rc == PGAL_OK)
		pgal_json_array_end(ctx, total);
	return rc;
}

const pgal_cmd_entry pgal_cmd_ls_entry = {
	.name = "ls",
	.usage = "ALBUM [--sort taken|added|title]",
	.summary = "list the photos of an album",
	.help = "Sorted by the time taken (the time added when unknown) by default;\n"
		"--sort title lists titled photos A to Z, then the untitled ones.\n"
		"With --json, one array with an object per photo.",
	.min_args = 1,
	.max_args = 1,
	.options = "sort=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_ALBUM,
	.exec = cmd_ls_exec,
};
