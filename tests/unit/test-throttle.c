/* The password throttle (core/limits/throttle.h): its arithmetic, the source of
 * an address, and what every password check of the core does with it on
 * the default store: a source and a (name, source) pair over their rate
 * are refused alike for accounts and unknown names, failures from other
 * addresses never refuse the owner, the owner is mailed once, passwd and
 * cancel count the same way, and every check is logged once. */
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
#define WRONG "wrong password!"
#define T0 1700000000

struct fx {
	pgal_config cfg;
	pgal *g;
	char tok[PGAL_TOKEN_HEX + 1];
	char log[64][400];
	int nlog;
};

static void
collect(void *arg, const char *line)
{
	struct fx *f = arg;

	if (f->nlog < 64)
		snprintf(f->log[f->nlog++], sizeof f->log[0], "%s", line);
}

/* Lines of the log holding both a and b. */
static int
logged(const struct fx *f, const char *a, const char *b)
{
	int i, n = 0;

	for (i = 0; i < f->nlog; i++)
		n += strstr(f->log[i], a) != NULL && strstr(f->log[i], b) != NULL;
	return n;
}

static void
from(struct fx *f, const char *addr)
{
	pgal_set_client(f->g, addr, "test", collect, f);
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	pgal_err e;

	*state = f;
	if (f == NULL || pgal_test_gallery_open(&f->cfg, &f->g, T0) != 0)
		return -1;
	if (pgal_test_user(f->g, &f->cfg, "carol", PW, f->tok, &e) != PGAL_OK) {
		fprintf(stderr, "user: %s\n", e.msg);
		return -1;
	}
	pgal_test_outbox_clear(&f->cfg);
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	pgal_test_gallery_close(&f->cfg, f->g);
	free(f);
	return 0;
}

static void
test_rate_arithmetic(void **state)
{
	const pgal_rate r = { 5, 600 };
	int k;

	/* from rest, the mark after k events is k intervals ahead: the
	 * first `burst` fit, each further one waits one more interval */
	for (k = 1; k <= 5; k++)
		assert_int_equal(pgal_rate_wait(&r, T0 + k * 600, T0), 0);
	assert_int_equal(pgal_rate_wait(&r, T0 + 6 * 600, T0), 600);
	assert_int_equal(pgal_rate_wait(&r, T0 + 7 * 600, T0), 1200);
	/* time drains it */
	assert_int_equal(pgal_rate_wait(&r, T0 + 6 * 600, T0 + 600), 0);
	/* burst at once, then one per interval */
	assert_int_equal(pgal_rate_most(&r, 3600), 5 + 3600 / 600);
	assert_int_equal(pgal_rate_most(&pgal_rate_pair, 3600),
	    pgal_rate_pair.burst + 3600 / pgal_rate_pair.interval);
	/* what 1000 addresses get in an hour against one name is bounded by
	 * the pair rate, against many names by the source rate */
	assert_true(1000 * pgal_rate_most(&pgal_rate_pair, 3600) <=
	    1000 * pgal_rate_most(&pgal_rate_source, 3600));
}

static void
test_source_of(void **state)
{
	char s[PGAL_SOURCE_MAX];

	pgal_source_of("192.0.2.7", s);
	assert_string_equal(s, "192.0.2.7");
	pgal_source_of("::ffff:192.0.2.7", s);
	assert_string_equal(s, "192.0.2.7");
	pgal_source_of("2001:db8:1:2:aaaa:bbbb:cccc:dddd", s);
	assert_string_equal(s, "2001:db8:1:2::/64");
	pgal_source_of("2001:db8:1:2::1", s);
	assert_string_equal(s, "2001:db8:1:2::/64");
	pgal_source_of("2001:db8:1:3::1", s);
	assert_string_equal(s, "2001:db8:1:3::/64");
	pgal_source_of("local", s);
	assert_string_equal(s, "local");
	pgal_source_of("1.2.3.4\n; DROP", s);
	assert_string_equal(s, "local");
	pgal_source_of(NULL, s);
	assert_string_equal(s, "local");
}

/* Strangers' failures from many addresses never refuse the owner at a
 * clean address; one address is refused after the pair's burst, with the
 * same words for the account and for an unknown name. */
static void
test_pair_and_strangers(void **state)
{
	struct fx *f = *state;
	char tok[PGAL_TOKEN_HEX + 1], addr[32], m1[512];
	pgal_err e;
	int i, k;

	for (i = 0; i < 10; i++) {
		snprintf(addr, sizeof addr, "198.51.100.%d", i + 1);
		from(f, addr);
		for (k = 0; k < pgal_rate_pair.burst; k++)
			assert_int_equal(pgal_login(f->g, "carol", WRONG, tok, &e), PGAL_EDENIED);
	}
	/* the 6th try of one of them is not judged, even the right password */
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "too many failed logins"));
	snprintf(m1, sizeof m1, "%s", e.msg);
	/* an unknown name from a fresh address, after the same failures */
	from(f, "198.51.100.200");
	for (k = 0; k < pgal_rate_pair.burst; k++)
		assert_int_equal(pgal_login(f->g, "nobody", WRONG, tok, &e), PGAL_EDENIED);
	assert_int_equal(pgal_login(f->g, "nobody", PW, tok, &e), PGAL_EDENIED);
	assert_string_equal(e.msg, m1);
	/* 55 failures from elsewhere: the owner from a clean address gets in */
	from(f, "203.0.113.9");
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_OK);
	/* one interval later the throttled address may try again */
	pgal_set_clock(f->g, T0 + pgal_rate_pair.interval);
	from(f, "198.51.100.10");
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_OK);
	/* the owner was told once, though failures went on */
	assert_int_equal(pgal_test_count_files(f->cfg.outbox_dir), 1);
	from(f, "198.51.100.1");
	assert_int_equal(pgal_login(f->g, "carol", WRONG, tok, &e), PGAL_EDENIED);
	assert_int_equal(pgal_test_count_files(f->cfg.outbox_dir), 1);
}

/* One address across many names: refused after the source's burst. */
static void
test_source(void **state)
{
	struct fx *f = *state;
	char tok[PGAL_TOKEN_HEX + 1], name[32];
	pgal_err e;
	int i;

	from(f, "2001:db8:7:7::1");
	for (i = 0; i < pgal_rate_source.burst; i++) {
		snprintf(name, sizeof name, "user%d", i);
		assert_int_equal(pgal_login(f->g, name, WRONG, tok, &e), PGAL_EDENIED);
		assert_null(strstr(e.msg, "too many"));
	}
	/* another address of the same /64 is the same source */
	from(f, "2001:db8:7:7:ffff::2");
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "too many failed logins"));
	assert_int_equal(logged(f, "from 2001:db8:7:7:ffff::2", "refused: throttled"), 1);
	assert_int_equal(logged(f, "user user3 from 2001:db8:7:7::1", "refused: wrong password"), 1);
	/* the next /64 is not */
	from(f, "2001:db8:7:8::1");
	assert_int_equal(pgal_login(f->g, "carol", PW, tok, &e), PGAL_OK);
	assert_int_equal(logged(f, "user carol from 2001:db8:7:8::1", "right password"), 1);
}

/* One simulated hour of an address trying every 10 s: how many of its
 * guesses are judged, at one name (the pair's rate) and at a new name
 * each time (the source's rate). 1000 addresses get 1000 times that. */
static int
hour_of_guessing(struct fx *f, const char *addr, int same_name)
{
	char tok[PGAL_TOKEN_HEX + 1], name[32];
	int judged = 0, t;
	pgal_err e;

	from(f, addr);
	for (t = 0; t < 3600; t += 10) {
		pgal_set_clock(f->g, T0 + t);
		if (same_name)
			snprintf(name, sizeof name, "carol");
		else
			snprintf(name, sizeof name, "name%d", t);
		assert_int_equal(pgal_login(f->g, name, WRONG, tok, &e), PGAL_EDENIED);
		judged += strstr(e.msg, "too many") == NULL;
	}
	return judged;
}

static void
test_hour_of_guessing(void **state)
{
	struct fx *f = *state;
	int one = hour_of_guessing(f, "198.51.100.77", 1);
	int many = hour_of_guessing(f, "198.51.100.78", 0);

	print_message("one address, one hour: %d guesses at one name, %d across names\n", one,
	    many);
	assert_true(one <= pgal_rate_most(&pgal_rate_pair, 3600));
	assert_true(one >= pgal_rate_most(&pgal_rate_pair, 3600) - 1);
	assert_true(many <= pgal_rate_most(&pgal_rate_source, 3600));
	assert_true(many >= pgal_rate_most(&pgal_rate_source, 3600) - 1);
}

/* passwd and cancel check the password again: counted the same way. */
static void
test_session_checks(void **state)
{
	struct fx *f = *state;
	pgal_err e;
	int i;

	from(f, "192.0.2.50");
	for (i = 0; i < pgal_rate_pair.burst; i++)
		assert_int_equal(pgal_passwd(f->g, f->tok, WRONG, "a new password", &e),
		    PGAL_EDENIED);
	assert_int_equal(pgal_cancel_account(f->g, f->tok, PW, &e), PGAL_EDENIED);
	assert_non_null(strstr(e.msg, "too many failed logins"));
	assert_int_equal(pgal_passwd(f->g, f->tok, PW, "a new password", &e), PGAL_EDENIED);
	assert_int_equal(logged(f, "password passwd: user carol from 192.0.2.50",
	    "refused: wrong password"), pgal_rate_pair.burst);
	assert_int_equal(logged(f, "password cancel: user carol", "refused: throttled"), 1);
	/* the account is still there and its password unchanged */
	from(f, "192.0.2.51");
	assert_int_equal(pgal_passwd(f->g, f->tok, PW, "a new password", &e), PGAL_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_arithmetic),
		cmocka_unit_test(test_source_of),
		cmocka_unit_test_setup_teardown(test_pair_and_strangers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_source, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hour_of_guessing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
