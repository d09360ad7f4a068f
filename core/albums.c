/* Albums of the session's user: create, list, rename/edit, delete with photos. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gallery-int.h"
#include "validate.h"

int
pgal_album_create(pgal *g, const char *token, const char *name, const char *title,
		  const char *description, pgal_album *out, pgal_err *e)
{
	pgal_album a;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_valid_album_name(name, e)) != PGAL_OK)
		return rc;
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "%s", name);
	if ((title != NULL && (rc = pgal_clean_title(title, a.title, e)) != PGAL_OK) ||
	    (description != NULL &&
	     (rc = pgal_clean_description(description, a.description, e)) != PGAL_OK))
		return rc;
	a.created_at = a.updated_at = pgal_now(g);
	rc = g->store->ops->album_create(g->store, &a, e);
	if (rc == PGAL_EINPUT)
		return pgal_fail(e, PGAL_EINPUT, "album '%s' already exists", name);
	if (rc == PGAL_OK && out != NULL)
		*out = a;
	return rc;
}

int
pgal_album_list(pgal *g, const char *token, pgal_album **out, size_t *n, pgal_err *e)
{
	pgal_user u;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	return g->store->ops->album_list(g->store, u.id, out, n, e);
}

int
pgal_album_get(pgal *g, const char *token, const char *name, pgal_album *out, pgal_err *e)
{
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK)
		return rc;
	return pgal_own_album(g, &u, name, out, e);
}

int
pgal_album_update(pgal *g, const char *token, const char *name, const char *new_name,
		  const char *title, const char *description, pgal_album *out, pgal_err *e)
{
	pgal_album a;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, name, &a, e)) != PGAL_OK)
		return rc;
	if (new_name != NULL) {
		if ((rc = pgal_valid_album_name(new_name, e)) != PGAL_OK)
			return rc;
		snprintf(a.name, sizeof a.name, "%s", new_name);
	}
	if ((title != NULL && (rc = pgal_clean_title(title, a.title, e)) != PGAL_OK) ||
	    (description != NULL &&
	     (rc = pgal_clean_description(description, a.description, e)) != PGAL_OK))
		return rc;
	a.updated_at = pgal_now(g);
	rc = g->store->ops->album_update(g->store, &a, e);
	if (rc == PGAL_EINPUT && new_name != NULL)
		return pgal_fail(e, PGAL_EINPUT, "album '%s' already exists", new_name);
	if (rc == PGAL_OK && out != NULL)
		*out = a;
	return rc;
}

int
pgal_album_delete(pgal *g, const char *token, const char *name, int64_t *deleted_photos,
		  pgal_err *e)
{
	char **ids = NULL;
	size_t n = 0, i;
	pgal_album a;
	pgal_user u;
	int rc;

	if ((rc = pgal_auth(g, token, &u, e)) != PGAL_OK ||
	    (rc = pgal_own_album(g, &u, name, &a, e)) != PGAL_OK ||
	    (rc = g->store->ops->blob_ids_album(g->store, a.id, &ids, &n, e)) != PGAL_OK)
		return rc;
	/* rows first, then blobs: a crash in between leaves only orphans for gc */
	if ((rc = g->store->ops->album_delete(g->store, a.id, e)) == PGAL_OK) {
		for (i = 0; i < n; i++)
			pgal_delete_blobs(g, ids[i]);
		if (deleted_photos != NULL)
			*deleted_photos = (int64_t)n;
	}
	pgal_store_free_ids(ids, n);
	return rc;
}
