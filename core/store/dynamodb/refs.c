/* DynamoDB store: the refs that make two answers strongly consistent.
 * Global indexes are eventually consistent and take no ConsistentRead, so
 * neither gc's "is this blob used" nor the duplicate check may rest on
 * them (a photo written a moment ago may be missing from an index: gc
 * would delete its blob, a second upload of the same bytes would pass).
 * Both are items of the gallery table, read with ConsistentRead:
 *   blob ref     B#<blob id>            #            pid, at
 *   content ref  H#<user id>#<sha256>   P#<hex pid>  pid, at
 * Ordering instead of transactions (dynalite 4 has no TransactWriteItems):
 * refs are written before the photo item and removed after the item and
 * its locator, so a crash between steps leaves a ref whose photo is
 * missing. Readers check a ref against its photo (the locator and the item
 * it names): a young one counts (an insert in progress: its blob stays
 * used), an old one is removed. A blob is marked used longer, never
 * shorter. Moves keep the photo id, so refs stay true through them.
 *
 * Tables from before refs: the layout item (#LAYOUT, #) with v 2 says
 * every photo has its refs. Without it both answers fall back to the
 * by-blob and by-sha indexes (gc's min_age covers their lag for blobs) and
 * a move gives the photo its refs; `pgal init` writes the refs of every
 * photo (the one Scan pgal makes) and then the layout item. Hosts still
 * running an older pgal write photos without refs: upgrade them all before
 * running pgal init. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

#define LAYOUT_PK "#LAYOUT"
#define LAYOUT_VERSION 2
#define MIGRATE_FLUSH 500

static json_t *
blob_key(struct ddb *d, const char *blob_id)
{
	char pk[PGAL_BLOB_ID_HEX + 8];

	snprintf(pk, sizeof pk, "B#%.*s", PGAL_BLOB_ID_HEX, blob_id);
	return key2(d, "albumID", pk, "photoID", "#");
}

static void
content_pk(char *buf, size_t size, pgal_id user_id, const char *sha256)
{
	snprintf(buf, size, "H#%lld#%.*s", (long long)user_id, PGAL_SHA256_HEX, sha256);
}

static json_t *
content_key(struct ddb *d, pgal_id user_id, const char *sha256, pgal_id pid)
{
	char pk[PGAL_SHA256_HEX + 32], sk[24], hex[17];

	content_pk(pk, sizeof pk, user_id, sha256);
	ddb_hex64(hex, pid);
	snprintf(sk, sizeof sk, "P#%s", hex);
	return key2(d, "albumID", pk, "photoID", sk);
}

/* ---- writing ---- */

int
ddb_refs_put(struct ddb *d, pgal_id user_id, const char *sha256, const char *blob_id,
    pgal_id pid, pgal_err *e)
{
	int64_t now = time(NULL);
	json_t *it, *rq;
	int rc;

	it = blob_key(d, blob_id);
	it_n(it, "pid", pid);
	it_n(it, "at", now);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Item", it);
	rq_names(rq, "albumID", "pid", NULL);
	rq_val(rq, ":pid", av_n(pid));
	/* ours already (a retry, a move) passes; another photo's is a reuse */
	json_object_set_new(rq, "ConditionExpression", json_string(
	    "attribute_not_exists(#albumID) OR #pid = :pid"));
	rc = ddb_call(d, "PutItem", rq, NULL, e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_EINPUT, "blob id already exists");
	if (rc != PGAL_OK)
		return rc;
	it = content_key(d, user_id, sha256, pid);
	it_n(it, "pid", pid);
	it_n(it, "at", now);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Item", it);
	return ddb_call(d, "PutItem", rq, NULL, e);
}

int
ddb_refs_del(struct ddb *d, pgal_id user_id, const char *sha256, const char *blob_id,
    pgal_id pid, pgal_err *e)
{
	json_t *rq;
	int rc;

	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", content_key(d, user_id, sha256, pid));
	if ((rc = ddb_call(d, "DeleteItem", rq, NULL, e)) != PGAL_OK)
		return rc;
	if (*blob_id == '\0')
		return PGAL_OK;
	rc = ddb_delete_if(d, d->gallery, blob_key(d, blob_id), "pid", pid, e);
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

void
ddb_refs_keys(struct ddb *d, const json_t *photo, json_t *keys)
{
	char sha[PGAL_SHA256_HEX + 1], blob[PGAL_BLOB_ID_HEX + 1];
	pgal_id pid = rd_n(photo, "pid", 0);

	rd_s(photo, "sha256", sha, sizeof sha);
	rd_s(photo, "blob_id", blob, sizeof blob);
	json_array_append_new(keys, content_key(d, rd_n(photo, "owner", 0), sha, pid));
	if (blob[0] != '\0')
		json_array_append_new(keys, blob_key(d, blob));
}

/* ---- reading ---- */

enum ref_state { REF_STALE, REF_YOUNG, REF_LIVE };

/* What a ref is worth: its photo exists (*photo gets the item if asked),
 * it is young (its photo may be on the way), or it is a leftover, which is
 * removed here (unless it was written again meanwhile). */
static int
ref_check(struct ddb *d, const json_t *ref, enum ref_state *st, json_t **photo,
    pgal_err *e)
{
	char pk[PGAL_SHA256_HEX + 32], sk[24];
	int64_t at = rd_n(ref, "at", 0);
	json_t *it;
	int rc;

	*st = REF_STALE;
	rc = ddb_photo_locate(d, rd_n(ref, "pid", 0), &it, e);
	if (rc == PGAL_OK) {
		*st = REF_LIVE;
		if (photo != NULL)
			*photo = it;
		else
			json_decref(it);
		return PGAL_OK;
	}
	if (rc != PGAL_ENOTFOUND)
		return rc;
	pgal_err_clear(e);
	if (time(NULL) - at < DDB_STALE_SECS) {
		*st = REF_YOUNG;
		return PGAL_OK;
	}
	rd_s(ref, "albumID", pk, sizeof pk);
	rd_s(ref, "photoID", sk, sizeof sk);
	rc = ddb_delete_if(d, d->gallery, key2(d, "albumID", pk, "photoID", sk), "at", at, e);
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

static int
used_one(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	*(int *)arg = 1;
	return 1;
}

int
ddb_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	enum ref_state st;
	json_t *ref, *rq;
	int rc;

	*used = 0;
	if (*blob_id == '\0' || strlen(blob_id) > PGAL_BLOB_ID_HEX)
		return PGAL_OK;
	rc = ddb_get(d, d->gallery, blob_key(d, blob_id), &ref, "", e);
	if (rc == PGAL_OK) {
		rc = ref_check(d, ref, &st, NULL, e);
		json_decref(ref);
		if (rc != PGAL_OK)
			return rc;
		if (st != REF_STALE) {
			*used = 1;
			return PGAL_OK;
		}
	} else if (rc != PGAL_ENOTFOUND)
		return rc;
	pgal_err_clear(e);
	if (d->refs)
		return PGAL_OK;
	/* a table from before refs: its older photos are in by-blob only */
	if ((rc = ddb_need_index(d, "by-blob", e)) != PGAL_OK)
		return rc;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "IndexName", json_string("by-blob"));
	json_object_set_new(rq, "KeyConditionExpression", json_string("#blob_id = :b"));
	json_object_set_new(rq, "Limit", json_integer(1));
	rq_name(rq, "blob_id");
	rq_val(rq, ":b", av_s(d, blob_id));
	return ddb_query(d, rq, used_one, used, e);
}

struct sha {
	pgal_photo *p;
	int found;
};

/* A photo found through a content ref or the index: its album's name too
 * (a photo whose album is gone does not count). */
static int
sha_take(struct ddb *d, json_t *photo, struct sha *sh, pgal_err *e)
{
	char album[PGAL_ALBUM_MAX + 1];
	int rc;

	rc = ddb_album_name(d, rd_n(photo, "aid", 0), album, sizeof album, e);
	if (rc == PGAL_ENOTFOUND) {
		pgal_err_clear(e);
		return 0;
	}
	if (rc != PGAL_OK)
		return rc;
	ddb_photo_read(photo, album, sh->p);
	sh->found = 1;
	return 1;
}

static int
sha_ref(struct ddb *d, json_t *ref, void *arg, pgal_err *e)
{
	enum ref_state st;
	json_t *photo = NULL;
	int rc;

	if ((rc = ref_check(d, ref, &st, &photo, e)) != PGAL_OK || st != REF_LIVE)
		return rc;
	rc = sha_take(d, photo, arg, e);
	json_decref(photo);
	return rc;
}

/* the index's way, for a table from before refs */
static int
sha_indexed(struct ddb *d, json_t *key, void *arg, pgal_err *e)
{
	char pk[32], sk[PGAL_PHOTO_NAME_MAX + 8];
	json_t *it;
	int rc, valid;

	rd_s(key, "albumID", pk, sizeof pk);
	rd_s(key, "photoID", sk, sizeof sk);
	rc = ddb_get(d, d->gallery, key2(d, "albumID", pk, "photoID", sk), &it, "", e);
	if (rc == PGAL_ENOTFOUND) {
		pgal_err_clear(e);
		return 0;
	}
	if (rc != PGAL_OK)
		return rc;
	if ((rc = ddb_photo_valid(d, it, &valid, e)) == PGAL_OK && valid)
		rc = sha_take(d, it, arg, e);
	json_decref(it);
	return rc;
}

/* The oldest photo of the user with this content (ids grow with time):
 * the content refs, one strongly consistent Query, in pid order. */
int
ddb_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p,
    pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct sha sh = { p, 0 };
	char pk[PGAL_SHA256_HEX + 32];
	json_t *rq;
	int rc;

	if (*sha256 == '\0' || strlen(sha256) > PGAL_SHA256_HEX)
		return pgal_fail(e, PGAL_ENOTFOUND, "no photo with this content");
	content_pk(pk, sizeof pk, user_id, sha256);
	rq = rq_partition(d, d->gallery, "albumID", pk, NULL, NULL);
	if ((rc = ddb_query(d, rq, sha_ref, &sh, e)) != PGAL_OK)
		return rc;
	if (!sh.found && !d->refs) {
		if ((rc = ddb_need_index(d, "by-sha", e)) != PGAL_OK)
			return rc;
		content_pk(pk, sizeof pk, user_id, sha256);
		rq = rq_new(d->gallery);
		json_object_set_new(rq, "IndexName", json_string("by-sha"));
		json_object_set_new(rq, "KeyConditionExpression", json_string("#usha = :h"));
		rq_name(rq, "usha");
		/* the index key is "<user>#<sha>", the ref's pk without "H#" */
		rq_val(rq, ":h", av_s(d, pk + 2));
		if ((rc = ddb_query(d, rq, sha_indexed, &sh, e)) != PGAL_OK)
			return rc;
	}
	if (!sh.found)
		return pgal_fail(e, PGAL_ENOTFOUND, "no photo with this content");
	return PGAL_OK;
}

/* ---- the layout item and pgal init's migration ---- */

static json_t *
layout_key(struct ddb *d)
{
	return key2(d, "albumID", LAYOUT_PK, "photoID", "#");
}

int
ddb_layout_read(struct ddb *d, pgal_err *e)
{
	json_t *it;
	int rc;

	d->refs = 0;
	rc = ddb_get(d, d->gallery, layout_key(d), &it, "", e);
	if (rc == PGAL_ENOTFOUND) {
		pgal_err_clear(e);
		return PGAL_OK;
	}
	if (rc != PGAL_OK)
		return rc;
	d->refs = rd_n(it, "v", 0) >= LAYOUT_VERSION;
	json_decref(it);
	return PGAL_OK;
}

int
ddb_layout_write(struct ddb *d, pgal_err *e)
{
	json_t *it = layout_key(d), *rq = rq_new(d->gallery);
	int rc;

	it_n(it, "v", LAYOUT_VERSION);
	it_n(it, "at", time(NULL));
	json_object_set_new(rq, "Item", it);
	if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) == PGAL_OK)
		d->refs = 1;
	return rc;
}

struct migration {
	json_t *items;
	int64_t n;
};

static int
migrate_one(struct ddb *d, json_t *photo, void *arg, pgal_err *e)
{
	struct migration *m = arg;
	json_t *keys = json_array(), *k;
	int64_t now = time(NULL);
	size_t i;
	int rc;

	if (!rd_has(photo, "pid") || !rd_has(photo, "blob_id")) {
		json_decref(keys);
		return 0;
	}
	ddb_refs_keys(d, photo, keys);
	json_array_foreach(keys, i, k) {
		it_n(k, "pid", rd_n(photo, "pid", 0));
		it_n(k, "at", now);
		json_array_append(m->items, k);
	}
	json_decref(keys);
	m->n++;
	if (json_array_size(m->items) >= MIGRATE_FLUSH) {
		rc = ddb_batch_put(d, d->gallery, m->items, e);
		m->items = json_array();
		return rc;
	}
	return 0;
}

/* Every photo item gets its refs (a photo deleted meanwhile leaves refs
 * that readers remove once old: the safe side), then the layout item. */
int
ddb_refs_migrate(struct ddb *d, pgal_err *e)
{
	struct migration m = { json_array(), 0 };
	json_t *rq;
	int rc;

	d->migrated = 0;
	if ((rc = ddb_layout_read(d, e)) != PGAL_OK || d->refs)
		goto out;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "ConsistentRead", json_true());
	json_object_set_new(rq, "FilterExpression", json_string(
	    "begins_with(#albumID, :a) AND begins_with(#photoID, :p)"));
	json_object_set_new(rq, "ProjectionExpression", json_string(
	    "#albumID, #photoID, #pid, #owner, #sha256, #blob_id"));
	rq_names(rq, "albumID", "photoID", "pid", "owner", "sha256", "blob_id", NULL);
	rq_val(rq, ":a", av_s(d, "A#"));
	rq_val(rq, ":p", av_s(d, "P#"));
	if ((rc = ddb_scan(d, rq, migrate_one, &m, e)) != PGAL_OK)
		goto out;
	rc = ddb_batch_put(d, d->gallery, m.items, e);
	m.items = NULL;
	if (rc == PGAL_OK)
		rc = ddb_layout_write(d, e);
	d->migrated = m.n;
out:
	json_decref(m.items);
	return rc;
}
