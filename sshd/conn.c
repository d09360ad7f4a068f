/* The connection process: key exchange, authentication and channels for one
 * client, in an ssh_event loop that also polls the children's descriptors.
 * libssh callbacks only check and record requests; the loop starts the
 * work, so nothing is written to the channel from inside a request.
 *   conn.c        the process and its loop
 *   conn-auth.c   authentication
 *   chan*.c       its session channels (chan.h) */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conn.h"

#define CONN_DRAIN_SECS 600 /* the most an exit waits for children storing uploads */
/* The most one write to the client waits for it to take data (libssh
 * waits forever by default). Writes are made only while the client's
 * window has room and nothing is still buffered, so this is reached only
 * by a client that stopped reading; what is left is sent by the event
 * loop, and the idle timeout ends such a connection. */
#define CONN_WRITE_WAIT_SECS 10
/* how long a connection from an address that must not send a PROXY
 * header is watched for one before the server speaks */
#define PROXY_LOOK_MS 500

static volatile sig_atomic_t got_chld;
static volatile sig_atomic_t got_term;
static const struct conn *the_conn; /* for on_alarm */
/* The handler's wake-up for the event loop: a SIGCHLD that comes between
 * the check of got_chld and the poll would otherwise wait out the poll's
 * timeout, with the command's output sent and its exit status held back. */
static int chld_wake[2] = { -1, -1 };

static void
on_chld(int sig)
{
	int saved = errno;

	got_chld = 1;
	if (chld_wake[1] != -1)
		(void)write(chld_wake[1], "", 1);
	errno = saved;
}

/* The event loop woke for a SIGCHLD: the loop reaps after the poll. */
static int
cb_chld_wake(socket_t fd, int revents, void *ud)
{
	char buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
	return 0;
}

static void
on_term(int sig)
{
	got_term = 1;
}

/* The login grace time covers everything before authentication, from the
 * first byte of the banner on (a client that sends nothing included); the
 * listener logs it from the exit status. The listener also sends SIGALRM
 * to end a connection early; once logged in it no longer applies. */
static void
on_alarm(int sig)
{
	if (the_conn != NULL && the_conn->authed)
		return;
	_exit(SSHD_EXIT_GRACE);
}

/* Tells the listener how far the client got (sshd.h, conn_args). */
static void
tell_listener(const struct conn *c, char what)
{
	if (c->a->report_fd != -1)
		(void)write(c->a->report_fd, &what, 1);
}

/* libssh's progress of the key exchange: 0.4 once the client's version
 * string is in. */
static void
on_kex_progress(void *ud, float status)
{
	struct conn *c = ud;

	if (status >= 0.4f && !c->version_seen) {
		c->version_seen = 1;
		tell_listener(c, 'V');
	}
}

/* A guest is there for the TUI: a guest connection without a channel for
 * ssh_guest_open_secs (after login or after its last channel closed) ends,
 * and so does one idle for ssh_guest_idle_secs rather than ssh_idle_secs. */
static int
guest_overstayed(struct conn *c, time_t now)
{
	int i;

	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c->chans[i].ch != NULL) {
			c->guest_bare_since = 0;
			return 0;
		}
	if (c->guest_bare_since == 0)
		c->guest_bare_since = now;
	return now - c->guest_bare_since >= c->cfg->ssh_guest_open_secs;
}

/* The listener's "no room for this guest" is SIGUSR1, kept blocked and
 * taken between two turns of the loop: libssh is never interrupted. */
static int
no_room_told(void)
{
	sigset_t pending;

	return sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1);
}

/* Ends a guest's connection saying why. libssh writes a disconnect
 * message at once only if it saw the socket writable since its last write
 * (else it queues it and closes the socket): one turn of the event loop
 * first lets it see that. */
static void
no_room_disconnect(struct conn *c)
{
	ssh_session_set_disconnect_message(c->s, "too many guests right now; try again later");
	(void)ssh_event_dopoll(c->ev, 100);
}

static void
reap(struct conn *c)
{
	pid_t pid;
	int status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < CONN_MAX_CHANNELS; i++) {
			struct chan *k = &c->chans[i];

			if (k->pid == pid) {
				k->exited = 1;
				k->status = WIFEXITED(status) ? WEXITSTATUS(status) :
				    128 + WTERMSIG(status);
			}
		}
	}
}

/* One pass over the channels after the event loop ran. */
static void
service(struct conn *c)
{
	int i;

	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c->chans[i].ch != NULL)
			chan_service(c, &c->chans[i]);
}

/* Waits (bounded) for the children told to end: an scp sink first
 * stores what it accepted. */
static void
wait_children(void)
{
	time_t until = time(NULL) + CONN_DRAIN_SECS;

	while (waitpid(-1, NULL, WNOHANG) >= 0 && time(NULL) < until)
		pgal_sleep_ms(50);
}

static void
end_children(struct conn *c)
{
	int i;

	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c->chans[i].pid > 0 && !c->chans[i].exited)
			kill(c->chans[i].pid, SIGHUP);
}

/* The client's first bytes start like a PROXY header. A client sends its
 * version string at once (RFC 4253 4.2), a balancer its header: a client
 * that waits for the server's line first is let through after a moment. */
static int
sent_proxy_header(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	unsigned char buf[16];
	ssize_t n;

	if (poll(&p, 1, PROXY_LOOK_MS) <= 0)
		return 0;
	n = recv(fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
	return n > 0 && sshd_proxy_looks_like(buf, (size_t)n);
}

void
conn_main(const struct conn_args *a)
{
	struct ssh_server_callbacks_struct scb;
	struct ssh_callbacks_struct cb;
	struct sigaction sa;
	sigset_t usr1;
	struct conn c;
	ssh_bind bind;
	ssh_key hostkey = NULL;
	pgal_err e;
	pgal *g;
	int i, off = 0, one = 1, busy = 0, idle;
	long wait_secs;
	time_t start = time(NULL), now;

	memset(&c, 0, sizeof c);
	if (pipe2(chld_wake, O_CLOEXEC | O_NONBLOCK) == -1)
		_exit(1);
	c.a = a;
	c.cfg = a->cfg;
	c.gallery.cfg = a->cfg;
	c.gallery.peer = a->peer;
	c.gallery.door = "ssh";
	c.last_activity = start;
	the_conn = &c;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	alarm((unsigned)c.cfg->ssh_login_grace_secs);
	if (a->proxy_untrusted && sent_proxy_header(a->fd)) {
		sshd_log("refused connection from %s: a PROXY header from an address not in "
		    "ssh_proxy_trusted", a->peer);
		_exit(1);
	}
	sshd_log("connection from %s", a->peer);

	/* SFTP is request and reply: without this each small reply waits
	 * for the client's delayed ACK (Nagle), as every file's open and
	 * close drain the client's pipeline (as OpenSSH's sshd does) */
	(void)setsockopt(a->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if ((bind = ssh_bind_new()) == NULL || (c.s = ssh_new()) == NULL)
		_exit(1);
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &off);
	if (ssh_pki_import_privkey_base64(a->hostkey, NULL, NULL, NULL, &hostkey) != SSH_OK ||
	    ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, hostkey) != SSH_OK) {
		sshd_log("host key: %s", ssh_get_error(bind));
		_exit(1);
	}
	/* the bind owns the key now; this process' copy of the text goes */
	explicit_bzero((char *)a->hostkey, strlen(a->hostkey));
	if (ssh_bind_accept_fd(bind, c.s, a->fd) != SSH_OK) {
		sshd_log("accept from %s: %s", a->peer, ssh_get_error(bind));
		_exit(1);
	}
	memset(&scb, 0, sizeof scb);
	ssh_callbacks_init(&scb);
	scb.userdata = &c;
	scb.auth_none_function = conn_auth_none;
	scb.auth_password_function = conn_auth_password;
	scb.auth_pubkey_function = conn_auth_pubkey;
	scb.channel_open_request_session_function = chan_open;
	ssh_set_server_callbacks(c.s, &scb);
	memset(&cb, 0, sizeof cb);
	ssh_callbacks_init(&cb);
	cb.userdata = &c;
	cb.connect_status_function = on_kex_progress;
	ssh_set_callbacks(c.s, &cb);
	if (ssh_handle_key_exchange(c.s) != SSH_OK) {
		sshd_log("key exchange with %s failed: %s", a->peer, ssh_get_error(c.s));
		_exit(1);
	}
	tell_listener(&c, 'K');
	ssh_set_auth_methods(c.s, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
	wait_secs = CONN_WRITE_WAIT_SECS;
	if (c.cfg->ssh_idle_secs > 0 && c.cfg->ssh_idle_secs < wait_secs)
		wait_secs = c.cfg->ssh_idle_secs;
	ssh_options_set(c.s, SSH_OPTIONS_TIMEOUT, &wait_secs);
	if ((c.ev = ssh_event_new()) == NULL || ssh_event_add_session(c.ev, c.s) != SSH_OK ||
	    ssh_event_add_fd(c.ev, chld_wake[0], POLLIN, cb_chld_wake, NULL) != SSH_OK)
		_exit(1);

	while (!got_term && !no_room_told()) {
		/* while uploads are queued the workers are fed at least every
		 * 50 ms, even when the client is quiet */
		int rc = ssh_event_dopoll(c.ev, busy ? 50 : 1000);

		if (got_chld) {
			got_chld = 0;
			reap(&c);
		}
		if (rc == SSH_ERROR && !ssh_is_connected(c.s))
			break;
		if (!ssh_is_connected(c.s))
			break;
		service(&c);
		busy = sftpd_uploads_tick(c.sftpd_uploads);
		now = time(NULL);
		idle = c.guest ? c.cfg->ssh_guest_idle_secs : c.cfg->ssh_idle_secs;
		if (c.authed && idle > 0 && now - c.last_activity > idle) {
			sshd_log("idle timeout: user %s from %s", c.user, a->peer);
			break;
		}
		if (c.guest && guest_overstayed(&c, now)) {
			sshd_log("no channel: guest %s from %s for %ds", c.user, a->peer,
			    c.cfg->ssh_guest_open_secs);
			break;
		}
	}
	if (no_room_told())
		no_room_disconnect(&c);
	end_children(&c);
	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c.chans[i].ch != NULL)
			chan_release(&c, &c.chans[i]);
	/* accepted uploads are stored before the session's token goes */
	sftpd_uploads_free(c.sftpd_uploads);
	c.sftpd_uploads = NULL;
	wait_children();
	if (c.token[0] != '\0') {
		/* this connection's session ends with it */
		pgal_err_clear(&e);
		if ((g = sshd_gallery_get(&c.gallery, &e)) != NULL)
			pgal_logout(g, c.token, &e);
		explicit_bzero(c.token, sizeof c.token);
	}
	sshd_gallery_close(&c.gallery);
	sshd_log("disconnected: %s%s from %s after %lds", c.authed ? "user " : "unauthenticated",
	    c.user, a->peer, (long)(time(NULL) - start));
	ssh_event_free(c.ev);
	ssh_disconnect(c.s);
	ssh_free(c.s);
	ssh_bind_free(bind);
	_exit(0);
}
