/* The session channels of a connection (chan*.c). A channel is opened
 * idle; the client's request (a shell, a command, the SFTP subsystem)
 * gives it a kind, a set of ops in its own file, which the connection's
 * loop then starts, services once a pass and releases:
 *   chan.c        the requests, and starting, ending and freeing channels
 *   chan-relay.c  bytes between a channel and its child's descriptors
 *   chan-pty.c    the TUI on a pty, in a child
 *   chan-exec.c   a command or scp, in a child on pipes
 *   chan-sftp.c   the SFTP server, in the connection process */
#ifndef PGAL_SSHD_CHAN_H
#define PGAL_SSHD_CHAN_H

#include <sys/types.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "sshd.h"

#define CHAN_CMD_MAX 8192
#define CHAN_IN_MAX 65536 /* client input held for a child that is not reading */

struct conn;
struct chan;

struct chan_ops {
	const char *name; /* for the logs: "tui", "exec", "sftp" */
	/* Starts what the client asked for, from the loop (never from a
	 * callback): PGAL_OK, or a code with the message for the client's
	 * stderr in e (none when empty); the channel then ends. */
	int (*start)(struct conn *c, struct chan *k, pgal_err *e);
	/* Client data for the channel, from libssh's callback: the bytes
	 * taken; the rest stays in libssh (and its window shuts). */
	int (*input)(struct chan *k, const void *data, uint32_t len, int is_stderr);
	/* One pass after the event loop ran, from the start on (also once
	 * the channel is done, until it is released). */
	void (*service)(struct conn *c, struct chan *k);
	/* Frees what the kind holds, whether it started or not. */
	void (*release)(struct conn *c, struct chan *k);
};

extern const struct chan_ops chan_pty_ops, chan_exec_ops, chan_sftp_ops;

struct chan {
	struct conn *c;
	ssh_channel ch;
	struct ssh_channel_callbacks_struct cb;
	const struct chan_ops *ops; /* what the client asked for; NULL: nothing yet */
	int started;
	int done;   /* exit status sent: waiting for the close */
	int closed; /* by the peer */

	/* pty-req and env, for the TUI */
	int has_pty;
	char term[64];
	char colorterm[32];
	char lang[64];
	int cols, rows, pxw, pxh;

	char *cmd; /* exec: the command line, until it starts */

	/* a child and its fds (-1 when none); for a pty in_fd == out_fd */
	pid_t pid;
	int exited;
	int status;
	int in_fd, out_fd, err_fd;
	int out_eof, err_eof;
	int out_hup; /* the pty hung up: its child is gone */
	int out_added, err_added;
	short out_events; /* what out_fd is in the event for (0: out of it for now) */
	short err_events; /* the same for err_fd */

	/* client input on its way to in_fd, written only when it would not
	 * block; what does not fit stays in libssh, whose window then closes */
	char *ibuf;
	size_t ilen;
	int in_err;   /* the child stopped reading: its input is dropped */
	int in_added; /* in_fd (a pipe) is in the event, for POLLOUT */
	int draining; /* the loop reads the channel itself: input takes none */

	struct sftpd *sftp; /* once the SFTP server's init packet is read */
	/* whole SFTP packets at the head of the unread data (counted by
	 * the input op, which sees it all), -1 for one too long to wait for */
	int sftpd_whole;
};

/* chan.c */
/* libssh's server callback for a new session channel; NULL refuses it. */
ssh_channel chan_open(ssh_session s, void *ud);
/* One pass over k after the event loop ran: starts what was asked for,
 * services it, and releases the channel once it is closed. */
void chan_service(struct conn *c, struct chan *k);
/* Ends a channel the way OpenSSH does: exit-status, EOF, close. */
void chan_finish(struct chan *k, int status);
/* Frees what the channel holds (and the channel). */
void chan_release(struct conn *c, struct chan *k);

/* chan-relay.c: the ops of the kinds that run a child (pty, exec) */
/* Once the child runs: polls its output and hands it the input that came
 * with the request. */
void chan_relay_start(struct conn *c, struct chan *k);
/* Client input for the child: buffered or written, never waited for. */
int chan_relay_input(struct chan *k, const void *data, uint32_t len, int is_stderr);
/* Moves bytes on, drops descriptors at EOF, and ends the channel with the
 * child's status once it has exited and its output is all sent. */
void chan_relay_service(struct conn *c, struct chan *k);
/* Closes the child's descriptors and drops the input still buffered. */
void chan_relay_release(struct conn *c, struct chan *k);

/* chan-pty.c: the client's new window size, to the TUI's terminal */
void chan_pty_resize(struct chan *k);

#endif
