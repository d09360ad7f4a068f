/* The gallery service on the embedded default (sqlite + fs + outbox):
 * accounts, sessions, ownership, ingest and its consistency guarantees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "blobs/blobs.h"
#include "gallery.h"
#include "testgallery.h"
#include "testlib.h"

#define PW "correct horse battery"
#define T0 1700000000

struct fx {
	pgal_config cfg;
	pgal *g;
	char tok[PGAL_TOKEN_HEX + 1];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);

	*state = f;
	return f == NULL ? -1 : pgal_test_gallery_open(&f->cfg, &f->g, T0);
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	pgal_test_gallery_close(&f->cfg, f->g);
	free(f);
	return 0;
}

/* Signs up and confirms `user` through the outbox, then logs in into tok. */
static void
make_user(struct fx *f, const char *user, char tok[PGAL_TOKEN_HEX + 1])
{
	pgal_err e;

	if (pgal_test_user(f->g, &f->cfg, user, PW, tok, &e) != PGAL_OK)
		fail_msg("user %s: %s", user, e.msg);
}

static void
test_signup_validation(void **state)
{
	struct fx *f = *state;
	pgal_err e;

	assert_int_equal(pgal_signup(f->g, "Alice", "a@example.org", PW, &e), PGAL_EINPUT);
	assert_int_equal(pgal_signup(f->g, "a", "a@example.org", PW, &e), PGAL_EINPUT);
	assert_int_equal(pgal_signup(f->g, "alice", "not-an-email", PW, &e), PGAL_EINPUT);
	assert_int_equal(pgal_signup(f->g, "alice", "a@example.org\r\nBcc: x@y.z", PW, &e), PGAL_EINPUT);
	assert_int_equal(pgal_signup(f->g, "alice", "a@example.org", "short", &e), PGAL_EINPUT);
	assert_int_equal(pgal_signup(f->g, "alice", "a@example.org", PW, &e), PGAL_OK);
	assert_int_equal(pgal_signup(f->g, "alice", "b@example.org", PW, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "taken"));
}

static void
test_confirm_flow(void **state)
{
	struct fx *f = *state;
	char code[32], tok[PGAL_TOKEN_HEX + 1];
	pgal_err e;
	int i;

	assert_int_equal(pgal_signup(f->g, "bob", "bob@example.org", PW, &e), PGAL_OK);
	pgal_test_outbox_code(&f->cfg, code);
	assert_int_equal(strlen(code), PGAL_CODE_LEN);
	/* not confirmed: even the right password does not log in */
	assert_int_equal(pgal_login(f->g, "bob", PW, tok, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "not confirmed"));
	/* five wrong codes use up the tries: then even the right one fails */
	for (i = 0; i < 5; i++)
		assert_int_equal(pgal_confirm(f->g, "bob", "2222222222", &e), PGAL_EDENIED);
	assert_int_equal(pgal_confirm(f->g, "bob", code, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "resend"));
	/* resend (after its cool-down) gives a new code and new tries (that
	 * the old code keeps working is test-signup-abuse.sh's) */
	pgal_set_clock(f->g, T0 + 60);
	pgal_test_outbox_clear(&f->cfg);
	assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_OK);
	char code2[32];
	pgal_test_outbox_code(&f->cfg, code2);
	assert_int_equal(strlen(code2), PGAL_CODE_LEN);
	/* expiry: 24 h later the code is refused */
	pgal_set_clock(f->g, T0 + 60 + 86400 + 1);
	assert_int_equal(pgal_confirm(f->g, "bob", code2, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "expired"));
	pgal_set_clock(f->g, T0 + 60);
	/* lower case and dashes are accepted */
	char typed[40];
	for (i = 0; code2[i] != '\0'; i++)
		typed[i] = (char)(code2[i] >= 'A' && code2[i] <= 'Z' ? code2[i] + 32 : code2[i]);
	typed[i] = '\0';
	assert_int_equal(pgal_confirm(f->g, "bob", typed, &e), PGAL_OK);
	assert_int_equal(pgal_confirm(f->g, "bob", code2, &e), PGAL_EINPUT);
	assert_int_equal(pgal_login(f->g, "bob", PW, tok, &e), PGAL_OK);
	assert_int_equal(strlen(tok), PGAL_TOKEN_HEX);
}

static void
test_login_same_error(void **state)
{
	struct fx *f = *state;
	char tok[PGAL_TOKEN_HEX + 1], m1[512], m2[512];
	pgal_err e;
	int i;

	make_user(f, "carol", f->tok);
	assert_int_equal(pgal_login(f->g, "carol", "wrong password!", tok, &e), PGAL_EDENIED);
	snprintf(m1, sizeof m1, "%s", e.msg);
	assert_int_equal(pgal_login(f->g, "nobody", "wrong password!", tok, &e), PGAL_EDENIED);
	snprintf(m2, sizeof m2, "%s", e.msg);
	assert_string_equal(m1, m2);
	/* after failures the right password still works (the throttle:
	 * test-throttle.c) */
	for (i = 0; i < 2; i++)
		assert_int_equal(pgal_login(f->g, "carol", "wrong password!", tok, &e), PGAL_EDENIED);
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_OK);
}

static void
test_sessions(void **state)
{
	struct fx *f = *state;
	char t2[PGAL_TOKEN_HEX + 1], bad[PGAL_TOKEN_HEX + 1];
	pgal_whoami w;
	pgal_err e;

	make_user(f, "dave", f->tok);
	assert_int_equal(pgal_session_check(f->g, f->tok, &w, &e), PGAL_OK);
	assert_string_equal(w.user, "dave");
	assert_int_equal(pgal_session_check(f->g, NULL, NULL, &e), PGAL_EDENIED);
	assert_int_equal(pgal_session_check(f->g, "../../etc", NULL, &e), PGAL_EDENIED);
	memset(bad, 'a', PGAL_TOKEN_HEX);
	bad[PGAL_TOKEN_HEX] = '\0';
	assert_int_equal(pgal_session_check(f->g, bad, NULL, &e), PGAL_EDENIED);
	/* password change ends other sessions, keeps this one */
	assert_int_equal(pgal_login(f->g, "dave", PW, t2, &e), PGAL_OK);
	assert_int_equal(pgal_passwd(f->g, f->tok, "not the password", "another password", &e), PGAL_EDENIED);
	assert_int_equal(pgal_passwd(f->g, f->tok, PW, "another password", &e), PGAL_OK);
	assert_int_equal(pgal_session_check(f->g, t2, NULL, &e), PGAL_EDENIED);
	assert_int_equal(pgal_session_check(f->g, f->tok, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_login(f->g, "dave", PW, t2, &e), PGAL_EDENIED);
	assert_int_equal(pgal_login(f->g, "dave", "another password", t2, &e), PGAL_OK);
	/* logout revokes only that session */
	assert_int_equal(pgal_logout(f->g, t2, &e), PGAL_OK);
	assert_int_equal(pgal_session_check(f->g, t2, NULL, &e), PGAL_EDENIED);
	assert_int_equal(pgal_session_check(f->g, f->tok, NULL, &e), PGAL_OK);
	/* idle expiry */
	pgal_set_clock(f->g, T0 + f->cfg.session_idle_secs + 10);
	assert_int_equal(pgal_session_check(f->g, f->tok, NULL, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "expired"));
}

static void
test_absolute_expiry(void **state)
{
	struct fx *f = *state;
	pgal_err e;
	int64_t t;

	make_user(f, "erin", f->tok);
	/* used every day, the session still ends after session_max_secs */
	for (t = T0; t < T0 + f->cfg.session_max_secs - 86400; t += 86400) {
		pgal_set_clock(f->g, t);
		assert_int_equal(pgal_session_check(f->g, f->tok, NULL, &e), PGAL_OK);
	}
	pgal_set_clock(f->g, T0 + f->cfg.session_max_secs + 1);
	assert_int_equal(pgal_session_check(f->g, f->tok, NULL, &e), PGAL_EDENIED);
}

static void
test_ownership(void **state)
{
	struct fx *f = *state;
	char tb[PGAL_TOKEN_HEX + 1];
	pgal_album a, *list;
	pgal_photo p;
	size_t n;
	pgal_err e;

	make_user(f, "alice", f->tok);
	make_user(f, "mallory", tb);
	assert_int_equal(pgal_album_create(f->g, f->tok, "trip", "Trip", NULL, &a, &e), PGAL_OK);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "trip", pgal_test_fixture("nikon-d2h-gps.jpg"),
					NULL, &p, &e), PGAL_OK);
	/* mallory sees none of it and can change none of it */
	assert_int_equal(pgal_album_list(f->g, tb, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(list);
	assert_int_equal(pgal_album_get(f->g, tb, "trip", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_photo_get(f->g, tb, "trip", p.name, &p, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_photo_update(f->g, tb, "trip", p.name, "x", NULL, NULL, NULL, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_photo_delete(f->g, tb, "trip", p.name, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_album_delete(f->g, tb, "trip", NULL, &e), PGAL_ENOTFOUND);
	/* the same album name is free for mallory */
	assert_int_equal(pgal_album_create(f->g, tb, "trip", NULL, NULL, &a, &e), PGAL_OK);
	assert_int_equal(pgal_photo_get(f->g, tb, "trip", p.name, &p, &e), PGAL_ENOTFOUND);
	/* alice's photo is untouched */
	assert_int_equal(pgal_photo_get(f->g, f->tok, "trip", p.name, &p, &e), PGAL_OK);
}

static void
test_ingest_and_delete(void **state)
{
	struct fx *f = *state;
	pgal_photo p, p2;
	pgal_put_opts o = { 0 };
	pgal_err e;
	int64_t deleted = -1;

	make_user(f, "frank", f->tok);
	assert_int_equal(pgal_album_create(f->g, f->tok, "iphone", NULL, NULL, NULL, &e), PGAL_OK);
	o.title = "Evening \x1b]0;pwned\x07walk";
	o.tags = "Street, night,street";
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone",
					pgal_test_fixture("iphone4s-lens.jpg"), &o, &p, &e), PGAL_OK);
	assert_null(strchr(p.title, '\x1b'));
	assert_null(strchr(p.title, '\x07'));
	assert_string_equal(p.tags, "night,street");
	assert_string_equal(p.exif.model, "iPhone 4S");
	assert_int_equal(p.exif.orientation, 6);
	/* orientation 6: displayed portrait */
	assert_true(p.height > p.width);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	/* the same bytes again: refused, then stored under a new name with force */
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone",
					pgal_test_fixture("iphone4s-lens.jpg"), NULL, &p2, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already"));
	o.force = 1;
	o.title = NULL;
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone",
					pgal_test_fixture("iphone4s-lens.jpg"), &o, &p2, &e), PGAL_OK);
	assert_string_equal(p2.name, "iphone4s-lens-2.jpg");
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 6);
	/* hostile files: refused, nothing stored */
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone", pgal_test_fixture("text.jpg"),
					NULL, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone", pgal_test_fixture("empty.jpg"),
					NULL, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone", pgal_test_fixture("bomb.png"),
					NULL, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "iphone", pgal_test_fixture("truncated.jpg"),
					NULL, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "nope", pgal_test_fixture("orient-1.jpg"),
					NULL, NULL, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 6);
	/* delete one photo, then the album with the other */
	assert_int_equal(pgal_photo_delete(f->g, f->tok, "iphone", p.name, &e), PGAL_OK);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	assert_int_equal(pgal_album_delete(f->g, f->tok, "iphone", &deleted, &e), PGAL_OK);
	assert_int_equal(deleted, 1);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 0);
}

static void
test_cancel_account(void **state)
{
	struct fx *f = *state;
	char other[PGAL_TOKEN_HEX + 1], tg[PGAL_TOKEN_HEX + 1];
	pgal_err e;

	make_user(f, "gina", f->tok);
	make_user(f, "hank", tg);
	assert_int_equal(pgal_album_create(f->g, f->tok, "a", NULL, NULL, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_album_create(f->g, tg, "a", NULL, NULL, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", pgal_test_fixture("orient-3.jpg"),
					NULL, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_photo_add(f->g, tg, "a", pgal_test_fixture("orient-3.jpg"),
					NULL, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_login(f->g, "gina", PW, other, &e), PGAL_OK);
	assert_int_equal(pgal_cancel_account(f->g, f->tok, "wrong password!", &e), PGAL_EDENIED);
	assert_int_equal(pgal_cancel_account(f->g, f->tok, PW, &e), PGAL_OK);
	/* every session of the account fails at once; the name is free again */
	assert_int_equal(pgal_session_check(f->g, other, NULL, &e), PGAL_EDENIED);
	assert_int_equal(pgal_login(f->g, "gina", PW, other, &e), PGAL_EDENIED);
	/* hank keeps his photo and its three blobs */
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	pgal_photo kept;
	assert_int_equal(pgal_photo_get(f->g, tg, "a", "orient-3.jpg", &kept, &e), PGAL_OK);
	assert_string_equal(kept.name, "orient-3.jpg");
}

static void
test_gc_orphans(void **state)
{
	struct fx *f = *state;
	char key[PGAL_BLOB_KEY_MAX], path[PATH_MAX + PGAL_BLOB_KEY_MAX];
	pgal_gc_stats st;
	pgal_err e;
	int fd;

	make_user(f, "ivan", f->tok);
	assert_int_equal(pgal_album_create(f->g, f->tok, "a", NULL, NULL, NULL, &e), PGAL_OK);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", pgal_test_fixture("orient-5.jpg"),
					NULL, NULL, &e), PGAL_OK);
	/* an orphan as a crash between blobs and row would leave */
	pgal_blob_key(key, "0123456789abcdef0123456789abcdef", PGAL_BLOB_ORIG);
	assert_true((size_t)snprintf(path, sizeof path, "%s/%s", f->cfg.blobs_dir, key) < sizeof path);
	{
		const pgal_blobs_ops *ops = pgal_blobs_find("fs");
		pgal_blobs *b;
		assert_int_equal(ops->open(&b, &f->cfg, &e), PGAL_OK);
		assert_int_equal(ops->put_mem(b, key, "x", 1, &e), PGAL_OK);
		ops->close(b);
	}
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 4);
	/* young orphans are kept (an ingest may be in flight) */
	pgal_set_clock(f->g, 0);
	assert_int_equal(pgal_gc(f->g, 3600, &st, &e), PGAL_OK);
	assert_int_equal(st.removed, 0);
	assert_int_equal(st.kept_young, 1);
	assert_int_equal(pgal_gc(f->g, 0, &st, &e), PGAL_OK);
	assert_int_equal(st.removed, 1);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	fd = open(path, O_RDONLY);
	assert_true(fd < 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signup_validation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_confirm_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_login_same_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ownership, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cancel_account, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_orphans, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
