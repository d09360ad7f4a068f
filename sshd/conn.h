/* The connection process' state, shared by conn*.c (libssh side) and
 * chan*.c (its channels: chan-pty.c the TUI child, chan-exec.c command
 * children). */
#ifndef PGAL_SSHD_CONN_H
#define PGAL_SSHD_CONN_H

#include <sys/types.h>
#include <time.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>
#include <libssh/server.h>

#include "sshd.h"

#define CONN_MAX_CHANNELS 8
#define CONN_CMD_MAX 8192
#define CONN_IN_MAX 65536 /* client input held for a child that is not reading */

enum chan_kind {
	CHAN_IDLE = 0, /* opened, nothing requested yet */
	CHAN_PTY,      /* the TUI on a pty */
	CHAN_EXEC,     /* a command or scp in a child */
	CHAN_SFTP,     /* the SFTP server in this process */
	CHAN_DONE,     /* exit status sent, waiting for close */
};

/* What the client asked for, started by the main loop outside callbacks. */
enum chan_pending {
	PEND_NONE = 0,
	PEND_SHELL,
	PEND_EXEC,
	PEND_SFTP,
};

struct conn;

struct chan {
	struct conn *c;
	ssh_channel ch;
	struct ssh_channel_callbacks_struct cb;
	enum chan_kind kind;
	enum chan_pending pending;
	char *cmd; /* PEND_EXEC */

	/* pty-req and env */
	int has_pty;
	char term[64];
	char colorterm[32];
	char lang[64];
	int cols, rows, pxw, pxh;

	/* the child and its fds (-1 when none); for a pty in_fd == out_fd */
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
	int draining; /* the loop reads the channel itself: cb_data takes none */

	struct sftpd *sftp;
	/* whole SFTP packets at the head of the unread data (counted by
	 * cb_data, which sees it all), -1 for one too long to wait for */
	int sftp_whole;
	int closed; /* by the peer */
};

struct conn {
	const struct sshd_conn_args *a;
	const pgal_config *cfg;
	ssh_session s;
	ssh_event ev;
	struct sshd_gallery gallery;
	struct sftpd_uploads *sftp_uploads; /* from the first SFTP channel on */
	int authed;
	int guest;
	int vips_used; /* an ingest ran here: no more forks (libvips threads) */
	int tries;
	char user[64];
	char method[16];
	char token[PGAL_TOKEN_HEX + 1];
	time_t last_activity;
	struct chan chans[CONN_MAX_CHANNELS];
};

/* conn.c */
void conn_sleep_ms(int ms);

/* conn-auth.c: libssh's server callbacks for authentication */
int conn_auth_none(ssh_session s, const char *user, void *ud);
int conn_auth_password(ssh_session s, const char *user, const char *password, void *ud);
int conn_auth_pubkey(ssh_session s, const char *user, struct ssh_key_struct *pubkey,
    char state, void *ud);

/* chan.c */
/* libssh's server callback for a new session channel; NULL refuses it. */
ssh_channel conn_channel_open(ssh_session s, void *ud);
/* Starts what the client asked for on k (k->pending), from the loop. */
void chan_start(struct conn *c, struct chan *k);
void chan_finish(struct chan *k, int status);
/* Frees what a channel that is done holds. */
void chan_release(struct conn *c, struct chan *k);

/* chan-relay.c */
/* Client input for k's child, from cb_data: the bytes taken (buffered or
 * written); the rest stays in libssh. */
int chan_take_input(struct chan *k, const void *data, uint32_t len);
/* Once the child runs: polls its output and hands it the input that came
 * with the request. */
void chan_relay_start(struct conn *c, struct chan *k);
/* One pass after the event loop ran: descriptors at EOF are dropped and
 * client input moves on. */
void chan_relay(struct conn *c, struct chan *k);
/* Closes the child's descriptors and drops the input still buffered. */
void chan_relay_end(struct conn *c, struct chan *k);

/* chan-pty.c: forks the TUI on a new pty; 0 or -1 (message in err). */
int sshd_pty_spawn(struct conn *c, struct chan *ch, char *err, size_t errsz);
void sshd_pty_resize(struct chan *ch);

/* chan-exec.c: forks a command child with pipes; 0 or -1 (message in err). */
int sshd_exec_spawn(struct conn *c, struct chan *ch, char *err, size_t errsz);

#endif
