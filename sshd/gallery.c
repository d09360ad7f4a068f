/* The connection's gallery, opened when first needed. SQLite handles must
 * not cross a fork, so it is closed before every fork (child.c), and each
 * process of the connection (the connection process, a command or the TUI,
 * an ingest worker) opens its own through the same object when it needs it. */
#include <stdio.h>
#include <unistd.h>

#include "sshd.h"
#include "limits/throttle.h"

/* the most opening the store and the blobs may take at start: each has
 * its own timeouts, this catches one that hangs */
#define GALLERY_CHECK_SECS 120

static void
log_line(void *arg, const char *line)
{
	sshd_log("%s", line);
}

/* a mail kept on this host (the outbox): the log says where, so whoever
 * runs the server finds a user's code */
static void
mail_note(void *arg, const char *user, const char *where)
{
	sshd_log("mail for %s: %s", user, where);
}

pgal *
sshd_gallery_get(struct sshd_gallery *sg, pgal_err *e)
{
	if (sg->g == NULL && pgal_open(&sg->g, sg->cfg, e) == PGAL_OK) {
		pgal_set_client(sg->g, sg->peer, sg->door, log_line, NULL);
		pgal_set_mail_note(sg->g, mail_note, NULL);
	}
	return sg->g; /* NULL when it could not be opened */
}

pgal *
sshd_gallery_need(struct sshd_gallery *sg, const char *door)
{
	pgal_err e;

	pgal_err_clear(&e);
	if (sshd_gallery_get(sg, &e) == NULL) {
		sshd_log("%s: gallery: %s", door, e.msg);
		_exit(PGAL_EBACKEND);
	}
	return sg->g;
}

void
sshd_gallery_close(struct sshd_gallery *sg)
{
	if (sg->g != NULL)
		pgal_close(sg->g);
	sg->g = NULL;
}

int
sshd_gallery_probe(const void *cfg, char *out, size_t size, size_t *len, pgal_err *e)
{
	pgal *g;

	*len = 0;
	if (pgal_open(&g, cfg, e) != PGAL_OK)
		return e->code;
	pgal_close(g);
	return PGAL_OK;
}

int
sshd_gallery_check(const pgal_config *cfg)
{
	pgal_err e;

	pgal_err_clear(&e);
	if (sshd_probe_run("the start check", sshd_gallery_probe, cfg, GALLERY_CHECK_SECS,
	    NULL, 0, NULL, &e) == PGAL_OK)
		return 0;
	fprintf(stderr, "pgal-sshd: %s\n", e.msg);
	return e.code;
}
