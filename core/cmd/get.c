/* get ALBUM/PHOTO: writes the original (or thumbnail, preview) to stdout or
 * to a file, never to a terminal. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "sanitize.h"

/* Writes into a temporary file beside path and renames it into place, so
 * a failed get leaves no half-written file. */
static int
get_to_file(pgal_cmd_ctx *ctx, const char *album, const char *name, int kind, const char *path)
{
	char tmp[4096], shown[256];
	pgal_err e;
	mode_t mask;
	int fd, rc;

	pgal_err_clear(&e);
	pgal_sanitize(shown, sizeof shown, path, 0);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.pgal-XXXXXX", path) >= sizeof tmp)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "get: file name too long");
	if ((fd = mkstemp(tmp)) == -1)
		return pgal_cmd_error(ctx, PGAL_EINPUT, "%s: %s", shown, strerror(errno));
	mask = umask(022);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	rc = pgal_photo_read(ctx->g, ctx->token, album, name, kind, fd, &e);
	if (rc == PGAL_OK && fsync(fd) != 0)
		rc = pgal_fail(&e, PGAL_EBACKEND, "%s: %s", shown, strerror(errno));
	if (close(fd) != 0 && rc == PGAL_OK)
		rc = pgal_fail(&e, PGAL_EBACKEND, "%s: %s", shown, strerror(errno));
	if (rc == PGAL_OK && rename(tmp, path) != 0)
		rc = pgal_fail(&e, PGAL_EINPUT, "%s: %s", shown, strerror(errno));
	if (rc != PGAL_OK) {
		unlink(tmp);
		return pgal_cmd_fail(ctx, &e);
	}
	return PGAL_OK;
}

static int
cmd_get_exec(pgal_cmd_ctx *ctx, const pgal_args *a)
{
	const pgal_cmd_target *t = ctx->target;
	const char *path = pgal_args_get(a, "o");
	int kind = PGAL_BLOB_ORIG;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_args_has(a, "thumb") && pgal_args_has(a, "preview"))
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "get: --thumb or --preview, not both");
	if (pgal_args_has(a, "thumb"))
		kind = PGAL_BLOB_THUMB;
	else if (pgal_args_has(a, "preview"))
		kind = PGAL_BLOB_PREVIEW;
	if (path != NULL && strcmp(path, "-") != 0) {
		/* over SSH a path would name a file on the server */
		if (ctx->remote)
			return pgal_cmd_error(ctx, PGAL_EUSAGE, "get: -o is not available here");
		return get_to_file(ctx, t->album, t->photo, kind, path);
	}
	if (ctx->out_is_tty)
		return pgal_cmd_error(ctx, PGAL_EUSAGE,
				      "get: not writing a photo to a terminal; use -o FILE or redirect");
	if (ctx->out_fd < 0)
		return pgal_cmd_error(ctx, PGAL_EUSAGE, "get: no output for binary data");
	fflush(ctx->out);
	if (pgal_photo_read(ctx->g, ctx->token, t->album, t->photo, kind, ctx->out_fd, &e) !=
	    PGAL_OK)
		return pgal_cmd_fail(ctx, &e);
	return PGAL_OK;
}

const pgal_cmd_entry pgal_cmd_get_entry = {
	.name = "get",
	.usage = "ALBUM/PHOTO [--thumb|--preview] [-o FILE]",
	.summary = "write a photo (or its thumbnail or preview) out",
	.help = "Writes the original bytes to standard output (never to a terminal), or to\n"
		"FILE with -o.",
	.min_args = 1,
	.max_args = 1,
	.options = "thumb,preview,o=",
	.flags = PGAL_CMD_NEEDS_SESSION | PGAL_CMD_AFTER_UPLOADS,
	.target = PGAL_TARGET_PHOTO,
	.exec = cmd_get_exec,
};
