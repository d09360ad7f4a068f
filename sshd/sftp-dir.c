/* SFTP listings: the root lists the user's albums, an album its stored
 * photos and then its uploads still in the ingest queue. A reply holds as
 * many entries as the client's window takes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "sftp-int.h"

#define DIR_BATCH 100
/* The most one directory entry takes in a NAME reply: the name, its
 * longname (a 512-byte buffer) and the attributes. */
#define ENTRY_MAX (PGAL_PHOTO_NAME_MAX + 512 + 64)

void
sftpd_do_opendir(struct sftpd *s, sftp_client_message m)
{
	struct sshd_vpath v;
	struct handle *h;
	pgal_album al;
	pgal_err e;

	pgal_err_clear(&e);
	if (sftpd_client_path(s, m, &v, PGAL_ENOTFOUND) != 0)
		return;
	if (v.depth == 2) {
		sftpd_reply_err(s, m, PGAL_EINPUT, "not a directory");
		return;
	}
	if (s->nhandles >= HANDLES_MAX) {
		sftpd_reply_err(s, m, PGAL_EBACKEND, "too many open files");
		return;
	}
	if (v.depth == 0 ? pgal_session_check(sftpd_gal(s), s->token, NULL, &e) != PGAL_OK :
	    pgal_album_get(sftpd_gal(s), s->token, v.album, &al, &e) != PGAL_OK) {
		sftpd_reply_pgal(s, m, &e);
		return;
	}
	if ((h = sftpd_handle_new(s, v.depth == 0 ? H_ROOT : H_ALBUM)) == NULL) {
		sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
		return;
	}
	snprintf(h->album, sizeof h->album, "%s", v.album);
	sftpd_give_handle(s, m, h);
}

/* The album's queued uploads (on any of the user's connections) when its
 * listing starts, and this connection's files under a temporary name. A
 * job that finishes during the listing is then either met among the
 * stored photos (seen) or listed from here: never twice, never missed. */
static int
snapshot_queue(struct sftpd *s, struct handle *h)
{
	struct sshd_pending_rec *v;
	struct sftpd_temp *t;
	size_t n = 0, cap;

	sshd_iq_poll(s->up->iq);
	if (sshd_pending_list(s->gal, s->token, h->album, &h->queued, &h->nqueued) == -1)
		return -1;
	for (t = s->up->temps; t != NULL; t = t->next)
		n += strcmp(t->album, h->album) == 0;
	if (n > 0) {
		cap = h->nqueued;
		if (PGAL_GROW(h->queued, cap, h->nqueued + n) == -1)
			return -1;
		for (t = s->up->temps; t != NULL; t = t->next) {
			if (strcmp(t->album, h->album) != 0)
				continue;
			v = &h->queued[h->nqueued++];
			memset(v, 0, sizeof *v);
			snprintf(v->album, sizeof v->album, "%s", t->album);
			snprintf(v->name, sizeof v->name, "%s", t->name);
			v->bytes = t->bytes;
			v->queued_at = t->closed_at;
			v->mtime = t->mtime;
		}
	}
	if ((h->seen = calloc(h->nqueued ? h->nqueued : 1, 1)) == NULL)
		return -1;
	return 0;
}

/* A stored photo met in the listing: an upload queued under its name
 * (its replacement) is listed in its place, and not again later. */
static void
mark_seen(struct handle *h, pgal_photo *p)
{
	size_t i;

	for (i = 0; i < h->nqueued; i++) {
		if (strcmp(h->queued[i].name, p->name) == 0) {
			h->seen[i] = 1;
			sftpd_queued_photo(p, &h->queued[i]);
		}
	}
}

/* Up to max queued photos not listed yet; *rest tells whether any remain. */
static size_t
list_queued(struct sftpd *s, sftp_client_message m, struct handle *h, size_t max,
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
		sftpd_queued_photo(&ph, &h->queued[i]);
		sftpd_attr_photo(&a, &ph, s->user);
		sftpd_longname(ln, sizeof ln, &a, s->user, ph.name);
		sftp_reply_names_add(m, ph.name, ln, &a);
		h->seen[i] = 1;
		n++;
	}
	return n;
}

void
sftpd_do_readdir(struct sftpd *s, sftp_client_message m)
{
	struct handle *h = sftpd_find_handle(s, m);
	struct sftp_attributes_struct a;
	char ln[512];
	pgal_err e;
	size_t i, n = 0, batch = DIR_BATCH;
	int rest;

	pgal_err_clear(&e);
	/* as many entries as the client's window takes now */
	if (sftpd_window(s) / ENTRY_MAX < batch + 1)
		batch = sftpd_window(s) / ENTRY_MAX > 1 ? sftpd_window(s) / ENTRY_MAX - 1 : 1;
	if (h == NULL || (h->kind != H_ROOT && h->kind != H_ALBUM)) {
		sftpd_reply_err(s, m, PGAL_EUSAGE, "not a directory handle");
		return;
	}
	if (h->dir_done) {
		sftp_reply_status(m, SSH_FX_EOF, NULL);
		return;
	}
	if (h->kind == H_ROOT) {
		if (h->albums == NULL &&
		    pgal_album_list(sftpd_gal(s), s->token, &h->albums, &h->nalbums, &e)
		    != PGAL_OK) {
			sftpd_reply_pgal(s, m, &e);
			return;
		}
		for (i = 0; i < batch && h->pos < h->nalbums; i++, h->pos++, n++) {
			const pgal_album *al = &h->albums[h->pos];

			sftpd_attr_dir(&a, al->updated_at, s->user);
			sftpd_longname(ln, sizeof ln, &a, s->user, al->name);
			sftp_reply_names_add(m, al->name, ln, &a);
		}
		if (h->pos >= h->nalbums)
			h->dir_done = 1;
	} else {
		pgal_photo *page;
		pgal_cursor next;

		if (h->seen == NULL && snapshot_queue(s, h) == -1) {
			sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
			return;
		}
		if (!h->photos_done) {
			if ((page = calloc(batch, sizeof *page)) == NULL) {
				sftpd_reply_err(s, m, PGAL_EBACKEND, "out of memory");
				return;
			}
			if (pgal_photo_list(sftpd_gal(s), s->token, h->album, PGAL_SORT_ADDED,
			    &h->cur, batch, page, &n, &next, &e) != PGAL_OK) {
				free(page);
				sftpd_reply_pgal(s, m, &e);
				return;
			}
			for (i = 0; i < n; i++) {
				mark_seen(h, &page[i]);
				sftpd_attr_photo(&a, &page[i], s->user);
				sftpd_longname(ln, sizeof ln, &a, s->user, page[i].name);
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
