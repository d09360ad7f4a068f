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
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libssh/libssh.h>
#define WITH_SERVER 1 /* the server half of sftp.h */
#include <libssh/sftp.h>

#include "blobs.h"
#include "cmd.h"
#include "quota.h"
#include "sanitize.h"
#include "sftp-tree.h"
#include "sshd.h"

#define DIR_BATCH 100
#define READ_MAX 262144
/* each read handle holds a copy of an original in the spool: few at once */
#define HANDLES_MAX 16
#define SFTP_HANDLES 256 /* libssh's handle table */
/* The longest packet taken: a write of 256 KiB and its header (what
 * OpenSSH's sftp-server takes too). */
#define PACKET_MAX (256 * 1024 + 1024)
/* The most one directory entry takes in a NAME reply: the name, its
 * longname (a 512-byte buffer) and the attributes. */
#define ENTRY_MAX (PGAL_PHOTO_NAME_MAX + 512 + 64)
/* The longest reply: a READ's data, or a batch of entries, with headers. */
#define REPLY_MAX (READ_MAX + 1024)

enum hkind { H_ROOT, H_ALBUM, H_READ, H_WRITE };

struct handle {
	enum hkind kind;
	char album[PGAL_ALBUM_MAX + 1];
	char name[PGAL_PHOTO_NAME_MAX + 1];
	int fd;
	char path[64];
	int64_t size; /* written so far (high-water mark) */
	int64_t spooled; /* bytes of the spool this handle holds */
	char fail[256]; /* a write was refused: the reason, given at close */
	/* directory listing */
	pgal_album *albums;
	size_t nalbums, pos;
	pgal_cursor cur;
	int dir_done;
	int photos_done; /* the stored ones listed: the queued ones next */
	/* uploads of the album queued when the listing began, each listed
	 * after the stored photos unless a stored one of its name came by */
	struct sshd_iq_job *queued;
	size_t nqueued;
	unsigned char *seen;
	struct handle *next;
};

struct sshd_sftp {
	pgal **gp; /* the connection's: reopened when the queue's worker forks */
	const pgal_config *cfg;
	const char *token;
	const char *user;
	sftp_session sftp;
	struct handle *handles;
	int nhandles;
	uint32_t window_max; /* the largest window the client gave */
};

/* Spool bytes held by the open handles of every SFTP channel of this
 * connection (a process); the ingest queue's files count on top. */
static int64_t spool_used;
/* The connection's uploads on their way through the full ingest. */
static struct sshd_iq *conn_iq;

static pgal *
gal(struct sshd_sftp *s)
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

	if (conn_iq == NULL &&
	    (conn_iq = sshd_iq_new(cfg, "sftp", user, token, STDERR_FILENO)) == NULL)
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
	if (conn_iq == NULL)
		return;
	if (sshd_iq_count(conn_iq) > 0)
		sshd_log("sftp: %zu upload(s) still to store before the connection ends",
		    sshd_iq_count(conn_iq));
	sshd_iq_free(conn_iq);
	conn_iq = NULL;
}

void
sshd_sftp_tick(void)
{
	if (conn_iq != NULL)
		sshd_iq_poll(conn_iq);
}

int
sshd_sftp_packets(const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t off = 0;
	uint32_t n;
	int count = 0;

	while (len - off >= 4 && count < 1000000) {
		n = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
		    (uint32_t)p[off + 2] << 8 | p[off + 3];
		if (n == 0 || n > PACKET_MAX)
			return count > 0 ? count : -1;
		if (len - off - 4 < n)
			break;
		off += 4 + (size_t)n;
		count++;
	}
	return count;
}

/* The client's window (what may be sent before it reads): a reply that
 * does not fit would make libssh wait for the client inside the write. */
static uint32_t
window(struct sshd_sftp *s)
{
	return ssh_channel_window_size(s->sftp->channel);
}

int
sshd_sftp_ready(struct sshd_sftp *s)
{
	uint32_t w = window(s), need = REPLY_MAX;

	if (w > s->window_max)
		s->window_max = w;
	/* a client with a smaller window gets replies cut to fit (read,
	 * readdir), once it is open all the way */
	if (need > s->window_max)
		need = s->window_max;
	return w > 0 && w >= need;
}

static void
handle_free(struct sshd_sftp *s, struct handle *h)
{
	struct handle **pp;

	for (pp = &s->handles; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == h) {
			*pp = h->next;
			break;
		}
	}
	s->nhandles--;
	spool_used -= h->spooled;
	if (h->fd != -1)
		close(h->fd);
	free(h->albums);
	free(h->queued);
	free(h->seen);
	free(h);
}

/* Whether n more spool bytes fit: the connection's budget (ssh_spool_max,
 * queued uploads included; the first file always fits, whatever its size)
 * and the room the spool's file system has above its reserve. While they
 * do not fit and uploads are queued, this waits for the queue
 * (backpressure: the client waits rather than the disk filling). 1 when it
 * fits, 0 over the budget, -1 with the disk too full. */
static int
spool_fits(struct sshd_sftp *s, int64_t n, int fd)
{
	int64_t cap = s->cfg->ssh_spool_max, used;

	sshd_iq_poll(conn_iq);
	for (;;) {
		used = spool_used + sshd_iq_bytes(conn_iq);
		if (n <= sshd_spool_room(s->cfg, fd) &&
		    (used == 0 || (n >= 0 && used <= cap && n <= cap - used)))
			return 1;
		if (sshd_iq_wait(conn_iq) == -1)
			return n <= sshd_spool_room(s->cfg, fd) ? 0 : -1;
	}
}

static void
spool_account(struct handle *h, int64_t now)
{
	spool_used += now - h->spooled;
	h->spooled = now;
}

void
sshd_sftp_free(struct sshd_sftp *s)
{
	if (s == NULL)
		return;
	while (s->handles != NULL)
		handle_free(s, s->handles);
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

static void
reply_err(struct sshd_sftp *s, sftp_client_message m, int code, const char *msg)
{
	char clean[512];

	pgal_sanitize(clean, sizeof clean, msg, 0);
	sftp_reply_status(m, (uint32_t)status_of(code), clean);
}

static void
reply_pgal(struct sshd_sftp *s, sftp_client_message m, const pgal_err *e)
{
	reply_err(s, m, e->code, e->msg);
}

/* The message's path in the virtual tree; on a bad path the reply (with
 * `code`) is sent and -1 returned. */
static int
client_path(struct sshd_sftp *s, sftp_client_message m, struct vpath *v, int code)
{
	const char *why;

	if (sftp_parse_path(m->filename, v, &why) == 0)
		return 0;
	reply_err(s, m, code, why);
	return -1;
}

/* A queued upload as the photo it will be: its name, size and time. */
static void
queued_photo(pgal_photo *ph, const struct sshd_iq_job *j)
{
	memset(ph, 0, sizeof *ph);
	snprintf(ph->album, sizeof ph->album, "%s", j->album);
	snprintf(ph->name, sizeof ph->name, "%s", j->name);
	ph->bytes = j->bytes;
	ph->added_at = ph->sort_taken = j->queued_at;
}

static int
stat_path(struct sshd_sftp *s, const struct vpath *v, struct sftp_attributes_struct *a,
    pgal_err *e)
{
	pgal_album al;
	pgal_photo ph;
	int rc;

	if (v->depth == 0) {
		sftp_attr_dir(a, 0);
		return pgal_session_check(gal(s), s->token, NULL, e);
	}
	if (v->depth == 1) {
		if ((rc = pgal_album_get(gal(s), s->token, v->album, &al, e)) != PGAL_OK)
			return rc;
		sftp_attr_dir(a, al.updated_at);
		return PGAL_OK;
	}
	if ((rc = pgal_photo_get(gal(s), s->token, v->album, v->photo, &ph, e)) != PGAL_OK) {
		const struct sshd_iq_job *j;

		sshd_iq_poll(conn_iq);
		if (rc != PGAL_ENOTFOUND ||
		    (j = sshd_iq_find(conn_iq, v->album, v->photo)) == NULL)
			return rc;
		queued_photo(&ph, j);
		pgal_err_clear(e);
	}
	sftp_attr_photo(a, &ph);
	return PGAL_OK;
}

static struct handle *
handle_new(struct sshd_sftp *s, enum hkind kind)
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

static int
give_handle(struct sshd_sftp *s, sftp_client_message m, struct handle *h)
{
	ssh_string hs = sftp_handle_alloc(s->sftp, h);

	if (hs == NULL) {
		handle_free(s, h);
		reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return -1;
	}
	sftp_reply_handle(m, hs);
	ssh_string_free(hs);
	return 0;
}

static struct handle *
find_handle(struct sshd_sftp *s, sftp_client_message m)
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

static void
do_open(struct sshd_sftp *s, sftp_client_message m)
{
	struct vpath v;
	struct handle *h;
	pgal_photo ph;
	pgal_err e;
	struct stat st;
	uint32_t fl = sftp_client_message_get_flags(m);
	int rc;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth < 2) {
		reply_err(s, m, PGAL_EINPUT, v.depth == 0 ?
		    "photos go into an album: put them into /ALBUM/" : "that is an album (a directory)");
		return;
	}
	if (s->nhandles >= HANDLES_MAX) {
		reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return;
	}
	if (fl & SSH_FXF_WRITE) {
		pgal_album al;

		if (pgal_album_get(gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
			reply_pgal(s, m, &e);
			return;
		}
		sshd_iq_poll(conn_iq);
		if (pgal_quota_check(gal(s), s->token, sshd_iq_bytes(conn_iq) + 1, &e) != PGAL_OK) {
			reply_pgal(s, m, &e);
			return;
		}
		if ((h = handle_new(s, H_WRITE)) == NULL) {
			reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if ((h->fd = sshd_spool_open(s->cfg, h->path, sizeof h->path)) == -1) {
			handle_free(s, h);
			reply_err(s, m, PGAL_EBACKEND, "the server cannot take files right now");
			return;
		}
	} else {
		/* a photo still queued is there to read once stored */
		sshd_iq_poll(conn_iq);
		if (sshd_iq_find(conn_iq, v.album, v.photo) != NULL)
			sshd_iq_wait_album(conn_iq, v.album);
		if (pgal_photo_get(gal(s), s->token, v.album, v.photo, &ph, &e) != PGAL_OK) {
			reply_pgal(s, m, &e);
			return;
		}
		if ((rc = spool_fits(s, ph.bytes, -1)) != 1) {
			reply_err(s, m, PGAL_EBACKEND, rc == 0 ?
			    "too many open files: close some first" :
			    "the server is short of disk space: try again later");
			return;
		}
		if ((h = handle_new(s, H_READ)) == NULL) {
			reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if ((h->fd = sshd_spool_open(s->cfg, h->path, sizeof h->path)) == -1 ||
		    pgal_photo_read(gal(s), s->token, v.album, v.photo, PGAL_BLOB_ORIG, h->fd, &e)
		    != PGAL_OK) {
			handle_free(s, h);
			if (e.code == PGAL_OK)
				pgal_fail(&e, PGAL_EBACKEND, "the server cannot read files right now");
			reply_pgal(s, m, &e);
			return;
		}
		if (fstat(h->fd, &st) == 0)
			spool_account(h, st.st_size);
	}
	snprintf(h->album, sizeof h->album, "%s", v.album);
	snprintf(h->name, sizeof h->name, "%s", v.photo);
	give_handle(s, m, h);
}

static void
do_read(struct sshd_sftp *s, sftp_client_message m)
{
	struct handle *h = find_handle(s, m);
	char *buf;
	ssize_t n;
	uint32_t len = m->len;

	if (h == NULL || h->kind != H_READ) {
		reply_err(s, m, PGAL_EUSAGE, "not a file open for reading");
		return;
	}
	if (len > READ_MAX)
		len = READ_MAX;
	/* a short read is allowed; a reply that waits for the client is not */
	if (window(s) < len + 64)
		len = window(s) > 1024 ? window(s) - 64 : 960;
	if ((buf = malloc(len ? len : 1)) == NULL) {
		reply_err(s, m, PGAL_EBACKEND, "out of memory");
		return;
	}
	n = pread(h->fd, buf, len, (off_t)m->offset);
	if (n < 0)
		reply_err(s, m, PGAL_EBACKEND, "read error");
	else if (n == 0)
		sftp_reply_status(m, SSH_FX_EOF, "end of file");
	else
		sftp_reply_data(m, buf, (int)n);
	free(buf);
}

static void
do_write(struct sshd_sftp *s, sftp_client_message m)
{
	struct handle *h = find_handle(s, m);
	size_t len;
	uint64_t end;
	int rc;

	if (h == NULL || h->kind != H_WRITE) {
		reply_err(s, m, PGAL_EUSAGE, "not a file open for writing");
		return;
	}
	if (h->fail[0] != '\0') {
		reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	len = m->data != NULL ? ssh_string_len(m->data) : 0;
	end = m->offset + len;
	if (end < m->offset || end > (uint64_t)s->cfg->max_upload_bytes) {
		char lim[16];

		pgal_fmt_size(lim, s->cfg->max_upload_bytes);
		snprintf(h->fail, sizeof h->fail, "%s: larger than the upload limit of %s",
		    h->name, lim);
		/* the spool space goes back at once */
		if (ftruncate(h->fd, 0) == 0) {
			h->size = 0;
			spool_account(h, 0);
		}
		reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	if ((int64_t)end > h->size &&
	    (rc = spool_fits(s, (int64_t)end - h->spooled, h->fd)) != 1) {
		/* other handles hold the spool, or the disk is full; a hole
		 * must not be ingested */
		if (rc == 0)
			snprintf(h->fail, sizeof h->fail, "%s: too much open at once: close some "
			    "files first", h->name);
		else
			snprintf(h->fail, sizeof h->fail, "%s: the server is short of disk space: "
			    "try again later", h->name);
		if (ftruncate(h->fd, 0) == 0) {
			h->size = 0;
			spool_account(h, 0);
		}
		reply_err(s, m, PGAL_EBACKEND, h->fail);
		return;
	}
	if (len > 0 && pwrite(h->fd, ssh_string_data(m->data), len, (off_t)m->offset) !=
	    (ssize_t)len) {
		snprintf(h->fail, sizeof h->fail, "%s: the server could not store the data",
		    h->name);
		reply_err(s, m, PGAL_EBACKEND, h->fail);
		return;
	}
	if ((int64_t)end > h->size) {
		h->size = (int64_t)end;
		spool_account(h, h->size);
	}
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

/* The close of an upload: the quick checks decide and the answer goes out;
 * the spool file moves to the ingest queue, which stores it meanwhile. */
static void
finish_upload(struct sshd_sftp *s, sftp_client_message m, struct handle *h)
{
	pgal_ingest_info info;
	char err[256];
	pgal_err e;

	pgal_err_clear(&e);
	if (h->fail[0] != '\0') {
		reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	/* backpressure: a full queue makes the client wait here */
	sshd_iq_poll(conn_iq);
	while (sshd_iq_full(conn_iq) && sshd_iq_wait(conn_iq) == 0)
		;
	if (pgal_ingest_check(gal(s), s->token, h->album, h->fd, h->name, sshd_iq_bytes(conn_iq),
	    sshd_iq_taken, conn_iq, &info, &e) != PGAL_OK) {
		sshd_log("sftp: user %s: %s/%s refused: %s", s->user, h->album, h->name, e.msg);
		reply_pgal(s, m, &e);
		return;
	}
	if (sshd_iq_submit(conn_iq, s->gp, h->fd, h->album, info.name, info.bytes, err,
	    sizeof err) != 0) {
		h->fd = -1;
		sshd_log("sftp: user %s: %s/%s refused: %s", s->user, h->album, h->name, err);
		reply_err(s, m, PGAL_EBACKEND, err);
		return;
	}
	h->fd = -1; /* the queue's now */
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

static void
do_close(struct sshd_sftp *s, sftp_client_message m)
{
	struct handle *h = find_handle(s, m);

	if (h == NULL) {
		reply_err(s, m, PGAL_EUSAGE, "no such handle");
		return;
	}
	sftp_handle_remove(s->sftp, h);
	if (h->kind == H_WRITE)
		finish_upload(s, m, h);
	else {
		if (h->kind == H_READ)
			sshd_log("sftp: user %s sent %s/%s", s->user, h->album, h->name);
		sftp_reply_status(m, SSH_FX_OK, NULL);
	}
	handle_free(s, h);
}

static void
do_opendir(struct sshd_sftp *s, sftp_client_message m)
{
	struct vpath v;
	struct handle *h;
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_ENOTFOUND) != 0)
		return;
	if (v.depth == 2) {
		reply_err(s, m, PGAL_EINPUT, "not a directory");
		return;
	}
	if (s->nhandles >= HANDLES_MAX) {
		reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return;
	}
	if (v.depth == 0 ? pgal_session_check(gal(s), s->token, NULL, &e) != PGAL_OK :
	    pgal_album_get(gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	if ((h = handle_new(s, v.depth == 0 ? H_ROOT : H_ALBUM)) == NULL) {
		reply_err(s, m, PGAL_EBACKEND, "out of memory");
		return;
	}
	snprintf(h->album, sizeof h->album, "%s", v.album);
	give_handle(s, m, h);
}

/* The album's queued uploads when its listing starts. A job that finishes
 * during the listing is then either met among the stored photos (seen) or
 * listed from here: never twice, never missed. */
static int
snapshot_queue(struct handle *h)
{
	const struct sshd_iq_job *j;
	size_t i, n = 0;

	sshd_iq_poll(conn_iq);
	n = sshd_iq_count(conn_iq);
	if ((h->queued = calloc(n ? n : 1, sizeof *h->queued)) == NULL ||
	    (h->seen = calloc(n ? n : 1, 1)) == NULL)
		return -1;
	n = 0;
	for (i = 0; (j = sshd_iq_job(conn_iq, i)) != NULL; i++)
		if (strcmp(j->album, h->album) == 0)
			h->queued[n++] = *j;
	h->nqueued = n;
	return 0;
}

static void
mark_seen(struct handle *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nqueued; i++)
		if (strcmp(h->queued[i].name, name) == 0)
			h->seen[i] = 1;
}

/* Up to max queued photos not listed yet; *rest tells whether any remain. */
static size_t
list_queued(struct sshd_sftp *s, sftp_client_message m, struct handle *h, size_t max,
    int *rest)
{
	struct sftp_attributes_struct a;
	char ln[512];
	pgal_photo ph;
	size_t i, n = 0;

	*rest = 0;
	for (i = 0; i < h->nqueued; i++) {
		if (h->seen[i])
			continue;
		if (n == max) {
			*rest = 1;
			break;
		}
		queued_photo(&ph, &h->queued[i]);
		sftp_attr_photo(&a, &ph);
		sftp_longname(ln, sizeof ln, &a, s->user, ph.name);
		sftp_reply_names_add(m, ph.name, ln, &a);
		h->seen[i] = 1;
		n++;
	}
	return n;
}

static void
do_readdir(struct sshd_sftp *s, sftp_client_message m)
{
	struct handle *h = find_handle(s, m);
	struct sftp_attributes_struct a;
	char ln[512];
	pgal_err e;
	size_t i, n = 0, batch = DIR_BATCH;
	int rest;

	pgal_err_clear(&e);
	/* as many entries as the client's window takes now */
	if (window(s) / ENTRY_MAX < batch + 1)
		batch = window(s) / ENTRY_MAX > 1 ? window(s) / ENTRY_MAX - 1 : 1;
	if (h == NULL || (h->kind != H_ROOT && h->kind != H_ALBUM)) {
		reply_err(s, m, PGAL_EUSAGE, "not a directory handle");
		return;
	}
	if (h->dir_done) {
		sftp_reply_status(m, SSH_FX_EOF, NULL);
		return;
	}
	if (h->kind == H_ROOT) {
		if (h->albums == NULL &&
		    pgal_album_list(gal(s), s->token, &h->albums, &h->nalbums, &e) != PGAL_OK) {
			reply_pgal(s, m, &e);
			return;
		}
		for (i = 0; i < batch && h->pos < h->nalbums; i++, h->pos++, n++) {
			const pgal_album *al = &h->albums[h->pos];

			sftp_attr_dir(&a, al->updated_at);
			sftp_longname(ln, sizeof ln, &a, s->user, al->name);
			sftp_reply_names_add(m, al->name, ln, &a);
		}
		if (h->pos >= h->nalbums)
			h->dir_done = 1;
	} else {
		pgal_photo *page;
		pgal_cursor next;

		if (h->seen == NULL && snapshot_queue(h) == -1) {
			reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if (!h->photos_done) {
			if ((page = calloc(batch, sizeof *page)) == NULL) {
				reply_err(s, m, PGAL_EBACKEND, "out of memory");
				return;
			}
			if (pgal_photo_list(gal(s), s->token, h->album, PGAL_SORT_ADDED, &h->cur,
			    batch, page, &n, &next, &e) != PGAL_OK) {
				free(page);
				reply_pgal(s, m, &e);
				return;
			}
			for (i = 0; i < n; i++) {
				mark_seen(h, page[i].name);
				sftp_attr_photo(&a, &page[i]);
				sftp_longname(ln, sizeof ln, &a, s->user, page[i].name);
				sftp_reply_names_add(m, page[i].name, ln, &a);
			}
			free(page);
			if (next.valid)
				h->cur = next;
			else
				h->photos_done = 1;
		}
		if (h->photos_done && n < batch) {
			n += list_queued(s, m, h, batch - n, &rest);
			if (!rest)
				h->dir_done = 1;
		}
	}
	if (n == 0)
		sftp_reply_status(m, SSH_FX_EOF, NULL);
	else
		sftp_reply_names(m);
}

static void
do_stat(struct sshd_sftp *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	struct vpath v;
	pgal_err e;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_ENOTFOUND) != 0)
		return;
	if (stat_path(s, &v, &a, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sftp_reply_attr(m, &a);
}

static void
do_fstat(struct sshd_sftp *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	struct handle *h = find_handle(s, m);
	struct vpath v;
	struct stat st;
	pgal_err e;

	pgal_err_clear(&e);
	if (h == NULL) {
		reply_err(s, m, PGAL_EUSAGE, "no such handle");
		return;
	}
	if ((h->kind == H_READ || h->kind == H_WRITE) && fstat(h->fd, &st) == 0) {
		pgal_photo ph;

		memset(&ph, 0, sizeof ph);
		ph.bytes = st.st_size;
		ph.added_at = ph.sort_taken = (int64_t)time(NULL);
		sftp_attr_photo(&a, &ph);
		sftp_reply_attr(m, &a);
		return;
	}
	memset(&v, 0, sizeof v);
	v.depth = h->kind == H_ROOT ? 0 : 1;
	snprintf(v.album, sizeof v.album, "%s", h->album);
	if (stat_path(s, &v, &a, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sftp_reply_attr(m, &a);
}

static void
do_realpath(struct sshd_sftp *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	char out[512];

	if (sftp_realpath_of(m->filename, out, sizeof out) == -1) {
		reply_err(s, m, PGAL_ENOTFOUND, "no such path");
		return;
	}
	sftp_attr_dir(&a, 0);
	sftp_reply_name(m, out, &a);
}

static void
do_mkdir(struct sshd_sftp *s, sftp_client_message m)
{
	struct vpath v;
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth != 1) {
		reply_err(s, m, PGAL_EINPUT, v.depth == 0 ? "the root exists" :
		    "albums hold photos, not folders");
		return;
	}
	if (pgal_album_create(gal(s), s->token, v.album, NULL, NULL, &al, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sshd_log("sftp: user %s created album %s", s->user, v.album);
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

static void
do_rmdir(struct sshd_sftp *s, sftp_client_message m)
{
	struct vpath v;
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth != 1) {
		reply_err(s, m, PGAL_EINPUT, v.depth == 0 ? "the root cannot be removed" :
		    "not an album");
		return;
	}
	sshd_iq_wait_album(conn_iq, v.album);
	if (pgal_album_get(gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	if (al.photo_count > 0 && !s->cfg->ssh_rmdir_nonempty) {
		reply_err(s, m, PGAL_EINPUT, "album not empty: remove its photos first");
		return;
	}
	if (pgal_album_delete(gal(s), s->token, v.album, NULL, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sshd_log("sftp: user %s removed album %s", s->user, v.album);
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

static void
do_remove(struct sshd_sftp *s, sftp_client_message m)
{
	struct vpath v;
	pgal_err e;

	pgal_err_clear(&e);
	if (client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth != 2) {
		reply_err(s, m, PGAL_EINPUT, "not a photo (remove albums with rmdir)");
		return;
	}
	sshd_iq_wait_album(conn_iq, v.album);
	if (pgal_photo_delete(gal(s), s->token, v.album, v.photo, &e) != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sshd_log("sftp: user %s removed %s/%s", s->user, v.album, v.photo);
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

static void
do_rename(struct sshd_sftp *s, sftp_client_message m, const char *from, const char *to)
{
	struct vpath a, b;
	const char *why;
	pgal_album al;
	pgal_photo ph;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (sftp_parse_path(from, &a, &why) != 0 || sftp_parse_path(to, &b, &why) != 0) {
		reply_err(s, m, PGAL_EINPUT, why);
		return;
	}
	/* queued uploads are stored first: under the names they were given */
	sshd_iq_wait_album(conn_iq, a.album);
	sshd_iq_wait_album(conn_iq, b.album);
	if (a.depth == 2 && b.depth == 2)
		rc = pgal_photo_move(gal(s), s->token, a.album, a.photo, b.album, b.photo, &ph, &e);
	else if (a.depth == 1 && b.depth == 1)
		rc = pgal_album_update(gal(s), s->token, a.album, b.album, NULL, NULL, &al, &e);
	else {
		reply_err(s, m, PGAL_EINPUT, "rename a photo to ALBUM/PHOTO, an album to ALBUM");
		return;
	}
	if (rc != PGAL_OK) {
		reply_pgal(s, m, &e);
		return;
	}
	sshd_log("sftp: user %s renamed %s%s%s to %s%s%s", s->user, a.album, a.depth == 2 ? "/" : "",
	    a.photo, b.album, b.depth == 2 ? "/" : "", b.photo);
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

/* Reads a big-endian u32 at *off of the raw message. */
static int
wire_u32(const unsigned char *p, size_t len, size_t *off, uint32_t *v)
{
	if (len - *off < 4)
		return -1;
	p += *off;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	*off += 4;
	return 0;
}

/* libssh hands paths over as C strings: a NUL inside one would silently cut
 * it short ("a\0b" becoming "a"). Checks the wire lengths of the path (the
 * first string after the id, or after the name of an extended request) and
 * of a rename's target against what arrived. */
static int
paths_whole(sftp_client_message m, int type)
{
	const unsigned char *p;
	size_t len, off = 0;
	uint32_t v;

	if (m->filename != NULL) {
		if (m->complete_message == NULL)
			return 0;
		p = ssh_buffer_get(m->complete_message);
		len = ssh_buffer_get_len(m->complete_message);
		if (p == NULL || wire_u32(p, len, &off, &v) == -1)
			return 0;
		if (type == SSH_FXP_EXTENDED) {
			if (wire_u32(p, len, &off, &v) == -1 || v > len - off)
				return 0;
			off += v;
		}
		if (wire_u32(p, len, &off, &v) == -1 || v != strlen(m->filename))
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
		reply_err(s, m, PGAL_EINPUT, "a NUL byte in a path");
		sftp_client_message_free(m);
		return 0;
	}
	switch (type) {
	case SSH_FXP_OPEN:
		do_open(s, m);
		break;
	case SSH_FXP_READ:
		do_read(s, m);
		break;
	case SSH_FXP_WRITE:
		do_write(s, m);
		break;
	case SSH_FXP_CLOSE:
		do_close(s, m);
		break;
	case SSH_FXP_OPENDIR:
		do_opendir(s, m);
		break;
	case SSH_FXP_READDIR:
		do_readdir(s, m);
		break;
	case SSH_FXP_STAT:
	case SSH_FXP_LSTAT:
		do_stat(s, m);
		break;
	case SSH_FXP_FSTAT:
		do_fstat(s, m);
		break;
	case SSH_FXP_REALPATH:
		do_realpath(s, m);
		break;
	case SSH_FXP_MKDIR:
		do_mkdir(s, m);
		break;
	case SSH_FXP_RMDIR:
		do_rmdir(s, m);
		break;
	case SSH_FXP_REMOVE:
		do_remove(s, m);
		break;
	case SSH_FXP_RENAME:
		do_rename(s, m, m->filename, sftp_client_message_get_data(m));
		break;
	case SSH_FXP_SETSTAT:
	case SSH_FXP_FSETSTAT:
		/* times and modes mean nothing in the virtual tree */
		sftp_reply_status(m, SSH_FX_OK, NULL);
		break;
	case SSH_FXP_EXTENDED:
		sub = sftp_client_message_get_submessage(m);
		if (sub != NULL && strcmp(sub, "posix-rename@openssh.com") == 0)
			do_rename(s, m, m->filename, sftp_client_message_get_data(m));
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
