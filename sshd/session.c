/* The connection process: key exchange, authentication and channels for one
 * client, in an ssh_event loop that also polls the children's descriptors.
 * libssh callbacks only check and record requests; the loop starts the
 * work, so nothing is written to the channel from inside a request. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WITH_SERVER 1 /* the server half of sftp.h */
#include <libssh/sftp.h>

#include "conn.h"
#include "sanitize.h"
#include "validate.h"

#define MAX_AUTH_TRIES 10
#define FAIL_DELAY_MS 300 /* every failure, on top of the address penalty */
#define IO_CHUNK 32768
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

int
conn_gallery(struct conn *c, pgal_err *e)
{
	if (c->g != NULL)
		return PGAL_OK;
	return pgal_open(&c->g, c->cfg, e);
}

/* SQLite handles must not cross a fork: close ours before every fork. */
void
conn_drop_gallery(struct conn *c)
{
	if (c->g != NULL)
		pgal_close(c->g);
	c->g = NULL;
}

static void
report(struct conn *c, char what)
{
	if (c->a->report_fd != -1)
		(void)write(c->a->report_fd, &what, 1);
}

static void
sleep_ms(int ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* A source that failed before waits its penalty before every attempt is
 * even looked at, success or not: giving up on a slow answer and trying
 * again on a new connection gains nothing. */
static void
auth_penalty(struct conn *c)
{
	sleep_ms(c->a->penalty_ms);
}

/* A failed attempt costs the same time whatever failed (no user/password
 * oracle), and more with every failure on this connection. */
static int
auth_failed(struct conn *c, const char *user, const char *method, const char *why)
{
	char shown[40];

	c->tries++;
	pgal_sanitize_n(shown, sizeof shown, user, strnlen(user, 32), 0);
	sshd_log("auth failed: user %s method %s from %s (%s)", shown, method, c->a->peer, why);
	report(c, 'F');
	sleep_ms(FAIL_DELAY_MS + (c->tries - 1) * 200);
	if (c->tries >= MAX_AUTH_TRIES) {
		sshd_log("too many authentication failures from %s", c->a->peer);
		ssh_disconnect(c->s);
	}
	return SSH_AUTH_DENIED;
}

static int
auth_ok(struct conn *c, const char *user, const char *method, int guest)
{
	snprintf(c->user, sizeof c->user, "%s", user);
	snprintf(c->method, sizeof c->method, "%s", method);
	c->authed = 1;
	c->guest = guest;
	alarm(0);
	report(c, 'A');
	sshd_log("auth ok: user %s method %s from %s%s", c->user, method, c->a->peer,
	    guest ? " (guest)" : "");
	return SSH_AUTH_SUCCESS;
}

static int
is_guest(struct conn *c, const char *user)
{
	return strcmp(user, c->cfg->ssh_guest) == 0;
}

static int
cb_auth_none(ssh_session s, const char *user, void *ud)
{
	struct conn *c = ud;

	if (c->authed)
		return SSH_AUTH_DENIED;
	if (is_guest(c, user))
		return auth_ok(c, user, "none", 1);
	/* every OpenSSH client asks "none" first: not a failure */
	return SSH_AUTH_DENIED;
}

static int
cb_auth_password(ssh_session s, const char *user, const char *password, void *ud)
{
	struct conn *c = ud;
	pgal_err e;

	if (c->authed)
		return SSH_AUTH_DENIED;
	auth_penalty(c);
	pgal_err_clear(&e);
	if (is_guest(c, user) || pgal_valid_username(user, NULL) != PGAL_OK)
		return auth_failed(c, user, "password", "no such account");
	if (conn_gallery(c, &e) != PGAL_OK) {
		sshd_log("gallery: %s", e.msg);
		return auth_failed(c, user, "password", "backend");
	}
	if (pgal_login(c->g, user, password, c->token, &e) != PGAL_OK)
		return auth_failed(c, user, "password", pgal_code_name(e.code));
	return auth_ok(c, user, "password", 0);
}

static int
cb_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *pubkey,
    char state, void *ud)
{
	struct conn *c = ud;
	const char *algo;
	char *b64 = NULL;
	pgal_err e;
	int rc;

	if (c->authed)
		return SSH_AUTH_DENIED;
	/* a probe (no signature) proves nothing: only real attempts wait */
	if (state != SSH_PUBLICKEY_STATE_NONE)
		auth_penalty(c);
	pgal_err_clear(&e);
	if (state == SSH_PUBLICKEY_STATE_WRONG)
		return auth_failed(c, user, "publickey", "bad signature");
	if (is_guest(c, user) || pgal_valid_username(user, NULL) != PGAL_OK)
		goto unknown;
	if ((algo = ssh_key_type_to_char(ssh_key_type(pubkey))) == NULL ||
	    ssh_pki_export_pubkey_base64(pubkey, &b64) != SSH_OK)
		goto unknown;
	if (conn_gallery(c, &e) != PGAL_OK) {
		sshd_log("gallery: %s", e.msg);
		free(b64);
		goto unknown;
	}
	rc = pgal_key_check(c->g, user, algo, b64, &e);
	free(b64);
	if (rc != PGAL_OK)
		goto unknown;
	/* the probe only asks whether this key would do */
	if (state == SSH_PUBLICKEY_STATE_NONE)
		return SSH_AUTH_SUCCESS;
	if (state != SSH_PUBLICKEY_STATE_VALID)
		goto unknown;
	if (pgal_login_trusted(c->g, user, c->token, &e) != PGAL_OK)
		return auth_failed(c, user, "publickey", pgal_code_name(e.code));
	return auth_ok(c, user, "publickey", 0);
unknown:
	/* an offered key we do not know is normal (agents hold many keys) */
	if (state == SSH_PUBLICKEY_STATE_NONE) {
		if (++c->tries >= MAX_AUTH_TRIES * 2)
			ssh_disconnect(c->s);
		return SSH_AUTH_DENIED;
	}
	return auth_failed(c, user, "publickey", "key not registered");
}

/* ---- channels ---- */

/* Copies what fits of the client's input into the channel's buffer. */
static uint32_t
in_put(struct chan *k, const char *p, uint32_t len)
{
	size_t n;

	if (k->ibuf == NULL && (k->ibuf = malloc(CONN_IN_MAX)) == NULL)
		return 0;
	n = CONN_IN_MAX - k->ilen;
	if (n > len)
		n = len;
	memcpy(k->ibuf + k->ilen, p, n);
	k->ilen += n;
	return (uint32_t)n;
}

/* Writes buffered input to the child without ever waiting for it. */
static void
in_flush(struct chan *k)
{
	ssize_t n;

	while (k->ilen > 0 && k->in_fd != -1 && !k->in_err) {
		n = write(k->in_fd, k->ibuf, k->ilen);
		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			/* the child stopped reading: drop its input */
			k->in_err = 1;
			k->ilen = 0;
			return;
		}
		memmove(k->ibuf, k->ibuf + n, k->ilen - (size_t)n);
		k->ilen -= (size_t)n;
	}
}

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *ud)
{
	struct chan *k = ud;
	uint32_t used;

	k->c->last_activity = time(NULL);
	/* left in the channel: for sftp_get_client_message, until the child
	 * that will read it has started, or for the loop that is reading it */
	if (!is_stderr && (k->kind == CHAN_SFTP || k->pending == PEND_SFTP))
		k->sftp_whole = sshd_sftp_packets(data, len);
	if (k->kind == CHAN_SFTP || k->pending != PEND_NONE || k->draining)
		return 0;
	if ((k->kind == CHAN_PTY || k->kind == CHAN_EXEC) && k->in_fd != -1 && !k->in_err &&
	    !is_stderr) {
		/* what does not fit stays in libssh and holds the window shut */
		used = in_put(k, data, len);
		in_flush(k);
		if (used < len && !k->in_err)
			used += in_put(k, (const char *)data + used, len - used);
		return k->in_err ? (int)len : (int)used;
	}
	return (int)len;
}

static void
cb_close(ssh_session s, ssh_channel ch, void *ud)
{
	struct chan *k = ud;

	k->closed = 1;
	if (k->pid > 0 && !k->exited)
		kill(k->pid, SIGHUP);
}

static int
cb_pty(ssh_session s, ssh_channel ch, const char *term, int w, int h, int pw, int ph, void *ud)
{
	struct chan *k = ud;

	if (k->has_pty || k->kind != CHAN_IDLE || k->pending != PEND_NONE)
		return -1;
	if (term == NULL || strlen(term) >= sizeof k->term || !pgal_text_is_clean(term, 0) ||
	    strpbrk(term, "/ ") != NULL)
		return -1;
	strcpy(k->term, term);
	k->cols = w > 0 && w <= 1000 ? w : 80;
	k->rows = h > 0 && h <= 1000 ? h : 24;
	k->pxw = pw > 0 && pw <= 100000 ? pw : 0;
	k->pxh = ph > 0 && ph <= 100000 ? ph : 0;
	k->has_pty = 1;
	return 0;
}

static int
cb_window(ssh_session s, ssh_channel ch, int w, int h, int pw, int ph, void *ud)
{
	struct chan *k = ud;

	if (!k->has_pty)
		return -1;
	k->cols = w > 0 && w <= 1000 ? w : k->cols;
	k->rows = h > 0 && h <= 1000 ? h : k->rows;
	k->pxw = pw > 0 && pw <= 100000 ? pw : 0;
	k->pxh = ph > 0 && ph <= 100000 ? ph : 0;
	if (k->kind == CHAN_PTY)
		sshd_pty_resize(k);
	return 0;
}

static int
cb_env(ssh_session s, ssh_channel ch, const char *name, const char *value, void *ud)
{
	struct chan *k = ud;
	char *dst;
	size_t size;

	if (strcmp(name, "TERM") == 0) {
		dst = k->term;
		size = sizeof k->term;
	} else if (strcmp(name, "COLORTERM") == 0) {
		dst = k->colorterm;
		size = sizeof k->colorterm;
	} else if (strcmp(name, "LANG") == 0) {
		dst = k->lang;
		size = sizeof k->lang;
	} else
		return -1;
	if (strlen(value) >= size || !pgal_text_is_clean(value, 0) || strchr(value, '/') != NULL)
		return -1;
	strcpy(dst, value);
	return 0;
}

static int
cb_shell(ssh_session s, ssh_channel ch, void *ud)
{
	struct chan *k = ud;

	if (k->kind != CHAN_IDLE || k->pending != PEND_NONE)
		return -1;
	k->pending = PEND_SHELL;
	return 0;
}

static int
cb_exec(ssh_session s, ssh_channel ch, const char *command, void *ud)
{
	struct chan *k = ud;
	struct conn *c = k->c;
	char shown[80];

	if (c->guest || k->kind != CHAN_IDLE || k->pending != PEND_NONE) {
		sshd_log("exec refused for %s%s", c->user, c->guest ? " (guest)" : "");
		return -1;
	}
	if (strlen(command) >= CONN_CMD_MAX) {
		sshd_log("exec refused for %s: command too long", c->user);
		return -1;
	}
	if ((k->cmd = strdup(command)) == NULL)
		return -1;
	pgal_sanitize_n(shown, sizeof shown, command, strnlen(command, 60), 0);
	sshd_log("exec: user %s: %s", c->user, shown);
	k->pending = PEND_EXEC;
	return 0;
}

static int
cb_subsystem(ssh_session s, ssh_channel ch, const char *name, void *ud)
{
	struct chan *k = ud;
	struct conn *c = k->c;

	if (c->guest || strcmp(name, "sftp") != 0 || k->kind != CHAN_IDLE ||
	    k->pending != PEND_NONE) {
		sshd_log("subsystem %s refused for %s%s", strcmp(name, "sftp") == 0 ? "sftp" :
		    "(other)", c->user, c->guest ? " (guest)" : "");
		return -1;
	}
	sshd_log("sftp: user %s", c->user);
	k->pending = PEND_SFTP;
	return 0;
}

/* The guest gets one session (the TUI) at a time, a user ssh_max_channels:
 * each is a process, and a connection is one person. */
static int
chan_limit(const struct conn *c)
{
	int max = c->cfg->ssh_max_channels;

	if (c->guest)
		return 1;
	return max > 0 && max < CONN_MAX_CHANNELS ? max : CONN_MAX_CHANNELS;
}

static ssh_channel
cb_channel_open(ssh_session s, void *ud)
{
	struct conn *c = ud;
	struct chan *k = NULL;
	int i, open = 0;

	if (!c->authed)
		return NULL;
	for (i = 0; i < CONN_MAX_CHANNELS; i++) {
		if (c->chans[i].ch != NULL)
			open++;
		else if (k == NULL)
			k = &c->chans[i];
	}
	if (k == NULL || open >= chan_limit(c)) {
		/* libssh answers "administratively prohibited", as OpenSSH does */
		sshd_log("session channel refused for %s%s: %d open, at most %d per connection",
		    c->user, c->guest ? " (guest)" : "", open, chan_limit(c));
		return NULL;
	}
	memset(k, 0, sizeof *k);
	k->c = c;
	k->pid = -1;
	k->in_fd = k->out_fd = k->err_fd = -1;
	if ((k->ch = ssh_channel_new(s)) == NULL)
		return NULL;
	ssh_callbacks_init(&k->cb);
	k->cb.userdata = k;
	k->cb.channel_data_function = cb_data;
	k->cb.channel_close_function = cb_close;
	k->cb.channel_pty_request_function = cb_pty;
	k->cb.channel_shell_request_function = cb_shell;
	k->cb.channel_pty_window_change_function = cb_window;
	k->cb.channel_exec_request_function = cb_exec;
	k->cb.channel_env_request_function = cb_env;
	k->cb.channel_subsystem_request_function = cb_subsystem;
	ssh_set_channel_callbacks(k->ch, &k->cb);
	return k->ch;
}

/* ---- child output ---- */

/* Output for the channel would be written without waiting: the client's
 * window has room and the connection has nothing buffered still. */
static uint32_t
chan_room(struct chan *k)
{
	if (k->ch == NULL || (ssh_get_status(k->c->s) & SSH_WRITE_PENDING))
		return 0;
	return ssh_channel_window_size(k->ch);
}

static int
pump(struct chan *k, int fd, int is_stderr)
{
	char buf[IO_CHUNK];
	size_t len = sizeof buf;
	uint32_t room;
	ssize_t n;

	/* a closed channel's output is read and dropped */
	if (!k->closed) {
		if ((room = chan_room(k)) == 0)
			return 0;
		if (room < len)
			len = room;
	}
	n = read(fd, buf, len);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return 0;
	if (n <= 0)
		return -1; /* EOF, or EIO from a pty whose child is gone */
	k->c->last_activity = time(NULL);
	if (k->closed)
		return 0;
	if (is_stderr)
		ssh_channel_write_stderr(k->ch, buf, (uint32_t)n);
	else
		ssh_channel_write(k->ch, buf, (uint32_t)n);
	return 0;
}

static int
cb_child_out(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	/* the pty master carries the input too */
	if ((revents & POLLOUT) && k->in_fd == fd)
		in_flush(k);
	if (k->out_eof)
		return 0;
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && pump(k, fd, 0) == -1)
		k->out_eof = 1;
	return 0;
}

static int
cb_child_in(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	if (revents & (POLLOUT | POLLHUP | POLLERR))
		in_flush(k);
	return 0;
}

static int
cb_child_err(socket_t fd, int revents, void *ud)
{
	struct chan *k = ud;

	if (k->err_eof)
		return 0;
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && pump(k, fd, 1) == -1)
		k->err_eof = 1;
	return 0;
}

/* The child gets no more input; the pty master stays open for output. */
static void
close_in(struct conn *c, struct chan *k)
{
	if (k->in_fd != -1 && k->in_fd != k->out_fd) {
		if (k->in_added)
			ssh_event_remove_fd(c->ev, k->in_fd);
		close(k->in_fd);
	}
	k->in_added = 0;
	k->in_fd = -1;
	k->ilen = 0;
}

/* Poll for writability only while input waits, and for the child's
 * output only while the client can take it (chan_room): the event has no
 * way to change an fd's events, so it is removed and added again. Never
 * from a callback, as the event may be walking its descriptors then. */
static void
chan_watch(struct conn *c, struct chan *k)
{
	short want;
	int room = k->closed || chan_room(k) > 0;

	if (k->out_fd != -1 && k->out_added) {
		want = room ? POLLIN : 0;
		if (k->in_fd == k->out_fd && k->ilen > 0)
			want |= POLLOUT;
		if (want != k->out_events) {
			ssh_event_remove_fd(c->ev, k->out_fd);
			if (want != 0)
				ssh_event_add_fd(c->ev, k->out_fd, want, cb_child_out, k);
			k->out_events = want;
		}
	}
	if (k->err_fd != -1 && k->err_added) {
		want = room ? POLLIN : 0;
		if (want != k->err_events) {
			ssh_event_remove_fd(c->ev, k->err_fd);
			if (want != 0)
				ssh_event_add_fd(c->ev, k->err_fd, want, cb_child_err, k);
			k->err_events = want;
		}
	}
	if (k->in_fd != -1 && k->in_fd != k->out_fd) {
		if (k->ilen > 0 && !k->in_added) {
			if (ssh_event_add_fd(c->ev, k->in_fd, POLLOUT, cb_child_in, k) == SSH_OK)
				k->in_added = 1;
		} else if (k->ilen == 0 && k->in_added) {
			ssh_event_remove_fd(c->ev, k->in_fd);
			k->in_added = 0;
		}
	}
}

/* Moves client input on: libssh keeps what cb_data could not take, and no
 * new packet may come to hand it over (the client's window is shut), so
 * it is fetched here as room frees. A few chunks a pass: never a loop
 * that a client or a child can keep going. */
static void
chan_input(struct conn *c, struct chan *k)
{
	char buf[IO_CHUNK];
	size_t room;
	int i, n, eof;

	if (k->kind != CHAN_PTY && k->kind != CHAN_EXEC) {
		/* finished: a pipe nobody reads would poll as an error */
		if (k->in_added)
			close_in(c, k);
		return;
	}
	for (i = 0; i < 8 && !k->closed && k->ch != NULL; i++) {
		in_flush(k);
		if (k->in_err && k->in_fd != -1)
			close_in(c, k);
		room = sizeof buf;
		if (k->in_fd != -1) {
			if (k->ibuf == NULL && (k->ibuf = malloc(CONN_IN_MAX)) == NULL)
				break;
			if (CONN_IN_MAX - k->ilen < room)
				room = CONN_IN_MAX - k->ilen;
			if (room == 0)
				break;
		}
		k->draining = 1;
		n = ssh_channel_read_nonblocking(k->ch, buf, (uint32_t)room, 0);
		k->draining = 0;
		if (n <= 0)
			break;
		c->last_activity = time(NULL);
		/* without a reader the input is dropped, as before */
		if (k->in_fd != -1)
			in_put(k, buf, (uint32_t)n);
	}
	in_flush(k);
	if (k->in_err && k->in_fd != -1)
		close_in(c, k);
	/* a command's stdin ends after the input sent before the EOF */
	if (k->kind == CHAN_EXEC && k->in_fd != -1 && k->ilen == 0 && !k->closed &&
	    ssh_channel_is_eof(k->ch)) {
		k->draining = 1;
		eof = ssh_channel_poll(k->ch, 0) <= 0;
		k->draining = 0;
		if (eof)
			close_in(c, k);
	}
	chan_watch(c, k);
}

/* Ends a channel the way OpenSSH does: exit-status, EOF, close. */
static void
chan_finish(struct chan *k, int status)
{
	if (k->ch != NULL && !k->closed) {
		ssh_channel_request_send_exit_status(k->ch, status);
		ssh_channel_send_eof(k->ch);
		ssh_channel_close(k->ch);
	}
	k->kind = CHAN_DONE;
}

static void
chan_fail(struct chan *k, const char *msg)
{
	if (k->ch != NULL && !k->closed) {
		ssh_channel_write_stderr(k->ch, msg, (uint32_t)strlen(msg));
		ssh_channel_write_stderr(k->ch, "\r\n", 2);
	}
	chan_finish(k, 1);
}

static void
start_pending(struct conn *c, struct chan *k)
{
	char err[256];
	enum chan_pending p = k->pending;
	pgal_err e;

	k->pending = PEND_NONE;
	err[0] = '\0';
	if (p == PEND_SFTP) {
		sftp_session sftp;

		pgal_err_clear(&e);
		if (conn_gallery(c, &e) != PGAL_OK) {
			sshd_log("gallery: %s", e.msg);
			chan_finish(k, 1);
			return;
		}
		k->kind = CHAN_SFTP;
		/* the init packet is whole (see service): reading it will not block */
		k->sftp_whole--;
		if ((sftp = sftp_server_new(c->s, k->ch)) == NULL || sftp_server_init(sftp) != 0 ||
		    (k->sftp = sshd_sftp_new(c->cfg, &c->g, c->token, c->user, sftp)) == NULL) {
			if (sftp != NULL && k->sftp == NULL)
				sftp_server_free(sftp);
			chan_finish(k, 1);
		}
		/* the sftp server may have ingested: see conn->vips_used */
		c->vips_used = 1;
		return;
	}
	if (c->vips_used) {
		chan_fail(k, "pgal: open a new connection for this (this one transferred files)");
		return;
	}
	if (p == PEND_SHELL) {
		if (!k->has_pty) {
			chan_fail(k, c->guest ?
			    "pgal: the gallery is a full-screen app: connect with 'ssh -t'" :
			    "pgal: the gallery is a full-screen app: connect with 'ssh -t', or "
			    "give a command (ssh HOST help)");
			return;
		}
		if (sshd_pty_spawn(c, k, err, sizeof err) == -1) {
			chan_fail(k, err);
			return;
		}
		k->kind = CHAN_PTY;
	} else if (p == PEND_EXEC) {
		int rc = sshd_exec_spawn(c, k, err, sizeof err);

		free(k->cmd);
		k->cmd = NULL;
		if (rc == -1) {
			chan_fail(k, err);
			return;
		}
		k->kind = CHAN_EXEC;
	}
	if (k->out_fd != -1) {
		ssh_event_add_fd(c->ev, k->out_fd, POLLIN, cb_child_out, k);
		k->out_added = 1;
		k->out_events = POLLIN;
	}
	if (k->err_fd != -1) {
		ssh_event_add_fd(c->ev, k->err_fd, POLLIN, cb_child_err, k);
		k->err_added = 1;
		k->err_events = POLLIN;
	} else
		k->err_eof = 1;
	/* input that came with the request, and an early EOF */
	chan_input(c, k);
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

static void
drop_fd(struct conn *c, int *fd, int *added)
{
	if (*fd == -1)
		return;
	if (*added)
		ssh_event_remove_fd(c->ev, *fd);
	*added = 0;
	close(*fd);
	*fd = -1;
}

static void
chan_release(struct conn *c, struct chan *k)
{
	close_in(c, k);
	drop_fd(c, &k->out_fd, &k->out_added);
	drop_fd(c, &k->err_fd, &k->err_added);
	free(k->ibuf);
	k->ibuf = NULL;
	if (k->sftp != NULL) {
		sshd_sftp_free(k->sftp);
		k->sftp = NULL;
	}
	free(k->cmd);
	k->cmd = NULL;
	if (k->ch != NULL)
		ssh_channel_free(k->ch);
	k->ch = NULL;
}

/* One pass over the channels after the event loop ran. */
static void
service(struct conn *c)
{
	int i;

	for (i = 0; i < CONN_MAX_CHANNELS; i++) {
		struct chan *k = &c->chans[i];

		if (k->ch == NULL)
			continue;
		/* libssh reads an SFTP packet blocking: only whole ones are
		 * handed to it, so a stalled client meets the idle timeout */
		if (!k->closed && k->sftp_whole == -1 &&
		    (k->kind == CHAN_SFTP || k->pending == PEND_SFTP)) {
			sshd_log("sftp: user %s: a packet longer than any client sends", c->user);
			k->pending = PEND_NONE;
			chan_finish(k, 1);
		}
		if (k->pending != PEND_NONE && !k->closed &&
		    (k->pending != PEND_SFTP || k->sftp_whole > 0))
			start_pending(c, k);
		if (k->kind == CHAN_SFTP && k->sftp != NULL) {
			/* a reply is written only when it cannot block (see
			 * CONN_WRITE_WAIT_SECS): else the loop waits for the
			 * client's window to open or the buffer to drain */
			while (!k->closed && k->kind == CHAN_SFTP && k->sftp_whole > 0 &&
			    !(ssh_get_status(c->s) & SSH_WRITE_PENDING) &&
			    sshd_sftp_ready(k->sftp)) {
				k->sftp_whole--;
				c->last_activity = time(NULL);
				if (sshd_sftp_step(k->sftp) == -1) {
					chan_finish(k, 0);
					break;
				}
			}
			if (ssh_channel_is_eof(k->ch) && k->sftp_whole == 0 && k->kind == CHAN_SFTP)
				chan_finish(k, 0);
		}
		if (k->out_eof && k->out_added) {
			if (k->in_fd == k->out_fd)
				k->in_fd = -1;
			drop_fd(c, &k->out_fd, &k->out_added);
		}
		if (k->err_eof && k->err_added)
			drop_fd(c, &k->err_fd, &k->err_added);
		chan_input(c, k);
		if ((k->kind == CHAN_PTY || k->kind == CHAN_EXEC) && k->exited &&
		    k->out_eof && k->err_eof) {
			sshd_log("%s done: user %s status %d", k->kind == CHAN_PTY ? "tui" : "exec",
			    c->user, k->status);
			chan_finish(k, k->status);
		}
		if (k->closed || (k->kind == CHAN_DONE && ssh_channel_is_closed(k->ch))) {
			if (k->pid > 0 && !k->exited)
				kill(k->pid, SIGHUP);
			chan_release(c, k);
		}
	}
}

/* Waits (bounded) for the children told to end: an scp sink first
 * stores what it accepted. */
static void
wait_children(void)
{
	time_t until = time(NULL) + CONN_DRAIN_SECS;

	while (waitpid(-1, NULL, WNOHANG) >= 0 && time(NULL) < until)
		sleep_ms(50);
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
sshd_conn_main(const struct sshd_conn_args *a)
{
	struct ssh_server_callbacks_struct scb;
	struct sigaction sa;
	struct conn c;
	ssh_bind bind;
	pgal_err e;
	int i, off = 0, one = 1;
	long wait_secs;
	time_t start = time(NULL);

	memset(&c, 0, sizeof c);
	c.a = a;
	c.cfg = a->cfg;
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
	scb.auth_none_function = cb_auth_none;
	scb.auth_password_function = cb_auth_password;
	scb.auth_pubkey_function = cb_auth_pubkey;
	scb.channel_open_request_session_function = cb_channel_open;
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
		int rc = ssh_event_dopoll(c.ev, 1000);

		if (got_chld) {
			got_chld = 0;
			reap(&c);
		}
		if (rc == SSH_ERROR && !ssh_is_connected(c.s))
			break;
		if (!ssh_is_connected(c.s))
			break;
		service(&c);
		sshd_sftp_tick();
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
	sshd_sftp_drain();
	wait_children();
	if (c.token[0] != '\0') {
		/* this connection's session ends with it */
		pgal_err_clear(&e);
		if (conn_gallery(&c, &e) == PGAL_OK)
			pgal_logout(c.g, c.token, &e);
		explicit_bzero(c.token, sizeof c.token);
	}
	conn_drop_gallery(&c);
	sshd_log("disconnected: %s%s from %s after %lds", c.authed ? "user " : "unauthenticated",
	    c.user, a->peer, (long)(time(NULL) - start));
	ssh_event_free(c.ev);
	ssh_disconnect(c.s);
	ssh_free(c.s);
	ssh_bind_free(bind);
	_exit(0);
}
