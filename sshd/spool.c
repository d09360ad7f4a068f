/* Private spool files: uploads land here before ingest, downloads are
 * staged here. O_TMPFILE has no name, so a dropped connection or a crash
 * leaves nothing behind. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
