/* The digests of a photo's original that sync tools check files by: MD5
 * and SHA-1 (rclone's md5sum and sha1sum over SSH) besides the SHA-256 the
 * duplicate check uses. Ingest stores all three (one read of the upload);
 * a row stored before the MD5 and SHA-1 were kept gets them here the first
 * time they are asked for: the original is read back once, checked
 * against its SHA-256 and the digests saved, so every later answer is
 * instant. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "gallery-int.h"

/* An unnamed file under PGAL_HOME for the original (where a file system
 * lacks O_TMPFILE: a named one removed at once). */
static int
scratch_file(const pgal_config *cfg, pgal_err *e)
{
	char path[PATH_MAX];
	int fd;

	if ((fd = open(cfg->home, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) != -1)
		return fd;
	if (snprintf(path, sizeof path, "%s/.digests-XXXXXX", cfg->home) >= (int)sizeof path)
		return pgal_fail(e, PGAL_EBACKEND, "PGAL_HOME path too long"), -1;
	if ((fd = mkostemp(path, O_CLOEXEC)) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "cannot make a scratch file in %s: %s",
		    cfg->home, strerror(errno)), -1;
	unlink(path);
	return fd;
}

static int
digest_original(pgal *g, const char *token, const pgal_photo *p, pgal_digests *d,
		pgal_err *e)
{
	int fd, rc;

	if ((fd = scratch_file(&g->cfg, e)) == -1)
		return e->code;
	if ((rc = pgal_photo_read(g, token, p->album, p->name, PGAL_BLOB_ORIG, fd, e)) == PGAL_OK &&
	    (rc = pgal_digests_fd(fd, d, e)) == PGAL_OK && strcmp(d->sha256, p->sha256) != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "the stored original of %s/%s does not match "
		    "its SHA-256", p->album, p->name);
	close(fd);
	return rc;
}

int
pgal_photo_digests(pgal *g, const char *token, const char *album, const char *name,
		   pgal_photo *out, pgal_err *e)
{
	pgal_digests d;
	pgal_err ignored;
	int rc;

	if ((rc = pgal_photo_get(g, token, album, name, out, e)) != PGAL_OK)
		return rc;
	if (out->md5[0] != '\0' && out->sha1[0] != '\0')
		return PGAL_OK;
	if ((rc = digest_original(g, token, out, &d, e)) != PGAL_OK)
		return rc;
	memcpy(out->md5, d.md5, sizeof out->md5);
	memcpy(out->sha1, d.sha1, sizeof out->sha1);
	/* not saved (the photo moved meanwhile, a store error): asked for
	 * again next time, the answer stands */
	(void)g->store->ops->photo_set_digests(g->store, out->id, d.md5, d.sha1, &ignored);
	return PGAL_OK;
}
