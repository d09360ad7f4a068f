/* DynamoDB store: albums. An album is its item (A#<id>, #ALBUM) plus a
 * directory entry (U#<user>, A#<name>) that locks the name and lists the
 * user's albums in name order. Counters change through intents (see
 * dynamodb.c), settled here when a reader finds a stale one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

#define META "#ALBUM"

void
ddb_album_pk(char *buf, size_t size, pgal_id album_id)
{
	snprintf(buf, size, "A#%lld", (long long)album_id);
}

static json_t *
gkey(struct ddb *d, const char *pk, const char *sk)
{
	return key2(d, "albumID", pk, "photoID", sk);
}

static json_t *
meta_key(struct ddb *d, pgal_id album_id)
{
	char pk[32];

	ddb_album_pk(pk, sizeof pk, album_id);
	return gkey(d, pk, META);
}

static json_t *
dir_key(struct ddb *d, pgal_id user_id, const char *name)
{
	char pk[32], sk[PGAL_ALBUM_MAX + 8];

	ddb_user_pk(pk, sizeof pk, user_id);
	snprintf(sk, sizeof sk, "A#%.*s", PGAL_ALBUM_MAX, name);
	return gkey(d, pk, sk);
}

static void
album_read(const json_t *it, pgal_album *a)
{
	memset(a, 0, sizeof *a);
	a->id = rd_n(it, "aid", 0);
	a->user_id = rd_n(it, "owner", 0);
	rd_s(it, "name", a->name, sizeof a->name);
	rd_s(it, "title", a->title, sizeof a->title);
	rd_s(it, "description", a->description, sizeof a->description);
	a->created_at = rd_n(it, "created_at", 0);
	a->updated_at = rd_n(it, "updated_at", 0);
	a->photo_count = rd_n(it, "photo_count", 0);
	a->bytes = rd_n(it, "bytes", 0);
}

/* ---- counter intents ---- */

int
ddb_intent_begin(struct ddb *d, pgal_id album_id, char kind, pgal_id photo_id,
    int64_t bytes, char *elem, size_t elemsz, pgal_err *e)
{
	json_t *rq = rq_new(d->gallery);
	struct upd u;
	int rc;

	snprintf(elem, elemsz, "%c:%lld:%lld:%lld", kind, (long long)photo_id,
	    (long long)bytes, (long long)time(NULL));
	json_object_set_new(rq, "Key", meta_key(d, album_id));
	upd_init(&u, d, rq);
	upd_add_ss(&u, "pending", elem);
	rc = ddb_update_existing(&u, "albumID", e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such album");
	return rc;
}

static int
intent_parse(const char *elem, char *kind, pgal_id *photo_id, int64_t *bytes, int64_t *t)
{
	long long p, b, w;
	char k;
	int n = 0;

	if (sscanf(elem, "%c:%lld:%lld:%lld%n", &k, &p, &b, &w, &n) != 4 ||
	    elem[n] != '\0' || (k != 'i' && k != 'd'))
		return -1;
	*kind = k;
	*photo_id = p;
	*bytes = b;
	*t = w;
	return 0;
}

int
ddb_intent_end(struct ddb *d, pgal_id album_id, const char *elem, int apply,
    int64_t now, pgal_err *e)
{
	json_t *rq = rq_new(d->gallery);
	struct upd u;
	char kind;
	pgal_id pid;
	int64_t bytes, t;
	int rc;

	if (intent_parse(elem, &kind, &pid, &bytes, &t) == -1) {
		json_decref(rq);
		return pgal_fail(e, PGAL_EBACKEND, "bad album intent");
	}
	json_object_set_new(rq, "Key", meta_key(d, album_id));
	upd_init(&u, d, rq);
	if (apply) {
		upd_add_n(&u, "photo_count", kind == 'i' ? 1 : -1);
		upd_add_n(&u, "bytes", kind == 'i' ? bytes : -bytes);
	}
	if (now > 0)
		upd_set_n(&u, "updated_at", now);
	upd_del_ss(&u, "pending", elem);
	upd_done(&u);
	json_object_set_new(rq, "ConditionExpression",
	    json_string("contains(#pending, :e)"));
	rq_val(rq, ":e", av_s(d, elem));
	rc = ddb_call(d, "UpdateItem", rq, NULL, e);
	/* settled already (by a retry of this call or a reader), or the
	 * album is gone: either way nothing is left to do */
	if (rc == DDB_CONDFAIL)
		return PGAL_OK;
	return rc;
}

/* Settles the intents of an album item that are older than DDB_STALE_SECS
 * (a writer died between its steps): the photo decides. *changed tells the
 * caller to read the item again. */
static int
settle(struct ddb *d, const json_t *it, int *changed, pgal_err *e)
{
	json_t *ss = json_object_get(json_object_get(it, "pending"), "SS"), *v;
	pgal_id aid = rd_n(it, "aid", 0), pid;
	int64_t bytes, t, now = time(NULL);
	size_t i;
	char kind;
	int here, rc;

	*changed = 0;
	json_array_foreach(ss, i, v) {
		const char *elem = json_string_value(v);

		if (elem == NULL || intent_parse(elem, &kind, &pid, &bytes, &t) == -1 ||
		    now - t < DDB_STALE_SECS)
			continue;
		if ((rc = ddb_photo_here(d, aid, pid, &here, e)) != PGAL_OK)
			return rc;
		if ((rc = ddb_intent_end(d, aid, elem, kind == 'i' ? here : !here, 0,
		    e)) != PGAL_OK)
			return rc;
		*changed = 1;
	}
	return PGAL_OK;
}

/* The album item by id, its stale intents settled. */
static int
meta_get(struct ddb *d, pgal_id album_id, json_t **it, pgal_err *e)
{
	int rc, changed;

	if ((rc = ddb_get(d, d->gallery, meta_key(d, album_id), it, "no such album",
	    e)) != PGAL_OK)
		return rc;
	if (!rd_has(*it, "pending"))
		return PGAL_OK;
	if ((rc = settle(d, *it, &changed, e)) != PGAL_OK || !changed) {
		if (rc != PGAL_OK) {
			json_decref(*it);
			*it = NULL;
		}
		return rc;
	}
	json_decref(*it);
	return ddb_get(d, d->gallery, meta_key(d, album_id), it, "no such album", e);
}

int
ddb_album_name(struct ddb *d, pgal_id album_id, char *name, size_t size, pgal_err *e)
{
	json_t *it;
	int rc;

	if ((rc = ddb_get(d, d->gallery, meta_key(d, album_id), &it, "no such album",
	    e)) != PGAL_OK)
		return rc;
	rd_s(it, "name", name, size);
	json_decref(it);
	return PGAL_OK;
}

/* ---- the name lock ---- */

/* Claims (user, name) for album_id. An entry left by a crash (its album is
 * gone or is called otherwise now) is taken over once it is old enough not
 * to be a rename in progress. */
static int
dir_claim(struct ddb *d, pgal_id user_id, const char *name, pgal_id album_id,
    pgal_err *e)
{
	json_t *rq, *it, *meta;
	char have[PGAL_ALBUM_MAX + 1];
	pgal_id old;
	int64_t at;
	int rc, round;

	for (round = 0; round < 2; round++) {
		rq = rq_new(d->gallery);
		it = dir_key(d, user_id, name);
		it_n(it, "aid", album_id);
		it_n(it, "at", time(NULL));
		json_object_set_new(rq, "Item", it);
		rq_names(rq, "photoID", "aid", NULL);
		rq_val(rq, ":aid", av_n(album_id));
		json_object_set_new(rq, "ConditionExpression", json_string(
		    "attribute_not_exists(#photoID) OR #aid = :aid"));
		if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) != DDB_CONDFAIL)
			return rc;
		if (round > 0)
			break;
		/* taken: by a live album, or a leftover? */
		rc = ddb_get(d, d->gallery, dir_key(d, user_id, name), &it, "", e);
		if (rc == PGAL_ENOTFOUND)
			continue;
		if (rc != PGAL_OK)
			return rc;
		old = rd_n(it, "aid", 0);
		at = rd_n(it, "at", 0);
		json_decref(it);
		rc = ddb_get(d, d->gallery, meta_key(d, old), &meta, "", e);
		if (rc != PGAL_OK && rc != PGAL_ENOTFOUND)
			return rc;
		have[0] = '\0';
		if (rc == PGAL_OK) {
			rd_s(meta, "name", have, sizeof have);
			json_decref(meta);
		}
		if (strcmp(have, name) == 0 || time(NULL) - at < DDB_STALE_SECS)
			break;
		if ((rc = ddb_delete_if(d, d->gallery, dir_key(d, user_id, name), "aid", old,
		    e)) != PGAL_OK && rc != DDB_CONDFAIL)
			return rc;
	}
	return pgal_fail(e, PGAL_EINPUT, "album '%.*s' already exists", PGAL_ALBUM_MAX, name);
}

/* Removes (user, name) if it still points at album_id. */
static int
dir_release(struct ddb *d, pgal_id user_id, const char *name, pgal_id album_id,
    pgal_err *e)
{
	int rc = ddb_delete_if(d, d->gallery, dir_key(d, user_id, name), "aid", album_id, e);

	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

/* ---- operations ---- */

/* The album item, created only where no item has this id (or ours does). */
static int
meta_create(struct ddb *d, const pgal_album *a, pgal_id id, pgal_err *e)
{
	json_t *it = meta_key(d, id);

	it_n(it, "aid", id);
	it_n(it, "owner", a->user_id);
	it_s(d, it, "name", a->name);
	it_s(d, it, "title", a->title);
	it_s(d, it, "description", a->description);
	it_n(it, "created_at", a->created_at);
	it_n(it, "updated_at", a->updated_at);
	it_n(it, "photo_count", 0);
	it_n(it, "bytes", 0);
	return ddb_put_new(d, d->gallery, "albumID", it, e);
}

int
ddb_album_create(pgal_store *s, pgal_album *a, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	pgal_user u;
	json_t *rq;
	pgal_id id = 0;
	int rc = PGAL_OK, tries;

	if ((rc = ddb_user_get(s, a->user_id, &u, e)) != PGAL_OK)
		return rc;
	/* the album item first: without its directory entry nobody sees it;
	 * an id another process drew in the same millisecond: draw again */
	for (tries = 0; tries < DDB_ID_TRIES; tries++)
		if ((rc = ddb_new_id(d, &id, e)) != PGAL_OK ||
		    (rc = meta_create(d, a, id, e)) != DDB_CONDFAIL)
			break;
	if (rc != PGAL_OK)
		return rc == DDB_CONDFAIL ? pgal_fail(e, PGAL_EBACKEND, "album id collision") : rc;
	if ((rc = dir_claim(d, a->user_id, a->name, id, e)) != PGAL_OK) {
		pgal_err ignored;

		rq = rq_new(d->gallery);
		json_object_set_new(rq, "Key", meta_key(d, id));
		ddb_call(d, "DeleteItem", rq, NULL, &ignored);
		return rc;
	}
	a->id = id;
	a->photo_count = 0;
	a->bytes = 0;
	return PGAL_OK;
}

int
ddb_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char what[PGAL_ALBUM_MAX + 32];
	pgal_id aid;
	json_t *it;
	int rc;

	snprintf(what, sizeof what, "no such album '%.*s'", PGAL_ALBUM_MAX, name);
	if (*name == '\0' || strlen(name) > PGAL_ALBUM_MAX)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	if ((rc = ddb_get(d, d->gallery, dir_key(d, user_id, name), &it, what, e)) != PGAL_OK)
		return rc;
	aid = rd_n(it, "aid", 0);
	json_decref(it);
	rc = meta_get(d, aid, &it, e);
	if (rc == PGAL_ENOTFOUND)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	if (rc != PGAL_OK)
		return rc;
	album_read(it, a);
	json_decref(it);
	/* a leftover entry of a renamed or deleted album */
	if (a->user_id != user_id || strcmp(a->name, name) != 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	return PGAL_OK;
}

struct dir {
	pgal_id *ids;	/* in name order, no duplicates */
	size_t n, cap;
};

static int
dir_collect(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct dir *l = arg;
	pgal_id aid = rd_n(it, "aid", 0), *slot;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->ids[i] == aid)
			return 0;
	if ((slot = pgal_store_rows_slot((void **)&l->ids, &l->cap, l->n,
	    sizeof *l->ids)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	*slot = aid;
	l->n++;
	return 0;
}

/* One strongly consistent Query over the directory partition, page by
 * page. */
int
ddb_album_dir(struct ddb *d, pgal_id user_id, pgal_id **ids, size_t *n, pgal_err *e)
{
	struct dir l = { NULL, 0, 0 };
	char pk[32];
	int rc;

	*ids = NULL;
	*n = 0;
	ddb_user_pk(pk, sizeof pk, user_id);
	if ((rc = ddb_query(d, rq_partition(d, d->gallery, "albumID", pk, "photoID", "A#"),
	    dir_collect, &l, e)) != PGAL_OK) {
		free(l.ids);
		return rc;
	}
	*ids = l.ids;
	*n = l.n;
	return PGAL_OK;
}

static int
album_cmp(const void *a, const void *b)
{
	return strcmp(((const pgal_album *)a)->name, ((const pgal_album *)b)->name);
}

int
ddb_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	pgal_album *v = NULL;
	pgal_id *ids = NULL;
	json_t *keys, *items = NULL, *it;
	size_t i, nids, len = 0;
	int rc, changed;

	*out = NULL;
	*n = 0;
	if ((rc = ddb_album_dir(d, user_id, &ids, &nids, e)) != PGAL_OK || nids == 0)
		goto out;
	keys = json_array();
	for (i = 0; i < nids; i++)
		json_array_append_new(keys, meta_key(d, ids[i]));
	if ((rc = ddb_batch_get(d, d->gallery, keys, &items, e)) != PGAL_OK)
		goto out;
	if ((v = calloc(json_array_size(items) + 1, sizeof *v)) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	json_array_foreach(items, i, it) {
		json_t *fresh = NULL;

		if (rd_has(it, "pending")) {
			if ((rc = settle(d, it, &changed, e)) != PGAL_OK)
				goto out;
			if (changed && (rc = ddb_get(d, d->gallery, meta_key(d,
			    rd_n(it, "aid", 0)), &fresh, "", e)) != PGAL_OK) {
				if (rc != PGAL_ENOTFOUND)
					goto out;
				continue;
			}
		}
		album_read(fresh != NULL ? fresh : it, &v[len]);
		json_decref(fresh);
		if (v[len].user_id == user_id)
			len++;
	}
	/* the batch comes back in any order; the directory is by name, and
	 * a leftover entry's album shows once under its current name */
	qsort(v, len, sizeof *v, album_cmp);
	*out = v;
	*n = len;
	v = NULL;
	rc = PGAL_OK;
out:
	free(v);
	free(ids);
	json_decref(items);
	return rc;
}

int
ddb_album_update(pgal_store *s, const pgal_album *a, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	pgal_album old;
	struct upd u;
	json_t *it, *rq;
	int rc, renamed;

	if ((rc = ddb_get(d, d->gallery, meta_key(d, a->id), &it, "no such album", e)) != PGAL_OK)
		return rc;
	album_read(it, &old);
	json_decref(it);
	renamed = strcmp(old.name, a->name) != 0;
	/* the new name first: a crash leaves an entry that readers see as stale */
	if (renamed && (rc = dir_claim(d, old.user_id, a->name, a->id, e)) != PGAL_OK)
		return rc;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", meta_key(d, a->id));
	upd_init(&u, d, rq);
	upd_set_s(&u, "name", a->name);
	upd_set_s(&u, "title", a->title);
	upd_set_s(&u, "description", a->description);
	upd_set_n(&u, "updated_at", a->updated_at);
	rc = ddb_update_existing(&u, "albumID", e);
	if (rc != PGAL_OK) {
		pgal_err ignored;

		if (renamed)
			dir_release(d, old.user_id, a->name, a->id, &ignored);
		return rc == DDB_CONDFAIL ? pgal_fail(e, PGAL_ENOTFOUND, "no such album") : rc;
	}
	if (renamed)
		return dir_release(d, old.user_id, old.name, a->id, e);
	return PGAL_OK;
}

struct cascade {
	json_t *keys;	/* the photo items */
	json_t *after;	/* their locators and refs: gone only after the items */
};

static int
cascade_one(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct cascade *c = arg;
	char pk[32], sk[PGAL_PHOTO_NAME_MAX + 8];

	rd_s(it, "albumID", pk, sizeof pk);
	rd_s(it, "photoID", sk, sizeof sk);
	if (strcmp(sk, META) == 0)
		return 0;
	json_array_append_new(c->keys, gkey(d, pk, sk));
	/* a copy in a move may be the photo's only future (its locator may
	 * name the other copy already): its locator and refs stay (readers
	 * remove refs whose photo is gone; a locator alone names nothing) */
	if (strncmp(sk, "P#", 2) == 0 && rd_has(it, "pid") && !rd_has(it, "mv")) {
		char loc[32];

		snprintf(loc, sizeof loc, "P#%lld", (long long)rd_n(it, "pid", 0));
		json_array_append_new(c->after, gkey(d, loc, "#"));
		ddb_refs_keys(d, it, c->after);
	}
	return 0;
}

/* The directory entry first (the album vanishes from its owner's view),
 * then photos in batches, then their locators and refs (a crash between
 * leaves refs that mark blobs used a while longer, never a photo whose
 * blob gc takes), the album item last. */
int
ddb_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct cascade c;
	pgal_album a;
	json_t *it, *rq;
	char pk[32];
	int rc;

	if ((rc = ddb_get(d, d->gallery, meta_key(d, album_id), &it, "no such album", e)) != PGAL_OK)
		return rc;
	album_read(it, &a);
	json_decref(it);
	if ((rc = dir_release(d, a.user_id, a.name, album_id, e)) != PGAL_OK)
		return rc;
	ddb_album_pk(pk, sizeof pk, album_id);
	c.keys = json_array();
	c.after = json_array();
	rq = rq_partition(d, d->gallery, "albumID", pk, NULL, NULL);
	json_object_set_new(rq, "ProjectionExpression", json_string(
	    "#albumID, #photoID, #pid, #owner, #sha256, #blob_id, #mv"));
	rq_names(rq, "albumID", "photoID", "pid", "owner", "sha256", "blob_id", "mv", NULL);
	if ((rc = ddb_query(d, rq, cascade_one, &c, e)) != PGAL_OK) {
		json_decref(c.keys);
		json_decref(c.after);
		return rc;
	}
	if ((rc = ddb_batch_delete(d, d->gallery, c.keys, e)) != PGAL_OK) {
		json_decref(c.after);
		return rc;
	}
	if ((rc = ddb_batch_delete(d, d->gallery, c.after, e)) != PGAL_OK)
		return rc;
	rq = rq_new(d->gallery);
	json_object_set_new(rq, "Key", meta_key(d, album_id));
	return ddb_call(d, "DeleteItem", rq, NULL, e);
}
