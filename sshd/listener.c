/* The listener: accepts, applies the connection limits and forks one
 * connection process per client. It holds no gallery, libvips or crypto
 * state of its own, so each child starts clean. SIGTERM stops accepting and
 * waits for running sessions (drain); SIGHUP reloads the config. A child
 * enforces its own login grace time; the listener ends one that overstays
 * it anyway, so a connection that never sends a byte cannot keep a slot.
 * Each child reports how far its client got (version string, key
 * exchange, a login attempt, logged in): under pressure one that has not
 * finished its key exchange in ssh_kex_grace_secs is ended, and when all
 * slots are taken a new connection takes the slot of the unauthenticated
 * one that made the least progress, so a flood of silent connections
 * cannot keep a real client out. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "sshd.h"

/* after the child's own grace time, the listener's backstop */
#define GRACE_SLACK_SECS 5
/* refusals logged per second at most; the rest are counted */
#define REFUSALS_LOGGED 10
/* a connection this young has had no time to show its progress yet */
#define ON_TIME_MS 1000

/* How far an unauthenticated client got, in order. */
enum stage { STAGE_TCP, STAGE_VERSION, STAGE_KEX, STAGE_AUTH };
static const char *const stage_names[] = {
	"no version string", "no key exchange", "no login attempt", "failed logins",
};

struct child {
	pid_t pid;
	int report_fd; /* -1 once closed */
	enum sshd_conn_state state;
	enum stage stage;
	int released;  /* its limits slot went to another connection */
	int killed;    /* by the grace backstop */
	int64_t ending_ms; /* told to end (SIGALRM) at, or 0 */
	int64_t started_ms;
	char addr[SSHD_ADDR_MAX]; /* the limits key */
	char peer[SSHD_ADDR_MAX]; /* the address, for logs */
};

static volatile sig_atomic_t got_term, got_hup, got_chld;
/* ssh_proxy_trusted of the config in force */
static struct sshd_cidrs trusted;
static int wake_pipe[2] = { -1, -1 };

static struct child *children;
static size_t nchildren, children_cap;
static int64_t pressure_until; /* ms; see grace_backstop */
static time_t refused_second;
static int refused_logged, refused_quiet;
static char refused_last[sizeof(((pgal_err *)0)->msg)];

static void
on_signal(int sig)
{
	int saved = errno;

	if (sig == SIGTERM || sig == SIGINT)
		got_term++;
	else if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
	if (wake_pipe[1] != -1)
		(void)write(wake_pipe[1], "x", 1);
	errno = saved;
}

static int
open_listener(const char *addr, int port)
{
	struct addrinfo hints, *res, *ai;
	char portstr[16];
	int fd = -1, one = 1, rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(portstr, sizeof portstr, "%d", port);
	if ((rc = getaddrinfo(addr, portstr, &hints, &res)) != 0) {
		sshd_log("listen address %s: %s", addr, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd == -1)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 512) == 0)
			break;
		sshd_log("cannot listen on %s port %d: %s", addr, port, strerror(errno));
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd != -1) {
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		sshd_log("listening on %s port %d", addr, port);
	}
	return fd;
}

static void
limits_from(const pgal_config *cfg, struct sshd_limits *l)
{
	l->max_startups = cfg->ssh_max_startups;
	l->startups_rate = cfg->ssh_max_startups_rate;
	l->startups_full = cfg->ssh_max_startups_full;
	l->per_addr = cfg->ssh_per_addr_max;
	l->max_sessions = cfg->ssh_max_sessions;
	l->max_guests = cfg->ssh_max_guests;
}

/* Says how many refusals went unlogged, once their second is over (or
 * at once with force). */
static void
refusals_flush(int force)
{
	time_t now = time(NULL);

	if (now == refused_second && !force)
		return;
	if (refused_quiet > 0)
		sshd_log("%d more connections refused (last: %s)", refused_quiet, refused_last);
	refused_second = now;
	refused_logged = refused_quiet = 0;
}

/* A flood of refused connections must not become a flood of log lines. */
static void
log_refused(const char *peer, const char *reason)
{
	refusals_flush(0);
	if (refused_logged++ < REFUSALS_LOGGED)
		sshd_log("refused connection from %s: %s", peer, reason);
	else {
		refused_quiet++;
		snprintf(refused_last, sizeof refused_last, "%s", reason);
	}
}

static int
apply_overrides(const struct sshd_opts *o, pgal_config *cfg)
{
	pgal_err e;

	if (o->port != NULL && pgal_config_set(cfg, "ssh_port", o->port, "-p", &e) != PGAL_OK) {
		fprintf(stderr, "pgal-sshd: %s\n", e.msg);
		return -1;
	}
	if (o->addr != NULL && pgal_config_set(cfg, "ssh_listen", o->addr, "-l", &e) != PGAL_OK) {
		fprintf(stderr, "pgal-sshd: %s\n", e.msg);
		return -1;
	}
	return 0;
}

static void
remove_child(size_t i)
{
	if (children[i].report_fd != -1)
		close(children[i].report_fd);
	if (!children[i].released)
		sshd_limits_gone(children[i].addr, children[i].state);
	children[i] = children[--nchildren];
}

static void
reap(void)
{
	pid_t pid;
	int status;
	size_t i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < nchildren; i++) {
			if (children[i].pid == pid) {
				if (WIFEXITED(status) && WEXITSTATUS(status) == SSHD_EXIT_GRACE &&
				    children[i].state == SSHD_CONN_UNAUTH && children[i].ending_ms == 0)
					sshd_log("login grace time over: connection from %s "
					    "closed unauthenticated after %llds", children[i].peer,
					    (long long)(pgal_now_ms() - children[i].started_ms) / 1000);
				else if (WIFSIGNALED(status) && !children[i].killed)
					sshd_log("connection process %ld from %s killed by signal %d",
					    (long)pid, children[i].peer, WTERMSIG(status));
				remove_child(i);
				break;
			}
		}
	}
}

/* Tells an unauthenticated child to end as if its grace time were over
 * (it ignores this once logged in); the backstop kills it if it does not. */
static void
end_unauth(struct child *c)
{
	kill(c->pid, SIGALRM);
	c->ending_ms = pgal_now_ms();
}

static void
read_report(struct child *c, const struct sshd_limits *l)
{
	pgal_err e;
	char buf[64];
	ssize_t n, i;

	n = read(c->report_fd, buf, sizeof buf);
	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			close(c->report_fd);
			c->report_fd = -1;
		}
		return;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] == 'V' && c->stage < STAGE_VERSION)
			c->stage = STAGE_VERSION;
		else if (buf[i] == 'K' && c->stage < STAGE_KEX)
			c->stage = STAGE_KEX;
		else if (buf[i] == 'F') {
			c->stage = STAGE_AUTH;
			sshd_limits_failed(c->addr);
		} else if (buf[i] == 'A' && c->state == SSHD_CONN_UNAUTH) {
			c->state = SSHD_CONN_USER;
			if (!c->released)
				sshd_limits_user(c->addr);
		} else if (buf[i] == 'G' && c->state == SSHD_CONN_UNAUTH) {
			c->state = SSHD_CONN_GUEST;
			pgal_err_clear(&e);
			if (!c->released && sshd_limits_guest(l, c->addr, &e) != PGAL_OK) {
				log_refused(c->peer, e.msg);
				kill(c->pid, SIGUSR1); /* it says why and ends */
			}
		}
	}
}

/* Ends unauthenticated children that outlived their grace time (the
 * child's own alarm should have done it), and under pressure those that
 * have not finished their key exchange in ssh_kex_grace_secs; returns
 * the ms until the next one is due, or -1 for none. Pressure lasts that
 * long after the count fell below start: ending the first silent
 * connections must not spare the next ones. */
static int
grace_backstop(const pgal_config *cfg, const struct sshd_limits *l)
{
	int64_t now = pgal_now_ms(), due, next = -1;
	int pressure;
	size_t i;

	if (sshd_limits_pressure(l))
		pressure_until = now + (int64_t)cfg->ssh_kex_grace_secs * 1000;
	pressure = now < pressure_until;

	for (i = 0; i < nchildren; i++) {
		struct child *c = &children[i];

		if (c->state != SSHD_CONN_UNAUTH || c->killed)
			continue;
		due = c->started_ms + (int64_t)cfg->ssh_login_grace_secs * 1000;
		if (c->ending_ms != 0 && c->ending_ms < due)
			due = c->ending_ms;
		due += GRACE_SLACK_SECS * 1000;
		if (now >= due) {
			sshd_log("login grace time over: ending connection from %s after %llds",
			    c->peer, (long long)(now - c->started_ms) / 1000);
			kill(c->pid, SIGKILL);
			c->killed = 1;
			continue;
		}
		if (next == -1 || due < next)
			next = due;
		if (!pressure || c->ending_ms != 0 || c->stage >= STAGE_KEX)
			continue;
		due = c->started_ms + (int64_t)cfg->ssh_kex_grace_secs * 1000;
		if (now >= due) {
			sshd_log("many unauthenticated connections: ending connection from %s "
			    "after %llds (%s)", c->peer, (long long)(now - c->started_ms) / 1000,
			    stage_names[c->stage]);
			end_unauth(c);
			due = c->ending_ms + GRACE_SLACK_SECS * 1000;
		}
		if (due < next)
			next = due;
	}
	if (next == -1)
		return -1;
	return next > now ? (int)(next - now) : 0;
}

/* How little a connection made of its time, for eviction: the lowest goes
 * first. A young one still has time, so it ranks between those that sent
 * their version string late and those that finished the key exchange. */
static int
progress_rank(const struct child *c, int64_t now)
{
	if (c->stage < STAGE_KEX && now - c->started_ms < ON_TIME_MS)
		return 2 * STAGE_VERSION + 1;
	return 2 * (int)c->stage;
}

/* 1 when a should be evicted before b: least progress, then from the
 * source holding the most unauthenticated connections, then the oldest. */
static int
evict_before(const struct child *a, const struct child *b, int64_t now)
{
	int ra = progress_rank(a, now), rb = progress_rank(b, now);
	int na, nb;

	if (ra != rb)
		return ra < rb;
	na = sshd_limits_unauth_of(a->addr);
	nb = sshd_limits_unauth_of(b->addr);
	if (na != nb)
		return na > nb;
	return a->started_ms < b->started_ms;
}

/* All slots are taken: the unauthenticated connection that made the least
 * progress gives its slot to the one from peer. 0 when there is none. */
static int
evict_least_progress(const char *peer)
{
	int64_t now = pgal_now_ms();
	struct child *v = NULL;
	size_t i;

	for (i = 0; i < nchildren; i++) {
		struct child *c = &children[i];

		if (c->state != SSHD_CONN_UNAUTH || c->released || c->killed || c->ending_ms != 0)
			continue;
		if (v == NULL || evict_before(c, v, now))
			v = c;
	}
	if (v == NULL)
		return 0;
	sshd_log("all slots taken: ending connection from %s after %llds (%s) for one from %s",
	    v->peer, (long long)(now - v->started_ms) / 1000, stage_names[v->stage], peer);
	end_unauth(v);
	sshd_limits_gone(v->addr, SSHD_CONN_UNAUTH);
	v->released = 1;
	return 1;
}

/* A connection from the client at ss: limits, then a connection process.
 * proxy_untrusted: PROXY headers are taken, but not from this address. */
static void
spawn(int lfd, int fd, const struct sockaddr_storage *ss, const pgal_config *cfg,
    const char *hostkey, int proxy_untrusted)
{
	struct sshd_limits l;
	struct conn_args a;
	pgal_err e;
	char addr[SSHD_ADDR_MAX], peer[SSHD_ADDR_MAX];
	int rp[2], penalty;
	pid_t pid;
	size_t i;

	sshd_log_addr(ss, peer, sizeof peer);
	sshd_limits_key(ss, addr, sizeof addr);
	limits_from(cfg, &l);
	pgal_err_clear(&e);
	if (sshd_limits_full(&l, addr))
		(void)evict_least_progress(peer);
	if (sshd_limits_admit(&l, addr, &penalty, &e) != PGAL_OK) {
		log_refused(peer, e.msg);
		close(fd);
		return;
	}
	if (PGAL_GROW(children, children_cap, nchildren + 1) == -1) {
		sshd_limits_gone(addr, SSHD_CONN_UNAUTH);
		close(fd);
		return;
	}
	if (pipe2(rp, O_CLOEXEC) == -1) {
		sshd_limits_gone(addr, SSHD_CONN_UNAUTH);
		close(fd);
		return;
	}
	if ((pid = fork()) == -1) {
		sshd_log("fork: %s", strerror(errno));
		sshd_limits_gone(addr, SSHD_CONN_UNAUTH);
		close(fd);
		close(rp[0]);
		close(rp[1]);
		return;
	}
	if (pid == 0) {
		/* the child must not hold the listener or other sessions' pipes */
		close(lfd);
		close(rp[0]);
		close(wake_pipe[0]);
		close(wake_pipe[1]);
		sshd_wait_close_fds();
		sshd_health_close_fds();
		for (i = 0; i < nchildren; i++)
			if (children[i].report_fd != -1)
				close(children[i].report_fd);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		memset(&a, 0, sizeof a);
		a.fd = fd;
		a.report_fd = rp[1];
		a.hostkey = hostkey;
		a.peer = peer;
		a.penalty_ms = penalty;
		a.proxy_untrusted = proxy_untrusted;
		a.cfg = cfg;
		conn_main(&a);
	}
	close(fd);
	close(rp[1]);
	fcntl(rp[0], F_SETFL, fcntl(rp[0], F_GETFL) | O_NONBLOCK);
	children[nchildren].pid = pid;
	children[nchildren].report_fd = rp[0];
	children[nchildren].state = SSHD_CONN_UNAUTH;
	children[nchildren].stage = STAGE_TCP;
	children[nchildren].released = 0;
	children[nchildren].killed = 0;
	children[nchildren].ending_ms = 0;
	children[nchildren].started_ms = pgal_now_ms();
	memcpy(children[nchildren].addr, addr, sizeof addr);
	memcpy(children[nchildren].peer, peer, sizeof peer);
	nchildren++;
}

/* ssh_proxy_trusted parsed into *out; -1 with e set when it is not a
 * list of blocks, or when the PROXY protocol is on without one. */
static int
proxy_settings(const pgal_config *cfg, struct sshd_cidrs *out, pgal_err *e)
{
	if (sshd_cidrs_parse(cfg->ssh_proxy_trusted, out, e) != PGAL_OK)
		return -1;
	if (cfg->ssh_proxy_protocol && out->n == 0) {
		pgal_fail(e, PGAL_EINPUT, "ssh_proxy_protocol = yes needs ssh_proxy_trusted "
		    "(the balancers' addresses)");
		return -1;
	}
	return 0;
}

struct spawn_ctx {
	int lfd;
	const pgal_config *cfg;
	const char *hostkey;
};

static void
proxy_expired(int fd, const struct sockaddr_storage *client, const struct sockaddr_storage *from,
    void *arg)
{
	const struct spawn_ctx *sc = arg;
	char peer[SSHD_ADDR_MAX];

	if (fd != -1) {
		spawn(sc->lfd, fd, client, sc->cfg, sc->hostkey, 0);
		return;
	}
	sshd_log_addr(from, peer, sizeof peer);
	log_refused(peer, "no PROXY header in time from a trusted balancer");
}

/* A new connection: straight to its process, or, from a balancer whose
 * PROXY header gives the client, held until the header is in. */
static void
accepted(int lfd, int fd, const struct sockaddr_storage *ss, const pgal_config *cfg,
    const char *hostkey)
{
	char peer[SSHD_ADDR_MAX];

	if (!cfg->ssh_proxy_protocol) {
		spawn(lfd, fd, ss, cfg, hostkey, 0);
		return;
	}
	if (!sshd_cidrs_match(&trusted, ss)) {
		spawn(lfd, fd, ss, cfg, hostkey, 1);
		return;
	}
	if (sshd_wait_add(fd, ss, pgal_now_ms()) == -1) {
		sshd_log_addr(ss, peer, sizeof peer);
		log_refused(peer, "too many connections waiting for their PROXY header");
		close(fd);
	}
}

/* The i-th connection held for its header sent something. */
static void
header_step(int lfd, size_t i, const pgal_config *cfg, const char *hostkey)
{
	struct sockaddr_storage client, from;
	char peer[SSHD_ADDR_MAX];
	pgal_err e;
	int fd;

	switch (sshd_wait_step(i, &fd, &client, &from, &e)) {
	case SSHD_WAIT_CLIENT:
		spawn(lfd, fd, &client, cfg, hostkey, 0);
		break;
	case SSHD_WAIT_BAD:
		sshd_log_addr(&from, peer, sizeof peer);
		log_refused(peer, e.msg);
		break;
	default: /* waiting still, or a balancer's check: no log line */
		break;
	}
}

/* SIGHUP: the key may have been replaced (a fleet's, in S3). New
 * connections get the new one; a key that cannot be read keeps the old. */
static void
reload_hostkey(const pgal_config *cfg, char **hostkey)
{
	char *pem;

	if (sshd_hostkey_load(cfg, &pem) == -1) {
		sshd_log("host key reload failed, keeping the old one");
		return;
	}
	if (strcmp(pem, *hostkey) != 0)
		sshd_log("host key reloaded: a new key");
	sshd_hostkey_free(*hostkey);
	*hostkey = pem;
}

int
sshd_listen_run(const struct sshd_opts *o, pgal_config *cfg)
{
	struct sigaction sa;
	struct sshd_limits l;
	struct pollfd *pfd = NULL;
	char *hostkey = NULL;
	int lfd, term_seen = 0, wait_ms;
	size_t i, npfd;

	struct spawn_ctx sc;
	pgal_err pe;
	size_t wbase, hbase;
	int next, health_ms;

	if (proxy_settings(cfg, &trusted, &pe) == -1) {
		sshd_log("%s", pe.msg);
		return 1;
	}
	if (sshd_hostkey_load(cfg, &hostkey) == -1)
		return 1;
	if ((lfd = open_listener(cfg->ssh_listen, cfg->ssh_port)) == -1)
		return 1;
	if (sshd_health_open(cfg, open_listener) == -1)
		return 1;
	if (pipe2(wake_pipe, O_CLOEXEC | O_NONBLOCK) == -1)
		return 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the first check starts now, before the first request */
	health_ms = sshd_health_step(NULL, 0, cfg);

	for (;;) {
		if (got_chld) {
			got_chld = 0;
			reap();
		}
		if (got_term > term_seen) {
			if (term_seen == 0) {
				sshd_log("stopping: no new connections, %zu session%s to "
				    "finish", nchildren, nchildren == 1 ? "" : "s");
				if (lfd != -1)
					close(lfd);
				lfd = -1;
				sshd_health_stopping();
			} else {
				/* asked again: end the sessions too */
				for (i = 0; i < nchildren; i++)
					kill(children[i].pid, SIGTERM);
			}
			term_seen = got_term;
		}
		if (lfd == -1 && nchildren == 0)
			break;
		if (got_hup) {
			struct sshd_cidrs nt;
			pgal_config n;
			pgal_err e;

			got_hup = 0;
			pgal_err_clear(&e);
			if (pgal_config_load(&n, o->config_path, &e) != PGAL_OK ||
			    apply_overrides(o, &n) == -1 || proxy_settings(&n, &nt, &e) == -1)
				sshd_log("reload failed, keeping the old config: %s", e.msg);
			else {
				int moved = strcmp(n.ssh_listen, cfg->ssh_listen) != 0 ||
				    n.ssh_port != cfg->ssh_port;

				*cfg = n;
				trusted = nt;
				/* a daemon has no stderr to go back to */
				if (!o->foreground)
					cfg->ssh_syslog = 1;
				sshd_log_init(cfg->ssh_syslog, cfg->ssh_syslog_socket);
				sshd_log("config reloaded");
				reload_hostkey(cfg, &hostkey);
				if (sshd_health_open(cfg, open_listener) == -1)
					sshd_log("no health checks on port %d", cfg->ssh_health_port);
				if (moved && lfd != -1) {
					int nfd = open_listener(cfg->ssh_listen, cfg->ssh_port);

					if (nfd != -1) {
						close(lfd);
						lfd = nfd;
					}
				}
			}
		}
		free(pfd);
		wbase = 2 + nchildren;
		hbase = wbase + sshd_wait_count();
		npfd = hbase + sshd_health_nfds();
		if ((pfd = calloc(npfd, sizeof *pfd)) == NULL) {
			sleep(1);
			continue;
		}
		pfd[0].fd = wake_pipe[0];
		pfd[0].events = POLLIN;
		pfd[1].fd = lfd;
		pfd[1].events = POLLIN;
		for (i = 0; i < nchildren; i++) {
			pfd[2 + i].fd = children[i].report_fd;
			pfd[2 + i].events = POLLIN;
		}
		for (i = 0; i < sshd_wait_count(); i++) {
			pfd[wbase + i].fd = sshd_wait_fd(i);
			pfd[wbase + i].events = POLLIN;
		}
		sshd_health_fds(pfd + hbase);
		refusals_flush(0);
		limits_from(cfg, &l);
		wait_ms = grace_backstop(cfg, &l);
		if (refused_quiet > 0 && (wait_ms == -1 || wait_ms > 1000))
			wait_ms = 1000;
		sc.lfd = lfd;
		sc.cfg = cfg;
		sc.hostkey = hostkey;
		next = sshd_wait_expire(pgal_now_ms(), proxy_expired, &sc);
		if (next != -1 && (wait_ms == -1 || next < wait_ms))
			wait_ms = next;
		if (health_ms != -1 && (wait_ms == -1 || health_ms < wait_ms))
			wait_ms = health_ms;
		if (poll(pfd, npfd, wait_ms) == -1) {
			if (errno != EINTR)
				sshd_log("poll: %s", strerror(errno));
			continue;
		}
		if (pfd[0].revents & POLLIN) {
			char buf[64];

			while (read(wake_pipe[0], buf, sizeof buf) > 0)
				;
		}
		/* children first: the table may not change under pfd */
		for (i = 0; i < nchildren; i++)
			if (children[i].report_fd != -1 && pfd[2 + i].revents)
				read_report(&children[i], &l);
		health_ms = sshd_health_step(pfd + hbase, npfd - hbase, cfg);
		/* from the last: the one that takes a finished one's place has
		 * had its turn */
		for (i = hbase - wbase; i-- > 0;)
			if (pfd[wbase + i].revents)
				header_step(lfd, i, cfg, hostkey);
		if (lfd != -1 && (pfd[1].revents & POLLIN)) {
			struct sockaddr_storage ss;
			socklen_t sl;
			int fd, k;

			/* a few at a time so a flood does not starve the rest */
			for (k = 0; k < 16; k++) {
				sl = sizeof ss;
				fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC);
				if (fd == -1)
					break;
				accepted(lfd, fd, &ss, cfg, hostkey);
			}
		}
	}
	free(pfd);
	free(children);
	sshd_hostkey_free(hostkey);
	sshd_wait_end();
	refusals_flush(1);
	sshd_log("stopped");
	return 0;
}

int
sshd_listen_overrides(const struct sshd_opts *o, pgal_config *cfg)
{
	return apply_overrides(o, cfg);
}
