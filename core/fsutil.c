/* File system helpers for the folder backends. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"

int
pgal_fs_mkdirs(const char *path, pgal_err *e)
{
	char	 buf[PATH_MAX];
	char	*p;
	size_t	 len;
	struct stat st;

	if (path == NULL || *path == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "empty directory path");
	if ((len = strlen(path)) >= sizeof buf)
		return pgal_fail(e, PGAL_EINPUT, "directory path too long");
	memcpy(buf, path, len + 1);
	/* each prefix ending before a '/', then the whole path */
	for (p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		{
			char saved = *p;

			*p = '\0';
			if (mkdir(buf, 0700) == -1 && errno != EEXIST)
				return pgal_fail(e, PGAL_EBACKEND, "%s: %s", buf,
				    strerror(errno));
			*p = saved;
		}
		if (*p == '\0')
			break;
	}
	if (stat(path, &st) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", path, strerror(ENOTDIR));
	return PGAL_OK;
}

int
pgal_fs_check_writable(const char *dir, pgal_err *e)
{
	if (access(dir, W_OK | X_OK) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "%s is not writable", dir);
	return PGAL_OK;
}

int
pgal_fs_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t w;

	while (len > 0) {
		w = write(fd, p, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == -1)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

ssize_t
pgal_fs_read(int fd, void *buf, size_t len)
{
	ssize_t r;

	do
		r = read(fd, buf, len);
	while (r == -1 && errno == EINTR);
	return r;
}

int
pgal_fs_copy(int in, int out, int *failed_in)
{
	char	*buf;
	ssize_t	 r;
	int	 saved;

	if ((buf = malloc(PGAL_FS_COPY_BUF)) == NULL) {
		*failed_in = 0;
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		if ((r = pgal_fs_read(in, buf, PGAL_FS_COPY_BUF)) == -1) {
			*failed_in = 1;
			goto fail;
		}
		if (r == 0)
			break;
		if (pgal_fs_write_all(out, buf, (size_t)r) == -1) {
			*failed_in = 0;
			goto fail;
		}
	}
	free(buf);
	return 0;
fail:
	saved = errno;
	free(buf);
	errno = saved;
	return -1;
}

int
pgal_fs_write_atomic(int dirfd, const char *name, int srcfd,
    const void *data, size_t len, const char *what, pgal_err *e)
{
	char	 tmp[sizeof PGAL_FS_TMP_PREFIX + 16];
	char	 hex[17];
	int	 fd, rc, failed_in = 0;

	if ((rc = pgal_random_hex(hex, 8, e)) != PGAL_OK)
		return rc;
	memcpy(tmp, PGAL_FS_TMP_PREFIX, sizeof PGAL_FS_TMP_PREFIX - 1);
	memcpy(tmp + sizeof PGAL_FS_TMP_PREFIX - 1, hex, 17);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return pgal_fail(e, PGAL_EBACKEND, "%s: cannot create a temp file: %s",
		    what, strerror(errno));
	if (srcfd >= 0) {
		if (pgal_fs_copy(srcfd, fd, &failed_in) == -1) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s: %s", what,
			    failed_in ? "read" : "write", strerror(errno));
			goto fail;
		}
	} else if (pgal_fs_write_all(fd, data, len) == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: write: %s", what, strerror(errno));
		goto fail;
	}
	/* the data is on disk before the name points at it */
	if (fsync(fd) == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: fsync: %s", what, strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: close: %s", what, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (renameat(dirfd, tmp, dirfd, name) == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: rename: %s", what, strerror(errno));
		goto fail;
	}
	/* and the name itself is on disk */
	if (fsync(dirfd) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "%s: fsync of directory: %s", what,
		    strerror(errno));
	return PGAL_OK;
fail:
	if (fd != -1)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return rc;
}

/* Moves buf into a larger block, wiping the old one (it may hold a secret). */
static char *
grow_wiped(char *buf, size_t used, size_t cap)
{
	char *bigger = malloc(cap);

	if (bigger != NULL && used > 0)
		memcpy(bigger, buf, used);
	explicit_bzero(buf, used);
	free(buf);
	return bigger;
}

enum pgal_fs_small
pgal_fs_read_small(const char *path, size_t max, int flags, char **out, size_t *len)
{
	struct stat st;
	enum pgal_fs_small rc = PGAL_FS_SMALL_OK;
	char *buf;
	size_t got = 0, cap;
	ssize_t n;
	int fd, err = 0;

	*out = NULL;
	*len = 0;
	if (max > SIZE_MAX / 2)
		max = SIZE_MAX / 2;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    ((flags & PGAL_FS_NOFOLLOW) ? O_NOFOLLOW : 0))) == -1)
		return PGAL_FS_SMALL_OPEN;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode))
		rc = PGAL_FS_SMALL_NOT_FILE;
	else if (((flags & PGAL_FS_PRIVATE) && (st.st_mode & 077) != 0) ||
	    ((flags & PGAL_FS_OWN) && st.st_uid != geteuid()))
		rc = PGAL_FS_SMALL_SHARED;
	else if (st.st_size < 0 || (uint64_t)st.st_size > max) {
		*len = st.st_size < 0 ? 0 : (size_t)st.st_size;
		rc = PGAL_FS_SMALL_TOO_BIG;
	}
	if (rc != PGAL_FS_SMALL_OK) {
		close(fd);
		return rc;
	}
	/* the size it has now and one byte more, to see it end (or grow) */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap)) == NULL) {
		close(fd);
		return PGAL_FS_SMALL_NOMEM;
	}
	for (;;) {
		if (got == cap) {
			if (got > max) {
				rc = PGAL_FS_SMALL_TOO_BIG;
				break;
			}
			cap = cap > max / 2 ? max + 1 : cap * 2;
			if ((buf = grow_wiped(buf, got, cap)) == NULL) {
				err = ENOMEM;
				rc = PGAL_FS_SMALL_NOMEM;
				break;
			}
		}
		if ((n = read(fd, buf + got, cap - got)) == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			err = errno;
			rc = PGAL_FS_SMALL_READ;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (rc == PGAL_FS_SMALL_OK && got > max)
		rc = PGAL_FS_SMALL_TOO_BIG;
	if (rc != PGAL_FS_SMALL_OK) {
		if (buf != NULL) {
			explicit_bzero(buf, got);
			free(buf);
		}
		*len = got;
		errno = err;
		return rc;
	}
	/* got < cap: the last read saw the end with room to spare */
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return PGAL_FS_SMALL_OK;
}
