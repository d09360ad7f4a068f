/* SFTP on photos as files. A download copies the original to the spool
 * at open and reads from there. An upload is written to an unnamed spool
 * file; at close the quick checks decide and the answer goes out while the
 * ingest queue stores it. The spool holds up to ssh_spool_max of the
 * connection's files (and leaves its file system's reserve): beyond, a
 * write or an open waits for the queue. */
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
	h->spooled = now;
}

void
sftpd_do_open(struct sftpd *s, sftp_client_message m)
{
	struct vpath v;
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
		sftpd_reply_err(s, m, PGAL_EINPUT, v.depth == 0 ?
		    "photos go into an album: put them into /ALBUM/" : "that is an album (a directory)");
		return;
	}
	if (s->nhandles >= HANDLES_MAX) {
		sftpd_reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return;
	}
	if (fl & SSH_FXF_WRITE) {
		pgal_album al;

		if (pgal_album_get(sftpd_gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
			sftpd_reply_pgal(s, m, &e);
			return;
		}
		sshd_iq_poll(s->up->iq);
		if (pgal_quota_check(sftpd_gal(s), s->token, sshd_iq_bytes(s->up->iq) + 1, &e)
		    != PGAL_OK) {
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
	} else {
		/* a photo still queued is there to read once stored */
		sshd_iq_poll(s->up->iq);
		if (sshd_iq_find(s->up->iq, v.album, v.photo) != NULL)
			sshd_iq_wait_album(s->up->iq, v.album);
		if ((rc = pgal_photo_get(sftpd_gal(s), s->token, v.album, v.photo, &ph, &e)) ==
		    PGAL_ENOTFOUND) {
			sftpd_wait_others(s);
			pgal_err_clear(&e);
			rc = pgal_photo_get(sftpd_gal(s), s->token, v.album, v.photo, &ph, &e);
		}
		if (rc != PGAL_OK) {
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
	size_t len;
	uint64_t end;
	int rc;

	if (h == NULL || h->kind != H_WRITE) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "not a file open for writing");
		return;
	}
	if (h->fail[0] != '\0') {
		sftpd_reply_err(s, m, PGAL_EINPUT, h->fail);
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
			spool_account(s, h, 0);
		}
		sftpd_reply_err(s, m, PGAL_EINPUT, h->fail);
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
			spool_account(s, h, 0);
		}
		sftpd_reply_err(s, m, PGAL_EBACKEND, h->fail);
		return;
	}
	if (len > 0 && pwrite(h->fd, ssh_string_data(m->data), len, (off_t)m->offset) !=
	    (ssize_t)len) {
		snprintf(h->fail, sizeof h->fail, "%s: the server could not store the data",
		    h->name);
		sftpd_reply_err(s, m, PGAL_EBACKEND, h->fail);
		return;
	}
	if ((int64_t)end > h->size) {
		h->size = (int64_t)end;
		spool_account(s, h, h->size);
	}
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

/* The close of an upload: the quick checks decide and the answer goes out;
 * the spool file moves to the ingest queue, which stores it meanwhile. */
static void
finish_upload(struct sftpd *s, sftp_client_message m, struct handle *h)
{
	pgal_ingest_info info;
	pgal_err e;

	pgal_err_clear(&e);
	if (h->fail[0] != '\0') {
		sftpd_reply_err(s, m, PGAL_EINPUT, h->fail);
		return;
	}
	/* backpressure: a full queue makes the client wait here */
	sshd_iq_poll(s->up->iq);
	while (sshd_iq_full(s->up->iq) && sshd_iq_wait(s->up->iq) == 0)
		;
	if (pgal_ingest_check(sftpd_gal(s), s->token, h->album, h->fd, h->name,
	    sshd_iq_bytes(s->up->iq), sshd_iq_taken, s->up->iq, &info, &e) != PGAL_OK) {
		sshd_log("sftp: user %s: %s/%s refused: %s", s->user, h->album, h->name, e.msg);
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	if (sshd_iq_submit(s->up->iq, h->fd, h->album, info.name, info.bytes, &e) != PGAL_OK) {
		h->fd = -1;
		sshd_log("sftp: user %s: %s/%s refused: %s", s->user, h->album, h->name, e.msg);
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	h->fd = -1; /* the queue's now */
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
