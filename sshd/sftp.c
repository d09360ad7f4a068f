/* The SFTP subsystem over libssh's server API (sftp_get_client_message and
 * sftp_reply_*). A virtual tree, nothing on the real file system:
 *   /                 the user's albums, as directories
 *   /ALBUM/           its photos (the originals), as files
 * It behaves like the file system sync tools expect: a write to a name is
 * that photo's new content (pgal_put_opts replace), a file's time is what
 * the client set, temporary names wait for their rename (sftp-temp.c).
 * Uploads are spooled to an unnamed private file: the first block must be
 * an image's, the quota is checked as the bytes arrive. When the client
 * closes the handle, the quick checks decide (pgal_ingest_check_as: type,
 * header, limits, quota, duplicates) and the answer goes out at once; the
 * full ingest runs in the connection's ingest queue (ingest-queue.c)
 * meanwhile, and every connection of the user finds a queued photo (with
 * its size and time) by its record (pending.c) until its row exists. A
 * connection that drops before the close stores nothing of that file.
 * Refusals carry a status message that says why, also on the channel's
 * stderr for the clients that print only the code. The spool holds up to
 * ssh_spool_max of a connection's uploads (and leaves its file system's
 * reserve): beyond, a write or close waits for the queue. A message is
 * handled only when its reply fits the client's window (sftpd_ready),
 * so a client that stops reading cannot hold this process in a write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reader.h"
#include "sanitize.h"
#include "sftp-int.h"

#define LIBSSH_HANDLES 256 /* libssh's handle table */
/* The longest packet taken: a write of 256 KiB and its header (what
 * OpenSSH's sftp-server takes too). */
#define PACKET_MAX (256 * 1024 + 1024)
/* The longest reply: a READ's data, or a batch of entries (sftp-dir.c),
 * with headers. */
#define REPLY_MAX (READ_MAX + 1024)

/* closed around the queue worker's fork: opened again here */
pgal *
sftpd_gal(struct sftpd *s)
{
	return sshd_gallery_need(s->gal, "sftp");
}

struct sftpd_uploads *
sftpd_uploads_new(struct sshd_gallery *sg, const char *token, const char *user)
{
	struct sftpd_uploads *u;

	if ((u = calloc(1, sizeof *u)) == NULL)
		return NULL;
	if ((u->iq = sshd_iq_new(sg, "sftp", user, token)) == NULL) {
		free(u);
		return NULL;
	}
	/* a write to a photo's name replaces it, as on a file system */
	sshd_iq_replace(u->iq, 1);
	return u;
}

void
sftpd_uploads_free(struct sftpd_uploads *u)
{
	if (u == NULL)
		return;
	if (sshd_iq_count(u->iq) > 0)
		sshd_log("sftp: %zu upload%s still to store before the connection ends",
		    sshd_iq_count(u->iq), sshd_iq_count(u->iq) == 1 ? "" : "s");
	while (u->temps != NULL) {
		sshd_log("sftp: %s/%s dropped: a temporary name never renamed", u->temps->album,
		    u->temps->name);
		sftpd_temp_drop(u, u->temps);
	}
	sshd_iq_free(u->iq);
	free(u);
}

int
sftpd_uploads_tick(struct sftpd_uploads *u)
{
	if (u == NULL)
		return 0;
	sshd_iq_poll(u->iq);
	return sshd_iq_count(u->iq) > 0;
}

struct sftpd *
sftpd_new(struct sftpd_uploads *u, struct sshd_gallery *sg, const char *token,
    const char *user, struct sftp_session_struct *sftp)
{
	struct sftpd *s;

	if ((s = calloc(1, sizeof *s)) == NULL)
		return NULL;
	s->up = u;
	s->gal = sg;
	s->cfg = sg->cfg;
	s->token = token;
	s->user = user;
	s->sftp = sftp;
	return s;
}

int
sftpd_packets(const void *data, size_t len)
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
sftpd_window(struct sftpd *s)
{
	return ssh_channel_window_size(s->sftp->channel);
}

/* Clients re-open their window only once part of it is used: OpenSSH,
 * asyncssh and Go's ssh (rclone) when half is, dropbear a third (its
 * default window is 24 KiB). Waiting for more than what is left then
 * waits forever, so a message is handled once a quarter of the largest
 * window the client granted is open, or a whole reply of the largest kind.
 * Replies are cut to the window (read, readdir); the rest are small. */
#define WINDOW_WAIT_DIVISOR 4

int
sftpd_ready(struct sftpd *s)
{
	uint32_t w = sftpd_window(s), need = REPLY_MAX;

	if (w > s->window_max)
		s->window_max = w;
	if (need > s->window_max / WINDOW_WAIT_DIVISOR)
		need = s->window_max / WINDOW_WAIT_DIVISOR;
	return w > 0 && w >= need;
}

void
sftpd_handle_free(struct sftpd *s, struct handle *h)
{
	struct handle **pp;

	for (pp = &s->handles; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	s->nhandles--;
	s->up->spool_used -= h->spooled;
	if (h->kind == H_WRITE)
		s->up->writing -= h->spooled;
	if (h->fd != -1)
		close(h->fd);
	free(h->albums);
	free(h->queued);
	free(h->seen);
	free(h);
}

void
sftpd_free(struct sftpd *s)
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

/* A line on the channel's stderr, if the client's window has room (it is
 * a courtesy: never worth waiting for). */
static void
sftpd_tell(struct sftpd *s, const char *msg)
{
	char line[600];
	int n;

	n = snprintf(line, sizeof line, "pgal: %s\n", msg);
	if (n < 0 || (size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	if (sftpd_window(s) >= (uint32_t)n + 256)
		(void)ssh_channel_write_stderr(s->sftp->channel, line, (uint32_t)n);
}

void
sftpd_reply_err(struct sftpd *s, sftp_client_message m, int code, const char *msg)
{
	char clean[512];

	pgal_sanitize(clean, sizeof clean, msg, 0);
	sftp_reply_status(m, (uint32_t)status_of(code), clean);
	if (!s->quiet)
		sftpd_tell(s, clean);
}

void
sftpd_reply_pgal(struct sftpd *s, sftp_client_message m, const pgal_err *e)
{
	sftpd_reply_err(s, m, e->code, e->msg);
}

/* The message's path in the virtual tree; on a bad path the reply (with
 * `code`) is sent and -1 returned. */
int
sftpd_client_path(struct sftpd *s, sftp_client_message m, struct sshd_vpath *v, int code)
{
	pgal_err e;

	if (sshd_vpath_parse(m->filename, v, &e) == PGAL_OK)
		return 0;
	sftpd_reply_err(s, m, code, e.msg);
	return -1;
}

/* While waiting for another connection's upload: this one's results are
 * taken in (that connection may be waiting for one of them). */
static void
poll_own(void *iq)
{
	sshd_iq_poll(iq);
}

void
sftpd_wait_stored(struct sftpd *s, const char *album, const char *name)
{
	struct sshd_pending_rec r;

	sshd_iq_poll(s->up->iq);
	if (sshd_iq_find(s->up->iq, album, name) != NULL) {
		/* each wait ends a job (or the queue): bounded by the queue */
		while (sshd_iq_find(s->up->iq, album, name) != NULL &&
		    sshd_iq_wait(s->up->iq) == 0)
			;
	} else if (sshd_pending_find(s->gal, s->token, album, name, &r) == 0)
		(void)sshd_pending_wait_name(s->gal, s->token, album, name,
		    s->cfg->ssh_ingest_timeout_secs * 1000 + 2000, poll_own, s->up->iq);
}

void
sftpd_queued_photo(pgal_photo *ph, const struct sshd_pending_rec *r)
{
	memset(ph, 0, sizeof *ph);
	snprintf(ph->album, sizeof ph->album, "%s", r->album);
	snprintf(ph->name, sizeof ph->name, "%s", r->name);
	ph->bytes = r->bytes;
	ph->added_at = ph->sort_taken = r->queued_at;
	ph->mtime = r->mtime;
}

int
sftpd_photo_get(struct sftpd *s, const char *album, const char *name, pgal_photo *ph,
    pgal_err *e)
{
	struct sshd_pending_rec r;
	const struct sshd_iq_job *j;
	struct sftpd_temp *t;
	int rc;

	/* a temporary name: this connection's file aside, or nothing */
	if (sftpd_temp_name(name)) {
		if ((t = sftpd_temp_find(s->up, album, name)) == NULL)
			return pgal_fail(e, PGAL_ENOTFOUND, "no such file");
		memset(ph, 0, sizeof *ph);
		snprintf(ph->album, sizeof ph->album, "%s", album);
		snprintf(ph->name, sizeof ph->name, "%s", name);
		ph->bytes = t->bytes;
		ph->added_at = ph->sort_taken = t->closed_at;
		ph->mtime = t->mtime;
		return PGAL_OK;
	}
	sshd_iq_poll(s->up->iq);
	if (sshd_pending_find(s->gal, s->token, album, name, &r) == 0) {
		/* the album must still be the user's */
		pgal_album al;

		if ((rc = pgal_album_get(sftpd_gal(s), s->token, album, &al, e)) != PGAL_OK)
			return rc;
		sftpd_queued_photo(ph, &r);
		return PGAL_OK;
	}
	rc = pgal_photo_get(sftpd_gal(s), s->token, album, name, ph, e);
	/* the record is best effort: this connection's own queue is known */
	if (rc == PGAL_ENOTFOUND && (j = sshd_iq_find(s->up->iq, album, name)) != NULL) {
		snprintf(r.album, sizeof r.album, "%s", j->album);
		snprintf(r.name, sizeof r.name, "%s", j->name);
		r.bytes = j->bytes;
		r.queued_at = j->queued_at;
		r.mtime = j->mtime;
		sftpd_queued_photo(ph, &r);
		pgal_err_clear(e);
		return PGAL_OK;
	}
	return rc;
}

struct handle *
sftpd_handle_new(struct sftpd *s, enum hkind kind)
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
sftpd_give_handle(struct sftpd *s, sftp_client_message m, struct handle *h)
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
sftpd_find_handle(struct sftpd *s, sftp_client_message m)
{
	struct handle *h, *want;
	uint32_t idx;

	/* libssh 0.10 reads its table one past the end: check the index here */
	if (m->handle == NULL || ssh_string_len(m->handle) != sizeof(uint32_t))
		return NULL;
	memcpy(&idx, ssh_string_data(m->handle), sizeof idx);
	if (idx >= LIBSSH_HANDLES || (want = sftp_handle(s->sftp, m->handle)) == NULL)
		return NULL;
	/* only pointers we handed out */
	for (h = s->handles; h != NULL; h = h->next)
		if (h == want)
			return h;
	return NULL;
}

/* libssh hands paths over as C strings: a NUL inside one would silently cut
 * it short ("a\0b" becoming "a"). Checks the wire length of the path (the
 * first string after the id, or after the name of an extended request)
 * against what arrived. */
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
	return 1;
}

/* The second path (a rename's target) comes as a string: it must hold no
 * NUL for the C string libssh makes of it. */
static int
target_whole(sftp_client_message m)
{
	return m->data == NULL ||
	    memchr(ssh_string_data(m->data), '\0', ssh_string_len(m->data)) == NULL;
}

/* Whether a request only looks: a refusal of one that does is an answer
 * (a client probing for a name), not news for the user's terminal. */
enum looks {
	CHANGES,            /* a refusal is told on the channel's stderr */
	LOOKS,              /* refused quietly */
	LOOKS_UNLESS_WRITE, /* OPEN: quietly unless it opens for writing */
};

/* The requests taken, one row each like OpenSSH's sftp-server.c: the
 * type, the extension's name for SSH_FXP_EXTENDED, how many paths the
 * request carries (checked whole before the handler runs), whether it
 * only looks, and the handler, which sends the reply. */
static const struct sftpd_request {
	uint8_t type;
	const char *extension;
	int paths;
	enum looks looks;
	void (*handler)(struct sftpd *s, sftp_client_message m);
} requests[] = {
	{ SSH_FXP_OPEN, NULL, 1, LOOKS_UNLESS_WRITE, sftpd_do_open },
	{ SSH_FXP_CLOSE, NULL, 0, CHANGES, sftpd_do_close },
	{ SSH_FXP_READ, NULL, 0, LOOKS, sftpd_do_read },
	{ SSH_FXP_WRITE, NULL, 0, CHANGES, sftpd_do_write },
	{ SSH_FXP_LSTAT, NULL, 1, LOOKS, sftpd_do_stat },
	{ SSH_FXP_FSTAT, NULL, 0, LOOKS, sftpd_do_fstat },
	{ SSH_FXP_SETSTAT, NULL, 1, CHANGES, sftpd_do_setstat },
	{ SSH_FXP_FSETSTAT, NULL, 0, CHANGES, sftpd_do_setstat },
	{ SSH_FXP_OPENDIR, NULL, 1, LOOKS, sftpd_do_opendir },
	{ SSH_FXP_READDIR, NULL, 0, LOOKS, sftpd_do_readdir },
	{ SSH_FXP_REMOVE, NULL, 1, CHANGES, sftpd_do_remove },
	{ SSH_FXP_MKDIR, NULL, 1, CHANGES, sftpd_do_mkdir },
	{ SSH_FXP_RMDIR, NULL, 1, CHANGES, sftpd_do_rmdir },
	{ SSH_FXP_REALPATH, NULL, 1, LOOKS, sftpd_do_realpath },
	{ SSH_FXP_STAT, NULL, 1, LOOKS, sftpd_do_stat },
	{ SSH_FXP_RENAME, NULL, 2, CHANGES, sftpd_do_rename },
	{ SSH_FXP_EXTENDED, "posix-rename@openssh.com", 2, CHANGES, sftpd_do_rename },
	/* its path is read by the handler: libssh leaves it in the message */
	{ SSH_FXP_EXTENDED, "statvfs@openssh.com", 0, CHANGES, sftpd_do_statvfs },
	{ SSH_FXP_EXTENDED, "users-groups-by-id@openssh.com", 0, CHANGES,
	  sftpd_do_users_groups },
};

static const struct sftpd_request *
find_request(sftp_client_message m)
{
	uint8_t type = sftp_client_message_get_type(m);
	const char *ext = type == SSH_FXP_EXTENDED ? sftp_client_message_get_submessage(m) : NULL;
	size_t i;

	for (i = 0; i < sizeof requests / sizeof requests[0]; i++) {
		if (requests[i].type != type)
			continue;
		if (requests[i].extension == NULL ||
		    (ext != NULL && strcmp(requests[i].extension, ext) == 0))
			return &requests[i];
	}
	return NULL;
}

static int
looks_only(const struct sftpd_request *r, sftp_client_message m)
{
	if (r != NULL && r->looks == LOOKS_UNLESS_WRITE)
		return !(sftp_client_message_get_flags(m) & SSH_FXF_WRITE);
	return r != NULL && r->looks == LOOKS;
}

int
sftpd_step(struct sftpd *s)
{
	const struct sftpd_request *r;
	sftp_client_message m;

	if ((m = sftp_get_client_message(s->sftp)) == NULL)
		return -1;
	r = find_request(m);
	s->quiet = looks_only(r, m);
	if (r == NULL)
		sftp_reply_status(m, SSH_FX_OP_UNSUPPORTED,
		    sftp_client_message_get_type(m) == SSH_FXP_EXTENDED ? "not supported" :
		    "not supported here");
	else if ((r->paths >= 1 && !paths_whole(m, r->type)) ||
	    (r->paths >= 2 && !target_whole(m)))
		sftpd_reply_err(s, m, PGAL_EINPUT, "a NUL byte in a path");
	else
		r->handler(s, m);
	sftp_client_message_free(m);
	return 0;
}
