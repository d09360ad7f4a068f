/* An import from a local folder tree: the files put's folder walk finds
 * (hidden ones and symbolic links left out, bounded in depth and count),
 * every regular file this time so that what is not a photo is named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import/import.h"
#include "photo-files.h"
#include "sanitize.h"

struct dir_source {
	pgal_import_source base;
	char dir[4096];	/* the root, without a trailing '/' */
};

static int
dir_list(pgal_import_source *base, pgal_import_list *out, pgal_err *e)
{
	struct dir_source *s = (struct dir_source *)base;
	pgal_file_list files = { NULL, 0, 0, 1 };
	size_t i, skip = strlen(s->dir) + 1;
	struct stat sb;
	int rc;

	if ((rc = pgal_file_list_add(&files, s->dir, e)) != PGAL_OK) {
		pgal_file_list_free(&files);
		return rc;
	}
	for (i = 0; i < files.n && rc == PGAL_OK; i++)
		rc = pgal_import_list_add(out, files.v[i] + skip,
					  stat(files.v[i], &sb) == 0 ? (int64_t)sb.st_size : -1,
					  0, e);
	pgal_file_list_free(&files);
	return rc;
}

static int
dir_fetch(pgal_import_source *base, const pgal_import_item *it, char *path, size_t size,
	  pgal_err *e)
{
	struct dir_source *s = (struct dir_source *)base;

	if ((size_t)snprintf(path, size, "%s/%s", s->dir, it->path) >= size)
		return pgal_fail(e, PGAL_EINPUT, "path too long");
	return PGAL_OK;
}

static void
dir_close(pgal_import_source *base)
{
	free(base);
}

static const pgal_import_source_ops dir_ops = {
	.list = dir_list,
	.fetch = dir_fetch,
	.close = dir_close,
};

int
pgal_import_dir_open(pgal_import_source **out, const char *dir, pgal_err *e)
{
	struct dir_source *s;
	struct stat sb;
	const char *base;
	char *real;
	size_t len = strlen(dir);

	*out = NULL;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return pgal_fail(e, PGAL_ENOTFOUND, "%.200s: no such folder (or s3://BUCKET/PREFIX "
				 "for a bucket)", dir);
	if ((s = calloc(1, sizeof *s)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	s->base.ops = &dir_ops;
	/* "pics/" and "pics" are the same root */
	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (len >= sizeof s->dir) {
		free(s);
		return pgal_fail(e, PGAL_EINPUT, "path too long");
	}
	memcpy(s->dir, dir, len);
	s->dir[len] = '\0';
	/* "." is named by where it is */
	real = realpath(s->dir, NULL);
	base = strrchr(real != NULL ? real : s->dir, '/');
	base = base != NULL && base[1] != '\0' ? base + 1 : real != NULL ? real : s->dir;
	snprintf(s->base.root_name, sizeof s->base.root_name, "%.255s", base);
	free(real);
	pgal_sanitize(s->base.shown, sizeof s->base.shown, s->dir, 0);
	*out = &s->base;
	return PGAL_OK;
}
