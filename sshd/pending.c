/* Read your own uploads: a file accepted over SFTP or scp is stored in the
 * background, so "scp a.jpg host:trip/ && ssh host ls trip" could list
 * trip before a.jpg is in it. While an upload queue holds files it keeps a
 * shared flock on PGAL_HOME/pending/<user>; a command of that user on this
 * host first waits for an exclusive lock on it, that is until none of the
 * user's queues has a file left, for at most a bounded time. Hosts behind
 * a load balancer each know only their own queues. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "grow.h"
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

/* ---- the queued uploads themselves, for the user's other connections ----
 * PGAL_HOME/pending/<user>.q/<album>/<name> holds "pid start bytes
 * queued_at mtime sha256"
 * while the connection process pid has album/name in its queue: another
 * connection (rclone stats and sets times on any of its connections) finds
 * the file there, with its size, before its row exists. A record whose
 * process is gone (a crash; pid and start time name it) is removed. Album names are safe file
 * names ([A-Za-z0-9][A-Za-z0-9._ -]*); photo names hold no '/' and never
 * start with '.', which the record's temporary file does. */

/* One record's line: six numbers and a hash, with room to spare. */
#define RECORD_MAX 192

static int
record_dir(const pgal_config *cfg, const char *user, const char *album, char *out,
    size_t size)
{
	if (album[0] == '\0' || album[0] == '.' || strchr(album, '/') != NULL)
		return -1;
	return (size_t)snprintf(out, size, "%s/pending/%s.q/%s", cfg->home, user, album) >= size ?
	    -1 : 0;
}

static int
record_path(const pgal_config *cfg, const char *user, const char *album, const char *name,
    char *out, size_t size)
{
	char dir[PATH_MAX];

	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL ||
	    record_dir(cfg, user, album, dir, sizeof dir) == -1)
		return -1;
	return (size_t)snprintf(out, size, "%s/%s", dir, name) >= size ? -1 : 0;
}

/* The start of a small text file (what fits in buf, NUL-terminated): 0,
 * or -1 when it cannot be read or is empty. */
static int
read_text(const char *path, int flags, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | flags)) == -1)
		return -1;
	n = pgal_fs_read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* When process pid started (clock ticks after boot, /proc/PID/stat's 22nd
 * field): with the pid, it names one process, whatever reuses the pid
 * later. -1 if there is no such process. */
static long long
started(long pid)
{
	char path[64], buf[1024], *p;
	long long t = -1;
	int i;

	snprintf(path, sizeof path, "/proc/%ld/stat", pid);
	if (read_text(path, 0, buf, sizeof buf) == -1)
		return -1;
	/* the name in parentheses may hold anything: fields follow the last ')' */
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* field 3 (the state) is the first after it: 19 more to the 22nd */
	for (p++, i = 0; i < 19 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, " %lld", &t) != 1)
		return -1;
	return t;
}

/* The process that wrote a record still runs: the same pid, started at
 * the same time. */
static int
alive(long pid, long long start)
{
	return pid > 0 && pid <= INT_MAX && start >= 0 && started(pid) == start;
}

/* The record at path: 0 when it is there and its process lives. */
static int
record_read(const char *path, long *pid, struct sshd_pending_rec *r)
{
	char buf[RECORD_MAX], sha[PGAL_SHA256_HEX + 1];
	long long start, bytes, at, mtime;

	if (read_text(path, O_NOFOLLOW, buf, sizeof buf) == -1)
		return -1;
	if (sscanf(buf, "%ld %lld %lld %lld %lld %64s", pid, &start, &bytes, &at, &mtime,
	    sha) != 6 || bytes < 0)
		return -1;
	if (!alive(*pid, start)) {
		/* left by a connection that crashed: nobody stores it */
		unlink(path);
		return -1;
	}
	r->bytes = bytes;
	r->queued_at = at;
	r->mtime = mtime;
	snprintf(r->sha256, sizeof r->sha256, "%s", strcmp(sha, "-") == 0 ? "" : sha);
	return 0;
}

void
sshd_pending_note(const pgal_config *cfg, const char *user, const char *album,
    const char *name, int64_t bytes, int64_t queued_at, int64_t mtime, const char *sha256)
{
	char dir[PATH_MAX], path[PATH_MAX], tmp[PATH_MAX + 32], line[RECORD_MAX];
	pgal_err e;
	int fd, len;

	if (record_dir(cfg, user, album, dir, sizeof dir) == -1 ||
	    record_path(cfg, user, album, name, path, sizeof path) == -1 ||
	    pgal_fs_mkdirs(dir, &e) != PGAL_OK)
		return;
	snprintf(tmp, sizeof tmp, "%s/.new-%ld", dir, (long)getpid());
	/* the hash, when known, is hex: "-" stands for none */
	len = snprintf(line, sizeof line, "%ld %lld %lld %lld %lld %s\n", (long)getpid(),
	    started((long)getpid()), (long long)bytes, (long long)queued_at, (long long)mtime,
	    sha256 != NULL && sha256[0] != '\0' ? sha256 : "-");
	if ((fd = open(tmp, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600)) == -1)
		return;
	if (pgal_fs_write_all(fd, line, (size_t)len) == -1 || close(fd) == -1 ||
	    rename(tmp, path) == -1)
		unlink(tmp);
}

void
sshd_pending_forget(const pgal_config *cfg, const char *user, const char *album,
    const char *name)
{
	char path[PATH_MAX];
	struct sshd_pending_rec r;
	long pid;

	/* another connection may have queued the name since: its record stays */
	if (record_path(cfg, user, album, name, path, sizeof path) == 0 &&
	    (record_read(path, &pid, &r) == -1 || pid == (long)getpid()))
		unlink(path);
}

int
sshd_pending_find(const pgal_config *cfg, const char *user, const char *album,
    const char *name, struct sshd_pending_rec *r)
{
	char path[PATH_MAX];
	long pid;

	memset(r, 0, sizeof *r);
	if (record_path(cfg, user, album, name, path, sizeof path) == -1 ||
	    record_read(path, &pid, r) == -1)
		return -1;
	snprintf(r->album, sizeof r->album, "%s", album);
	snprintf(r->name, sizeof r->name, "%s", name);
	return 0;
}

int
sshd_pending_list(const pgal_config *cfg, const char *user, const char *album,
    struct sshd_pending_rec **out, size_t *n)
{
	char dir[PATH_MAX];
	struct sshd_pending_rec *v = NULL;
	struct dirent *d;
	size_t cap = 0;
	DIR *dp;

	*out = NULL;
	*n = 0;
	if (record_dir(cfg, user, album, dir, sizeof dir) == -1 || (dp = opendir(dir)) == NULL)
		return 0;
	/* bounded: a queue holds at most SSHD_IQ_JOBS_MAX per connection */
	while ((d = readdir(dp)) != NULL && *n < 64 * SSHD_IQ_JOBS_MAX) {
		if (d->d_name[0] == '.' || strlen(d->d_name) > PGAL_PHOTO_NAME_MAX)
			continue;
		if (PGAL_GROW(v, cap, *n + 1) == -1)
			break;
		if (sshd_pending_find(cfg, user, album, d->d_name, &v[*n]) == 0)
			(*n)++;
	}
	closedir(dp);
	*out = v;
	return 0;
}

int
sshd_pending_find_sha(const pgal_config *cfg, const char *user, const char *sha256,
    struct sshd_pending_rec *r)
{
	char dir[PATH_MAX];
	struct sshd_pending_rec *v;
	struct dirent *d;
	size_t i, n, albums = 0;
	int found = -1;
	DIR *dp;

	if (sha256 == NULL || sha256[0] == '\0' ||
	    (size_t)snprintf(dir, sizeof dir, "%s/pending/%s.q", cfg->home, user) >= sizeof dir ||
	    (dp = opendir(dir)) == NULL)
		return -1;
	/* bounded: a user has at most so many albums with uploads queued */
	while (found == -1 && (d = readdir(dp)) != NULL && albums++ < 100000) {
		if (d->d_name[0] == '.' || sshd_pending_list(cfg, user, d->d_name, &v, &n) != 0)
			continue;
		for (i = 0; i < n && found == -1; i++) {
			if (strcmp(v[i].sha256, sha256) == 0) {
				*r = v[i];
				found = 0;
			}
		}
		free(v);
	}
	closedir(dp);
	return found;
}

int
sshd_pending_wait_name(const pgal_config *cfg, const char *user, const char *album,
    const char *name, int max_ms, void (*tick)(void *), void *arg)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	struct sshd_pending_rec r;
	int64_t until = mono_ms() + max_ms;

	for (;;) {
		if (tick != NULL)
			tick(arg);
		if (sshd_pending_find(cfg, user, album, name, &r) == -1)
			return 0;
		if (mono_ms() >= until)
			return -1;
		nanosleep(&nap, NULL);
	}
}
