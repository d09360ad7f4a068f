/* The sandboxed decoder (core/image/sandbox.c, core/image/confine.c): every
 * fixture decodes to the same result in the child as in this process
 * (field by field, rendition bytes); what the child must not do after it
 * is confined fails with the errno the design names (EACCES from Landlock
 * for files outside the one upload, EPERM from the seccomp filter), while
 * the same probes succeed in an unconfined child; a child that dies, hangs,
 * spins or lies is a clean error; descriptors and children do not leak. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <netinet/in.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "image/confine.h"
#include "image/image.h"
#include "image/sandbox.h"
#include "testlib.h"

/* The wire format as core/image/sandbox.c documents it, for the hooks
 * below that play a lying decoder. */
#define W_MAGIC 0x50475342U
#define W_VERSION 1U
#define W_END 0x454e4421U

#define PROBE_SUCCEEDED 200

static const char *fixtures;
static char scratch[PATH_MAX];
/* set at run time in this process: a fresh exec cannot have it */
static char secret[64];

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

#define PRIV_UID0 0x01		/* a uid (real, effective, saved) is 0 */
#define PRIV_GID0 0x02		/* a gid is 0 */
#define PRIV_GROUPS 0x04	/* supplementary groups */
#define PRIV_CAPS 0x08		/* effective, permitted or inheritable */
#define PRIV_BOUNDING 0x10	/* a capability in the bounding set */
#define PRIV_AMBIENT 0x20
#define PRIV_NO_PDEATH 0x40	/* the parent-death signal is not SIGKILL */

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
pgal_image_sandbox_test_hook(const char *what)
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
		return secret[0] == '\0' ? 0 : 1;
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

/* ---- helpers ---- */

static pgal_img_type
detect_file(const char *path)
{
	unsigned char head[PGAL_IMG_HEAD];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return PGAL_IMG_UNKNOWN;
	n = read(fd, head, sizeof head);
	close(fd);
	return n > 0 ? pgal_image_detect(head, (size_t)n) : PGAL_IMG_UNKNOWN;
}

static int
open_fixture(const char *name)
{
	char path[1200];
	int fd;

	snprintf(path, sizeof path, "%s/%s", fixtures, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	return fd;
}

static int
run_hook(const char *hook, int cpu, int wall, int *status, pgal_err *e)
{
	pgal_image_sandbox_opts o = { cpu, wall, hook, 0 };
	pgal_image_result r;
	int fd = open_fixture("orient-1.jpg"), rc;

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

/* The hook's probe in the confined child: its exit status. */
static int
confined(const char *hook)
{
	pgal_err e;
	int st = -1;

	run_hook(hook, 0, 0, &st, &e);
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
		_exit(pgal_image_sandbox_test_hook(hook) & 0xff);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
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

static void
same_rendition(const pgal_rendition *a, const pgal_rendition *b)
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
static int
compare(const char *path, pgal_img_type t, int64_t maxpx, int thumb,
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
		same_rendition(&in.thumb, &out.thumb);
		same_rendition(&in.preview, &out.preview);
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
test_landlock_present(void **state)
{
	/* the kernel here offers Landlock (ABI 7 when this was written):
	 * without it the confinement below would be weaker, so fail */
	assert_true(pgal_sandbox_landlock_abi() >= 1);
}

/* Every fixture, every format (HEIC made here by the vips tool), with the
 * default sizes and small ones (other shrink paths, pixel limits). */
static void
test_fixtures_identical(void **state)
{
	static const char *dirs[] = { "", "corrupt/" };
	char path[1400], heic[PATH_MAX + 32], src[1200], cmd[PATH_MAX + 1300];
	int seen[PGAL_IMG_HEIC + 1] = { 0 }, ok = 0, bad = 0, rc;
	struct dirent *de;
	struct stat st;
	pgal_img_type t;
	size_t i;
	DIR *d;

	snprintf(src, sizeof src, "%s/small.tif", fixtures);
	snprintf(heic, sizeof heic, "%s/sandbox.heic", scratch);
	snprintf(cmd, sizeof cmd, "vips copy '%s' '%s'", src, heic);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", fixtures, dirs[i]);
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			snprintf(path, sizeof path, "%s/%s%s", fixtures, dirs[i],
			    de->d_name);
			if (de->d_name[0] == '.' || stat(path, &st) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if ((t = detect_file(path)) == PGAL_IMG_UNKNOWN)
				continue;
			seen[t] = 1;
			rc = compare(path, t, 100000000, 256, 1600);
			rc == PGAL_OK ? ok++ : bad++;
			compare(path, t, 2000000, 32, 200);
		}
		closedir(d);
	}
	assert_int_equal(detect_file(heic), PGAL_IMG_HEIC);
	seen[PGAL_IMG_HEIC] = 1;
	assert_int_equal(compare(heic, PGAL_IMG_HEIC, 100000000, 256, 1600),
	    PGAL_OK);
	compare(heic, PGAL_IMG_HEIC, 100000000, 16, 64);
	unlink(heic);
	for (t = PGAL_IMG_JPEG; t <= PGAL_IMG_HEIC; t++)
		if (!seen[t])
			fail_msg("no fixture of type %d", (int)t);
	/* the good ones and the damaged ones (truncated.jpg, bomb.png) */
	assert_true(ok >= 10);
	assert_true(bad >= 2);
}

static void
test_corrupt_clean_errors(void **state)
{
	pgal_image_result r;
	pgal_err e;
	int fd;

	fd = open_fixture("truncated.jpg");
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG, 100000000,
	    256, 1600, &r, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "damaged image");
	assert_null(r.preview.data);
	close(fd);
	/* a PNG said to be a JPEG: the JPEG loader refuses it */
	fd = open_fixture("small.gif");
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG, 100000000,
	    256, 1600, &r, &e), PGAL_EINPUT);
	close(fd);
	fd = open_fixture("bomb.png");
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_PNG, 100000000,
	    256, 1600, &r, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "too many pixels"));
	close(fd);
	/* not a file: refused before any child */
	assert_int_equal(pgal_image_sandbox_process(-1, PGAL_IMG_JPEG, 1, 1, 1,
	    &r, &e), PGAL_EUSAGE);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG, 100000000,
	    256, 1600, &r, &e), PGAL_EBACKEND);
	close(fd);
}

static void
test_confined_probes(void **state)
{
	char create[PATH_MAX + 32], append[PATH_MAX + 32], hook[PATH_MAX + 64];
	int fd;

	snprintf(create, sizeof create, "%s/created-by-decoder", scratch);
	snprintf(append, sizeof append, "%s/existing", scratch);
	fd = open(append, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);

	/* files: Landlock denies reading anything but the upload ... */
	assert_int_equal(confined("read:/etc/passwd"), EACCES);
	snprintf(hook, sizeof hook, "read:%s/orient-2.jpg", fixtures);
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

	snprintf(secret, sizeof secret, "hunter2");
	assert_int_equal(unconfined("memory"), 1);
	assert_int_equal(confined("memory"), 0);
	secret[0] = '\0';

	setenv("PGAL_TEST_SECRET", "aws-secret", 1);
	assert_int_equal(unconfined("env"), 1);
	assert_int_equal(confined("env"), 0);
	unsetenv("PGAL_TEST_SECRET");

	/* a descriptor without O_CLOEXEC, as a library may leave one */
	snprintf(marker, sizeof marker, "%s/inherit-marker", scratch);
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

static void
test_stopped(void **state)
{
	pgal_err e;
	int st;

	/* CPU limit: SIGXCPU */
	assert_int_equal(run_hook("spin", 1, 30, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGXCPU);
	assert_string_equal(e.msg, "the decoder was stopped: it used more than "
	    "1 s of CPU time");
	/* wall clock: killed from here */
	assert_int_equal(run_hook("sleep", 0, 1, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGKILL);
	assert_string_equal(e.msg, "the decoder was stopped: it ran longer "
	    "than 1 s");
#if defined(__x86_64__)
	/* a call by another ABI: the filter kills with SIGSYS */
	assert_int_equal(run_hook("i386", 0, 0, &st, &e), PGAL_EINPUT);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGSYS);
	assert_string_equal(e.msg, "the decoder was stopped: it made a system "
	    "call the sandbox forbids");
#endif
}

/* A decoder that lies is refused, whatever it claims. */
static void
test_lies(void **state)
{
	pgal_err e;
	int st;

	/* the control: a well-formed message is taken (so the ones below
	 * fail for what they change, not for the format) */
	{
		pgal_image_sandbox_opts o = { 0, 0, "lie-fits", 0 };
		pgal_image_result r;
		int fd = open_fixture("orient-1.jpg");

		assert_int_equal(pgal_image_sandbox_run(fd, PGAL_IMG_JPEG,
		    100000000, 64, 200, &o, &r, &st, &e), PGAL_OK);
		assert_int_equal(r.preview.width, 100);
		assert_int_equal(r.width, 100);
		pgal_image_result_free(&r);
		close(fd);
	}
	assert_int_equal(run_hook("lie-truncated", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(run_hook("lie-big-preview", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(run_hook("lie-make", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(run_hook("lie-code", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	/* its message reaches terminals: sanitized */
	assert_int_equal(run_hook("lie-escape", 0, 0, &st, &e), PGAL_EINPUT);
	assert_null(strchr(e.msg, '\x1b'));
	assert_null(strchr(e.msg, '\x07'));
	assert_non_null(strstr(e.msg, "bad"));
	assert_non_null(strstr(e.msg, "image"));
	/* more than the limits allow: cut off and killed */
	assert_int_equal(run_hook("flood", 0, 30, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder was stopped: it sent more than "
	    "the limits allow");
	/* an exit status without a message */
	assert_int_equal(run_hook("read:/etc/passwd", 0, 0, &st, &e), PGAL_EINPUT);
	assert_true(strncmp(e.msg, "the decoder failed (exit status ", 32) == 0);
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
	char path[300], buf[512], *p;
	long ticks = sysconf(_SC_CLK_TCK);
	struct dirent *de;
	int ppid;
	unsigned long ut, stt;
	DIR *d;
	FILE *f;

	if (__atomic_load_n(&k->done, __ATOMIC_SEQ_CST)) {
		print_error("ERROR: the decode returned before it used 150 ms of CPU time\n");
		return -1;
	}
	d = opendir("/proc");
	while (d != NULL && !k->killed && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, f) == NULL) {
			fclose(f);
			continue;
		}
		fclose(f);
		if (strstr(buf, "(pgal-decode)") == NULL ||
		    (p = strrchr(buf, ')')) == NULL ||
		    sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u "
		    "%*u %lu %lu", &ppid, &ut, &stt) != 3 ||
		    ppid != k->parent)
			continue;
		if ((long)(ut + stt) * 1000 / ticks >= 150) {
			kill(atoi(de->d_name), SIGKILL);
			k->killed = 1;
		}
	}
	if (d != NULL)
		closedir(d);
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

	fd = open_fixture("big-24mp.png");
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

	snprintf(path, sizeof path, "%s/bomb.png", scratch);
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

	snprintf(path, sizeof path, "%s/orient-6.jpg", fixtures);
	assert_int_equal(pgal_image_process(path, PGAL_IMG_JPEG, 100000000, 16,
	    64, &ref, &e), PGAL_OK);
	before = count_fds();
	fd = open_fixture("orient-6.jpg");
	assert_int_equal(lseek(fd, 7, SEEK_SET), 7);
	for (i = 0; i < 10; i++) {
		assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG,
		    100000000, 16, 64, &r, &e), PGAL_OK);
		same_rendition(&r.preview, &ref.preview);
		pgal_image_result_free(&r);
		run_hook("lie-big-preview", 0, 0, &st, &e);
		run_hook("flood", 0, 30, &st, &e);
		if (i < 2)
			run_hook("sleep", 0, 1, &st, &e);
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

/* The pid of this process's pgal-decode child, 0 while there is none. */
static pid_t
find_decoder(void)
{
	char path[300], buf[512], *p;
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
		if (fgets(buf, sizeof buf, f) != NULL &&
		    strstr(buf, "(pgal-decode)") != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == getpid())
			found = atoi(de->d_name);
		fclose(f);
	}
	closedir(d);
	return found;
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

	if (w->pid == 0 && (w->pid = find_decoder()) == 0)
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

	fd = open_fixture("orient-1.jpg");
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
		snprintf(fpath, sizeof fpath, "%s/orient-1.jpg", fixtures);
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

	snprintf(src, sizeof src, "%s/nikon-d2h-gps.jpg", fixtures);
	snprintf(dst, sizeof dst, "%s/spool-0600.jpg", scratch);
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
	assert_int_equal(compare(dst, PGAL_IMG_JPEG, 100000000, 256, 1600),
	    PGAL_OK);
	assert_int_equal(unlink(dst), 0);
}

static int
setup(void **state)
{
	pgal_err e;

	fixtures = pgal_test_fixtures_dir();
	pgal_test_mkdtemp(scratch);
	/* libvips runs in this process too (the comparisons): the children
	 * must not care */
	return pgal_image_init(&e) == PGAL_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	pgal_test_rmdir(scratch);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_landlock_present),
		cmocka_unit_test(test_fixtures_identical),
		cmocka_unit_test(test_corrupt_clean_errors),
		cmocka_unit_test(test_confined_probes),
		cmocka_unit_test(test_nothing_inherited),
		cmocka_unit_test(test_stopped),
		cmocka_unit_test(test_lies),
		cmocka_unit_test(test_killed_mid_decode),
		cmocka_unit_test(test_memory_limit),
		cmocka_unit_test(test_no_leaks),
		cmocka_unit_test(test_privileges_inside),
		cmocka_unit_test(test_privileges_outside),
		cmocka_unit_test(test_drop_fails_closed),
		cmocka_unit_test(test_private_upload),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
