/* The SFTP subsystem over libssh's server API (sftp_get_client_message and
 * sftp_reply_*). A virtual tree, nothing on the real file system:
 *   /                 the user's albums, as directories
 *   /ALBUM/           its photos (the originals), as files
 * Uploads are spooled to an unnamed private file. When the client closes
 * the handle, the quick checks decide (pgal_ingest_check: type, header,
 * limits, quota, name) and the answer goes out at once; the full ingest
 * runs in the connection's ingest queue (ingest-queue.c) meanwhile, and
 * listings show a queued photo (with its size) until its row exists. A
 * connection that drops before the close stores nothing of that file.
 * Refusals carry a status message that says why. The spool holds up to
 * ssh_spool_max of a connection's uploads (and leaves its file system's
 * reserve): beyond, a write or close waits for the queue. A message is
 * handled only when its reply fits the client's window (sshd_sftp_ready),
 * so a client that stops reading cannot hold this process in a write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "sanitize.h"
#include "sftp-int.h"

#define SFTP_HANDLES 256 /* libssh's handle table */
/* The longest packet taken: a write of 256 KiB and its header (what
 * OpenSSH's sftp-server takes too). */
#define PACKET_MAX (256 * 1024 + 1024)
/* The longest reply: a READ's data, or a batch of entries (sftp-dir.c),
 * with headers. */
#define REPLY_MAX (READ_MAX + 1024)

int64_t sftpd_spool_used;
struct sshd_iq *sftpd_iq;

pgal *
sftpd_gal(struct sshd_sftp *s)
{
	pgal_err e;

	/* closed around the queue worker's fork: opened again there, or here */
	if (*s->gp == NULL && pgal_open(s->gp, s->cfg, &e) != PGAL_OK) {
		sshd_log("sftp: gallery: %s", e.msg);
		_exit(PGAL_EBACKEND);
	}
	return *s->gp;
}

struct sshd_sftp *
sshd_sftp_new(const pgal_config *cfg, pgal **gp, const char *token, const char *user,
    struct sftp_session_struct *sftp)
{
	struct sshd_sftp *s;

	if (sftpd_iq == NULL &&
	    (sftpd_iq = sshd_iq_new(cfg, "sftp", user, token, STDERR_FILENO)) == NULL)
		return NULL;
	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->gp = gp;
	s->cfg = cfg;
	s->token = token;
	s->user = user;
	s->sftp = sftp;
	return s;
}

void
sshd_sftp_drain(void)
{
	if (sftpd_iq == NULL)
		return;
	if (sshd_iq_count(sftpd_iq) > 0)
		sshd_log("sftp: %zu upload(s) still to store before the connection ends",
		    sshd_iq_count(sftpd_iq));
	sshd_iq_free(sftpd_iq);
	sftpd_iq = NULL;
}

int
sshd_sftp_tick(void)
{
	if (sftpd_iq == NULL)
		return 0;
	sshd_iq_poll(sftpd_iq);
	return sshd_iq_count(sftpd_iq) > 0;
}

int
sshd_sftp_packets(const void *data, size_t len)
{
	pgal_reader r;
	uint32_t n;
	int count = 0;

	pgal_reader_init(&r, data, len);
	while (count < 1000000 && pgal_read_u32be(&r, &n) == 0) {
		if (n == 0 || n > PACKET_MAX)
			return count > 0 ? count : -1;
		if (pgal_read_skip(&r, n) == -1)
			break;
		count++;
	}
	return count;
}

/* The client's window (what may be sent before it reads): a reply that
 * does not fit would make libssh wait for the client inside the write. */
uint32_t
sftpd_window(struct sshd_sftp *s)
{
	return ssh_channel_window_size(s->sftp->channel);
}

int
sshd_sftp_ready(struct sshd_sftp *s)
{
	uint32_t w = sftpd_window(s), need = REPLY_MAX;

	if (w > s->window_max)
		s->window_max = w;
	/* a client with a smaller window gets replies cut to fit (read,
	 * readdir), once it is open all the way */
	if (need > s->window_max)
		need = s->window_max;
	return w > 0 && w >= need;
}

void
sftpd_handle_free(struct sshd_sftp *s, struct handle *h)
{
	struct handle **pp;

	for (pp = &s->handles; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	s->nhandles--;
	sftpd_spool_used -= h->spooled;
	if (h->fd != -1)
		close(h->fd);
	free(h->albums);
	free(h->queued);
	free(h->seen);
	free(h);
}

void
sshd_sftp_free(struct sshd_sftp *s)
{
	if (s == NULL)
		return;
	while (s->handles != NULL)
		sftpd_handle_free(s, s->handles);
	sftp_server_free(s->sftp);
	free(s);
}

static int
status_of(int code)
{
	switch (code) {
	case PGAL_OK: return SSH_FX_OK;
	case PGAL_ENOTFOUND: return SSH_FX_NO_SUCH_FILE;
	case PGAL_EDENIED: return SSH_FX_PERMISSION_DENIED;
	default: return SSH_FX_FAILURE;
	}
}

void
sftpd_reply_err(struct sshd_sftp *s, sftp_client_message m, int code, const char *msg)
{
	char clean[512];

	pgal_sanitize(clean, sizeof clean, msg, 0);
	sftp_reply_status(m, (uint32_t)status_of(code), clean);
}

void
sftpd_reply_pgal(struct sshd_sftp *s, sftp_client_message m, const pgal_err *e)
{
	sftpd_reply_err(s, m, e->code, e->msg);
}

/* The message's path in the virtual tree; on a bad path the reply (with
 * `code`) is sent and -1 returned. */
int
sftpd_client_path(struct sshd_sftp *s, sftp_client_message m, struct vpath *v, int code)
{
	const char *why;

	if (sftp_parse_path(m->filename, v, &why) == 0)
		return 0;
	sftpd_reply_err(s, m, code, why);
	return -1;
}

/* A queued upload as the photo it will be: its name, size and time. */
void
sftpd_wait_others(struct sshd_sftp *s)
{
	int ms = s->cfg->ssh_ingest_timeout_secs * 1000;

	sshd_iq_poll(sftpd_iq);
	if (sshd_iq_count(sftpd_iq) > 0)
		return;
	if (ms > SFTP_OTHERS_WAIT_MS)
		ms = SFTP_OTHERS_WAIT_MS;
	(void)sshd_pending_wait(s->cfg, s->user, ms);
}

void
sftpd_queued_photo(pgal_photo *ph, const struct sshd_iq_job *j)
{
	memset(ph, 0, sizeof *ph);
	snprintf(ph->album, sizeof ph->album, "%s", j->album);
	snprintf(ph->name, sizeof ph->name, "%s", j->name);
	ph->bytes = j->bytes;
	ph->added_at = ph->sort_taken = j->queued_at;
}

struct handle *
sftpd_handle_new(struct sshd_sftp *s, enum hkind kind)
{
	struct handle *h = calloc(1, sizeof *h);

	if (h == NULL)
		return NULL;
	h->kind = kind;
	h->fd = -1;
	h->next = s->handles;
	s->handles = h;
	s->nhandles++;
	return h;
}

int
sftpd_give_handle(struct sshd_sftp *s, sftp_client_message m, struct handle *h)
{
	ssh_string hs = sftp_handle_alloc(s->sftp, h);

	if (hs == NULL) {
		sftpd_handle_free(s, h);
		sftpd_reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return -1;
	}
	sftp_reply_handle(m, hs);
	ssh_string_free(hs);
	return 0;
}

struct handle *
sftpd_find_handle(struct sshd_sftp *s, sftp_client_message m)
{
	struct handle *h, *want;
	uint32_t idx;

	/* libssh 0.10 reads its table one past the end: check the index here */
	if (m->handle == NULL || ssh_string_len(m->handle) != sizeof(uint32_t))
		return NULL;
	memcpy(&idx, ssh_string_data(m->handle), sizeof idx);
	if (idx >= SFTP_HANDLES || (want = sftp_handle(s->sftp, m->handle)) == NULL)
		return NULL;
	/* only pointers we handed out */
	for (h = s->handles; h != NULL; h = h->next)
		if (h == want)
			return h;
	return NULL;
}

/* libssh hands paths over as C strings: a NUL inside one would silently cut
 * it short ("a\0b" becoming "a"). Checks the wire lengths of the path (the
 * first string after the id, or after the name of an extended request) and
 * of a rename's target against what arrived. */
static int
paths_whole(sftp_client_message m, int type)
{
	const unsigned char *p, *ext;
	pgal_reader r;
	size_t extlen;
	uint32_t v;

	if (m->filename != NULL) {
		if (m->complete_message == NULL)
			return 0;
		p = ssh_buffer_get(m->complete_message);
		if (p == NULL)
			return 0;
		pgal_reader_init(&r, p, ssh_buffer_get_len(m->complete_message));
		if (pgal_read_u32be(&r, &v) == -1)
			return 0;
		if (type == SSH_FXP_EXTENDED && pgal_read_string(&r, &ext, &extlen) == -1)
			return 0;
		if (pgal_read_u32be(&r, &v) == -1 || v != strlen(m->filename))
			return 0;
	}
	if ((type == SSH_FXP_RENAME || type == SSH_FXP_EXTENDED) && m->data != NULL &&
	    memchr(ssh_string_data(m->data), '\0', ssh_string_len(m->data)) != NULL)
		return 0;
	return 1;
}

int
sshd_sftp_step(struct sshd_sftp *s)
{
	sftp_client_message m;
	const char *sub;
	int type;

	if ((m = sftp_get_client_message(s->sftp)) == NULL)
		return -1;
	type = sftp_client_message_get_type(m);
	if (!paths_whole(m, type)) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "a NUL byte in a path");
		sftp_client_message_free(m);
		return 0;
	}
	switch (type) {
	case SSH_FXP_OPEN:
		sftpd_do_open(s, m);
		break;
	case SSH_FXP_READ:
		sftpd_do_read(s, m);
		break;
	case SSH_FXP_WRITE:
		sftpd_do_write(s, m);
		break;
	case SSH_FXP_CLOSE:
		sftpd_do_close(s, m);
		break;
	case SSH_FXP_OPENDIR:
		sftpd_do_opendir(s, m);
		break;
	case SSH_FXP_READDIR:
		sftpd_do_readdir(s, m);
		break;
	case SSH_FXP_STAT:
	case SSH_FXP_LSTAT:
		sftpd_do_stat(s, m);
		break;
	case SSH_FXP_FSTAT:
		sftpd_do_fstat(s, m);
		break;
	case SSH_FXP_REALPATH:
		sftpd_do_realpath(s, m);
		break;
	case SSH_FXP_MKDIR:
		sftpd_do_mkdir(s, m);
		break;
	case SSH_FXP_RMDIR:
		sftpd_do_rmdir(s, m);
		break;
	case SSH_FXP_REMOVE:
		sftpd_do_remove(s, m);
		break;
	case SSH_FXP_RENAME:
		sftpd_do_rename(s, m, m->filename, sftp_client_message_get_data(m));
		break;
	case SSH_FXP_SETSTAT:
	case SSH_FXP_FSETSTAT:
		/* times and modes mean nothing in the virtual tree */
		sftp_reply_status(m, SSH_FX_OK, NULL);
		break;
	case SSH_FXP_EXTENDED:
		sub = sftp_client_message_get_submessage(m);
		if (sub != NULL && strcmp(sub, "posix-rename@openssh.com") == 0)
			sftpd_do_rename(s, m, m->filename, sftp_client_message_get_data(m));
		else
			sftp_reply_status(m, SSH_FX_OP_UNSUPPORTED, "not supported");
		break;
	default:
		sftp_reply_status(m, SSH_FX_OP_UNSUPPORTED, "not supported here");
		break;
	}
	sftp_client_message_free(m);
	return 0;
}
