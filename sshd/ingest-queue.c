/* The background ingest of one connection's uploads (or of one scp sink):
 * a file that passed the quick checks (pgal_ingest_check) is handed, as its
 * open spool file, to a worker process that runs the full ingest (decode,
 * renditions, blobs, row) one file after another while the client goes on
 * sending. The client waits for the network and the quick checks only; the
 * decoding runs on another core.
 *
 * A worker is forked on the first upload, and more (up to
 * ssh_ingest_workers, never more than the CPUs online) once files wait
 * while every worker is busy and the client has stopped sending (no new
 * upload for IQ_QUIET_MS, or the connection is ending): while it sends,
 * the transfer needs the other core (decoders compete for it, nice or
 * not, through caches and memory); after, the backlog is cleared on every
 * core. A single file costs one process. They are forked by a process that never
 * decodes an image itself (so the fork is safe), around a close and reopen
 * of the caller's gallery: SQLite handles must not cross a fork, and each
 * worker opens its own. Each job is one fixed-size message with the file
 * descriptor attached (SCM_RIGHTS over a SOCK_SEQPACKET pair); a worker
 * answers one result per job, in order, logs the outcome in one line, and
 * exits when its queue is closed and empty. It ignores SIGHUP and SIGTERM: an upload
 * the client was told is accepted is finished even when the client or this
 * process is gone.
 *
 * The worker runs niced (ssh_ingest_nice): transfers and interactive
 * sessions come first, ingest takes the CPU left over. This side keeps
 * every queued spool file open until its result is in and hands each
 * worker a few jobs at a time (so neither side can block the other on a
 * full socket). Each file has ssh_ingest_timeout_secs: the worker's alarm
 * ends it, and this side kills one that overruns (a stopped one included).
 * A worker that dies takes the file it was on with it (logged as not
 * stored; the blobs it wrote have no row and gc removes them); the others
 * and a new one take the rest. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "sshd.h"

/* One job on its way to the worker, or its result on the way back. */
struct iq_msg {
	uint32_t id;
	int32_t code; /* the result: PGAL_OK or a pgal_code */
	int64_t bytes;
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1]; /* the result: the name stored under */
	char msg[sizeof(((pgal_err *)0)->msg)]; /* the result: why not */
	int32_t replace; /* the job: pgal_put_opts replace */
	int64_t mtime;   /* the job: pgal_put_opts mtime */
};

/* A worker's notices, as a result's code: its current file waits for one
 * of the host's decoders, and its turn has come (bytes then holds when, in
 * pgal_now_ms() time, the same clock on both sides). The wait is not the
 * file's time. */
#define IQ_WAITING INT32_MIN
#define IQ_DECODING (INT32_MIN + 1)

/* Jobs handed to one worker at once: enough that it never waits for the
 * next, few enough that both socket directions always have room. */
#define IQ_INFLIGHT 2
/* After a file's time limit, the worker's own alarm has this long to end
 * it before this side kills it. */
#define IQ_KILL_GRACE_MS 2000
#define IQ_WORKERS_MAX 8
/* The client counts as done sending after this long without an upload. */
#define IQ_QUIET_MS 300

struct iq_job {
	struct sshd_iq_job pub;
	int fd;     /* the spool file, held until the result is in */
	int worker; /* the worker it was handed to; -1 while waiting */
};

struct iq_worker {
	pid_t pid;
	int fd;          /* to the worker; -1 when it does not run */
	size_t nsent;    /* jobs handed to it, results not yet in */
	int64_t head_ms; /* when it started on the first of them */
	int killed;      /* this side killed it: it overran */
	int waiting;     /* its file waits for a decoder: no time runs */
};

struct sshd_iq {
	const pgal_config *cfg;
	struct sshd_gallery *gal; /* the caller's: closed around a fork */
	char door[8];
	char user[64];
	char token[PGAL_TOKEN_HEX + 1];
	int64_t touched_ms; /* when the jobs' notes (pending.c) were last refreshed */
	struct iq_worker w[IQ_WORKERS_MAX];
	int nworkers; /* at most this many run */
	struct iq_job *jobs;
	size_t njobs, cap, max;
	int64_t bytes;
	uint32_t next_id;
	int64_t last_submit_ms;
	int closing; /* no more uploads come: every worker may start */
	int replace; /* uploads replace a photo of their name */
	int failed;
	sshd_iq_fail_fn on_fail;
	void *arg;
};

struct sshd_iq *
sshd_iq_new(struct sshd_gallery *sg, const char *door, const char *user, const char *token)
{
	const pgal_config *cfg = sg->cfg;
	struct sshd_iq *q = calloc(1, sizeof *q);
	struct rlimit rl;
	long ncpu;
	int i;

	if (q == NULL)
		return NULL;
	q->cfg = cfg;
	q->gal = sg;
	snprintf(q->door, sizeof q->door, "%s", door);
	snprintf(q->user, sizeof q->user, "%s", user);
	snprintf(q->token, sizeof q->token, "%s", token);
	for (i = 0; i < IQ_WORKERS_MAX; i++) {
		q->w[i].pid = -1;
		q->w[i].fd = -1;
	}
	/* more workers than cores only share them */
	q->nworkers = cfg->ssh_ingest_workers;
	if ((ncpu = sysconf(_SC_NPROCESSORS_ONLN)) > 0 && ncpu < q->nworkers)
		q->nworkers = (int)ncpu;
	if (q->nworkers < 1)
		q->nworkers = 1;
	if (q->nworkers > IQ_WORKERS_MAX)
		q->nworkers = IQ_WORKERS_MAX;
	/* each queued file is a descriptor here: half the limit at most */
	q->max = SSHD_IQ_JOBS_MAX;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 2 < q->max + 16)
		q->max = rl.rlim_cur / 2 > 32 ? rl.rlim_cur / 2 - 16 : 16;
	return q;
}

void
sshd_iq_on_fail(struct sshd_iq *q, sshd_iq_fail_fn fn, void *arg)
{
	q->on_fail = fn;
	q->arg = arg;
}

/* A job on the socket: the message and room for its one descriptor. */
struct iq_packet {
	struct msghdr mh;
	struct iovec iov;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} ctl;
};

static void
packet_init(struct iq_packet *p, struct iq_msg *m)
{
	memset(p, 0, sizeof *p);
	p->iov.iov_base = m;
	p->iov.iov_len = sizeof *m;
	p->mh.msg_iov = &p->iov;
	p->mh.msg_iovlen = 1;
	p->mh.msg_control = p->ctl.buf;
	p->mh.msg_controllen = sizeof p->ctl.buf;
}

/* ---- the worker ---- */

/* One job: 1 with *fd set, 0 at the end of the queue, -1 on a bad message
 * (its descriptor, if any, closed). */
static int
recv_job(int sock, struct iq_msg *m, int *fd)
{
	struct iq_packet pk;
	struct msghdr *mh = &pk.mh;
	struct cmsghdr *cm;
	ssize_t n;

	*fd = -1;
	packet_init(&pk, m);
	do
		n = recvmsg(sock, mh, MSG_CMSG_CLOEXEC);
	while (n == -1 && errno == EINTR);
	if (n <= 0)
		return 0;
	for (cm = CMSG_FIRSTHDR(mh); cm != NULL; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS &&
		    cm->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(fd, CMSG_DATA(cm), sizeof *fd);
	}
	if ((size_t)n != sizeof *m || (mh->msg_flags & (MSG_TRUNC | MSG_CTRUNC)) || *fd == -1) {
		if (*fd != -1)
			close(*fd);
		return -1;
	}
	m->album[sizeof m->album - 1] = '\0';
	m->name[sizeof m->name - 1] = '\0';
	return 1;
}

/* The file's time stops while it waits for a decoder and starts again
 * with the decode: here, and for the other side, which kills a worker
 * that overruns. */
struct turn {
	const struct sshd_iq *q;
	const struct iq_msg *job;
};

static void
decode_wait(void *arg, int waiting)
{
	const struct turn *t = arg;
	struct iq_msg n = *t->job;

	alarm(waiting ? 0 : (unsigned)t->q->cfg->ssh_ingest_timeout_secs);
	n.code = waiting ? IQ_WAITING : IQ_DECODING;
	n.bytes = pgal_now_ms();
	(void)send(SSHD_CHILD_EXTRA_FD, &n, sizeof n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void
ingest_one(struct sshd_iq *q, pgal *g, const pgal_err *open_err, struct iq_msg *m, int fd)
{
	char path[64];
	pgal_put_opts opts;
	struct turn t = { q, m };
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
		opts.replace = m->replace != 0;
		opts.mtime = m->mtime;
		opts.decode_wait = decode_wait;
		opts.decode_wait_arg = &t;
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

/* The queue is on SSHD_CHILD_EXTRA_FD, the log on 2 (for the libraries'
 * own messages too). */
static void __attribute__((noreturn))
worker(struct sshd_iq *q)
{
	const int sock = SSHD_CHILD_EXTRA_FD;
	struct iq_msg m;
	pgal_err oe;
	pgal *g;
	int fd, rc, prio;

	/* before libvips starts its threads, which inherit it */
	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	if (errno == 0 && prio < q->cfg->ssh_ingest_nice)
		(void)setpriority(PRIO_PROCESS, 0, q->cfg->ssh_ingest_nice);
	pgal_err_clear(&oe);
	if ((g = sshd_gallery_get(q->gal, &oe)) == NULL)
		sshd_log("%s: ingest: %s", q->door, oe.msg);
	while ((rc = recv_job(sock, &m, &fd)) != 0) {
		if (rc == -1)
			continue;
		/* a decoder that hangs ends this process (SIGALRM's default) */
		alarm((unsigned)q->cfg->ssh_ingest_timeout_secs);
		ingest_one(q, g, &oe, &m, fd);
		alarm(0);
		close(fd);
		/* this process may be gone: the result is then for nobody */
		(void)send(sock, &m, sizeof m, MSG_NOSIGNAL);
	}
	sshd_gallery_close(q->gal);
	explicit_bzero(q->token, sizeof q->token);
	_exit(0);
}

/* ---- this side ---- */

static int
start(struct sshd_iq *q, struct iq_worker *w)
{
	/* an upload the client was told is accepted is finished even when
	 * the client or this process is gone */
	struct sshd_child_fds fds = { .in = -1, .out = -1, .detached = 1 };
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	fds.err = sshd_log_fd();
	fds.extra = sv[1];
	/* the caller's gallery is opened again when it next needs it */
	if ((pid = sshd_child_fork(q->gal, &fds)) == 0)
		worker(q);
	close(sv[1]);
	if (pid == -1) {
		close(sv[0]);
		return -1;
	}
	w->pid = pid;
	w->fd = sv[0];
	w->nsent = 0;
	w->killed = 0;
	w->waiting = 0;
	return 0;
}

static int
running(const struct sshd_iq *q)
{
	int i, n = 0;

	for (i = 0; i < q->nworkers; i++)
		n += q->w[i].fd != -1;
	return n;
}

static void
job_done(struct sshd_iq *q, size_t i, int code, const char *msg)
{
	struct iq_job j = q->jobs[i];

	memmove(&q->jobs[i], &q->jobs[i + 1], (q->njobs - i - 1) * sizeof q->jobs[0]);
	q->njobs--;
	q->bytes -= j.pub.bytes;
	if (j.worker != -1) {
		q->w[j.worker].nsent--;
		q->w[j.worker].waiting = 0;
		/* the worker goes on with the next one it was sent (its
		 * results come in order): its time starts now at the latest */
		q->w[j.worker].head_ms = pgal_now_ms();
	}
	if (j.fd != -1)
		close(j.fd);
	/* the name may be queued again behind it (a replacement) */
	if (sshd_iq_find(q, j.pub.album, j.pub.name) == NULL)
		sshd_pending_forget(q->gal, q->token, j.pub.album, j.pub.name);
	if (code != PGAL_OK) {
		q->failed++;
		if (q->on_fail != NULL)
			q->on_fail(q->arg, &j.pub, msg);
	}
}

/* Worker wi is gone (or was ended): the file it was on is lost, logged
 * here as the worker could not; the other files sent to it wait for the
 * next worker. Its process is reaped. */
static void
worker_gone(struct sshd_iq *q, int wi)
{
	struct iq_worker *w = &q->w[wi];
	char msg[128];
	size_t i, head = q->njobs;
	int status, overran;

	/* the connection's own SIGCHLD handler may have reaped it already:
	 * then only the time tells whether its alarm ended it */
	status = 0;
	while (w->pid > 0 && waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	w->pid = -1;
	overran = w->killed || (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) ||
	    (w->nsent > 0 && !w->waiting &&
	     pgal_now_ms() - w->head_ms >= (int64_t)q->cfg->ssh_ingest_timeout_secs * 1000);
	/* jobs go out in queue order and come back in order: the first of
	 * its jobs in the queue is the one it was on */
	for (i = 0; i < q->njobs; i++) {
		if (q->jobs[i].worker == wi) {
			head = i;
			break;
		}
	}
	if (head < q->njobs) {
		if (overran)
			snprintf(msg, sizeof msg, "processing took longer than %d s",
			    q->cfg->ssh_ingest_timeout_secs);
		else
			snprintf(msg, sizeof msg, "the ingest process ended");
		sshd_log("%s: user %s: %s/%s accepted but not stored: %s", q->door, q->user,
		    q->jobs[head].pub.album, q->jobs[head].pub.name, msg);
		job_done(q, head, PGAL_EBACKEND, overran ? msg :
		    "the server stopped before storing it");
	}
	for (i = 0; i < q->njobs; i++)
		if (q->jobs[i].worker == wi)
			q->jobs[i].worker = -1;
	w->nsent = 0;
	w->waiting = 0;
	if (w->fd != -1)
		close(w->fd);
	w->fd = -1;
}

/* Worker wi has overrun its time on a file: end it. Only called while its
 * end of the socket is open, so it was not reaped: the pid is its. */
static void
worker_kill(struct sshd_iq *q, int wi)
{
	if (q->w[wi].pid > 0)
		kill(q->w[wi].pid, SIGKILL);
	q->w[wi].killed = 1;
	worker_gone(q, wi);
}

static int
send_job(int sock, struct iq_msg *m, int fd)
{
	struct iq_packet pk;
	struct cmsghdr *cm;
	ssize_t n;

	packet_init(&pk, m);
	cm = CMSG_FIRSTHDR(&pk.mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	/* never blocks: at most IQ_INFLIGHT jobs are in the socket */
	do
		n = sendmsg(sock, &pk.mh, MSG_NOSIGNAL | MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	return n == (ssize_t)sizeof *m ? 0 : -1;
}

/* The worker for the next job: an idle one, else a new one while fewer
 * than nworkers run, else the least busy with room. -1 when none can take
 * it now. */
static int
pick(struct sshd_iq *q, int *starts)
{
	int i, best = -1, slot = -1;

	for (i = 0; i < q->nworkers; i++) {
		if (q->w[i].fd == -1) {
			if (slot == -1)
				slot = i;
			continue;
		}
		if (best == -1 || q->w[i].nsent < q->w[best].nsent)
			best = i;
	}
	if (best != -1 && q->w[best].nsent == 0)
		return best;
	/* a start that failed twice in one go is not tried again now; more
	 * than one worker only once the client is done sending */
	if (slot != -1 && *starts < 2 &&
	    (best == -1 || q->closing || pgal_now_ms() - q->last_submit_ms >= IQ_QUIET_MS)) {
		if (start(q, &q->w[slot]) == 0)
			return slot;
		(*starts)++;
	}
	if (best != -1 && q->w[best].nsent < IQ_INFLIGHT)
		return best;
	return -1;
}

/* Hands the workers (started as needed) the next jobs. -1 when no worker
 * runs or can be started: the jobs not sent are then refused. */
static int
feed(struct sshd_iq *q)
{
	struct iq_msg m;
	size_t i;
	int wi, starts = 0;

	for (i = 0; i < q->njobs; i++) {
		if (q->jobs[i].worker != -1)
			continue;
		if ((wi = pick(q, &starts)) == -1)
			break;
		memset(&m, 0, sizeof m);
		m.id = q->jobs[i].pub.id;
		m.bytes = q->jobs[i].pub.bytes;
		m.replace = q->replace;
		m.mtime = q->jobs[i].pub.mtime;
		snprintf(m.album, sizeof m.album, "%s", q->jobs[i].pub.album);
		snprintf(m.name, sizeof m.name, "%s", q->jobs[i].pub.name);
		if (send_job(q->w[wi].fd, &m, q->jobs[i].fd) == -1) {
			/* not taking jobs: a dead worker, or a broken one */
			if (q->w[wi].pid > 0)
				kill(q->w[wi].pid, SIGKILL);
			worker_gone(q, wi);
			i = (size_t)-1; /* from the start: its jobs are again to send */
			continue;
		}
		if (q->w[wi].nsent++ == 0)
			q->w[wi].head_ms = pgal_now_ms();
		q->jobs[i].worker = wi;
	}
	if (running(q) > 0)
		return 0;
	for (i = 0; i < q->njobs; i++) {
		sshd_log("%s: user %s: %s/%s accepted but not stored: no ingest process", q->door,
		    q->user, q->jobs[i].pub.album, q->jobs[i].pub.name);
		job_done(q, i--, PGAL_EBACKEND, "the server cannot store files right now");
	}
	return -1;
}

/* Reads one result from worker wi: 1 when a job finished (stored, refused
 * or lost with the worker), 0 when nothing was there. */
static int
take_from(struct sshd_iq *q, int wi)
{
	struct iq_msg m;
	ssize_t n;
	size_t i;

	do
		n = recv(q->w[wi].fd, &m, sizeof m, MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n != (ssize_t)sizeof m) {
		/* the end of the worker, or it speaks nonsense */
		if (n > 0 && q->w[wi].pid > 0)
			kill(q->w[wi].pid, SIGKILL);
		worker_gone(q, wi);
		return 1;
	}
	m.msg[sizeof m.msg - 1] = '\0';
	if (m.code == IQ_WAITING || m.code == IQ_DECODING) {
		/* its time on the file stops, or starts again: from when the
		 * worker said so, however late this side reads it */
		q->w[wi].waiting = m.code == IQ_WAITING;
		q->w[wi].head_ms = m.bytes > 0 && m.bytes <= pgal_now_ms() ? m.bytes : pgal_now_ms();
		return 0;
	}
	for (i = 0; i < q->njobs; i++) {
		if (q->jobs[i].pub.id == m.id && q->jobs[i].worker == wi) {
			job_done(q, i, m.code, m.msg);
			return 1;
		}
	}
	return 0;
}

/* The jobs' notes live ssh_upload_marker_secs: refreshed three times
 * within it, so one late refresh does not let them lapse. */
static int64_t
touch_every_ms(const struct sshd_iq *q)
{
	return (int64_t)q->cfg->ssh_upload_marker_secs * 1000 / 3;
}

static void
touch_notes(struct sshd_iq *q)
{
	if (pgal_now_ms() - q->touched_ms < touch_every_ms(q))
		return;
	q->touched_ms = pgal_now_ms();
	sshd_pending_touch(q->gal, q->token);
}

/* Takes results in: 1 when at least one job finished, 0 none yet (only
 * when not blocking), -1 when no job is with a worker. Blocking waits at
 * most until the first worker's time on its current job is up. */
static int
take(struct sshd_iq *q, int block)
{
	struct pollfd pfd[IQ_WORKERS_MAX];
	int idx[IQ_WORKERS_MAX];
	int64_t left, l;
	int i, n, rc, done, over;

	for (;;) {
		if (q->njobs > 0) {
			feed(q);
			touch_notes(q);
		}
		n = 0;
		left = touch_every_ms(q);
		over = -1;
		for (i = 0; i < q->nworkers; i++) {
			if (q->w[i].fd == -1 || q->w[i].nsent == 0)
				continue;
			l = q->w[i].waiting ? INT64_MAX :
			    q->w[i].head_ms + (int64_t)q->cfg->ssh_ingest_timeout_secs * 1000 +
			    IQ_KILL_GRACE_MS - pgal_now_ms();
			if (l <= 0 && over == -1)
				over = i;
			if (l < left)
				left = l;
			pfd[n].fd = q->w[i].fd;
			pfd[n].events = POLLIN;
			pfd[n].revents = 0;
			idx[n++] = i;
		}
		if (n == 0)
			return -1;
		if (left < 0)
			left = 0;
		rc = poll(pfd, (nfds_t)n, block ? (int)(left > 60000 ? 60000 : left) : 0);
		if (rc == -1 && errno == EINTR)
			continue;
		done = 0;
		for (i = 0; rc > 0 && i < n; i++) {
			if (pfd[i].revents != 0 && q->w[idx[i]].fd != -1)
				done |= take_from(q, idx[i]);
		}
		if (!done && rc == 0 && over != -1) {
			worker_kill(q, over);
			done = 1;
		}
		if (done) {
			feed(q);
			return 1;
		}
		if (!block)
			return 0;
	}
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
			if (album == NULL || strcmp(q->jobs[i].pub.album, album) == 0)
				break;
		if (i == q->njobs || sshd_iq_wait(q) == -1)
			return;
	}
}

void
sshd_iq_replace(struct sshd_iq *q, int replace)
{
	q->replace = replace;
}

size_t
sshd_iq_count(const struct sshd_iq *q)
{
	return q->njobs;
}

int
sshd_iq_full(const struct sshd_iq *q)
{
	return q->njobs >= q->max;
}

int64_t
sshd_iq_bytes(const struct sshd_iq *q)
{
	return q->bytes;
}

const struct sshd_iq_job *
sshd_iq_job(const struct sshd_iq *q, size_t i)
{
	return i < q->njobs ? &q->jobs[i].pub : NULL;
}

const struct sshd_iq_job *
sshd_iq_find(const struct sshd_iq *q, const char *album, const char *name)
{
	size_t i;

	for (i = 0; i < q->njobs; i++)
		if (strcmp(q->jobs[i].pub.album, album) == 0 &&
		    strcmp(q->jobs[i].pub.name, name) == 0)
			return &q->jobs[i].pub;
	return NULL;
}

int
sshd_iq_taken(void *arg, const char *album, const char *name)
{
	return sshd_iq_find(arg, album, name) != NULL;
}

int
sshd_iq_submit(struct sshd_iq *q, int fd, const char *album, const char *name,
    int64_t bytes, int64_t mtime, const char *sha256, pgal_err *e)
{
	struct iq_job *j;

	if (q->njobs >= q->max) {
		close(fd);
		return pgal_fail(e, PGAL_EBACKEND, "too many files waiting to be stored");
	}
	if (PGAL_GROW(q->jobs, q->cap, q->njobs + 1) == -1) {
		close(fd);
		return pgal_fail(e, PGAL_EBACKEND, "the server cannot take files right now");
	}
	/* no worker, no promise: the file is refused now, not later */
	if (running(q) == 0 && start(q, &q->w[0]) == -1) {
		close(fd);
		return pgal_fail(e, PGAL_EBACKEND, "the server cannot take files right now");
	}
	j = &q->jobs[q->njobs++];
	memset(j, 0, sizeof *j);
	j->pub.id = ++q->next_id;
	snprintf(j->pub.album, sizeof j->pub.album, "%s", album);
	snprintf(j->pub.name, sizeof j->pub.name, "%s", name);
	j->pub.bytes = bytes;
	j->pub.queued_at = (int64_t)time(NULL);
	j->pub.mtime = mtime;
	snprintf(j->pub.sha256, sizeof j->pub.sha256, "%s", sha256 != NULL ? sha256 : "");
	j->fd = fd;
	j->worker = -1;
	q->bytes += bytes;
	q->last_submit_ms = pgal_now_ms();
	/* the user's commands on every host wait for it, and the user's other
	 * connections find it (best effort) */
	if (q->njobs == 1)
		q->touched_ms = pgal_now_ms();
	sshd_pending_note(q->gal, q->token, album, name, bytes, j->pub.queued_at, mtime,
	    j->pub.sha256);
	/* a worker lost from here on loses files accepted: reported as such */
	feed(q);
	return PGAL_OK;
}

int
sshd_iq_finish(struct sshd_iq *q)
{
	struct pollfd pfd;
	int64_t deadline;
	char c;
	int i, left;

	q->closing = 1;
	while (q->njobs > 0 && take(q, 1) == 1)
		;
	/* each worker sees the end of its queue and exits */
	for (i = 0; i < q->nworkers; i++)
		if (q->w[i].fd != -1)
			shutdown(q->w[i].fd, SHUT_WR);
	deadline = pgal_now_ms() + 10000;
	for (i = 0; i < q->nworkers; i++) {
		if (q->w[i].fd == -1)
			continue;
		pfd.fd = q->w[i].fd;
		pfd.events = POLLIN;
		left = (int)(deadline - pgal_now_ms());
		if (poll(&pfd, 1, left > 0 ? left : 0) != 1 ||
		    recv(q->w[i].fd, &c, 1, MSG_DONTWAIT) != 0) {
			if (q->w[i].pid > 0)
				kill(q->w[i].pid, SIGKILL);
		}
		worker_gone(q, i);
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
	free(q->jobs);
	free(q);
}
