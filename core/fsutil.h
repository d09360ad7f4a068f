/* File system helpers shared by the folder backends (blobs/fs.c,
 * mail/outbox.c): directories made on demand, full writes, atomic file
 * creation. */
#ifndef PGAL_FSUTIL_H
#define PGAL_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Buffer size for streaming copies: bounded, whatever the object size. */
#define PGAL_FS_COPY_BUF (64 * 1024)
/* Temp files are ".tmp-" + 16 hex in the directory of their final name. */
#define PGAL_FS_TMP_PREFIX ".tmp-"

/* mkdir -p with mode 0700 for what it creates; an existing directory is fine. */
int pgal_fs_mkdirs(const char *path, pgal_err *e);

/* PGAL_OK if this process may create files in dir, else PGAL_EBACKEND
 * "DIR is not writable" (open made the folder; whoever runs the server
 * may still lack the right). */
int pgal_fs_check_writable(const char *dir, pgal_err *e);

/* write(2) until done, across EINTR and short writes: 0 or -1 with errno. */
int pgal_fs_write_all(int fd, const void *buf, size_t len);
/* read(2) across EINTR: bytes read, 0 at EOF, -1 with errno. */
ssize_t pgal_fs_read(int fd, void *buf, size_t len);
/* Copies in to out until EOF of in: 0, or -1 with errno (*failed_in set
 * to 1 if reading in failed, 0 if writing out did). */
int pgal_fs_copy(int in, int out, int *failed_in);

/*
 * Creates dirfd/name atomically: writes a 0600 temp file in the same
 * directory (O_EXCL), from srcfd to EOF if srcfd >= 0, else from data/len;
 * fsyncs it, renames it over name and fsyncs the directory. After a crash
 * name is either absent (or its old content) or complete. `what` names the
 * target in error messages.
 */
int pgal_fs_write_atomic(int dirfd, const char *name, int srcfd,
    const void *data, size_t len, const char *what, pgal_err *e);

/* What pgal_fs_read_small may check beyond "a regular file". */
#define PGAL_FS_PRIVATE 1	/* no permission bits for group or others */
#define PGAL_FS_OWN 2		/* owned by this process's effective user */
#define PGAL_FS_NOFOLLOW 4	/* the last component may not be a symlink */

/* How pgal_fs_read_small ended; the caller words the error. */
enum pgal_fs_small {
	PGAL_FS_SMALL_OK,
	PGAL_FS_SMALL_OPEN,	/* open failed: errno says why */
	PGAL_FS_SMALL_NOT_FILE,	/* not a regular file */
	PGAL_FS_SMALL_SHARED,	/* PGAL_FS_PRIVATE or PGAL_FS_OWN not met */
	PGAL_FS_SMALL_TOO_BIG,	/* more than max bytes; *len the size seen */
	PGAL_FS_SMALL_READ,	/* read failed: errno says why */
	PGAL_FS_SMALL_NOMEM,
};

/*
 * The whole of a small file that holds a setting or a secret (host key,
 * session token, AWS profile, container token): a regular file of at most
 * max bytes, read across EINTR and short reads, *out malloc'd with a NUL
 * after its *len bytes (the caller wipes and frees it). Nothing is
 * allocated unless PGAL_FS_SMALL_OK; what was read before a failure is
 * wiped.
 */
enum pgal_fs_small pgal_fs_read_small(const char *path, size_t max, int flags,
    char **out, size_t *len);

#endif
