/* The monotonic clock and the nap (core/clock.h): the clock reads
 * CLOCK_MONOTONIC in milliseconds, a nap lasts at least its time even when
 * a signal interrupts it, and a nap of zero or less returns at once. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <cmocka.h>

#include "clock.h"

static int64_t
mono_oracle_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
test_reads_monotonic_ms(void **state)
{
	int64_t before, now, after;

	(void)state;
	before = mono_oracle_ms();
	now = pgal_now_ms();
	after = mono_oracle_ms();
	assert_true(before <= now);
	assert_true(now <= after);
}

static void
test_sleep_lasts(void **state)
{
	int64_t t0, took;

	(void)state;
	t0 = mono_oracle_ms();
	pgal_sleep_ms(60);
	took = mono_oracle_ms() - t0;
	assert_true(took >= 60);
	/* generous: a loaded machine may run late, never seconds late */
	assert_true(took < 10000);
}

static volatile sig_atomic_t alarms;

static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void
test_sleep_resumes_after_signal(void **state)
{
	struct sigaction sa, old;
	struct itimerval tick, off;
	int64_t t0, took;

	(void)state;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;	/* no SA_RESTART: nanosleep gets EINTR */
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
	memset(&tick, 0, sizeof tick);
	tick.it_value.tv_usec = 20000;
	tick.it_interval.tv_usec = 20000;
	memset(&off, 0, sizeof off);
	alarms = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &tick, NULL), 0);
	t0 = mono_oracle_ms();
	pgal_sleep_ms(200);
	took = mono_oracle_ms() - t0;
	setitimer(ITIMER_REAL, &off, NULL);
	sigaction(SIGALRM, &old, NULL);
	assert_true(alarms > 0);
	assert_true(took >= 200);
}

static void
test_sleep_nothing(void **state)
{
	int64_t t0;

	(void)state;
	t0 = mono_oracle_ms();
	pgal_sleep_ms(0);
	pgal_sleep_ms(-1);
	pgal_sleep_ms(-1500);
	assert_true(mono_oracle_ms() - t0 < 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_monotonic_ms),
		cmocka_unit_test(test_sleep_lasts),
		cmocka_unit_test(test_sleep_resumes_after_signal),
		cmocka_unit_test(test_sleep_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
