/* Connections from a trusted load balancer, held by the listener until
 * their PROXY header is in: only then is the client known, and with it the
 * limits that apply and the address the logs name. Bounded: at most
 * SSHD_PROXY_WAITING_MAX of them, each for SSHD_PROXY_WAIT_MS, each read
 * never past the header's end (what follows is the client's SSH version
 * string, for the connection process). A connection whose header is in
 * is held a moment more, until the client's first byte: a balancer's
 * check sends a header and hangs up, and must cost no process and no log
 * line. Nothing here forks or blocks. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sshd.h"

struct waiting {
	int fd;
	struct sockaddr_storage from; /* the balancer */
	int64_t since_ms;
	size_t got;
	unsigned char *buf; /* SSHD_PROXY_HDR_MAX: what came of the header */
	int have_header;    /* taken; client is set */
	struct sockaddr_storage client;
};

static struct waiting waits[SSHD_PROXY_WAITING_MAX];
static size_t nwaits;

/* the listener's answer to a balancer's own check: an SSH server's first
 * line, which is what a check expecting "SSH-2.0" looks for */
static const char health_banner[] = "SSH-2.0-pgal\r\n";

int
sshd_wait_add(int fd, const struct sockaddr_storage *from, int64_t now_ms)
{
	struct waiting *w;

	if (nwaits == SSHD_PROXY_WAITING_MAX)
		return -1;
	w = &waits[nwaits];
	if ((w->buf = malloc(SSHD_PROXY_HDR_MAX)) == NULL)
		return -1;
	w->fd = fd;
	w->from = *from;
	w->since_ms = now_ms;
	w->got = 0;
	w->have_header = 0;
	nwaits++;
	return 0;
}

size_t
sshd_wait_count(void)
{
	return nwaits;
}

int
sshd_wait_fd(size_t i)
{
	return waits[i].fd;
}

/* Forgets the i-th (the last one takes its place); closes it unless kept. */
static void
drop(size_t i, int keep_fd)
{
	if (!keep_fd)
		close(waits[i].fd);
	free(waits[i].buf);
	waits[i] = waits[--nwaits];
}

/* After the header: the client's first byte makes it a client, the end
 * of the connection a check. */
static int
first_byte(size_t i, int *fd, struct sockaddr_storage *client)
{
	struct waiting *w = &waits[i];
	unsigned char b;
	ssize_t n;

	n = recv(w->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return SSHD_WAIT_MORE;
	if (n <= 0) {
		drop(i, 0);
		return SSHD_WAIT_GONE;
	}
	*client = w->client;
	*fd = w->fd;
	drop(i, 1);
	return SSHD_WAIT_CLIENT;
}

int
sshd_wait_step(size_t i, int *fd, struct sockaddr_storage *client,
    struct sockaddr_storage *from, pgal_err *e)
{
	struct waiting *w = &waits[i];
	struct sshd_proxy_hdr h;
	ssize_t n;
	size_t take;
	int rc;

	*from = w->from;
	pgal_err_clear(e);
	if (w->have_header)
		return first_byte(i, fd, client);
	/* look first, take only what belongs to the header */
	n = recv(w->fd, w->buf + w->got, SSHD_PROXY_HDR_MAX - w->got, MSG_PEEK | MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return SSHD_WAIT_MORE;
	if (n <= 0) {
		/* closed (or reset) before a whole header: a check that connects
		 * and goes costs no log line; half a header is worth one */
		rc = w->got == 0 ? SSHD_WAIT_GONE : SSHD_WAIT_BAD;
		if (rc == SSHD_WAIT_BAD)
			pgal_fail(e, PGAL_EINPUT, "connection closed inside its PROXY header");
		drop(i, 0);
		return rc;
	}
	rc = sshd_proxy_parse(w->buf, w->got + (size_t)n, &h);
	if (rc == SSHD_PROXY_BAD) {
		pgal_fail(e, PGAL_EINPUT, "no valid PROXY header from a trusted balancer");
		drop(i, 0);
		return SSHD_WAIT_BAD;
	}
	take = rc == SSHD_PROXY_MORE ? (size_t)n : h.len - w->got;
	do
		n = recv(w->fd, w->buf + w->got, take, MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)take) {
		pgal_fail(e, PGAL_EINPUT, "connection lost inside its PROXY header");
		drop(i, 0);
		return SSHD_WAIT_BAD;
	}
	w->got += take;
	if (rc == SSHD_PROXY_MORE)
		return SSHD_WAIT_MORE;
	if (h.local) {
		(void)send(w->fd, health_banner, sizeof health_banner - 1,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
		drop(i, 0);
		return SSHD_WAIT_LOCAL;
	}
	w->have_header = 1;
	w->client = h.unspec ? w->from : h.src;
	w->since_ms = -1; /* the wait for the first byte starts now */
	return first_byte(i, fd, client);
}

int
sshd_wait_expire(int64_t now_ms, void (*expired)(int fd, const struct sockaddr_storage *client,
    const struct sockaddr_storage *from, void *arg), void *arg)
{
	int64_t next = -1, due;
	size_t i;

	for (i = nwaits; i-- > 0;) {
		struct waiting *w = &waits[i];

		if (w->since_ms == -1) /* its header just came */
			w->since_ms = now_ms;
		due = w->since_ms + (w->have_header ? SSHD_PROXY_FIRST_BYTE_MS : SSHD_PROXY_WAIT_MS);
		if (now_ms >= due) {
			/* a client that waits for the server's line first */
			if (w->have_header)
				expired(w->fd, &w->client, &w->from, arg);
			else {
				expired(-1, NULL, &w->from, arg);
				close(w->fd);
			}
			drop(i, 1);
		} else if (next == -1 || due < next)
			next = due;
	}
	return next == -1 ? -1 : (int)(next - now_ms);
}

void
sshd_wait_close_fds(void)
{
	size_t i;

	for (i = 0; i < nwaits; i++)
		close(waits[i].fd);
}

void
sshd_wait_end(void)
{
	while (nwaits > 0)
		drop(nwaits - 1, 0);
}
