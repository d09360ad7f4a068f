/* The store contract (store-contract.h): every backend, the same calls, the
 * same results, the same errors. Each case opens a fresh empty store made by
 * the backend's fresh(); checks go through the store's own operations, plus
 * the backend's independent row counts where it has them. This file holds
 * the fixture and the one list of cases; the cases live by concept in
 * store-contract-*.c. */

#include <math.h>
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

pgal_contract_backend *pgal_contract_cur;
static int casenum;

/* ---- helpers ---- */

void
pgal_contract_fresh_config(pgal_config *cfg)
{
	pgal_err e;

	if (B->fresh(B, cfg, ++casenum, &e) != PGAL_OK)
		fail_msg("%s: cannot make a fresh store: %s", B->name, e.msg);
}

pgal_store *
pgal_contract_open(const pgal_config *cfg)
{
	pgal_store *s = NULL;
	pgal_err e;

	if (B->ops->open(&s, cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
		fail_msg("%s open: %s", B->name, e.msg);
	assert_non_null(s);
	return s;
}

int64_t
pgal_contract_probe(pgal_contract_fx *f, pgal_probe what, int64_t id, const char *text)
{
	if (B->probe == NULL)
		return -1;
	return B->probe(B, &f->cfg, what, id, text);
}

pgal_id
pgal_contract_user(pgal_contract_fx *f, const char *name)
{
	pgal_user u;
	pgal_err e;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.email, sizeof u.email, "%s@example.org", name);
	snprintf(u.pwhash, sizeof u.pwhash, "$y$j9T$salt$hash-of-%s", name);
	u.created_at = 1700000000;
	if (f->ops->user_create(f->s, &u, &e) != PGAL_OK)
		fail_msg("user_create %s: %s", name, e.msg);
	assert_true(u.id > 0);
	return u.id;
}

pgal_id
pgal_contract_album(pgal_contract_fx *f, pgal_id user, const char *name)
{
	pgal_album a;
	pgal_err e;

	memset(&a, 0, sizeof a);
	a.user_id = user;
	snprintf(a.name, sizeof a.name, "%s", name);
	snprintf(a.title, sizeof a.title, "Title of %s", name);
	a.created_at = a.updated_at = 1700000100;
	if (f->ops->album_create(f->s, &a, &e) != PGAL_OK)
		fail_msg("album_create %s: %s", name, e.msg);
	assert_true(a.id > 0);
	return a.id;
}

void
pgal_contract_people(pgal_contract_fx *f)
{
	f->alice = pgal_contract_user(f, "alice");
	f->bob = pgal_contract_user(f, "bob");
	f->a1 = pgal_contract_album(f, f->alice, "Holiday");
	f->a2 = pgal_contract_album(f, f->alice, "Cats");
	f->b1 = pgal_contract_album(f, f->bob, "Holiday");
}

void
pgal_contract_fill_photo(pgal_contract_fx *f, pgal_photo *p, pgal_id user, pgal_id album,
    const char *name)
{
	unsigned n = ++f->serial;

	memset(p, 0, sizeof *p);
	p->album_id = album;
	p->user_id = user;
	snprintf(p->name, sizeof p->name, "%s", name);
	snprintf(p->mime, sizeof p->mime, "image/jpeg");
	p->width = 4000;
	p->height = 3000;
	p->bytes = 1000 + n;
	snprintf(p->sha256, sizeof p->sha256, "%064x", n);
	snprintf(p->sha1, sizeof p->sha1, "%040x", n * 3u);
	snprintf(p->md5, sizeof p->md5, "%032x", n * 5u);
	snprintf(p->blob_id, sizeof p->blob_id, "%032x", n * 7u + 3u);
	p->added_at = 1700001000 + n;
	p->sort_taken = p->added_at;
	p->exif.taken_at = -1;
	p->exif.gps.alt = NAN;
}

pgal_id
pgal_contract_insert_photo(pgal_contract_fx *f, pgal_photo *p)
{
	pgal_err e;

	if (f->ops->photo_insert(f->s, p, &e) != PGAL_OK)
		fail_msg("photo_insert %s: %s", p->name, e.msg);
	assert_true(p->id > 0);
	return p->id;
}

void
pgal_contract_session_row(pgal_session_row *r, pgal_id user, int64_t n)
{
	memset(r, 0, sizeof *r);
	/* n may be derived from 64-bit ids: keep the arithmetic 64-bit */
	snprintf(r->token_hash, sizeof r->token_hash, "%064llx", (unsigned long long)(0xabc000 + n));
	r->user_id = user;
	r->created_at = 1700000000 + n;
	r->last_seen = r->created_at;
}

size_t
pgal_contract_tagged(pgal_contract_fx *f, pgal_id user, const char *tag, pgal_id *ids,
    size_t max)
{
	pgal_photo *out = calloc(max > 0 ? max : 1, sizeof *out);
	pgal_err e;
	size_t n, i;

	assert_non_null(out);
	if (f->ops->photo_search(f->s, user, 0, NULL, 0, tag, max, out, &n, &e) != PGAL_OK)
		fail_msg("photo_search tag %s: %s", tag, e.msg);
	for (i = 0; i < n && ids != NULL; i++)
		ids[i] = out[i].id;
	free(out);
	return n;
}

void
pgal_contract_count_album(pgal_contract_fx *f, pgal_id album, int64_t *n, int64_t *bytes)
{
	pgal_photo page[64];
	pgal_cursor cur;
	pgal_err e;
	size_t got, i;

	memset(&cur, 0, sizeof cur);
	*n = *bytes = 0;
	for (;;) {
		assert_int_equal(f->ops->photo_list(f->s, album, PGAL_SORT_ADDED, &cur, 64,
		    page, &got, &e), PGAL_OK);
		if (got == 0)
			break;
		for (i = 0; i < got; i++) {
			*n += 1;
			*bytes += page[i].bytes;
		}
		cur.valid = 1;
		cur.num = page[got - 1].added_at;
		cur.id = page[got - 1].id;
	}
}

static int
setup(void **state)
{
	pgal_contract_fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	pgal_contract_fresh_config(&f->cfg);
	f->ops = B->ops;
	f->s = pgal_contract_open(&f->cfg);
	pgal_contract_people(f);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	pgal_contract_fx *f = *state;

	if (f->s != NULL)
		f->ops->close(f->s);
	if (B->dispose != NULL)
		B->dispose(B, &f->cfg);
	free(f);
	return 0;
}

/* ---- the backend table ---- */

void
test_find_and_ops(void **state)
{
	const void *const *fn = (const void *const *)&B->ops->open;
	size_t i, nfn = (sizeof *B->ops - offsetof(pgal_store_ops, open)) / sizeof(void *);

	assert_ptr_equal(pgal_store_find(B->name), B->ops);
	assert_string_equal(B->ops->name, B->name);
	/* a NULL op would crash the core */
	for (i = 0; i < nfn; i++)
		if (fn[i] == NULL)
			fail_msg("%s op number %zu is NULL", B->name, i);
}

int
pgal_store_contract_run(pgal_contract_backend *b)
{
	const struct CMUnitTest base[] = {
		cmocka_unit_test(test_find_and_ops),
		cmocka_unit_test(test_reopen_keeps_data),
		cmocka_unit_test(test_concurrent_first_open),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_marks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_uploads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unconfirmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_albums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_update_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_digests, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_title_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha_and_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_album, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_processes, setup, teardown),
	};
	const struct CMUnitTest faults[] = {
		cmocka_unit_test_setup_teardown(test_peer_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_kill_during_album_delete, setup, teardown),
	};
	char name[64];
	int rc;

	B = b;
	snprintf(name, sizeof name, "store contract (%s)", b->name);
	rc = _cmocka_run_group_tests(name, base, sizeof base / sizeof base[0], NULL, NULL);
	rc += pgal_store_contract_dedup_run(b);
	if (b->peer != NULL) {
		snprintf(name, sizeof name, "store contract faults (%s)", b->name);
		rc += _cmocka_run_group_tests(name, faults, sizeof faults / sizeof faults[0],
		    NULL, NULL);
	}
	return rc;
}
