/* What md5sum, sha1sum and sha256sum share (each is a file of its own):
 * the digests of photos' originals in the layout of coreutils ("HEX
 * NAME"), which sync tools read: rclone's sftp backend runs "md5sum
 * /ALBUM/PHOTO" (the SFTP tree's path) over SSH for its checks, and first
 * "md5sum" on empty input to see whether the command works. Without a
 * PHOTO, or for "-", the input is hashed. The digests are stored at
 * ingest (see core/photo-digests.c). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "crypto.h"

/* The line for one file; a name holding a backslash or a newline is
 * escaped and its line starts with a backslash, as coreutils does. */
static void
print_line(FILE *out, const char *hex, const char *name)
{
	const char *c;

	if (strpbrk(name, "\\\n") == NULL) {
		fprintf(out, "%s  %s\n", hex, name);
		return;
	}
	fprintf(out, "\\%s  ", hex);
	for (c = name; *c != '\0'; c++) {
		if (*c == '\\')
			fputs("\\\\", out);
		else if (*c == '\n')
			fputs("\\n", out);
		else
			fputc(*c, out);
	}
	fputc('\n', out);
}

static const char *
of_digests(const pgal_digests *d, pgal_digest_kind k)
{
	return k == PGAL_DIGEST_MD5 ? d->md5 : k == PGAL_DIGEST_SHA1 ? d->sha1 : d->sha256;
}

static const char *
of_photo(const pgal_photo *p, pgal_digest_kind k)
{
	return k == PGAL_DIGEST_MD5 ? p->md5 : k == PGAL_DIGEST_SHA1 ? p->sha1 : p->sha256;
}

static int
digest_input(pgal_cmd_ctx *ctx, pgal_digest_kind k)
{
	pgal_digests d;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_digests_fd(STDIN_FILENO, &d, &e) != PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	print_line(ctx->out, of_digests(&d, k), "-");
	return PGAL_OK;
}

int
pgal_cmd_digest_run(pgal_cmd_ctx *ctx, const pgal_args *a, pgal_digest_kind k)
{
	const pgal_cmd_target *t;
	pgal_photo p;
	pgal_err e;
	int i, rc = PGAL_OK, one;

	if (a->argc == 0)
		return digest_input(ctx, k);
	for (i = 0; i < ctx->ntargets; i++) {
		t = &ctx->target[i];
		if (strcmp(a->argv[i], "-") == 0) {
			one = digest_input(ctx, k);
		} else {
			e = t->err; /* a word that names no photo fails in its turn */
			one = (int)e.code;
			if (one == PGAL_OK)
				one = pgal_photo_digests(ctx->g, ctx->token, t->album, t->photo,
				    &p, &e);
			if (one == PGAL_OK)
				print_line(ctx->out, of_photo(&p, k), a->argv[i]);
			else
				pgal_cmd_fail(ctx, &e);
		}
		if (one != PGAL_OK && rc == PGAL_OK)
			rc = one;
	}
	return rc;
}
