/* The store contract, duplicates (store-contract.h): what every backend
 * promises the duplicate check of core/ingest.c and gc.
 *
 * ingest asks photo_find_sha (unless --force) before it stores anything
 * and inserts the row last; gc asks blob_id_used. So every store promises:
 * - read after write across handles: once photo_insert has returned, any
 *   other handle (another process, another host) finds the photo by its
 *   SHA-256 and sees its blob used; once photo_delete or album_delete has
 *   returned, the blob is unused. No index lag may show (DynamoDB's global
 *   indexes lag: its store answers from items read with ConsistentRead).
 * - a concurrent duplicate: photo_insert never refuses the same bytes
 *   (that is what --force stores), so when several processes insert the
 *   same content at once, every insert lands; photo_find_sha then gives
 *   every caller the same photo, the one with the lowest id, and after
 *   that one is deleted the next lowest, until none is left.
 * (Two uploads whose checks both ran before either row was written both
 * pass the check in every store: closing that window is ingest's to do.)
 *
 * Registered by pgal_store_contract_dedup_run(b), a group of its own. */
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract.h"
#include "store/store.h"

#define DUP_CHILDREN 4
#define DUP_SHA "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"

static pgal_contract_backend *B;
static int casenum = 5000;	/* apart from the main group's case numbers */

struct dfx {
	pgal_config cfg;
	pgal_store *s;
	pgal_id alice, bob, album;
};

static pgal_store *
dopen(const pgal_config *cfg)
{
	pgal_store *s = NULL;
	pgal_err e;

	if (B->ops->open(&s, cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
		fail_msg("%s open: %s", B->name, e.msg);
	return s;
}

static pgal_id
duser(struct dfx *f, const char *name)
{
	pgal_user u;
	pgal_err e;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.email, sizeof u.email, "%s@example.org", name);
	snprintf(u.pwhash, sizeof u.pwhash, "$y$x");
	u.created_at = 1000;
	if (B->ops->user_create(f->s, &u, &e) != PGAL_OK)
		fail_msg("user_create: %s", e.msg);
	return u.id;
}

static int
dsetup(void **state)
{
	struct dfx *f = calloc(1, sizeof *f);
	pgal_album a;
	pgal_err e;

	if (f == NULL)
		return -1;
	if (B->fresh(B, &f->cfg, ++casenum, &e) != PGAL_OK) {
		free(f);
		return -1;
	}
	f->s = dopen(&f->cfg);
	f->alice = duser(f, "alice");
	f->bob = duser(f, "bob");
	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "Dups");
	a.created_at = a.updated_at = 2000;
	if (B->ops->album_create(f->s, &a, &e) != PGAL_OK)
		fail_msg("album_create: %s", e.msg);
	f->album = a.id;
	*state = f;
	return 0;
}

static int
dteardown(void **state)
{
	struct dfx *f = *state;

	if (f->s != NULL)
		B->ops->close(f->s);
	if (B->dispose != NULL)
		B->dispose(B, &f->cfg);
	free(f);
	return 0;
}

/* A photo row of the album with content sha; k makes name and blob id. */
static void
dphoto(struct dfx *f, pgal_photo *p, const char *sha, int k)
{
	memset(p, 0, sizeof *p);
	p->album_id = f->album;
	p->user_id = f->alice;
	snprintf(p->name, sizeof p->name, "dup-%d.jpg", k);
	snprintf(p->mime, sizeof p->mime, "image/jpeg");
	p->bytes = 100;
	snprintf(p->sha256, sizeof p->sha256, "%s", sha);
	snprintf(p->blob_id, sizeof p->blob_id, "d%031d", k);
	p->added_at = p->sort_taken = 3000 + k;
	p->exif.taken_at = -1;
}

static int
used(pgal_store *s, const char *blob)
{
	pgal_err e;
	int u = -1;

	if (B->ops->blob_id_used(s, blob, &u, &e) != PGAL_OK)
		fail_msg("blob_id_used: %s", e.msg);
	return u;
}

/* Written on one handle, seen on another at once; gone the same way. */
static void
test_dup_read_after_write(void **state)
{
	struct dfx *f = *state;
	pgal_store *s2 = dopen(&f->cfg);
	pgal_photo p, got;
	pgal_err e;
	int k;

	for (k = 0; k < 20; k++) {
		char sha[PGAL_SHA256_HEX + 1];

		snprintf(sha, sizeof sha, "%064d", 7000 + k);
		dphoto(f, &p, sha, k);
		if (B->ops->photo_insert(f->s, &p, &e) != PGAL_OK)
			fail_msg("photo_insert: %s", e.msg);
		/* at once, on the other handle: no lag allowed */
		if (B->ops->photo_find_sha(s2, f->alice, sha, &got, &e) != PGAL_OK)
			fail_msg("photo %d not found by its SHA-256 right after insert: %s",
			    k, e.msg);
		assert_int_equal(got.id, p.id);
		assert_string_equal(got.album, "Dups");
		assert_int_equal(used(s2, p.blob_id), 1);
		/* another user's content is not alice's duplicate */
		assert_int_equal(B->ops->photo_find_sha(s2, f->bob, sha, &got, &e),
		    PGAL_ENOTFOUND);
		assert_int_equal(B->ops->photo_delete(f->s, p.id, &e), PGAL_OK);
		assert_int_equal(B->ops->photo_find_sha(s2, f->alice, sha, &got, &e),
		    PGAL_ENOTFOUND);
		assert_int_equal(used(s2, p.blob_id), 0);
	}
	B->ops->close(s2);
}

/* A child: its own handle, ready, then the insert when the parent says go. */
static int
dup_child(const pgal_config *cfg, pgal_id user, pgal_id album, int k, int ready, int go)
{
	pgal_store *s;
	pgal_photo p;
	pgal_err e;
	char c = 'r';
	struct dfx f;

	if (B->ops->open(&s, cfg, PGAL_STORE_INIT, &e) != PGAL_OK) {
		fprintf(stderr, "child open: %s\n", e.msg);
		return 1;
	}
	memset(&f, 0, sizeof f);
	f.alice = user;
	f.album = album;
	dphoto(&f, &p, DUP_SHA, k);
	if (write(ready, &c, 1) != 1)
		return 2;
	/* blocks until the parent closes its end: everyone starts at once */
	while (read(go, &c, 1) > 0)
		;
	if (B->ops->photo_insert(s, &p, &e) != PGAL_OK) {
		fprintf(stderr, "child photo_insert: %s\n", e.msg);
		return 3;
	}
	B->ops->close(s);
	return 0;
}

/* The same bytes inserted by several processes at once: all land, and
 * everyone is shown the same one (lowest id), then the next. */
static void
test_dup_concurrent(void **state)
{
	struct dfx *f = *state;
	pid_t pids[DUP_CHILDREN];
	pgal_id ids[DUP_CHILDREN];
	pgal_photo p, got;
	pgal_store *s2;
	pgal_err e;
	int ready[2], go[2], k, j, status;
	char c;

	B->ops->close(f->s);
	f->s = NULL;
	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	for (k = 0; k < DUP_CHILDREN; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(dup_child(&f->cfg, f->alice, f->album, k, ready[1], go[0]));
		}
	}
	close(ready[1]);
	close(go[0]);
	for (k = 0; k < DUP_CHILDREN; k++)
		assert_int_equal(read(ready[0], &c, 1), 1);
	close(go[1]);
	close(ready[0]);
	for (k = 0; k < DUP_CHILDREN; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	f->s = dopen(&f->cfg);
	s2 = dopen(&f->cfg);
	/* every insert landed: each child's row is there */
	for (k = 0; k < DUP_CHILDREN; k++) {
		dphoto(f, &p, DUP_SHA, k);
		if (B->ops->photo_get(f->s, f->album, p.name, &got, &e) != PGAL_OK)
			fail_msg("child %d's duplicate was refused or lost: %s", k, e.msg);
		ids[k] = got.id;
		assert_int_equal(used(s2, p.blob_id), 1);
	}
	/* lowest id first, the same answer on every handle, every time */
	for (j = 0; j < DUP_CHILDREN; j++) {
		pgal_id low = 0;
		int at = -1;

		for (k = 0; k < DUP_CHILDREN; k++)
			if (ids[k] != 0 && (low == 0 || ids[k] < low)) {
				low = ids[k];
				at = k;
			}
		assert_int_equal(B->ops->photo_find_sha(f->s, f->alice, DUP_SHA, &got, &e),
		    PGAL_OK);
		assert_int_equal(got.id, low);
		assert_int_equal(B->ops->photo_find_sha(s2, f->alice, DUP_SHA, &got, &e),
		    PGAL_OK);
		assert_int_equal(got.id, low);
		assert_int_equal(B->ops->photo_delete(f->s, low, &e), PGAL_OK);
		dphoto(f, &p, DUP_SHA, at);
		assert_int_equal(used(s2, p.blob_id), 0);
		ids[at] = 0;
	}
	assert_int_equal(B->ops->photo_find_sha(s2, f->alice, DUP_SHA, &got, &e),
	    PGAL_ENOTFOUND);
	B->ops->close(s2);
}

/* Moves keep a photo findable and its blob used; an album delete frees
 * both at once. */
static void
test_dup_moves_and_cascade(void **state)
{
	struct dfx *f = *state;
	pgal_store *s2 = dopen(&f->cfg);
	pgal_photo p, got;
	pgal_album a;
	pgal_err e;

	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "Other");
	assert_int_equal(B->ops->album_create(f->s, &a, &e), PGAL_OK);
	dphoto(f, &p, DUP_SHA, 1);
	assert_int_equal(B->ops->photo_insert(f->s, &p, &e), PGAL_OK);
	p.album_id = a.id;
	snprintf(p.name, sizeof p.name, "moved.jpg");
	assert_int_equal(B->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(used(s2, p.blob_id), 1);
	assert_int_equal(B->ops->photo_find_sha(s2, f->alice, DUP_SHA, &got, &e), PGAL_OK);
	assert_int_equal(got.id, p.id);
	assert_string_equal(got.album, "Other");
	assert_string_equal(got.name, "moved.jpg");
	assert_int_equal(B->ops->album_delete(f->s, a.id, &e), PGAL_OK);
	assert_int_equal(used(s2, p.blob_id), 0);
	assert_int_equal(B->ops->photo_find_sha(s2, f->alice, DUP_SHA, &got, &e),
	    PGAL_ENOTFOUND);
	B->ops->close(s2);
}

int
pgal_store_contract_dedup_run(pgal_contract_backend *b)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dup_read_after_write, dsetup, dteardown),
		cmocka_unit_test_setup_teardown(test_dup_concurrent, dsetup, dteardown),
		cmocka_unit_test_setup_teardown(test_dup_moves_and_cascade, dsetup, dteardown),
	};
	char name[64];

	B = b;
	snprintf(name, sizeof name, "store contract dedup (%s)", b->name);
	return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL);
}
