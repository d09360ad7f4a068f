/* SFTP requests on names in the virtual tree: attributes, the canonical
 * path, and the changes (mkdir makes an album, rmdir deletes one, remove a
 * photo, rename moves a photo or renames an album, setstat sets a photo's
 * time). A change first waits for the queued uploads it touches (on any
 * of the user's connections), so it meets them stored. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sftp-int.h"

static int
stat_path(struct sftpd *s, const struct sshd_vpath *v, struct sftp_attributes_struct *a,
    pgal_err *e)
{
	pgal_album al;
	pgal_photo ph;
	int rc;

	if (v->depth == 0) {
		sftpd_attr_dir(a, 0, s->user);
		return pgal_session_check(sftpd_gal(s), s->token, NULL, e);
	}
	if (v->depth == 1) {
		if ((rc = pgal_album_get(sftpd_gal(s), s->token, v->album, &al, e)) != PGAL_OK)
			return rc;
		sftpd_attr_dir(a, al.updated_at, s->user);
		return PGAL_OK;
	}
	if ((rc = sftpd_photo_get(s, v->album, v->photo, &ph, e)) != PGAL_OK)
		return rc;
	sftpd_attr_photo(a, &ph, s->user);
	return PGAL_OK;
}

/* The attributes of v, or why there are none. */
static void
reply_stat(struct sftpd *s, sftp_client_message m, const struct sshd_vpath *v)
{
	struct sftp_attributes_struct a;
	pgal_err e;

	pgal_err_clear(&e);
	if (stat_path(s, v, &a, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	sftp_reply_attr(m, &a);
}

void
sftpd_do_stat(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;

	if (sftpd_client_path(s, m, &v, PGAL_ENOTFOUND) != 0)
		return;
	reply_stat(s, m, &v);
}

void
sftpd_do_fstat(struct sftpd *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	struct handle *h = sftpd_find_handle(s, m);
	struct sshd_vpath v;
	struct stat st;

	if (h == NULL) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "no such handle");
		return;
	}
	if ((h->kind == H_READ || h->kind == H_WRITE) && fstat(h->fd, &st) == 0) {
		pgal_photo ph;

		memset(&ph, 0, sizeof ph);
		ph.bytes = st.st_size;
		ph.added_at = ph.sort_taken = (int64_t)time(NULL);
		sftpd_attr_photo(&a, &ph, s->user);
		sftp_reply_attr(m, &a);
		return;
	}
	memset(&v, 0, sizeof v);
	v.depth = h->kind == H_ROOT ? 0 : 1;
	snprintf(v.album, sizeof v.album, "%s", h->album);
	reply_stat(s, m, &v);
}

/* A photo's mtime is kept (what sync tools compare); modes, owners and
 * the times of albums mean nothing in the virtual tree. The path must
 * exist. */
void
sftpd_do_setstat(struct sftpd *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	sftp_attributes want = m->attr;
	int64_t mtime = 0;
	struct handle *h;
	struct sshd_vpath v;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (want != NULL && (want->flags & SSH_FILEXFER_ATTR_ACMODTIME) && want->mtime > 0)
		mtime = want->mtime;
	if (sftp_client_message_get_type(m) == SSH_FXP_FSETSTAT) {
		if ((h = sftpd_find_handle(s, m)) == NULL) {
			sftpd_reply_err(s, m, PGAL_EUSAGE, "no such handle");
			return;
		}
		/* an upload's time goes with it to the queue (put -p) */
		if (h->kind == H_WRITE && mtime > 0)
			h->mtime = mtime;
		sftp_reply_status(m, SSH_FX_OK, NULL);
		return;
	}
	if (sftpd_client_path(s, m, &v, PGAL_ENOTFOUND) != 0)
		return;
	if (stat_path(s, &v, &a, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	if (v.depth == 2 && mtime > 0 && sftpd_temp_name(v.photo)) {
		sftpd_temp_find(s->up, v.album, v.photo)->mtime = mtime;
	} else if (v.depth == 2 && mtime > 0) {
		/* a queued upload gets its time once stored */
		sftpd_wait_stored(s, v.album, v.photo);
		rc = pgal_photo_set_mtime(sftpd_gal(s), s->token, v.album, v.photo, mtime, &e);
		if (rc != PGAL_OK) {
			sftpd_reply_pgal(s, m, &e);
			return;
		}
	}
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

void
sftpd_do_realpath(struct sftpd *s, sftp_client_message m)
{
	struct sftp_attributes_struct a;
	char out[512];

	if (sshd_vpath_real(m->filename, out, sizeof out) == -1) {
		sftpd_reply_err(s, m, PGAL_ENOTFOUND, "no such path");
		return;
	}
	sftpd_attr_dir(&a, 0, s->user);
	sftp_reply_name(m, out, &a);
}

/* The message's path when it is as deep as want (1: an album, 2: a
 * photo); else the refusal goes out, at_root's reason for the root (NULL:
 * the same as elsewhere), and -1 is returned. */
static int
path_at(struct sftpd *s, sftp_client_message m, struct sshd_vpath *v, int want,
    const char *at_root, const char *elsewhere)
{
	if (sftpd_client_path(s, m, v, PGAL_EINPUT) != 0)
		return -1;
	if (v->depth == want)
		return 0;
	sftpd_reply_err(s, m, PGAL_EINPUT, v->depth == 0 && at_root != NULL ? at_root :
	    elsewhere);
	return -1;
}

/* The answer to a change, rc and e as core gave them: its error, or OK
 * once the change is logged (fmt says what the user did). */
static void __attribute__((format(printf, 5, 6)))
reply_change(struct sftpd *s, sftp_client_message m, int rc, const pgal_err *e,
    const char *fmt, ...)
{
	char what[512];
	va_list ap;

	if (rc != PGAL_OK) {
		sftpd_reply_pgal(s, m, e);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	sshd_log("sftp: user %s %s", s->user, what);
	sftp_reply_status(m, SSH_FX_OK, NULL);
}

/* The album the connection's last mkdir made, if it is still empty, is
 * deleted: it was the first half of a "mkdir -p" that failed. */
static void
take_back_album(struct sftpd *s, const char *album)
{
	struct sshd_pending_rec *q;
	pgal_album al;
	pgal_err e;
	size_t nq = 0;

	if (strcmp(s->up->made_album, album) != 0)
		return;
	s->up->made_album[0] = '\0';
	if (sshd_pending_list(s->gal, s->token, album, &q, &nq) == 0)
		free(q);
	if (nq > 0 || pgal_album_get(sftpd_gal(s), s->token, album, &al, &e) != PGAL_OK ||
	    al.photo_count > 0)
		return;
	if (pgal_album_delete(sftpd_gal(s), s->token, album, NULL, &e) == PGAL_OK)
		sshd_log("sftp: user %s: album %s taken back (mkdir below it failed)", s->user,
		    album);
}

void
sftpd_do_mkdir(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;
	pgal_album al;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (sftpd_client_path(s, m, &v, PGAL_EINPUT) != 0)
		return;
	if (v.depth != 1) {
		/* "mkdir -p a/b" made a first: a failure leaves nothing */
		if (v.depth == 2)
			take_back_album(s, v.album);
		sftpd_reply_err(s, m, PGAL_EINPUT, v.depth == 0 ? "the root exists" :
		    "albums hold photos, not folders");
		return;
	}
	rc = pgal_album_create(sftpd_gal(s), s->token, v.album, NULL, NULL, &al, &e);
	if (rc == PGAL_OK)
		snprintf(s->up->made_album, sizeof s->up->made_album, "%s", v.album);
	reply_change(s, m, rc, &e, "created album %s", v.album);
}

void
sftpd_do_rmdir(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;
	pgal_album al;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (path_at(s, m, &v, 1, "the root cannot be removed", "not an album") != 0)
		return;
	sshd_iq_wait_album(s->up->iq, v.album);
	if (pgal_album_get(sftpd_gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	if (al.photo_count > 0 && !s->cfg->ssh_rmdir_nonempty) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "album not empty: remove its photos first");
		return;
	}
	rc = pgal_album_delete(sftpd_gal(s), s->token, v.album, NULL, &e);
	reply_change(s, m, rc, &e, "removed album %s", v.album);
}

void
sftpd_do_remove(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (path_at(s, m, &v, 2, NULL, "not a photo (remove albums with rmdir)") != 0)
		return;
	if (sftpd_temp_name(v.photo)) {
		struct sftpd_temp *t = sftpd_temp_find(s->up, v.album, v.photo);

		if (t == NULL) {
			sftpd_reply_err(s, m, PGAL_ENOTFOUND, "no such file");
			return;
		}
		sftpd_temp_drop(s->up, t);
		sftp_reply_status(m, SSH_FX_OK, NULL);
		return;
	}
	/* a queued upload is removed once stored */
	sftpd_wait_stored(s, v.album, v.photo);
	rc = pgal_photo_delete(sftpd_gal(s), s->token, v.album, v.photo, &e);
	reply_change(s, m, rc, &e, "removed %s/%s", v.album, v.photo);
}

/* SSH_FXP_RENAME and posix-rename@openssh.com alike: moves a photo
 * (ALBUM/PHOTO to ALBUM/PHOTO) or renames an album. */
void
sftpd_do_rename(struct sftpd *s, sftp_client_message m)
{
	const char *from = m->filename, *to = sftp_client_message_get_data(m);
	struct sshd_vpath a, b;
	pgal_album al;
	pgal_photo ph;
	pgal_err e;
	int rc;

	pgal_err_clear(&e);
	if (sshd_vpath_parse(from, &a, &e) != PGAL_OK || sshd_vpath_parse(to, &b, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	/* a file under a temporary name becomes an upload under its final one */
	if (a.depth == 2 && b.depth == 2 && sftpd_temp_name(a.photo)) {
		struct sftpd_temp *t = sftpd_temp_find(s->up, a.album, a.photo);

		if (t == NULL) {
			sftpd_reply_err(s, m, PGAL_ENOTFOUND, "no such file");
			return;
		}
		rc = sftpd_temp_rename(s, t, b.album, b.photo, &e);
		reply_change(s, m, rc, &e, "renamed %s/%s to %s/%s", a.album, a.photo, b.album,
		    b.photo);
		return;
	}
	/* queued uploads are stored first: under the names they were given */
	sshd_iq_wait_album(s->up->iq, a.album);
	sshd_iq_wait_album(s->up->iq, b.album);
	if (a.depth == 2)
		sftpd_wait_stored(s, a.album, a.photo);
	if (a.depth == 2 && b.depth == 2)
		rc = pgal_photo_move(sftpd_gal(s), s->token, a.album, a.photo, b.album, b.photo,
		    &ph, &e);
	else if (a.depth == 1 && b.depth == 1)
		rc = pgal_album_update(sftpd_gal(s), s->token, a.album, b.album, NULL, NULL, &al,
		    &e);
	else {
		sftpd_reply_err(s, m, PGAL_EINPUT, "rename a photo to ALBUM/PHOTO, an album to ALBUM");
		return;
	}
	reply_change(s, m, rc, &e, "renamed %s%s%s to %s%s%s", a.album, a.depth == 2 ? "/" : "",
	    a.photo, b.album, b.depth == 2 ? "/" : "", b.photo);
}
