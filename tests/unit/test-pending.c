/* The records of queued uploads (sshd/pending.c, compiled in here: the
 * unit tests link the core library only): written, found, listed, found by
 * hash, forgotten; one left by a process that is gone (or whose pid now
 * names another process) counts as absent and is removed; a wait ends
 * when the record goes, the waiter's own work running meanwhile. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../../sshd/pending.c"
#include "testlib.h"

#define SHA "5f9c4ab08cac7457e9111a30e4664920607ea2c115a1433d7be98e97e64244ca"

static int
setup(void **state)
{
	pgal_config *c = calloc(1, sizeof *c);

	pgal_test_config(c);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	pgal_config *c = *state;

	pgal_test_rmdir(c->home);
	free(c);
	return 0;
}

static void
written_found_forgotten(void **state)
{
	pgal_config *c = *state;
	struct sshd_pending_rec r, *v;
	size_t n;

	sshd_pending_note(c, "ida", "trip", "a.jpg", 1234, 1700000000, 1262304000, SHA);
	sshd_pending_note(c, "ida", "trip", "b.jpg", 99, 1700000001, 0, NULL);
	assert_int_equal(sshd_pending_find(c, "ida", "trip", "a.jpg", &r), 0);
	assert_string_equal(r.album, "trip");
	assert_string_equal(r.name, "a.jpg");
	assert_int_equal(r.bytes, 1234);
	assert_int_equal(r.queued_at, 1700000000);
	assert_int_equal(r.mtime, 1262304000);
	assert_string_equal(r.sha256, SHA);
	/* another user, album or name: none */
	assert_int_equal(sshd_pending_find(c, "bob", "trip", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_find(c, "ida", "other", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_list(c, "ida", "trip", &v, &n), 0);
	assert_int_equal(n, 2);
	free(v);
	assert_int_equal(sshd_pending_find_sha(c, "ida", SHA, &r), 0);
	assert_string_equal(r.name, "a.jpg");
	assert_int_equal(sshd_pending_find_sha(c, "ida", "", &r), -1);
	sshd_pending_forget(c, "ida", "trip", "a.jpg");
	assert_int_equal(sshd_pending_find(c, "ida", "trip", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_find_sha(c, "ida", SHA, &r), -1);
	/* names that are no file name of their own are never written */
	sshd_pending_note(c, "ida", "..", "x.jpg", 1, 1, 0, NULL);
	sshd_pending_note(c, "ida", "trip", ".hidden", 1, 1, 0, NULL);
	sshd_pending_note(c, "ida", "trip", "a/b", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_find(c, "ida", "..", "x.jpg", &r), -1);
	assert_int_equal(sshd_pending_find(c, "ida", "trip", ".hidden", &r), -1);
	assert_int_equal(sshd_pending_list(c, "ida", "trip", &v, &n), 0);
	assert_int_equal(n, 1);
	free(v);
}

/* A record in the file, as another process would have written it. */
static void
write_record(const pgal_config *c, const char *name, long pid, long long start)
{
	char dir[PATH_MAX], path[PATH_MAX + 200];
	FILE *f;

	assert_int_equal(record_dir(c, "ida", "trip", dir, sizeof dir), 0);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%ld %lld 10 1700000000 0 -\n", pid, start);
	fclose(f);
}

static void
gone_processes_count_as_absent(void **state)
{
	pgal_config *c = *state;
	struct sshd_pending_rec r;
	struct stat st;
	char dir[PATH_MAX], path[PATH_MAX + 200];
	pid_t pid;
	int status;

	/* a directory to write in */
	sshd_pending_note(c, "ida", "trip", "mine.jpg", 1, 1, 0, NULL);
	/* a child that has exited and been reaped */
	if ((pid = fork()) == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	write_record(c, "dead.jpg", pid, 1);
	assert_int_equal(sshd_pending_find(c, "ida", "trip", "dead.jpg", &r), -1);
	assert_int_equal(record_dir(c, "ida", "trip", dir, sizeof dir), 0);
	snprintf(path, sizeof path, "%s/dead.jpg", dir);
	assert_int_equal(stat(path, &st), -1);
	/* this process's pid with another start time: a reused pid */
	write_record(c, "reused.jpg", (long)getpid(), started((long)getpid()) + 1);
	assert_int_equal(sshd_pending_find(c, "ida", "trip", "reused.jpg", &r), -1);
	/* the right start time: alive */
	write_record(c, "live.jpg", (long)getpid(), started((long)getpid()));
	assert_int_equal(sshd_pending_find(c, "ida", "trip", "live.jpg", &r), 0);
}

struct ticks {
	const pgal_config *c;
	int n;
};

/* The waiter's own work: on the third turn, the upload is stored. */
static void
tick(void *arg)
{
	struct ticks *t = arg;

	if (++t->n == 3)
		sshd_pending_forget(t->c, "ida", "trip", "a.jpg");
}

static void
wait_ends_with_the_record(void **state)
{
	pgal_config *c = *state;
	struct ticks t = { c, 0 };

	sshd_pending_note(c, "ida", "trip", "a.jpg", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_wait_name(c, "ida", "trip", "a.jpg", 5000, tick, &t), 0);
	assert_int_equal(t.n, 3);
	/* one that stays: the limit */
	sshd_pending_note(c, "ida", "trip", "b.jpg", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_wait_name(c, "ida", "trip", "b.jpg", 100, NULL, NULL), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(written_found_forgotten, setup, teardown),
		cmocka_unit_test_setup_teardown(gone_processes_count_as_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_ends_with_the_record, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
