/* search WORDS... [--tag T] [--album A]: the user's photos matching every
 * word (title, description, tags, name) and the tag (#T, tag:T or --tag T),
 * in every album or in one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"

#define SEARCH_LIMIT 1000

static int
cmd_search_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *tag = pgal_args_get(a, "tag"), *album = pgal_args_get(a, "album");
	char query[1024];
	pgal_photo *ph = NULL;
	size_t n = 0, i, len = 0, wl;
	int namew = 16, w, rc = PGAL_OK;
	json_t *arr;
	pgal_err e;

	pgal_err_clear(&e);
	if (a->argc == 0 && tag == NULL)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "search: give words, #TAG or both");
	query[0] = '\0';
	for (i = 0; i < (size_t)a->argc; i++) {
		wl = strlen(a->argv[i]);
		if (len + wl + 2 > sizeof query)
			return pgal_cmd_error(ctx, PGAL_EINPUT, "search: too many words");
		if (len > 0)
			query[len++] = ' ';
		memcpy(query + len, a->argv[i], wl + 1);
		len += wl;
	}
	if (pgal_search_text(ctx->g, ctx->token, album, query, tag, SEARCH_LIMIT, &ph, &n,
	    &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);

	if (pgal_args_has(a, "json")) {
		arr = json_array();
		for (i = 0; arr != NULL && i < n; i++) {
			if (json_array_append_new(arr, pgal_json_photo(&ph[i])) != 0) {
				json_decref(arr);
				arr = NULL;
			}
		}
		rc = pgal_json_print(ctx, arr);
	} else if (n > 0) {
		for (i = 0; i < n; i++) {
			if ((w = pgal_photo_name_width(&ph[i], 1)) > namew)
				namew = w;
		}
		pgal_print_photo_header(ctx, namew);
		for (i = 0; i < n; i++)
			pgal_print_photo_row(ctx, &ph[i], namew, 1);
	} else {
		/* not an error: a search that finds nothing has done its job */
		pgal_cmd_error(ctx, PGAL_OK, "no photos found");
	}
	if (n == SEARCH_LIMIT)
		pgal_cmd_error(ctx, PGAL_OK, "search: showing the first %d matches", SEARCH_LIMIT);
	free(ph);
	return rc;
}

const pgal_cmd_entry pgal_cmd_search_entry = {
	.name = "search",
	.usage = "WORDS... [#TAG] [--tag T] [--album A]",
	.summary = "find photos by words and tag",
	.help = "A photo matches when every word is in its title, description, tags or\n"
		"name, and it has the tag if one is given ('#beach', 'tag:beach' or\n"
		"--tag beach; quote '#' in a shell); --album A looks in album A only.\n"
		"Newest added first, at most 1000. Finding nothing is no error: 'no photos\n"
		"found' on stderr, [] with --json.",
	.min_args = 0,
	.max_args = -1,
	.options = "tag=,album=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_JSON | PGAL_CMD_AFTER_UPLOADS,
	.exec = cmd_search_exec,
};
