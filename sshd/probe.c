/* A probe: a short-lived child the listener forks for what it must never
 * do itself (open the store and the blobs, read the host key from S3):
 * libcurl, OpenSSL and the database clients keep per-process state, and
 * the connection processes fork from the listener. The child starts the
 * way every child does (child.c's signals), keeps only 0, 1, 2 and its
 * pipe, runs one function under an alarm and sends one answer up the
 * pipe: a code byte ('0' + pgal_code), then the result or the reason. A
 * child that dies or runs late sends no code, and its parent says so. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sshd.h"

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0 && ((w = write(fd, p, n)) > 0 || (w == -1 && errno == EINTR)))
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		}
}

static void __attribute__((noreturn))
child(int fd, sshd_probe_fn fn, const void *arg, int secs, char *out, size_t size)
{
	char code;
	size_t len = 0;
	pgal_err e;
	int rc;

	sshd_child_signals(0);
	alarm((unsigned)secs);
	sshd_keep_fd_only(&fd);
	pgal_err_clear(&e);
	rc = fn(arg, out, size, &len, &e);
	/* the alarm bounds fn, not the answer: rung between the code and the
	 * result it would leave a cut answer the parent must not take */
	alarm(0);
	if (rc < PGAL_OK || rc > PGAL_EINPUT)
		rc = PGAL_EBACKEND;
	code = (char)('0' + rc);
	write_all(fd, &code, 1);
	if (rc == PGAL_OK)
		write_all(fd, out, len < size ? len : size);
	else
		write_all(fd, e.msg, strnlen(e.msg, sizeof e.msg - 1));
	if (out != NULL)
		explicit_bzero(out, size);
	_exit(rc);
}

int
sshd_probe_start(struct sshd_probe *p, const char *what, sshd_probe_fn fn, const void *arg,
		 int secs, char *out, size_t size, pgal_err *e)
{
	int fds[2];

	memset(p, 0, sizeof *p);
	p->fd = -1;
	p->what = what;
	p->secs = secs;
	p->out = out;
	p->size = out != NULL ? size : 0;
	if (pipe2(fds, O_CLOEXEC) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "%s: pipe: %s", what, strerror(errno));
	if ((p->pid = fork()) == -1) {
		close(fds[0]);
		close(fds[1]);
		return pgal_fail(e, PGAL_EBACKEND, "%s: fork: %s", what, strerror(errno));
	}
	if (p->pid == 0) {
		close(fds[0]);
		child(fds[1], fn, arg, secs, out, p->size);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
	p->fd = fds[0];
	p->started_ms = pgal_now_ms();
	return PGAL_OK;
}

int64_t
sshd_probe_due_ms(const struct sshd_probe *p)
{
	/* the child's alarm first: its parent waits a second longer */
	return p->started_ms + ((int64_t)p->secs + 1) * 1000;
}

int
sshd_probe_read(struct sshd_probe *p)
{
	char *to, extra;
	size_t room;
	ssize_t n;

	for (;;) {
		if (p->code == 0) {
			to = &p->code;
			room = 1;
		} else if (p->code == '0') {
			to = p->out + p->got;
			room = p->size - p->got;
		} else {
			to = p->reason + p->got;
			room = sizeof p->reason - 1 - p->got;
		}
		if (room == 0) {
			/* all it may say: wait for its end, which frees its pid,
			 * and take more as a sign it is still there */
			to = &extra;
			room = 1;
		}
		if ((n = read(p->fd, to, room)) == 0) {
			p->eof = 1;
			return 1;
		}
		if (n == -1)
			return errno != EAGAIN && errno != EINTR;
		if (to == &extra)
			return 1;
		if (to != &p->code)
			p->got += (size_t)n;
	}
}

int
sshd_probe_end(struct sshd_probe *p, int reap, size_t *len, pgal_err *e)
{
	/* its alarm rang, or its parent stopped waiting */
	int late = pgal_now_ms() - p->started_ms >= (int64_t)p->secs * 1000;

	/* no end of file yet: it holds the pipe, so it is alive, or (without
	 * reap: the listener's reap() collects it) ended a moment ago after
	 * its alarm, which rings a second before the parent's deadline */
	if (!p->eof)
		kill(p->pid, SIGKILL);
	close(p->fd);
	p->fd = -1;
	if (reap)
		while (waitpid(p->pid, NULL, 0) == -1 && errno == EINTR)
			;
	if (len != NULL)
		*len = 0;
	/* a result counts only whole: up to the end of the pipe */
	if (p->code == '0' && p->eof) {
		if (len != NULL)
			*len = p->got;
		return PGAL_OK;
	}
	if (p->out != NULL)
		explicit_bzero(p->out, p->size);
	if (p->code > '0' && p->code <= '0' + PGAL_EINPUT) {
		p->reason[p->got] = '\0';
		return pgal_fail(e, (pgal_code)(p->code - '0'), "%s", p->reason);
	}
	if (late)
		return pgal_fail(e, PGAL_EBACKEND, "%s: no answer within %d s", p->what, p->secs);
	return pgal_fail(e, PGAL_EBACKEND, "%s: ended without an answer", p->what);
}

int
sshd_probe_run(const char *what, sshd_probe_fn fn, const void *arg, int secs,
	       char *out, size_t size, size_t *len, pgal_err *e)
{
	struct sshd_probe p;
	struct pollfd pfd;
	int64_t left;

	if (sshd_probe_start(&p, what, fn, arg, secs, out, size, e) != PGAL_OK)
		return e->code;
	pfd.fd = p.fd;
	pfd.events = POLLIN;
	while (!sshd_probe_read(&p) && (left = sshd_probe_due_ms(&p) - pgal_now_ms()) > 0)
		(void)poll(&pfd, 1, (int)left);
	return sshd_probe_end(&p, 1, len, e);
}
