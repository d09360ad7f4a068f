/* The background ingest of one connection's uploads (or of one scp sink):
 * a file that passed the quick checks (pgal_ingest_check) is handed, as its
 * open spool file, to a worker process that runs the full ingest (decode,
 * renditions, blobs, row) one file after another while the client goes on
 * sending. The client waits for the network and the quick checks only; the
 * decoding runs on another core.
 *
 * The worker is forked on the first upload, by a process that never
 * decodes an image itself (so the fork is safe), around a close and reopen
 * of the caller's gallery: SQLite handles must not cross a fork, and the
 * worker opens its own. Each job is one fixed-size message with the file
 * descriptor attached (SCM_RIGHTS over a SOCK_SEQPACKET pair); the worker
 * answers one result per job, logs the outcome in one line, and exits when
 * the queue is closed and empty. It ignores SIGHUP and SIGTERM: an upload
 * the client was told is accepted is finished even when the client or this
 * process is gone. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sshd.h"

/* One job on its way to the worker, or its result on the way back. */
struct iq_msg {
	uint32_t id;
	int32_t code; /* the result: PGAL_OK or a pgal_code */
	int64_t bytes;
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1]; /* the result: the name stored under */
	char msg[sizeof(((pgal_err *)0)->msg)]; /* the result: why not */
};

struct sshd_iq {
	const pgal_config *cfg;
	char door[8];
	char user[64];
	char token[PGAL_TOKEN_HEX + 1];
	int logfd;
	pid_t pid;
	int fd; /* to the worker; -1 when none runs */
	struct sshd_iq_job jobs[SSHD_IQ_JOBS_MAX];
	size_t njobs;
	int64_t bytes;
	uint32_t next_id;
	int failed;
	sshd_iq_fail_fn on_fail;
	void *arg;
};

struct sshd_iq *
sshd_iq_new(const pgal_config *cfg, const char *door, const char *user, const char *token,
    int logfd)
{
	struct sshd_iq *q = calloc(1, sizeof *q);

	if (q == NULL)
		return NULL;
	q->cfg = cfg;
	snprintf(q->door, sizeof q->door, "%s", door);
	snprintf(q->user, sizeof q->user, "%s", user);
	snprintf(q->token, sizeof q->token, "%s", token);
	q->logfd = logfd;
	q->pid = -1;
	q->fd = -1;
	return q;
}

void
sshd_iq_on_fail(struct sshd_iq *q, sshd_iq_fail_fn fn, void *arg)
{
	q->on_fail = fn;
	q->arg = arg;
}

/* ---- the worker ---- */

/* One job: 1 with *fd set, 0 at the end of the queue, -1 on a bad message
 * (its descriptor, if any, closed). */
static int
recv_job(int sock, struct iq_msg *m, int *fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;

	*fd = -1;
	memset(&mh, 0, sizeof mh);
	iov.iov_base = m;
	iov.iov_len = sizeof *m;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return 0;
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof *fd);
	}
	if ((size_t)n != sizeof *m || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || *fd == -1) {
		if (*fd != -1)
			close(*fd);
		return -1;
	}
	m->album[sizeof m->album - 1] = '\0';
	m->name[sizeof m->name - 1] = '\0';
	return 1;
}

static void
ingest_one(struct sshd_iq *q, pgal *g, const pgal_err *open_err, struct iq_msg *m, int fd)
{
	char path[64];
	pgal_put_opts opts;
	pgal_photo ph;
	pgal_err e;

	pgal_err_clear(&e);
	if (g == NULL) {
		e = *open_err;
		m->code = e.code;
	} else {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		memset(&opts, 0, sizeof opts);
		opts.filename = m->name;
		m->code = pgal_photo_add(g, q->token, m->album, path, &opts, &ph, &e);
	}
	if (m->code == PGAL_OK) {
		snprintf(m->name, sizeof m->name, "%s", ph.name);
		m->msg[0] = '\0';
		sshd_log("%s: user %s stored %s/%s (%lld bytes)", q->door, q->user, m->album,
		    m->name, (long long)m->bytes);
	} else {
		snprintf(m->msg, sizeof m->msg, "%s", e.msg);
		sshd_log("%s: user %s: %s/%s accepted but not stored: %s", q->door, q->user,
		    m->album, m->name, e.msg);
	}
}

static void __attribute__((noreturn))
worker(struct sshd_iq *q, int sock)
{
	struct iq_msg m;
	pgal_err oe;
	pgal *g = NULL;
	int fd, null, rc;

	signal(SIGHUP, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGALRM, SIG_DFL);
	alarm(0);
	/* the log on 2, the queue on 3, nothing else: no client connection
	 * or channel pipe is held open by this process */
	if ((null = open("/dev/null", O_RDWR)) == -1 || dup2(null, 0) == -1 ||
	    dup2(null, 1) == -1 || (q->logfd != 2 && dup2(q->logfd, 2) == -1) ||
	    dup2(sock, 3) == -1 || close_range(4, ~0U, 0) == -1)
		_exit(1);
	sshd_log_set_fd(2);
	pgal_err_clear(&oe);
	if (pgal_open(&g, q->cfg, &oe) != PGAL_OK) {
		sshd_log("%s: ingest: %s", q->door, oe.msg);
		g = NULL;
	}
	while ((rc = recv_job(3, &m, &fd)) != 0) {
		if (rc == -1)
			continue;
		ingest_one(q, g, &oe, &m, fd);
		close(fd);
		/* this process may be gone: the result is then for nobody */
		(void)send(3, &m, sizeof m, MSG_NOSIGNAL);
	}
	if (g != NULL)
		pgal_close(g);
	explicit_bzero(q->token, sizeof q->token);
	_exit(0);
}

/* ---- this side ---- */

static int
start(struct sshd_iq *q, pgal **gp, char *err, size_t errsz)
{
	int sv[2];
	pgal_err e;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		snprintf(err, errsz, "the server cannot take files right now");
		return -1;
	}
	if (gp != NULL && *gp != NULL) {
		pgal_close(*gp);
		*gp = NULL;
	}
	if ((pid = fork()) == 0) {
		close(sv[0]);
		worker(q, sv[1]);
	}
	close(sv[1]);
	pgal_err_clear(&e);
	if (gp != NULL && pgal_open(gp, q->cfg, &e) != PGAL_OK) {
		sshd_log("%s: gallery: %s", q->door, e.msg);
		*gp = NULL;
	}
	if (pid == -1) {
		close(sv[0]);
		snprintf(err, errsz, "the server cannot take files right now");
		return -1;
	}
	q->pid = pid;
	q->fd = sv[0];
	return 0;
}

static void
job_done(struct sshd_iq *q, size_t i, int code, const char *msg)
{
	struct sshd_iq_job j = q->jobs[i];

	memmove(&q->jobs[i], &q->jobs[i + 1], (q->njobs - i - 1) * sizeof q->jobs[0]);
	q->njobs--;
	q->bytes -= j.bytes;
	if (code != PGAL_OK) {
		q->failed++;
		if (q->on_fail != NULL)
			q->on_fail(q->arg, &j, msg);
	}
}

/* The worker is gone: what it did not answer is lost (and logged here, as
 * the worker could not), its process reaped. */
static void
worker_gone(struct sshd_iq *q)
{
	int status;

	while (q->njobs > 0) {
		sshd_log("%s: user %s: %s/%s accepted but not stored: the ingest process ended",
		    q->door, q->user, q->jobs[0].album, q->jobs[0].name);
		job_done(q, 0, PGAL_EBACKEND, "the server stopped before storing it");
	}
	if (q->fd != -1)
		close(q->fd);
	q->fd = -1;
	/* the connection's own SIGCHLD handler may have reaped it already */
	while (q->pid > 0 && waitpid(q->pid, &status, 0) == -1 && errno == EINTR)
		;
	q->pid = -1;
}

/* Takes one result in: 1 taken, 0 none yet (only when not blocking), -1
 * the worker is gone. */
static int
take(struct sshd_iq *q, int block)
{
	struct iq_msg m;
	ssize_t n;
	size_t i;

	if (q->fd == -1)
		return -1;
	do
		n = recv(q->fd, &m, sizeof m, block ? 0 : MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {
		worker_gone(q);
		return -1;
	}
	if ((size_t)n != sizeof m)
		return 1; /* not from our worker's code: ignored */
	m.msg[sizeof m.msg - 1] = '\0';
	for (i = 0; i < q->njobs; i++) {
		if (q->jobs[i].id == m.id) {
			job_done(q, i, m.code, m.msg);
			break;
		}
	}
	return 1;
}

void
sshd_iq_poll(struct sshd_iq *q)
{
	while (take(q, 0) == 1)
		;
}

int
sshd_iq_wait(struct sshd_iq *q)
{
	if (q->njobs == 0)
		return -1;
	return take(q, 1) == 1 ? 0 : -1;
}

void
sshd_iq_wait_album(struct sshd_iq *q, const char *album)
{
	size_t i;

	sshd_iq_poll(q);
	for (;;) {
		for (i = 0; i < q->njobs; i++)
			if (album == NULL || strcmp(q->jobs[i].album, album) == 0)
				break;
		if (i == q->njobs || sshd_iq_wait(q) == -1)
			return;
	}
}

size_t
sshd_iq_count(const struct sshd_iq *q)
{
	return q->njobs;
}

int64_t
sshd_iq_bytes(const struct sshd_iq *q)
{
	return q->bytes;
}

const struct sshd_iq_job *
sshd_iq_job(const struct sshd_iq *q, size_t i)
{
	return i < q->njobs ? &q->jobs[i] : NULL;
}

const struct sshd_iq_job *
sshd_iq_find(const struct sshd_iq *q, const char *album, const char *name)
{
	size_t i;

	for (i = 0; i < q->njobs; i++)
		if (strcmp(q->jobs[i].album, album) == 0 && strcmp(q->jobs[i].name, name) == 0)
			return &q->jobs[i];
	return NULL;
}

int
sshd_iq_taken(void *arg, const char *album, const char *name)
{
	return sshd_iq_find(arg, album, name) != NULL;
}

static int
send_job(struct sshd_iq *q, const struct iq_msg *m, int fd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct msghdr mh;
	struct cmsghdr *cm;
	struct iovec iov;
	ssize_t n;

	memset(&mh, 0, sizeof mh);
	memset(&ctl, 0, sizeof ctl);
	iov.iov_base = (void *)m;
	iov.iov_len = sizeof *m;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.buf;
	mh.msg_controllen = sizeof ctl.buf;
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	do
		n = sendmsg(q->fd, &mh, MSG_NOSIGNAL);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)sizeof *m ? 0 : -1;
}

int
sshd_iq_submit(struct sshd_iq *q, pgal **gp, int fd, const char *album, const char *name,
    int64_t bytes, char *err, size_t errsz)
{
	struct sshd_iq_job *j;
	struct iq_msg m;
	int tries;

	if (q->njobs >= SSHD_IQ_JOBS_MAX) {
		snprintf(err, errsz, "too many files waiting to be stored");
		close(fd);
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.id = ++q->next_id;
	m.bytes = bytes;
	snprintf(m.album, sizeof m.album, "%s", album);
	snprintf(m.name, sizeof m.name, "%s", name);
	/* a worker that died (a decoder crash) is replaced once */
	for (tries = 0; tries < 2; tries++) {
		if (q->fd == -1 && start(q, gp, err, errsz) == -1) {
			close(fd);
			return -1;
		}
		if (send_job(q, &m, fd) == 0)
			break;
		sshd_iq_poll(q);
		if (q->fd != -1) {
			/* alive but not taking jobs: end it */
			shutdown(q->fd, SHUT_RDWR);
			while (take(q, 1) == 1)
				;
		}
	}
	close(fd);
	if (tries == 2) {
		snprintf(err, errsz, "the server cannot take files right now");
		return -1;
	}
	j = &q->jobs[q->njobs++];
	j->id = m.id;
	snprintf(j->album, sizeof j->album, "%s", album);
	snprintf(j->name, sizeof j->name, "%s", name);
	j->bytes = bytes;
	j->queued_at = (int64_t)time(NULL);
	q->bytes += bytes;
	return 0;
}

int
sshd_iq_finish(struct sshd_iq *q)
{
	if (q->fd != -1) {
		/* the worker sees the end of the queue after the last job */
		shutdown(q->fd, SHUT_WR);
		while (take(q, 1) == 1)
			;
	}
	return q->failed;
}

void
sshd_iq_free(struct sshd_iq *q)
{
	if (q == NULL)
		return;
	sshd_iq_finish(q);
	explicit_bzero(q->token, sizeof q->token);
	free(q);
}
