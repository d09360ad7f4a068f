/* Share link durations: every unit, the 7-day SigV4 ceiling from both
 * sides, and malformed text (checked against a reference parser written
 * here from the rule: 1 to 7 digits, then at most one of s m h d). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "gallery.h"

static int64_t
ttl(const char *s)
{
	int64_t v = -1;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_share_parse_ttl(s, &v, &e) != PGAL_OK) {
		assert_int_equal(e.code, PGAL_EUSAGE);
		assert_true(e.msg[0] != '\0');
		return -1;
	}
	return v;
}

static void
test_units(void **state)
{
	assert_int_equal(ttl("1"), 1);
	assert_int_equal(ttl("90"), 90);
	assert_int_equal(ttl("90s"), 90);
	assert_int_equal(ttl("30m"), 30 * 60);
	assert_int_equal(ttl("1h"), 3600);
	assert_int_equal(ttl("36h"), 36 * 3600);
	assert_int_equal(ttl("2d"), 2 * 86400);
	assert_int_equal(ttl("007m"), 7 * 60);
}

static void
test_bounds(void **state)
{
	assert_int_equal(ttl("7d"), 604800);
	assert_int_equal(ttl("168h"), 604800);
	assert_int_equal(ttl("10080m"), 604800);
	assert_int_equal(ttl("604800"), 604800);
	assert_int_equal(ttl("604801"), -1);
	assert_int_equal(ttl("10081m"), -1);
	assert_int_equal(ttl("169h"), -1);
	assert_int_equal(ttl("8d"), -1);
	assert_int_equal(ttl("0"), -1);
	assert_int_equal(ttl("0s"), -1);
	assert_int_equal(ttl("0d"), -1);
	/* long digit runs never overflow into a small value */
	assert_int_equal(ttl("18446744073709551617"), -1);
	assert_int_equal(ttl("9223372036854775808s"), -1);
	assert_int_equal(PGAL_SHARE_TTL_MAX, 7 * 24 * 3600);
}

static void
test_malformed(void **state)
{
	static const char *bad[] = {
		"", "s", "h", "-1", "+5", " 5", "5 ", "1w", "1hh", "1h30m", "1.5h",
		"5S", "5H", "0x10", "1e3", "5\n", "5m\x01", "\xe2\x80\x8b" "5",
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ttl(bad[i]), -1);
	assert_int_equal(ttl(NULL), -1);
}

/* random short strings over a small alphabet against the rule */
static void
test_against_reference(void **state)
{
	static const char alpha[] = "0000123456789smhdx -";
	unsigned int seed = 7;
	int i;

	for (i = 0; i < 100000; i++) {
		char s[12];
		size_t len = rand_r(&seed) % 9, j, digits;
		int64_t want = -1, v = 0, unit = 1;

		for (j = 0; j < len; j++)
			s[j] = alpha[rand_r(&seed) % (sizeof alpha - 1)];
		s[len] = '\0';
		for (digits = 0; s[digits] >= '0' && s[digits] <= '9'; digits++)
			v = v * 10 + (s[digits] - '0');
		if (digits > 0 && digits <= 7 && (s[digits] == '\0' || (strchr("smhd", s[digits]) != NULL &&
		    s[digits + 1] == '\0'))) {
			switch (s[digits]) {
			case 'm': unit = 60; break;
			case 'h': unit = 3600; break;
			case 'd': unit = 86400; break;
			}
			if (v * unit >= 1 && v * unit <= 604800)
				want = v * unit;
		}
		if (ttl(s) != want)
			fail_msg("'%s': got %lld, want %lld", s, (long long)ttl(s),
			    (long long)want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
