/* Blobs in a local folder: cfg->blobs_dir/<kind>/<id[0..1]>/<id>. Keys are
 * checked against the one shape pgal_blob_key makes, so a key can never
 * name a path outside the folder. Writes are temp file + fsync + rename. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blobs/blobs.h"
#include "buf.h"
#include "fsutil.h"
#include "records.h"

/* temp files older than this are left over from a crash */

struct fs_blobs {
	pgal_blobs	 base;
	int		 root;	/* the blobs folder, opened once */
	char		 path[PATH_MAX];
};

static const char *const kinds[] = { "orig", "thumb", "preview" };

static int
fs_open(pgal_blobs **bp, const pgal_config *cfg, pgal_err *e)
{
	struct fs_blobs *b;
	int rc;

	*bp = NULL;
	if ((rc = pgal_fs_mkdirs(cfg->blobs_dir, e)) != PGAL_OK)
		return rc;
	if ((b = calloc(1, sizeof *b)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	b->base.ops = &pgal_blobs_fs;
	snprintf(b->path, sizeof b->path, "%s", cfg->blobs_dir);
	b->root = open(cfg->blobs_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->root == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", cfg->blobs_dir,
		    strerror(errno));
		free(b);
		return rc;
	}
	*bp = &b->base;
	return PGAL_OK;
}

static void
fs_close(pgal_blobs *base)
{
	struct fs_blobs *b = (struct fs_blobs *)base;

	if (b == NULL)
		return;
	close(b->root);
	free(b);
}

/* Makes root/<name> if missing; when it is new, fsyncs root so the new
 * directory survives a crash along with what goes in it. */
static int
make_dir(int root, const char *name, const char *rootpath, pgal_err *e)
{
	char parent[16];
	const char *slash;
	int pfd;

	if (mkdirat(root, name, 0700) == 0) {
		slash = strrchr(name, '/');
		if (slash == NULL)
			pfd = dup(root);
		else {
			snprintf(parent, sizeof parent, "%.*s", (int)(slash - name), name);
			pfd = openat(root, parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		}
		if (pfd == -1 || fsync(pfd) == -1) {
			int rc = pgal_fail(e, PGAL_EBACKEND, "%s/%s: fsync: %s",
			    rootpath, name, strerror(errno));
			if (pfd != -1)
				close(pfd);
			return rc;
		}
		close(pfd);
	} else if (errno != EEXIST)
		return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", rootpath, name,
		    strerror(errno));
	return PGAL_OK;
}

static int
put(struct fs_blobs *b, const char *key, int fd, const void *data, size_t len,
    pgal_err *e)
{
	char	 dir[16], what[PATH_MAX + 80];
	const char *slash;
	int	 dfd, rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	/* "<kind>/<xx>/<id>": the kind, then the fan-out directory */
	slash = strchr(key, '/');
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - key), key);
	if ((rc = make_dir(b->root, dir, b->path, e)) != PGAL_OK)
		return rc;
	slash = strchr(slash + 1, '/');
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - key), key);
	if ((rc = make_dir(b->root, dir, b->path, e)) != PGAL_OK)
		return rc;
	dfd = openat(b->root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dfd == -1)
		return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, dir,
		    strerror(errno));
	snprintf(what, sizeof what, "%s/%s", b->path, key);
	rc = pgal_fs_write_atomic(dfd, slash + 1, fd, data, len, what, e);
	close(dfd);
	return rc;
}

static int
fs_put_fd(pgal_blobs *base, const char *key, int fd, pgal_err *e)
{
	if (fd < 0)
		return pgal_fail(e, PGAL_EUSAGE, "put_fd: bad file descriptor");
	return put((struct fs_blobs *)base, key, fd, NULL, 0, e);
}

static int
fs_put_mem(pgal_blobs *base, const char *key, const void *data, size_t len,
    pgal_err *e)
{
	if (data == NULL && len > 0)
		return pgal_fail(e, PGAL_EUSAGE, "put_mem: no data");
	return put((struct fs_blobs *)base, key, -1, data != NULL ? data : "", len, e);
}

/* Opens the object of a valid key for reading. */
static int
open_key(struct fs_blobs *b, const char *key, int *fd, pgal_err *e)
{
	int rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	*fd = openat(b->root, key, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (*fd == -1) {
		if (errno == ENOENT)
			return pgal_fail(e, PGAL_ENOTFOUND, "blob %s: not found", key);
		return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, key,
		    strerror(errno));
	}
	return PGAL_OK;
}

static int
fs_get_fd(pgal_blobs *base, const char *key, int out, pgal_err *e)
{
	struct fs_blobs *b = (struct fs_blobs *)base;
	int fd, rc, failed_in = 0;

	if ((rc = open_key(b, key, &fd, e)) != PGAL_OK)
		return rc;
	if (pgal_fs_copy(fd, out, &failed_in) == -1) {
		if (failed_in)
			rc = pgal_fail(e, PGAL_EBACKEND, "%s/%s: read: %s", b->path,
			    key, strerror(errno));
		else
			rc = pgal_fail(e, PGAL_EBACKEND, "blob %s: write: %s", key,
			    strerror(errno));
	}
	close(fd);
	return rc;
}

static int
fs_get_mem(pgal_blobs *base, const char *key, size_t max, void **data,
    size_t *len, pgal_err *e)
{
	struct fs_blobs *b = (struct fs_blobs *)base;
	struct stat st;
	pgal_buf buf = { 0 };
	size_t	 size, want;
	ssize_t	 r = 0;
	void	*at;
	int	 fd, rc;

	*data = NULL;
	*len = 0;
	if ((rc = open_key(b, key, &fd, e)) != PGAL_OK)
		return rc;
	if (fstat(fd, &st) == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, key,
		    strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s/%s: not a file", b->path, key);
		goto out;
	}
	if ((uint64_t)st.st_size > max)
		goto too_big;
	/* one byte more than the size, so EOF shows in one read; should the
	 * file have grown meanwhile, twice what came so far */
	size = (size_t)st.st_size + 1;
	for (;;) {
		want = buf.len < size ? size - buf.len : buf.len;
		if ((at = pgal_buf_room(&buf, want)) == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			goto out;
		}
		if ((r = pgal_fs_read(fd, at, want)) <= 0)
			break;
		pgal_buf_used(&buf, (size_t)r);
		if (buf.len > max)
			goto too_big;
	}
	if (r == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s/%s: read: %s", b->path, key,
		    strerror(errno));
		goto out;
	}
	*len = buf.len;
	*data = pgal_buf_take(&buf);
	rc = PGAL_OK;
	goto out;
too_big:
	rc = pgal_fail(e, PGAL_EINPUT, "blob %s: larger than %zu bytes", key, max);
out:
	pgal_buf_free(&buf);
	close(fd);
	return rc;
}

static int
fs_del(pgal_blobs *base, const char *key, pgal_err *e)
{
	struct fs_blobs *b = (struct fs_blobs *)base;
	int rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	if (unlinkat(b->root, key, 0) == -1 && errno != ENOENT)
		return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, key,
		    strerror(errno));
	return PGAL_OK;
}

static int
is_hex2(const char *s)
{
	return strlen(s) == 2 &&
	    ((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f')) &&
	    ((s[1] >= '0' && s[1] <= '9') || (s[1] >= 'a' && s[1] <= 'f'));
}

/*
 * Walks one fan-out directory. With a visitor, reports every object; files
 * that are not blob keys are ignored. Without one (the sweep), removes the
 * temp files last written before sweep->cutoff: what a crash left between
 * create and rename.
 */
struct sweep {
	int64_t cutoff;
	int64_t removed;
};

static int
list_dir(struct fs_blobs *b, const char *kind, const char *sub, struct sweep *sweep,
    pgal_blob_visit visit, void *arg, int *stop, pgal_err *e)
{
	char	 rel[16], key[PGAL_BLOB_KEY_MAX], id[PGAL_BLOB_ID_HEX + 1];
	struct dirent *d;
	struct stat st;
	DIR	*dir;
	int	 fd, rc = PGAL_OK;

	snprintf(rel, sizeof rel, "%s/%s", kind, sub);
	fd = openat(b->root, rel, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return errno == ENOENT || errno == ENOTDIR || errno == ELOOP ? PGAL_OK :
		    pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, rel,
		    strerror(errno));
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path, rel,
		    strerror(errno));
	}
	while (!*stop && (d = readdir(dir)) != NULL) {
		if (fstatat(fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1)
			continue;	/* gone meanwhile */
		if (strncmp(d->d_name, PGAL_FS_TMP_PREFIX,
		    sizeof PGAL_FS_TMP_PREFIX - 1) == 0) {
			if (sweep != NULL && S_ISREG(st.st_mode) &&
			    (int64_t)st.st_mtime <= sweep->cutoff &&
			    unlinkat(fd, d->d_name, 0) == 0)
				sweep->removed++;
			continue;
		}
		if (sweep != NULL || !S_ISREG(st.st_mode) || strlen(d->d_name) != PGAL_BLOB_ID_HEX)
			continue;
		if ((size_t)snprintf(key, sizeof key, "%s/%s", rel, d->d_name) >=
		    sizeof key || !pgal_blob_key_id(key, id))
			continue;
		if (visit(arg, key, (int64_t)st.st_mtime, (int64_t)st.st_size) != 0)
			*stop = 1;
	}
	closedir(dir);
	return rc;
}

/* Every fan-out directory of every kind, in order. */
static int
walk(struct fs_blobs *b, struct sweep *sweep, pgal_blob_visit visit, void *arg, pgal_err *e)
{
	struct dirent *d;
	DIR	*dir;
	size_t	 i;
	int	 fd, rc = PGAL_OK, stop = 0;

	for (i = 0; i < sizeof kinds / sizeof kinds[0] && !stop; i++) {
		fd = openat(b->root, kinds[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    O_NOFOLLOW);
		if (fd == -1) {
			if (errno == ENOENT)
				continue;	/* nothing of this kind yet */
			return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path,
			    kinds[i], strerror(errno));
		}
		if ((dir = fdopendir(fd)) == NULL) {
			close(fd);
			return pgal_fail(e, PGAL_EBACKEND, "%s/%s: %s", b->path,
			    kinds[i], strerror(errno));
		}
		while (!stop && (d = readdir(dir)) != NULL) {
			if (!is_hex2(d->d_name))
				continue;
			rc = list_dir(b, kinds[i], d->d_name, sweep, visit, arg,
			    &stop, e);
			if (rc != PGAL_OK)
				break;
		}
		closedir(dir);
		if (rc != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

static int
fs_list(pgal_blobs *base, pgal_blob_visit visit, void *arg, pgal_err *e)
{
	return walk((struct fs_blobs *)base, NULL, visit, arg, e);
}

static int
fs_sweep_partial(pgal_blobs *base, int64_t cutoff, int64_t *removed, pgal_err *e)
{
	struct sweep sweep = { cutoff, 0 };
	int rc;

	rc = walk((struct fs_blobs *)base, &sweep, NULL, NULL, e);
	if (removed != NULL)
		*removed = sweep.removed;
	return rc;
}

/* open made the folder; a service user may still lack the right to write */
static int
fs_prepare(pgal_blobs *b, const pgal_config *cfg, pgal_err *e)
{
	return pgal_fs_check_writable(cfg->blobs_dir, e);
}

static void
fs_describe(pgal_blobs *b, const pgal_config *cfg, char *out, size_t size)
{
	snprintf(out, size, "folder %s writable", cfg->blobs_dir);
}

const pgal_blobs_ops pgal_blobs_fs = {
	.name = "fs",
	.prepare = fs_prepare,
	.describe = fs_describe,
	.open = fs_open,
	.close = fs_close,
	.put_fd = fs_put_fd,
	.put_mem = fs_put_mem,
	.get_fd = fs_get_fd,
	.get_mem = fs_get_mem,
	.del = fs_del,
	.list = fs_list,
	.sweep_partial = fs_sweep_partial,
};
