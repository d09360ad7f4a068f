/* The connection process: key exchange, authentication and channels for one
 * client, in an ssh_event loop that also polls the children's descriptors.
 * libssh callbacks only check and record requests; the loop starts the
 * work, so nothing is written to the channel from inside a request.
 *   conn.c        the process and its loop
 *   conn-auth.c   authentication
 *   chan*.c       its session channels (chan.h) */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
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

static volatile sig_atomic_t got_chld;
static volatile sig_atomic_t got_term;

static void
on_chld(int sig)
{
	got_chld = 1;
}

static void
on_term(int sig)
{
	got_term = 1;
}

/* The login grace time covers everything before authentication, from the
 * first byte of the banner on (a client that sends nothing included); the
 * listener logs it from the exit status. */
static void
on_alarm(int sig)
{
	_exit(SSHD_EXIT_GRACE);
}

void
conn_sleep_ms(int ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
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
		conn_sleep_ms(50);
}

static void
end_children(struct conn *c)
{
	int i;

	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c->chans[i].pid > 0 && !c->chans[i].exited)
			kill(c->chans[i].pid, SIGHUP);
}

void
conn_main(const struct conn_args *a)
{
	struct ssh_server_callbacks_struct scb;
	struct sigaction sa;
	struct conn c;
	ssh_bind bind;
	pgal_err e;
	pgal *g;
	int i, off = 0, one = 1, busy = 0;
	long wait_secs;
	time_t start = time(NULL);

	memset(&c, 0, sizeof c);
	c.a = a;
	c.cfg = a->cfg;
	c.gallery.cfg = a->cfg;
	c.gallery.peer = a->peer;
	c.gallery.door = "ssh";
	c.last_activity = start;
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
	alarm((unsigned)c.cfg->ssh_login_grace_secs);
	sshd_log("connection from %s", a->peer);

	/* SFTP is request and reply: without this each small reply waits
	 * for the client's delayed ACK (Nagle), as every file's open and
	 * close drain the client's pipeline (as OpenSSH's sshd does) */
	(void)setsockopt(a->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if ((bind = ssh_bind_new()) == NULL || (c.s = ssh_new()) == NULL)
		_exit(1);
	ssh_bind_options_set(bind, SSH_BIND_OPTIONS_PROCESS_CONFIG, &off);
	if (ssh_bind_options_set(bind, SSH_BIND_OPTIONS_HOSTKEY, a->hostkey) != SSH_OK) {
		sshd_log("host key %s: %s", a->hostkey, ssh_get_error(bind));
		_exit(1);
	}
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
	if (ssh_handle_key_exchange(c.s) != SSH_OK) {
		sshd_log("key exchange with %s failed: %s", a->peer, ssh_get_error(c.s));
		_exit(1);
	}
	ssh_set_auth_methods(c.s, SSH_AUTH_METHOD_PASSWORD | SSH_AUTH_METHOD_PUBLICKEY);
	wait_secs = CONN_WRITE_WAIT_SECS;
	if (c.cfg->ssh_idle_secs > 0 && c.cfg->ssh_idle_secs < wait_secs)
		wait_secs = c.cfg->ssh_idle_secs;
	ssh_options_set(c.s, SSH_OPTIONS_TIMEOUT, &wait_secs);
	if ((c.ev = ssh_event_new()) == NULL || ssh_event_add_session(c.ev, c.s) != SSH_OK)
		_exit(1);

	while (!got_term) {
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
		busy = sftpd_uploads_tick(c.sftp_uploads);
		if (c.authed && c.cfg->ssh_idle_secs > 0 &&
		    time(NULL) - c.last_activity > c.cfg->ssh_idle_secs) {
			sshd_log("idle timeout: user %s from %s", c.user, a->peer);
			break;
		}
	}
	end_children(&c);
	for (i = 0; i < CONN_MAX_CHANNELS; i++)
		if (c.chans[i].ch != NULL)
			chan_release(&c, &c.chans[i]);
	/* accepted uploads are stored before the session's token goes */
	sftpd_uploads_free(c.sftp_uploads);
	c.sftp_uploads = NULL;
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
