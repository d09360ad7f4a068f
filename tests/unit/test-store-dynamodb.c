/* The DynamoDB store against a real dynalite started here on loopback
 * (tests/integration/peers.sh, through testddb.c): tables created by open
 * and refused when an index is missing, every op with its errors (conflicts
 * are EINPUT "already exists", missing things ENOTFOUND), counters through
 * inserts, deletes and moves, stale intents settled, keyset pages in the
 * three orders against an order computed here, search, cascades, an
 * unreachable endpoint. Each test uses its own pair of tables. What must
 * hold while global indexes lag is in test-store-dynamodb-indexes.c. The
 * store's speed (photo rows and album pages per second, against sqlite and
 * mysql) is measured by `make bench` (bench/aws.sh), not here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "crypto.h"
#include "store/dynamodb/dynamodb-int.h"
#include "store/store.h"
#include "testddb.h"

static pgal_album
album_of(struct ddb_fx *f, pgal_id user, const char *name)
{
	pgal_album a;
	pgal_err e;

	if (f->o->album_get(f->s, user, name, &a, &e) != PGAL_OK)
		fail_msg("album_get %s: %s", name, e.msg);
	return a;
}

/* ---- tables ---- */

static void
test_tables(void **state)
{
	struct ddb_fx f;
	pgal_store *s2;
	pgal_config c;
	pgal_err e;
	json_t *t;

	ddb_fx_open(&f);
	/* open made both tables, with the indexes of sql/dynamodb/ */
	t = ddb_fx_raw(&f, "DescribeTable", "{s:s}", "TableName", f.cfg.dynamodb_table);
	assert_non_null(t);
	assert_string_equal(json_string_value(json_object_get(json_object_get(t, "Table"),
	    "TableStatus")), "ACTIVE");
	assert_int_equal(json_array_size(json_object_get(json_object_get(t, "Table"),
	    "LocalSecondaryIndexes")), 3);
	assert_int_equal(json_array_size(json_object_get(json_object_get(t, "Table"),
	    "GlobalSecondaryIndexes")), 3);
	json_decref(t);
	/* a second open finds them, also in use mode */
	assert_int_equal(f.o->open(&s2, &f.cfg, PGAL_STORE_USE, &e), PGAL_OK);
	f.o->close(s2);

	/* use mode (every door but pgal init): a missing table is an error
	 * naming it, and nothing is created */
	c = f.cfg;
	snprintf(c.dynamodb_table, sizeof c.dynamodb_table, "%.200s-typo", f.cfg.dynamodb_table);
	assert_int_equal(f.o->open(&s2, &c, PGAL_STORE_USE, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "does not exist; run pgal init"));
	assert_non_null(strstr(e.msg, c.dynamodb_table));
	t = ddb_fx_raw(&f, "DescribeTable", "{s:s}", "TableName", c.dynamodb_table);
	assert_null(json_object_get(t, "Table"));
	json_decref(t);

	/* a table made elsewhere without our indexes is refused clearly */
	c = f.cfg;
	snprintf(c.dynamodb_table, sizeof c.dynamodb_table, "%.200s-bare", f.cfg.dynamodb_table);
	json_decref(ddb_fx_raw(&f, "CreateTable", "{s:s, s:s, s:[{s:s, s:s}, {s:s, s:s}], "
	    "s:[{s:s, s:s}, {s:s, s:s}]}", "TableName", c.dynamodb_table,
	    "BillingMode", "PAY_PER_REQUEST", "AttributeDefinitions",
	    "AttributeName", "albumID", "AttributeType", "S",
	    "AttributeName", "photoID", "AttributeType", "S", "KeySchema",
	    "AttributeName", "albumID", "KeyType", "HASH",
	    "AttributeName", "photoID", "KeyType", "RANGE"));
	/* ... before anything is made: the missing users table is not
	 * created (a failed init leaves nothing behind) */
	snprintf(c.dynamodb_users_table, sizeof c.dynamodb_users_table, "%.200s-bareu",
	    f.cfg.dynamodb_table);
	assert_int_equal(f.o->open(&s2, &c, PGAL_STORE_INIT, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "lacks index by-taken"));
	t = ddb_fx_raw(&f, "DescribeTable", "{s:s}", "TableName", c.dynamodb_users_table);
	assert_null(json_object_get(t, "Table"));
	json_decref(t);
	json_decref(ddb_fx_raw(&f, "DeleteTable", "{s:s}", "TableName", c.dynamodb_table));

	/* bad names are the config's fault */
	c = f.cfg;
	strcpy(c.dynamodb_table, "a b");
	assert_int_equal(f.o->open(&s2, &c, PGAL_STORE_INIT, &e), PGAL_EUSAGE);
	assert_non_null(strstr(e.msg, "dynamodb_table"));
	ddb_fx_close(&f);
}

static void
test_unreachable(void **state)
{
	pgal_config c = ddb_fx_base;
	pgal_store *s;
	pgal_err e;

	setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:1", 1);
	assert_int_equal(pgal_store_find("dynamodb")->open(&s, &c, PGAL_STORE_INIT, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "DynamoDB DescribeTable: http://127.0.0.1:1 unreachable"));
	assert_null(strstr(e.msg, DDB_FX_SECRET));
	{
		char url[64];

		snprintf(url, sizeof url, "http://127.0.0.1:%d", ddb_fx_port);
		setenv("AWS_ENDPOINT_URL_DYNAMODB", url, 1);
	}
}

/* ---- accounts ---- */

static void
test_users_sessions_keys(void **state)
{
	struct ddb_fx f;
	pgal_user u, v;
	pgal_session_row r, g;
	pgal_ssh_key k, *keys;
	size_t n;
	pgal_err e;
	pgal_id a;

	ddb_fx_open(&f);
	a = ddb_fx_user(&f, "alice");
	memset(&u, 0, sizeof u);
	strcpy(u.name, "alice");
	strcpy(u.email, "other@example.org");
	strcpy(u.pwhash, "x");
	assert_int_equal(f.o->user_create(f.s, &u, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "user 'alice' already exists");
	assert_int_equal(f.o->user_get_by_name(f.s, "alice", &u, &e), PGAL_OK);
	assert_int_equal(u.id, a);
	assert_string_equal(u.email, "alice@example.org");
	assert_string_equal(u.code_hash, "");
	assert_int_equal(f.o->user_get_by_name(f.s, "nobody", &u, &e), PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such user 'nobody'");
	assert_int_equal(f.o->user_get(f.s, a + 1, &u, &e), PGAL_ENOTFOUND);

	/* update writes every mutable field, also back to empty */
	assert_int_equal(f.o->user_get(f.s, a, &u, &e), PGAL_OK);
	u.confirmed = 1;
	strcpy(u.code_hash, "");
	u.failed_logins = 3;
	u.locked_until = 1234567890123LL;
	strcpy(u.email, "new@example.org");
	assert_int_equal(f.o->user_update(f.s, &u, &e), PGAL_OK);
	assert_int_equal(f.o->user_get(f.s, a, &v, &e), PGAL_OK);
	assert_int_equal(v.confirmed, 1);
	assert_string_equal(v.code_hash, "");
	assert_int_equal(v.failed_logins, 3);
	assert_int_equal(v.locked_until, 1234567890123LL);
	assert_string_equal(v.email, "new@example.org");
	assert_string_equal(v.name, "alice");
	assert_int_equal(v.created_at, 1000);
	u.id = a + 7;
	assert_int_equal(f.o->user_update(f.s, &u, &e), PGAL_ENOTFOUND);

	/* sessions */
	memset(&r, 0, sizeof r);
	memset(r.token_hash, 'a', PGAL_SHA256_HEX);
	r.user_id = a;
	r.created_at = r.last_seen = 100;
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_OK);
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_EINPUT);
	r.user_id = a + 9;
	memset(r.token_hash, 'z', PGAL_SHA256_HEX);
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_ENOTFOUND);
	r.user_id = a;
	memset(r.token_hash, 'b', PGAL_SHA256_HEX);
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_OK);
	memset(r.token_hash, 'c', PGAL_SHA256_HEX);
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_OK);
	assert_int_equal(f.o->session_touch(f.s, r.token_hash, 200, &e), PGAL_OK);
	assert_int_equal(f.o->session_get(f.s, r.token_hash, &g, &e), PGAL_OK);
	assert_int_equal(g.last_seen, 200);
	assert_int_equal(g.created_at, 100);
	assert_int_equal(g.user_id, a);
	assert_string_equal(g.token_hash, r.token_hash);
	assert_int_equal(f.o->session_delete(f.s, r.token_hash, &e), PGAL_OK);
	assert_int_equal(f.o->session_delete(f.s, r.token_hash, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->session_touch(f.s, r.token_hash, 300, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->session_get(f.s, r.token_hash, &g, &e), PGAL_ENOTFOUND);
	/* revoke all but "b" */
	memset(r.token_hash, 'b', PGAL_SHA256_HEX);
	assert_int_equal(f.o->session_delete_user(f.s, a, r.token_hash, &e), PGAL_OK);
	assert_int_equal(f.o->session_get(f.s, r.token_hash, &g, &e), PGAL_OK);
	memset(g.token_hash, 'a', PGAL_SHA256_HEX);
	assert_int_equal(f.o->session_get(f.s, g.token_hash, &g, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->session_delete_user(f.s, a, NULL, &e), PGAL_OK);
	assert_int_equal(f.o->session_get(f.s, r.token_hash, &g, &e), PGAL_ENOTFOUND);

	/* keys: oldest first, unique per user */
	memset(&k, 0, sizeof k);
	strcpy(k.algo, "ssh-ed25519");
	strcpy(k.fingerprint, "SHA256:second");
	k.created_at = 50;
	assert_int_equal(f.o->key_add(f.s, a, &k, "AAAA", &e), PGAL_OK);
	strcpy(k.fingerprint, "SHA256:first");
	k.created_at = 40;
	assert_int_equal(f.o->key_add(f.s, a, &k, "AAAB", &e), PGAL_OK);
	strcpy(k.fingerprint, "SHA256:third");
	k.created_at = 50;
	strcpy(k.comment, "laptop");
	assert_int_equal(f.o->key_add(f.s, a, &k, "AAAC", &e), PGAL_OK);
	assert_int_equal(f.o->key_add(f.s, a, &k, "AAAC", &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "key SHA256:third already exists");
	assert_int_equal(f.o->key_add(f.s, a + 5, &k, "AAAC", &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->key_list(f.s, a, &keys, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(keys[0].fingerprint, "SHA256:first");
	/* same second: added earlier, listed earlier */
	assert_string_equal(keys[1].fingerprint, "SHA256:second");
	assert_string_equal(keys[2].fingerprint, "SHA256:third");
	assert_string_equal(keys[2].comment, "laptop");
	free(keys);
	assert_int_equal(f.o->key_find(f.s, a, "SHA256:third", &k, &e), PGAL_OK);
	assert_string_equal(k.algo, "ssh-ed25519");
	assert_int_equal(f.o->key_delete(f.s, a, "SHA256:third", &e), PGAL_OK);
	assert_int_equal(f.o->key_delete(f.s, a, "SHA256:third", &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->key_find(f.s, a, "SHA256:third", &k, &e), PGAL_ENOTFOUND);
	ddb_fx_close(&f);
}

/* ---- albums ---- */

static void
test_albums(void **state)
{
	struct ddb_fx f;
	pgal_album a, *v;
	size_t n;
	pgal_err e;
	pgal_id al, bo, x;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	bo = ddb_fx_user(&f, "bob");
	ddb_fx_album(&f, al, "zoo");
	x = ddb_fx_album(&f, al, "Beach");
	ddb_fx_album(&f, al, "apples");
	ddb_fx_album(&f, bo, "zoo");
	memset(&a, 0, sizeof a);
	a.user_id = al;
	strcpy(a.name, "zoo");
	assert_int_equal(f.o->album_create(f.s, &a, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "album 'zoo' already exists");
	a.user_id = al + 99;
	assert_int_equal(f.o->album_create(f.s, &a, &e), PGAL_ENOTFOUND);

	/* sorted by name, bytewise like SQL's BINARY collation */
	assert_int_equal(f.o->album_list(f.s, al, &v, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "Beach");
	assert_string_equal(v[1].name, "apples");
	assert_string_equal(v[2].name, "zoo");
	assert_int_equal(v[0].id, x);
	assert_int_equal(v[0].photo_count, 0);
	free(v);

	/* rename; the old name is free, a taken one is refused */
	a = album_of(&f, al, "Beach");
	strcpy(a.name, "Sea");
	strcpy(a.title, "Summer");
	a.updated_at = 3000;
	assert_int_equal(f.o->album_update(f.s, &a, &e), PGAL_OK);
	assert_int_equal(f.o->album_get(f.s, al, "Beach", &a, &e), PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such album 'Beach'");
	a = album_of(&f, al, "Sea");
	assert_int_equal(a.id, x);
	assert_string_equal(a.title, "Summer");
	assert_int_equal(a.updated_at, 3000);
	strcpy(a.name, "zoo");
	assert_int_equal(f.o->album_update(f.s, &a, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "album 'zoo' already exists");
	a = album_of(&f, al, "Sea");
	strcpy(a.title, "");
	assert_int_equal(f.o->album_update(f.s, &a, &e), PGAL_OK);
	assert_string_equal(album_of(&f, al, "Sea").title, "");
	a.id = x + 1;
	assert_int_equal(f.o->album_update(f.s, &a, &e), PGAL_ENOTFOUND);
	ddb_fx_album(&f, al, "Beach");

	/* bob sees his own only */
	assert_int_equal(f.o->album_get(f.s, bo, "Sea", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->album_delete(f.s, x, &e), PGAL_OK);
	assert_int_equal(f.o->album_delete(f.s, x, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->album_get(f.s, al, "Sea", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->album_list(f.s, al, &v, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	free(v);
	ddb_fx_close(&f);
}

/* ---- photos ---- */

static void
test_photo_roundtrip(void **state)
{
	struct ddb_fx f;
	pgal_photo p, q;
	pgal_err e;
	pgal_id al, a1;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "trip");
	ddb_fx_photo(&p, a1, al, "IMG 1.jpg", 12345);
	strcpy(p.title, "Ünïcode title");
	strcpy(p.tags, "beach,sun");
	strcpy(p.exif.make, "NIKON");
	strcpy(p.exif.exposure_time, "1/250");
	p.exif.f_number = 5.6;
	p.exif.iso = 200;
	p.exif.focal_length = 35.5;
	p.exif.orientation = 6;
	p.exif.taken_at = -86400 * 365;	/* 1969: before the epoch */
	p.sort_taken = p.exif.taken_at;
	p.exif.gps.present = 1;
	p.exif.gps.lat = -33.856784;
	p.exif.gps.lon = 151.215297;
	ddb_fx_insert(&f, &p);
	assert_true(p.id > 0);
	assert_int_equal(f.o->photo_get(f.s, a1, "IMG 1.jpg", &q, &e), PGAL_OK);
	strcpy(p.album, "trip");
	/* alt unknown: NaN both sides, compared apart */
	assert_true(isnan(q.exif.gps.alt));
	q.exif.gps.alt = p.exif.gps.alt;
	assert_memory_equal(&p.exif.gps, &q.exif.gps, sizeof p.exif.gps);
	assert_string_equal(q.album, "trip");
	assert_string_equal(q.title, p.title);
	assert_string_equal(q.tags, "beach,sun");
	assert_string_equal(q.description, "");
	assert_int_equal(q.id, p.id);
	assert_int_equal(q.user_id, al);
	assert_int_equal(q.bytes, 12345);
	assert_int_equal(q.exif.taken_at, p.exif.taken_at);
	assert_int_equal(q.sort_taken, p.sort_taken);
	assert_true(q.exif.f_number == 5.6 && q.exif.focal_length == 35.5);
	assert_string_equal(q.exif.exposure_time, "1/250");
	assert_string_equal(q.blob_id, p.blob_id);
	assert_string_equal(q.sha256, p.sha256);

	/* unknowns stay unknown */
	ddb_fx_photo(&p, a1, al, "plain.png", 1);
	ddb_fx_insert(&f, &p);
	assert_int_equal(f.o->photo_get(f.s, a1, "plain.png", &q, &e), PGAL_OK);
	assert_int_equal(q.exif.taken_at, -1);
	assert_int_equal(q.exif.gps.present, 0);
	assert_true(q.exif.f_number == 0);

	/* the name is unique per album; the album must exist */
	ddb_fx_photo(&p, a1, al, "IMG 1.jpg", 5);
	assert_int_equal(f.o->photo_insert(f.s, &p, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "photo 'IMG 1.jpg' in this album already exists");
	ddb_fx_photo(&p, a1 + 1, al, "x.jpg", 5);
	assert_int_equal(f.o->photo_insert(f.s, &p, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->photo_get(f.s, a1, "nope.jpg", &q, &e), PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such photo 'nope.jpg'");
	/* the failed insert left no trace in the counters */
	assert_int_equal(album_of(&f, al, "trip").photo_count, 2);
	assert_int_equal(album_of(&f, al, "trip").bytes, 12346);
	ddb_fx_close(&f);
}

static void
test_photo_update_move_delete(void **state)
{
	struct ddb_fx f;
	pgal_photo p, q, r;
	pgal_album a;
	pgal_err e;
	pgal_id al, a1, a2;
	char **ids;
	size_t n;
	int used;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "one");
	a2 = ddb_fx_album(&f, al, "two");
	ddb_fx_photo(&p, a1, al, "p.jpg", 100);
	ddb_fx_insert(&f, &p);
	ddb_fx_photo(&r, a1, al, "r.jpg", 10);
	ddb_fx_insert(&f, &r);
	ddb_fx_photo(&q, a2, al, "q.jpg", 1000);
	ddb_fx_insert(&f, &q);

	/* in place: title, description, tags */
	strcpy(p.title, "New");
	strcpy(p.description, "Long walk");
	strcpy(p.tags, "x");
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_int_equal(f.o->photo_get(f.s, a1, "p.jpg", &q, &e), PGAL_OK);
	assert_string_equal(q.description, "Long walk");
	assert_string_equal(q.tags, "x");
	a = album_of(&f, al, "one");
	assert_true(a.updated_at > 5000);

	/* rename within the album */
	strcpy(p.name, "renamed.jpg");
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_int_equal(f.o->photo_get(f.s, a1, "p.jpg", &q, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->photo_get(f.s, a1, "renamed.jpg", &q, &e), PGAL_OK);
	assert_int_equal(q.id, p.id);
	assert_string_equal(q.title, "New");
	assert_int_equal(album_of(&f, al, "one").photo_count, 2);

	/* onto a taken name: refused, nothing changed */
	strcpy(p.name, "r.jpg");
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_EINPUT);
	assert_int_equal(f.o->photo_get(f.s, a1, "renamed.jpg", &q, &e), PGAL_OK);
	assert_int_equal(f.o->photo_get(f.s, a1, "r.jpg", &q, &e), PGAL_OK);
	assert_int_equal(q.id, r.id);

	/* move to album two: counters of both follow */
	strcpy(p.name, "moved.jpg");
	p.album_id = a2;
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_OK);
	assert_int_equal(f.o->photo_get(f.s, a2, "moved.jpg", &q, &e), PGAL_OK);
	assert_int_equal(q.id, p.id);
	assert_string_equal(q.album, "two");
	assert_int_equal(q.album_id, a2);
	a = album_of(&f, al, "one");
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, 10);
	a = album_of(&f, al, "two");
	assert_int_equal(a.photo_count, 2);
	assert_int_equal(a.bytes, 1100);
	/* into a missing album */
	p.album_id = a2 + 12345;
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->photo_get(f.s, a2, "moved.jpg", &q, &e), PGAL_OK);
	p.album_id = a2;

	/* blob ids */
	assert_int_equal(f.o->blob_ids_album(f.s, a2, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f.o->blob_ids_user(f.s, al, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f.o->blob_id_used(f.s, p.blob_id, &used, &e), PGAL_OK);
	assert_int_equal(used, 1);
	assert_int_equal(f.o->blob_id_used(f.s, "00000000000000000000000000000000", &used, &e), PGAL_OK);
	assert_int_equal(used, 0);

	/* duplicate content: the oldest photo */
	ddb_fx_photo(&q, a1, al, "copy.jpg", 100);
	strcpy(q.sha256, p.sha256);
	ddb_fx_insert(&f, &q);
	assert_int_equal(f.o->photo_find_sha(f.s, al, p.sha256, &r, &e), PGAL_OK);
	assert_int_equal(r.id, p.id);
	assert_string_equal(r.album, "two");
	assert_int_equal(f.o->photo_find_sha(f.s, al + 1, p.sha256, &r, &e), PGAL_ENOTFOUND);

	/* delete */
	assert_int_equal(f.o->photo_delete(f.s, p.id, &e), PGAL_OK);
	assert_int_equal(f.o->photo_delete(f.s, p.id, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->photo_get(f.s, a2, "moved.jpg", &q, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->blob_id_used(f.s, p.blob_id, &used, &e), PGAL_OK);
	assert_int_equal(used, 0);
	a = album_of(&f, al, "two");
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, 1000);
	assert_int_equal(f.o->photo_update(f.s, &p, &e), PGAL_ENOTFOUND);
	ddb_fx_close(&f);
}

/* Reference order for a page: (key, id) ascending. */
struct ref { int64_t num; char text[PGAL_TITLE_MAX + 1]; pgal_id id; };

static int
ref_num_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
ref_text_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	int c = strcmp(x->text, y->text);

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void
test_pages(void **state)
{
	enum { N = 37, PAGE = 5 };
	static const char *const titles[] = { "", "b", "a", "ab", "B", "b", "" };
	struct ddb_fx f;
	struct ref ref[3][N];
	pgal_photo p, out[PAGE];
	pgal_cursor cur;
	pgal_err e;
	pgal_id al, a1, other;
	size_t n, got;
	int s, i;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "many");
	other = ddb_fx_album(&f, al, "other");
	for (i = 0; i < N; i++) {
		char name[32];

		snprintf(name, sizeof name, "p%02d.jpg", i);
		ddb_fx_photo(&p, a1, al, name, i);
		snprintf(p.title, sizeof p.title, "%s", titles[i % 7]);
		/* ties on purpose, and negative times */
		p.sort_taken = (i % 5) * 1000 - 2000;
		p.added_at = 10000 + (i % 3);
		ddb_fx_insert(&f, &p);
		ref[0][i].num = p.sort_taken;
		ref[1][i].num = p.added_at;
		snprintf(ref[2][i].text, sizeof ref[2][i].text, "%s", p.title);
		ref[0][i].id = ref[1][i].id = ref[2][i].id = p.id;
	}
	ddb_fx_photo(&p, other, al, "elsewhere.jpg", 1);
	ddb_fx_insert(&f, &p);
	qsort(ref[0], N, sizeof ref[0][0], ref_num_cmp);
	qsort(ref[1], N, sizeof ref[1][0], ref_num_cmp);
	qsort(ref[2], N, sizeof ref[2][0], ref_text_cmp);
	for (s = 0; s < 3; s++) {
		memset(&cur, 0, sizeof cur);
		got = 0;
		do {
			if (f.o->photo_list(f.s, a1, (pgal_sort)s, &cur, PAGE, out, &n,
			    &e) != PGAL_OK)
				fail_msg("photo_list sort %d: %s", s, e.msg);
			for (i = 0; i < (int)n; i++) {
				assert_true(got < N);
				assert_int_equal(out[i].id, ref[s][got].id);
				assert_string_equal(out[i].album, "many");
				got++;
			}
			if (n > 0) {
				cur.valid = 1;
				cur.id = out[n - 1].id;
				cur.num = s == 0 ? out[n - 1].sort_taken : out[n - 1].added_at;
				snprintf(cur.text, sizeof cur.text, "%s", out[n - 1].title);
			}
		} while (n == PAGE);
		assert_int_equal(got, N);
	}
	assert_int_equal(f.o->photo_list(f.s, a1, (pgal_sort)7, NULL, PAGE, out, &n, &e), PGAL_EUSAGE);
	assert_int_equal(album_of(&f, al, "many").photo_count, N);
	assert_int_equal(album_of(&f, al, "many").bytes, N * (N - 1) / 2);
	ddb_fx_close(&f);
}

static void
test_search(void **state)
{
	struct ddb_fx f;
	pgal_photo p, out[10];
	const char *w1[] = { "SUNSET" }, *w2[] = { "sunset", "dog" }, *w3[] = { "50%" };
	pgal_err e;
	pgal_id al, bo, a1, b1;
	size_t n;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	bo = ddb_fx_user(&f, "bob");
	a1 = ddb_fx_album(&f, al, "a");
	b1 = ddb_fx_album(&f, bo, "b");
	ddb_fx_photo(&p, a1, al, "one.jpg", 1);
	strcpy(p.title, "Sunset at sea");
	strcpy(p.tags, "sea,sun");
	p.added_at = 100;
	ddb_fx_insert(&f, &p);
	ddb_fx_photo(&p, a1, al, "two.jpg", 1);
	strcpy(p.description, "the dog at sunset");
	strcpy(p.tags, "dog");
	p.added_at = 200;
	ddb_fx_insert(&f, &p);
	ddb_fx_photo(&p, a1, al, "50%-off.jpg", 1);
	p.added_at = 300;
	ddb_fx_insert(&f, &p);
	ddb_fx_photo(&p, b1, bo, "sunset.jpg", 1);
	ddb_fx_insert(&f, &p);

	assert_int_equal(f.o->photo_search(f.s, al, 0, w1, 1, NULL, 10, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	/* newest first */
	assert_string_equal(out[0].name, "two.jpg");
	assert_string_equal(out[1].name, "one.jpg");
	assert_string_equal(out[0].album, "a");
	assert_int_equal(f.o->photo_search(f.s, al, 0, w2, 2, NULL, 10, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "two.jpg");
	assert_int_equal(f.o->photo_search(f.s, al, 0, w1, 1, "sea", 10, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "one.jpg");
	assert_int_equal(f.o->photo_search(f.s, al, 0, NULL, 0, "se", 10, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* wildcards are literal */
	assert_int_equal(f.o->photo_search(f.s, al, 0, w3, 1, NULL, 10, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "50%-off.jpg");
	/* limit */
	assert_int_equal(f.o->photo_search(f.s, al, 0, NULL, 0, NULL, 2, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].name, "50%-off.jpg");
	ddb_fx_close(&f);
}

static void
test_stale_intents(void **state)
{
	struct ddb_fx f;
	pgal_photo p;
	pgal_album a;
	char pk[32], elem[96];
	json_t *r;
	pgal_id al, a1;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	a1 = ddb_fx_album(&f, al, "a");
	ddb_fx_photo(&p, a1, al, "kept.jpg", 700);
	ddb_fx_insert(&f, &p);
	snprintf(pk, sizeof pk, "A#%lld", (long long)a1);
	/* a writer died after writing the photo, before counting it */
	snprintf(elem, sizeof elem, "i:%lld:700:1000", (long long)p.id);
	r = ddb_fx_raw(&f, "UpdateItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:s, s:{s:s, s:s, s:s}, "
	    "s:{s:{s:s}, s:{s:s}, s:{s:[s]}}}", "TableName", f.cfg.dynamodb_table,
	    "Key", "albumID", "S", pk, "photoID", "S", "#ALBUM",
	    "UpdateExpression", "ADD #c :m1, #b :m700, #p :e",
	    "ExpressionAttributeNames", "#c", "photo_count", "#b", "bytes", "#p", "pending",
	    "ExpressionAttributeValues", ":m1", "N", "-1", ":m700", "N", "-700", ":e", "SS", elem);
	assert_non_null(r);
	json_decref(r);
	/* and another died before writing its photo (id 42 never existed) */
	r = ddb_fx_raw(&f, "UpdateItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:s, s:{s:s}, s:{s:{s:[s]}}}",
	    "TableName", f.cfg.dynamodb_table,
	    "Key", "albumID", "S", pk, "photoID", "S", "#ALBUM",
	    "UpdateExpression", "ADD #p :e", "ExpressionAttributeNames", "#p", "pending",
	    "ExpressionAttributeValues", ":e", "SS", "i:42:5:1000");
	assert_non_null(r);
	json_decref(r);
	a = album_of(&f, al, "a");
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, 700);
	r = ddb_fx_raw(&f, "GetItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:b}", "TableName",
	    f.cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", "#ALBUM",
	    "ConsistentRead", 1);
	assert_non_null(r);
	assert_null(json_object_get(json_object_get(r, "Item"), "pending"));
	json_decref(r);
	ddb_fx_close(&f);
}

static void
test_cascades(void **state)
{
	struct ddb_fx f;
	pgal_photo p, q;
	pgal_session_row r;
	pgal_ssh_key k;
	pgal_user u;
	pgal_album *v;
	pgal_err e;
	pgal_id al, bo, a1, a2, b1, keep;
	size_t n;
	int i, used;

	ddb_fx_open(&f);
	al = ddb_fx_user(&f, "alice");
	bo = ddb_fx_user(&f, "bob");
	a1 = ddb_fx_album(&f, al, "a1");
	a2 = ddb_fx_album(&f, al, "a2");
	b1 = ddb_fx_album(&f, bo, "b1");
	/* more than one BatchWriteItem (25) worth of photos */
	for (i = 0; i < 30; i++) {
		char name[16];

		snprintf(name, sizeof name, "%d.jpg", i);
		ddb_fx_photo(&p, i % 2 ? a1 : a2, al, name, 1);
		ddb_fx_insert(&f, &p);
	}
	ddb_fx_photo(&q, b1, bo, "bob.jpg", 1);
	ddb_fx_insert(&f, &q);
	keep = p.id;
	assert_int_equal(f.o->album_delete(f.s, a1, &e), PGAL_OK);
	/* it went with its album, locator and all */
	assert_int_equal(f.o->photo_delete(f.s, keep, &e), PGAL_ENOTFOUND);
	ddb_fx_photo(&p, a2, al, "late.jpg", 1);
	ddb_fx_insert(&f, &p);
	memset(&r, 0, sizeof r);
	memset(r.token_hash, 'f', PGAL_SHA256_HEX);
	r.user_id = al;
	assert_int_equal(f.o->session_create(f.s, &r, &e), PGAL_OK);
	memset(&k, 0, sizeof k);
	strcpy(k.fingerprint, "SHA256:k");
	assert_int_equal(f.o->key_add(f.s, al, &k, "AAAA", &e), PGAL_OK);

	assert_int_equal(f.o->user_delete(f.s, al, &e), PGAL_OK);
	assert_int_equal(f.o->user_delete(f.s, al, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->user_get_by_name(f.s, "alice", &u, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->session_get(f.s, r.token_hash, &r, &e), PGAL_ENOTFOUND);
	assert_int_equal(f.o->album_list(f.s, al, &v, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(f.o->blob_id_used(f.s, p.blob_id, &used, &e), PGAL_OK);
	assert_int_equal(used, 0);
	assert_int_equal(f.o->photo_delete(f.s, p.id, &e), PGAL_ENOTFOUND);
	/* the gallery table holds bob's things only: album item, directory
	 * entry, photo, locator, blob ref, content ref, and the layout item;
	 * the users table bob, his name lock and, as the fixture's accounts
	 * are not confirmed, his entry in the list of pending sign-ups that gc
	 * reads (alice's went with her) */
	{
		json_t *t = ddb_fx_raw(&f, "Scan", "{s:s, s:s}", "TableName",
		    f.cfg.dynamodb_table, "Select", "COUNT");

		assert_int_equal(json_integer_value(json_object_get(t, "Count")), 7);
		json_decref(t);
		t = ddb_fx_raw(&f, "Scan", "{s:s, s:s}", "TableName",
		    f.cfg.dynamodb_users_table, "Select", "COUNT");
		assert_int_equal(json_integer_value(json_object_get(t, "Count")), 3);
		json_decref(t);
	}
	/* the name is free again */
	assert_true(ddb_fx_user(&f, "alice") != al);
	assert_int_equal(f.o->photo_get(f.s, b1, "bob.jpg", &q, &e), PGAL_OK);
	ddb_fx_close(&f);
}

/* ddb_user_pk: the user item, its preferences and its album directory,
 * written by three files, are all found under the partition it names. */
static void
test_user_partition(void **state)
{
	struct ddb_fx f;
	char pk[32];
	pgal_err e;
	json_t *t, *it;
	pgal_id uid;

	ddb_fx_open(&f);
	uid = ddb_fx_user(&f, "carol");
	ddb_fx_album(&f, uid, "trip");
	assert_int_equal(f.o->pref_set(f.s, uid, "colors", "16", &e), PGAL_OK);
	ddb_user_pk(pk, sizeof pk, uid);
	t = ddb_fx_raw(&f, "GetItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:b}", "TableName",
	    f.cfg.dynamodb_users_table, "Key", "pk", "S", pk, "sk", "S", "#USER",
	    "ConsistentRead", 1);
	assert_non_null(it = json_object_get(t, "Item"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(it,
	    "name"), "S")), "carol");
	assert_non_null(json_object_get(it, "pref_colors"));
	json_decref(t);
	t = ddb_fx_raw(&f, "GetItem", "{s:s, s:{s:{s:s}, s:{s:s}}, s:b}", "TableName",
	    f.cfg.dynamodb_table, "Key", "albumID", "S", pk, "photoID", "S", "A#trip",
	    "ConsistentRead", 1);
	assert_non_null(json_object_get(t, "Item"));
	json_decref(t);
	ddb_fx_close(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_unreachable),
		cmocka_unit_test(test_users_sessions_keys),
		cmocka_unit_test(test_albums),
		cmocka_unit_test(test_photo_roundtrip),
		cmocka_unit_test(test_photo_update_move_delete),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_stale_intents),
		cmocka_unit_test(test_cascades),
		cmocka_unit_test(test_user_partition),
	};

	return cmocka_run_group_tests(tests, ddb_fx_setup, ddb_fx_teardown);
}
