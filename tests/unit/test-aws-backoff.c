/* The AWS retry wait (core/aws/aws.h pgal_aws_backoff_ms): the ceiling
 * doubles per attempt from the base up to the cap, the wait is the random
 * value reduced to [0, ceiling] (every value reachable), and no base, cap
 * or attempt count overflows it. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "aws/aws.h"

/* The largest wait an attempt can bring: rnd == ceiling gives it, one
 * more wraps to 0. */
static void
assert_ceiling(long base, long cap, int attempt, long ceiling)
{
	assert_int_equal(pgal_aws_backoff_ms(base, cap, attempt, (uint64_t)ceiling), ceiling);
	assert_int_equal(pgal_aws_backoff_ms(base, cap, attempt, (uint64_t)ceiling + 1), 0);
}

static void
test_doubles_to_the_cap(void **state)
{
	(void)state;
	/* the HTTP client's defaults */
	assert_ceiling(100, 5000, 0, 100);
	assert_ceiling(100, 5000, 1, 200);
	assert_ceiling(100, 5000, 3, 800);
	assert_ceiling(100, 5000, 5, 3200);
	assert_ceiling(100, 5000, 6, 5000);
	assert_ceiling(100, 5000, 1000, 5000);
	/* DynamoDB's batch resends */
	assert_ceiling(50, 2000, 5, 1600);
	assert_ceiling(50, 2000, 6, 2000);
	/* a base above the cap waits at most the cap */
	assert_ceiling(9000, 5000, 0, 5000);
}

static void
test_full_jitter(void **state)
{
	int seen[41] = { 0 };
	uint64_t r;
	long ms;
	int i;

	(void)state;
	/* base 10, attempt 2: ceiling 40, each of 0..40 once per 41 values */
	for (r = 1000; r < 1000 + 41; r++) {
		ms = pgal_aws_backoff_ms(10, 1000, 2, r);
		assert_true(ms >= 0 && ms <= 40);
		seen[ms]++;
	}
	for (i = 0; i <= 40; i++)
		assert_int_equal(seen[i], 1);
	assert_int_equal(pgal_aws_backoff_ms(100, 5000, 3, 50), 50);
}

static void
test_no_overflow(void **state)
{
	long ms;

	(void)state;
	assert_ceiling(1, LONG_MAX, 62, 1L << 62);
	ms = pgal_aws_backoff_ms(1, LONG_MAX, 200, UINT64_MAX);
	assert_true(ms >= 0);
	ms = pgal_aws_backoff_ms(LONG_MAX / 2 + 1, LONG_MAX, 5, UINT64_MAX);
	assert_true(ms >= 0);
	assert_ceiling(LONG_MAX / 2 + 1, LONG_MAX, 5, LONG_MAX);
}

static void
test_nothing_to_wait(void **state)
{
	(void)state;
	assert_int_equal(pgal_aws_backoff_ms(0, 5000, 3, 12345), 0);
	assert_int_equal(pgal_aws_backoff_ms(-5, 5000, 3, 12345), 0);
	assert_int_equal(pgal_aws_backoff_ms(100, 0, 3, 12345), 0);
	/* no attempt count below the first: the base */
	assert_ceiling(100, 5000, -3, 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doubles_to_the_cap),
		cmocka_unit_test(test_full_jitter),
		cmocka_unit_test(test_no_overflow),
		cmocka_unit_test(test_nothing_to_wait),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
