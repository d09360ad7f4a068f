/* Session channels of the connection process. The libssh callbacks check
 * and record what the client asks for (a pty, its size, a few variables,
 * and the kind: a shell, a command, the SFTP subsystem); the loop then
 * starts the kind's work (chan-pty.c, chan-exec.c, chan-sftp.c), services
 * it once a pass, ends the channel the way OpenSSH does and frees it once
 * the client has closed it. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conn.h"
#include "sanitize.h"
#include "validate.h"

static int
cb_data(ssh_session s, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *ud)
{
	struct chan *k = ud;

	k->c->last_activity = time(NULL);
	/* nothing asked for, or done: nobody reads it */
	if (k->ops == NULL || k->done)
		return (int)len;
	return k->ops->input(k, data, len, is_stderr);
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

	if (k->has_pty || k->ops != NULL)
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
	if (k->ops == &chan_pty_ops && k->started && !k->done)
		chan_pty_resize(k);
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

	if (k->ops != NULL)
		return -1;
	k->ops = &chan_pty_ops;
	return 0;
}

static int
cb_exec(ssh_session s, ssh_channel ch, const char *command, void *ud)
{
	struct chan *k = ud;
	struct conn *c = k->c;
	char shown[80];

	if (k->ops != NULL) {
		sshd_log("exec refused for %s%s", c->user, c->guest ? " (guest)" : "");
		return -1;
	}
	/* the guest's exec is taken only to say why it does not run
	 * (chan_exec_start): a refused request reads as a bare failure */
	if (c->guest) {
		sshd_log("exec refused for %s (guest)", c->user);
		k->ops = &chan_exec_ops;
		return 0;
	}
	if (strlen(command) >= CHAN_CMD_MAX) {
		sshd_log("exec refused for %s: command too long", c->user);
		return -1;
	}
	if ((k->cmd = strdup(command)) == NULL)
		return -1;
	pgal_sanitize_n(shown, sizeof shown, command, strnlen(command, 60), 0);
	sshd_log("exec: user %s: %s", c->user, shown);
	k->ops = &chan_exec_ops;
	return 0;
}

static int
cb_subsystem(ssh_session s, ssh_channel ch, const char *name, void *ud)
{
	struct chan *k = ud;
	struct conn *c = k->c;

	if (c->guest || strcmp(name, "sftp") != 0 || k->ops != NULL) {
		sshd_log("subsystem %s refused for %s%s", strcmp(name, "sftp") == 0 ? "sftp" :
		    "(other)", c->user, c->guest ? " (guest)" : "");
		return -1;
	}
	sshd_log("sftp: user %s", c->user);
	k->ops = &chan_sftp_ops;
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
chan_open(ssh_session s, void *ud)
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

void
chan_finish(struct chan *k, int status)
{
	if (k->ch != NULL && !k->closed) {
		ssh_channel_request_send_exit_status(k->ch, status);
		ssh_channel_send_eof(k->ch);
		ssh_channel_close(k->ch);
	}
	k->done = 1;
}

/* Ends a channel whose work could not start, saying why on its stderr
 * ("pgal: why"; nothing when msg is empty). */
static void
chan_fail(struct chan *k, const char *msg)
{
	char line[sizeof(((pgal_err *)0)->msg) + 16];

	if (k->ch != NULL && !k->closed && msg[0] != '\0') {
		snprintf(line, sizeof line, "pgal: %s\r\n", msg);
		ssh_channel_write_stderr(k->ch, line, (uint32_t)strlen(line));
	}
	chan_finish(k, 1);
}

static void
chan_start(struct conn *c, struct chan *k)
{
	pgal_err e;

	pgal_err_clear(&e);
	(void)k->ops->start(c, k, &e);
	if (e.code != PGAL_OK) {
		/* every request logged gets an end line, this one too */
		sshd_log("%s not started: user %s: %s", k->ops->name, c->user,
		    e.msg[0] != '\0' ? e.msg : "see above");
		chan_fail(k, e.msg);
	} else
		k->started = 1;
}

void
chan_service(struct conn *c, struct chan *k)
{
	if (k->ops != NULL && !k->started && !k->done && !k->closed)
		chan_start(c, k);
	if (k->started)
		k->ops->service(c, k);
	if (k->closed || (k->done && ssh_channel_is_closed(k->ch))) {
		if (k->pid > 0 && !k->exited)
			kill(k->pid, SIGHUP);
		chan_release(c, k);
	}
}

void
chan_release(struct conn *c, struct chan *k)
{
	if (k->ops != NULL)
		k->ops->release(c, k);
	if (k->ch != NULL) {
		/* libssh keeps a channel we closed until the client's close
		 * arrives, and would call these callbacks then: with the slot
		 * reused, on the next channel (cb_close ending its command) */
		ssh_remove_channel_callbacks(k->ch, &k->cb);
		ssh_channel_free(k->ch);
	}
	k->ch = NULL;
}
