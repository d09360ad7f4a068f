/* Read your own uploads, across a fleet: a file accepted over SFTP or scp
 * is stored in the background, so "scp a.jpg host:trip/ && ssh host ls
 * trip" could list trip before a.jpg is in it, and behind a load balancer
 * the ls may reach another host than the scp did. While a connection's
 * upload queue holds a file, the file is noted in the shared store
 * (pgal_upload_note: user, album, name, size, time, hash, and this
 * process as its holder) and the note is refreshed while the queue works
 * (sshd_pending_touch); it lives ssh_upload_marker_secs past the last
 * refresh, so a host that dies holds nothing longer. A command of the
 * user's on any host first waits until no note of the user's is left, for
 * at most a bounded time; SFTP listings and stats on any host show the
 * noted files with their sizes (rclone stats and sets the time of what it
 * wrote from any of its connections, which a balancer spreads over
 * hosts). A note whose holder is a process of this machine (and pid
 * namespace) that is gone (a crash: pid and start time name it) is
 * ignored at once. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fsutil.h"
#include "sshd.h"

/* Where a pid means a process: the machine (its boot id names it among
 * the hosts and across reboots) and the pid namespace on it (hosts in
 * containers of one machine each have their own). */
#define BOOT_ID_LEN 36

/* The start of a small text file (what fits in buf, NUL-terminated): 0,
 * or -1 when it cannot be read or is empty. */
static int
read_text(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = pgal_fs_read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

static const char *
pid_space(void)
{
	static char id[BOOT_ID_LEN + 32];
	char boot[BOOT_ID_LEN + 2], ns[64];
	unsigned long long ino;
	ssize_t n;

	if (id[0] != '\0')
		return id;
	/* "pid:[4026531836]" names the namespace */
	if (read_text("/proc/sys/kernel/random/boot_id", boot, sizeof boot) == -1 ||
	    strlen(boot) < BOOT_ID_LEN ||
	    (n = readlink("/proc/self/ns/pid", ns, sizeof ns - 1)) <= 0 ||
	    (ns[n] = '\0', sscanf(ns, "pid:[%llu]", &ino)) != 1) {
		/* unknown: no note is judged by its pid, they all wait to expire */
		snprintf(id, sizeof id, "unknown");
		return id;
	}
	boot[BOOT_ID_LEN] = '\0';
	snprintf(id, sizeof id, "%s-%llu", boot, ino);
	return id;
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
	if (read_text(path, buf, sizeof buf) == -1)
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

/* This process as a holder: "<boot id>-<pid namespace>.<pid>.<start>". */
static void
holder_of_self(char out[PGAL_UPLOAD_HOLDER_MAX + 1])
{
	snprintf(out, PGAL_UPLOAD_HOLDER_MAX + 1, "%s.%ld.%lld", pid_space(), (long)getpid(),
	    started((long)getpid()));
}

/* A note counts unless its holder is a process of this pid namespace that
 * is gone; another machine's (or container's) notes count until they
 * expire. */
static int
holder_lives(const char *holder)
{
	const char *me = pid_space();
	size_t len = strlen(me);
	long long start;
	long pid;

	if (strcmp(me, "unknown") == 0 || strncmp(holder, me, len) != 0 || holder[len] != '.')
		return 1;
	if (sscanf(holder + len, ".%ld.%lld", &pid, &start) != 2 || pid <= 0 || pid > INT_MAX ||
	    start < 0)
		return 0;
	return started(pid) == start;
}

static pgal *
gallery(struct sshd_gallery *sg)
{
	pgal_err e;

	pgal_err_clear(&e);
	return sshd_gallery_get(sg, &e);
}

void
sshd_pending_note(struct sshd_gallery *sg, const char *token, const char *album,
    const char *name, int64_t bytes, int64_t queued_at, int64_t mtime, const char *sha256)
{
	pgal_upload u;
	pgal_err e;
	pgal *g;

	memset(&u, 0, sizeof u);
	snprintf(u.album, sizeof u.album, "%s", album);
	snprintf(u.name, sizeof u.name, "%s", name);
	holder_of_self(u.holder);
	u.bytes = bytes;
	u.queued_at = queued_at;
	u.mtime = mtime;
	snprintf(u.sha256, sizeof u.sha256, "%s", sha256 != NULL ? sha256 : "");
	/* best effort: the upload itself goes on without its note */
	if ((g = gallery(sg)) != NULL &&
	    pgal_upload_note(g, token, &u, sg->cfg->ssh_upload_marker_secs, &e) != PGAL_OK)
		sshd_log("upload note of %s/%s not written: %s", album, name, e.msg);
}

void
sshd_pending_touch(struct sshd_gallery *sg, const char *token)
{
	char holder[PGAL_UPLOAD_HOLDER_MAX + 1];
	pgal_err e;
	pgal *g;

	holder_of_self(holder);
	if ((g = gallery(sg)) != NULL &&
	    pgal_upload_touch(g, token, holder, sg->cfg->ssh_upload_marker_secs, &e) != PGAL_OK)
		sshd_log("upload notes not refreshed: %s", e.msg);
}

void
sshd_pending_forget(struct sshd_gallery *sg, const char *token, const char *album,
    const char *name)
{
	char holder[PGAL_UPLOAD_HOLDER_MAX + 1];
	pgal_err e;
	pgal *g;

	/* another connection's note of the same name is its own */
	holder_of_self(holder);
	if ((g = gallery(sg)) != NULL &&
	    pgal_upload_forget(g, token, album, name, holder, &e) != PGAL_OK)
		sshd_log("upload note of %s/%s not removed: %s", album, name, e.msg);
}

static void
rec_of(struct sshd_pending_rec *r, const pgal_upload *u)
{
	memset(r, 0, sizeof *r);
	snprintf(r->album, sizeof r->album, "%s", u->album);
	snprintf(r->name, sizeof r->name, "%s", u->name);
	r->bytes = u->bytes;
	r->queued_at = u->queued_at;
	r->mtime = u->mtime;
	snprintf(r->sha256, sizeof r->sha256, "%s", u->sha256);
}

int
sshd_pending_list(struct sshd_gallery *sg, const char *token, const char *album,
    struct sshd_pending_rec **out, size_t *n)
{
	struct sshd_pending_rec *v;
	pgal_upload *u;
	size_t i, nu;
	pgal_err e;
	pgal *g;

	*out = NULL;
	*n = 0;
	if ((g = gallery(sg)) == NULL || pgal_upload_list(g, token, album, &u, &nu, &e) != PGAL_OK)
		return -1;
	if ((v = calloc(nu ? nu : 1, sizeof *v)) == NULL) {
		free(u);
		return -1;
	}
	/* by album and name: a name two connections queued is listed once,
	 * as the newer one */
	for (i = 0; i < nu; i++) {
		if (!holder_lives(u[i].holder))
			continue;
		if (*n > 0 && strcmp(v[*n - 1].album, u[i].album) == 0 &&
		    strcmp(v[*n - 1].name, u[i].name) == 0) {
			if (u[i].queued_at >= v[*n - 1].queued_at)
				rec_of(&v[*n - 1], &u[i]);
			continue;
		}
		rec_of(&v[(*n)++], &u[i]);
	}
	free(u);
	*out = v;
	return 0;
}

int
sshd_pending_find(struct sshd_gallery *sg, const char *token, const char *album,
    const char *name, struct sshd_pending_rec *r)
{
	struct sshd_pending_rec *v;
	size_t i, n;
	int found = -1;

	memset(r, 0, sizeof *r);
	if (sshd_pending_list(sg, token, album, &v, &n) == -1)
		return -1;
	for (i = 0; i < n && found == -1; i++) {
		if (strcmp(v[i].name, name) == 0) {
			*r = v[i];
			found = 0;
		}
	}
	free(v);
	return found;
}

int
sshd_pending_find_sha(struct sshd_gallery *sg, const char *token, const char *sha256,
    struct sshd_pending_rec *r)
{
	struct sshd_pending_rec *v;
	size_t i, n;
	int found = -1;

	if (sha256 == NULL || sha256[0] == '\0' ||
	    sshd_pending_list(sg, token, NULL, &v, &n) == -1)
		return -1;
	for (i = 0; i < n && found == -1; i++) {
		if (strcmp(v[i].sha256, sha256) == 0) {
			*r = v[i];
			found = 0;
		}
	}
	free(v);
	return found;
}

/* Between two looks at the store: short at first (most waits are short),
 * then longer, so a long wait costs the store few reads. */
static void
nap(int *ms)
{
	pgal_sleep_ms(*ms);
	if (*ms < 200)
		*ms *= 2;
}

int
sshd_pending_wait(struct sshd_gallery *sg, const char *token, int max_ms)
{
	struct sshd_pending_rec *v;
	int64_t until = pgal_now_ms() + max_ms;
	int ms = 20;
	size_t n;

	for (;;) {
		/* a store that cannot be read is no reason to wait */
		if (sshd_pending_list(sg, token, NULL, &v, &n) == -1)
			return 0;
		free(v);
		if (n == 0)
			return 0;
		if (pgal_now_ms() >= until)
			return -1;
		nap(&ms);
	}
}

int
sshd_pending_wait_name(struct sshd_gallery *sg, const char *token, const char *album,
    const char *name, int max_ms, void (*tick)(void *), void *arg)
{
	struct sshd_pending_rec r;
	int64_t until = pgal_now_ms() + max_ms;
	int ms = 20;

	for (;;) {
		if (tick != NULL)
			tick(arg);
		if (sshd_pending_find(sg, token, album, name, &r) == -1)
			return 0;
		if (pgal_now_ms() >= until)
			return -1;
		nap(&ms);
	}
}
