/* The store contract (store-contract.h): the peer goes away under an open
 * store (PGAL_TEST_PEER_CTL). */

#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

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

void
test_peer_restart(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_user u;
	pgal_album a;
	pgal_photo p;
	pgal_err e;
	pgal_id carol;
	int64_t cn, cb;
	int rc;

	/* the newest account deleted: its id stays retired across a crash
	 * (InnoDB before MariaDB 10.2.4 and MySQL 8.0 took max(id) + 1 again) */
	carol = pgal_contract_user(f, "carol");
	assert_int_equal(f->ops->user_delete(f->s, carol, &e), PGAL_OK);

	/* a read after a crash and restart */
	peer("restart");
	AFTER_RESTART(f, f->ops->user_get_by_name(f->s, "alice", &u, &e_));
	assert_int_equal(u.id, f->alice);
	assert_true(pgal_contract_user(f, "dave") != carol);

	/* a single-statement write */
	peer("restart");
	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "After restart");
	AFTER_RESTART(f, f->ops->album_create(f->s, &a, &e_));
	assert_int_equal(f->ops->album_get(f->s, f->alice, "After restart", &a, &e), PGAL_OK);

	/* a transaction (photo and tags) */
	peer("restart");
	pgal_contract_fill_photo(f, &p, f->alice, f->a1, "after.jpg");
	snprintf(p.tags, sizeof p.tags, "resilient");
	AFTER_RESTART(f, f->ops->photo_insert(f->s, &p, &e_));
	assert_int_equal(pgal_contract_tagged(f, f->alice, "resilient", NULL, 4), 1);
	pgal_contract_count_album(f, f->a1, &cn, &cb);
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
void
test_peer_kill_during_album_delete(void **state)
{
	pgal_contract_fx *f = *state;
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
		album = pgal_contract_album(f, f->alice, name);
		snprintf(tag, sizeof tag, "big%d", round);
		for (i = 0; i < BIG_ALBUM; i++) {
			char pn[32];

			snprintf(pn, sizeof pn, "b%zu.jpg", i);
			pgal_contract_fill_photo(f, &p, f->alice, album, pn);
			snprintf(p.tags, sizeof p.tags, "%s,t%zu", tag, i % 50);
			pgal_contract_insert_photo(f, &p);
		}
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			pgal_store *s;

			close(fds[0]);
			if (B->ops->open(&s, &f->cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
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
		/* a fixed delay on purpose, not a wait for a state: where in the
		 * delete the kill lands is what each round varies */
		usleep((useconds_t)delays_us[round]);
		peer("kill");
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		peer("start");

		AFTER_RESTART(f, f->ops->user_get(f->s, f->alice, &u, &e_));
		pgal_contract_count_album(f, album, &cn, &cb);
		assert_int_equal(f->ops->blob_ids_album(f->s, album, &ids, &n, &e), PGAL_OK);
		pgal_store_free_ids(ids, n);
		if (f->ops->album_get(f->s, f->alice, name, &a, &e) == PGAL_OK) {
			print_message("# round %d: the delete %s, the album survived whole\n", round,
			    WEXITSTATUS(status) == 0 ? "returned ok" : "was cut off");
			assert_int_equal(a.photo_count, BIG_ALBUM);
			assert_int_equal(cn, BIG_ALBUM);
			assert_int_equal(n, BIG_ALBUM);
			assert_int_equal(pgal_contract_tagged(f, f->alice, tag, NULL, 1), 1);
			assert_probe(f, PGAL_PROBE_TAG, 0, tag, BIG_ALBUM);
		} else {
			assert_int_equal(e.code, PGAL_ENOTFOUND);
			print_message("# round %d: the delete %s, the album was deleted whole\n",
			    round, WEXITSTATUS(status) == 0 ? "returned ok" : "was cut off");
			assert_int_equal(cn, 0);
			assert_int_equal(n, 0);
			assert_int_equal(pgal_contract_tagged(f, f->alice, tag, NULL, 1), 0);
			assert_probe(f, PGAL_PROBE_TAG, 0, tag, 0);
		}
		assert_probe(f, PGAL_PROBE_ORPHAN_TAGS, 0, NULL, 0);
	}
}
