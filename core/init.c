/* What the backends say about themselves, through their tables: `pgal
 * init`'s report (pgal_open has already created what was missing and
 * reached every backend; each table's prepare does what open leaves out,
 * its describe gives the line) and where kept mail can be read. No secret
 * is ever part of a line. */
#include <stdio.h>
#include <string.h>

#include "gallery-int.h"

/* "<family> <name>: <said>" to fn, or the failed prepare's error with the
 * backend named */
static int
report(const char *family, const char *name, int rc, const char *said,
       pgal_status_fn fn, void *arg, pgal_err *e)
{
	char line[1200], msg[sizeof e->msg];

	if (rc != PGAL_OK) {
		memcpy(msg, e->msg, sizeof msg);
		return pgal_fail(e, rc, "%s %s: %s", family, name, msg);
	}
	snprintf(line, sizeof line, "%s %s: %s", family, name, said);
	fn(arg, line);
	return PGAL_OK;
}

int
pgal_backend_status(pgal *g, pgal_status_fn fn, void *arg, pgal_err *e)
{
	const pgal_store_ops *so = g->store->ops;
	const pgal_blobs_ops *bo = g->blobs->ops;
	const pgal_mail_ops *mo = g->mail->ops;
	char said[1200]; /* as long as the line: it is cut only there */
	int rc;

	/* a backend without describe has nothing to add to "ok" */
	strcpy(said, "ok");
	rc = so->prepare != NULL ? so->prepare(g->store, &g->cfg, e) : PGAL_OK;
	if (rc == PGAL_OK && so->describe != NULL)
		so->describe(g->store, &g->cfg, said, sizeof said);
	if ((rc = report("store", so->name, rc, said, fn, arg, e)) != PGAL_OK)
		return rc;

	strcpy(said, "ok");
	rc = bo->prepare != NULL ? bo->prepare(g->blobs, &g->cfg, e) : PGAL_OK;
	if (rc == PGAL_OK && bo->describe != NULL)
		bo->describe(g->blobs, &g->cfg, said, sizeof said);
	if ((rc = report("blobs", bo->name, rc, said, fn, arg, e)) != PGAL_OK)
		return rc;

	strcpy(said, "ok");
	rc = mo->prepare != NULL ? mo->prepare(g->mail, &g->cfg, e) : PGAL_OK;
	if (rc == PGAL_OK && mo->describe != NULL)
		mo->describe(g->mail, &g->cfg, said, sizeof said);
	return report("mail", mo->name, rc, said, fn, arg, e);
}

int
pgal_mail_where_kept(pgal *g, char *out, size_t size)
{
	if (g == NULL || g->mail->ops->where_kept == NULL)
		return 0;
	g->mail->ops->where_kept(g->mail, &g->cfg, out, size);
	return 1;
}
