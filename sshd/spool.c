/* Private spool files: uploads land here before ingest, downloads are
 * staged here. O_TMPFILE has no name, so a dropped connection or a crash
 * leaves nothing behind. How much may be spooled: ssh_spool_max per
 * connection (the callers count), and never the file system's reserve. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "fsutil.h"
#include "sshd.h"

int
sshd_spool_open(const pgal_config *cfg, char *path, size_t size)
{
	char dir[PATH_MAX], tmpl[PATH_MAX + 32];
	pgal_err e;
	int fd;

	if ((size_t)snprintf(dir, sizeof dir, "%s/spool", cfg->home) >= sizeof dir)
		return -1;
	if (pgal_fs_mkdirs(dir, &e) != PGAL_OK)
		return -1;
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd == -1 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		/* file systems without O_TMPFILE: a name unlinked at once */
		snprintf(tmpl, sizeof tmpl, "%s/up-XXXXXX", dir);
		if ((fd = mkostemp(tmpl, O_CLOEXEC)) != -1)
			unlink(tmpl);
	}
	if (fd == -1)
		return -1;
	snprintf(path, size, "/proc/self/fd/%d", fd);
	return fd;
}

/* The spool's file system keeps this much free for the rest of the server
 * (blobs, database, logs): the smaller of 5 % of it and 1 GiB, so a big
 * disk keeps a fixed margin and a small one is not made useless. */
int64_t
sshd_spool_room_of(uint64_t avail, uint64_t total)
{
	uint64_t reserve = total / 20;

	if (reserve > SSHD_SPOOL_RESERVE_MAX)
		reserve = SSHD_SPOOL_RESERVE_MAX;
	if (avail <= reserve)
		return 0;
	avail -= reserve;
	return avail > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)avail;
}

int64_t
sshd_spool_room(const pgal_config *cfg, int fd)
{
	char dir[PATH_MAX];
	struct statvfs sv;
	int rc;

	if (fd >= 0)
		rc = fstatvfs(fd, &sv);
	else if ((size_t)snprintf(dir, sizeof dir, "%s/spool", cfg->home) >= sizeof dir)
		return INT64_MAX;
	else
		rc = statvfs(dir, &sv);
	/* a file system that cannot say is not held against the upload:
	 * the write itself fails when it is full */
	if (rc == -1 || sv.f_frsize == 0)
		return INT64_MAX;
	return sshd_spool_room_of((uint64_t)sv.f_bavail * sv.f_frsize,
	    (uint64_t)sv.f_blocks * sv.f_frsize);
}
