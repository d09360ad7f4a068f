/* The shell channel kind: the TUI on a pseudo-terminal. openpty, a child
 * that makes the slave its controlling terminal and runs the same TUI code
 * as pgal-tui, and window changes passed on with TIOCSWINSZ (the kernel
 * then sends SIGWINCH). The relay (chan-relay.c) serves the master. */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "conn.h"
#include "tui.h"

static void
fill_winsize(const struct chan *k, struct winsize *ws)
{
	memset(ws, 0, sizeof *ws);
	ws->ws_col = (unsigned short)k->cols;
	ws->ws_row = (unsigned short)k->rows;
	ws->ws_xpixel = (unsigned short)k->pxw;
	ws->ws_ypixel = (unsigned short)k->pxh;
}

void
chan_pty_resize(struct chan *k)
{
	struct winsize ws;

	if (k->out_fd == -1)
		return;
	fill_winsize(k, &ws);
	ioctl(k->out_fd, TIOCSWINSZ, &ws);
}

static void __attribute__((noreturn))
tui_child(struct conn *c, struct chan *k)
{
	const pgal_config *cfg = c->cfg;
	pgal_tui_env env;
	struct sshd_reach reach;
	pgal *g;
	pgal_err e;
	FILE *in, *out;
	int rc;

	setenv("TERM", k->term[0] != '\0' ? k->term : "xterm", 1);
	if (k->colorterm[0] != '\0')
		setenv("COLORTERM", k->colorterm, 1);
	else
		unsetenv("COLORTERM");
	/* the client's LANG (cb_env checked it) or a UTF-8 default; the
	 * TUI's own locale stays the C.UTF-8 that main set */
	setenv("LANG", k->lang[0] != '\0' ? k->lang : "C.UTF-8", 1);
	pgal_err_clear(&e);
	c->gallery.door = "tui";
	if ((g = sshd_gallery_get(&c->gallery, &e)) == NULL) {
		printf("the gallery is not available right now: %s\r\n", e.msg);
		fflush(stdout);
		_exit(4);
	}
	if ((in = fdopen(0, "r")) == NULL || (out = fdopen(1, "w")) == NULL)
		_exit(1);
	memset(&env, 0, sizeof env);
	env.token = c->guest || c->token[0] == '\0' ? NULL : c->token;
	env.remote = 1;
	/* the address the client reached us at, for the scp/sftp hints */
	sshd_reach(cfg, &reach);
	env.ssh_host = reach.host;
	env.ssh_port = reach.port_buf;
	env.ssh_user = c->guest ? NULL : c->user;
	env.persist_session = 0;
	env.in = in;
	env.out = out;
	env.term = getenv("TERM");
	env.colorterm = getenv("COLORTERM");
	env.no_color = NULL;
	rc = pgal_tui_run(g, &env);
	fflush(out);
	sshd_gallery_close(&c->gallery);
	_exit(rc == 0 ? 0 : 1);
}

static int
chan_pty_start(struct conn *c, struct chan *k, pgal_err *e)
{
	struct sshd_child_fds fds = { .extra = -1, .tty = 1 };
	struct winsize ws;
	int master, slave;
	pid_t pid;

	if (!k->has_pty)
		return pgal_fail(e, PGAL_EUSAGE, c->guest ?
		    "the gallery is a full-screen app: connect with 'ssh -t'" :
		    "the gallery is a full-screen app: connect with 'ssh -t', or "
		    "give a command (ssh HOST help)");
	fill_winsize(k, &ws);
	if (openpty(&master, &slave, NULL, NULL, &ws) == -1) {
		sshd_log("openpty: %s", strerror(errno));
		return pgal_fail(e, PGAL_EBACKEND, "no pseudo-terminal available");
	}
	fds.in = fds.out = fds.err = slave;
	if ((pid = sshd_child_fork(&c->gallery, &fds)) == -1) {
		close(master);
		close(slave);
		return pgal_fail(e, PGAL_EBACKEND, "server busy, try again");
	}
	if (pid == 0)
		tui_child(c, k);
	close(slave);
	fcntl(master, F_SETFD, FD_CLOEXEC);
	/* input is written only when it fits: a TUI not reading must not
	 * stop this process */
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	k->pid = pid;
	k->in_fd = k->out_fd = master;
	k->err_fd = -1;
	sshd_log("tui: user %s%s term %s %dx%d", c->user, c->guest ? " (guest)" : "", k->term,
	    k->cols, k->rows);
	chan_relay_start(c, k);
	return PGAL_OK;
}

const struct chan_ops chan_pty_ops = {
	.name = "tui",
	.start = chan_pty_start,
	.input = chan_relay_input,
	.service = chan_relay_service,
	.release = chan_relay_release,
};
