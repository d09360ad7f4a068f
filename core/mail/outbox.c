/* Mail into a folder: one message per file, cfg->outbox_dir/
 * "<unix time>-<random hex>.eml", written atomically: the message SMTP
 * would send, byte for byte (mail/message.c builds it for both). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "mail/mail.h"
#include "mail/message.h"

struct outbox {
	pgal_mail		 base;
	int			 dir;
	char			 path[PATH_MAX];
	pgal_mail_sender	 from;
};

static int
outbox_open(pgal_mail **mp, const pgal_config *cfg, pgal_err *e)
{
	struct outbox *o;
	int rc;

	*mp = NULL;
	if ((o = calloc(1, sizeof *o)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	o->base.ops = &pgal_mail_outbox;
	o->dir = -1;
	if ((rc = pgal_mail_sender_init(&o->from, cfg->mail_from, e)) != PGAL_OK)
		goto fail;
	if ((rc = pgal_fs_mkdirs(cfg->outbox_dir, e)) != PGAL_OK)
		goto fail;
	snprintf(o->path, sizeof o->path, "%s", cfg->outbox_dir);
	o->dir = open(cfg->outbox_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dir == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", cfg->outbox_dir,
		    strerror(errno));
		goto fail;
	}
	*mp = &o->base;
	return PGAL_OK;
fail:
	free(o);
	return rc;
}

static void
outbox_close(pgal_mail *m)
{
	struct outbox *o = (struct outbox *)m;

	if (o == NULL)
		return;
	if (o->dir != -1)
		close(o->dir);
	free(o);
}

static int
outbox_send(pgal_mail *m, const char *to, const char *subject, const char *body,
    pgal_err *e)
{
	struct outbox *o = (struct outbox *)m;
	pgal_mail_message msg;
	char	 name[64], what[PATH_MAX + 80];
	int	 rc;

	if ((rc = pgal_mail_message_build(&msg, &o->from, to, subject, body,
	    e)) == PGAL_OK) {
		snprintf(name, sizeof name, "%lld-%s.eml", (long long)msg.date, msg.id);
		snprintf(what, sizeof what, "%s/%s", o->path, name);
		rc = pgal_fs_write_atomic(o->dir, name, -1, msg.text.p, msg.text.len,
		    what, e);
	}
	pgal_mail_message_free(&msg);
	return rc;
}

/* open made the folder; a service user may still lack the right to write */
static int
outbox_prepare(pgal_mail *m, const pgal_config *cfg, pgal_err *e)
{
	return pgal_fs_check_writable(cfg->outbox_dir, e);
}

static void
outbox_describe(pgal_mail *m, const pgal_config *cfg, char *out, size_t size)
{
	snprintf(out, size, "folder %s writable (mail is kept, not sent)", cfg->outbox_dir);
}

static void
outbox_where_kept(pgal_mail *m, const pgal_config *cfg, char *out, size_t size)
{
	snprintf(out, size, "mail is kept as files in %s", cfg->outbox_dir);
}

const pgal_mail_ops pgal_mail_outbox = {
	.name = "outbox",
	.prepare = outbox_prepare,
	.describe = outbox_describe,
	.where_kept = outbox_where_kept,
	.open = outbox_open,
	.close = outbox_close,
	.send = outbox_send,
};
