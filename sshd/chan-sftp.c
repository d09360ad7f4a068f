/* The SFTP subsystem as a channel kind: the server (sftp*.c) runs in the
 * connection process and shares the connection's upload queue and spool
 * (struct sftpd_uploads) with its other SFTP channels. libssh reads an
 * SFTP packet blocking, so only whole ones are handed to it: the input op
 * counts them as they arrive, and a stalled client meets the idle timeout
 * instead of holding the loop. */
#include <time.h>

#define WITH_SERVER 1 /* the server half of sftp.h */
#include <libssh/sftp.h>

#include "conn.h"

static int
chan_sftp_start(struct conn *c, struct chan *k, pgal_err *e)
{
	/* either failure is logged; the client sees the channel end */
	if (sshd_gallery_get(&c->gallery, e) == NULL) {
		sshd_log("gallery: %s", e->msg);
		e->msg[0] = '\0';
		return e->code;
	}
	if (c->sftpd_uploads == NULL &&
	    (c->sftpd_uploads = sftpd_uploads_new(&c->gallery, c->token, c->user)) == NULL)
		e->code = PGAL_EBACKEND;
	return e->code;
}

/* Left in the channel for sftp_get_client_message; counted here, where
 * all of it is seen. */
static int
chan_sftp_input(struct chan *k, const void *data, uint32_t len, int is_stderr)
{
	if (!is_stderr)
		k->sftpd_whole = sftpd_packets(data, len);
	return 0;
}

/* Reads the client's init packet (whole: reading it does not block) and
 * answers it; -1 when the server could not start. */
static int
chan_sftp_open(struct conn *c, struct chan *k)
{
	sftp_session sftp;

	k->sftpd_whole--;
	if ((sftp = sftp_server_new(c->s, k->ch)) == NULL)
		return -1;
	if (sftpd_server_init(sftp) != 0 ||
	    (k->sftp = sftpd_new(c->sftpd_uploads, &c->gallery, c->token, c->user, sftp)) ==
	    NULL) {
		sftp_server_free(sftp);
		return -1;
	}
	return 0;
}

static void
chan_sftp_service(struct conn *c, struct chan *k)
{
	if (k->done || k->closed)
		return;
	if (k->sftpd_whole == -1) {
		sshd_log("sftp: user %s: a packet longer than any client sends", c->user);
		chan_finish(k, 1);
		return;
	}
	if (k->sftp == NULL) {
		if (k->sftpd_whole == 0)
			return;
		if (chan_sftp_open(c, k) == -1) {
			chan_finish(k, 1);
			return;
		}
	}
	/* a reply is written only when it cannot block (see conn.c's
	 * CONN_WRITE_WAIT_SECS): else the loop waits for the client's window
	 * to open or the buffer to drain */
	while (!k->closed && k->sftpd_whole > 0 && !(ssh_get_status(c->s) & SSH_WRITE_PENDING) &&
	    sftpd_ready(k->sftp)) {
		k->sftpd_whole--;
		c->last_activity = time(NULL);
		if (sftpd_step(k->sftp) == -1) {
			chan_finish(k, 0);
			return;
		}
	}
	if (ssh_channel_is_eof(k->ch) && k->sftpd_whole == 0)
		chan_finish(k, 0);
}

static void
chan_sftp_release(struct conn *c, struct chan *k)
{
	sftpd_free(k->sftp);
	k->sftp = NULL;
}

const struct chan_ops chan_sftp_ops = {
	.name = "sftp",
	.start = chan_sftp_start,
	.input = chan_sftp_input,
	.service = chan_sftp_service,
	.release = chan_sftp_release,
};
