/* Read your own uploads: a file accepted over SFTP or scp is stored in the
 * background, so "scp a.jpg host:trip/ && ssh host ls trip" could list
 * trip before a.jpg is in it. While an upload queue holds files it keeps a
 * shared flock on PGAL_HOME/pending/<user>; a command of that user on this
 * host first waits for an exclusive lock on it, that is until none of the
 * user's queues has a file left, for at most a bounded time. Hosts behind
 * a load balancer each know only their own queues. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "sshd.h"

static int
pending_open(const pgal_config *cfg, const char *user, int create)
{
	char dir[PATH_MAX], path[PATH_MAX + 72];
	pgal_err e;

	/* user names are checked by core: [a-z][a-z0-9_-]{1,31}, a safe name */
	if ((size_t)snprintf(dir, sizeof dir, "%s/pending", cfg->home) >= sizeof dir)
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir, user);
	if (create && pgal_fs_mkdirs(dir, &e) != PGAL_OK)
		return -1;
	return open(path, (create ? O_CREAT : 0) | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0600);
}

int
sshd_pending_hold(const pgal_config *cfg, const char *user)
{
	int fd = pending_open(cfg, user, 1);

	if (fd == -1)
		return -1;
	while (flock(fd, LOCK_SH) == -1) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void
sshd_pending_release(int fd)
{
	if (fd != -1)
		close(fd);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
sshd_pending_wait(const pgal_config *cfg, const char *user, int max_ms)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int64_t until = mono_ms() + max_ms;
	int fd, rc = 0;

	if ((fd = pending_open(cfg, user, 0)) == -1)
		return 0; /* never an upload here */
	/* polled, not blocking: a blocked flock could outlive the limit */
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			break;
		if (mono_ms() >= until) {
			rc = -1;
			break;
		}
		nanosleep(&nap, NULL);
	}
	close(fd);
	return rc;
}
