/* SFTP on photos as files. A download copies the original to the spool
 * at open and reads from there (a photo still queued once it is stored).
 * An upload is written to an unnamed spool file: refused at OPEN when the
 * album is missing or its given size is over a limit, at the first WRITE
 * when it is no image, at the WRITE that passes the quota; at close the
 * quick checks decide and the answer goes out while the ingest queue
 * stores it. The spool holds up to ssh_spool_max of the connection's files
 * (and leaves its file system's reserve): beyond, a write or an open waits
 * for the queue. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "quota.h"
#include "sftp-int.h"

/* Whether n more spool bytes fit: the connection's budget (ssh_spool_max,
 * queued uploads included; the first file always fits, whatever its size)
 * and the room the spool's file system has above its reserve. While they
 * do not fit and uploads are queued, this waits for the queue
 * (backpressure: the client waits rather than the disk filling). 1 when it
 * fits, 0 over the budget, -1 with the disk too full. */
static int
spool_fits(struct sftpd *s, int64_t n, int fd)
{
	int64_t cap = s->cfg->ssh_spool_max, used;

	sshd_iq_poll(s->up->iq);
	for (;;) {
		used = s->up->spool_used + sshd_iq_bytes(s->up->iq);
		if (n <= sshd_spool_room(s->cfg, fd) &&
		    (used == 0 || (n >= 0 && used <= cap && n <= cap - used)))
			return 1;
		if (sshd_iq_wait(s->up->iq) == -1)
			return n <= sshd_spool_room(s->cfg, fd) ? 0 : -1;
	}
}

static void
spool_account(struct sftpd *s, struct handle *h, int64_t now)
{
	s->up->spool_used += now - h->spooled;
	if (h->kind == H_WRITE)
		s->up->writing += now - h->spooled;
	h->spooled = now;
}

/* The store is asked about the quota once per this many bytes arriving:
 * a write is not a database round trip. */
#define QUOTA_STEP (1 << 20)

/* Whether the quota has room for `incoming` bytes on their way (queued,
 * being written) besides what is stored: PGAL_OK, or PGAL_EINPUT saying
 * "over quota" and why. */
static int
quota_room(struct sftpd *s, const char *album, const char *name, int64_t incoming,
    pgal_err *e)
{
	pgal_err why;
	int rc;

	if (s->cfg->quota_bytes <= 0 || incoming <= s->up->quota_ok_upto)
		return PGAL_OK;
	pgal_err_clear(&why);
	if (pgal_quota_check(sftpd_gal(s), s->token, incoming + QUOTA_STEP, &why) == PGAL_OK) {
		s->up->quota_ok_upto = incoming + QUOTA_STEP;
		return PGAL_OK;
	}
	pgal_err_clear(&why);
	if ((rc = pgal_quota_check(sftpd_gal(s), s->token, incoming, &why)) == PGAL_OK) {
		s->up->quota_ok_upto = incoming;
		return PGAL_OK;
	}
	sshd_log("sftp: user %s: %s/%s refused: %s", s->user, album, name, why.msg);
	if (rc != PGAL_EINPUT)
		return pgal_fail(e, rc, "%s", why.msg);
	return pgal_fail(e, PGAL_EINPUT, "%s: over quota (%s)", name, why.msg);
}

/* The reason an upload into a missing album gets, in e (returned). */
static const char *
no_album(const char *album, pgal_err *e)
{
	pgal_fail(e, PGAL_ENOTFOUND, "%s: no such album (make it with mkdir %s)", album, album);
	return e->msg;
}

/* What an upload's OPEN can be refused for: no such album, no room left,
 * and when the client says its size, that size over a limit. */
static int
open_limits(struct sftpd *s, const struct sshd_vpath *v, sftp_attributes attr, pgal_err *e)
{
	pgal_album al;
	int64_t size = 0;
	char lim[16];
	int rc;

	if ((rc = pgal_album_get(sftpd_gal(s), s->token, v->album, &al, e)) != PGAL_OK) {
		if (rc == PGAL_ENOTFOUND)
			no_album(v->album, e);
		return rc;
	}
	if (attr != NULL && (attr->flags & SSH_FILEXFER_ATTR_SIZE) && attr->size > 0) {
		if (attr->size > (uint64_t)s->cfg->max_upload_bytes) {
			pgal_fmt_size(lim, s->cfg->max_upload_bytes);
			return pgal_fail(e, PGAL_EINPUT, "%s: larger than the upload limit of %s",
			    v->photo, lim);
		}
		size = (int64_t)attr->size;
	}
	sshd_iq_poll(s->up->iq);
	/* one byte at least must fit */
	s->up->quota_ok_upto = 0;
	return quota_room(s, v->album, v->photo, sshd_iq_bytes(s->up->iq) + s->up->writing +
	    (size > 0 ? size : 1), e);
}

/* A write refused: the reason is kept for the close, the bytes so far go
 * (a refused upload keeps nothing, and its spool space comes back). */
static void
refuse_write(struct sftpd *s, sftp_client_message m, struct handle *h, int code,
    const char *why)
{
	snprintf(h->fail, sizeof h->fail, "%s", why);
	if (ftruncate(h->fd, 0) == 0) {
		h->size = 0;
		spool_account(s, h, 0);
	}
	sftpd_reply_err(s, m, code, h->fail);
}

void
sftpd_do_open(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;
	struct handle *h;
	pgal_photo ph;
	pgal_err e;
	struct stat st;
	uint32_t fl = sftp_client_message_get_flags(m);
	int rc;

	pgal_err_clear(&e);
	if (sftpd_client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth < 2) {
		pgal_album al;

		/* "pscp a.jpg host:nosuch/" opens nosuch/ itself */
		if (v.depth == 1 && pgal_album_get(sftpd_gal(s), s->token, v.album, &al, &e) ==
		    PGAL_ENOTFOUND)
			sftpd_reply_err(s, m, PGAL_ENOTFOUND, no_album(v.album, &e));
		else
			sftpd_reply_err(s, m, PGAL_EINPUT, v.depth == 0 ?
			    "photos go into an album: put them into /ALBUM/" :
			    "that is an album (a directory)");
		return;
	}
	if (s->nhandles >= HANDLES_MAX) {
		sftpd_reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return;
	}
	if (fl & SSH_FXF_WRITE) {
		if (open_limits(s, &v, m->attr, &e) != PGAL_OK) {
			sftpd_reply_pgal(s, m, &e);
			return;
		}
		if ((h = sftpd_handle_new(s, H_WRITE)) == NULL) {
			sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if ((h->fd = sshd_spool_open(s->cfg, h->path, sizeof h->path)) == -1) {
			sftpd_handle_free(s, h);
			sftpd_reply_err(s, m, PGAL_EBACKEND, "the server cannot take files right now");
			return;
		}
	} else if (sftpd_temp_name(v.photo)) {
		struct sftpd_temp *t = sftpd_temp_find(s->up, v.album, v.photo);

		if (t == NULL) {
			sftpd_reply_err(s, m, PGAL_ENOTFOUND, "no such file");
			return;
		}
		if ((h = sftpd_handle_new(s, H_READ)) == NULL ||
		    (h->fd = dup(t->fd)) == -1) {
			if (h != NULL)
				sftpd_handle_free(s, h);
			sftpd_reply_err(s, m, PGAL_EBACKEND, "too many open files");
			return;
		}
	} else {
		/* a photo still queued (on any connection) is read once stored */
		sftpd_wait_stored(s, v.album, v.photo);
		if ((rc = pgal_photo_get(sftpd_gal(s), s->token, v.album, v.photo, &ph, &e)) !=
		    PGAL_OK) {
			sftpd_reply_pgal(s, m, &e);
			return;
		}
		if ((rc = spool_fits(s, ph.bytes, -1)) != 1) {
			sftpd_reply_err(s, m, PGAL_EBACKEND, rc == 0 ?
			    "too many open files: close some first" :
			    "the server is short of disk space: try again later");
			return;
		}
		if ((h = sftpd_handle_new(s, H_READ)) == NULL) {
			sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if ((h->fd = sshd_spool_open(s->cfg, h->path, sizeof h->path)) == -1 ||
		    pgal_photo_read(sftpd_gal(s), s->token, v.album, v.photo, PGAL_BLOB_ORIG,
		    h->fd, &e) != PGAL_OK) {
			sftpd_handle_free(s, h);
			if (e.code == PGAL_OK)
				pgal_fail(&e, PGAL_EBACKEND, "the server cannot read files right now");
			sftpd_reply_pgal(s, m, &e);
			return;
		}
		if (fstat(h->fd, &st) == 0)
			spool_account(s, h, st.st_size);
	}
	snprintf(h->album, sizeof h->album, "%s", v.album);
	snprintf(h->name, sizeof h->name, "%s", v.photo);
	sftpd_give_handle(s, m, h);
}

void
sftpd_do_read(struct sftpd *s, sftp_client_message m)
{
	struct handle *h = sftpd_find_handle(s, m);
	char *buf;
	ssize_t n;
	uint32_t len = m->len;

	if (h == NULL || h->kind != H_READ) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "not a file open for reading");
		return;
	}
	if (len > READ_MAX)
		len = READ_MAX;
	/* a short read is allowed; a reply that waits for the client is not */
	if (sftpd_window(s) < len + 64)
		len = sftpd_window(s) > 1024 ? sftpd_window(s) - 64 : 960;
	if ((buf = malloc(len ? len : 1)) == NULL) {
		sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
		return;
	}
	n = pread(h->fd, buf, len, (off_t)m->offset);
	if (n < 0)
		sftpd_reply_err(s, m, PGAL_EBACKEND, "read error");
	else if (n == 0)
		sftp_reply_status(m, SSH_FX_EOF, "end of file");
	else
		sftp_reply_data(m, buf, (int)n);
	free(buf);
}

void
sftpd_do_write(struct sftpd *s, sftp_client_message m)
{
	struct handle *h = sftpd_find_handle(s, m);
	char why[sizeof h->fail];
	size_t len;
	uint64_t end;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (h == NULL || h->kind != H_WRITE) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "not a file open for writing");
		return;
	}
	if (h->fail[0] != '\0') {
		/* the client was told at the write refused: once is enough */
		s->quiet = 1;
		sftpd_reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	len = m->data != NULL ? ssh_string_len(m->data) : 0;
	end = m->offset + len;
	if (end < m->offset || end > (uint64_t)s->cfg->max_upload_bytes) {
		char lim[16];

		pgal_fmt_size(lim, s->cfg->max_upload_bytes);
		snprintf(why, sizeof why, "%s: larger than the upload limit of %s", h->name, lim);
		refuse_write(s, m, h, PGAL_EINPUT, why);
		return;
	}
	/* the first block tells an image from anything else (writes may come
	 * out of order: only the one at offset 0 has it) */
	if (m->offset == 0 && !h->head_checked && len > 0) {
		if (pgal_ingest_check_head(ssh_string_data(m->data), len, &e) != PGAL_OK) {
			snprintf(why, sizeof why, "%s: %s", h->name, e.msg);
			sshd_log("sftp: user %s: %s/%s refused: %s", s->user, h->album, h->name,
			    e.msg);
			refuse_write(s, m, h, PGAL_EINPUT, why);
			return;
		}
		h->head_checked = 1;
	}
	if ((int64_t)end > h->size) {
		/* the quota, as the bytes arrive on every handle */
		sshd_iq_poll(s->up->iq);
		if ((rc = quota_room(s, h->album, h->name, sshd_iq_bytes(s->up->iq) +
		    s->up->writing + ((int64_t)end - h->spooled), &e)) != PGAL_OK) {
			refuse_write(s, m, h, rc, e.msg);
			return;
		}
		if ((rc = spool_fits(s, (int64_t)end - h->spooled, h->fd)) != 1) {
			/* other handles hold the spool, or the disk is full; a
			 * hole must not be ingested */
			snprintf(why, sizeof why, rc == 0 ?
			    "%s: too much open at once: close some files first" :
			    "%s: the server is short of disk space: try again later", h->name);
			refuse_write(s, m, h, PGAL_EBACKEND, why);
			return;
		}
	}
	if (len > 0 && pwrite(h->fd, ssh_string_data(m->data), len, (off_t)m->offset) !=
	    (ssize_t)len) {
		snprintf(why, sizeof why, "%s: the server could not store the data", h->name);
		refuse_write(s, m, h, PGAL_EBACKEND, why);
		return;
	}
	if ((int64_t)end > h->size) {
		h->size = (int64_t)end;
		spool_account(s, h, h->size);
	}
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

int
sftpd_upload_store(struct sftpd *s, const char *album, const char *name, int *fd,
    int64_t held, int64_t mtime, pgal_err *e)
{
	struct sshd_pending_rec other;
	pgal_ingest_info info;
	pgal_err why;
	int rc;

	pgal_err_clear(&why);
	/* backpressure: a full queue makes the client wait here */
	sshd_iq_poll(s->up->iq);
	while (sshd_iq_full(s->up->iq) && sshd_iq_wait(s->up->iq) == 0)
		;
	/* a write to a name is that photo's new content, as on a file system */
	rc = pgal_ingest_check_as(sftpd_gal(s), s->token, album, *fd, name,
	    sshd_iq_bytes(s->up->iq) + s->up->writing - held, &info, &why);
	if (rc == PGAL_OK && info.unchanged) {
		sshd_log("sftp: user %s: %s/%s unchanged (the same bytes)", s->user, album,
		    info.name);
		if (mtime > 0)
			(void)pgal_photo_set_mtime(sftpd_gal(s), s->token, album, info.name, mtime,
			    &why);
		return PGAL_OK;
	}
	/* the same bytes may be on their way under another name */
	if (rc == PGAL_OK && sshd_pending_find_sha(s->gal, s->token, info.sha256, &other) == 0 &&
	    (strcmp(other.album, album) != 0 || strcmp(other.name, info.name) != 0))
		rc = pgal_fail(&why, PGAL_EINPUT, "already stored as %s/%s", other.album,
		    other.name);
	if (rc == PGAL_OK) {
		rc = sshd_iq_submit(s->up->iq, *fd, album, info.name, info.bytes, mtime,
		    info.sha256, &why);
		*fd = -1; /* the queue's now, or closed */
	}
	if (rc != PGAL_OK) {
		sshd_log("sftp: user %s: %s/%s refused: %s", s->user, album, name, why.msg);
		return pgal_fail(e, rc, "%s: %s", name, why.msg);
	}
	return PGAL_OK;
}

/* The close of an upload: the quick checks decide and the answer goes out;
 * the spool file moves to the ingest queue, which stores it meanwhile. A
 * temporary name keeps its file aside until it is renamed. */
static void
finish_upload(struct sftpd *s, sftp_client_message m, struct handle *h)
{
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (h->fail[0] != '\0') {
		s->quiet = 1; /* told at the write refused */
		sftpd_reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	if (sftpd_temp_name(h->name))
		rc = sftpd_temp_keep(s, h, &e);
	else
		rc = sftpd_upload_store(s, h->album, h->name, &h->fd, h->spooled, h->mtime, &e);
	if (rc != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

void
sftpd_do_close(struct sftpd *s, sftp_client_message m)
{
	struct handle *h = sftpd_find_handle(s, m);

	if (h == NULL) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "no such handle");
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
	sftpd_handle_free(s, h);
}
