/* The sandboxed decoder (core/image/sandbox.c, core/image/confine.c): its
 * confinement. What the child must not do once confined fails with the
 * errno the design names (EACCES from Landlock for files outside the one
 * upload, EPERM from the seccomp filter), while the same probes succeed in
 * an unconfined child; it inherits none of this process's memory,
 * environment or descriptors; started by root it holds no privilege, and a
 * drop that fails decodes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/confine.h"
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

/* The hook's probe in the confined child: its exit status. */
static int
confined(const char *hook)
{
	pgal_err e;
	int st = -1;

	pgal_sbx_run_hook(hook, 0, 0, &st, &e);
	assert_true(st != -1);
	if (!WIFEXITED(st))
		fail_msg("%s: the child did not exit (status %#x)", hook, st);
	return WEXITSTATUS(st);
}

/* The same probe in a plain fork of this process. */
static int
unconfined(const char *hook)
{
	pid_t pid;
	int st;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(pgal_sbx_hook(hook) & 0xff);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* ---- tests ---- */

static void
test_landlock_present(void **state)
{
	/* the kernel here offers Landlock (ABI 7 when this was written):
	 * without it the confinement below would be weaker, so fail */
	assert_true(pgal_sandbox_landlock_abi() >= 1);
}

static void
test_confined_probes(void **state)
{
	char create[PATH_MAX + 32], append[PATH_MAX + 32], hook[PATH_MAX + 64];
	int fd;

	snprintf(create, sizeof create, "%s/created-by-decoder", pgal_sbx_scratch);
	snprintf(append, sizeof append, "%s/existing", pgal_sbx_scratch);
	fd = open(append, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);

	/* files: Landlock denies reading anything but the upload ... */
	assert_int_equal(confined("read:/etc/passwd"), EACCES);
	snprintf(hook, sizeof hook, "read:%s/orient-2.jpg", pgal_sbx_fixtures);
	assert_int_equal(confined(hook), EACCES);
	assert_int_equal(confined("readdir"), EACCES);
	/* ... and the filter any open for writing, before Landlock looks */
	snprintf(hook, sizeof hook, "create:%s", create);
	assert_int_equal(confined(hook), EPERM);
	assert_int_equal(access(create, F_OK), -1);
	snprintf(hook, sizeof hook, "append:%s", append);
	assert_int_equal(confined(hook), EPERM);
	/* programs, network, other processes: the filter */
	assert_int_equal(confined("exec"), EPERM);
	assert_int_equal(confined("socket"), EPERM);
	assert_int_equal(confined("unix-socket"), EPERM);
	assert_int_equal(confined("connect"), EPERM);
	assert_int_equal(confined("kill-parent"), EPERM);
	assert_int_equal(confined("fork"), EPERM);
	assert_int_equal(confined("ptrace"), EPERM);
	assert_int_equal(confined("setrlimit"), EPERM);

	/* the same probes work unconfined: they can tell */
	assert_int_equal(unconfined("read:/etc/passwd"), PROBE_SUCCEEDED);
	assert_int_equal(unconfined("readdir"), PROBE_SUCCEEDED);
	snprintf(hook, sizeof hook, "create:%s", create);
	assert_int_equal(unconfined(hook), PROBE_SUCCEEDED);
	unlink(create);
	snprintf(hook, sizeof hook, "append:%s", append);
	assert_int_equal(unconfined(hook), PROBE_SUCCEEDED);
	unlink(append);
	assert_int_equal(unconfined("exec"), 0); /* /bin/true ran */
	assert_int_equal(unconfined("socket"), PROBE_SUCCEEDED);
	assert_int_equal(unconfined("connect"), PROBE_SUCCEEDED);
	assert_int_equal(unconfined("kill-parent"), PROBE_SUCCEEDED);
	assert_int_equal(unconfined("fork"), PROBE_SUCCEEDED);
}

/* A fresh exec: none of this process's memory, environment or open files. */
static void
test_nothing_inherited(void **state)
{
	char marker[PATH_MAX + 32], hook[64];
	int fd;

	snprintf(pgal_sbx_secret, sizeof pgal_sbx_secret, "hunter2");
	assert_int_equal(unconfined("memory"), 1);
	assert_int_equal(confined("memory"), 0);
	pgal_sbx_secret[0] = '\0';

	setenv("PGAL_TEST_SECRET", "aws-secret", 1);
	assert_int_equal(unconfined("env"), 1);
	assert_int_equal(confined("env"), 0);
	unsetenv("PGAL_TEST_SECRET");

	/* a descriptor without O_CLOEXEC, as a library may leave one */
	snprintf(marker, sizeof marker, "%s/inherit-marker", pgal_sbx_scratch);
	fd = open(marker, O_RDWR | O_CREAT, 0600);
	assert_true(fd >= 0);
	/* above the child's 0 to 4, where it would be replaced anyway */
	assert_int_equal(dup2(fd, 20), 20);
	close(fd);
	fd = 20;
	snprintf(hook, sizeof hook, "fd:%d", fd);
	assert_int_equal(unconfined(hook), 1);
	assert_int_equal(confined(hook), 0);
	close(fd);
	unlink(marker);
}

/* ---- privileges: a decoder started by root runs as PGAL_SANDBOX_UID ---- */

/* Seen from inside the child, against a plain fork of this process. */
static void
test_privileges_inside(void **state)
{
	const int all = PRIV_UID0 | PRIV_GID0 | PRIV_CAPS | PRIV_BOUNDING;
	const int id = PRIV_UID0 | PRIV_GID0 | PRIV_GROUPS;
	int in = confined("priv-state"), out = unconfined("priv-state");

	/* whoever started it: no capability, and the parent-death signal
	 * (which a change of uid clears) still set */
	assert_int_equal(in & (PRIV_CAPS | PRIV_AMBIENT | PRIV_NO_PDEATH), 0);
	if (geteuid() == 0) {
		/* the control: root is seen as root */
		assert_int_equal(out & all, all);
		/* no uid or gid 0, no groups, an empty bounding set */
		assert_int_equal(in, 0);
	} else {
		/* not root: the caller's identity */
		assert_int_equal(in & id, out & id);
	}
	/* and once confined, no set*id call at all: one that changes
	 * nothing is refused by the filter, and works unconfined */
	assert_int_equal(confined("setresuid"), EPERM);
	assert_int_equal(unconfined("setresuid"), PROBE_SUCCEEDED);
}

/* The values of a /proc/<pid>/status line ("Uid:", 4 decimal numbers;
 * "CapEff:", 1 hex), how many were there, -1 for no such line. */
static int
status_field(const char *status, const char *key, int base,
    unsigned long long *v, int max)
{
	char want[32], *end;
	const char *p;
	int n = 0;

	snprintf(want, sizeof want, "\n%s\t", key);
	if ((p = strstr(status, want)) == NULL)
		return -1;
	p += strlen(want);
	while (n < max) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\n' || *p == '\0')
			break;
		errno = 0;
		v[n] = strtoull(p, &end, base);
		if (errno != 0 || end == p)
			return -1;
		n++;
		p = end;
	}
	return n;
}

struct confined_wait {
	pid_t pid;		/* the decoder, 0 until found */
	char status[8192];	/* its /proc/<pid>/status */
};

/* The decoder found and, by its /proc/<pid>/status, under its seccomp
 * filter (so its privileges are dropped) */
static int
decoder_confined(void *arg)
{
	struct confined_wait *w = arg;
	char path[64];
	ssize_t n;
	int sfd;

	if (w->pid == 0 && (w->pid = pgal_sbx_find_decoder(getpid(), NULL)) == 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%d/status", (int)w->pid);
	if ((sfd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(sfd, w->status, sizeof w->status - 1);
	close(sfd);
	w->status[n > 0 ? n : 0] = '\0';
	return strstr(w->status, "\nSeccomp:\t2\n") != NULL;
}

/* Seen from outside, by the kernel's own account: the decoder's
 * /proc/<pid>/status once it is under its seccomp filter (after the drop),
 * while it waits in the hook. */
static void
test_privileges_outside(void **state)
{
	static const char *caps[] = { "CapInh:", "CapPrm:", "CapEff:",
	    "CapBnd:", "CapAmb:" };
	pgal_image_sandbox_opts o = { 0, 30, "sleep", 0 };
	unsigned long long v[64], want;
	struct confined_wait w = { 0, "" };
	const char *status = w.status;
	pgal_image_job *j = NULL;
	pgal_err e;
	size_t i;
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int fd, k, rc, root = geteuid() == 0;

	fd = pgal_sbx_open_fixture("orient-1.jpg");
	assert_int_equal(pgal_image_sandbox_start(fd, PGAL_IMG_JPEG, 100000000,
	    64, 200, &o, &j, &e), PGAL_OK);
	close(fd);
	rc = pgal_test_wait(10, "a confined pgal-decode child (Seccomp: 2 in its "
	    "/proc/<pid>/status)", decoder_confined, &w);
	pgal_image_sandbox_cancel(j);
	if (rc != 0)
		fail_msg("the decoder seen: pid %d", (int)w.pid);
	assert_int_equal(status_field(status, "NoNewPrivs:", 10, v, 1), 1);
	assert_int_equal(v[0], 1);

	assert_int_equal(getresuid(&ru, &eu, &su), 0);
	assert_int_equal(getresgid(&rg, &eg, &sg), 0);
	/* real, effective, saved, file system */
	assert_int_equal(status_field(status, "Uid:", 10, v, 4), 4);
	for (k = 0; k < 4; k++) {
		want = root ? PGAL_SANDBOX_UID : (k == 0 ? ru : k == 2 ? su : eu);
		assert_true(!root || v[k] != 0);
		assert_int_equal(v[k], want);
	}
	assert_int_equal(status_field(status, "Gid:", 10, v, 4), 4);
	for (k = 0; k < 4; k++) {
		want = root ? PGAL_SANDBOX_UID : (k == 0 ? rg : k == 2 ? sg : eg);
		assert_true(!root || v[k] != 0);
		assert_int_equal(v[k], want);
	}
	assert_int_equal(status_field(status, "Groups:", 10, v, 64),
	    root ? 0 : getgroups(0, NULL));
	/* no capability whoever started it; the bounding set too when
	 * root started it (a caller with capabilities but not root may
	 * lack CAP_SETPCAP, which emptying it takes) */
	for (i = 0; i < sizeof caps / sizeof caps[0]; i++) {
		if (!root && strcmp(caps[i], "CapBnd:") == 0)
			continue;
		assert_int_equal(status_field(status, caps[i], 16, v, 1), 1);
		if (v[0] != 0)
			fail_msg("decoder: %s %llx", caps[i], v[0]);
	}
}

/* Root that cannot become another uid: the decode fails, saying why, and
 * nothing is decoded by a decoder still root. In a fork that gives up
 * CAP_SETUID for good (the bounding set too, or the exec would bring it
 * back). */
static void
test_drop_fails_closed(void **state)
{
	char msg[256];
	int p[2], rc = -1, st;
	ssize_t n;
	pid_t pid;

	if (geteuid() != 0) {
		print_message("# not root: there is no root to drop\n");
		return;
	}
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
		pgal_image_result r;
		pgal_err e;
		char fpath[1200];
		int fd, cst;

		close(p[0]);
		memset(d, 0, sizeof d);
		if (prctl(PR_CAPBSET_DROP, CAP_SETUID, 0, 0, 0) != 0 ||
		    syscall(SYS_capget, &h, d) != 0)
			_exit(100);
		d[0].effective &= ~(1U << CAP_SETUID);
		d[0].permitted &= ~(1U << CAP_SETUID);
		if (syscall(SYS_capset, &h, d) != 0 || setuid(1) == 0)
			_exit(101);
		snprintf(fpath, sizeof fpath, "%s/orient-1.jpg", pgal_sbx_fixtures);
		if ((fd = open(fpath, O_RDONLY | O_CLOEXEC)) < 0)
			_exit(102);
		pgal_err_clear(&e);
		rc = pgal_image_sandbox_run(fd, PGAL_IMG_JPEG, 100000000, 64,
		    200, NULL, &r, &cst, &e);
		if (write(p[1], &rc, sizeof rc) != sizeof rc ||
		    write(p[1], e.msg, strlen(e.msg)) < 0)
			_exit(103);
		/* no result; the decoder reported and exited, not killed */
		_exit(r.preview.data != NULL || r.thumb.data != NULL ||
		    r.width != 0 || !WIFEXITED(cst) || WEXITSTATUS(cst) != 0 ?
		    104 : 0);
	}
	close(p[1]);
	assert_int_equal(read(p[0], &rc, sizeof rc), sizeof rc);
	n = read(p[0], msg, sizeof msg - 1);
	msg[n > 0 ? n : 0] = '\0';
	close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_int_equal(rc, PGAL_EBACKEND);
	if (strstr(msg, "setresuid") == NULL ||
	    strstr(msg, strerror(EPERM)) == NULL)
		fail_msg("not the failed drop: '%s'", msg);
}

/* An upload only its owner may open (a spool file of root's when
 * pgal-sshd runs as root): read through the descriptor, decoded as in
 * process down to the bytes, though the decoder's uid could not open it. */
static void
test_private_upload(void **state)
{
	char src[1200], dst[PATH_MAX + 32], buf[65536];
	int in, out, st;
	ssize_t n;
	pid_t pid;

	snprintf(src, sizeof src, "%s/nikon-d2h-gps.jpg", pgal_sbx_fixtures);
	snprintf(dst, sizeof dst, "%s/spool-0600.jpg", pgal_sbx_scratch);
	in = open(src, O_RDONLY | O_CLOEXEC);
	assert_true(in >= 0);
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(out >= 0);
	while ((n = read(in, buf, sizeof buf)) > 0)
		assert_int_equal(write(out, buf, (size_t)n), n);
	assert_int_equal(n, 0);
	close(in);
	assert_int_equal(fchmod(out, 0600), 0);
	close(out);
	if (geteuid() == 0) {
		/* the control: the decoder's uid cannot open it by name */
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgroups(0, NULL) != 0 ||
			    setresgid(PGAL_SANDBOX_UID, PGAL_SANDBOX_UID,
			    PGAL_SANDBOX_UID) != 0 ||
			    setresuid(PGAL_SANDBOX_UID, PGAL_SANDBOX_UID,
			    PGAL_SANDBOX_UID) != 0)
				_exit(100);
			_exit(open(dst, O_RDONLY) < 0 && errno == EACCES ? 0 : 101);
		}
		assert_int_equal(waitpid(pid, &st, 0), pid);
		assert_true(WIFEXITED(st));
		assert_int_equal(WEXITSTATUS(st), 0);
	}
	assert_int_equal(pgal_sbx_compare(dst, PGAL_IMG_JPEG, 100000000, 256, 1600),
	    PGAL_OK);
	assert_int_equal(unlink(dst), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_landlock_present),
		cmocka_unit_test(test_confined_probes),
		cmocka_unit_test(test_nothing_inherited),
		cmocka_unit_test(test_privileges_inside),
		cmocka_unit_test(test_privileges_outside),
		cmocka_unit_test(test_drop_fails_closed),
		cmocka_unit_test(test_private_upload),
	};

	return cmocka_run_group_tests(tests, pgal_sbx_setup, pgal_sbx_teardown);
}
