/* The DynamoDB store without its global indexes, against a real dynalite
 * started here on loopback (tests/integration/peers.sh, through
 * testddb.c). The peer is dynalite behind dynalite-gsi.js, whose test
 * controls make global indexes lag (DynamoDB's are eventually consistent,
 * dynalite's are not), say CREATING, and log every write: gc's "blob used"
 * and the duplicate check must not rest on an index, the write order must
 * keep a photo's refs for as long as the photo exists at every point a
 * crash could stop it, a table from before refs gets them from prepare,
 * and only prepare (pgal init) may wait for an index. Each test uses its
 * own pair of tables. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "crypto.h"
#include "store/store.h"
#include "testddb.h"
#include "testlib.h"
#include "testpeers.h"

/* ---- refs: gc's and the duplicate check's answers without an index ---- */

static void
stale_indexes(struct ddb_fx *f, int on)
{
	if (on)
		json_decref(ddb_fx_ctl(f, "Stale", "{s:[s, s, s]}", "IndexNames", "by-sha",
		    "by-blob", "by-user"));
	else
		json_decref(ddb_fx_ctl(f, "Stale", "{s:[]}", "IndexNames"));
}

static int
blob_used(struct ddb_fx *f, pgal_store *s, const char *blob)
{
	pgal_err e;
	int used = -1;

	if (f->o->blob_id_used(s, blob, &used, &e) != PGAL_OK)
		fail_msg("blob_id_used: %s", e.msg);
	return used;
}

/* With by-sha, by-blob and by-user answering nothing (an index that has
 * not caught up), a second handle still sees every change at once. */
static void
test_refs_without_indexes(void **state)
{
	struct ddb_fx f;
	pgal_store *s2;
	pgal_photo p, q, r, got;
	pgal_err e;
	pgal_id al, bo, a1, a2;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	bo = ddb_fx_user(&f, "bob");
	a1 = ddb_fx_album(&f, al, "one");
	a2 = ddb_fx_album(&f, al, "two");
	stale_indexes(&f, 1);
	assert_int_equal(f.o->open(&s2, &f.cfg, PGAL_STORE_INIT, &e), PGAL_OK);

	ddb_fx_photo(&p, a1, al, "p.jpg", 10);
	ddb_fx_insert(&f, &p);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 1);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	assert_string_equal(got.album, "one");
	assert_int_equal(f.o->photo_find_sha(s2, bo, p.sha256, &got, &e), PGAL_ENOTFOUND);
	/* the same bytes stored again (put --force): the oldest answers */
	ddb_fx_photo(&q, a2, al, "q.jpg", 10);
	strcpy(q.sha256, p.sha256);
	ddb_fx_insert(&f, &q);
	assert_true(q.id > p.id);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	/* a blob id in use is refused at once */
	ddb_fx_photo(&r, a1, al, "r.jpg", 1);
	strcpy(r.blob_id, p.blob_id);
	assert_int_equal(f.o->photo_insert(f.s, &r, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "blob id already exists"));
	assert_int_equal(f.o->photo_get(f.s, a1, "r.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 1);
	/* moved and renamed: still used, found where it is now */
	p.album_id = a2;
	strcpy(p.name, "moved.jpg");
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 1);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	assert_string_equal(got.album, "two");
	assert_string_equal(got.name, "moved.jpg");
	/* deleted: its blob is free at once, the other copy answers */
	assert_int_equal(f.o->photo_delete(f.s, p.id, &e), PGAL_OK);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 0);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, q.id);
	/* an album delete takes its photos' refs along */
	assert_int_equal(blob_used(&f, s2, q.blob_id), 1);
	assert_int_equal(f.o->album_delete(f.s, a2, &e), PGAL_OK);
	assert_int_equal(blob_used(&f, s2, q.blob_id), 0);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_ENOTFOUND);
	stale_indexes(&f, 0);
	f.o->close(s2);
	ddb_fx_close(&f);
}

/* A photo of the crash replay: the names its item may have, its blob ref
 * key and its content ref partition. */
struct tracked {
	char names[2][PGAL_PHOTO_NAME_MAX + 3];
	char blob[PGAL_BLOB_ID_HEX + 8];
	char content[PGAL_SHA256_HEX + 32];
};

static void
track(struct tracked *t, const pgal_photo *p, const char *other_name)
{
	memset(t, 0, sizeof *t);
	snprintf(t->names[0], sizeof t->names[0], "P#%s", p->name);
	snprintf(t->names[1], sizeof t->names[1], "P#%s", other_name ? other_name : p->name);
	snprintf(t->blob, sizeof t->blob, "B#%s|#", p->blob_id);
	snprintf(t->content, sizeof t->content, "H#%lld#%s|", (long long)p->user_id,
	    p->sha256);
}

static int
is_item_of(const struct tracked *t, const char *pk, const char *sk)
{
	return strncmp(pk, "A#", 2) == 0 &&
	    (strcmp(sk, t->names[0]) == 0 || strcmp(sk, t->names[1]) == 0);
}

static int
has_prefix(json_t *present, const char *prefix)
{
	const char *k;
	json_t *v;

	json_object_foreach(present, k, v)
		if (strncmp(k, prefix, strlen(prefix)) == 0)
			return 1;
	return 0;
}

/* After any prefix of the logged writes (where a crash could stop them),
 * a photo item that exists has its blob ref and its content ref. A batch
 * is applied in any order by DynamoDB: it never holds both. present
 * ("pk|sk") is the state before and after. Returns the writes replayed. */
static size_t
replay(struct ddb_fx *f, const struct tracked *t, size_t nt, json_t *present)
{
	json_t *log = ddb_fx_ctl(f, "Log", "{}"), *w, *k;
	json_int_t batch = 0;
	size_t i, j, n = 0;
	char key[600];

	json_array_foreach(json_object_get(log, "Writes"), i, w) {
		const char *table = json_string_value(json_object_get(w, "table"));
		const char *kind = json_string_value(json_object_get(w, "kind"));
		const char *pk, *sk;
		json_int_t b = json_integer_value(json_object_get(w, "batch"));

		if (table == NULL || strcmp(table, f->cfg.dynamodb_table) != 0)
			continue;
		k = json_array_get(json_object_get(w, "keys"), 0);
		pk = json_string_value(json_object_get(k, "albumID"));
		sk = json_string_value(json_object_get(k, "photoID"));
		assert_non_null(pk);
		assert_non_null(sk);
		snprintf(key, sizeof key, "%s|%s", pk, sk);
		if (b != 0 && b == batch) {
			/* the same batch as the one before: no item with its ref */
			size_t m;
			json_t *w2;

			json_array_foreach(json_object_get(log, "Writes"), m, w2) {
				json_t *k2 = json_array_get(json_object_get(w2, "keys"), 0);
				const char *pk2 = json_string_value(json_object_get(k2, "albumID"));
				const char *sk2 = json_string_value(json_object_get(k2, "photoID"));
				char key2s[600];

				if (json_integer_value(json_object_get(w2, "batch")) != b ||
				    pk2 == NULL || sk2 == NULL)
					continue;
				snprintf(key2s, sizeof key2s, "%s|%s", pk2, sk2);
				for (j = 0; j < nt; j++)
					if (is_item_of(&t[j], pk, sk) &&
					    (strcmp(key2s, t[j].blob) == 0 ||
					    strncmp(key2s, t[j].content, strlen(t[j].content)) == 0))
						fail_msg("one batch deletes or writes photo %s "
						    "and its ref %s", sk, key2s);
			}
		}
		batch = b;
		if (strcmp(kind, "put") == 0)
			json_object_set_new(present, key, json_true());
		else
			json_object_del(present, key);
		n++;
		for (j = 0; j < nt; j++) {
			const char *pkey;
			json_t *v;
			int item = 0;

			json_object_foreach(present, pkey, v) {
				char p2[600], *bar;

				snprintf(p2, sizeof p2, "%s", pkey);
				if ((bar = strchr(p2, '|')) == NULL)
					continue;
				*bar = '\0';
				if (is_item_of(&t[j], p2, bar + 1))
					item = 1;
			}
			if (item && (json_object_get(present, t[j].blob) == NULL ||
			    !has_prefix(present, t[j].content)))
				fail_msg("after write %zu (%s %s) photo %s exists without "
				    "its %s ref", n, kind, key, t[j].names[0],
				    json_object_get(present, t[j].blob) == NULL ? "blob" :
				    "content");
		}
	}
	json_decref(log);
	return n;
}

static int
item_present(json_t *present, const char *pk_prefix, const char *sk)
{
	const char *k;
	json_t *v;
	char want[600];

	json_object_foreach(present, k, v) {
		snprintf(want, sizeof want, "|%s", sk);
		if (strncmp(k, pk_prefix, strlen(pk_prefix)) == 0 &&
		    strlen(k) > strlen(want) && strcmp(k + strlen(k) - strlen(want), want) == 0)
			return 1;
	}
	return 0;
}

/* Every write of insert, rename, move, delete and a cascading album
 * delete, replayed one by one: at no point could a crash leave a photo
 * whose blob gc would take or whose bytes the duplicate check would miss. */
static void
test_refs_crash_points(void **state)
{
	struct ddb_fx f;
	struct tracked t[3];
	pgal_photo p, q, r;
	pgal_err e;
	pgal_id al, a1, a2, a3;
	json_t *present = json_object();

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "one");
	a2 = ddb_fx_album(&f, al, "two");
	a3 = ddb_fx_album(&f, al, "three");
	json_decref(ddb_fx_ctl(&f, "Log", "{}"));

	ddb_fx_photo(&p, a1, al, "p.jpg", 10);
	track(&t[0], &p, "p2.jpg");
	ddb_fx_insert(&f, &p);
	assert_true(replay(&f, t, 1, present) >= 5);
	assert_true(item_present(present, "A#", t[0].names[0]));
	assert_non_null(json_object_get(present, t[0].blob));
	/* rename, then move to another album */
	strcpy(p.name, "p2.jpg");
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_true(replay(&f, t, 1, present) > 0);
	p.album_id = a2;
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_true(replay(&f, t, 1, present) > 0);
	assert_true(item_present(present, "A#", "P#p2.jpg"));
	assert_int_equal(f.o->photo_delete(f.s, p.id, &e), PGAL_OK);
	assert_true(replay(&f, t, 1, present) > 0);
	assert_false(item_present(present, "A#", "P#p2.jpg"));
	assert_null(json_object_get(present, t[0].blob));
	assert_false(has_prefix(present, t[0].content));

	/* an album of three, deleted in batches */
	ddb_fx_photo(&p, a3, al, "x.jpg", 1);
	ddb_fx_photo(&q, a3, al, "y.jpg", 1);
	ddb_fx_photo(&r, a3, al, "z.jpg", 1);
	track(&t[0], &p, NULL);
	track(&t[1], &q, NULL);
	track(&t[2], &r, NULL);
	ddb_fx_insert(&f, &p);
	ddb_fx_insert(&f, &q);
	ddb_fx_insert(&f, &r);
	assert_true(replay(&f, t, 3, present) > 0);
	assert_int_equal(f.o->album_delete(f.s, a3, &e), PGAL_OK);
	assert_true(replay(&f, t, 3, present) > 0);
	assert_false(item_present(present, "A#", "P#x.jpg"));
	assert_null(json_object_get(present, t[2].blob));
	(void)a1;
	json_decref(present);
	ddb_fx_close(&f);
}

/* Leftovers of a crash: a young ref counts (an insert in progress), an
 * old one whose photo is missing is removed by the reader. */
static void
test_refs_leftovers(void **state)
{
	struct ddb_fx f;
	pgal_photo p;
	pgal_err e;
	pgal_id al, a1;
	char pk[64];
	json_t *t;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "one");
	stale_indexes(&f, 1);
	/* an insert stopped after its refs: no locator, no item */
	snprintf(pk, sizeof pk, "B#%s", "00112233445566778899aabbccddeeff");
	json_decref(ddb_fx_raw(&f, "PutItem", "{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}",
	    "TableName", f.cfg.dynamodb_table, "Item", "albumID", "S", pk, "photoID", "S", "#",
	    "pid", "N", "77", "at", "N", "9999999999"));
	assert_int_equal(blob_used(&f, f.s, "00112233445566778899aabbccddeeff"), 1);
	json_decref(ddb_fx_raw(&f, "PutItem", "{s:s, s:{s:{s:s}, s:{s:s}, s:{s:s}, s:{s:s}}}",
	    "TableName", f.cfg.dynamodb_table, "Item", "albumID", "S", pk, "photoID", "S", "#",
	    "pid", "N", "77", "at", "N", "1000"));
	assert_int_equal(blob_used(&f, f.s, "00112233445566778899aabbccddeeff"), 0);
	t = ddb_fx_raw(&f, "GetItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:b}", "TableName",
	    f.cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", "#",
	    "ConsistentRead", 1);
	assert_null(json_object_get(t, "Item"));
	json_decref(t);
	/* a delete stopped before its refs: the photo and its locator gone */
	ddb_fx_photo(&p, a1, al, "p.jpg", 10);
	ddb_fx_insert(&f, &p);
	{
		char loc[32], sk[PGAL_PHOTO_NAME_MAX + 8], apk[32];

		snprintf(loc, sizeof loc, "P#%lld", (long long)p.id);
		snprintf(apk, sizeof apk, "A#%lld", (long long)a1);
		snprintf(sk, sizeof sk, "P#%s", p.name);
		json_decref(ddb_fx_raw(&f, "DeleteItem", "{s:s, s:{s:{s:s}, s:{s:s}}}", "TableName",
		    f.cfg.dynamodb_table, "Key", "albumID", "S", apk, "photoID", "S", sk));
		json_decref(ddb_fx_raw(&f, "DeleteItem", "{s:s, s:{s:{s:s}, s:{s:s}}}", "TableName",
		    f.cfg.dynamodb_table, "Key", "albumID", "S", loc, "photoID", "S", "#"));
	}
	/* its refs are young: used a while longer (the safe side) */
	assert_int_equal(blob_used(&f, f.s, p.blob_id), 1);
	{
		pgal_photo got;

		/* but the duplicate check does not report a photo that is gone */
		assert_int_equal(f.o->photo_find_sha(f.s, al, p.sha256, &got, &e),
		    PGAL_ENOTFOUND);
	}
	snprintf(pk, sizeof pk, "B#%s", p.blob_id);
	json_decref(ddb_fx_raw(&f, "UpdateItem",
	    "{s:s, s:{s:{s:s}, s:{s:s}}, s:s, s:{s:s}, s:{s:{s:s}}}",
	    "TableName", f.cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", "#",
	    "UpdateExpression", "SET #at = :old", "ExpressionAttributeNames", "#at", "at",
	    "ExpressionAttributeValues", ":old", "N", "1000"));
	assert_int_equal(blob_used(&f, f.s, p.blob_id), 0);
	stale_indexes(&f, 0);
	ddb_fx_close(&f);
}

/* Removes the refs of photo p and the layout item: a table from before
 * refs. */
static void
unref(struct ddb_fx *f, const pgal_photo *p)
{
	char pk[PGAL_SHA256_HEX + 32];
	json_t *t, *it;
	size_t i;

	snprintf(pk, sizeof pk, "B#%s", p->blob_id);
	json_decref(ddb_fx_raw(f, "DeleteItem", "{s:s, s:{s:{s:s}, s:{s:s}}}", "TableName",
	    f->cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", "#"));
	snprintf(pk, sizeof pk, "H#%lld#%s", (long long)p->user_id, p->sha256);
	t = ddb_fx_raw(f, "Query", "{s:s, s:s, s:{s:s}, s:{s:{s:s}}}", "TableName",
	    f->cfg.dynamodb_table, "KeyConditionExpression", "#a = :a",
	    "ExpressionAttributeNames", "#a", "albumID",
	    "ExpressionAttributeValues", ":a", "S", pk);
	assert_int_equal(json_array_size(json_object_get(t, "Items")), 1);
	json_array_foreach(json_object_get(t, "Items"), i, it)
		json_decref(ddb_fx_raw(f, "DeleteItem", "{s:s, s:{s:O, s:O}}", "TableName",
		    f->cfg.dynamodb_table, "Key", "albumID", json_object_get(it, "albumID"),
		    "photoID", json_object_get(it, "photoID")));
	json_decref(t);
	json_decref(ddb_fx_raw(f, "DeleteItem", "{s:s, s:{s:{s:s}, s:{s:s}}}", "TableName",
	    f->cfg.dynamodb_table, "Key", "albumID", "S", "#LAYOUT", "photoID", "S", "#"));
}

static int
has_item(struct ddb_fx *f, const char *pk, const char *sk)
{
	json_t *t = ddb_fx_raw(f, "GetItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:b}", "TableName",
	    f->cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", sk,
	    "ConsistentRead", 1);
	int has = json_is_object(json_object_get(t, "Item"));

	json_decref(t);
	return has;
}

/* A table from before refs answers through the indexes; a move gives a
 * photo its refs; prepare (pgal init) gives every photo its refs, after
 * which no index is needed. */
static void
test_refs_migration(void **state)
{
	struct ddb_fx f;
	pgal_store *s2, *s3;
	pgal_photo p, q, got;
	pgal_err e;
	pgal_id al, a1, a2;
	char pk[64];

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "one");
	a2 = ddb_fx_album(&f, al, "two");
	ddb_fx_photo(&p, a1, al, "p.jpg", 10);
	ddb_fx_insert(&f, &p);
	ddb_fx_photo(&q, a1, al, "q.jpg", 10);
	ddb_fx_insert(&f, &q);
	unref(&f, &p);
	unref(&f, &q);
	assert_int_equal(f.o->open(&s2, &f.cfg, PGAL_STORE_INIT, &e), PGAL_OK);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 1);
	assert_int_equal(f.o->photo_find_sha(s2, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	/* without the layout item, the answer comes from the index */
	stale_indexes(&f, 1);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 0);
	stale_indexes(&f, 0);
	/* a move gives q its refs */
	q.album_id = a2;
	assert_int_equal(f.o->photo_update(s2, &q, &e), PGAL_OK);
	snprintf(pk, sizeof pk, "B#%s", q.blob_id);
	assert_true(has_item(&f, pk, "#"));
	snprintf(pk, sizeof pk, "B#%s", p.blob_id);
	assert_false(has_item(&f, pk, "#"));
	/* pgal init: refs for every photo, then the layout item */
	assert_int_equal(f.o->prepare(s2, &f.cfg, &e), PGAL_OK);
	assert_true(has_item(&f, pk, "#"));
	assert_true(has_item(&f, "#LAYOUT", "#"));
	stale_indexes(&f, 1);
	assert_int_equal(blob_used(&f, s2, p.blob_id), 1);
	assert_int_equal(f.o->open(&s3, &f.cfg, PGAL_STORE_INIT, &e), PGAL_OK);
	assert_int_equal(blob_used(&f, s3, p.blob_id), 1);
	assert_int_equal(blob_used(&f, s3, q.blob_id), 1);
	assert_int_equal(f.o->photo_find_sha(s3, al, p.sha256, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	assert_int_equal(f.o->photo_find_sha(s3, al, q.sha256, &got, &e), PGAL_OK);
	assert_string_equal(got.album, "two");
	stale_indexes(&f, 0);
	f.o->close(s3);
	f.o->close(s2);
	ddb_fx_close(&f);
}

/* ---- global indexes not ready: open does not wait ---- */

static double
secs_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
expect_not_ready(struct ddb_fx *f, pgal_store *s, pgal_id user, const char *what)
{
	pgal_photo out[4];
	pgal_err e;
	char **ids;
	size_t n;

	assert_int_equal(f->o->photo_search(s, user, 0, NULL, 0, NULL, 4, out, &n, &e),
	    PGAL_EBACKEND);
	if (strstr(e.msg, "by-user") == NULL || strstr(e.msg, what) == NULL ||
	    strstr(e.msg, "pgal init") == NULL)
		fail_msg("unclear message: %s", e.msg);
	assert_int_equal(f->o->blob_ids_user(s, user, &ids, &n, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "by-user"));
}

struct search_wait {
	struct ddb_fx *f;
	pgal_store *s;
	pgal_id user;
};

/* A search of every album works again; not yet while the store still
 * believes by-user is CREATING (it asks DescribeTable again only a while
 * after it last did, GSI_RECHECK_SECS in core/store-dynamodb.c) */
static int
search_works(void *arg)
{
	struct search_wait *w = arg;
	pgal_photo out[4];
	pgal_err e;
	size_t n;

	if (w->f->o->photo_search(w->s, w->user, 0, NULL, 0, NULL, 4, out, &n, &e) != PGAL_OK) {
		if (strstr(e.msg, "CREATING") != NULL)
			return 0;
		print_error("ERROR: search: %s\n", e.msg);
		return -1;
	}
	if (n != 1) {
		print_error("ERROR: the search found %zu photos, not 1\n", n);
		return -1;
	}
	return 1;
}

static void
test_index_not_ready(void **state)
{
	struct ddb_fx f;
	struct timespec t0;
	pgal_store *s2;
	pgal_photo p, out[4];
	pgal_album *v;
	pgal_config c;
	pgal_err e;
	pgal_id al, a1;
	json_t *def, *g, *x, *t;
	char path[PATH_MAX + 64], said[1024];
	size_t n, i;
	int used;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "one");
	ddb_fx_photo(&p, a1, al, "p.jpg", 10);
	ddb_fx_insert(&f, &p);
	/* by-user backfilling for a long while */
	json_decref(ddb_fx_ctl(&f, "Backfill", "{s:s, s:s, s:i}", "TableName", f.cfg.dynamodb_table,
	    "IndexName", "by-user", "Calls", 100000));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(f.o->open(&s2, &f.cfg, PGAL_STORE_INIT, &e), PGAL_OK);
	assert_true(secs_since(&t0) < 5);
	/* what needs no by-user works */
	assert_int_equal(f.o->album_list(s2, al, &v, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	free(v);
	assert_int_equal(f.o->photo_search(s2, al, a1, NULL, 0, NULL, 4, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(f.o->blob_id_used(s2, p.blob_id, &used, &e), PGAL_OK);
	assert_int_equal(used, 1);
	/* what needs it fails at once, saying why and what to do */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	expect_not_ready(&f, s2, al, "CREATING");
	assert_true(secs_since(&t0) < 5);
	/* filled: a call after a short while asks again and works, with no
	 * reopen or pgal init */
	json_decref(ddb_fx_ctl(&f, "Backfill", "{s:s, s:s, s:i}", "TableName", f.cfg.dynamodb_table,
	    "IndexName", "by-user", "Calls", 0));
	{
		struct search_wait w = { &f, s2, al };

		pgal_test_wait_until(10, "a search to work once by-user is ACTIVE",
		    search_works, &w);
	}
	/* pgal init waits for an index that is filling */
	json_decref(ddb_fx_ctl(&f, "Backfill", "{s:s, s:s, s:i}", "TableName", f.cfg.dynamodb_table,
	    "IndexName", "by-user", "Calls", 3));
	assert_int_equal(f.o->prepare(s2, &f.cfg, &e), PGAL_OK);
	t = ddb_fx_raw(&f, "DescribeTable", "{s:s}", "TableName", f.cfg.dynamodb_table);
	json_array_foreach(json_object_get(json_object_get(t, "Table"),
	    "GlobalSecondaryIndexes"), i, x)
		assert_string_equal(json_string_value(json_object_get(x, "IndexStatus")), "ACTIVE");
	json_decref(t);
	f.o->close(s2);

	/* a table without by-user: open works, search says run pgal init,
	 * which adds it */
	snprintf(path, sizeof path, "%s/sql/dynamodb/PhotoGallery.json", pgal_test_top());
	def = json_load_file(path, 0, NULL);
	assert_non_null(def);
	c = f.cfg;
	snprintf(c.dynamodb_table, sizeof c.dynamodb_table, "%.200s-old", f.cfg.dynamodb_table);
	json_object_set_new(def, "TableName", json_string(c.dynamodb_table));
	g = json_object_get(def, "GlobalSecondaryIndexes");
	json_array_foreach(g, i, x)
		if (strcmp(json_string_value(json_object_get(x, "IndexName")), "by-user") == 0) {
			json_array_remove(g, i);
			break;
		}
	json_decref(ddb_fx_raw(&f, "CreateTable", "O", def));
	json_decref(def);
	assert_int_equal(f.o->open(&s2, &c, PGAL_STORE_INIT, &e), PGAL_OK);
	f.o->describe(s2, &c, said, sizeof said);
	assert_null(strstr(said, "added"));
	expect_not_ready(&f, s2, al, "lacks");
	assert_int_equal(f.o->prepare(s2, &c, &e), PGAL_OK);
	/* what pgal init then reports */
	f.o->describe(s2, &c, said, sizeof said);
	assert_non_null(strstr(said, "; added missing global index by-user, now ACTIVE;"));
	assert_int_equal(f.o->photo_search(s2, al, 0, NULL, 0, NULL, 4, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	f.o->close(s2);
	json_decref(ddb_fx_raw(&f, "DeleteTable", "{s:s}", "TableName", c.dynamodb_table));
	ddb_fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refs_without_indexes),
		cmocka_unit_test(test_refs_crash_points),
		cmocka_unit_test(test_refs_leftovers),
		cmocka_unit_test(test_refs_migration),
		cmocka_unit_test(test_index_not_ready),
	};

	return cmocka_run_group_tests(tests, ddb_fx_setup, ddb_fx_teardown);
}
