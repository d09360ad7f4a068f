/* The store contract (store-contract.h): uploads still being stored, the
 * notes every host of a fleet reads (sshd/pending.c): written again with
 * new facts, touched by their holder, each user's own, absent once
 * expired, removed one by one (expired ones with them). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store-contract-int.h"
#include "store/store.h"

#define NOW 1700000000
#define SHA "5f9c4ab08cac7457e9111a30e4664920607ea2c115a1433d7be98e97e64244ca"

static pgal_upload
upload(const char *album, const char *name, const char *holder, int64_t bytes, int64_t until)
{
	pgal_upload u;

	memset(&u, 0, sizeof u);
	snprintf(u.album, sizeof u.album, "%s", album);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.holder, sizeof u.holder, "%s", holder);
	u.bytes = bytes;
	u.queued_at = NOW - 5;
	u.until = until;
	return u;
}

static size_t
live(pgal_contract_fx *f, pgal_id uid, const char *album, int64_t now, pgal_upload **v)
{
	size_t n = 99;
	pgal_err e;

	assert_int_equal(f->ops->upload_list(f->s, uid, album, now, v, &n, &e), PGAL_OK);
	return n;
}

void
test_uploads(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_upload u, *v;
	pgal_err e;

	u = upload("trip", "b.jpg", "boot.10.7", 1234, NOW + 30);
	u.mtime = 1262304000;
	snprintf(u.sha256, sizeof u.sha256, "%s", SHA);
	assert_int_equal(f->ops->upload_put(f->s, 1, &u, &e), PGAL_OK);
	u = upload("trip", "a.jpg", "boot.10.7", 1, NOW + 30);
	assert_int_equal(f->ops->upload_put(f->s, 1, &u, &e), PGAL_OK);
	/* the same name held by another process is another note */
	u = upload("trip", "a.jpg", "other.3.3", 2, NOW + 30);
	assert_int_equal(f->ops->upload_put(f->s, 1, &u, &e), PGAL_OK);
	u = upload("Trip 2", "c.jpg", "other.3.3", 3, NOW + 30);
	assert_int_equal(f->ops->upload_put(f->s, 1, &u, &e), PGAL_OK);
	u = upload("trip", "z.jpg", "boot.10.7", 4, NOW + 30);
	assert_int_equal(f->ops->upload_put(f->s, 2, &u, &e), PGAL_OK);

	/* by album, name and holder; each user's own */
	assert_int_equal(live(f, 1, "trip", NOW, &v), 3);
	assert_string_equal(v[0].name, "a.jpg");
	assert_string_equal(v[0].holder, "boot.10.7");
	assert_string_equal(v[1].name, "a.jpg");
	assert_string_equal(v[1].holder, "other.3.3");
	assert_string_equal(v[2].name, "b.jpg");
	assert_int_equal(v[2].bytes, 1234);
	assert_int_equal(v[2].queued_at, NOW - 5);
	assert_int_equal(v[2].mtime, 1262304000);
	assert_string_equal(v[2].sha256, SHA);
	assert_int_equal(v[2].until, NOW + 30);
	assert_string_equal(v[0].sha256, "");
	free(v);
	assert_int_equal(live(f, 1, NULL, NOW, &v), 4);
	free(v);
	assert_int_equal(live(f, 2, NULL, NOW, &v), 1);
	free(v);
	assert_int_equal(live(f, 3, NULL, NOW, &v), 0);
	free(v);

	/* written again: the new facts */
	u = upload("trip", "a.jpg", "boot.10.7", 77, NOW + 30);
	assert_int_equal(f->ops->upload_put(f->s, 1, &u, &e), PGAL_OK);
	assert_int_equal(live(f, 1, "trip", NOW, &v), 3);
	assert_int_equal(v[0].bytes, 77);
	free(v);

	/* a holder's touch keeps its notes, and only its */
	assert_int_equal(f->ops->upload_touch(f->s, 1, "boot.10.7", NOW + 100, &e), PGAL_OK);
	assert_int_equal(live(f, 1, NULL, NOW + 30, &v), 2);
	assert_string_equal(v[0].holder, "boot.10.7");
	assert_string_equal(v[1].holder, "boot.10.7");
	assert_int_equal(v[0].until, NOW + 100);
	free(v);
	/* another user's note of that holder is untouched */
	assert_int_equal(live(f, 2, NULL, NOW + 30, &v), 0);
	free(v);

	/* removed one by one; a missing one is no error */
	assert_int_equal(f->ops->upload_delete(f->s, 1, "trip", "a.jpg", "boot.10.7", NOW, &e),
	    PGAL_OK);
	assert_int_equal(f->ops->upload_delete(f->s, 1, "trip", "a.jpg", "boot.10.7", NOW, &e),
	    PGAL_OK);
	assert_int_equal(live(f, 1, "trip", NOW, &v), 2);
	assert_string_equal(v[0].holder, "other.3.3");
	free(v);
	assert_int_equal(live(f, 1, NULL, NOW + 100, &v), 0);
	free(v);
}
