/* Sign-up abuse (core/limits/signup.h) on the default store, with the
 * gallery's clock moved by the test: a resend inside its cool-down mails
 * nothing and says when; a resend never takes back a code still within
 * code_ttl_secs, nor do strangers' wrong codes; codes per account, mails per
 * address and per source are bounded; an account never confirmed frees its
 * name after code_ttl_secs
 * (pgal gc, or a sign-up that wants the name). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gallery.h"
#include "testgallery.h"
#include "testlib.h"
#include "limits/throttle.h"

#define PW "correct horse battery"
#define T0 1700000000
#define DAY 86400

struct fx {
	pgal_config cfg;
	pgal *g;
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

static int
mails(struct fx *f)
{
	return pgal_test_count_files(f->cfg.outbox_dir);
}

static void
test_resend_cooldown(void **state)
{
	struct fx *f = *state;
	pgal_err e;

	assert_int_equal(pgal_signup(f->g, "bob", "bob@example.org", PW, &e), PGAL_OK);
	assert_int_equal(mails(f), 1);
	/* ten Ctrl-Rs in the first seconds: nothing more is sent */
	pgal_set_clock(f->g, T0 + 10);
	assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "no mail sent"));
	assert_non_null(strstr(e.msg, "the next can be sent in 50 s"));
	assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_EDENIED);
	assert_int_equal(mails(f), 1);
	/* refusals do not push the next one further away */
	pgal_set_clock(f->g, T0 + 60);
	assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_OK);
	assert_int_equal(mails(f), 2);
}

static void
test_resend_keeps_codes(void **state)
{
	struct fx *f = *state;
	char first[32], code[32];
	pgal_err e;
	int i;

	assert_int_equal(pgal_signup(f->g, "bob", "bob@example.org", PW, &e), PGAL_OK);
	pgal_test_outbox_code(&f->cfg, first);
	/* a stranger asks for new codes as often as allowed */
	for (i = 1; i < 5; i++) {
		pgal_set_clock(f->g, T0 + 60 * i);
		assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_OK);
	}
	pgal_test_outbox_code(&f->cfg, code);
	assert_string_not_equal(code, first);
	/* the sixth code within a day is refused: the live codes stay few */
	pgal_set_clock(f->g, T0 + 60 * 5);
	assert_int_equal(pgal_resend_code(f->g, "bob", &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "no mail sent"));
	assert_int_equal(mails(f), 5);
	/* the code bob got first still confirms */
	assert_int_equal(pgal_confirm(f->g, "bob", first, &e), PGAL_OK);
}

/* Wrong codes from a stranger's address use up that address' tries only. */
static void
test_strangers_tries(void **state)
{
	struct fx *f = *state;
	char code[32];
	pgal_err e;
	int i;

	pgal_set_client(f->g, "192.0.2.10", "test", NULL, NULL);
	assert_int_equal(pgal_signup(f->g, "bob", "bob@example.org", PW, &e), PGAL_OK);
	pgal_test_outbox_code(&f->cfg, code);
	pgal_set_client(f->g, "203.0.113.66", "test", NULL, NULL);
	for (i = 0; i < f->cfg.code_tries; i++)
		assert_int_equal(pgal_confirm(f->g, "bob", "2222222222", &e), PGAL_EDENIED);
	assert_int_equal(pgal_confirm(f->g, "bob", code, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "too many wrong codes"));
	/* bob, from his own address, is not held up */
	pgal_set_client(f->g, "192.0.2.10", "test", NULL, NULL);
	assert_int_equal(pgal_confirm(f->g, "bob", code, &e), PGAL_OK);
}

static void
test_address_limit(void **state)
{
	struct fx *f = *state;
	char tok[PGAL_TOKEN_HEX + 1];
	pgal_err e;

	assert_int_equal(pgal_signup(f->g, "carl", "inbox@example.org", PW, &e), PGAL_OK);
	/* another name, the same inbox in other letters: no mail, no account */
	pgal_set_clock(f->g, T0 + 1);
	assert_int_equal(pgal_signup(f->g, "dana", "INBOX@Example.org", PW, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "to this mail address"));
	assert_int_equal(mails(f), 1);
	assert_int_equal(pgal_login(f->g, "dana", PW, tok, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "wrong user name or password"));
	pgal_set_clock(f->g, T0 + 61);
	assert_int_equal(pgal_signup(f->g, "dana", "inbox@example.org", PW, &e), PGAL_OK);
	assert_int_equal(mails(f), 2);
}

static void
test_source_limit(void **state)
{
	struct fx *f = *state;
	char name[32], mail[64];
	pgal_err e;
	int i;

	pgal_set_client(f->g, "192.0.2.77", "test", NULL, NULL);
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof name, "user%d", i);
		snprintf(mail, sizeof mail, "user%d@example.org", i);
		assert_int_equal(pgal_signup(f->g, name, mail, PW, &e), PGAL_OK);
	}
	assert_int_equal(pgal_signup(f->g, "user10", "user10@example.org", PW, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "from your address"));
	assert_int_equal(mails(f), 10);
	pgal_set_client(f->g, "192.0.2.78", "test", NULL, NULL);
	assert_int_equal(pgal_signup(f->g, "user10", "user10@example.org", PW, &e), PGAL_OK);
}

static void
test_gc_frees_names(void **state)
{
	struct fx *f = *state;
	char tok[PGAL_TOKEN_HEX + 1];
	pgal_gc_stats st;
	pgal_err e;

	assert_int_equal(pgal_signup(f->g, "squat", "squat@example.org", PW, &e), PGAL_OK);
	assert_int_equal(pgal_test_user(f->g, &f->cfg, "owner", PW, tok, &e), PGAL_OK);
	/* within code_ttl_secs the name is held */
	pgal_set_clock(f->g, T0 + DAY);
	assert_int_equal(pgal_gc(f->g, 0, &st, &e), PGAL_OK);
	assert_int_equal(pgal_signup(f->g, "squat", "me@example.org", PW, &e), PGAL_EINPUT);
	/* after it, pgal gc removes the account, not the confirmed one */
	pgal_set_clock(f->g, T0 + DAY + 1);
	assert_int_equal(pgal_gc(f->g, 0, &st, &e), PGAL_OK);
	assert_int_equal(pgal_login(f->g, "owner", PW, tok, &e), PGAL_OK);
	assert_int_equal(pgal_signup(f->g, "squat", "me@example.org", PW, &e), PGAL_OK);
}

static void
test_signup_reclaims_name(void **state)
{
	struct fx *f = *state;
	pgal_err e;

	assert_int_equal(pgal_signup(f->g, "squat", "squat@example.org", PW, &e), PGAL_OK);
	pgal_set_clock(f->g, T0 + DAY + 1);
	/* no gc ran: the sign-up itself frees the name */
	assert_int_equal(pgal_signup(f->g, "squat", "me@example.org", PW, &e), PGAL_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resend_cooldown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resend_keeps_codes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strangers_tries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_address_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_frees_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signup_reclaims_name, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
