/*
 * The decoder in its own process. This side forks, and the child execs
 * this same program (/proc/self/exe) as "pgal-decode" with an almost empty
 * environment, the upload on descriptor 3, the pipe back on 4 and
 * /dev/null on 0 to 2: a fresh image, so no password, key, token or
 * connection of the caller's is in its memory, and libvips starts clean
 * even when the caller runs it (the TUI's previews). A constructor below
 * catches that exec before main: it opens the upload afresh through
 * /proc/self/fd/3 (an offset of its own, opened while it still has the
 * caller's rights), leaves root for an unprivileged uid with no
 * capabilities when it has them (pgal-sshd may run as root), starts
 * libvips (with the optional module the type needs, if any), confines
 * itself (confine.h), decodes from that descriptor and writes one message:
 *
 *	u32 magic, u32 version, i32 code, u32 flags
 *	code != 0:	u32 length, message bytes
 *	code == 0:	i32 width, i32 height, EXIF (fixed-size fields of
 *			pgal_exif), thumbnail, preview (each i32 width,
 *			i32 height, u32 length, JPEG bytes)
 *	u32 end
 *
 * in host order (both ends are this binary). This side reads at most what
 * the limits it asked for allow, and takes nothing it did not check.
 */
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "buf.h"
#include "clock.h"
#include "fsutil.h"
#include "image/confine.h"
#include "image/exif.h"
#include "image/sandbox.h"
#include "reader.h"
#include "sanitize.h"

#define CHILD_ARGV0 "pgal-decode"
#define CHILD_ENV "PGAL_DECODE_CHILD"
#define CHILD_FILE_FD 3
#define CHILD_OUT_FD 4
#define CHILD_EXEC_FAILED 127

#define WIRE_MAGIC 0x50475342U	/* "PGSB" */
#define WIRE_VERSION 1U
#define WIRE_END 0x454e4421U
#define WIRE_LANDLOCK 0x1U	/* flags: the decode ran under Landlock */
#define WIRE_MSG_MAX (sizeof(((pgal_err *)0)->msg) - 1)
#define WIRE_JPEG_SLACK 65536	/* headers and tables beyond 4 bytes a pixel */

/* What the parent copies into the child's empty environment. */
static const char *const env_keep[] = {
	"LD_LIBRARY_PATH=", "VIPS_CONCURRENCY=", "ASAN_OPTIONS=",
	"LSAN_OPTIONS=", "UBSAN_OPTIONS=",
};
#define ENV_KEEP (sizeof env_keep / sizeof env_keep[0])

static int last_landlocked = -1;

/* ---- the message, written by the child ---- */

/* put_u32, put_i32, put_i64, put_f64: one fixed-size field in host order. */
#define PUT_FIELD(name, type)						\
static void								\
name(pgal_buf *w, type v)						\
{									\
	pgal_buf_add(w, &v, sizeof v);					\
}
PUT_FIELD(put_u32, uint32_t)
PUT_FIELD(put_i32, int32_t)
PUT_FIELD(put_i64, int64_t)
PUT_FIELD(put_f64, double)
#undef PUT_FIELD

static void
put_rendition(pgal_buf *w, const pgal_rendition *rd)
{
	put_i32(w, rd->width);
	put_i32(w, rd->height);
	if (rd->len > UINT32_MAX) {
		w->failed = 1;
		return;
	}
	put_u32(w, (uint32_t)rd->len);
	pgal_buf_add(w, rd->data, rd->len);
}

static void
put_exif(pgal_buf *w, const pgal_exif *x)
{
	pgal_buf_add(w, x->make, sizeof x->make);
	pgal_buf_add(w, x->model, sizeof x->model);
	pgal_buf_add(w, x->lens, sizeof x->lens);
	pgal_buf_add(w, x->exposure_time, sizeof x->exposure_time);
	put_f64(w, x->f_number);
	put_i32(w, x->iso);
	put_f64(w, x->focal_length);
	put_i32(w, x->orientation);
	put_i64(w, x->taken_at);
	put_i32(w, x->gps.present);
	put_f64(w, x->gps.lat);
	put_f64(w, x->gps.lon);
	put_f64(w, x->gps.alt);
}

static int
send_msg(int code, uint32_t flags, const char *msg, const pgal_image_result *r)
{
	pgal_buf w = { 0 };
	size_t n;
	int rc;

	put_u32(&w, WIRE_MAGIC);
	put_u32(&w, WIRE_VERSION);
	put_i32(&w, code);
	put_u32(&w, flags);
	if (code != PGAL_OK) {
		n = strnlen(msg, WIRE_MSG_MAX);
		put_u32(&w, (uint32_t)n);
		pgal_buf_add(&w, msg, n);
	} else {
		put_i32(&w, r->width);
		put_i32(&w, r->height);
		put_exif(&w, &r->exif);
		put_rendition(&w, &r->thumb);
		put_rendition(&w, &r->preview);
	}
	put_u32(&w, WIRE_END);
	rc = w.failed ? -1 : pgal_fs_write_all(CHILD_OUT_FD, w.p, w.len);
	pgal_buf_free(&w);
	return rc;
}

/* ---- the child, after the exec ---- */

static int
arg_num(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Everything before the first pixel: the upload opened afresh onto
 * CHILD_FILE_FD (the caller hashes through the offset of the description
 * it shares with us, and only the caller's rights may open a spool file
 * of root's), root's rights dropped, the limits, libvips (and through it
 * the shared objects it loads), then the sandbox. */
static int
child_setup(pgal_img_type type, int cpu_secs, int64_t memory, int *landlocked, pgal_err *e)
{
	struct stat st;
	char path[64];
	int rc, fd;

	if (fstat(CHILD_FILE_FD, &st) != 0 || !S_ISREG(st.st_mode) ||
	    fstat(CHILD_OUT_FD, &st) != 0 || !S_ISFIFO(st.st_mode))
		return pgal_fail(e, PGAL_EBACKEND, "decoder started without its files");
	snprintf(path, sizeof path, "/proc/self/fd/%d", CHILD_FILE_FD);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return pgal_fail(e, PGAL_EBACKEND, "cannot reopen the upload as %s "
		    "(is /proc mounted?): %s", path, strerror(errno));
	if (dup3(fd, CHILD_FILE_FD, O_CLOEXEC) < 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "dup3: %s", strerror(errno));
		close(fd);
		return rc;
	}
	close(fd);
	if ((rc = pgal_sandbox_drop_privs(e)) != PGAL_OK ||
	    (rc = pgal_sandbox_rlimits(cpu_secs, e)) != PGAL_OK ||
	    (rc = pgal_sandbox_memory(memory, e)) != PGAL_OK ||
	    (rc = pgal_image_init_for(type, e)) != PGAL_OK)
		return rc;
	(void)pgal_image_type_supported(type);
	return pgal_sandbox_enter(CHILD_FILE_FD, landlocked, e);
}

static int
child_main(int argc, char **argv)
{
	pgal_image_result r;
	pgal_err e;
	int64_t v[6];
	uint32_t flags = 0;
	int rc, landlocked = 0, h;

	/* type, max_pixels, thumb_px, preview_px, cpu_secs, memory
	 * [, test hook] */
	if (arg_num(argv[1], PGAL_IMG_JPEG, PGAL_IMG_HEIC, &v[0]) != 0 ||
	    arg_num(argv[2], 1, INT64_MAX, &v[1]) != 0 ||
	    arg_num(argv[3], 1, INT_MAX, &v[2]) != 0 ||
	    arg_num(argv[4], 1, INT_MAX, &v[3]) != 0 ||
	    arg_num(argv[5], 1, 86400, &v[4]) != 0 ||
	    arg_num(argv[6], 1, INT64_MAX / 2, &v[5]) != 0)
		return 2;
	memset(&r, 0, sizeof r);
	pgal_err_clear(&e);
	if ((rc = child_setup((pgal_img_type)v[0], (int)v[4], v[5], &landlocked,
	    &e)) != PGAL_OK)
		return send_msg(rc, 0, e.msg, NULL) == 0 ? 0 : 1;
	if (landlocked)
		flags |= WIRE_LANDLOCK;
	if (argc == 8) {
		if (pgal_image_sandbox_test_hook == NULL)
			return 2;
		if ((h = pgal_image_sandbox_test_hook(argv[7])) >= 0)
			return h & 0xff;
	}
	/* by the descriptor: the file may be root's, and we no longer are */
	rc = pgal_image_process_fd(CHILD_FILE_FD, (pgal_img_type)v[0], v[1],
	    (int)v[2], (int)v[3], &r, &e);
	if (rc != PGAL_OK && strcmp(e.msg, PGAL_IMG_OOM) == 0)
		pgal_fail(&e, rc, "image needs more than %lld MB to decode, limit "
		    "is %lld MB (decode_memory_max)", (long long)(v[5] >> 20),
		    (long long)(v[5] >> 20));
	if (send_msg(rc, flags, e.msg, &r) != 0)
		return 1;
	/* the pipe has it all: skip libvips' shutdown, exit now */
	return 0;
}

/* Runs before main in every program that links this file; it does nothing
 * unless this process is a decoder child, which never reaches main. */
static void __attribute__((constructor))
child_entry(int argc, char **argv, char **envp)
{
	const char *v;

	if (argc < 7 || argc > 8 || argv == NULL || argv[0] == NULL ||
	    strcmp(argv[0], CHILD_ARGV0) != 0 ||
	    (v = getenv(CHILD_ENV)) == NULL || strcmp(v, "1") != 0)
		return;
	/* ps shows "exe" after an exec of /proc/self/exe */
	(void)prctl(PR_SET_NAME, CHILD_ARGV0, 0, 0, 0);
	_exit(child_main(argc, argv));
}

/* ---- this side: starting the child ---- */

/* In the child between fork and exec: only async-signal-safe calls. */
static void
exec_child(int fd, int outfd, int nul, pid_t parent, char *const argv[],
    char *const envp[])
{
	struct sigaction sa;
	sigset_t none;
	int in, out, null, sig, i;
	long max;

	/* above 4 first, so the dup2s below cannot clobber one another */
	if ((in = fcntl(fd, F_DUPFD_CLOEXEC, 10)) < 0 ||
	    (out = fcntl(outfd, F_DUPFD_CLOEXEC, 10)) < 0 ||
	    (null = fcntl(nul, F_DUPFD_CLOEXEC, 10)) < 0)
		_exit(CHILD_EXEC_FAILED);
	/* a test program keeps its stderr for sanitizer reports; elsewhere
	 * the decoder has nothing to say to the user's terminal */
	if (dup2(null, 0) < 0 || dup2(null, 1) < 0 ||
	    (pgal_image_sandbox_test_hook == NULL && dup2(null, 2) < 0) ||
	    dup2(in, CHILD_FILE_FD) < 0 || dup2(out, CHILD_OUT_FD) < 0)
		_exit(CHILD_EXEC_FAILED);
	/* whatever the caller has open (databases, sockets, the SSH
	 * connection) stays with the caller */
	if (syscall(SYS_close_range, CHILD_OUT_FD + 1, ~0U, 0) != 0) {
		max = sysconf(_SC_OPEN_MAX);
		if (max < 0 || max > 65536)
			max = 65536;
		for (i = CHILD_OUT_FD + 1; i < max; i++)
			close(i);
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	/* no controlling terminal; gone with the caller */
	(void)setsid();
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != parent)
		_exit(CHILD_EXEC_FAILED);
	execve("/proc/self/exe", argv, envp);
	_exit(CHILD_EXEC_FAILED);
}

/* ---- this side: reading and checking the message ---- */

/* get_u32, get_i32, get_i64, get_f64: one fixed-size field in host order,
 * through the bounded reader (0 once the message is short, the reader
 * failed, checked after a run of fields). */
#define GET_FIELD(name, type)						\
static type								\
name(pgal_reader *r)							\
{									\
	type v;								\
									\
	pgal_read_bytes(r, &v, sizeof v);				\
	return v;							\
}
GET_FIELD(get_u32, uint32_t)
GET_FIELD(get_i32, int32_t)
GET_FIELD(get_i64, int64_t)
GET_FIELD(get_f64, double)
#undef GET_FIELD

/* A string field: NUL-terminated inside its size, and text pgal_sanitize
 * would leave as it is (the child's parser sanitized it already). */
static int
text_ok(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL && pgal_text_is_clean(s, 0);
}

/* The ranges exif.c keeps to; anything else is not its output. */
static int
exif_ok(const pgal_exif *x)
{
	/* 1800-01-01 to 9999-12-31 23:59:60 */
	const int64_t t_min = INT64_C(-5364662400), t_max = INT64_C(253402300800);

	if (!text_ok(x->make, sizeof x->make) ||
	    !text_ok(x->model, sizeof x->model) ||
	    !text_ok(x->lens, sizeof x->lens) ||
	    !text_ok(x->exposure_time, sizeof x->exposure_time))
		return 0;
	if (!(x->f_number == 0 || (x->f_number > 0 && x->f_number <= 1000)) ||
	    !(x->focal_length == 0 ||
	    (x->focal_length > 0 && x->focal_length <= 100000)) ||
	    x->iso < 0 || x->iso > 10000000 ||
	    x->orientation < 0 || x->orientation > 8 ||
	    (x->taken_at != -1 && (x->taken_at < t_min || x->taken_at > t_max)))
		return 0;
	if (x->gps.present != 0 && x->gps.present != 1)
		return 0;
	/* no position: as pgal_exif_clear left it */
	if (!x->gps.present && (x->gps.lat != 0 || x->gps.lon != 0 ||
	    !isnan(x->gps.alt)))
		return 0;
	if (x->gps.present && (!(x->gps.lat >= -90 && x->gps.lat <= 90) ||
	    !(x->gps.lon >= -180 && x->gps.lon <= 180) ||
	    !(isnan(x->gps.alt) || fabs(x->gps.alt) <= 100000)))
		return 0;
	return 1;
}

static size_t
rendition_max(int edge)
{
	return (size_t)edge * (size_t)edge * 4 + WIRE_JPEG_SLACK;
}

/* A JPEG whose long edge is at most edge, its bytes copied out. */
static int
get_rendition(pgal_reader *r, int edge, pgal_rendition *out)
{
	int32_t w, h;
	uint32_t len;
	const unsigned char *p;

	w = get_i32(r);
	h = get_i32(r);
	len = get_u32(r);
	if (r->failed || w < 1 || h < 1 || w > edge || h > edge ||
	    len < 4 || len > rendition_max(edge) ||
	    len > (size_t)w * (size_t)h * 4 + WIRE_JPEG_SLACK ||
	    pgal_read_view(r, &p, len) == -1)
		return -1;
	/* SOI first, EOI last: the shape of what jpegsave writes */
	if (p[0] != 0xff || p[1] != 0xd8 || p[2] != 0xff ||
	    p[len - 2] != 0xff || p[len - 1] != 0xd9)
		return -1;
	if ((out->data = g_try_malloc(len)) == NULL)
		return -1;
	memcpy(out->data, p, len);
	out->len = len;
	out->width = w;
	out->height = h;
	return 0;
}

/* 0: *r filled; a pgal code: the child's error (in e); -1: malformed. */
static int
parse(const unsigned char *buf, size_t len, int64_t max_pixels, int thumb_px,
    int preview_px, pgal_image_result *r, uint32_t *flags, pgal_err *e)
{
	pgal_reader rd;
	char text[WIRE_MSG_MAX + 1];
	const unsigned char *msg;
	pgal_exif *x = &r->exif;
	int32_t code;
	uint32_t n;

	pgal_reader_init(&rd, buf, len);
	if (get_u32(&rd) != WIRE_MAGIC || get_u32(&rd) != WIRE_VERSION)
		return -1;
	code = get_i32(&rd);
	*flags = get_u32(&rd);
	if (rd.failed)
		return -1;
	if (code != PGAL_OK) {
		/* a decoder reports bad input or its own failure, no more */
		if (code != PGAL_EINPUT && code != PGAL_EBACKEND)
			return -1;
		n = get_u32(&rd);
		if (rd.failed || n > WIRE_MSG_MAX || pgal_read_view(&rd, &msg, n) == -1)
			return -1;
		pgal_sanitize_n(text, sizeof text, (const char *)msg, n, 0);
		if (get_u32(&rd) != WIRE_END || rd.failed || pgal_reader_left(&rd) != 0)
			return -1;
		return pgal_fail(e, code, "%s", text[0] != '\0' ? text :
		    "the decoder failed");
	}
	r->width = get_i32(&rd);
	r->height = get_i32(&rd);
	pgal_read_bytes(&rd, x->make, sizeof x->make);
	pgal_read_bytes(&rd, x->model, sizeof x->model);
	pgal_read_bytes(&rd, x->lens, sizeof x->lens);
	pgal_read_bytes(&rd, x->exposure_time, sizeof x->exposure_time);
	x->f_number = get_f64(&rd);
	x->iso = get_i32(&rd);
	x->focal_length = get_f64(&rd);
	x->orientation = get_i32(&rd);
	x->taken_at = get_i64(&rd);
	x->gps.present = get_i32(&rd);
	x->gps.lat = get_f64(&rd);
	x->gps.lon = get_f64(&rd);
	x->gps.alt = get_f64(&rd);
	if (rd.failed || r->width < 1 || r->height < 1 ||
	    (int64_t)r->width * r->height > max_pixels || !exif_ok(x))
		return -1;
	if (get_rendition(&rd, thumb_px, &r->thumb) != 0 ||
	    get_rendition(&rd, preview_px, &r->preview) != 0 ||
	    get_u32(&rd) != WIRE_END || rd.failed || pgal_reader_left(&rd) != 0)
		return -1;
	return 0;
}

enum outcome { READ_EOF, READ_TIMEOUT, READ_TOO_MUCH, READ_ERROR };

/* Reads the pipe to EOF into in, at most cap bytes, until deadline. */
static enum outcome
read_all(int fd, size_t cap, int64_t deadline, pgal_buf *in)
{
	struct pollfd pfd;
	size_t want;
	int64_t left;
	ssize_t n;
	void *at;

	for (;;) {
		if ((left = deadline - pgal_now_ms()) <= 0)
			return READ_TIMEOUT;
		pfd.fd = fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, left > INT_MAX ? INT_MAX : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return READ_ERROR;
		}
		if (pfd.revents == 0)
			continue;
		if (in->len == cap)
			return READ_TOO_MUCH;
		want = cap - in->len < 65536 ? cap - in->len : 65536;
		if ((at = pgal_buf_room(in, want)) == NULL)
			return READ_ERROR;
		n = read(fd, at, want);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return READ_ERROR;
		if (n == 0)
			return READ_EOF;
		pgal_buf_used(in, (size_t)n);
	}
}

static int
stopped(pgal_err *e, int sig, int cpu_secs)
{
	switch (sig) {
	case SIGXCPU:
		return pgal_fail(e, PGAL_EINPUT, "the decoder was stopped: it "
		    "used more than %d s of CPU time", cpu_secs);
	case SIGSYS:
		return pgal_fail(e, PGAL_EINPUT, "the decoder was stopped: it "
		    "made a system call the sandbox forbids");
	default:
		return pgal_fail(e, PGAL_EINPUT, "the decoder was stopped: "
		    "signal %d (%s)", sig, strsignal(sig));
	}
}

static const char *
env_find(const char *prefix)
{
	extern char **environ;
	size_t n = strlen(prefix);
	char **ep;

	for (ep = environ; ep != NULL && *ep != NULL; ep++) {
		if (strncmp(*ep, prefix, n) == 0)
			return *ep;
	}
	return NULL;
}

/* A decoder on its way: what finish needs to read and judge its answer. */
struct pgal_image_job {
	pid_t pid;
	int fd;			/* the pipe's reading end */
	int64_t deadline;	/* CLOCK_MONOTONIC ms */
	int64_t max_pixels, memory_max;
	int thumb_px, preview_px, cpu_secs, wall_secs;
};

int
pgal_image_sandbox_start(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, const pgal_image_sandbox_opts *o,
    pgal_image_job **jp, pgal_err *e)
{
	static const pgal_image_sandbox_opts defaults = { 0, 0, NULL, 0 };
	char a_type[16], a_max[32], a_thumb[16], a_prev[16], a_cpu[16], a_mem[32];
	char *argv[9], *envp[ENV_KEEP + 2];
	pgal_image_job *j;
	size_t i, ne = 0;
	int p[2] = { -1, -1 }, nul, rc;
	pid_t pid, parent = getpid();

	if (jp == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "no job");
	*jp = NULL;
	if (o == NULL)
		o = &defaults;
	if (fd < 0 || max_pixels <= 0 || thumb_px <= 0 || preview_px <= 0 ||
	    preview_px > 65535 || type < PGAL_IMG_JPEG || type > PGAL_IMG_HEIC)
		return pgal_fail(e, PGAL_EUSAGE, "bad image parameters");
	if (o->test_hook != NULL && pgal_image_sandbox_test_hook == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "no test hook in this program");
	if ((j = calloc(1, sizeof *j)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	j->max_pixels = max_pixels;
	j->thumb_px = thumb_px < preview_px ? thumb_px : preview_px;
	j->preview_px = preview_px;
	j->cpu_secs = o->cpu_secs > 0 ? o->cpu_secs : PGAL_SANDBOX_CPU_SECS;
	j->wall_secs = o->wall_secs > 0 ? o->wall_secs : PGAL_SANDBOX_WALL_SECS;
	j->memory_max = o->memory_max > 0 ? o->memory_max : PGAL_SANDBOX_MEMORY;

	/* everything the child needs is made here: after fork it only
	 * shuffles descriptors and execs */
	snprintf(a_type, sizeof a_type, "%d", (int)type);
	snprintf(a_max, sizeof a_max, "%lld", (long long)max_pixels);
	snprintf(a_thumb, sizeof a_thumb, "%d", j->thumb_px);
	snprintf(a_prev, sizeof a_prev, "%d", preview_px);
	snprintf(a_cpu, sizeof a_cpu, "%d", j->cpu_secs);
	snprintf(a_mem, sizeof a_mem, "%lld", (long long)j->memory_max);
	argv[0] = (char *)CHILD_ARGV0;
	argv[1] = a_type;
	argv[2] = a_max;
	argv[3] = a_thumb;
	argv[4] = a_prev;
	argv[5] = a_cpu;
	argv[6] = a_mem;
	argv[7] = (char *)o->test_hook;
	argv[8] = NULL;
	envp[ne++] = (char *)CHILD_ENV "=1";
	for (i = 0; i < ENV_KEEP; i++) {
		const char *v = env_find(env_keep[i]);

		if (v != NULL)
			envp[ne++] = (char *)v;
	}
	envp[ne] = NULL;

	if ((nul = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "/dev/null: %s", strerror(errno));
		free(j);
		return rc;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "pipe: %s", strerror(errno));
		close(nul);
		free(j);
		return rc;
	}
	if ((pid = fork()) < 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "cannot start the decoder: %s",
		    strerror(errno));
		close(nul);
		close(p[0]);
		close(p[1]);
		free(j);
		return rc;
	}
	if (pid == 0)
		exec_child(fd, p[1], nul, parent, argv, envp);
	close(nul);
	close(p[1]);
	j->pid = pid;
	j->fd = p[0];
	j->deadline = pgal_now_ms() + (int64_t)j->wall_secs * 1000;
	*jp = j;
	return PGAL_OK;
}

void
pgal_image_sandbox_cancel(pgal_image_job *j)
{
	if (j == NULL)
		return;
	kill(j->pid, SIGKILL);
	while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(j->fd);
	free(j);
}

int
pgal_image_sandbox_finish(pgal_image_job *j, pgal_image_result *r,
    int *status, pgal_err *e)
{
	static int warned;
	pgal_buf in = { 0 };
	size_t cap;
	enum outcome how;
	uint32_t flags = 0;
	int st = -1, rc, pr;
	pid_t w;

	if (status != NULL)
		*status = -1;
	if (r == NULL || j == NULL) {
		pgal_image_sandbox_cancel(j);
		return pgal_fail(e, PGAL_EUSAGE, "no result or no job");
	}
	memset(r, 0, sizeof *r);
	pgal_exif_clear(&r->exif);
	/* the largest message the limits allow */
	cap = 4096 + sizeof(pgal_exif) + 64 + rendition_max(j->thumb_px) +
	    rendition_max(j->preview_px);
	how = read_all(j->fd, cap, j->deadline, &in);
	close(j->fd);
	if (how != READ_EOF)
		kill(j->pid, SIGKILL);
	while ((w = waitpid(j->pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (w != j->pid)
		st = -1; /* reaped by someone else: the message decides */
	if (status != NULL)
		*status = st;

	rc = PGAL_EINPUT;
	if (how == READ_TIMEOUT)
		pgal_fail(e, rc, "the decoder was stopped: it ran longer than "
		    "%d s", j->wall_secs);
	else if (how == READ_TOO_MUCH)
		pgal_fail(e, rc, "the decoder was stopped: it sent more than "
		    "the limits allow");
	else if (how == READ_ERROR)
		rc = pgal_fail(e, PGAL_EBACKEND, "cannot read the decoder's "
		    "result: %s", strerror(errno));
	else if (st != -1 && WIFSIGNALED(st))
		stopped(e, WTERMSIG(st), j->cpu_secs);
	else if (st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == CHILD_EXEC_FAILED)
		rc = pgal_fail(e, PGAL_EBACKEND, "cannot start the decoder "
		    "(exec of /proc/self/exe failed)");
	else if (st != -1 && (!WIFEXITED(st) || WEXITSTATUS(st) != 0))
		pgal_fail(e, rc, "the decoder failed (exit status %d)",
		    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else if ((pr = parse((const unsigned char *)in.p, in.len, j->max_pixels, j->thumb_px,
	    j->preview_px, r, &flags, e)) < 0)
		pgal_fail(e, rc, "the decoder failed: it sent a malformed result");
	else if (pr > 0)
		rc = pr;
	else
		rc = PGAL_OK;
	pgal_buf_free(&in);
	free(j);
	if (rc != PGAL_OK) {
		pgal_image_result_free(r);
		memset(r, 0, sizeof *r);
		pgal_exif_clear(&r->exif);
		return rc;
	}
	last_landlocked = (flags & WIRE_LANDLOCK) != 0;
	if (!last_landlocked && !warned) {
		warned = 1;
		/* once, and never onto a terminal the TUI may be drawing on */
		if (!isatty(STDERR_FILENO))
			fprintf(stderr, "pgal: Landlock is not available: the image "
			    "decoder runs confined by seccomp and rlimits only\n");
	}
	return PGAL_OK;
}

int
pgal_image_sandbox_run(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, const pgal_image_sandbox_opts *o,
    pgal_image_result *r, int *status, pgal_err *e)
{
	pgal_image_job *j;
	int rc;

	if (status != NULL)
		*status = -1;
	if (r == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "no result");
	memset(r, 0, sizeof *r);
	pgal_exif_clear(&r->exif);
	if ((rc = pgal_image_sandbox_start(fd, type, max_pixels, thumb_px,
	    preview_px, o, &j, e)) != PGAL_OK)
		return rc;
	return pgal_image_sandbox_finish(j, r, status, e);
}

int
pgal_image_sandbox_process(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e)
{
	return pgal_image_sandbox_run(fd, type, max_pixels, thumb_px,
	    preview_px, NULL, r, NULL, e);
}

int
pgal_image_sandbox_landlocked(void)
{
	return last_landlocked;
}
