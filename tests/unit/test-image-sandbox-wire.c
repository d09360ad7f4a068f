/* The sandboxed decoder (core/image/sandbox.c): what comes back over its
 * pipe. Every fixture decodes to the same result in the child as in this
 * process (field by field, rendition bytes), a damaged file is the same
 * clean error, and a child that lies about its result (sizes, strings,
 * codes, escapes, a flood) is refused with a clear message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image/image.h"
#include "image/sandbox.h"
#include "testsandbox.h"

/* The decoder child is this program run again: the probes must be in it
 * (the weak symbol of core/image/sandbox.h, which only the sandbox tests
 * define). */
int
pgal_image_sandbox_test_hook(const char *what)
{
	return pgal_sbx_hook(what);
}

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

/* ---- tests ---- */

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

	snprintf(src, sizeof src, "%s/small.tif", pgal_sbx_fixtures);
	snprintf(heic, sizeof heic, "%s/sandbox.heic", pgal_sbx_scratch);
	snprintf(cmd, sizeof cmd, "vips copy '%s' '%s'", src, heic);
	assert_int_equal(system(cmd), 0);
	for (i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", pgal_sbx_fixtures, dirs[i]);
		d = opendir(path);
		assert_non_null(d);
		while ((de = readdir(d)) != NULL) {
			snprintf(path, sizeof path, "%s/%s%s", pgal_sbx_fixtures, dirs[i],
			    de->d_name);
			if (de->d_name[0] == '.' || stat(path, &st) != 0 ||
			    !S_ISREG(st.st_mode))
				continue;
			if ((t = detect_file(path)) == PGAL_IMG_UNKNOWN)
				continue;
			seen[t] = 1;
			rc = pgal_sbx_compare(path, t, 100000000, 256, 1600);
			rc == PGAL_OK ? ok++ : bad++;
			pgal_sbx_compare(path, t, 2000000, 32, 200);
		}
		closedir(d);
	}
	assert_int_equal(detect_file(heic), PGAL_IMG_HEIC);
	seen[PGAL_IMG_HEIC] = 1;
	assert_int_equal(pgal_sbx_compare(heic, PGAL_IMG_HEIC, 100000000, 256, 1600),
	    PGAL_OK);
	pgal_sbx_compare(heic, PGAL_IMG_HEIC, 100000000, 16, 64);
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

	fd = pgal_sbx_open_fixture("truncated.jpg");
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG, 100000000,
	    256, 1600, &r, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "damaged image");
	assert_null(r.preview.data);
	close(fd);
	/* a PNG said to be a JPEG: the JPEG loader refuses it */
	fd = pgal_sbx_open_fixture("small.gif");
	assert_int_equal(pgal_image_sandbox_process(fd, PGAL_IMG_JPEG, 100000000,
	    256, 1600, &r, &e), PGAL_EINPUT);
	close(fd);
	fd = pgal_sbx_open_fixture("bomb.png");
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
		int fd = pgal_sbx_open_fixture("orient-1.jpg");

		assert_int_equal(pgal_image_sandbox_run(fd, PGAL_IMG_JPEG,
		    100000000, 64, 200, &o, &r, &st, &e), PGAL_OK);
		assert_int_equal(r.preview.width, 100);
		assert_int_equal(r.width, 100);
		pgal_image_result_free(&r);
		close(fd);
	}
	assert_int_equal(pgal_sbx_run_hook("lie-truncated", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(pgal_sbx_run_hook("lie-big-preview", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(pgal_sbx_run_hook("lie-make", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	assert_int_equal(pgal_sbx_run_hook("lie-code", 0, 0, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder failed: it sent a malformed result");
	/* its message reaches terminals: sanitized */
	assert_int_equal(pgal_sbx_run_hook("lie-escape", 0, 0, &st, &e), PGAL_EINPUT);
	assert_null(strchr(e.msg, '\x1b'));
	assert_null(strchr(e.msg, '\x07'));
	assert_non_null(strstr(e.msg, "bad"));
	assert_non_null(strstr(e.msg, "image"));
	/* more than the limits allow: cut off and killed */
	assert_int_equal(pgal_sbx_run_hook("flood", 0, 30, &st, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "the decoder was stopped: it sent more than "
	    "the limits allow");
	/* an exit status without a message */
	assert_int_equal(pgal_sbx_run_hook("read:/etc/passwd", 0, 0, &st, &e), PGAL_EINPUT);
	assert_true(strncmp(e.msg, "the decoder failed (exit status ", 32) == 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures_identical),
		cmocka_unit_test(test_corrupt_clean_errors),
		cmocka_unit_test(test_lies),
	};

	return cmocka_run_group_tests(tests, pgal_sbx_setup, pgal_sbx_teardown);
}
