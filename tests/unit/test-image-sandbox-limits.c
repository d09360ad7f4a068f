/* The sandboxed decoder (core/image/sandbox.c): its limits. A child that
 * spins, hangs or makes a forbidden call is stopped and named; one killed
 * mid-decode is a clean error; decode_memory_max binds the decoder; and
 * after many runs no descriptor, child or file offset has leaked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/resource.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "image/sandbox.h"
#include "testlib.h"
#include "testsandbox.h"

/* The decoder child is this program run again: the probes must be in it
 * (the weak symbol of core/image/sandbox.h, which only the sandbox tests
 * define). */
int
pgal_image_sandbox_test_hook(const char *what)
{
	return pgal_sbx_hook(what);
}

static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

/* ---- tests ---- */

static void
test_stopped(void **state)
{
	pgal_err e;
	int st;

	/* CPU limit: SIGXCPU */
	assert_int_equal(pgal_sbx_run_hook("spin", 1, 30, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGXCPU);
	assert_string_equal(e.msg, "the decoder was stopped: it used more than "
	    "1 s of CPU time");
	/* wall clock: killed from here */
	assert_int_equal(pgal_sbx_run_hook("sleep", 0, 1, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_string_equal(e.msg, "the decoder was stopped: it ran longer "
	    "than 1 s");
#if defined(__x86_64__)
	/* a call by another ABI: the filter kills with SIGSYS */
	assert_int_equal(pgal_sbx_run_hook("i386", 0, 0, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
	assert_string_equal(e.msg, "the decoder was stopped: it made a system "
	    "call the sandbox forbids");
#endif
}

struct killer {
	pid_t parent;
	int killed;
	int done;		/* the decode returned: stop looking (atomic) */
};

/* Kills our pgal-decode child once it has used 150 ms of CPU time (libvips
 * is started by then and the decode under way); gives up when the decode
 * returned first. */
static int
kill_busy_decoder(void *arg)
{
	struct killer *k = arg;
	long cpu_ms;
	pid_t pid;

	if (__atomic_load_n(&k->done, __ATOMIC_SEQ_CST)) {
		print_error("ERROR: the decode returned before it used 150 ms of CPU time\n");
		return -1;
	}
	pid = pgal_sbx_find_decoder(k->parent, &cpu_ms);
	if (pid > 0 && cpu_ms >= 150) {
		kill(pid, SIGKILL);
		k->killed = 1;
	}
	return k->killed;
}

static void *
killer_main(void *arg)
{
	/* a thread: only reports; the test checks k->killed after the join */
	pgal_test_wait(10, "the pgal-decode child to use 150 ms of CPU time",
	    kill_busy_decoder, arg);
	return NULL;
}

static void
test_killed_mid_decode(void **state)
{
	struct killer k = { getpid(), 0, 0 };
	pgal_image_sandbox_opts o = { 0, 0, NULL, 0 };
	pgal_image_result r;
	pthread_t th;
	pgal_err e;
	int fd, st, rc;

	fd = pgal_sbx_open_fixture("big-24mp.png");
	assert_int_equal(pthread_create(&th, NULL, killer_main, &k), 0);
	rc = pgal_image_sandbox_run(fd, PGAL_IMG_PNG, 100000000, 256, 1600, &o,
	    &r, &st, &e);
	__atomic_store_n(&k.done, 1, __ATOMIC_SEQ_CST);
	pthread_join(th, NULL);
	close(fd);
	if (!k.killed && rc == PGAL_OK)
		pgal_image_result_free(&r);
	assert_true(k.killed);
	assert_int_equal(rc, PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_true(strncmp(e.msg, "the decoder was stopped: signal 9", 33) == 0);
	assert_null(r.preview.data);
	assert_null(r.thumb.data);
}

/* The result of one decode run from a fork of this process, so that the
 * decoder is the fork's only child and RUSAGE_CHILDREN its peak alone. */
struct peak_run {
	int rc;
	long peak_kb;
	char msg[sizeof(((pgal_err *)0)->msg)];
};

static void
decode_in_fork(const char *path, int64_t memory_max, struct peak_run *out)
{
	pgal_image_sandbox_opts o = { 0, 0, NULL, memory_max };
	pgal_image_result r;
	struct rusage ru;
	pgal_err e;
	int p[2], fd, st;
	pid_t pid;

	memset(out, 0, sizeof *out);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(p[0]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		pgal_err_clear(&e);
		out->rc = pgal_image_sandbox_run(fd, PGAL_IMG_PNG, 100000000, 64, 200,
		    &o, &r, &st, &e);
		if (out->rc == PGAL_OK)
			pgal_image_result_free(&r);
		getrusage(RUSAGE_CHILDREN, &ru);
		out->peak_kb = ru.ru_maxrss;
		snprintf(out->msg, sizeof out->msg, "%s", e.msg);
		_exit(write(p[1], out, sizeof *out) == (ssize_t)sizeof *out ? 0 : 1);
	}
	close(p[1]);
	assert_int_equal(read(p[0], out, sizeof *out), (ssize_t)sizeof *out);
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* decode_memory_max binds the decoder itself: a 16-bit interlaced PNG of
 * 5000x5000 (a few hundred kB) must be held whole, 150 MB. With 64 MB the
 * decoder cannot map it and the upload is refused saying why; with room it
 * decodes, and its peak shows the 150 MB the limited one never held. */
static void
test_memory_limit(void **state)
{
	const int64_t held = INT64_C(5000) * 5000 * 6, mb = INT64_C(1) << 20;
	char path[PATH_MAX + 32], cmd[3 * PATH_MAX], asan[1024], *was;
	struct peak_run limited, roomy;

	/* a sanitizer build's decoder: a failed allocation returns NULL, as
	 * malloc does, instead of ending the process */
	was = getenv("ASAN_OPTIONS") != NULL ? strdup(getenv("ASAN_OPTIONS")) : NULL;
	snprintf(asan, sizeof asan, "%s%sallocator_may_return_null=1",
	    was != NULL ? was : "", was != NULL && *was != '\0' ? ":" : "");
	assert_int_equal(setenv("ASAN_OPTIONS", asan, 1), 0);

	snprintf(path, sizeof path, "%s/bomb.png", pgal_sbx_scratch);
	/* run from the top of the tree, as tests/run.sh does */
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 tests/lib/make-png.py '%s' "
	    "5000 5000 16 2 1", path);
	assert_int_equal(system(cmd), 0);

	print_message("# the image held whole: %lld MB\n", (long long)(held / mb));
	decode_in_fork(path, 64 * mb, &limited);
	print_message("# 64 MB limit: rc %d, decoder peak %ld kB: %s\n", limited.rc,
	    limited.peak_kb, limited.msg);
	decode_in_fork(path, 0, &roomy);
	print_message("# default limit: rc %d, decoder peak %ld kB\n", roomy.rc,
	    roomy.peak_kb);
	if (was != NULL)
		setenv("ASAN_OPTIONS", was, 1);
	else
		unsetenv("ASAN_OPTIONS");
	free(was);
	assert_int_equal(limited.rc, PGAL_EINPUT);
	assert_non_null(strstr(limited.msg, "limit is 64 MB (decode_memory_max)"));
	assert_int_equal(roomy.rc, PGAL_OK);
#if !defined(__SANITIZE_ADDRESS__)
	/* (a process's peak survives its exec: under ASan the fork of this
	 * test program, hundreds of MB, is all either peak shows) */
	assert_true((roomy.peak_kb - limited.peak_kb) * 1024 > held / 2);
#endif
}

/* Descriptors, children and the caller's file offset after many runs. */
static void
test_no_leaks(void **state)
{
	pgal_image_result r, ref;
	char path[1200];
	pgal_err e;
	int before, fd, i, st;
	off_t off;

	snprintf(path, sizeof path, "%s/orient-6.jpg", pgal_sbx_fixtures);
	assert_int_equal(pgal_image_process(path, PGAL_IMG_JPEG, 100000000, 16,
	    64, &ref, &e), PGAL_OK);
	before = count_fds();
	fd = pgal_sbx_open_fixture("orient-6.jpg");
	assert_int_equal(lseek(fd, 7, SEEK_SET), 7);
	for (i = 0; i < 10; i++) {
		assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG,
		    100000000, 16, 64, &r, &e), PGAL_OK);
		pgal_sbx_same_rendition(&r.preview, &ref.preview);
		pgal_image_result_free(&r);
		pgal_sbx_run_hook("lie-big-preview", 0, 0, &st, &e);
		pgal_sbx_run_hook("flood", 0, 30, &st, &e);
		if (i < 2)
			pgal_sbx_run_hook("sleep", 0, 1, &st, &e);
	}
	/* started, then not wanted (a duplicate): killed and reaped */
	for (i = 0; i < 5; i++) {
		pgal_image_job *j = NULL;

		assert_int_equal(pgal_image_sandbox_start(fd, PGAL_IMG_JPEG,
		    100000000, 16, 64, NULL, &j, &e), PGAL_OK);
		assert_non_null(j);
		pgal_image_sandbox_cancel(j);
	}
	pgal_image_sandbox_cancel(NULL);
	off = lseek(fd, 0, SEEK_CUR);
	assert_int_equal(off, 7);
	close(fd);
	assert_int_equal(count_fds(), before);
	pgal_image_result_free(&ref);
	/* every child reaped */
	assert_int_equal(waitpid(-1, &st, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stopped),
		cmocka_unit_test(test_killed_mid_decode),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_no_leaks),
	};

	return cmocka_run_group_tests(tests, pgal_sbx_setup, pgal_sbx_teardown);
}
