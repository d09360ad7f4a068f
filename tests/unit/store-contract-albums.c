/* The store contract (store-contract.h): albums (create, get, list, update,
 * delete) and their photo counts. */

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

/* ---- albums ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
test_albums(void **state)
{
	pgal_contract_fx *f = *state;
	const char *names[] = { "zeta", "Alpha", "beta 2", "beta", "Cats", "Holiday", "0.start",
		"Holiday " };
	const char *expect[8];
	pgal_album a, *list;
	pgal_err e;
	size_t n, i;

	/* setup made Holiday and Cats; add the rest. "Holiday " differs from
	 * "Holiday": names compare byte for byte */
	for (i = 0; i < 8; i++) {
		expect[i] = names[i];
		if (strcmp(names[i], "Cats") != 0 && strcmp(names[i], "Holiday") != 0)
			pgal_contract_album(f, f->alice, names[i]);
	}
	/* sorted by name, byte order */
	qsort(expect, 8, sizeof expect[0], cmp_str);
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++) {
		assert_string_equal(list[i].name, expect[i]);
		assert_int_equal(list[i].user_id, f->alice);
		assert_int_equal(list[i].photo_count, 0);
		assert_int_equal(list[i].bytes, 0);
	}
	free(list);

	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->a1);
	assert_string_equal(a.name, "Holiday");
	assert_string_equal(a.title, "Title of Holiday");
	assert_int_equal(a.created_at, 1700000100);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday ", &a, &e), PGAL_OK);
	assert_true(a.id != f->a1);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "holiday", &a, &e), PGAL_ENOTFOUND);
	/* same name, other user: a different album */
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->b1);
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Cats", &a, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "Cats"));

	/* unique per user */
	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "Cats");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "Cats"));
	a.user_id = 987654;
	snprintf(a.name, sizeof a.name, "Orphan");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_ENOTFOUND);

	/* update: rename, title, description, updated_at */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	snprintf(a.name, sizeof a.name, "Kittens");
	snprintf(a.title, sizeof a.title, "Small cats");
	snprintf(a.description, sizeof a.description, "All of them, \"quoted\" and 'single'; "
	    "\\ back slash, 100%% _under_, emoji \xf0\x9f\x90\x88");
	a.updated_at = 1710000000;
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_OK);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Kittens", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->a2);
	assert_string_equal(a.title, "Small cats");
	assert_string_equal(a.description, "All of them, \"quoted\" and 'single'; "
	    "\\ back slash, 100% _under_, emoji \xf0\x9f\x90\x88");
	assert_int_equal(a.updated_at, 1710000000);
	assert_int_equal(a.created_at, 1700000100);
	/* the same values again is fine */
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_OK);
	/* rename onto an existing name */
	snprintf(a.name, sizeof a.name, "zeta");
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "zeta"));
	a.id = 999999;
	snprintf(a.name, sizeof a.name, "nothing");
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_ENOTFOUND);

	/* delete */
	assert_int_equal(f->ops->album_delete(f->s, f->a2, &e), PGAL_OK);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Kittens", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_delete(f->s, f->a2, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 7);
	free(list);

	/* a user without albums */
	assert_int_equal(f->ops->album_list(f->s, 555555, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(list);
}

/* photo_count and bytes equal what the pages hold */
void
test_album_counts(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_photo p;
	pgal_album *list;
	pgal_id ids[40];
	pgal_err e;
	int64_t want_n[2] = { 0, 0 }, want_b[2] = { 0, 0 }, cn, cb;
	size_t n, i;
	char name[32];

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "p%zu.jpg", i);
		pgal_contract_fill_photo(f, &p, f->alice, i % 3 ? f->a1 : f->a2, name);
		p.bytes = (int64_t)i * 1000003 + (i == 39 ? INT64_C(5000000000) : 0);
		ids[i] = pgal_contract_insert_photo(f, &p);
		want_n[i % 3 ? 0 : 1]++;
		want_b[i % 3 ? 0 : 1] += p.bytes;
	}
	for (i = 0; i < 40; i += 4) {
		assert_int_equal(f->ops->photo_delete(f->s, ids[i], &e), PGAL_OK);
		want_n[i % 3 ? 0 : 1]--;
		want_b[i % 3 ? 0 : 1] -= (int64_t)i * 1000003;
	}
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		int k = list[i].id == f->a1 ? 0 : 1;

		assert_int_equal(list[i].photo_count, want_n[k]);
		assert_int_equal(list[i].bytes, want_b[k]);
		pgal_contract_count_album(f, list[i].id, &cn, &cb);
		assert_int_equal(list[i].photo_count, cn);
		assert_int_equal(list[i].bytes, cb);
	}
	free(list);
}

/* A title longer than its field, written by another program (MySQL's
 * VARCHAR(200) counts characters: 200 of them can be 800 bytes), reads back
 * cut to PGAL_TITLE_MAX bytes on a character boundary. */
void
test_long_title_cut(void **state)
{
	pgal_contract_fx *f = *state;
	static const struct {
		size_t a;          /* 'a's, then */
		const char *tail;  /* this */
		size_t keep;       /* bytes that fit: 'a's, then the tail's */
	} c[] = {
		{ PGAL_TITLE_MAX - 1, "\xf0\x9f\x98\x80", 0 },  /* cut inside U+1F600 */
		{ PGAL_TITLE_MAX - 4, "\xf0\x9f\x98\x80", 4 },  /* ends right at the limit */
		{ PGAL_TITLE_MAX - 2, "\xc3\xa9\xc3\xa9", 2 },  /* cut between two U+00E9 */
		{ PGAL_TITLE_MAX - 1, "\xc3\xa9", 0 },           /* cut inside U+00E9 */
	};
	char title[PGAL_TITLE_MAX + 8], want[sizeof title];
	pgal_album a;
	pgal_err e;
	size_t i;

	if (B->retitle == NULL)
		fail_msg("%s: the contract cannot write a row by hand (retitle)", B->name);
	for (i = 0; i < sizeof c / sizeof c[0]; i++) {
		memset(title, 'a', c[i].a);
		strcpy(title + c[i].a, c[i].tail);
		memcpy(want, title, c[i].a + c[i].keep);
		want[c[i].a + c[i].keep] = '\0';
		assert_true(strlen(want) <= PGAL_TITLE_MAX);
		if (B->retitle(B, &f->cfg, f->a1, title) != 0)
			fail_msg("%s: could not set the title by hand", B->name);
		assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
		assert_string_equal(a.title, want);
	}
}
