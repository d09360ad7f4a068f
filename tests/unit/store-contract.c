/* The store contract (store-contract.h): every backend, the same calls, the
 * same results, the same errors. Each case opens a fresh empty store made by
 * the backend's fresh(); checks go through the store's own operations, plus
 * the backend's independent row counts where it has them. */

#include <sys/wait.h>

#include <math.h>
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

#include "config.h"
#include "store.h"
#include "store-contract.h"

static pgal_contract_backend *B; /* the backend of the running suite */
static int casenum;

struct fx {
	pgal_config cfg;
	const pgal_store_ops *ops;
	pgal_store *s;
	pgal_id alice, bob;
	pgal_id a1, a2, b1; /* albums */
	unsigned serial;    /* makes blob ids and hashes unique */
};

/* ---- helpers ---- */

static void
fresh_config(pgal_config *cfg)
{
	pgal_err e;

	if (B->fresh(B, cfg, ++casenum, &e) != PGAL_OK)
		fail_msg("%s: cannot make a fresh store: %s", B->name, e.msg);
}

static pgal_store *
open_store(const pgal_config *cfg)
{
	pgal_store *s = NULL;
	pgal_err e;

	if (B->ops->open(&s, cfg, &e) != PGAL_OK)
		fail_msg("%s open: %s", B->name, e.msg);
	assert_non_null(s);
	return s;
}

/* The backend's own count, or -1 when it cannot tell. */
static int64_t
probe(struct fx *f, pgal_probe what, int64_t id, const char *text)
{
	if (B->probe == NULL)
		return -1;
	return B->probe(B, &f->cfg, what, id, text);
}

#define assert_probe(f, what, id, text, want) do {			\
	int64_t v_ = probe(f, what, id, text);				\
	if (v_ != -1 && v_ != (int64_t)(want))				\
		fail_msg("probe %d (%lld): %lld rows, want %lld",	\
		    (int)(what), (long long)(id), (long long)v_,	\
		    (long long)(want));					\
} while (0)

static pgal_id
new_user(struct fx *f, const char *name)
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

static pgal_id
new_album(struct fx *f, pgal_id user, const char *name)
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

/* A photo with every field set to something recognisable. */
static void
fill_photo(struct fx *f, pgal_photo *p, pgal_id user, pgal_id album, const char *name)
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
	snprintf(p->blob_id, sizeof p->blob_id, "%032x", n * 7u + 3u);
	p->added_at = 1700001000 + n;
	p->sort_taken = p->added_at;
	p->exif.taken_at = -1;
	p->exif.gps.alt = NAN;
}

static pgal_id
insert_photo(struct fx *f, pgal_photo *p)
{
	pgal_err e;

	if (f->ops->photo_insert(f->s, p, &e) != PGAL_OK)
		fail_msg("photo_insert %s: %s", p->name, e.msg);
	assert_true(p->id > 0);
	return p->id;
}

static void
session_row(pgal_session_row *r, pgal_id user, int64_t n)
{
	memset(r, 0, sizeof *r);
	/* n may be derived from 64-bit ids: keep the arithmetic 64-bit */
	snprintf(r->token_hash, sizeof r->token_hash, "%064llx", (unsigned long long)(0xabc000 + n));
	r->user_id = user;
	r->created_at = 1700000000 + n;
	r->last_seen = r->created_at;
}

/* Ids of the user's photos carrying tag (whole tags only), newest first. */
static size_t
tagged(struct fx *f, pgal_id user, const char *tag, pgal_id *ids, size_t max)
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

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	fresh_config(&f->cfg);
	f->ops = B->ops;
	f->s = open_store(&f->cfg);
	f->alice = new_user(f, "alice");
	f->bob = new_user(f, "bob");
	f->a1 = new_album(f, f->alice, "Holiday");
	f->a2 = new_album(f, f->alice, "Cats");
	f->b1 = new_album(f, f->bob, "Holiday");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	if (f->s != NULL)
		f->ops->close(f->s);
	if (B->dispose != NULL)
		B->dispose(B, &f->cfg);
	free(f);
	return 0;
}

/* ---- the backend table ---- */

static void
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

/* ---- open ---- */

static void
test_reopen_keeps_data(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_user u;
	pgal_err e;
	int i;

	fresh_config(&cfg);
	s = open_store(&cfg);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "keeper");
	assert_int_equal(B->ops->user_create(s, &u, &e), PGAL_OK);
	B->ops->close(s);
	/* second and third open: nothing re-applied, data kept */
	for (i = 0; i < 2; i++) {
		s = open_store(&cfg);
		assert_int_equal(B->ops->user_get_by_name(s, "keeper", &u, &e), PGAL_OK);
		B->ops->close(s);
	}
	if (B->dispose != NULL)
		B->dispose(B, &cfg);
}

#define NCHILD 4

/* Processes (hosts) opening a brand-new store at the same moment. */
static void
test_concurrent_first_open(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_user u;
	pgal_err e;
	pid_t pids[NCHILD];
	int k, status;

	fresh_config(&cfg);
	for (k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			if (B->ops->open(&s, &cfg, &e) != PGAL_OK) {
				fprintf(stderr, "child open: %s\n", e.msg);
				_exit(1);
			}
			memset(&u, 0, sizeof u);
			snprintf(u.name, sizeof u.name, "child%d", k);
			if (B->ops->user_create(s, &u, &e) != PGAL_OK) {
				fprintf(stderr, "child user_create: %s\n", e.msg);
				_exit(2);
			}
			B->ops->close(s);
			_exit(0);
		}
	}
	for (k = 0; k < NCHILD; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	s = open_store(&cfg);
	for (k = 0; k < NCHILD; k++) {
		char name[24];

		snprintf(name, sizeof name, "child%d", k);
		assert_int_equal(B->ops->user_get_by_name(s, name, &u, &e), PGAL_OK);
	}
	B->ops->close(s);
	if (B->dispose != NULL)
		B->dispose(B, &cfg);
}

/* ---- users ---- */

static void
test_users(void **state)
{
	struct fx *f = *state;
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
	assert_probe(f, PGAL_PROBE_USERS, 0, NULL, 2);
}

/* ---- sessions ---- */

static void
test_sessions(void **state)
{
	struct fx *f = *state;
	pgal_session_row r[4], got;
	pgal_err e;
	int i;

	for (i = 0; i < 4; i++) {
		session_row(&r[i], i < 3 ? f->alice : f->bob, i);
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
	session_row(&got, 424242, 9);
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

/* ---- albums ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_albums(void **state)
{
	struct fx *f = *state;
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
			new_album(f, f->alice, names[i]);
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

/* ---- photos ---- */

static void
test_photo_roundtrip(void **state)
{
	struct fx *f = *state;
	pgal_photo p, got;
	pgal_album a;
	pgal_err e;
	pgal_id ids[4];

	fill_photo(f, &p, f->alice, f->a1, "DSC_0001.JPG");
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
	insert_photo(f, &p);

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
	assert_int_equal(tagged(f, f->alice, "mountain", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_probe(f, PGAL_PROBE_TAGS_OF, p.id, NULL, 3);

	/* unknowns: no taken_at, no GPS, unknown altitude */
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	p.exif.gps.present = 1;
	p.exif.gps.lat = 10;
	p.exif.gps.lon = 20; /* alt stays NAN */
	insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "plain.png", &got, &e), PGAL_OK);
	assert_int_equal(got.exif.taken_at, -1);
	assert_int_equal(got.exif.gps.present, 1);
	assert_true(got.exif.gps.lat == 10 && got.exif.gps.lon == 20);
	assert_true(isnan(got.exif.gps.alt));
	assert_true(got.exif.f_number == 0);
	assert_int_equal(got.exif.orientation, 0);
	fill_photo(f, &p, f->alice, f->a1, "nogps.png");
	p.exif.f_number = NAN; /* stored as unknown */
	insert_photo(f, &p);
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
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "plain.png"));
	fill_photo(f, &p, f->alice, f->a1, "PLAIN.png");
	insert_photo(f, &p);
	fill_photo(f, &p, f->alice, f->a1, "plain.png ");
	insert_photo(f, &p);
	fill_photo(f, &p, f->alice, f->a2, "plain.png"); /* other album: fine */
	insert_photo(f, &p);
	fill_photo(f, &p, f->alice, f->a2, "other.png");
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "DSC_0001.JPG", &got, &e), PGAL_OK);
	snprintf(p.blob_id, sizeof p.blob_id, "%s", got.blob_id);
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "blob"));
	assert_non_null(strstr(e.msg, "already exists"));
	/* no album */
	fill_photo(f, &p, f->alice, 777777, "x.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_ENOTFOUND);
	/* failed inserts leave nothing behind: no row, no tag, no count */
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	snprintf(p.tags, sizeof p.tags, "ghost");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_int_equal(tagged(f, f->alice, "ghost", NULL, 4), 0);
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

static void
test_photo_update_delete(void **state)
{
	struct fx *f = *state;
	pgal_photo p, q, got;
	pgal_album a;
	pgal_err e;
	pgal_id ids[4];
	int64_t before;

	fill_photo(f, &p, f->alice, f->a1, "a.jpg");
	snprintf(p.tags, sizeof p.tags, "one,two");
	insert_photo(f, &p);
	fill_photo(f, &q, f->alice, f->a1, "b.jpg");
	snprintf(q.tags, sizeof q.tags, "two");
	insert_photo(f, &q);
	assert_int_equal(tagged(f, f->alice, "one", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_int_equal(tagged(f, f->alice, "two", ids, 4), 2);

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
	assert_int_equal(tagged(f, f->alice, "one", ids, 4), 0);
	assert_int_equal(tagged(f, f->alice, "three", ids, 4), 1);
	assert_int_equal(ids[0], p.id);
	assert_int_equal(tagged(f, f->alice, "two", ids, 4), 2);
	assert_probe(f, PGAL_PROBE_TAGS_OF, p.id, NULL, 2);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_true(a.updated_at >= before && a.updated_at <= time(NULL));
	/* the same values again is fine */
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);

	/* tags cleared */
	p.tags[0] = '\0';
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(tagged(f, f->alice, "three", ids, 4), 0);
	assert_int_equal(tagged(f, f->alice, "two", ids, 4), 1);
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
	assert_int_equal(tagged(f, f->alice, "sticky", ids, 4), 0);
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
	assert_int_equal(tagged(f, f->alice, "x", ids, 4), 0);
	assert_probe(f, PGAL_PROBE_TAGS_OF, q.id, NULL, 0);
	assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	assert_int_equal(f->ops->photo_delete(f->s, q.id, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 0);
	assert_int_equal(a.bytes, 0);
	assert_true(a.updated_at >= before);
}

/* Counts every photo of an album through pages, summing bytes. */
static void
count_album(struct fx *f, pgal_id album, int64_t *n, int64_t *bytes)
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

/* photo_count and bytes equal what the pages hold */
static void
test_album_counts(void **state)
{
	struct fx *f = *state;
	pgal_photo p;
	pgal_album *list;
	pgal_id ids[40];
	pgal_err e;
	int64_t want_n[2] = { 0, 0 }, want_b[2] = { 0, 0 }, cn, cb;
	size_t n, i;
	char name[32];

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "p%zu.jpg", i);
		fill_photo(f, &p, f->alice, i % 3 ? f->a1 : f->a2, name);
		p.bytes = (int64_t)i * 1000003 + (i == 39 ? INT64_C(5000000000) : 0);
		ids[i] = insert_photo(f, &p);
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
		count_album(f, list[i].id, &cn, &cb);
		assert_int_equal(list[i].photo_count, cn);
		assert_int_equal(list[i].bytes, cb);
	}
	free(list);
}

static void
test_sha_and_blobs(void **state)
{
	struct fx *f = *state;
	pgal_photo p, got;
	pgal_err e;
	char **ids;
	size_t n, i;
	char want_a1[3][PGAL_BLOB_ID_HEX + 1], bob_blob[PGAL_BLOB_ID_HEX + 1], sha[65];
	int used, seen[3] = { 0, 0, 0 }, j;

	for (i = 0; i < 3; i++) {
		char name[24];

		snprintf(name, sizeof name, "h%zu.jpg", i);
		fill_photo(f, &p, f->alice, f->a1, name);
		insert_photo(f, &p);
		snprintf(want_a1[i], sizeof want_a1[i], "%s", p.blob_id);
		if (i == 1)
			snprintf(sha, sizeof sha, "%s", p.sha256);
	}
	fill_photo(f, &p, f->alice, f->a2, "c.jpg");
	insert_photo(f, &p);
	/* bob has a photo with the same content as alice's h1 */
	fill_photo(f, &p, f->bob, f->b1, "same.jpg");
	snprintf(p.sha256, sizeof p.sha256, "%s", sha);
	insert_photo(f, &p);
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

/* ---- cascades ---- */

static void
populate(struct fx *f, pgal_id user, pgal_id album, const char *prefix, int n)
{
	pgal_photo p;
	pgal_session_row r;
	pgal_ssh_key k;
	pgal_err e;
	char name[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s-%d.jpg", prefix, i);
		fill_photo(f, &p, user, album, name);
		snprintf(p.tags, sizeof p.tags, "common,%s", prefix);
		insert_photo(f, &p);
	}
	session_row(&r, user, (int64_t)((uint64_t)user * 1000 + (uint64_t)album));
	assert_int_equal(f->ops->session_create(f->s, &r, &e), PGAL_OK);
	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "SHA256:%s", prefix);
	assert_int_equal(f->ops->key_add(f->s, user, &k, "AAAAC3NzaC1lZDI1NTE5", &e), PGAL_OK);
}

static void
test_user_delete_cascades(void **state)
{
	struct fx *f = *state;
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
	bob_rows = probe(f, PGAL_PROBE_USER_ROWS, f->bob, NULL);
	assert_true(bob_rows == -1 || bob_rows == 1 + 1 + 1 + 4 + 8 + 1);
	assert_int_equal(tagged(f, f->alice, "common", NULL, 20), 8);

	assert_int_equal(f->ops->user_delete(f->s, f->alice, &e), PGAL_OK);
	assert_int_equal(f->ops->user_get(f->s, f->alice, &u, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->user_get_by_name(f->s, "alice", &u, &e), PGAL_ENOTFOUND);
	/* nothing of hers is left */
	session_row(&r, f->alice, (int64_t)((uint64_t)f->alice * 1000 + (uint64_t)f->a1));
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
	assert_int_equal(tagged(f, f->alice, "common", NULL, 20), 0);
	assert_probe(f, PGAL_PROBE_USER_ROWS, f->alice, NULL, 0);
	assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	/* bob untouched, counters too */
	if (bob_rows != -1)
		assert_probe(f, PGAL_PROBE_USER_ROWS, f->bob, NULL, bob_rows);
	assert_int_equal(tagged(f, f->bob, "common", NULL, 20), 4);
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 4);
	assert_int_equal(f->ops->key_list(f->s, f->bob, &keys, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	free(keys);
	/* the name is free again */
	new_user(f, "alice");
}

static void
test_album_delete_cascades(void **state)
{
	struct fx *f = *state;
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
	count_album(f, f->a1, &cn, &cb);
	assert_int_equal(cn, 0);
	assert_int_equal(tagged(f, f->alice, "ah", NULL, 20), 0);
	assert_int_equal(tagged(f, f->alice, "common", NULL, 20), 2);
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

/* ---- pagination ---- */

struct key {
	pgal_id id;
	int64_t num;
	char text[PGAL_TITLE_MAX + 1];
};

static int
cmp_key_num(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_key_text(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->text, y->text); /* bytes: code point order */

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Walks the album forward in pages of varying size, checking every row
 * against want[] (the order worked out from the keys); the ids read go to
 * seq[] (room for nwant). */
static void
walk_pages(struct fx *f, pgal_sort sort, const struct key *want, size_t nwant, pgal_id *seq)
{
	static const size_t sizes[] = { 1, 7, 100, 999, 1000, 3 };
	pgal_photo *page;
	pgal_cursor cur;
	pgal_err e;
	size_t pos = 0, n, i, k = 0;

	page = calloc(1000, sizeof *page);
	assert_non_null(page);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		size_t limit = sizes[k++ % (sizeof sizes / sizeof sizes[0])];

		if (f->ops->photo_list(f->s, f->a1, sort, &cur, limit, page, &n, &e) != PGAL_OK)
			fail_msg("photo_list: %s", e.msg);
		assert_true(n <= limit);
		if (n == 0)
			break;
		for (i = 0; i < n; i++, pos++) {
			assert_true(pos < nwant);
			if (page[i].id != want[pos].id)
				fail_msg("sort %d: row %zu is id %lld, want %lld", (int)sort,
				    pos, (long long)page[i].id, (long long)want[pos].id);
			seq[pos] = page[i].id;
			assert_int_equal(page[i].album_id, f->a1);
			assert_string_equal(page[i].album, "Holiday");
		}
		/* the cursor is the last row of this page */
		cur.valid = 1;
		cur.id = page[n - 1].id;
		cur.num = sort == PGAL_SORT_TAKEN ? page[n - 1].sort_taken : page[n - 1].added_at;
		snprintf(cur.text, sizeof cur.text, "%s", page[n - 1].title);
	}
	assert_int_equal(pos, nwant);
	free(page);
}

static void
cursor_at(pgal_sort sort, const pgal_photo *p, pgal_cursor *cur)
{
	memset(cur, 0, sizeof *cur);
	cur->valid = 1;
	cur->id = p->id;
	cur->num = sort == PGAL_SORT_TAKEN ? p->sort_taken : p->added_at;
	snprintf(cur->text, sizeof cur->text, "%s", p->title);
}

/* The reverse read from the end back to the start, in pages of varying
 * size: each page must be the rows of the forward sequence seq[] just
 * before the previous page, in forward order; then reads before rows
 * picked anywhere (keys[] the rows' keys, in the same order). */
static void
walk_back(struct fx *f, pgal_sort sort, const pgal_id *seq, const struct key *keys, size_t nseq)
{
	static const size_t sizes[] = { 1, 7, 100, 999, 1000, 3 };
	const size_t picks[] = { 0, 1, 2, 7, nseq / 2, nseq - 2, nseq - 1 };
	pgal_photo *page;
	pgal_cursor cur;
	pgal_err e;
	size_t end = nseq, n, i, k = 0, want;

	page = calloc(1000, sizeof *page);
	assert_non_null(page);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		size_t limit = sizes[k++ % (sizeof sizes / sizeof sizes[0])];

		if (f->ops->photo_list_before(f->s, f->a1, sort, &cur, limit, page, &n,
		    &e) != PGAL_OK)
			fail_msg("photo_list_before: %s", e.msg);
		assert_true(n <= limit);
		if (n == 0)
			break;
		/* a short page only at the start of the album */
		want = end < limit ? end : limit;
		if (n != want)
			fail_msg("sort %d: page before row %zu has %zu rows, want %zu",
			    (int)sort, end, n, want);
		for (i = 0; i < n; i++) {
			if (page[i].id != seq[end - n + i])
				fail_msg("sort %d backward: row %zu is id %lld, want %lld",
				    (int)sort, end - n + i, (long long)page[i].id,
				    (long long)seq[end - n + i]);
			assert_int_equal(page[i].album_id, f->a1);
			assert_string_equal(page[i].album, "Holiday");
		}
		end -= n;
		cursor_at(sort, &page[0], &cur);
	}
	assert_int_equal(end, 0);

	/* before a row in the middle: the rows just before it (the cursor is
	 * the row's keys, as the forward read would have left it) */
	for (k = 0; k < sizeof picks / sizeof picks[0]; k++) {
		size_t at = picks[k], lo = at > 10 ? at - 10 : 0;

		if (at >= nseq)
			continue; /* a tiny PGAL_TEST_NPAGE */
		memset(&cur, 0, sizeof cur);
		cur.valid = 1;
		cur.id = keys[at].id;
		cur.num = keys[at].num;
		snprintf(cur.text, sizeof cur.text, "%s", keys[at].text);
		assert_int_equal(keys[at].id, seq[at]);
		if (f->ops->photo_list_before(f->s, f->a1, sort, &cur, 10, page, &n, &e) != PGAL_OK)
			fail_msg("photo_list_before: %s", e.msg);
		if (n != at - lo)
			fail_msg("sort %d: before row %zu: %zu rows, want %zu", (int)sort, at, n,
			    at - lo);
		for (i = 0; i < n; i++)
			assert_int_equal(page[i].id, seq[lo + i]);
	}
	free(page);
}

static void
test_pagination(void **state)
{
	struct fx *f = *state;
	static const char *const words[] = {
		"", "Zebra", "apple", "Apple", "éclair", "eclair", "a", "a b", "a", "",
		"日本", "100%", "Ωmega", "zz",
	};
	size_t np = (size_t)B->npage, i, n;
	struct key *kt, *ka, *kx;
	pgal_id *seq;
	pgal_photo p, few[4];
	pgal_err e;
	char name[64];

	kt = calloc(np, sizeof *kt);
	ka = calloc(np, sizeof *ka);
	kx = calloc(np, sizeof *kx);
	assert_true(kt != NULL && ka != NULL && kx != NULL);
	for (i = 0; i < np; i++) {
		/* keys with many ties, unrelated to insertion order */
		unsigned h = (unsigned)(i * 2654435761u);

		snprintf(name, sizeof name, "img-%05zu.jpg", i);
		fill_photo(f, &p, f->alice, f->a1, name);
		p.sort_taken = (int64_t)(h % 997) * 60 - 3600; /* some negative */
		p.added_at = 1700000000 + (int64_t)((h >> 8) % 1500);
		snprintf(p.title, sizeof p.title, "%s%s", words[h % 14],
		    (h >> 4) % 3 ? "" : " (2)");
		insert_photo(f, &p);
		kt[i].id = ka[i].id = kx[i].id = p.id;
		kt[i].num = p.sort_taken;
		ka[i].num = p.added_at;
		snprintf(kx[i].text, sizeof kx[i].text, "%s", p.title);
		/* noise in other albums must never show up */
		if (i % 1000 == 0) {
			snprintf(name, sizeof name, "other-%05zu.jpg", i);
			fill_photo(f, &p, f->alice, f->a2, name);
			insert_photo(f, &p);
			fill_photo(f, &p, f->bob, f->b1, name);
			insert_photo(f, &p);
		}
	}
	qsort(kt, np, sizeof *kt, cmp_key_num);
	qsort(ka, np, sizeof *ka, cmp_key_num);
	qsort(kx, np, sizeof *kx, cmp_key_text);

	seq = calloc(np, sizeof *seq);
	assert_non_null(seq);
	/* forward, checked against the keys; backward, checked against forward */
	walk_pages(f, PGAL_SORT_TAKEN, kt, np, seq);
	walk_back(f, PGAL_SORT_TAKEN, seq, kt, np);
	walk_pages(f, PGAL_SORT_ADDED, ka, np, seq);
	walk_back(f, PGAL_SORT_ADDED, seq, ka, np);
	walk_pages(f, PGAL_SORT_TITLE, kx, np, seq);
	walk_back(f, PGAL_SORT_TITLE, seq, kx, np);

	/* NULL cursor is the start; limit 0 returns nothing; bad sort refused */
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TITLE, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(few[i].id, kx[i].id);
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TAKEN, NULL, 0, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(f->ops->photo_list(f->s, f->a1, (pgal_sort)42, NULL, 4, few, &n, &e), PGAL_OK);
	/* an empty album */
	assert_int_equal(f->ops->photo_list(f->s, 424242, PGAL_SORT_ADDED, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* the same for the reverse read: NULL cursor is the end */
	assert_int_equal(f->ops->photo_list_before(f->s, f->a1, PGAL_SORT_TITLE, NULL, 4, few, &n,
	    &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(few[i].id, kx[np - 4 + i].id);
	assert_int_equal(f->ops->photo_list_before(f->s, f->a1, PGAL_SORT_TAKEN, NULL, 0, few, &n,
	    &e), PGAL_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(f->ops->photo_list_before(f->s, f->a1, (pgal_sort)42, NULL, 4, few,
	    &n, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_list_before(f->s, 424242, PGAL_SORT_ADDED, NULL, 4, few,
	    &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(seq);
	free(kt);
	free(ka);
	free(kx);
}

/* ---- search ---- */

static pgal_id
search_photo(struct fx *f, pgal_id user, pgal_id album, const char *name,
    const char *title, const char *desc, const char *tags, int64_t added)
{
	pgal_photo p;

	fill_photo(f, &p, user, album, name);
	snprintf(p.title, sizeof p.title, "%s", title);
	snprintf(p.description, sizeof p.description, "%s", desc);
	snprintf(p.tags, sizeof p.tags, "%s", tags);
	p.added_at = added;
	return insert_photo(f, &p);
}

/* Runs a search of user's photos (album 0: in every album of theirs) and
 * compares the ids with want[] (in order). */
static void
expect_search_by(struct fx *f, pgal_id user, pgal_id album, const char *const *words,
    size_t nwords, const char *tag, size_t limit, const pgal_id *want, size_t nwant)
{
	pgal_photo out[32];
	pgal_err e;
	size_t n, i;

	assert_true(limit <= 32);
	if (f->ops->photo_search(f->s, user, album, words, nwords, tag, limit, out, &n,
	    &e) != PGAL_OK)
		fail_msg("search: %s", e.msg);
	if (n != nwant)
		fail_msg("search '%s'... tag %s album %lld: %zu results, want %zu",
		    nwords ? words[0] : "", tag ? tag : "-", (long long)album, n, nwant);
	for (i = 0; i < n; i++) {
		if (out[i].id != want[i])
			fail_msg("search '%s'... tag %s album %lld: result %zu is id %lld, "
			    "want %lld", nwords ? words[0] : "", tag ? tag : "-",
			    (long long)album, i, (long long)out[i].id, (long long)want[i]);
		assert_int_equal(out[i].user_id, user);
		if (album != 0)
			assert_int_equal(out[i].album_id, album);
		assert_true(out[i].album[0] != '\0');
	}
}

static void
expect_search(struct fx *f, const char *const *words, size_t nwords, const char *tag,
    size_t limit, const pgal_id *want, size_t nwant)
{
	expect_search_by(f, f->alice, 0, words, nwords, tag, limit, want, nwant);
}

#define W(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
#define IDS(...) (const pgal_id[]){ __VA_ARGS__ }, \
	sizeof((const pgal_id[]){ __VA_ARGS__ }) / sizeof(pgal_id)

static void
test_search(void **state)
{
	struct fx *f = *state;
	pgal_id pct, plain, snake, snakex, sunset, hills, fname, bslash, bx, bang;
	pgal_photo out[4];
	pgal_err e;
	size_t n;

	pct = search_photo(f, f->alice, f->a1, "p1.jpg", "100% cotton", "", "", 10);
	plain = search_photo(f, f->alice, f->a1, "p2.jpg", "100 cotton", "", "", 20);
	snake = search_photo(f, f->alice, f->a1, "p3.jpg", "snake_case title", "", "", 30);
	snakex = search_photo(f, f->alice, f->a1, "p4.jpg", "snakeXcase", "", "", 40);
	sunset = search_photo(f, f->alice, f->a1, "p5.jpg", "Sunset over sea", "", "beach,sunset", 50);
	hills = search_photo(f, f->alice, f->a2, "p6.jpg", "", "a SUNSET in the hills", "hills", 50);
	fname = search_photo(f, f->alice, f->a2, "sunset.jpg", "", "", "", 45);
	bslash = search_photo(f, f->alice, f->a2, "p8.jpg", "back\\slash", "", "", 5);
	bx = search_photo(f, f->alice, f->a2, "p9.jpg", "backXslash", "", "", 6);
	bang = search_photo(f, f->alice, f->a2, "p10.jpg", "wow!", "", "", 4);
	/* bob's photos never show up in alice's search */
	search_photo(f, f->bob, f->b1, "sunset.jpg", "sunset 100% snake_case", "", "sunset", 99);
	assert_true(hills > sunset);

	/* wildcards and escape characters are literal */
	expect_search(f, W("100%"), NULL, 10, IDS(pct));
	expect_search(f, W("%"), NULL, 10, IDS(pct));
	expect_search(f, W("e_c"), NULL, 10, IDS(snake));
	expect_search(f, W("_"), NULL, 10, IDS(snake));
	expect_search(f, W("\\"), NULL, 10, IDS(bslash));
	expect_search(f, W("k\\s"), NULL, 10, IDS(bslash));
	expect_search(f, W("!"), NULL, 10, IDS(bang));
	expect_search(f, W("w!"), NULL, 10, IDS(bang));
	expect_search(f, W("snake"), NULL, 10, IDS(snakex, snake));
	expect_search(f, W("100"), NULL, 10, IDS(plain, pct));
	/* title, description or name; case-insensitive; newest first, ties by id desc */
	expect_search(f, W("sunset"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("SuNsEt"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("SUNSET.JPG"), NULL, 10, IDS(fname));
	expect_search(f, W("sunset"), NULL, 2, IDS(hills, sunset));
	/* every word must match */
	expect_search(f, W("SUNSET", "hills"), NULL, 10, IDS(hills));
	expect_search(f, W("sunset", "nowhere"), NULL, 10, NULL, 0);
	/* more words than a statement cache would hold */
	expect_search(f, W("a", "sunset", "in", "the", "hills", "A", "SUN", "set", "hil", "ls"),
	    NULL, 10, IDS(hills));
	/* tags */
	expect_search(f, NULL, 0, "sunset", 10, IDS(sunset));
	expect_search(f, W("over"), "beach", 10, IDS(sunset));
	expect_search(f, W("hills"), "beach", 10, NULL, 0);
	expect_search(f, NULL, 0, "sun", 10, NULL, 0); /* whole tags only */
	expect_search(f, NULL, 0, "%", 10, NULL, 0);
	expect_search(f, NULL, 0, "SUNSET", 10, NULL, 0); /* tags are stored normalized */
	/* nothing asked: all of alice's, newest first */
	expect_search(f, NULL, 0, NULL, 10,
	    IDS(hills, sunset, fname, snakex, snake, plain, pct, bx, bslash, bang));
	/* limit 0 */
	assert_int_equal(f->ops->photo_search(f->s, f->alice, 0, NULL, 0, NULL, 0, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* an injection attempt is only a word */
	expect_search(f, W("' OR 1=1 --"), NULL, 10, NULL, 0);
	expect_search(f, W("\") OR 1=1 #"), NULL, 10, NULL, 0);
}

/* Within one album: only its photos, however many match elsewhere. */
static void
test_search_album(void **state)
{
	struct fx *f = *state;
	pgal_id old, tagonly, word, tie, newest, none, cats[12];
	char name[32], title[32];
	size_t i;

	old = search_photo(f, f->alice, f->a1, "h1.jpg", "Sunset on the beach", "", "sea", 10);
	tagonly = search_photo(f, f->alice, f->a1, "h2.jpg", "Morning", "", "sea", 20);
	word = search_photo(f, f->alice, f->a1, "h3.jpg", "Sunset again", "", "", 30);
	tie = search_photo(f, f->alice, f->a1, "h4.jpg", "sunset twin", "", "", 30);
	newest = search_photo(f, f->alice, f->a1, "h5.jpg", "", "SUNSET from the boat",
	    "boat,sea", 40);
	none = search_photo(f, f->alice, f->a1, "h6.jpg", "Lunch", "", "food", 35);
	assert_true(tie > word);
	/* more matches than the limit in another album, all of them newer */
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "cat-%zu.jpg", i);
		snprintf(title, sizeof title, "sunset cat %zu", i);
		cats[i] = search_photo(f, f->alice, f->a2, name, title, "", "sea", 100 + (int64_t)i);
	}
	/* bob's album matches everything asked below */
	search_photo(f, f->bob, f->b1, "b1.jpg", "sunset beach", "", "sea", 200);
	search_photo(f, f->bob, f->b1, "b2.jpg", "Morning", "", "food", 201);

	/* across albums the cats fill the first 5; within Holiday they do not */
	expect_search(f, W("sunset"), NULL, 5, IDS(cats[11], cats[10], cats[9], cats[8], cats[7]));
	expect_search_by(f, f->alice, f->a1, W("sunset"), NULL, 5, IDS(newest, tie, word, old));
	expect_search_by(f, f->alice, f->a1, W("sunset"), NULL, 2, IDS(newest, tie));
	expect_search_by(f, f->alice, f->a1, NULL, 0, "sea", 5, IDS(newest, tagonly, old));
	expect_search_by(f, f->alice, f->a2, W("sunset"), NULL, 3, IDS(cats[11], cats[10], cats[9]));
	/* tag, words and album together */
	expect_search_by(f, f->alice, f->a1, W("sunset"), "sea", 10, IDS(newest, old));
	expect_search_by(f, f->alice, f->a1, W("SUNSET", "beach"), "sea", 10, IDS(old));
	expect_search_by(f, f->alice, f->a1, W("boat"), "food", 10, NULL, 0);
	expect_search_by(f, f->alice, f->a1, W("cat"), "sea", 10, NULL, 0);
	/* nothing asked: the whole album, newest first */
	expect_search_by(f, f->alice, f->a1, NULL, 0, NULL, 10,
	    IDS(newest, none, tie, word, tagonly, old));
	/* another user's album id gives nothing, whatever is asked */
	expect_search_by(f, f->alice, f->b1, W("sunset"), NULL, 10, NULL, 0);
	expect_search_by(f, f->alice, f->b1, NULL, 0, "sea", 10, NULL, 0);
	expect_search_by(f, f->alice, f->b1, NULL, 0, NULL, 10, NULL, 0);
	expect_search_by(f, f->bob, f->a1, W("sunset"), "sea", 10, NULL, 0);
	expect_search_by(f, f->bob, f->a2, NULL, 0, NULL, 10, NULL, 0);
	/* an album that does not exist */
	expect_search_by(f, f->alice, 424242, W("sunset"), NULL, 10, NULL, 0);
	/* an injection attempt is only a word here too */
	expect_search_by(f, f->alice, f->a1, W("' OR 1=1 --"), NULL, 10, NULL, 0);
}

/* ---- SSH keys ---- */

static void
test_keys(void **state)
{
	struct fx *f = *state;
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

/* ---- several handles, several processes (hosts) ---- */

static void
test_two_handles(void **state)
{
	struct fx *f = *state;
	pgal_store *s2;
	pgal_user u;
	pgal_album a, *list;
	pgal_photo p;
	pgal_err e;
	size_t n;

	s2 = open_store(&f->cfg);
	/* s2 opened after setup wrote: sees alice */
	assert_int_equal(f->ops->user_get_by_name(s2, "alice", &u, &e), PGAL_OK);
	/* writes on one show on the other, both ways */
	new_user(f, "carol");
	assert_int_equal(f->ops->user_get_by_name(s2, "carol", &u, &e), PGAL_OK);
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "Carol's");
	assert_int_equal(f->ops->album_create(s2, &a, &e), PGAL_OK);
	assert_int_equal(f->ops->album_list(f->s, u.id, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Carol's");
	free(list);
	fill_photo(f, &p, u.id, a.id, "c.jpg");
	insert_photo(f, &p);
	assert_int_equal(f->ops->album_get(s2, u.id, "Carol's", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	/* a conflict seen across handles */
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "Carol's");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_EINPUT);
	f->ops->close(s2);
}

#define PER_CHILD 150

/* A child process: its own handle, its own writes, no cmocka. */
static int
child_work(const pgal_config *cfg, pgal_id user, pgal_id album, int k)
{
	pgal_store *s;
	pgal_photo p;
	pgal_session_row r;
	pgal_err e;
	int i;

	if (B->ops->open(&s, cfg, &e) != PGAL_OK) {
		fprintf(stderr, "child open: %s\n", e.msg);
		return 1;
	}
	for (i = 0; i < PER_CHILD; i++) {
		memset(&p, 0, sizeof p);
		p.album_id = album;
		p.user_id = user;
		snprintf(p.name, sizeof p.name, "child%d-%d.jpg", k, i);
		snprintf(p.mime, sizeof p.mime, "image/png");
		p.bytes = 10;
		snprintf(p.sha256, sizeof p.sha256, "%064d", k * 100000 + i);
		snprintf(p.blob_id, sizeof p.blob_id, "c%031d", k * 100000 + i);
		snprintf(p.tags, sizeof p.tags, "child%d", k);
		p.added_at = p.sort_taken = i;
		p.exif.taken_at = -1;
		if (B->ops->photo_insert(s, &p, &e) != PGAL_OK) {
			fprintf(stderr, "child photo_insert: %s\n", e.msg);
			return 2;
		}
		session_row(&r, user, 100 + k * PER_CHILD + i);
		if (B->ops->session_create(s, &r, &e) != PGAL_OK) {
			fprintf(stderr, "child session_create: %s\n", e.msg);
			return 3;
		}
	}
	B->ops->close(s);
	return 0;
}

/* Writers in several processes at once into one album, as many hosts do:
 * every write lands, the counters add up. */
static void
test_processes(void **state)
{
	struct fx *f = *state;
	pid_t pids[NCHILD];
	pgal_album a;
	pgal_session_row r;
	pgal_err e;
	int64_t cn, cb;
	int k, status;

	/* no handle is open across fork */
	f->ops->close(f->s);
	f->s = NULL;
	for (k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0)
			_exit(child_work(&f->cfg, f->alice, f->a2, k));
	}
	/* the parent opens its own handle meanwhile and reads while they write */
	f->s = open_store(&f->cfg);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_true(a.photo_count <= NCHILD * PER_CHILD);
	for (k = 0; k < NCHILD; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* the parent's handle, open during the writes, sees everything */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, NCHILD * PER_CHILD);
	assert_int_equal(a.bytes, NCHILD * PER_CHILD * 10);
	count_album(f, f->a2, &cn, &cb);
	assert_int_equal(cn, NCHILD * PER_CHILD);
	assert_int_equal(cb, NCHILD * PER_CHILD * 10);
	for (k = 0; k < NCHILD; k++) {
		char tag[24];

		snprintf(tag, sizeof tag, "child%d", k);
		assert_int_equal(tagged(f, f->alice, tag, NULL, 200), PER_CHILD);
		session_row(&r, f->alice, 100 + k * PER_CHILD + PER_CHILD - 1);
		assert_int_equal(f->ops->session_get(f->s, r.token_hash, &r, &e), PGAL_OK);
	}
	assert_probe(f, PGAL_PROBE_TAG, 0, "child0", PER_CHILD);
}

/* ---- faults: the peer goes away under an open store ---- */

/* e holds no secret of the config */
static void
assert_no_secret(const pgal_config *cfg, const pgal_err *e)
{
	if (cfg->mysql_password[0] != '\0')
		assert_null(strstr(e->msg, cfg->mysql_password));
	if (cfg->aws_secret_access_key[0] != '\0')
		assert_null(strstr(e->msg, cfg->aws_secret_access_key));
}

/* The first call after the peer came back: succeeds, or fails with a clear
 * backend error and then the next one succeeds. */
#define AFTER_RESTART(f, call) do {					\
	pgal_err e_;							\
	int rc_ = (call);						\
	if (rc_ != PGAL_OK) {						\
		assert_int_equal(rc_, PGAL_EBACKEND);			\
		assert_true(e_.msg[0] != '\0');				\
		assert_no_secret(&(f)->cfg, &e_);			\
		print_message("# first call after restart: %s\n", e_.msg); \
		rc_ = (call);						\
		if (rc_ != PGAL_OK)					\
			fail_msg("second call after restart: %s", e_.msg); \
	}								\
} while (0)

static void
peer(const char *action)
{
	if (B->peer(B, action) != 0)
		fail_msg("peer control '%s' failed", action);
}

static void
test_peer_restart(void **state)
{
	struct fx *f = *state;
	pgal_user u;
	pgal_album a;
	pgal_photo p;
	pgal_err e;
	int64_t cn, cb;
	int rc;

	/* a read after a crash and restart */
	peer("restart");
	AFTER_RESTART(f, f->ops->user_get_by_name(f->s, "alice", &u, &e_));
	assert_int_equal(u.id, f->alice);

	/* a single-statement write */
	peer("restart");
	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "After restart");
	AFTER_RESTART(f, f->ops->album_create(f->s, &a, &e_));
	assert_int_equal(f->ops->album_get(f->s, f->alice, "After restart", &a, &e), PGAL_OK);

	/* a transaction (photo and tags) */
	peer("restart");
	fill_photo(f, &p, f->alice, f->a1, "after.jpg");
	snprintf(p.tags, sizeof p.tags, "resilient");
	AFTER_RESTART(f, f->ops->photo_insert(f->s, &p, &e_));
	assert_int_equal(tagged(f, f->alice, "resilient", NULL, 4), 1);
	count_album(f, f->a1, &cn, &cb);
	assert_int_equal(cn, 1);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);

	/* down for a while: a clear error every time, then back */
	peer("kill");
	rc = f->ops->user_get(f->s, f->bob, &u, &e);
	assert_int_equal(rc, PGAL_EBACKEND);
	assert_true(e.msg[0] != '\0');
	assert_no_secret(&f->cfg, &e);
	print_message("# while the peer is down: %s\n", e.msg);
	rc = f->ops->album_get(f->s, f->alice, "Holiday", &a, &e);
	assert_int_equal(rc, PGAL_EBACKEND);
	peer("start");
	AFTER_RESTART(f, f->ops->user_get(f->s, f->bob, &u, &e_));
	assert_string_equal(u.name, "bob");
}

#define BIG_ALBUM 3000

/* The peer killed while a cascading album delete runs in another process
 * (the kill comes a few ms after the child sent the delete): afterwards the
 * album is there with every photo and tag, or gone with all of them. */
static void
test_peer_kill_during_album_delete(void **state)
{
	struct fx *f = *state;
	static const int delays_us[] = { 1000, 10000, 40000 };
	pgal_photo p;
	pgal_album a;
	pgal_user u;
	pgal_err e;
	char name[32], tag[24], **ids, go;
	size_t i, n;
	int round, status, fds[2];
	pid_t pid;

	for (round = 0; round < 3; round++) {
		pgal_id album;
		int64_t cn, cb;

		snprintf(name, sizeof name, "Big %d", round);
		album = new_album(f, f->alice, name);
		snprintf(tag, sizeof tag, "big%d", round);
		for (i = 0; i < BIG_ALBUM; i++) {
			char pn[32];

			snprintf(pn, sizeof pn, "b%zu.jpg", i);
			fill_photo(f, &p, f->alice, album, pn);
			snprintf(p.tags, sizeof p.tags, "%s,t%zu", tag, i % 50);
			insert_photo(f, &p);
		}
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			pgal_store *s;

			close(fds[0]);
			if (B->ops->open(&s, &f->cfg, &e) != PGAL_OK)
				_exit(1);
			/* a round trip first, so the delete is what the kill meets */
			if (B->ops->user_get(s, f->alice, &u, &e) != PGAL_OK)
				_exit(1);
			if (write(fds[1], "g", 1) != 1)
				_exit(1);
			_exit(B->ops->album_delete(s, album, &e) == PGAL_OK ? 0 : 3);
		}
		close(fds[1]);
		assert_int_equal(read(fds[0], &go, 1), 1);
		close(fds[0]);
		usleep((useconds_t)delays_us[round]);
		peer("kill");
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		peer("start");

		AFTER_RESTART(f, f->ops->user_get(f->s, f->alice, &u, &e_));
		count_album(f, album, &cn, &cb);
		assert_int_equal(f->ops->blob_ids_album(f->s, album, &ids, &n, &e), PGAL_OK);
		pgal_store_free_ids(ids, n);
		if (f->ops->album_get(f->s, f->alice, name, &a, &e) == PGAL_OK) {
			print_message("# round %d: the delete %s, the album survived whole\n", round,
			    WEXITSTATUS(status) == 0 ? "returned ok" : "was cut off");
			assert_int_equal(a.photo_count, BIG_ALBUM);
			assert_int_equal(cn, BIG_ALBUM);
			assert_int_equal(n, BIG_ALBUM);
			assert_int_equal(tagged(f, f->alice, tag, NULL, 1), 1);
			assert_probe(f, PGAL_PROBE_TAG, 0, tag, BIG_ALBUM);
		} else {
			assert_int_equal(e.code, PGAL_ENOTFOUND);
			print_message("# round %d: the delete %s, the album was deleted whole\n",
			    round, WEXITSTATUS(status) == 0 ? "returned ok" : "was cut off");
			assert_int_equal(cn, 0);
			assert_int_equal(n, 0);
			assert_int_equal(tagged(f, f->alice, tag, NULL, 1), 0);
			assert_probe(f, PGAL_PROBE_TAG, 0, tag, 0);
		}
		assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	}
}

/* ---- timing (PGAL_TEST_BENCH=N) ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
test_bench(void **state)
{
	struct fx *f = *state;
	const char *v = getenv("PGAL_TEST_BENCH");
	size_t nb = v != NULL && atoi(v) > 0 ? (size_t)atoi(v) : 1000, i, n, total = 0, pages = 0;
	pgal_photo p, *page;
	pgal_cursor cur;
	pgal_err e;
	char name[32];
	double t0, t1, t2;

	page = calloc(100, sizeof *page);
	assert_non_null(page);
	t0 = now_s();
	for (i = 0; i < nb; i++) {
		snprintf(name, sizeof name, "bench-%zu.jpg", i);
		fill_photo(f, &p, f->alice, f->a1, name);
		snprintf(p.tags, sizeof p.tags, "bench,t%zu", i % 10);
		insert_photo(f, &p);
	}
	t1 = now_s();
	memset(&cur, 0, sizeof cur);
	for (;;) {
		assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TAKEN, &cur, 100,
		    page, &n, &e), PGAL_OK);
		if (n == 0)
			break;
		pages++;
		total += n;
		cur.valid = 1;
		cur.num = page[n - 1].sort_taken;
		cur.id = page[n - 1].id;
	}
	t2 = now_s();
	assert_int_equal(total, nb);
	printf("# bench %s: photo_insert (with 2 tags) %.0f/s (%zu in %.2f s); "
	    "photo_list page of 100: %.0f pages/s (%zu in %.3f s)\n", B->name,
	    (double)nb / (t1 - t0), nb, t1 - t0, (double)pages / (t2 - t1), pages, t2 - t1);
	free(page);
}

int
pgal_store_contract_run(pgal_contract_backend *b)
{
	const struct CMUnitTest base[] = {
		cmocka_unit_test(test_find_and_ops),
		cmocka_unit_test(test_reopen_keeps_data),
		cmocka_unit_test(test_concurrent_first_open),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_albums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_update_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha_and_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search_album, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_processes, setup, teardown),
	};
	const struct CMUnitTest faults[] = {
		cmocka_unit_test_setup_teardown(test_peer_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_kill_during_album_delete, setup, teardown),
	};
	const struct CMUnitTest bench[] = {
		cmocka_unit_test_setup_teardown(test_bench, setup, teardown),
	};
	char name[64];
	int rc;

	B = b;
	snprintf(name, sizeof name, "store contract (%s)", b->name);
	rc = _cmocka_run_group_tests(name, base, sizeof base / sizeof base[0], NULL, NULL);
	if (b->peer != NULL) {
		snprintf(name, sizeof name, "store contract faults (%s)", b->name);
		rc += _cmocka_run_group_tests(name, faults, sizeof faults / sizeof faults[0],
		    NULL, NULL);
	}
	if (getenv("PGAL_TEST_BENCH") != NULL) {
		snprintf(name, sizeof name, "store timing (%s)", b->name);
		rc += _cmocka_run_group_tests(name, bench, 1, NULL, NULL);
	}
	return rc;
}
