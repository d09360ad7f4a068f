/* The store contract (store-contract.h): users, sessions and SSH keys. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- users ---- */

void
test_users(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_user u, got;
	pgal_err e;

	assert_int_equal(f->ops->user_get_by_name(f->s, "alice", &got, &e), PGAL_OK);
	assert_int_equal(got.id, f->alice);
	assert_string_equal(got.name, "alice");
	assert_string_equal(got.email, "alice@example.org");
	assert_string_equal(got.pwhash, "$y$j9T$salt$hash-of-alice");
	assert_int_equal(got.created_at, 1700000000);
	assert_int_equal(got.confirmed, 0);
	assert_string_equal(got.code_hash, "");
	assert_true(f->alice != f->bob);

	/* every mutable field round-trips */
	u = got;
	snprintf(u.email, sizeof u.email, "alice2@example.net");
	snprintf(u.pwhash, sizeof u.pwhash, "$y$new");
	u.confirmed = 1;
	snprintf(u.code_hash, sizeof u.code_hash, "%064d", 7);
	u.code_expires_at = 1800000000;
	u.code_tries = 3;
	u.failed_logins = 4;
	u.locked_until = 1700009999;
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_OK);
	/* the same values again: still found (not "nothing changed") */
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_OK);
	assert_int_equal(f->ops->user_get(f->s, f->alice, &got, &e), PGAL_OK);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.name, "alice");
	assert_string_equal(got.email, u.email);
	assert_string_equal(got.pwhash, u.pwhash);
	assert_int_equal(got.confirmed, 1);
	assert_int_equal(got.created_at, 1700000000);
	assert_string_equal(got.code_hash, u.code_hash);
	assert_int_equal(got.code_expires_at, 1800000000);
	assert_int_equal(got.code_tries, 3);
	assert_int_equal(got.failed_logins, 4);
	assert_int_equal(got.locked_until, 1700009999);
	/* bob untouched */
	assert_int_equal(f->ops->user_get(f->s, f->bob, &got, &e), PGAL_OK);
	assert_string_equal(got.email, "bob@example.org");
	assert_int_equal(got.confirmed, 0);

	/* name is unique, compared exactly */
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "alice");
	assert_int_equal(f->ops->user_create(f->s, &u, &e), PGAL_EINPUT);
	assert_int_equal(e.code, PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "alice"));
	assert_int_equal(f->ops->user_get_by_name(f->s, "Alice", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->user_get_by_name(f->s, "alice ", &got, &e), PGAL_ENOTFOUND);

	/* not found */
	assert_int_equal(f->ops->user_get_by_name(f->s, "carol", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(e.code, PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "carol"));
	assert_int_equal(f->ops->user_get(f->s, 999999, &got, &e), PGAL_ENOTFOUND);
	u.id = 999999;
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->user_delete(f->s, 999999, &e), PGAL_ENOTFOUND);

	/* hostile-looking names are just data */
	assert_int_equal(f->ops->user_get_by_name(f->s, "x' OR '1'='1", &got, &e), PGAL_ENOTFOUND);

	/* the id of a deleted account, the newest one too, is never given
	 * again: marks named by it (mail limits, live codes) would pass on */
	{
		pgal_id carol = pgal_contract_user(f, "carol"), dave;

		assert_int_equal(f->ops->user_delete(f->s, carol, &e), PGAL_OK);
		dave = pgal_contract_user(f, "dave");
		assert_true(dave != carol && dave != f->alice && dave != f->bob);
		assert_int_equal(f->ops->user_delete(f->s, dave, &e), PGAL_OK);
	}
	assert_probe(f, PGAL_PROBE_USERS, 0, NULL, 2);
}

/* ---- sessions ---- */

void
test_sessions(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_session_row r[4], got;
	pgal_err e;
	int i;

	for (i = 0; i < 4; i++) {
		pgal_contract_session_row(&r[i], i < 3 ? f->alice : f->bob, i);
		assert_int_equal(f->ops->session_create(f->s, &r[i], &e), PGAL_OK);
	}
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_OK);
	assert_memory_equal(&got, &r[1], sizeof got);

	assert_int_equal(f->ops->session_touch(f->s, r[1].token_hash, 1750000000, &e), PGAL_OK);
	/* touching with the same time changes nothing and is still fine */
	assert_int_equal(f->ops->session_touch(f->s, r[1].token_hash, 1750000000, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(got.last_seen, 1750000000);
	assert_int_equal(got.created_at, r[1].created_at);

	/* duplicates and unknown users */
	assert_int_equal(f->ops->session_create(f->s, &r[1], &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	pgal_contract_session_row(&got, 424242, 9);
	assert_int_equal(f->ops->session_create(f->s, &got, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "user"));

	/* delete one */
	assert_int_equal(f->ops->session_delete(f->s, r[0].token_hash, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[0].token_hash, &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_delete(f->s, r[0].token_hash, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_touch(f->s, r[0].token_hash, 1, &e), PGAL_ENOTFOUND);

	/* all of alice's but one, then all */
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, r[2].token_hash, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_get(f->s, r[2].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, NULL, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[2].token_hash, &got, &e), PGAL_ENOTFOUND);
	/* none left is fine */
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, NULL, &e), PGAL_OK);
	/* bob's stays */
	assert_int_equal(f->ops->session_get(f->s, r[3].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(got.user_id, f->bob);
}

/* ---- SSH keys ---- */

void
test_keys(void **state)
{
	pgal_contract_fx *f = *state;
	static const char *const fps[] = {
		"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
		"SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
		"SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg",
	};
	static const int64_t when[] = { 1700000300, 1700000100, 1700000200 };
	pgal_ssh_key k, *list;
	pgal_err e;
	size_t n, i;
	int64_t before;

	for (i = 0; i < 3; i++) {
		memset(&k, 0, sizeof k);
		snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
		snprintf(k.fingerprint, sizeof k.fingerprint, "%s", fps[i]);
		snprintf(k.comment, sizeof k.comment, "key %zu", i);
		k.created_at = when[i];
		assert_int_equal(f->ops->key_add(f->s, f->alice, &k, "AAAAC3NzaC1lZDI1NTE5AAAA", &e), PGAL_OK);
		assert_true(k.id > 0);
		assert_int_equal(k.created_at, when[i]);
	}

	/* oldest first: created 100, 200, 300 are keys 1, 2, 0 */
	assert_int_equal(f->ops->key_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].fingerprint, fps[1]);
	assert_string_equal(list[1].fingerprint, fps[2]);
	assert_string_equal(list[2].fingerprint, fps[0]);
	assert_string_equal(list[2].comment, "key 0");
	assert_string_equal(list[2].algo, "ssh-ed25519");
	assert_int_equal(list[2].created_at, 1700000300);
	free(list);

	/* unique per user, not across users; fingerprints compare exactly */
	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "%s", fps[0]);
	assert_int_equal(f->ops->key_add(f->s, f->alice, &k, "AAAA", &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	before = time(NULL);
	assert_int_equal(f->ops->key_add(f->s, f->bob, &k, "AAAA", &e), PGAL_OK);
	/* no time given: now */
	assert_true(k.created_at >= before && k.created_at <= time(NULL));
	assert_int_equal(f->ops->key_add(f->s, 313131, &k, "AAAA", &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->alice, "sha256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
	    &k, &e), PGAL_ENOTFOUND);

	/* find is per user */
	assert_int_equal(f->ops->key_find(f->s, f->alice, fps[2], &k, &e), PGAL_OK);
	assert_string_equal(k.comment, "key 2");
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[2], &k, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[0], &k, &e), PGAL_OK);

	/* delete is per user */
	assert_int_equal(f->ops->key_delete(f->s, f->alice, fps[0], &e), PGAL_OK);
	assert_int_equal(f->ops->key_delete(f->s, f->alice, fps[0], &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->alice, fps[0], &k, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[0], &k, &e), PGAL_OK);
	assert_int_equal(f->ops->key_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	free(list);
	assert_int_equal(f->ops->key_list(f->s, 313131, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(list);
}
