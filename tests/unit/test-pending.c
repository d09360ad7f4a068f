/* The notes of queued uploads (sshd/pending.c, compiled in here: the unit
 * tests link the core library only) in the shared store: written, found,
 * listed, found by hash, forgotten, each user's own; a note held by a
 * process of this machine that is gone (or whose pid now names another
 * process) counts as absent, another machine's counts until it expires,
 * and a touch keeps it; a wait ends when the note goes, the waiter's own
 * work running meanwhile, or at its limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <sys/wait.h>

#include "../../sshd/pending.c"
#include "testgallery.h"
#include "testlib.h"

#define SHA "5f9c4ab08cac7457e9111a30e4664920607ea2c115a1433d7be98e97e64244ca"

/* what pending.c needs of the server: its log and the open gallery */
void
sshd_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

pgal *
sshd_gallery_get(struct sshd_gallery *sg, pgal_err *e)
{
	return sg->g;
}

struct fx {
	pgal_config cfg;
	struct sshd_gallery sg;
	char ida[PGAL_TOKEN_HEX + 1];
	char bob[PGAL_TOKEN_HEX + 1];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	pgal_err e;
	pgal *g;

	if (f == NULL || pgal_test_gallery_open(&f->cfg, &g, 0) != 0)
		return -1;
	f->cfg.ssh_upload_marker_secs = 30;
	f->sg.cfg = &f->cfg;
	f->sg.g = g;
	if (pgal_test_user(g, &f->cfg, "ida", "ida password 1", f->ida, &e) != PGAL_OK ||
	    pgal_test_user(g, &f->cfg, "bob", "bob password 1", f->bob, &e) != PGAL_OK) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	pgal_test_gallery_close(&f->cfg, f->sg.g);
	free(f);
	return 0;
}

static void
written_found_forgotten(void **state)
{
	struct fx *f = *state;
	struct sshd_pending_rec r, *v;
	size_t n;

	sshd_pending_note(&f->sg, f->ida, "trip", "a.jpg", 1234, 1700000000, 1262304000, SHA);
	sshd_pending_note(&f->sg, f->ida, "trip", "b.jpg", 99, 1700000001, 0, NULL);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "a.jpg", &r), 0);
	assert_string_equal(r.album, "trip");
	assert_string_equal(r.name, "a.jpg");
	assert_int_equal(r.bytes, 1234);
	assert_int_equal(r.queued_at, 1700000000);
	assert_int_equal(r.mtime, 1262304000);
	assert_string_equal(r.sha256, SHA);
	/* another user, album or name: none */
	assert_int_equal(sshd_pending_find(&f->sg, f->bob, "trip", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "other", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_list(&f->sg, f->ida, "trip", &v, &n), 0);
	assert_int_equal(n, 2);
	free(v);
	assert_int_equal(sshd_pending_list(&f->sg, f->bob, NULL, &v, &n), 0);
	assert_int_equal(n, 0);
	free(v);
	assert_int_equal(sshd_pending_find_sha(&f->sg, f->ida, SHA, &r), 0);
	assert_string_equal(r.name, "a.jpg");
	assert_int_equal(sshd_pending_find_sha(&f->sg, f->ida, "", &r), -1);
	assert_int_equal(sshd_pending_find_sha(&f->sg, f->bob, SHA, &r), -1);
	/* another user cannot take it away */
	sshd_pending_forget(&f->sg, f->bob, "trip", "a.jpg");
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "a.jpg", &r), 0);
	sshd_pending_forget(&f->sg, f->ida, "trip", "a.jpg");
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "a.jpg", &r), -1);
	assert_int_equal(sshd_pending_find_sha(&f->sg, f->ida, SHA, &r), -1);
	/* names that are no album's or photo's are never written */
	sshd_pending_note(&f->sg, f->ida, "..", "x.jpg", 1, 1, 0, NULL);
	sshd_pending_note(&f->sg, f->ida, "trip", "a/b", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "..", "x.jpg", &r), -1);
	assert_int_equal(sshd_pending_list(&f->sg, f->ida, "trip", &v, &n), 0);
	assert_int_equal(n, 1);
	free(v);
}

/* A note as another process (holder) would have written it. */
static void
note_as(struct fx *f, const char *name, const char *holder)
{
	pgal_upload u;
	pgal_err e;

	memset(&u, 0, sizeof u);
	snprintf(u.album, sizeof u.album, "trip");
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.holder, sizeof u.holder, "%s", holder);
	u.bytes = 10;
	u.queued_at = 1700000000;
	assert_int_equal(pgal_upload_note(f->sg.g, f->ida, &u, 30, &e), PGAL_OK);
}

static void
gone_processes_count_as_absent(void **state)
{
	struct fx *f = *state;
	struct sshd_pending_rec r;
	char holder[PGAL_UPLOAD_HOLDER_MAX + 1];
	pid_t pid;
	int status;

	/* a child that has exited and been reaped */
	if ((pid = fork()) == 0)
		_exit(0);
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	snprintf(holder, sizeof holder, "%s.%ld.1", pid_space(), (long)pid);
	note_as(f, "dead.jpg", holder);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "dead.jpg", &r), -1);
	/* this process's pid with another start time: a reused pid */
	snprintf(holder, sizeof holder, "%s.%ld.%lld", pid_space(), (long)getpid(),
	    started((long)getpid()) + 1);
	note_as(f, "reused.jpg", holder);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "reused.jpg", &r), -1);
	/* the right start time: alive */
	snprintf(holder, sizeof holder, "%s.%ld.%lld", pid_space(), (long)getpid(),
	    started((long)getpid()));
	note_as(f, "live.jpg", holder);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "live.jpg", &r), 0);
	/* another machine's process cannot be looked at: it counts */
	note_as(f, "far.jpg", "another-machine.1.1");
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "far.jpg", &r), 0);
}

static void
notes_expire_unless_touched(void **state)
{
	struct fx *f = *state;
	struct sshd_pending_rec r;
	int64_t t0 = (int64_t)time(NULL);
	pgal_err e;

	pgal_set_clock(f->sg.g, t0);
	note_as(f, "far.jpg", "another-machine.1.1");
	sshd_pending_note(&f->sg, f->ida, "trip", "mine.jpg", 1, 1, 0, NULL);
	/* its holder works on: touched just before the end */
	pgal_set_clock(f->sg.g, t0 + 29);
	sshd_pending_touch(&f->sg, f->ida);
	pgal_set_clock(f->sg.g, t0 + 31);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "mine.jpg", &r), 0);
	/* the other machine's died: nobody touched it */
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "far.jpg", &r), -1);
	assert_int_equal(sshd_pending_wait(&f->sg, f->ida, 0), -1);
	pgal_set_clock(f->sg.g, t0 + 60);
	assert_int_equal(sshd_pending_find(&f->sg, f->ida, "trip", "mine.jpg", &r), -1);
	assert_int_equal(sshd_pending_wait(&f->sg, f->ida, 0), 0);
	/* a holder name with a "/" is refused */
	assert_int_equal(pgal_upload_touch(f->sg.g, f->ida, "x/y", 30, &e), PGAL_EINPUT);
}

struct ticks {
	struct fx *f;
	int n;
};

/* The waiter's own work: on the third turn, the upload is stored. */
static void
tick(void *arg)
{
	struct ticks *t = arg;

	if (++t->n == 3)
		sshd_pending_forget(&t->f->sg, t->f->ida, "trip", "a.jpg");
}

static void
wait_ends_with_the_note(void **state)
{
	struct fx *f = *state;
	struct ticks t = { f, 0 };

	sshd_pending_note(&f->sg, f->ida, "trip", "a.jpg", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_wait_name(&f->sg, f->ida, "trip", "a.jpg", 5000, tick, &t),
	    0);
	assert_int_equal(t.n, 3);
	assert_int_equal(sshd_pending_wait(&f->sg, f->ida, 5000), 0);
	/* one that stays: the limit */
	sshd_pending_note(&f->sg, f->ida, "trip", "b.jpg", 1, 1, 0, NULL);
	assert_int_equal(sshd_pending_wait_name(&f->sg, f->ida, "trip", "b.jpg", 100, NULL, NULL),
	    -1);
	assert_int_equal(sshd_pending_wait(&f->sg, f->ida, 100), -1);
	/* another user's commands do not wait for it */
	assert_int_equal(sshd_pending_wait(&f->sg, f->bob, 100), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(written_found_forgotten, setup, teardown),
		cmocka_unit_test_setup_teardown(gone_processes_count_as_absent, setup, teardown),
		cmocka_unit_test_setup_teardown(notes_expire_unless_touched, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_ends_with_the_note, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
