/* The store contract (store-contract.h): several opens, handles and
 * processes (hosts) on one store. */

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
#include "store-contract-int.h"
#include "store/store.h"

/* ---- open ---- */

void
test_reopen_keeps_data(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_user u;
	pgal_err e;
	int i;

	pgal_contract_fresh_config(&cfg);
	s = pgal_contract_open(&cfg);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "keeper");
	assert_int_equal(B->ops->user_create(s, &u, &e), PGAL_OK);
	B->ops->close(s);
	/* second and third open: nothing re-applied, data kept */
	for (i = 0; i < 2; i++) {
		s = pgal_contract_open(&cfg);
		assert_int_equal(B->ops->user_get_by_name(s, "keeper", &u, &e), PGAL_OK);
		B->ops->close(s);
	}
	if (B->dispose != NULL)
		B->dispose(B, &cfg);
}

#define NCHILD 4

/* Processes (hosts) opening a brand-new store at the same moment. */
void
test_concurrent_first_open(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_user u;
	pgal_err e;
	pid_t pids[NCHILD];
	int k, status;

	pgal_contract_fresh_config(&cfg);
	for (k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			if (B->ops->open(&s, &cfg, PGAL_STORE_INIT, &e) != PGAL_OK) {
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
	s = pgal_contract_open(&cfg);
	for (k = 0; k < NCHILD; k++) {
		char name[24];

		snprintf(name, sizeof name, "child%d", k);
		assert_int_equal(B->ops->user_get_by_name(s, name, &u, &e), PGAL_OK);
	}
	B->ops->close(s);
	if (B->dispose != NULL)
		B->dispose(B, &cfg);
}

/* ---- several handles, several processes (hosts) ---- */

void
test_two_handles(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_store *s2;
	pgal_user u;
	pgal_album a, *list;
	pgal_photo p;
	pgal_err e;
	size_t n;

	s2 = pgal_contract_open(&f->cfg);
	/* s2 opened after setup wrote: sees alice */
	assert_int_equal(f->ops->user_get_by_name(s2, "alice", &u, &e), PGAL_OK);
	/* writes on one show on the other, both ways */
	pgal_contract_user(f, "carol");
	assert_int_equal(f->ops->user_get_by_name(s2, "carol", &u, &e), PGAL_OK);
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "Carol's");
	assert_int_equal(f->ops->album_create(s2, &a, &e), PGAL_OK);
	assert_int_equal(f->ops->album_list(f->s, u.id, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Carol's");
	free(list);
	pgal_contract_fill_photo(f, &p, u.id, a.id, "c.jpg");
	pgal_contract_insert_photo(f, &p);
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

	if (B->ops->open(&s, cfg, PGAL_STORE_INIT, &e) != PGAL_OK) {
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
		pgal_contract_session_row(&r, user, 100 + k * PER_CHILD + i);
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
void
test_processes(void **state)
{
	pgal_contract_fx *f = *state;
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
	f->s = pgal_contract_open(&f->cfg);
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
	pgal_contract_count_album(f, f->a2, &cn, &cb);
	assert_int_equal(cn, NCHILD * PER_CHILD);
	assert_int_equal(cb, NCHILD * PER_CHILD * 10);
	for (k = 0; k < NCHILD; k++) {
		char tag[24];

		snprintf(tag, sizeof tag, "child%d", k);
		assert_int_equal(pgal_contract_tagged(f, f->alice, tag, NULL, 200), PER_CHILD);
		pgal_contract_session_row(&r, f->alice, 100 + k * PER_CHILD + PER_CHILD - 1);
		assert_int_equal(f->ops->session_get(f->s, r.token_hash, &r, &e), PGAL_OK);
	}
	assert_probe(f, PGAL_PROBE_TAG, 0, "child0", PER_CHILD);
}
