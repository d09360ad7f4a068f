/* Uploads under a temporary name. lftp (xfer:use-temp-file) writes
 * ".in.NAME", WinSCP "NAME.filepart", others "NAME.partial", ".NAME.tmp" or
 * "NAME~", then rename to the final name. Such a file is kept aside, as
 * written, in the connection's spool: stat, setstat, read and remove see
 * it, and only the rename to a final name makes it an upload (checked and
 * queued then). It never becomes a photo under its temporary name; one not
 * renamed is gone with the connection. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "sftp-int.h"

/* Kept at once per connection: each holds a spool descriptor. */
#define TEMPS_MAX 64

static int
ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n > t && strcasecmp(s + n - t, tail) == 0;
}

int
sftpd_temp_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n > 1 && name[n - 1] == '~') || ends_with(name, ".partial") ||
	    ends_with(name, ".filepart") || ends_with(name, ".tmp");
}

struct sftpd_temp *
sftpd_temp_find(struct sftpd_uploads *u, const char *album, const char *name)
{
	struct sftpd_temp *t;

	for (t = u->temps; t != NULL; t = t->next)
		if (strcmp(t->album, album) == 0 && strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

void
sftpd_temp_drop(struct sftpd_uploads *u, struct sftpd_temp *t)
{
	struct sftpd_temp **pp;

	for (pp = &u->temps; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	u->spool_used -= t->bytes;
	u->writing -= t->bytes;
	if (t->fd != -1)
		close(t->fd);
	free(t);
}

int
sftpd_temp_keep(struct sftpd *s, struct handle *h, pgal_err *e)
{
	struct sftpd_temp *t, *old;
	size_t n = 0;

	for (t = s->up->temps; t != NULL; t = t->next)
		n++;
	old = sftpd_temp_find(s->up, h->album, h->name);
	if (old == NULL && n >= TEMPS_MAX)
		return pgal_fail(e, PGAL_EBACKEND, "%s: too many files under temporary names: "
		    "rename or remove some first", h->name);
	if ((t = calloc(1, sizeof *t)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	/* a file written again under the same name is its new content */
	if (old != NULL)
		sftpd_temp_drop(s->up, old);
	snprintf(t->album, sizeof t->album, "%s", h->album);
	snprintf(t->name, sizeof t->name, "%s", h->name);
	t->fd = h->fd;
	h->fd = -1;
	/* the handle's share of the spool and of what is being written is
	 * the file's now (the handle gives its own back when freed) */
	t->bytes = h->spooled;
	s->up->spool_used += t->bytes;
	s->up->writing += t->bytes;
	t->mtime = h->mtime;
	t->closed_at = (int64_t)time(NULL);
	t->next = s->up->temps;
	s->up->temps = t;
	return PGAL_OK;
}

int
sftpd_temp_rename(struct sftpd *s, struct sftpd_temp *t, const char *to_album, const char *to,
    pgal_err *e)
{
	pgal_album al;
	int rc;

	if ((rc = pgal_album_get(sftpd_gal(s), s->token, to_album, &al, e)) != PGAL_OK)
		return rc;
	if (sftpd_temp_name(to)) {
		struct sftpd_temp *there = sftpd_temp_find(s->up, to_album, to);

		if (there != NULL && there != t)
			sftpd_temp_drop(s->up, there);
		snprintf(t->album, sizeof t->album, "%s", to_album);
		snprintf(t->name, sizeof t->name, "%s", to);
		return PGAL_OK;
	}
	rc = sftpd_upload_store(s, to_album, to, &t->fd, t->bytes, t->mtime, e);
	/* stored or refused, the temporary file is gone (as with a close) */
	sftpd_temp_drop(s->up, t);
	return rc;
}
