/* put ALBUM PATH...: adds local files, and the image files below folders
 * (as the TUI's add screen picks them), through the one ingest pipeline.
 * A file whose bytes are already stored is passed over and counted, so a
 * second run of the same put stores nothing and succeeds. One bad file
 * does not stop the others; the exit status is that of the first failure. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "photo-files.h"
#include "sanitize.h"

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/* The files the paths name; a path that names nothing is reported and
 * passed over (its status is the command's if it is the first failure). */
static int
gather(pgal_cmd_ctx *ctx, const pgal_args *a, pgal_file_list *files, int *rc)
{
	char shown[256];
	pgal_err e;
	int i;

	for (i = 1; i < a->argc; i++) {
		pgal_err_clear(&e);
		if (pgal_file_list_add(files, a->argv[i], &e) == PGAL_OK)
			continue;
		pgal_sanitize(shown, sizeof shown, a->argv[i], 0);
		if (e.code != PGAL_ENOTFOUND)
			return pgal_cmd_error(ctx, e.code, "%s", e.msg);
		pgal_cmd_error(ctx, e.code, "skipped %s: no such file or folder", shown);
		if (*rc == PGAL_OK)
			*rc = e.code;
	}
	return PGAL_OK;
}

/* A file whose bytes the user has stored already: said (in text) and
 * counted, not an error. */
static void
already_stored(pgal_cmd_ctx *ctx, int json, const char *shown, const pgal_photo *p,
    size_t *stored)
{
	(*stored)++;
	if (!json)
		fprintf(ctx->out, "already stored %s as %s/%s\n", shown, p->album, p->name);
}

static int
cmd_put_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *album = ctx->target->album;
	int json = pgal_args_has(a, "json"), rc = PGAL_OK, grc;
	size_t added = 0, stored = 0, i, nfiles;
	pgal_file_list files = { NULL, 0, 0, 0 };
	char shown[256];
	pgal_photo_facts pf;
	pgal_put_opts opts;
	pgal_album al;
	pgal_photo p;
	pgal_err e, e2;

	pgal_err_clear(&e);
	memset(&opts, 0, sizeof opts);
	opts.title = pgal_args_get(a, "title");
	opts.description = pgal_args_get(a, "description");
	opts.tags = pgal_args_get(a, "tags");
	opts.force = pgal_args_has(a, "force");
	/* a missing album is one error, not one per file */
	if (pgal_album_get(ctx->g, ctx->token, album, &al, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if ((grc = gather(ctx, a, &files, &rc)) != PGAL_OK) {
		pgal_file_list_free(&files);
		return grc;
	}
	nfiles = files.n;

	for (i = 0; i < nfiles; i++) {
		const char *path = files.v[i];

		pgal_sanitize(shown, sizeof shown, path, 0);
		if (ctx->progress != NULL)
			ctx->progress(ctx, i, nfiles, base_name(shown));
		pgal_err_clear(&e);
		memset(&p, 0, sizeof p);
		/* checked first, so a stored file is never decoded again; and
		 * after a refusal, which may be another put of the same bytes
		 * storing them meanwhile */
		if (!opts.force && pgal_photo_stored(ctx->g, ctx->token, path, &p, &e) == PGAL_OK) {
			already_stored(ctx, json, shown, &p, &stored);
			if (ctx->progress != NULL)
				ctx->progress(ctx, i + 1, nfiles, NULL);
			continue;
		}
		pgal_err_clear(&e);
		memset(&p, 0, sizeof p);
		if (pgal_photo_add(ctx->g, ctx->token, al.name, path, &opts, &p, &e) != PGAL_OK) {
			if (ctx->progress != NULL)
				ctx->progress(ctx, i + 1, nfiles, NULL);
			if (!opts.force && e.code == PGAL_EINPUT &&
			    pgal_photo_stored(ctx->g, ctx->token, path, &p, &e2) == PGAL_OK) {
				already_stored(ctx, json, shown, &p, &stored);
				continue;
			}
			pgal_cmd_error(ctx, e.code, "skipped %s: %s", shown, e.msg);
			if (rc == PGAL_OK)
				rc = e.code != PGAL_OK ? (int)e.code : PGAL_EBACKEND;
			/* an ended session fails every file the same way */
			if (e.code == PGAL_EDENIED)
				break;
			continue;
		}
		if (ctx->progress != NULL)
			ctx->progress(ctx, i + 1, nfiles, NULL);
		if (json) {
			pgal_json_array_item(ctx, added, pgal_json_photo(&p));
		} else {
			pgal_fmt_photo_facts(&p, &pf);
			fprintf(ctx->out, "added %s/%s (%s, %s)\n", p.album, p.name, pf.pixels,
				pf.size);
		}
		fflush(ctx->out);
		added++;
	}
	if (json)
		pgal_json_array_end(ctx, added);
	if (stored > 0 && json)
		pgal_cmd_error(ctx, PGAL_OK, "%zu already stored", stored);
	else if (stored > 0)
		fprintf(ctx->out, "%zu already stored (the same bytes; --force stores %s again)\n",
			stored, stored == 1 ? "it" : "them");
	if (nfiles == 0 && rc == PGAL_OK)
		rc = pgal_cmd_error(ctx, PGAL_EINPUT, "no photos there (jpg, png, webp, gif, "
				    "tiff, heic)");
	pgal_file_list_free(&files);
	return rc;
}

const pgal_cmd_entry pgal_cmd_put_entry = {
	.name = "put",
	.usage = "ALBUM PATH... [-r] [--title T] [--description D] [--tags a,b] [--force]",
	.summary = "add photos (files, or folders of them) to an album",
	.help = "JPEG, PNG, WebP, GIF, TIFF and HEIC. A folder adds the image files below\n"
		"it, in name order, as the TUI's add screen does (-r and --recursive are\n"
		"accepted: folders are always walked). A photo already in the gallery (same\n"
		"bytes) is passed over and counted ('N already stored'), so running the same\n"
		"put again stores nothing new and succeeds; --force stores it again. Names\n"
		"come from the file names, made unique in the album with -2, -3... One bad\n"
		"file does not stop the others; the exit status is that of the first failure.",
	.min_args = 2,
	.max_args = -1,
	.options = "title=,description=,tags=,force,r,recursive",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_LOCAL_ONLY | PGAL_CMD_JSON |
		 PGAL_CMD_CLIENT_FILES,
	.target = PGAL_TARGET_ALBUM,
	.exec = cmd_put_exec,
};
