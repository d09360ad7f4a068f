/* Uploads still being stored (gallery.h): rows of the shared store, so
 * that every host of a fleet sees what any host has accepted and not yet
 * stored. Each row expires unless its holder refreshes it. */
#include <stdio.h>
#include <string.h>

#include "gallery-int.h"
#include "validate.h"

/* A holder names a process: printable ASCII without '/', which the
 * DynamoDB store uses as a separator. */
static int
valid_holder(const char *h, pgal_err *e)
{
	size_t i, len = strnlen(h, PGAL_UPLOAD_HOLDER_MAX + 1);

	if (len == 0 || len > PGAL_UPLOAD_HOLDER_MAX)
		return pgal_fail(e, PGAL_EINPUT, "bad upload holder");
	for (i = 0; i < len; i++)
		if (h[i] <= ' ' || h[i] > '~' || h[i] == '/')
			return pgal_fail(e, PGAL_EINPUT, "bad upload holder");
	return PGAL_OK;
}

static int
valid_names(const char *album, const char *name, const char *holder, pgal_err *e)
{
	int rc;

	if ((rc = pgal_valid_album_name(album, e)) != PGAL_OK ||
	    (rc = pgal_valid_photo_name(name, e)) != PGAL_OK)
		return rc;
	return valid_holder(holder, e);
}

int
pgal_upload_note(pgal *g, const char *token, const pgal_upload *u, int64_t ttl_secs,
    pgal_err *e)
{
	pgal_upload row = *u;
	pgal_user who;
	int rc;

	if ((rc = valid_names(u->album, u->name, u->holder, e)) != PGAL_OK ||
	    (rc = pgal_auth(g, token, &who, e)) != PGAL_OK)
		return rc;
	row.until = pgal_now(g) + ttl_secs;
	return g->store->ops->upload_put(g->store, who.id, &row, e);
}

int
pgal_upload_touch(pgal *g, const char *token, const char *holder, int64_t ttl_secs,
    pgal_err *e)
{
	pgal_user who;
	int rc;

	if ((rc = valid_holder(holder, e)) != PGAL_OK ||
	    (rc = pgal_auth(g, token, &who, e)) != PGAL_OK)
		return rc;
	return g->store->ops->upload_touch(g->store, who.id, holder, pgal_now(g) + ttl_secs, e);
}

int
pgal_upload_forget(pgal *g, const char *token, const char *album, const char *name,
    const char *holder, pgal_err *e)
{
	pgal_user who;
	int rc;

	if ((rc = valid_names(album, name, holder, e)) != PGAL_OK ||
	    (rc = pgal_auth(g, token, &who, e)) != PGAL_OK)
		return rc;
	return g->store->ops->upload_delete(g->store, who.id, album, name, holder, pgal_now(g), e);
}

int
pgal_upload_list(pgal *g, const char *token, const char *album, pgal_upload **out, size_t *n,
    pgal_err *e)
{
	pgal_user who;
	int rc;

	*out = NULL;
	*n = 0;
	if ((album != NULL && (rc = pgal_valid_album_name(album, e)) != PGAL_OK) ||
	    (rc = pgal_auth(g, token, &who, e)) != PGAL_OK)
		return rc;
	return g->store->ops->upload_list(g->store, who.id, album, pgal_now(g), out, n, e);
}
