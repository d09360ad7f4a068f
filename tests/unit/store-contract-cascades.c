/* The store contract (store-contract.h): deleting a user or an album takes
 * everything below it along. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- cascades ---- */

static void
populate(pgal_contract_fx *f, pgal_id user, pgal_id album, const char *prefix, int n)
{
	pgal_photo p;
	pgal_session_row r;
	pgal_ssh_key k;
	pgal_err e;
	char name[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s-%d.jpg", prefix, i);
		pgal_contract_fill_photo(f, &p, user, album, name);
		snprintf(p.tags, sizeof p.tags, "common,%s", prefix);
		pgal_contract_insert_photo(f, &p);
	}
	pgal_contract_session_row(&r, user, (int64_t)((uint64_t)user * 1000 + (uint64_t)album));
	assert_int_equal(f->ops->session_create(f->s, &r, &e), PGAL_OK);
	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "SHA256:%s", prefix);
	assert_int_equal(f->ops->key_add(f->s, user, &k, "AAAAC3NzaC1lZDI1NTE5", &e), PGAL_OK);
}

void
test_user_delete_cascades(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_session_row r;
	pgal_user u;
	pgal_album a, *albums;
	pgal_ssh_key *keys;
	pgal_err e;
	char **ids;
	size_t n;
	int64_t bob_rows;

	populate(f, f->alice, f->a1, "ah", 5);
	populate(f, f->alice, f->a2, "ac", 3);
	populate(f, f->bob, f->b1, "bh", 4);
	/* user + 2 sessions + 2 albums + 8 photos + 16 tags + 2 keys */
	assert_probe(f, PGAL_PROBE_USER_ROWS, f->alice, NULL, 1 + 2 + 2 + 8 + 16 + 2);
	bob_rows = pgal_contract_probe(f, PGAL_PROBE_USER_ROWS, f->bob, NULL);
	assert_true(bob_rows == -1 || bob_rows == 1 + 1 + 1 + 4 + 8 + 1);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "common", NULL, 20), 8);

	assert_int_equal(f->ops->user_delete(f->s, f->alice, &e), PGAL_OK);
	assert_int_equal(f->ops->user_get(f->s, f->alice, &u, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->user_get_by_name(f->s, "alice", &u, &e), PGAL_ENOTFOUND);
	/* nothing of hers is left */
	pgal_contract_session_row(&r, f->alice,
	    (int64_t)((uint64_t)f->alice * 1000 + (uint64_t)f->a1));
	assert_int_equal(f->ops->session_get(f->s, r.token_hash, &r, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_list(f->s, f->alice, &albums, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(albums);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->alice, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_album(f->s, f->a1, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->key_list(f->s, f->alice, &keys, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(keys);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "common", NULL, 20), 0);
	assert_probe(f, PGAL_PROBE_USER_ROWS, f->alice, NULL, 0);
	assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	/* bob untouched, counters too */
	if (bob_rows != -1)
		assert_probe(f, PGAL_PROBE_USER_ROWS, f->bob, NULL, bob_rows);
	assert_int_equal(pgal_contract_tagged(f, f->bob, "common", NULL, 20), 4);
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 4);
	assert_int_equal(f->ops->key_list(f->s, f->bob, &keys, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	free(keys);
	/* the name is free again */
	pgal_contract_user(f, "alice");
}

void
test_album_delete_cascades(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_album a;
	pgal_ssh_key *keys;
	pgal_err e;
	char **ids;
	size_t n;
	int64_t cn, cb;

	populate(f, f->alice, f->a1, "ah", 6);
	populate(f, f->alice, f->a2, "ac", 2);
	populate(f, f->bob, f->b1, "bh", 3);
	assert_int_equal(f->ops->album_delete(f->s, f->a1, &e), PGAL_OK);
	assert_int_equal(f->ops->blob_ids_album(f->s, f->a1, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	pgal_store_free_ids(ids, n);
	pgal_contract_count_album(f, f->a1, &cn, &cb);
	assert_int_equal(cn, 0);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "ah", NULL, 20), 0);
	assert_int_equal(pgal_contract_tagged(f, f->alice, "common", NULL, 20), 2);
	assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	assert_probe(f, PGAL_PROBE_TAG, 0, "ah", 0);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->alice, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->bob, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	pgal_store_free_ids(ids, n);
	/* the user, sessions and keys stay */
	assert_int_equal(f->ops->key_list(f->s, f->alice, &keys, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	free(keys);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 2);
}
