/* Health checks for a load balancer (ssh_health_port), answered by the
 * listener itself: no fork per request, no log line. GET /health says
 * "200 ok", or "503" and why when the store or the blobs cannot be
 * reached. Requests are answered from the last check's result; a check is
 * a probe (probe.c: a short-lived child) that opens the gallery (the
 * store and the blobs, with their own timeouts, under an alarm), started
 * when the result is older than HEALTH_FRESH_MS. A child rather than a
 * thread: opening the backends sets up libcurl, OpenSSL and the database
 * clients, which the listener must never hold (its children fork from
 * it); and a check that hangs is killed, never waited for. Requests are
 * bounded: at most HEALTH_CLIENTS at once, HEALTH_REQUEST_MAX bytes,
 * HEALTH_REQUEST_MS.
 * While the server drains its sessions after SIGTERM it answers 503, so
 * the balancer sends new clients to the other hosts. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sshd.h"

#define HEALTH_FRESH_MS 3000   /* a result this young is given as it is */
#define HEALTH_CHECK_SECS 5    /* a check that takes longer failed */
#define HEALTH_CLIENTS 32
#define HEALTH_REQUEST_MAX 1024
#define HEALTH_REQUEST_MS 2000

struct hclient {
	int fd;
	int64_t since_ms;
	size_t got;
	char req[HEALTH_REQUEST_MAX + 1];
};

static int hlfd = -1, hport;
static struct hclient clients[HEALTH_CLIENTS];
static size_t nclients;
/* the check: a probe while one runs (checking), then the result */
static struct sshd_probe check;
static int checking;
static int64_t checked_ms = -1;
static int healthy;
static int stopping; /* SIGTERM came: new connections go elsewhere */
static char reason[sizeof "store or blobs unreachable: " + sizeof ((pgal_err *)0)->msg] =
    "not checked yet";

int
sshd_health_open(const pgal_config *cfg, int (*open_listener)(const char *, int))
{
	if (cfg->ssh_health_port == hport && (hlfd != -1 || hport == 0))
		return 0;
	if (hlfd != -1)
		close(hlfd);
	hlfd = -1;
	if (checking) {
		/* its pipe is polled only while the port is open */
		pgal_err ig;

		sshd_probe_end(&check, 0, NULL, &ig);
		checking = 0;
	}
	hport = cfg->ssh_health_port;
	if (hport == 0)
		return 0;
	if ((hlfd = open_listener(cfg->ssh_listen, hport)) == -1) {
		hport = 0;
		return -1;
	}
	return 0;
}

static void
check_start(const pgal_config *cfg)
{
	pgal_err e;

	pgal_err_clear(&e);
	checking = sshd_probe_start(&check, "the check", sshd_gallery_probe, cfg,
	    HEALTH_CHECK_SECS, NULL, 0, &e) == PGAL_OK;
}

static void
check_end(void)
{
	pgal_err e;

	pgal_err_clear(&e);
	/* the listener's reap() collects the child */
	healthy = sshd_probe_end(&check, 0, NULL, &e) == PGAL_OK;
	checking = 0;
	if (!healthy)
		snprintf(reason, sizeof reason, "store or blobs unreachable: %s", e.msg);
	checked_ms = pgal_now_ms();
}

static void
respond(struct hclient *c, int code, const char *body)
{
	static const char *const texts[] = { [0] = "OK", [1] = "Bad Request",
		[2] = "Not Found", [3] = "Service Unavailable" };
	char out[sizeof reason + 128]; /* the head and the longest body */
	int t = code == 200 ? 0 : code == 400 ? 1 : code == 404 ? 2 : 3, n;

	n = snprintf(out, sizeof out, "HTTP/1.0 %d %s\r\nContent-Type: text/plain\r\n"
	    "Content-Length: %zu\r\nConnection: close\r\n\r\n%s\n", code, texts[t],
	    strlen(body) + 1, body);
	if (n > 0)
		(void)send(c->fd, out, (size_t)n < sizeof out ? (size_t)n : sizeof out - 1,
		    MSG_DONTWAIT | MSG_NOSIGNAL);
}

static void
client_drop(size_t i)
{
	close(clients[i].fd);
	clients[i] = clients[--nclients];
}

/* A whole request head is in: answer it. */
static void
answer(struct hclient *c)
{
	char method[8], path[64], version[16];

	if (sscanf(c->req, "%7s %63s %15s", method, path, version) != 3 ||
	    strncmp(version, "HTTP/1.", 7) != 0) {
		respond(c, 400, "bad request");
		return;
	}
	if (strcmp(method, "GET") != 0) {
		respond(c, 400, "only GET");
		return;
	}
	if (strcmp(path, "/health") != 0) {
		respond(c, 404, "not found");
		return;
	}
	if (stopping)
		respond(c, 503, "stopping: finishing the sessions it has");
	else if (healthy)
		respond(c, 200, "ok");
	else
		respond(c, 503, reason);
}

static void
client_read(size_t i)
{
	struct hclient *c = &clients[i];
	ssize_t n = recv(c->fd, c->req + c->got, HEALTH_REQUEST_MAX - c->got, MSG_DONTWAIT);

	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		client_drop(i);
		return;
	}
	c->got += (size_t)n;
	c->req[c->got] = '\0';
	if (memchr(c->req, '\0', c->got) != NULL)
		respond(c, 400, "bad request");
	else if (strstr(c->req, "\r\n\r\n") != NULL || strstr(c->req, "\n\n") != NULL)
		answer(c);
	else if (c->got == HEALTH_REQUEST_MAX) {
		char skip[4096];
		int k;

		/* what is left unread would turn the close into a reset,
		 * and the client would not see the answer */
		for (k = 0; k < 16 && recv(c->fd, skip, sizeof skip, MSG_DONTWAIT) > 0; k++)
			;
		respond(c, 400, "request too long");
	} else
		return;
	client_drop(i);
}

static void
accept_clients(void)
{
	int fd, k;

	for (k = 0; k < 16; k++) {
		if ((fd = accept4(hlfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1)
			return;
		if (nclients == HEALTH_CLIENTS) {
			close(fd);
			continue;
		}
		clients[nclients].fd = fd;
		clients[nclients].since_ms = pgal_now_ms();
		clients[nclients].got = 0;
		nclients++;
	}
}

size_t
sshd_health_fds(struct pollfd *p)
{
	size_t n = 0, i;

	if (hlfd == -1)
		return 0;
	p[n].fd = hlfd;
	p[n++].events = POLLIN;
	p[n].fd = checking ? check.fd : -1; /* poll skips -1 */
	p[n++].events = POLLIN;
	for (i = 0; i < nclients; i++) {
		p[n].fd = clients[i].fd;
		p[n++].events = POLLIN;
	}
	return n;
}

size_t
sshd_health_nfds(void)
{
	return hlfd == -1 ? 0 : 2 + nclients;
}

int
sshd_health_step(const struct pollfd *p, size_t n, const pgal_config *cfg)
{
	int64_t now = pgal_now_ms(), next = -1, due;
	size_t i;

	if (hlfd == -1)
		return -1;
	if (n >= 2 && checking && p[1].fd == check.fd && p[1].revents && sshd_probe_read(&check))
		check_end();
	/* from the last: a dropped one's place goes to one already seen */
	for (i = n > 2 ? n - 2 : 0; i-- > 0;)
		if (i < nclients && p[2 + i].fd == clients[i].fd && p[2 + i].revents)
			client_read(i);
	if (n >= 1 && (p[0].revents & POLLIN))
		accept_clients();
	if (checking && now >= sshd_probe_due_ms(&check))
		check_end();
	/* a balancer asks every few seconds: keep the answer fresh while asked */
	if (!checking && (checked_ms == -1 || now - checked_ms >= HEALTH_FRESH_MS) &&
	    (nclients > 0 || checked_ms == -1))
		check_start(cfg);
	if (checked_ms != -1 && now - checked_ms >= 3 * HEALTH_FRESH_MS && checking) {
		healthy = 0;
		snprintf(reason, sizeof reason, "store or blobs unreachable: no answer in %d s",
		    HEALTH_CHECK_SECS);
	}
	for (i = nclients; i-- > 0;) {
		due = clients[i].since_ms + HEALTH_REQUEST_MS;
		if (now >= due)
			client_drop(i);
		else if (next == -1 || due < next)
			next = due;
	}
	if (checking) {
		due = sshd_probe_due_ms(&check);
		if (next == -1 || due < next)
			next = due;
	}
	return next == -1 ? -1 : (int)(next > now ? next - now : 0);
}

void
sshd_health_stopping(void)
{
	stopping = 1;
}

void
sshd_health_close_fds(void)
{
	size_t i;

	if (hlfd != -1)
		close(hlfd);
	if (checking)
		close(check.fd);
	for (i = 0; i < nclients; i++)
		close(clients[i].fd);
}
