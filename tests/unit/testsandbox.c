/* The sandbox tests' shared half (tests/unit/test-image-sandbox-*.c): the
 * probes a test decoder runs once confined (and, for the controls, in a
 * plain fork), decoding with and without the sandbox compared field by
 * field, and the fixtures and scratch directory every such test uses.
 * Linked into every unit test program like the other helper files; only
 * the sandbox tests hand the probes to their decoder child (testsandbox.h
 * says how). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "image/sandbox.h"
#include "testlib.h"
#include "testsandbox.h"

/* The wire format as core/image/sandbox.c documents it, for the hooks
 * below that play a lying decoder. */
#define W_MAGIC 0x50475342U
#define W_VERSION 1U
#define W_END 0x454e4421U

const char *pgal_sbx_fixtures;
char pgal_sbx_scratch[PATH_MAX];
/* set at run time in this process: a fresh exec cannot have it */
char pgal_sbx_secret[64];

/* ---- the hook: runs in the confined child (and, for the controls, in a
 * plain fork of this process) ---- */

static void
w32(int fd, uint32_t v)
{
	(void)!write(fd, &v, sizeof v);
}

/* An OK message with the given sizes; make is written without its NUL
 * when bad_make. */
static void
lie(int fd, int32_t pw, int32_t ph, int bad_make)
{
	unsigned char jpeg[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff, 0xd9 };
	char str[64 + 64 + 128 + 24];
	double d = 0;
	int64_t t = -1;
	int32_t z = 0;

	w32(fd, W_MAGIC);
	w32(fd, W_VERSION);
	w32(fd, 0);
	w32(fd, 1);	/* "under Landlock", so no warning is printed */
	w32(fd, 100);
	w32(fd, 100);
	memset(str, 0, sizeof str);
	if (bad_make)
		memset(str, 'A', 64);
	(void)!write(fd, str, sizeof str);
	(void)!write(fd, &d, sizeof d);	/* f_number */
	(void)!write(fd, &z, sizeof z);	/* iso */
	(void)!write(fd, &d, sizeof d);	/* focal_length */
	(void)!write(fd, &z, sizeof z);	/* orientation */
	(void)!write(fd, &t, sizeof t);	/* taken_at */
	(void)!write(fd, &z, sizeof z);	/* gps.present */
	(void)!write(fd, &d, sizeof d);
	(void)!write(fd, &d, sizeof d);
	d = NAN;
	(void)!write(fd, &d, sizeof d);
	w32(fd, 10);	/* thumbnail */
	w32(fd, 10);
	w32(fd, sizeof jpeg);
	(void)!write(fd, jpeg, sizeof jpeg);
	w32(fd, (uint32_t)pw);	/* preview */
	w32(fd, (uint32_t)ph);
	w32(fd, sizeof jpeg);
	(void)!write(fd, jpeg, sizeof jpeg);
	w32(fd, W_END);
}

/* errno of a failed probe, PROBE_SUCCEEDED when it worked. */
static int
probe(int rc)
{
	return rc < 0 ? errno : PROBE_SUCCEEDED;
}

/* ---- privileges: what the child holds, seen from inside ---- */

/* The PRIV_ bits of what this process holds, by the system calls
 * (/proc is out of the confined child's reach). */
static int
priv_state(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	int cap, r, sig = 0, bits = 0;

	if (getresuid(&ru, &eu, &su) != 0 || getresgid(&rg, &eg, &sg) != 0)
		return 0xff;
	if (ru == 0 || eu == 0 || su == 0)
		bits |= PRIV_UID0;
	if (rg == 0 || eg == 0 || sg == 0)
		bits |= PRIV_GID0;
	if (getgroups(0, NULL) != 0)
		bits |= PRIV_GROUPS;
	memset(d, 0, sizeof d);
	if (syscall(SYS_capget, &h, d) != 0)
		return 0xff;
	if (d[0].effective | d[1].effective | d[0].permitted | d[1].permitted |
	    d[0].inheritable | d[1].inheritable)
		bits |= PRIV_CAPS;
	for (cap = 0; cap < 64; cap++) {
		if ((r = (int)prctl(PR_CAPBSET_READ, cap, 0, 0, 0)) < 0)
			break;
		if (r == 1)
			bits |= PRIV_BOUNDING;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, cap, 0, 0) == 1)
			bits |= PRIV_AMBIENT;
	}
	if (prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) != 0 || sig != SIGKILL)
		bits |= PRIV_NO_PDEATH;
	return bits;
}

/* The privilege probes, or -2 for another hook. */
static int
priv_hook(const char *what)
{
	if (strcmp(what, "priv-state") == 0)
		return priv_state();
	/* a call that changes nothing, so only the filter can refuse it */
	if (strcmp(what, "setresuid") == 0)
		return probe(setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1));
	return -2;
}

int
pgal_sbx_hook(const char *what)
{
	struct sockaddr_in sin;
	char buf[256], link[256];
	int fd, n;

	if ((n = priv_hook(what)) != -2)
		return n;
	if (strncmp(what, "read:", 5) == 0) {
		fd = open(what + 5, O_RDONLY);
		return probe(fd);
	}
	if (strncmp(what, "create:", 7) == 0)
		return probe(open(what + 7, O_WRONLY | O_CREAT | O_EXCL, 0600));
	if (strncmp(what, "append:", 7) == 0)
		return probe(open(what + 7, O_WRONLY | O_APPEND));
	if (strcmp(what, "readdir") == 0) {
		DIR *d = opendir("/");

		return d == NULL ? errno : PROBE_SUCCEEDED;
	}
	if (strcmp(what, "exec") == 0) {
		char *argv[] = { "true", NULL }, *envp[] = { NULL };

		execve("/bin/true", argv, envp);
		return errno;
	}
	if (strcmp(what, "socket") == 0)
		return probe(socket(AF_INET, SOCK_STREAM, 0));
	if (strcmp(what, "unix-socket") == 0)
		return probe(socket(AF_UNIX, SOCK_STREAM, 0));
	if (strcmp(what, "connect") == 0) {
		/* on a descriptor that exists, so only the filter can say no
		 * before the kernel looks at what it is */
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_port = htons(22);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			fd = 0;
		n = connect(fd, (struct sockaddr *)&sin, sizeof sin);
		/* an unconfined connect to a closed port is refused, which
		 * still means the call was made */
		return n < 0 && errno != ECONNREFUSED ? errno : PROBE_SUCCEEDED;
	}
	if (strcmp(what, "kill-parent") == 0)
		return probe(kill(getppid(), 0));
	if (strcmp(what, "fork") == 0) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return probe(pid);
	}
	if (strcmp(what, "ptrace") == 0)
		return probe((int)ptrace(PTRACE_ATTACH, getppid(), NULL, NULL));
	if (strcmp(what, "setrlimit") == 0) {
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		return probe(setrlimit(RLIMIT_CPU, &rl));
	}
	if (strcmp(what, "env") == 0)
		return getenv("PGAL_TEST_SECRET") == NULL ? 0 : 1;
	if (strcmp(what, "memory") == 0)
		return pgal_sbx_secret[0] == '\0' ? 0 : 1;
	if (strncmp(what, "fd:", 3) == 0) {
		/* the caller's descriptor, by the file it names */
		snprintf(buf, sizeof buf, "/proc/self/fd/%s", what + 3);
		n = (int)readlink(buf, link, sizeof link - 1);
		if (n < 0)
			return 0;
		link[n] = '\0';
		return strstr(link, "inherit-marker") != NULL ? 1 : 0;
	}
	if (strcmp(what, "spin") == 0) {
		for (;;)
			__asm__ volatile("" ::: "memory");
	}
	if (strcmp(what, "sleep") == 0) {
		for (;;)
			pause();
	}
#if defined(__x86_64__)
	if (strcmp(what, "i386") == 0) {
		long ret = 20;	/* getpid, by the 32-bit ABI */

		__asm__ volatile("int $0x80" : "+a"(ret) :: "memory");
		return 0;
	}
#endif
	if (strcmp(what, "lie-truncated") == 0) {
		w32(4, W_MAGIC);
		w32(4, W_VERSION);
		return 0;
	}
	if (strcmp(what, "lie-big-preview") == 0) {
		lie(4, 5000, 10, 0);
		return 0;
	}
	if (strcmp(what, "lie-fits") == 0) {
		lie(4, 100, 10, 0);
		return 0;
	}
	if (strcmp(what, "lie-make") == 0) {
		lie(4, 100, 10, 1);
		return 0;
	}
	if (strcmp(what, "lie-code") == 0) {
		w32(4, W_MAGIC);
		w32(4, W_VERSION);
		w32(4, 3);	/* PGAL_EDENIED: not a decoder's to say */
		w32(4, 0);
		w32(4, 2);
		(void)!write(4, "no", 2);
		w32(4, W_END);
		return 0;
	}
	if (strcmp(what, "lie-escape") == 0) {
		const char m[] = "bad\x1b]0;owned\x07 image\x1b[2J";

		w32(4, W_MAGIC);
		w32(4, W_VERSION);
		w32(4, 5);
		w32(4, 0);
		w32(4, sizeof m - 1);
		(void)!write(4, m, sizeof m - 1);
		w32(4, W_END);
		return 0;
	}
	if (strcmp(what, "flood") == 0) {
		memset(buf, 'x', sizeof buf);
		for (;;) {
			if (write(4, buf, sizeof buf) < 0)
				return errno;
		}
	}
	return -1;	/* go on with the decode */
}

/* ---- decoding with the sandbox ---- */

int
pgal_sbx_open_fixture(const char *name)
{
	char path[1200];
	int fd;

	snprintf(path, sizeof path, "%s/%s", pgal_sbx_fixtures, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

int
pgal_sbx_run_hook(const char *hook, int cpu, int wall, int *status, pgal_err *e)
{
	pgal_image_sandbox_opts o = { cpu, wall, hook, 0 };
	pgal_image_result r;
	int fd = pgal_sbx_open_fixture("orient-1.jpg"), rc;

	pgal_err_clear(e);
	rc = pgal_image_sandbox_run(fd, PGAL_IMG_JPEG, 100000000, 64, 200, &o,
	    &r, status, e);
	close(fd);
	/* whatever happened, nothing came back */
	assert_null(r.thumb.data);
	assert_null(r.preview.data);
	assert_int_equal(r.width, 0);
	return rc;
}

static void
same_exif(const pgal_exif *a, const pgal_exif *b)
{
	assert_string_equal(a->make, b->make);
	assert_string_equal(a->model, b->model);
	assert_string_equal(a->lens, b->lens);
	assert_string_equal(a->exposure_time, b->exposure_time);
	assert_true(a->f_number == b->f_number);
	assert_int_equal(a->iso, b->iso);
	assert_true(a->focal_length == b->focal_length);
	assert_int_equal(a->orientation, b->orientation);
	assert_int_equal(a->taken_at, b->taken_at);
	assert_int_equal(a->gps.present, b->gps.present);
	assert_true(a->gps.lat == b->gps.lat);
	assert_true(a->gps.lon == b->gps.lon);
	assert_true((isnan(a->gps.alt) && isnan(b->gps.alt)) ||
	    a->gps.alt == b->gps.alt);
}

void
pgal_sbx_same_rendition(const pgal_rendition *a, const pgal_rendition *b)
{
	assert_int_equal(a->width, b->width);
	assert_int_equal(a->height, b->height);
	assert_int_equal(a->len, b->len);
	assert_non_null(a->data);
	assert_non_null(b->data);
	assert_memory_equal(a->data, b->data, a->len);
}

/* In this process and in the sandbox: the same code, the same message, and
 * for a good file the same result down to the rendition bytes. */
int
pgal_sbx_compare(const char *path, pgal_img_type t, int64_t maxpx, int thumb,
    int preview)
{
	pgal_image_result in, out;
	pgal_err ein, eout;
	int rin, rout, fd;

	pgal_err_clear(&ein);
	pgal_err_clear(&eout);
	rin = pgal_image_process(path, t, maxpx, thumb, preview, &in, &ein);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	rout = pgal_image_sandbox_process(fd, t, maxpx, thumb, preview, &out,
	    &eout);
	close(fd);
	if (rin != rout || strcmp(ein.msg, eout.msg) != 0)
		fail_msg("%s: in process %d '%s', sandboxed %d '%s'", path, rin,
		    ein.msg, rout, eout.msg);
	if (rin == PGAL_OK) {
		assert_int_equal(in.width, out.width);
		assert_int_equal(in.height, out.height);
		same_exif(&in.exif, &out.exif);
		pgal_sbx_same_rendition(&in.thumb, &out.thumb);
		pgal_sbx_same_rendition(&in.preview, &out.preview);
		/* this kernel has Landlock: the decode ran under it */
		assert_int_equal(pgal_image_sandbox_landlocked(), 1);
	} else {
		assert_null(out.thumb.data);
		assert_null(out.preview.data);
	}
	pgal_image_result_free(&in);
	pgal_image_result_free(&out);
	return rin;
}

/* ---- the decoder seen from outside ---- */

pid_t
pgal_sbx_find_decoder(pid_t parent, long *cpu_ms)
{
	char path[300], buf[512], *p;
	long ticks = sysconf(_SC_CLK_TCK);
	unsigned long ut, st;
	struct dirent *de;
	pid_t found = 0;
	int ppid;
	DIR *d;
	FILE *f;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while (found == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		/* the name in parentheses, then state, ppid, ..., utime, stime */
		if (fgets(buf, sizeof buf, f) != NULL &&
		    strstr(buf, "(pgal-decode)") != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u "
		    "%*u %lu %lu", &ppid, &ut, &st) == 3 && ppid == parent) {
			found = atoi(de->d_name);
			if (cpu_ms != NULL)
				*cpu_ms = (long)(ut + st) * 1000 / ticks;
		}
		fclose(f);
	}
	closedir(d);
	return found;
}

int
pgal_sbx_setup(void **state)
{
	pgal_err e;

	pgal_sbx_fixtures = pgal_test_fixtures_dir();
	pgal_test_mkdtemp(pgal_sbx_scratch);
	/* libvips runs in this process too (the comparisons): the children
	 * must not care */
	return pgal_image_init(&e) == PGAL_OK ? 0 : -1;
}

int
pgal_sbx_teardown(void **state)
{
	pgal_test_rmdir(pgal_sbx_scratch);
	return 0;
}
