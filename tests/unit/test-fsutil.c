/* pgal_fs_read_small (core/fsutil.h): the whole file with a NUL after it;
 * each refusal told apart (missing, not a regular file, shared, too big,
 * a symlink when refused); files whose size stat does not know (/proc)
 * read whole or refused past the cap. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fsutil.h"
#include "testlib.h"

static char dir[PATH_MAX], path[PATH_MAX + 32];

static const char *
put(const char *name, const void *data, size_t len, mode_t mode)
{
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(pgal_fs_write_all(fd, data, len), 0);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

static int
setup(void **state)
{
	pgal_test_mkdtemp(dir);
	return 0;
}

static int
teardown(void **state)
{
	pgal_test_rmdir(dir);
	return 0;
}

static void
test_whole_file(void **state)
{
	char big[70000], *out;
	size_t len, i;

	assert_int_equal(pgal_fs_read_small(put("a", "key\0data\n", 9, 0600), 64, 0, &out, &len),
	    PGAL_FS_SMALL_OK);
	assert_int_equal(len, 9);
	assert_memory_equal(out, "key\0data\n", 10);
	free(out);
	/* exactly the cap is fine */
	assert_int_equal(pgal_fs_read_small(put("b", "12345678", 8, 0600), 8, 0, &out, &len),
	    PGAL_FS_SMALL_OK);
	assert_string_equal(out, "12345678");
	free(out);
	assert_int_equal(pgal_fs_read_small(put("c", "", 0, 0600), 8, 0, &out, &len),
	    PGAL_FS_SMALL_OK);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	free(out);
	for (i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	assert_int_equal(pgal_fs_read_small(put("d", big, sizeof big, 0644), 1 << 20, 0, &out,
	    &len), PGAL_FS_SMALL_OK);
	assert_int_equal(len, sizeof big);
	assert_memory_equal(out, big, sizeof big);
	assert_int_equal(out[len], '\0');
	free(out);
}

static void
test_refusals(void **state)
{
	char link[PATH_MAX + 32], *out = (char *)1;
	size_t len;

	snprintf(path, sizeof path, "%s/missing", dir);
	assert_int_equal(pgal_fs_read_small(path, 64, 0, &out, &len), PGAL_FS_SMALL_OPEN);
	assert_int_equal(errno, ENOENT);
	assert_null(out);
	assert_int_equal(pgal_fs_read_small(dir, 64, 0, &out, &len), PGAL_FS_SMALL_NOT_FILE);
	assert_int_equal(pgal_fs_read_small("/dev/null", 64, 0, &out, &len),
	    PGAL_FS_SMALL_NOT_FILE);
	assert_int_equal(pgal_fs_read_small(put("big", "123456789", 9, 0600), 8, 0, &out, &len),
	    PGAL_FS_SMALL_TOO_BIG);
	assert_int_equal(len, 9);
	assert_null(out);
	/* group or others may read: refused only when asked */
	assert_int_equal(pgal_fs_read_small(put("shared", "k", 1, 0640), 8, PGAL_FS_PRIVATE,
	    &out, &len), PGAL_FS_SMALL_SHARED);
	assert_int_equal(pgal_fs_read_small(put("shared", "k", 1, 0604), 8, PGAL_FS_PRIVATE,
	    &out, &len), PGAL_FS_SMALL_SHARED);
	assert_int_equal(pgal_fs_read_small(put("shared", "k", 1, 0604), 8, PGAL_FS_OWN,
	    &out, &len), PGAL_FS_SMALL_OK);
	free(out);
	assert_int_equal(pgal_fs_read_small(put("mine", "k", 1, 0600), 8,
	    PGAL_FS_PRIVATE | PGAL_FS_OWN, &out, &len), PGAL_FS_SMALL_OK);
	free(out);
	if (geteuid() == 0) {
		/* someone else's file, readable to root */
		assert_int_equal(chown(path, 65534, 65534), 0);
		assert_int_equal(pgal_fs_read_small(path, 8, PGAL_FS_OWN, &out, &len),
		    PGAL_FS_SMALL_SHARED);
		assert_int_equal(pgal_fs_read_small(path, 8, PGAL_FS_PRIVATE, &out, &len),
		    PGAL_FS_SMALL_OK);
		free(out);
	}
	/* a symlink: followed unless refused */
	put("target", "t", 1, 0600);
	snprintf(link, sizeof link, "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(pgal_fs_read_small(link, 8, 0, &out, &len), PGAL_FS_SMALL_OK);
	assert_string_equal(out, "t");
	free(out);
	assert_int_equal(pgal_fs_read_small(link, 8, PGAL_FS_NOFOLLOW, &out, &len),
	    PGAL_FS_SMALL_OPEN);
	assert_int_equal(errno, ELOOP);
}

/* /proc files say size 0 and hold more (cmdline: this program's path and
 * arguments): read to their end all the same */
static void
test_unknown_size(void **state)
{
	char want[8192], *out;
	size_t len, n;
	FILE *f;

	f = fopen("/proc/self/cmdline", "r");
	assert_non_null(f);
	n = fread(want, 1, sizeof want, f);
	fclose(f);
	assert_true(n > 16 && n < sizeof want);
	assert_int_equal(pgal_fs_read_small("/proc/self/cmdline", sizeof want, 0, &out, &len),
	    PGAL_FS_SMALL_OK);
	assert_int_equal(len, n);
	assert_memory_equal(out, want, n);
	free(out);
	assert_int_equal(pgal_fs_read_small("/proc/self/cmdline", 16, 0, &out, &len),
	    PGAL_FS_SMALL_TOO_BIG);
	assert_null(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_file),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_unknown_size),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
