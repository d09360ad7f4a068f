/* put ALBUM FILE...: adds local files through the one ingest pipeline. One
 * bad file does not stop the others; the exit status is that of the first
 * failure. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "sanitize.h"

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

static int
cmd_put_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *album = ctx->target->album;
	int json = pgal_args_has(a, "json"), rc = PGAL_OK, added = 0, i, nfiles = a->argc - 1;
	char shown[256], size[16];
	pgal_put_opts opts;
	pgal_album al;
	pgal_photo p;
	pgal_err e;

	pgal_err_clear(&e);
	memset(&opts, 0, sizeof opts);
	opts.title = pgal_args_get(a, "title");
	opts.description = pgal_args_get(a, "description");
	opts.tags = pgal_args_get(a, "tags");
	opts.force = pgal_args_has(a, "force");
	/* a missing album is one error, not one per file */
	if (pgal_album_get(ctx->g, ctx->token, album, &al, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);

	for (i = 0; i < nfiles; i++) {
		const char *path = a->argv[i + 1];

		pgal_sanitize(shown, sizeof shown, path, 0);
		if (ctx->progress != NULL)
			ctx->progress(ctx, (size_t)i, (size_t)nfiles, base_name(shown));
		pgal_err_clear(&e);
		memset(&p, 0, sizeof p);
		if (pgal_photo_add(ctx->g, ctx->token, al.name, path, &opts, &p, &e) != PGAL_OK) {
			if (ctx->progress != NULL)
				ctx->progress(ctx, (size_t)i + 1, (size_t)nfiles, NULL);
			pgal_cmd_error(ctx, e.code, "skipped %s: %s", shown, e.msg);
			if (rc == PGAL_OK)
				rc = e.code != PGAL_OK ? (int)e.code : PGAL_EBACKEND;
			/* an ended session fails every file the same way */
			if (e.code == PGAL_EDENIED)
				break;
			continue;
		}
		if (ctx->progress != NULL)
			ctx->progress(ctx, (size_t)i + 1, (size_t)nfiles, NULL);
		if (json) {
			pgal_json_array_item(ctx, (size_t)added, pgal_json_photo(&p));
		} else {
			pgal_fmt_size(size, p.bytes);
			fprintf(ctx->out, "added %s/%s (%dx%d, %s)\n", p.album, p.name, p.width,
				p.height, size);
		}
		fflush(ctx->out);
		added++;
	}
	if (json)
		pgal_json_array_end(ctx, (size_t)added);
	return rc;
}

const pgal_cmd_entry pgal_cmd_put_entry = {
	.name = "put",
	.usage = "ALBUM FILE... [--title T] [--description D] [--tags a,b] [--force]",
	.summary = "add photos to an album",
	.help = "JPEG, PNG, WebP, GIF and TIFF. A photo already in the gallery (same bytes)\n"
		"is refused unless --force. Names come from the file names, made unique\n"
		"in the album with -2, -3... One bad file does not stop the others; the\n"
		"exit status is that of the first failure.",
	.min_args = 2,
	.max_args = -1,
	.options = "title=,description=,tags=,force",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_LOCAL_ONLY | PGAL_CMD_JSON,
	.target = PGAL_TARGET_ALBUM,
	.exec = cmd_put_exec,
};
