/*
 * Host-wide decoder slots, all state in PGAL_HOME/decoders:
 *
 *	queue			flock'd (exclusively, briefly) around every
 *				look at or change of the waiters
 *	wait.<ticket>		one per waiter, flock'd by it while it waits;
 *				tickets grow in arrival order
 *	slot.<i>		i < decoders_max, flock'd by the holder
 *
 * A caller joins the queue with the next ticket, then waits for the live
 * waiter just ahead of it to leave (a blocking lock on that waiter's file,
 * granted when it leaves or dies); at the head it takes the first slot
 * whose lock it can get, polling while all are held. A waiter file that
 * nobody holds locked is left from a dead process and is removed by
 * whoever comes across it. Every lock goes with its process, so a crash
 * anywhere frees what it held.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "fsutil.h"
#include "image/slots.h"

#define WAIT_PREFIX "wait."
#define HEAD_NAP_MS 20	/* the head's poll while every slot is held */

static int
open_at(int dfd, const char *name, int flags)
{
	return openat(dfd, name, flags | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
}

static int
lock(int fd, int how)
{
	while (flock(fd, how) == -1) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

/* A waiter's ticket from its file name; 0 for any other name. */
static unsigned long long
ticket_of(const char *name)
{
	unsigned long long t;
	char *end;

	if (strncmp(name, WAIT_PREFIX, sizeof WAIT_PREFIX - 1) != 0)
		return 0;
	name += sizeof WAIT_PREFIX - 1;
	if (*name < '0' || *name > '9')
		return 0;
	errno = 0;
	t = strtoull(name, &end, 10);
	return errno != 0 || *end != '\0' ? 0 : t;
}

/* Whether a waiter still holds its file (under the queue lock); a file
 * nobody holds is a dead waiter's and goes. */
static int
alive(int dfd, const char *name)
{
	int fd, live;

	if ((fd = open_at(dfd, name, O_RDONLY)) == -1)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		(void)unlinkat(dfd, name, 0);
		live = 0;
	} else
		live = errno == EWOULDBLOCK;
	close(fd);
	return live;
}

/* Under the queue lock: the last live ticket before mine (0: I am at the
 * head) and the last live ticket of all. */
static int
scan(int dfd, unsigned long long mine, unsigned long long *before,
    unsigned long long *last)
{
	struct dirent *de;
	unsigned long long t;
	DIR *d;
	int fd;

	*before = *last = 0;
	if ((fd = dup(dfd)) == -1)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	/* a dup shares the offset: the last scan left it at the end */
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if ((t = ticket_of(de->d_name)) == 0 || t == mine ||
		    !alive(dfd, de->d_name))
			continue;
		if (t < mine && t > *before)
			*before = t;
		if (t > *last)
			*last = t;
	}
	closedir(d);
	return 0;
}

/* The first free slot, locked; -1 when all are held, -2 on an error. */
static int
try_slots(int dfd, int n, int *index)
{
	char name[32];
	int i, fd;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "slot.%d", i);
		if ((fd = open_at(dfd, name, O_RDONLY | O_CREAT)) == -1)
			return -2;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			*index = i;
			return fd;
		}
		close(fd);
	}
	return -1;
}

/* Joins the queue: my ticket, its file created and locked. */
static int
join(int dfd, int qfd, unsigned long long *mine, char *name, size_t size)
{
	unsigned long long before, last;
	int fd = -1;

	if (lock(qfd, LOCK_EX) == -1)
		return -1;
	if (scan(dfd, 0, &before, &last) == 0) {
		*mine = last + 1;
		snprintf(name, size, WAIT_PREFIX "%020llu", *mine);
		if ((fd = open_at(dfd, name, O_RDWR | O_CREAT | O_EXCL)) != -1 &&
		    flock(fd, LOCK_EX | LOCK_NB) == -1) {
			(void)unlinkat(dfd, name, 0);
			close(fd);
			fd = -1;
		}
	}
	(void)flock(qfd, LOCK_UN);
	return fd;
}

int
pgal_decode_slot_take(const pgal_config *cfg, pgal_decode_slot *s, pgal_err *e)
{
	char dir[PATH_MAX], name[64], ahead[64];
	unsigned long long mine, before, last;
	int dfd = -1, qfd = -1, wfd = -1, fd, rc = PGAL_EBACKEND, head;

	s->fd = -1;
	s->index = -1;
	if ((size_t)snprintf(dir, sizeof dir, "%s/decoders", cfg->home) >= sizeof dir)
		return pgal_fail(e, PGAL_EBACKEND, "decoder slots: path too long");
	if ((rc = pgal_fs_mkdirs(dir, e)) != PGAL_OK)
		return rc;
	rc = PGAL_EBACKEND;
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (qfd = open_at(dfd, "queue", O_RDWR | O_CREAT)) == -1 ||
	    (wfd = join(dfd, qfd, &mine, name, sizeof name)) == -1) {
		pgal_fail(e, rc, "decoder slots in %s: %s", dir, strerror(errno));
		goto out;
	}
	for (;;) {
		if (lock(qfd, LOCK_EX) == -1 || scan(dfd, mine, &before, &last) == -1) {
			pgal_fail(e, rc, "decoder slots in %s: %s", dir, strerror(errno));
			goto out;
		}
		head = before == 0;
		fd = head ? try_slots(dfd, cfg->decoders_max, &s->index) : -1;
		if (fd == -2) {
			pgal_fail(e, rc, "decoder slots in %s: %s", dir, strerror(errno));
			(void)flock(qfd, LOCK_UN);
			goto out;
		}
		if (fd >= 0) {
			/* leaving the queue wakes the waiter behind */
			(void)unlinkat(dfd, name, 0);
			s->fd = fd;
		}
		(void)flock(qfd, LOCK_UN);
		if (s->fd != -1)
			break;
		if (head) {
			pgal_sleep_ms(HEAD_NAP_MS);
			continue;
		}
		/* until the one ahead leaves the queue, or dies */
		snprintf(ahead, sizeof ahead, WAIT_PREFIX "%020llu", before);
		if ((fd = open_at(dfd, ahead, O_RDONLY)) != -1) {
			(void)lock(fd, LOCK_SH);
			close(fd);
		}
	}
	rc = PGAL_OK;
out:
	if (wfd != -1 && s->fd == -1)
		(void)unlinkat(dfd, name, 0);
	if (wfd != -1)
		close(wfd);
	if (qfd != -1)
		close(qfd);
	if (dfd != -1)
		close(dfd);
	return rc;
}

void
pgal_decode_slot_give(pgal_decode_slot *s)
{
	if (s == NULL || s->fd == -1)
		return;
	close(s->fd);
	s->fd = -1;
	s->index = -1;
}
