/* The listener's probes (sshd/probe.c) with the child setup they share
 * with every child of the server (sshd/child.c), compiled in here: the
 * unit tests link the core library only. Real children, real pipes: what
 * a probe answers, what it says when it fails, dies or hangs, what it
 * holds and which signals it starts with. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <time.h>

#include "../../sshd/child.c"
#include "../../sshd/probe.c"

/* what child.c and probe.c need of the rest of the server */
int
sshd_log_fd(void)
{
	return STDERR_FILENO;
}

void
sshd_log_set_fd(int fd)
{
}

void
sshd_gallery_close(struct sshd_gallery *sg)
{
}

static int
says_hello(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	*len = (size_t)snprintf(out, size, "hello %s", (const char *)arg);
	return PGAL_OK;
}

static int
refuses(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	return pgal_fail(e, PGAL_ENOTFOUND, "no such %s", (const char *)arg);
}

/* a result far larger than a pipe holds: written in many rounds */
static int
says_much(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	memset(out, 'x', size);
	*len = size;
	return PGAL_OK;
}

static int
dies(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	_exit(0);
}

/* hangs (a store that does not answer): its alarm ends it long before */
static int
hangs(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	sleep(60);
	return PGAL_OK;
}

/* claims more than it may send */
static int
boasts(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	memset(out, 'x', size);
	*len = size * 4;
	return PGAL_OK;
}

/* what the child holds: "fds=N" open above 2, then its SIGTERM and SIGPIPE */
static int
inspects(const void *arg, char *out, size_t size, size_t *len, pgal_err *e)
{
	struct sigaction term, pipe_;
	int fd, open_fds = 0;

	for (fd = 3; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			open_fds++;
	sigaction(SIGTERM, NULL, &term);
	sigaction(SIGPIPE, NULL, &pipe_);
	*len = (size_t)snprintf(out, size, "fds=%d term=%s pipe=%s alarm=%u", open_fds,
	    term.sa_handler == SIG_DFL ? "default" : "other",
	    pipe_.sa_handler == SIG_DFL ? "default" : "other", alarm(0));
	return PGAL_OK;
}

/* No child of a probe is left behind: every one was reaped. */
static void
no_child_left(void)
{
	assert_int_equal(waitpid(-1, NULL, WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void
test_answer(void **state)
{
	char out[64];
	size_t len = 99;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("greeting", says_hello, "there", 5, out, sizeof out,
	    &len, &e), PGAL_OK);
	assert_int_equal(len, strlen("hello there"));
	assert_memory_equal(out, "hello there", len);
	no_child_left();
}

static void
test_reason(void **state)
{
	char out[64];
	size_t len = 99;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("lookup", refuses, "album", 5, out, sizeof out, &len,
	    &e), PGAL_ENOTFOUND);
	assert_int_equal(e.code, PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such album");
	assert_int_equal(len, 0);
	/* with no room for a result, the reason still comes whole */
	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("lookup", refuses, "photo", 5, NULL, 0, NULL, &e),
	    PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such photo");
	no_child_left();
}

static void
test_dies(void **state)
{
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("the check", dies, NULL, 5, NULL, 0, NULL, &e),
	    PGAL_EBACKEND);
	assert_string_equal(e.msg, "the check: ended without an answer");
	no_child_left();
}

static void
test_hangs(void **state)
{
	int64_t t0 = pgal_now_ms(), took;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("host key", hangs, NULL, 1, NULL, 0, NULL, &e),
	    PGAL_EBACKEND);
	took = pgal_now_ms() - t0;
	assert_string_equal(e.msg, "host key: no answer within 1 s");
	/* its alarm ends it after 1 s; its parent would kill it after 2 */
	assert_true(took >= 1000 && took < 2500);
	no_child_left();
}

static void
test_bounded(void **state)
{
	char out[17];
	size_t len = 0;
	pgal_err e;

	memset(out, 0, sizeof out);
	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("boast", boasts, NULL, 5, out, 16, &len, &e), PGAL_OK);
	assert_int_equal(len, 16);
	assert_int_equal(out[16], '\0');
	no_child_left();
}

static void
test_child_setup(void **state)
{
	char out[128];
	size_t len = 0;
	int extra[2];
	pgal_err e;

	/* the parent's descriptors (a listening socket, say) and handlers
	 * must not reach the child */
	assert_int_equal(pipe(extra), 0);
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	alarm(100);
	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_run("inspect", inspects, NULL, 7, out, sizeof out - 1,
	    &len, &e), PGAL_OK);
	alarm(0);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	close(extra[0]);
	close(extra[1]);
	out[len] = '\0';
	/* its pipe alone on 3; child.c's signals; its own alarm running */
	assert_string_equal(out, "fds=1 term=default pipe=default alarm=7");
	no_child_left();
}

/* The health check's way: started, polled, ended; reaped by the caller. */
/* An answer cut short (the parent stopped waiting while the child was
 * still writing it; or its alarm rang between the code and the result)
 * is no answer: a cut host key must never replace a whole one. */
static void
test_cut_answer(void **state)
{
	enum { BIG = 1 << 20 };
	static char out[BIG];
	struct sshd_probe p;
	struct pollfd pfd;
	size_t len = 1;
	ssize_t n;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_start(&p, "host key", says_much, NULL, 5, out, BIG, &e),
	    PGAL_OK);
	/* the code and a little of the result, read here by hand: the child
	 * is then blocked writing the rest (a pipe holds 64 KiB of 1 MiB) */
	pfd.fd = p.fd;
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	assert_int_equal(read(p.fd, &p.code, 1), 1);
	assert_int_equal(p.code, '0');
	assert_int_equal(poll(&pfd, 1, 10000), 1);
	n = read(p.fd, out, 4096);
	assert_true(n > 0);
	p.got = (size_t)n;
	assert_int_equal(sshd_probe_end(&p, 1, &len, &e), PGAL_EBACKEND);
	assert_int_equal(len, 0);
	assert_non_null(strstr(e.msg, "host key"));
	no_child_left();
}

static void
test_async(void **state)
{
	struct sshd_probe p;
	struct pollfd pfd;
	pid_t pid;
	int status, i;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(sshd_probe_start(&p, "lookup", refuses, "user", 5, NULL, 0, &e),
	    PGAL_OK);
	pid = p.pid;
	pfd.fd = p.fd;
	pfd.events = POLLIN;
	for (i = 0; i < 100 && !sshd_probe_read(&p); i++)
		assert_true(poll(&pfd, 1, 100) >= 0);
	assert_true(p.eof);
	assert_int_equal(sshd_probe_end(&p, 0, NULL, &e), PGAL_ENOTFOUND);
	assert_string_equal(e.msg, "no such user");
	assert_int_equal(p.fd, -1);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == PGAL_ENOTFOUND);
	no_child_left();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_reason),
		cmocka_unit_test(test_dies),
		cmocka_unit_test(test_hangs),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_child_setup),
		cmocka_unit_test(test_cut_answer),
		cmocka_unit_test(test_async),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
