/* The host-wide decoder slots (core/image/slots.c) between real processes:
 * never more holders than decoders_max, waiters served in the order they
 * came, and a holder or waiter killed with SIGKILL leaks nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/slots.h"
#include "testlib.h"

#define WAITERS 5

static pgal_config cfg;
static char home[PATH_MAX];

/* A process that takes a slot, writes its name to out, then holds the
 * slot until its stdin (the read end of hold) sees EOF. */
static pid_t
taker(char name, int out, int hold)
{
	pgal_decode_slot s;
	pgal_err e;
	pid_t pid;
	char c;
	int fd;

	pid = fork();
	assert_true(pid >= 0);
	if (pid != 0)
		return pid;
	/* no copy of another taker's hold pipe: its end must come */
	for (fd = 3; fd < 1024; fd++)
		if (fd != out && fd != hold)
			close(fd);
	if (pgal_decode_slot_take(&cfg, &s, &e) != PGAL_OK)
		_exit(2);
	if (write(out, &name, 1) != 1)
		_exit(3);
	while (read(hold, &c, 1) > 0)
		;
	pgal_decode_slot_give(&s);
	_exit(0);
}

static int
files_named(const char *prefix)
{
	char dir[PATH_MAX + 16];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof dir, "%s/decoders", home);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

static int
waiters_are(void *arg)
{
	return files_named("wait.") == *(int *)arg;
}

/* Bytes ready on fd within ms. */
static int
readable(int fd, int ms)
{
	fd_set r;
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	FD_ZERO(&r);
	FD_SET(fd, &r);
	return select(fd + 1, &r, NULL, NULL, &tv) > 0;
}

static void
reap(pid_t pid)
{
	int st;

	assert_int_equal(waitpid(pid, &st, 0), pid);
}

/* One slot, held here; five processes come one after another and wait;
 * each freed slot goes to the one that came first. */
static void
test_arrival_order(void **state)
{
	int out[2], hold[WAITERS][2], i, n;
	pid_t pid[WAITERS];
	pgal_decode_slot mine;
	char got[WAITERS + 1];
	pgal_err e;

	cfg.decoders_max = 1;
	assert_int_equal(pgal_decode_slot_take(&cfg, &mine, &e), PGAL_OK);
	assert_int_equal(pipe(out), 0);
	for (i = 0; i < WAITERS; i++) {
		assert_int_equal(pipe(hold[i]), 0);
		/* the letters in arrival order: a, b, c... */
		pid[i] = taker((char)('a' + i), out[1], hold[i][0]);
		close(hold[i][0]);
		n = i + 1;
		pgal_test_wait_until(10, "the waiter to queue", waiters_are, &n);
	}
	assert_false(readable(out[0], 100));
	pgal_decode_slot_give(&mine);
	for (i = 0; i < WAITERS; i++) {
		/* one holder at a time: the next comes only after a release */
		assert_true(readable(out[0], 10000));
		assert_int_equal(read(out[0], &got[i], 1), 1);
		assert_false(readable(out[0], 50));
		close(hold[got[i] - 'a'][1]);
	}
	got[WAITERS] = '\0';
	assert_string_equal(got, "abcde");
	for (i = 0; i < WAITERS; i++)
		reap(pid[i]);
	close(out[0]);
	close(out[1]);
	assert_int_equal(files_named("wait."), 0);
}

/* Two slots: two holders at once, never a third. */
static void
test_at_most_n(void **state)
{
	int out[2], hold[3][2], i;
	pid_t pid[3];
	char c;

	cfg.decoders_max = 2;
	assert_int_equal(pipe(out), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pipe(hold[i]), 0);
		pid[i] = taker((char)('a' + i), out[1], hold[i][0]);
		close(hold[i][0]);
	}
	for (i = 0; i < 2; i++) {
		assert_true(readable(out[0], 10000));
		assert_int_equal(read(out[0], &c, 1), 1);
	}
	assert_false(readable(out[0], 300));
	/* let them all go: the third gets a slot */
	for (i = 0; i < 3; i++)
		close(hold[i][1]);
	assert_true(readable(out[0], 10000));
	assert_int_equal(read(out[0], &c, 1), 1);
	for (i = 0; i < 3; i++)
		reap(pid[i]);
	close(out[0]);
	close(out[1]);
}

/* A holder and a waiter killed outright: the slot and the queue are free
 * again for the next one, at once. */
static void
test_killed_leak_nothing(void **state)
{
	int out[2], hold[3][2], i, n = 1;
	pid_t pid[3];
	char c;

	cfg.decoders_max = 1;
	assert_int_equal(pipe(out), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pipe(hold[i]), 0);
	pid[0] = taker('a', out[1], hold[0][0]);
	assert_true(readable(out[0], 10000));
	assert_int_equal(read(out[0], &c, 1), 1);
	pid[1] = taker('b', out[1], hold[1][0]);
	pgal_test_wait_until(10, "b to queue", waiters_are, &n);
	/* b dies while waiting, then a while holding */
	kill(pid[1], SIGKILL);
	reap(pid[1]);
	kill(pid[0], SIGKILL);
	reap(pid[0]);
	pid[2] = taker('c', out[1], hold[2][0]);
	assert_true(readable(out[0], 10000));
	assert_int_equal(read(out[0], &c, 1), 1);
	assert_int_equal(c, 'c');
	close(hold[2][1]);
	reap(pid[2]);
	/* b's ticket was left behind and is gone now */
	assert_int_equal(files_named("wait."), 0);
	for (i = 0; i < 3; i++) {
		close(hold[i][0]);
		if (i != 2)
			close(hold[i][1]);
	}
	close(out[0]);
	close(out[1]);
}

static int
setup(void **state)
{
	pgal_test_mkdtemp(home);
	pgal_config_defaults(&cfg);
	snprintf(cfg.home, sizeof cfg.home, "%s", home);
	return 0;
}

static int
teardown(void **state)
{
	pgal_test_rmdir(home);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arrival_order),
		cmocka_unit_test(test_at_most_n),
		cmocka_unit_test(test_killed_leak_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
