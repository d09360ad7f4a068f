/* DynamoDB store: uploads still being stored by some process (store.h),
 * items of the users table beside the marks:
 *   upload   UP#<hex user id>   <album>/<name>/<holder>   the pgal_upload
 *                                                          fields, and
 *                                                          expires (= until,
 *                                                          for the TTL)
 * Album names and photo names hold no '/' and holders none either, so the
 * range key names one upload and "<album>/" begins an album's. Expired
 * items are left to the table's TTL on `expires` and skipped by reads;
 * touching rewrites each of the holder's items. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

static void
upload_pk(char out[24], pgal_id user_id)
{
	char hex[17];

	ddb_hex64(hex, user_id);
	snprintf(out, 24, "UP#%s", hex);
}

static json_t *
upload_key(struct ddb *d, pgal_id user_id, const char *album, const char *name,
    const char *holder)
{
	char pk[24], sk[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + PGAL_UPLOAD_HOLDER_MAX + 4];

	upload_pk(pk, user_id);
	snprintf(sk, sizeof sk, "%s/%s/%s", album, name, holder);
	return key2(d, "pk", pk, "sk", sk);
}

int
ddb_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	json_t *rq = rq_new(d->users), *it = upload_key(d, user_id, u->album, u->name, u->holder);

	it_s(d, it, "album", u->album);
	it_s(d, it, "name", u->name);
	it_s(d, it, "holder", u->holder);
	it_n(it, "bytes", u->bytes);
	it_n(it, "queued_at", u->queued_at);
	it_n(it, "mtime", u->mtime);
	if (u->sha256[0] != '\0')
		it_s(d, it, "sha256", u->sha256);
	it_n(it, "until", u->until);
	it_n(it, "expires", u->until);
	json_object_set_new(rq, "Item", it);
	return ddb_call(d, "PutItem", rq, NULL, e);
}

static void
read_upload(const json_t *it, pgal_upload *u)
{
	memset(u, 0, sizeof *u);
	rd_s(it, "album", u->album, sizeof u->album);
	rd_s(it, "name", u->name, sizeof u->name);
	rd_s(it, "holder", u->holder, sizeof u->holder);
	u->bytes = rd_n(it, "bytes", 0);
	u->queued_at = rd_n(it, "queued_at", 0);
	u->mtime = rd_n(it, "mtime", 0);
	rd_s(it, "sha256", u->sha256, sizeof u->sha256);
	u->until = rd_n(it, "until", 0);
}

struct upload_list {
	int64_t now;
	const char *holder; /* only this holder's; NULL: every one */
	pgal_upload *v;
	size_t n, cap;
};

static int
upload_one(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct upload_list *l = arg;
	void *v = l->v;
	pgal_upload u;

	read_upload(it, &u);
	if (u.until <= l->now ||
	    (l->holder != NULL && strcmp(u.holder, l->holder) != 0))
		return 0;
	if (pgal_store_rows_slot(&v, &l->cap, l->n, sizeof *l->v) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	l->v = v;
	l->v[l->n++] = u;
	return 0;
}

static int
upload_order(const void *a, const void *b)
{
	const pgal_upload *x = a, *y = b;
	int c;

	if ((c = strcmp(x->album, y->album)) != 0 || (c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->holder, y->holder);
}

/* The user's items (in album when not NULL) that l selects, into l. */
static int
upload_query(struct ddb *d, pgal_id user_id, const char *album, struct upload_list *l,
    pgal_err *e)
{
	char pk[24], prefix[PGAL_ALBUM_MAX + 2];
	int rc;

	upload_pk(pk, user_id);
	if (album != NULL)
		snprintf(prefix, sizeof prefix, "%s/", album);
	rc = ddb_query(d, rq_partition(d, d->users, "pk", pk, "sk", album != NULL ? prefix : NULL),
	    upload_one, l, e);
	if (rc != PGAL_OK) {
		free(l->v);
		l->v = NULL;
		l->n = 0;
	}
	return rc;
}

int
ddb_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct upload_list l = { 0, holder, NULL, 0, 0 };
	size_t i;
	int rc;

	/* every item of the holder's, expired or not: it is still at work */
	l.now = INT64_MIN;
	if ((rc = upload_query(d, user_id, NULL, &l, e)) != PGAL_OK)
		return rc;
	for (i = 0; i < l.n && rc == PGAL_OK; i++) {
		l.v[i].until = until;
		rc = ddb_upload_put(s, user_id, &l.v[i], e);
	}
	free(l.v);
	return rc;
}

int
ddb_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	json_t *rq = rq_new(d->users);

	/* expired items go with the table's TTL */
	json_object_set_new(rq, "Key", upload_key(d, user_id, album, name, holder));
	return ddb_call(d, "DeleteItem", rq, NULL, e);
}

int
ddb_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct upload_list l = { now, NULL, NULL, 0, 0 };
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = upload_query(d, user_id, album, &l, e)) != PGAL_OK)
		return rc;
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, upload_order);
	*out = l.v;
	*n = l.n;
	return PGAL_OK;
}
