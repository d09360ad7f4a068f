/* DynamoDB store: one photo. The item (A#<album>, P#<name>) is its own name
 * lock; the locator (P#<photo id>, #) says where an id lives, which is what
 * update and delete (by id) and moves rely on. Counters through intents.
 * The refs (blob, content; refs.c) come before the item
 * and go after it and its locator. */
#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"
#include "validate.h"

json_t *
ddb_photo_key(struct ddb *d, pgal_id album_id, const char *name)
{
	char pk[32], sk[PGAL_PHOTO_NAME_MAX + 8];

	ddb_album_pk(pk, sizeof pk, album_id);
	snprintf(sk, sizeof sk, "P#%.*s", PGAL_PHOTO_NAME_MAX, name);
	return key2(d, "albumID", pk, "photoID", sk);
}

static json_t *
loc_key(struct ddb *d, pgal_id photo_id)
{
	char pk[32];

	snprintf(pk, sizeof pk, "P#%lld", (long long)photo_id);
	return key2(d, "albumID", pk, "photoID", "#");
}

/* ---- the item ---- */

void
ddb_photo_read(const json_t *it, const char *album, pgal_photo *p)
{
	pgal_exif *x = &p->exif;

	memset(p, 0, sizeof *p);
	p->id = rd_n(it, "pid", 0);
	p->album_id = rd_n(it, "aid", 0);
	p->user_id = rd_n(it, "owner", 0);
	snprintf(p->album, sizeof p->album, "%s", album != NULL ? album : "");
	rd_s(it, "name", p->name, sizeof p->name);
	rd_s(it, "title", p->title, sizeof p->title);
	rd_s(it, "description", p->description, sizeof p->description);
	rd_s(it, "tags", p->tags, sizeof p->tags);
	rd_s(it, "mime", p->mime, sizeof p->mime);
	p->width = (int)rd_n(it, "width", 0);
	p->height = (int)rd_n(it, "height", 0);
	p->bytes = rd_n(it, "bytes", 0);
	rd_s(it, "sha256", p->sha256, sizeof p->sha256);
	rd_s(it, "md5", p->md5, sizeof p->md5);
	rd_s(it, "sha1", p->sha1, sizeof p->sha1);
	rd_s(it, "blob_id", p->blob_id, sizeof p->blob_id);
	p->added_at = rd_n(it, "added_at", 0);
	p->sort_taken = rd_n(it, "sort_taken", 0);
	p->mtime = rd_n(it, "mtime", 0);
	rd_s(it, "exif_make", x->make, sizeof x->make);
	rd_s(it, "exif_model", x->model, sizeof x->model);
	rd_s(it, "exif_lens", x->lens, sizeof x->lens);
	rd_s(it, "exif_exposure_time", x->exposure_time, sizeof x->exposure_time);
	x->f_number = rd_d(it, "exif_f_number", 0);
	x->iso = (int)rd_n(it, "exif_iso", 0);
	x->focal_length = rd_d(it, "exif_focal_length", 0);
	x->orientation = (int)rd_n(it, "exif_orientation", 0);
	x->taken_at = rd_n(it, "exif_taken_at", -1);
	x->gps.present = rd_n(it, "gps_present", 0) != 0;
	if (x->gps.present) {
		x->gps.lat = rd_d(it, "gps_lat", 0);
		x->gps.lon = rd_d(it, "gps_lon", 0);
	}
	x->gps.alt = rd_d(it, "gps_alt", NAN);
}

/* The attributes that follow from the editable fields: tag set, search
 * text, the title sort key. */
static void
derived(struct ddb *d, json_t *it, pgal_id pid, const char *name, const char *title,
    const char *description, const char *tags)
{
	char text[PGAL_TITLE_MAX + PGAL_DESC_MAX + PGAL_TAGS_MAX + PGAL_PHOTO_NAME_MAX + 5];
	char ks[PGAL_TITLE_MAX + 20], hex[17];
	json_t *set = json_array();
	const char *p = tags, *end = tags + strnlen(tags, PGAL_TAGS_MAX), *tag;
	size_t len;

	while (pgal_tags_next(&p, end, &tag, &len)) {
		json_t *t = json_stringn(tag, len);
		size_t i;
		json_t *v;
		int dup = 0;

		if (t == NULL) {
			d->bad = 1;
			continue;
		}
		json_array_foreach(set, i, v)
			if (json_equal(v, t))
				dup = 1;
		if (dup)
			json_decref(t);
		else
			json_array_append_new(set, t);
	}
	if (json_array_size(set) > 0)
		json_object_set_new(it, "tagset", json_pack("{s:o}", "SS", set));
	else {
		json_decref(set);
		json_object_del(it, "tagset");
	}
	/* what a search word is looked for in: title, description, tags, name */
	snprintf(text, sizeof text, "%s\n%s\n%s\n%s", title, description, tags, name);
	pgal_ascii_lower(text);
	it_s(d, it, "stext", text);
	/* "\1" sorts below every character a title can hold, so a title sorts
	 * before its extensions, as in SQL */
	ddb_hex64(hex, pid);
	snprintf(ks, sizeof ks, "%.*s\001%s", PGAL_TITLE_MAX, title, hex);
	it_s(d, it, "ks_title", ks);
}

static void
keys_taken_added(json_t *it, pgal_id pid, int64_t sort_taken, int64_t added_at)
{
	char a[17], b[17], ks[40];

	ddb_hex64(b, pid);
	ddb_hex64(a, sort_taken);
	snprintf(ks, sizeof ks, "%s%s", a, b);
	json_object_set_new(it, "ks_taken", json_pack("{s:s}", "S", ks));
	ddb_hex64(a, added_at);
	snprintf(ks, sizeof ks, "%s%s", a, b);
	json_object_set_new(it, "ks_added", json_pack("{s:s}", "S", ks));
}

static json_t *
photo_item(struct ddb *d, const pgal_photo *p, pgal_id pid)
{
	const pgal_exif *x = &p->exif;
	char usha[PGAL_SHA256_HEX + 32];
	json_t *it = ddb_photo_key(d, p->album_id, p->name);

	if (it == NULL)
		return NULL;
	it_n(it, "pid", pid);
	it_n(it, "aid", p->album_id);
	it_n(it, "owner", p->user_id);
	it_s(d, it, "name", p->name);
	it_s(d, it, "title", p->title);
	it_s(d, it, "description", p->description);
	it_s(d, it, "tags", p->tags);
	it_s(d, it, "mime", p->mime);
	it_n(it, "width", p->width);
	it_n(it, "height", p->height);
	it_n(it, "bytes", p->bytes);
	it_s(d, it, "sha256", p->sha256);
	it_s(d, it, "md5", p->md5);
	it_s(d, it, "sha1", p->sha1);
	it_s(d, it, "blob_id", p->blob_id);
	it_n(it, "added_at", p->added_at);
	it_n(it, "sort_taken", p->sort_taken);
	it_n(it, "mtime", p->mtime);
	it_s(d, it, "exif_make", x->make);
	it_s(d, it, "exif_model", x->model);
	it_s(d, it, "exif_lens", x->lens);
	it_s(d, it, "exif_exposure_time", x->exposure_time);
	it_d(it, "exif_f_number", x->f_number);
	it_n(it, "exif_iso", x->iso);
	it_d(it, "exif_focal_length", x->focal_length);
	it_n(it, "exif_orientation", x->orientation);
	if (x->taken_at != -1)
		it_n(it, "exif_taken_at", x->taken_at);
	it_n(it, "gps_present", x->gps.present != 0);
	if (x->gps.present) {
		it_d(it, "gps_lat", x->gps.lat);
		it_d(it, "gps_lon", x->gps.lon);
		it_d(it, "gps_alt", x->gps.alt);
	}
	snprintf(usha, sizeof usha, "%lld#%.*s", (long long)p->user_id,
	    PGAL_SHA256_HEX, p->sha256);
	it_s(d, it, "usha", usha);
	keys_taken_added(it, pid, p->sort_taken, p->added_at);
	derived(d, it, pid, p->name, p->title, p->description, p->tags);
	return it;
}

/* ---- where a photo is ---- */

/* The locator of photo_id: album id and name, or PGAL_ENOTFOUND. */
static int
locator(struct ddb *d, pgal_id photo_id, pgal_id *album_id, char *name, size_t size,
    pgal_err *e)
{
	json_t *it;
	int rc;

	if ((rc = ddb_get(d, d->gallery, loc_key(d, photo_id), &it, "no such photo", e)) != PGAL_OK)
		return rc;
	*album_id = rd_n(it, "aid", 0);
	rd_s(it, "name", name, size);
	json_decref(it);
	return PGAL_OK;
}

/* The photo item of photo_id where its locator says it is. */
int
ddb_photo_locate(struct ddb *d, pgal_id photo_id, json_t **item, pgal_err *e)
{
	char name[PGAL_PHOTO_NAME_MAX + 1];
	pgal_id aid;
	int rc;

	*item = NULL;
	if ((rc = locator(d, photo_id, &aid, name, sizeof name, e)) != PGAL_OK)
		return rc;
	if ((rc = ddb_get(d, d->gallery, ddb_photo_key(d, aid, name), item,
	    "no such photo", e)) != PGAL_OK)
		return rc;
	if (rd_n(*item, "pid", 0) != photo_id) {
		json_decref(*item);
		*item = NULL;
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo");
	}
	return PGAL_OK;
}

int
ddb_photo_here(struct ddb *d, pgal_id album_id, pgal_id photo_id, int *here, pgal_err *e)
{
	json_t *it;
	int rc;

	*here = 0;
	rc = ddb_photo_locate(d, photo_id, &it, e);
	if (rc == PGAL_ENOTFOUND)
		return PGAL_OK;
	if (rc != PGAL_OK)
		return rc;
	*here = rd_n(it, "aid", 0) == album_id;
	json_decref(it);
	return PGAL_OK;
}

/* An item marked by a move is valid only where the locator points; a stale
 * copy left by a crashed move is removed once old. */
int
ddb_photo_valid(struct ddb *d, const json_t *it, int *valid, pgal_err *e)
{
	char name[PGAL_PHOTO_NAME_MAX + 1], have[PGAL_PHOTO_NAME_MAX + 1];
	pgal_id aid, pid = rd_n(it, "pid", 0);
	int64_t mv;
	json_t *rq;
	int rc;

	*valid = 1;
	if (!rd_has(it, "mv"))
		return PGAL_OK;
	rc = locator(d, pid, &aid, name, sizeof name, e);
	if (rc != PGAL_OK && rc != PGAL_ENOTFOUND)
		return rc;
	rd_s(it, "name", have, sizeof have);
	if (rc == PGAL_OK && aid == rd_n(it, "aid", 0) && strcmp(name, have) == 0)
		return PGAL_OK;
	*valid = 0;
	mv = rd_n(it, "mv", 0);
	if (time(NULL) - mv < DDB_STALE_SECS)
		return PGAL_OK;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", ddb_photo_key(d, rd_n(it, "aid", 0), have));
	rq_names(rq, "pid", "mv", NULL);
	rq_val(rq, ":pid", av_n(pid));
	rq_val(rq, ":mv", av_n(mv));
	json_object_set_new(rq, "ConditionExpression", json_string("#pid = :pid AND #mv = :mv"));
	rc = ddb_call(d, "DeleteItem", rq, NULL, e);
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

/* ---- operations ---- */

static int
exists_msg(pgal_err *e, const char *name)
{
	return pgal_fail(e, PGAL_EINPUT, "photo '%.*s' in this album already exists",
	    PGAL_PHOTO_NAME_MAX, name);
}

/* A new photo id with its counter intent and its locator; an id another
 * process drew in the same millisecond: draw again. */
static int
claim_id(struct ddb *d, const pgal_photo *p, pgal_id *pid, char *elem, size_t elemsz,
    pgal_err *e)
{
	pgal_err ignored;
	json_t *it;
	int rc = PGAL_OK, tries;

	for (tries = 0; tries < DDB_ID_TRIES; tries++) {
		if ((rc = ddb_new_id(d, pid, e)) != PGAL_OK ||
		    (rc = ddb_intent_begin(d, p->album_id, 'i', *pid, p->bytes, elem,
		    elemsz, e)) != PGAL_OK)
			return rc;
		it = loc_key(d, *pid);
		it_n(it, "aid", p->album_id);
		it_s(d, it, "name", p->name);
		if ((rc = ddb_put_new(d, d->gallery, "albumID", it, e)) == PGAL_OK)
			return PGAL_OK;
		ddb_intent_end(d, p->album_id, elem, 0, 0, &ignored);
		if (rc != DDB_CONDFAIL)
			return rc;
	}
	return pgal_fail(e, PGAL_EBACKEND, "photo id collision");
}

/* Intent on the album, locator, refs, the item (the name lock), counter.
 * Until the item is there, nobody sees the photo; the refs already mark its
 * blob used and its content present (readers check them against the item,
 * so the refs of a crashed insert count only while young). */
int
ddb_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char elem[96];
	pgal_err ignored;
	json_t *rq;
	pgal_id pid;
	int rc;

	if (*p->name == '\0')
		return pgal_fail(e, PGAL_EINPUT, "empty photo name");
	if (*p->blob_id == '\0')
		return pgal_fail(e, PGAL_EINPUT, "empty blob id");
	if ((rc = claim_id(d, p, &pid, elem, sizeof elem, e)) != PGAL_OK)
		return rc;
	/* the blob ref is a conditional put: a blob id another photo uses is
	 * refused here, strongly consistent */
	if ((rc = ddb_refs_put(d, p->user_id, p->sha256, p->blob_id, pid, e)) != PGAL_OK) {
		ddb_intent_end(d, p->album_id, elem, 0, 0, &ignored);
		rq = rq_new(d->gallery);
		json_object_set_new(rq, "Key", loc_key(d, pid));
		ddb_call(d, "DeleteItem", rq, NULL, &ignored);
		return rc;
	}
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Item", photo_item(d, p, pid));
	rq_names(rq, "photoID", "pid", NULL);
	rq_val(rq, ":pid", av_n(pid));
	json_object_set_new(rq, "ConditionExpression", json_string(
	    "attribute_not_exists(#photoID) OR #pid = :pid"));
	if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) != PGAL_OK) {
		ddb_intent_end(d, p->album_id, elem, 0, 0, &ignored);
		ddb_refs_del(d, p->user_id, p->sha256, p->blob_id, pid, &ignored);
		rq = rq_new(d->gallery);
		json_object_set_new(rq, "Key", loc_key(d, pid));
		ddb_call(d, "DeleteItem", rq, NULL, &ignored);
		return rc == DDB_CONDFAIL ? exists_msg(e, p->name) : rc;
	}
	if ((rc = ddb_intent_end(d, p->album_id, elem, 1, p->added_at, e)) != PGAL_OK)
		return rc;
	p->id = pid;
	return PGAL_OK;
}

/* One round trip for the photo and its album's name. */
int
ddb_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char what[PGAL_PHOTO_NAME_MAX + 32], album[PGAL_ALBUM_MAX + 1], sk[16];
	json_t *keys, *items, *it, *photo = NULL;
	size_t i;
	int rc, valid;

	snprintf(what, sizeof what, "no such photo '%.*s'", PGAL_PHOTO_NAME_MAX, name);
	if (*name == '\0' || strlen(name) > PGAL_PHOTO_NAME_MAX)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	keys = json_array();
	json_array_append_new(keys, ddb_photo_key(d, album_id, name));
	{
		char pk[32];

		ddb_album_pk(pk, sizeof pk, album_id);
		json_array_append_new(keys, key2(d, "albumID", pk, "photoID", "#ALBUM"));
	}
	if ((rc = ddb_batch_get(d, d->gallery, keys, &items, e)) != PGAL_OK)
		return rc;
	album[0] = '\0';
	json_array_foreach(items, i, it) {
		rd_s(it, "photoID", sk, sizeof sk);
		if (strcmp(sk, "#ALBUM") == 0)
			rd_s(it, "name", album, sizeof album);
		else
			photo = it;
	}
	if (photo == NULL) {
		json_decref(items);
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	}
	if ((rc = ddb_photo_valid(d, photo, &valid, e)) != PGAL_OK) {
		json_decref(items);
		return rc;
	}
	if (!valid) {
		json_decref(items);
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	}
	ddb_photo_read(photo, album, p);
	json_decref(items);
	return PGAL_OK;
}

static int
touch_album(struct ddb *d, pgal_id album_id, int64_t now, pgal_err *e)
{
	json_t *rq = rq_new(d->gallery);
	char pk[32];
	struct upd u;
	int rc;

	ddb_album_pk(pk, sizeof pk, album_id);
	json_object_set_new(rq, "Key", key2(d, "albumID", pk, "photoID", "#ALBUM"));
	upd_init(&u, d, rq);
	upd_set_n(&u, "updated_at", now);
	rc = ddb_update_existing(&u, "albumID", e);
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

/* SET or REMOVE of mv on an item, conditional on it being photo_id. */
static int
mark(struct ddb *d, pgal_id album_id, const char *name, pgal_id photo_id, int64_t mv,
    pgal_err *e)
{
	json_t *rq = rq_new(d->gallery);
	struct upd u;

	json_object_set_new(rq, "Key", ddb_photo_key(d, album_id, name));
	upd_init(&u, d, rq);
	if (mv != 0)
		upd_set_n(&u, "mv", mv);
	else
		upd_remove(&u, "mv");
	upd_done(&u);
	rq_name(rq, "pid");
	rq_val(rq, ":c_pid", av_n(photo_id));
	json_object_set_new(rq, "ConditionExpression", json_string("#pid = :c_pid"));
	return ddb_call(d, "UpdateItem", rq, NULL, e);
}

/* Same album and name: one conditional update of the item. */
static int
update_in_place(struct ddb *d, const pgal_photo *p, pgal_err *e)
{
	json_t *rq = rq_new(d->gallery), *tmp = json_object();
	struct upd u;
	const char *k;
	json_t *v;
	int rc;

	json_object_set_new(rq, "Key", ddb_photo_key(d, p->album_id, p->name));
	upd_init(&u, d, rq);
	upd_set_s(&u, "title", p->title);
	upd_set_s(&u, "description", p->description);
	upd_set_s(&u, "tags", p->tags);
	upd_set_n(&u, "mtime", p->mtime);
	derived(d, tmp, p->id, p->name, p->title, p->description, p->tags);
	if (json_object_get(tmp, "tagset") == NULL)
		upd_remove(&u, "tagset");
	json_object_foreach(tmp, k, v)
		upd_set_av(&u, k, json_incref(v));
	json_decref(tmp);
	upd_done(&u);
	rq_name(rq, "pid");
	rq_val(rq, ":c_pid", av_n(p->id));
	json_object_set_new(rq, "ConditionExpression", json_string("#pid = :c_pid"));
	rc = ddb_call(d, "UpdateItem", rq, NULL, e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo");
	if (rc != PGAL_OK)
		return rc;
	return touch_album(d, p->album_id, time(NULL), e);
}

/* The refs of an existing photo item (put again: idempotent). */
static int
refs_of(struct ddb *d, const json_t *it, pgal_err *e)
{
	char sha[PGAL_SHA256_HEX + 1], blob[PGAL_BLOB_ID_HEX + 1];

	rd_s(it, "sha256", sha, sizeof sha);
	rd_s(it, "blob_id", blob, sizeof blob);
	if (blob[0] == '\0')
		return PGAL_OK;
	return ddb_refs_put(d, rd_n(it, "owner", 0), sha, blob, rd_n(it, "pid", 0), e);
}

/* A rename or a move: both copies carry mv until the old one is gone and
 * the locator points at the new one; counters through intents. */
static int
update_move(struct ddb *d, const pgal_photo *p, json_t *old, pgal_err *e)
{
	char oname[PGAL_PHOTO_NAME_MAX + 1], ein[96], eout[96], pk[32], sk[PGAL_PHOTO_NAME_MAX + 8];
	pgal_id oaid = rd_n(old, "aid", 0);
	int64_t now = time(NULL), bytes = rd_n(old, "bytes", 0);
	int moved = oaid != p->album_id, rc;
	pgal_err ignored;
	json_t *it, *rq;

	rd_s(old, "name", oname, sizeof oname);
	/* a photo from before refs (or written by an older pgal) gets them
	 * now: while both copies come and go, gc must not depend on the
	 * by-blob index catching up */
	if ((rc = refs_of(d, old, e)) != PGAL_OK)
		return rc;
	if ((rc = mark(d, oaid, oname, p->id, now, e)) != PGAL_OK)
		return rc == DDB_CONDFAIL ? pgal_fail(e, PGAL_ENOTFOUND, "no such photo") : rc;
	if (moved) {
		if ((rc = ddb_intent_begin(d, p->album_id, 'i', p->id, bytes, ein,
		    sizeof ein, e)) != PGAL_OK) {
			mark(d, oaid, oname, p->id, 0, &ignored);
			return rc;
		}
		if ((rc = ddb_intent_begin(d, oaid, 'd', p->id, bytes, eout, sizeof eout,
		    e)) != PGAL_OK) {
			ddb_intent_end(d, p->album_id, ein, 0, 0, &ignored);
			mark(d, oaid, oname, p->id, 0, &ignored);
			return rc;
		}
	}
	/* the new copy: the old item with the new place and fields */
	it = json_deep_copy(old);
	ddb_album_pk(pk, sizeof pk, p->album_id);
	snprintf(sk, sizeof sk, "P#%s", p->name);
	json_object_set_new(it, "albumID", av_s(d, pk));
	json_object_set_new(it, "photoID", av_s(d, sk));
	it_n(it, "aid", p->album_id);
	json_object_del(it, "name");
	json_object_del(it, "title");
	json_object_del(it, "description");
	json_object_del(it, "tags");
	json_object_del(it, "stext");
	it_s(d, it, "name", p->name);
	it_s(d, it, "title", p->title);
	it_s(d, it, "description", p->description);
	it_s(d, it, "tags", p->tags);
	it_n(it, "mtime", p->mtime);
	it_n(it, "mv", now);
	derived(d, it, p->id, p->name, p->title, p->description, p->tags);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Item", it);
	rq_names(rq, "photoID", "pid", NULL);
	rq_val(rq, ":pid", av_n(p->id));
	json_object_set_new(rq, "ConditionExpression", json_string(
	    "attribute_not_exists(#photoID) OR #pid = :pid"));
	if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) != PGAL_OK) {
		if (moved) {
			ddb_intent_end(d, p->album_id, ein, 0, 0, &ignored);
			ddb_intent_end(d, oaid, eout, 0, 0, &ignored);
		}
		mark(d, oaid, oname, p->id, 0, &ignored);
		return rc == DDB_CONDFAIL ? exists_msg(e, p->name) : rc;
	}
	/* the commit point: the locator names the new copy */
	it = loc_key(d, p->id);
	it_n(it, "aid", p->album_id);
	it_s(d, it, "name", p->name);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Item", it);
	if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) != PGAL_OK)
		return rc;
	if ((rc = ddb_delete_if(d, d->gallery, ddb_photo_key(d, oaid, oname), "pid", p->id,
	    e)) != PGAL_OK && rc != DDB_CONDFAIL)
		return rc;
	if (moved) {
		if ((rc = ddb_intent_end(d, p->album_id, ein, 1, now, e)) != PGAL_OK ||
		    (rc = ddb_intent_end(d, oaid, eout, 1, now, e)) != PGAL_OK)
			return rc;
	} else if ((rc = touch_album(d, oaid, now, e)) != PGAL_OK)
		return rc;
	rc = mark(d, p->album_id, p->name, p->id, 0, e);
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

int
ddb_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char oname[PGAL_PHOTO_NAME_MAX + 1];
	json_t *old;
	int rc;

	if (*p->name == '\0')
		return pgal_fail(e, PGAL_EINPUT, "empty photo name");
	if ((rc = ddb_photo_locate(d, p->id, &old, e)) != PGAL_OK)
		return rc;
	rd_s(old, "name", oname, sizeof oname);
	if (rd_n(old, "aid", 0) == p->album_id && strcmp(oname, p->name) == 0)
		rc = update_in_place(d, p, e);
	else
		rc = update_move(d, p, old, e);
	json_decref(old);
	return rc;
}

/* One conditional update of the item where the locator says it is. */
int
ddb_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
		      pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char name[PGAL_PHOTO_NAME_MAX + 1];
	json_t *it, *rq;
	struct upd u;
	pgal_id aid;
	int rc;

	if ((rc = ddb_photo_locate(d, photo_id, &it, e)) != PGAL_OK)
		return rc;
	aid = rd_n(it, "aid", 0);
	rd_s(it, "name", name, sizeof name);
	json_decref(it);
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", ddb_photo_key(d, aid, name));
	upd_init(&u, d, rq);
	upd_set_s(&u, "md5", md5);
	upd_set_s(&u, "sha1", sha1);
	upd_done(&u);
	rq_name(rq, "pid");
	rq_val(rq, ":c_pid", av_n(photo_id));
	json_object_set_new(rq, "ConditionExpression", json_string("#pid = :c_pid"));
	rc = ddb_call(d, "UpdateItem", rq, NULL, e);
	/* moved or deleted since it was located */
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo");
	return rc;
}

/* Intent, the item, the counter, the locator, then the refs. */
int
ddb_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char name[PGAL_PHOTO_NAME_MAX + 1], elem[96];
	char sha[PGAL_SHA256_HEX + 1], blob[PGAL_BLOB_ID_HEX + 1];
	pgal_err ignored;
	json_t *it, *rq;
	pgal_id aid, owner;
	int rc;

	if ((rc = ddb_photo_locate(d, photo_id, &it, e)) != PGAL_OK)
		return rc;
	aid = rd_n(it, "aid", 0);
	owner = rd_n(it, "owner", 0);
	rd_s(it, "name", name, sizeof name);
	rd_s(it, "sha256", sha, sizeof sha);
	rd_s(it, "blob_id", blob, sizeof blob);
	rc = ddb_intent_begin(d, aid, 'd', photo_id, rd_n(it, "bytes", 0), elem,
	    sizeof elem, e);
	json_decref(it);
	if (rc != PGAL_OK)
		return rc;
	rc = ddb_delete_if(d, d->gallery, ddb_photo_key(d, aid, name), "pid", photo_id, e);
	if (rc == DDB_CONDFAIL && d->attempts > 1)
		rc = PGAL_OK;
	if (rc != PGAL_OK) {
		ddb_intent_end(d, aid, elem, 0, 0, &ignored);
		return rc == DDB_CONDFAIL ? pgal_fail(e, PGAL_ENOTFOUND, "no such photo") : rc;
	}
	if ((rc = ddb_intent_end(d, aid, elem, 1, time(NULL), e)) != PGAL_OK)
		return rc;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", loc_key(d, photo_id));
	if ((rc = ddb_call(d, "DeleteItem", rq, NULL, e)) != PGAL_OK)
		return rc;
	return ddb_refs_del(d, owner, sha, blob, photo_id, e);
}
