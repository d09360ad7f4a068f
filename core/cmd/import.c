/* import SOURCE [ALBUM]: every photo of an S3 prefix or a local folder
 * tree, one album per folder below it (or all into ALBUM), through the one
 * ingest pipeline. What is already stored (the same bytes, the duplicate
 * check put makes) is passed over, so running the same import again
 * stores only what is new. One result line per item; the exit status is
 * that of the first failure, 0 when nothing failed. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "import/import.h"
#include "photo-files.h"
#include "sanitize.h"
#include "validate.h"

struct tally {
	size_t stored, already, skipped, failed;
	int rc; /* the first failure's code */
};

/* A result line: the progress bar (on a terminal) makes room for it. */
static void __attribute__((format(printf, 2, 3)))
say(pgal_cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	if (ctx->progress != NULL)
		ctx->progress(ctx, 0, 0, NULL);
	va_start(ap, fmt);
	vfprintf(ctx->out, fmt, ap);
	va_end(ap);
	fflush(ctx->out);
}

/* Why an item is not even fetched, or NULL: a folder marker, a name that
 * is not plainly a path (".", "..", empty parts), not an image name. */
static const char *
pass_over(const pgal_import_item *it)
{
	const char *seg = it->path, *base;
	size_t n, len = strlen(it->path);

	if (it->unreadable)
		return "a key longer than S3 allows or not readable";
	if (len == 0 || it->path[len - 1] == '/')
		return "a folder marker, not a photo";
	for (; *seg != '\0'; seg += n + (seg[n] == '/')) {
		n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return "'.', '..' or an empty part in its name";
	}
	base = strrchr(it->path, '/');
	if (!pgal_is_image_name(base != NULL ? base + 1 : it->path))
		return "not an image (jpg, png, webp, gif, tiff, heic)";
	return NULL;
}

/* The ASCII letter of a Latin-1 letter (U+00C0 to U+00FF), so that a
 * folder "Été à Paris" names the album "Ete a Paris"; '-' for the others. */
static char
latin1_ascii(unsigned cp)
{
	static const char fold[] = "AAAAAAACEEEEIIII" "DNOOOOO-OUUUUYTs"
				   "aaaaaaaceeeeiiii" "dnooooo-ouuuuyty";

	return cp >= 0xC0 && cp <= 0xFF ? fold[cp - 0xC0] : '-';
}

/* An album name made of a folder name (sanitized UTF-8): the characters
 * album names allow, Latin-1 letters without their accents, a run of any
 * other turned into one '-', starting with a letter or digit; "imported"
 * when nothing is left. */
static void
album_name_of(const char *folder, char out[PGAL_ALBUM_MAX + 1])
{
	const unsigned char *p = (const unsigned char *)folder;
	size_t o = 0;
	char c;

	for (; *p != '\0' && o < PGAL_ALBUM_MAX; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;	/* the rest of a character already seen */
		c = (char)*p;
		if (*p == 0xC3 && (p[1] & 0xC0) == 0x80)
			c = latin1_ascii(0xC0u + (p[1] & 0x3Fu));
		else if (*p >= 0x80)
			c = '-';
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (o > 0 && strchr("._ -", c) != NULL && !(c == '-' && out[o - 1] == '-')))
			out[o++] = c;
		else if (o > 0 && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o > 0 && (out[o - 1] == '-' || out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (o == 0)
		snprintf(out, PGAL_ALBUM_MAX + 1, "imported");
}

/* The album an item goes to (the ALBUM given, else its first folder's, else
 * the root's), made when missing; cur keeps the last one, since items of
 * one folder come one after another. */
static int
album_for(pgal_cmd_ctx *ctx, const pgal_import_source *src, const char *given,
	  const pgal_import_item *it, pgal_album *cur, pgal_err *e)
{
	char folder[256], title[PGAL_TITLE_MAX + 1], name[PGAL_ALBUM_MAX + 1];
	const char *slash = strchr(it->path, '/');
	size_t n;
	int rc;

	if (given != NULL) {
		snprintf(name, sizeof name, "%s", given);
		title[0] = '\0';
	} else {
		if (slash != NULL) {
			n = (size_t)(slash - it->path) < sizeof folder ?
			    (size_t)(slash - it->path) : sizeof folder - 1;
			memcpy(folder, it->path, n);
			folder[n] = '\0';
		} else
			snprintf(folder, sizeof folder, "%s", src->root_name);
		pgal_sanitize(title, sizeof title, folder, 0);
		album_name_of(title, name);
	}
	if (cur->name[0] != '\0' && strcmp(cur->name, name) == 0)
		return PGAL_OK;
	if ((rc = pgal_album_get(ctx->g, ctx->token, name, cur, e)) != PGAL_ENOTFOUND) {
		if (rc != PGAL_OK)
			cur->name[0] = '\0';
		return rc;
	}
	pgal_err_clear(e);
	if (title[0] != '\0' && (rc = pgal_valid_title(title, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_album_create(ctx->g, ctx->token, name, title[0] != '\0' ? title : NULL,
				    NULL, cur, e)) != PGAL_OK) {
		cur->name[0] = '\0';
		return rc;
	}
	say(ctx, "created album %s\n", cur->name);
	return PGAL_OK;
}

static void
failed(pgal_cmd_ctx *ctx, struct tally *t, const char *shown, const pgal_err *e)
{
	if (ctx->progress != NULL)
		ctx->progress(ctx, 0, 0, NULL);
	pgal_cmd_error(ctx, e->code, "failed %s: %s", shown, e->msg);
	t->failed++;
	if (t->rc == PGAL_OK)
		t->rc = e->code != PGAL_OK ? (int)e->code : PGAL_EBACKEND;
}

/* One item: judged, fetched, checked against what is stored, ingested.
 * Returns 0 to go on, -1 when the session has ended (every item would fail
 * the same way). */
static int
import_one(pgal_cmd_ctx *ctx, pgal_import_source *src, const char *given,
	   const pgal_import_item *it, pgal_album *cur, struct tally *t)
{
	char shown[256], path[4096];
	pgal_photo_facts pf;
	const char *why;
	pgal_put_opts opts;
	pgal_photo p;
	pgal_err e, e2;

	pgal_sanitize(shown, sizeof shown, it->path, 0);
	pgal_err_clear(&e);
	if ((why = pass_over(it)) != NULL) {
		say(ctx, "skipped %s: %s\n", shown, why);
		t->skipped++;
		return 0;
	}
	if (src->ops->fetch(src, it, path, sizeof path, &e) != PGAL_OK) {
		failed(ctx, t, shown, &e);
		return 0;
	}
	/* before the album: one already stored makes no album */
	memset(&p, 0, sizeof p);
	if (pgal_photo_stored(ctx->g, ctx->token, path, &p, &e) == PGAL_OK) {
		say(ctx, "already stored %s as %s/%s\n", shown, p.album, p.name);
		t->already++;
		return 0;
	}
	pgal_err_clear(&e);
	if (album_for(ctx, src, given, it, cur, &e) != PGAL_OK) {
		failed(ctx, t, shown, &e);
		return e.code == PGAL_EDENIED ? -1 : 0;
	}
	memset(&opts, 0, sizeof opts);
	opts.filename = it->path;
	if (pgal_photo_add(ctx->g, ctx->token, cur->name, path, &opts, &p, &e) != PGAL_OK) {
		/* refused as a duplicate: another import or put of the same
		 * bytes got there first */
		if (e.code == PGAL_EINPUT &&
		    pgal_photo_stored(ctx->g, ctx->token, path, &p, &e2) == PGAL_OK) {
			say(ctx, "already stored %s as %s/%s\n", shown, p.album, p.name);
			t->already++;
			return 0;
		}
		failed(ctx, t, shown, &e);
		return e.code == PGAL_EDENIED ? -1 : 0;
	}
	pgal_fmt_photo_facts(&p, &pf);
	say(ctx, "stored %s as %s/%s (%s, %s)\n", shown, p.album, p.name, pf.pixels, pf.size);
	t->stored++;
	return 0;
}

static int
cmd_import_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const char *given = a->argc > 1 ? a->argv[1] : NULL;
	pgal_import_list items = { NULL, 0, 0 };
	pgal_import_source *src;
	struct tally t = { 0, 0, 0, 0, PGAL_OK };
	char shown[256];
	pgal_album cur;
	pgal_err e;
	size_t i;

	pgal_err_clear(&e);
	if (given != NULL && pgal_valid_album_name(given, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (pgal_import_source_open(&src, pgal_get_config(ctx->g), a->argv[0], &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	if (src->ops->list(src, &items, &e) != PGAL_OK) {
		pgal_cmd_error(ctx, e.code, "%s: %s", src->shown, e.msg);
		pgal_import_list_free(&items);
		src->ops->close(src);
		return e.code;
	}
	memset(&cur, 0, sizeof cur);
	for (i = 0; i < items.n; i++) {
		if (ctx->progress != NULL) {
			pgal_sanitize(shown, sizeof shown, items.v[i].path, 0);
			ctx->progress(ctx, i, items.n, shown);
		}
		if (import_one(ctx, src, given, &items.v[i], &cur, &t) != 0)
			break;
	}
	say(ctx, "%s: %zu stored, %zu already stored, %zu skipped, %zu failed%s\n",
		src->shown, t.stored, t.already, t.skipped, t.failed,
		t.stored == 0 && t.failed == 0 ? " (nothing new)" : "");
	pgal_import_list_free(&items);
	src->ops->close(src);
	return t.rc;
}

const pgal_cmd_entry pgal_cmd_import_entry = {
	.name = "import",
	.usage = "s3://BUCKET/PREFIX|DIR [ALBUM]",
	.summary = "import the photos of an S3 prefix or a folder tree (the old gallery's bucket)",
	.help = "One album per folder below the prefix or DIR (named after the folder, its\n"
		"title the folder's name; photos right below it go to an album named after\n"
		"the prefix or DIR itself), made when missing; with ALBUM, all into ALBUM.\n"
		"Each photo goes through the same ingest as put, with a line saying\n"
		"'stored', 'already stored' (the same bytes are in the gallery: running the\n"
		"import again stores only what is new), 'skipped' (not an image name, a\n"
		"folder marker, '..' in a key) or 'failed' and why, then a summary line.\n"
		"S3 is read with the credentials, region and endpoint the S3 blobs use\n"
		"(s3:ListBucket and s3:GetObject on the source), each object at most\n"
		"max_upload_bytes. Exit status 0 when nothing failed, else the first\n"
		"failure's.",
	.min_args = 1,
	.max_args = 2,
	.options = "",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_LOCAL_ONLY,
	.exec = cmd_import_exec,
};
