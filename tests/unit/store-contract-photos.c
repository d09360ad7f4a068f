/* The store contract (store-contract.h): photos: every field round trip,
 * update and delete, SHA-256 and blob lookups. */

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- photos ---- */

void
test_photo_roundtrip(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_photo p, got;
	pgal_album a;
	pgal_err e;
	pgal_id ids[4];

	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "DSC_0001.JPG");
	snprintf(p.title, sizeof p.title, "Über den Wolken");
	snprintf(p.description, sizeof p.description, "line one\nline two");
	snprintf(p.tags, sizeof p.tags, "alps,mountain,snow");
	snprintf(p.exif.make, sizeof p.exif.make, "NIKON CORPORATION");
	snprintf(p.exif.model, sizeof p.exif.model, "NIKON D2H");
	snprintf(p.exif.lens, sizeof p.exif.lens, "iPhone 4S back camera 4.28mm f/2.4");
	snprintf(p.exif.exposure_time, sizeof p.exif.exposure_time, "1/250");
	p.exif.f_number = 2.4;
	p.exif.iso = 800;
	p.exif.focal_length = 4.28;
	p.exif.orientation = 6;
	p.exif.taken_at = 1117622400;
	p.sort_taken = p.exif.taken_at;
	p.exif.gps.present = 1;
	p.exif.gps.lat = -33.8568;
	p.exif.gps.lon = 151.2153;
	p.exif.gps.alt = 12.5;
	pgal_contract_insert_photo(f, &p);

	assert_int_equal(f->ops->photo_get(f->s, f->a1, "DSC_0001.JPG", &got, &e), PGAL_OK);
	/* reads fill the album name; everything else is what was written */
	assert_string_equal(got.album, "Holiday");
	snprintf(p.album, sizeof p.album, "Holiday");
	assert_int_equal(got.id, p.id);
	assert_string_equal(got.title, p.title);
	assert_string_equal(got.description, p.description);
	assert_string_equal(got.tags, p.tags);
	assert_string_equal(got.exif.lens, p.exif.lens);
	assert_true(got.exif.f_number == 2.4);
	assert_true(got.exif.gps.lat == -33.8568);
	assert_true(got.exif.gps.alt == 12.5);
	assert_memory_equal(&got, &p, sizeof p);
	/* the tags can be searched one by one */
	assert_int_equal(pgal_contract_tagged(f, f->alice, "mountain", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_probe(f, PGAL_PROBE_TAGS_OF, p.id, NULL, 3);

	/* unknowns: no taken_at, no GPS, unknown altitude */
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "plain.png");
	p.exif.gps.present = 1;
	p.exif.gps.lat = 10;
	p.exif.gps.lon = 20; /* alt stays NAN */
	pgal_contract_insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "plain.png", &got, &e), PGAL_OK);
	assert_int_equal(got.exif.taken_at, -1);
	assert_int_equal(got.exif.gps.present, 1);
	assert_true(got.exif.gps.lat == 10 && got.exif.gps.lon == 20);
	assert_true(isnan(got.exif.gps.alt));
	assert_true(got.exif.f_number == 0);
	assert_int_equal(got.exif.orientation, 0);
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "nogps.png");
	p.exif.f_number = NAN; /* stored as unknown */
	pgal_contract_insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "nogps.png", &got, &e), PGAL_OK);
	assert_int_equal(got.exif.gps.present, 0);
	assert_true(got.exif.gps.lat == 0 && got.exif.gps.lon == 0);
	assert_true(isnan(got.exif.gps.alt));
	assert_true(got.exif.f_number == 0);

	/* the insert bumped the album's updated_at to the photo's added_at */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.updated_at, p.added_at);
	assert_int_equal(a.photo_count, 3);

	/* conflicts: same name in the album (exactly: case and trailing
	 * space make other names); same blob id anywhere */
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "plain.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "plain.png"));
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "PLAIN.png");
	pgal_contract_insert_photo(f, &p);
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "plain.png ");
	pgal_contract_insert_photo(f, &p);
	pgal_contract_fill_photo(f, &p, f->alice, f->a2, "plain.png"); /* other album: fine */
	pgal_contract_insert_photo(f, &p);
	pgal_contract_fill_photo(f, &p, f->alice, f->a2, "other.png");
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "DSC_0001.JPG", &got, &e), PGAL_OK);
	snprintf(p.blob_id, sizeof p.blob_id, "%s", got.blob_id);
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "blob"));
	assert_non_null(strstr(e.msg, "already exists"));
	/* no album */
	pgal_contract_fill_photo(f, &p, f->alice, 777777, "x.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_ENOTFOUND);
	/* failed inserts leave nothing behind: no row, no tag, no count */
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "plain.png");
	snprintf(p.tags, sizeof p.tags, "ghost");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "ghost", NULL, 4), 0);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 5);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	assert_probe(f, PGAL_PROBE_PHOTOS, 0, NULL, 6);
	assert_probe(f, PGAL_PROBE_TAG, 0, "ghost", 0);

	assert_int_equal(f->ops->photo_get(f->s, f->a1, "missing.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "missing.jpg"));
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "dsc_0001.jpg", &got, &e), PGAL_ENOTFOUND);
	/* album ids are a namespace: alice's photo is not in bob's album */
	assert_int_equal(f->ops->photo_get(f->s, f->b1, "DSC_0001.JPG", &got, &e), PGAL_ENOTFOUND);
}

/* A row stored before the MD5 and SHA-1 were kept reads them empty; saved
 * later, they read back, and moving the photo keeps them. */
void
test_photo_digests(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_photo p, got;
	pgal_err e;

	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "old.jpg");
	p.md5[0] = p.sha1[0] = '\0';
	pgal_contract_insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "old.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.md5, "");
	assert_string_equal(got.sha1, "");
	assert_int_equal(f->ops->photo_set_digests(f->s, p.id, "0123456789abcdef0123456789abcdef",
	    "0123456789abcdef0123456789abcdef01234567", &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "old.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.md5, "0123456789abcdef0123456789abcdef");
	assert_string_equal(got.sha1, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(got.sha256, p.sha256);
	snprintf(got.name, sizeof got.name, "renamed.jpg");
	got.album_id = f->a2;
	assert_int_equal(f->ops->photo_update(f->s, &got, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a2, "renamed.jpg", &p, &e), PGAL_OK);
	assert_string_equal(p.md5, "0123456789abcdef0123456789abcdef");
	assert_string_equal(p.sha1, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(f->ops->photo_delete(f->s, p.id, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_set_digests(f->s, p.id, "0123456789abcdef0123456789abcdef",
	    "0123456789abcdef0123456789abcdef01234567", &e), PGAL_ENOTFOUND);
}

void
test_photo_update_delete(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_photo p, q, got;
	pgal_album a;
	pgal_err e;
	pgal_id ids[4];
	int64_t before;

	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "a.jpg");
	snprintf(p.tags, sizeof p.tags, "one,two");
	pgal_contract_insert_photo(f, &p);
	pgal_contract_fill_photo(f, &q, f->alice, f->a1, "b.jpg");
	snprintf(q.tags, sizeof q.tags, "two");
	pgal_contract_insert_photo(f, &q);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "one", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "two", ids, 4), 2);
	/* a file time: none until set, then kept (and moved with a rename) */
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "a.jpg", &got, &e), PGAL_OK);
	assert_int_equal(got.mtime, 0);
	p.mtime = 1262304000;

	/* metadata and tags */
	before = time(NULL);
	snprintf(p.title, sizeof p.title, "new title");
	snprintf(p.description, sizeof p.description, "new description");
	snprintf(p.tags, sizeof p.tags, "three,two");
	snprintf(p.name, sizeof p.name, "renamed.jpg");
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "a.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "renamed.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.title, "new title");
	assert_string_equal(got.description, "new description");
	assert_string_equal(got.tags, "three,two");
	assert_int_equal(got.bytes, p.bytes);
	assert_int_equal(got.mtime, 1262304000);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "one", ids, 4), 0);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "three", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "two", ids, 4), 2);
	assert_probe(f, PGAL_PROBE_TAGS_OF, p.id, NULL, 2);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_true(a.updated_at >= before && a.updated_at <= time(NULL));
	/* the same values again is fine */
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);

	/* tags cleared */
	p.tags[0] = '\0';
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "three", ids, 4), 0);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "two", ids, 4), 1);
	assert_probe(f, PGAL_PROBE_TAGS_OF, p.id, NULL, 0);

	/* name conflict within the album; nothing changes */
	snprintf(p.name, sizeof p.name, "b.jpg");
	snprintf(p.title, sizeof p.title, "should not stick");
	snprintf(p.tags, sizeof p.tags, "sticky");
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "b.jpg"));
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "renamed.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.title, "new title");
	assert_string_equal(got.tags, "");
	assert_int_equal(pgal_contract_tagged(f, f->alice, "sticky", ids, 4), 0);
	p.tags[0] = '\0';

	/* move to another album: both albums bumped, counts follow */
	snprintf(p.name, sizeof p.name, "moved.jpg");
	p.album_id = f->a2;
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 0);
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a2, "moved.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.album, "Cats");
	assert_int_equal(got.album_id, f->a2);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, p.bytes);
	assert_true(a.updated_at >= before);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, q.bytes);

	/* into an album that does not exist; unknown photo */
	p.album_id = 888888;
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_ENOTFOUND);
	p.album_id = f->a2;
	assert_int_equal(f->ops->photo_get(f->s, f->a2, "moved.jpg", &got, &e), PGAL_OK);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	got = p;
	got.id = 999999;
	assert_int_equal(f->ops->photo_update(f->s, &got, &e), PGAL_ENOTFOUND);

	/* delete: row and tags gone, album bumped */
	snprintf(q.tags, sizeof q.tags, "x,y");
	assert_int_equal(f->ops->photo_update(f->s, &q, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_delete(f->s, q.id, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "b.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "x", ids, 4), 0);
	assert_probe(f, PGAL_PROBE_TAGS_OF, q.id, NULL, 0);
	assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	assert_int_equal(f->ops->photo_delete(f->s, q.id, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 0);
	assert_int_equal(a.bytes, 0);
	assert_true(a.updated_at >= before);
}

void
test_sha_and_blobs(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_photo p, got;
	pgal_err e;
	char **ids;
	size_t n, i;
	char want_a1[3][PGAL_BLOB_ID_HEX + 1], bob_blob[PGAL_BLOB_ID_HEX + 1], sha[65];
	int used, seen[3] = { 0, 0, 0 }, j;

	for (i = 0; i < 3; i++) {
		char name[24];

		snprintf(name, sizeof name, "h%zu.jpg", i);
		pgal_contract_fill_photo(f, &p, f->alice, f->a1, name);
		pgal_contract_insert_photo(f, &p);
		snprintf(want_a1[i], sizeof want_a1[i], "%s", p.blob_id);
		if (i == 1)
			snprintf(sha, sizeof sha, "%s", p.sha256);
	}
	pgal_contract_fill_photo(f, &p, f->alice, f->a2, "c.jpg");
	pgal_contract_insert_photo(f, &p);
	/* bob has a photo with the same content as alice's h1 */
	pgal_contract_fill_photo(f, &p, f->bob, f->b1, "same.jpg");
	snprintf(p.sha256, sizeof p.sha256, "%s", sha);
	pgal_contract_insert_photo(f, &p);
	snprintf(bob_blob, sizeof bob_blob, "%s", p.blob_id);

	assert_int_equal(f->ops->photo_find_sha(f->s, f->alice, sha, &got, &e), PGAL_OK);
	assert_string_equal(got.name, "h1.jpg");
	assert_string_equal(got.album, "Holiday");
	assert_int_equal(got.user_id, f->alice);
	assert_int_equal(f->ops->photo_find_sha(f->s, f->bob, sha, &got, &e), PGAL_OK);
	assert_string_equal(got.name, "same.jpg");
	assert_int_equal(f->ops->photo_find_sha(f->s, f->bob, want_a1[0], &got, &e), PGAL_ENOTFOUND);

	assert_int_equal(f->ops->blob_ids_album(f->s, f->a1, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		for (j = 0; j < 3; j++)
			if (strcmp(ids[i], want_a1[j]) == 0)
				seen[j]++;
	assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->alice, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_not_equal(ids[i], bob_blob);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->bob, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], bob_blob);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_album(f->s, 123456, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	pgal_store_free_ids(ids, n);

	assert_int_equal(f->ops->blob_id_used(f->s, bob_blob, &used, &e), PGAL_OK);
	assert_int_equal(used, 1);
	assert_int_equal(f->ops->blob_id_used(f->s, "0123456789abcdef0123456789abcdef", &used, &e), PGAL_OK);
	assert_int_equal(used, 0);
}
