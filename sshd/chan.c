/* Session channels of the connection process. The libssh callbacks check
 * and record what the client asks for (a pty, its size, a few variables,
 * a shell, a command, the SFTP subsystem); the loop then starts it (the
 * TUI on a pty, a command child, the SFTP server here) and ends the
 * channel the way OpenSSH does. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WITH_SERVER 1 /* the server half of sftp.h */
#include <libssh/sftp.h>

#include "conn.h"
#include "sanitize.h"
#include "validate.h"

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *ud)
{
	struct chan *k = ud;

	k->c->last_activity = time(NULL);
	/* left in the channel: for sftp_get_client_message, until the child
	 * that will read it has started, or for the loop that is reading it */
	if (!is_stderr && (k->kind == CHAN_SFTP || k->pending == PEND_SFTP))
		k->sftp_whole = sftpd_packets(data, len);
	if (k->kind == CHAN_SFTP || k->pending != PEND_NONE || k->draining)
		return 0;
	if ((k->kind == CHAN_PTY || k->kind == CHAN_EXEC) && k->in_fd != -1 && !k->in_err &&
	    !is_stderr)
		return chan_take_input(k, data, len);
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

ssh_channel
conn_channel_open(ssh_session s, void *ud)
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

/* Ends a channel the way OpenSSH does: exit-status, EOF, close. */
void
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

void
chan_start(struct conn *c, struct chan *k)
{
	char err[256];
	enum chan_pending p = k->pending;
	pgal_err e;

	k->pending = PEND_NONE;
	err[0] = '\0';
	if (p == PEND_SFTP) {
		sftp_session sftp;

		pgal_err_clear(&e);
		if (sshd_gallery_get(&c->gallery, &e) == NULL) {
			sshd_log("gallery: %s", e.msg);
			chan_finish(k, 1);
			return;
		}
		k->kind = CHAN_SFTP;
		/* the init packet is whole (see service): reading it will not block */
		k->sftp_whole--;
		if (c->sftp_uploads == NULL)
			c->sftp_uploads = sftpd_uploads_new(&c->gallery, c->token, c->user);
		if ((sftp = sftp_server_new(c->s, k->ch)) == NULL || sftp_server_init(sftp) != 0 ||
		    c->sftp_uploads == NULL ||
		    (k->sftp = sftpd_new(c->sftp_uploads, &c->gallery, c->token, c->user,
		    sftp)) == NULL) {
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
	chan_relay_start(c, k);
}

void
chan_release(struct conn *c, struct chan *k)
{
	chan_relay_end(c, k);
	if (k->sftp != NULL) {
		sftpd_free(k->sftp);
		k->sftp = NULL;
	}
	free(k->cmd);
	k->cmd = NULL;
	if (k->ch != NULL)
		ssh_channel_free(k->ch);
	k->ch = NULL;
}
