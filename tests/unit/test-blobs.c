/* Blob keys and the folder backend: round trips, atomic writes leaving no
 * temp files, hostile keys, listing, stale temp cleanup, error paths. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "blobs/blobs.h"
#include "crypto.h"
#include "testlib.h"

#define ID1 "0123456789abcdef0123456789abcdef"
#define ID2 "ffeeddccbbaa99887766554433221100"
#define ID3 "a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0"

/* snprintf that must not cut: a cut path would test the wrong thing */
#define PATHF(buf, sz, ...) \
	assert_true((size_t)snprintf((buf), (sz), __VA_ARGS__) < (sz))

struct fixture {
	pgal_config cfg;
	pgal_blobs *b;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	pgal_err e;

	assert_non_null(f);
	pgal_test_config(&f->cfg);
	pgal_err_clear(&e);
	if (pgal_blobs_fs.open(&f->b, &f->cfg, &e) != PGAL_OK) {
		print_error("open: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->b != NULL)
		f->b->ops->close(f->b);
	chmod(f->cfg.blobs_dir, 0700);
	pgal_test_rmdir(f->cfg.home);
	free(f);
	return 0;
}

static void
test_keys(void **state)
{
	static const char *bad[] = {
		"", "../etc/passwd", "orig/01/../../../etc/passwd",
		"orig/01/0123456789abcdef0123456789abcde",
		"orig/01/0123456789abcdef0123456789abcdef0",
		"orig/01/0123456789ABCDEF0123456789abcdef",
		"orig/02/0123456789abcdef0123456789abcdef",
		"other/01/0123456789abcdef0123456789abcdef",
		"orig//01/0123456789abcdef0123456789abcdef",
		"/orig/01/0123456789abcdef0123456789abcdef",
		"orig/01/0123456789abcdef0123456789abcdef/",
		"orig/01/0123456789abcdef0123456789abcdef\n",
		"orig/01/.tmp-0123456789abcdef",
		"origx/01/0123456789abcdef0123456789abcdef",
		"orig/010123456789abcdef0123456789abcdef",
	};
	char key[PGAL_BLOB_KEY_MAX], id[33];
	pgal_err e;
	size_t i;

	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	assert_string_equal(key, "orig/01/" ID1);
	assert_int_equal(pgal_blob_key_id(key, id), 1);
	assert_string_equal(id, ID1);
	pgal_blob_key(key, ID2, PGAL_BLOB_THUMB);
	assert_string_equal(key, "thumb/ff/" ID2);
	assert_int_equal(pgal_blob_key_id(key, id), 1);
	assert_string_equal(id, ID2);
	pgal_blob_key(key, ID3, PGAL_BLOB_PREVIEW);
	assert_string_equal(key, "preview/a0/" ID3);
	assert_int_equal(pgal_blob_key_id(key, id), 1);

	/* ids that are not 32 lowercase hex, and bad kinds, give "" */
	pgal_blob_key(key, "0123456789ABCDEF0123456789abcdef", PGAL_BLOB_ORIG);
	assert_string_equal(key, "");
	pgal_blob_key(key, "../../../../etc/passwd", PGAL_BLOB_ORIG);
	assert_string_equal(key, "");
	pgal_blob_key(key, ID1 "0", PGAL_BLOB_ORIG);
	assert_string_equal(key, "");
	pgal_blob_key(key, NULL, PGAL_BLOB_ORIG);
	assert_string_equal(key, "");
	pgal_blob_key(key, ID1, (pgal_blob_kind)3);
	assert_string_equal(key, "");
	pgal_blob_key(key, ID1, (pgal_blob_kind)-1);
	assert_string_equal(key, "");

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pgal_blob_key_id(bad[i], id) != 0) {
			print_error("accepted '%s'\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(pgal_blob_key_id(NULL, id), 0);
	/* the check every backend makes before touching a key */
	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	assert_int_equal(pgal_blob_key_check(key, &e), PGAL_OK);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (pgal_blob_key_check(bad[i], &e) != PGAL_EINPUT ||
		    strcmp(e.msg, "not a blob key") != 0) {
			print_error("key check passed '%s'\n", bad[i]);
			fail();
		}
	}
	assert_int_equal(pgal_blob_key_check(NULL, &e), PGAL_EINPUT);

	assert_ptr_equal(pgal_blobs_find("fs"), &pgal_blobs_fs);
	assert_null(pgal_blobs_find("s3x"));
	assert_null(pgal_blobs_find(""));
	assert_null(pgal_blobs_find(NULL));
}

static void
key_path(struct fixture *f, const char *key, char *out, size_t sz)
{
	PATHF(out, sz, "%s/%s", f->cfg.blobs_dir, key);
}

static void
test_mem_roundtrip(void **state)
{
	struct fixture *f = *state;
	const pgal_blobs_ops *ops = f->b->ops;
	char key[PGAL_BLOB_KEY_MAX], path[PATH_MAX + 80];
	unsigned char data[5000];
	struct stat st;
	void *got;
	size_t len, i;
	pgal_err e;

	/* the folder is private */
	assert_int_equal(stat(f->cfg.blobs_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	for (i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	assert_int_equal(ops->put_mem(f->b, key, data, sizeof data, &e), PGAL_OK);
	key_path(f, key, path, sizeof path);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof data);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(ops->get_mem(f->b, key, sizeof data, &got, &len, &e), PGAL_OK);
	assert_int_equal(len, sizeof data);
	assert_memory_equal(got, data, sizeof data);
	free(got);

	/* one byte under the object's size is refused */
	pgal_err_clear(&e);
	assert_int_equal(ops->get_mem(f->b, key, sizeof data - 1, &got, &len, &e), PGAL_EINPUT);
	assert_null(got);
	assert_non_null(strstr(e.msg, "larger than"));

	/* overwrite: the new content replaces the old */
	assert_int_equal(ops->put_mem(f->b, key, "short", 5, &e), PGAL_OK);
	assert_int_equal(ops->get_mem(f->b, key, 100, &got, &len, &e), PGAL_OK);
	assert_int_equal(len, 5);
	assert_memory_equal(got, "short", 5);
	free(got);

	/* empty objects exist */
	pgal_blob_key(key, ID2, PGAL_BLOB_THUMB);
	assert_int_equal(ops->put_mem(f->b, key, NULL, 0, &e), PGAL_OK);
	assert_int_equal(ops->get_mem(f->b, key, 0, &got, &len, &e), PGAL_OK);
	assert_int_equal(len, 0);
	free(got);

	/* only the two objects are on disk: no temp file survived */
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 2);

	/* delete, twice */
	assert_int_equal(ops->del(f->b, key, &e), PGAL_OK);
	assert_int_equal(ops->del(f->b, key, &e), PGAL_OK);
	pgal_err_clear(&e);
	assert_int_equal(ops->get_mem(f->b, key, 10, &got, &len, &e), PGAL_ENOTFOUND);
	assert_int_equal(e.code, PGAL_ENOTFOUND);
	assert_int_equal(ops->get_fd(f->b, key, 1, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 1);
}

static void
test_fd_roundtrip(void **state)
{
	struct fixture *f = *state;
	const pgal_blobs_ops *ops = f->b->ops;
	char key[PGAL_BLOB_KEY_MAX], want[65], got[65], out[PATH_MAX + 16];
	const char *src = pgal_test_fixture("big-24mp.jpg");
	struct stat st;
	pgal_err e;
	int fd, ofd;
	off_t size;

	fd = open(src, O_RDONLY);
	if (fd == -1) {
		print_error("%s: %s\n", src, strerror(errno));
		fail();
	}
	assert_int_equal(fstat(fd, &st), 0);
	size = st.st_size;
	assert_true(size > 4 * 65536); /* several copy buffers */
	assert_int_equal(pgal_sha256_fd(fd, want, &e), PGAL_OK);

	pgal_blob_key(key, ID3, PGAL_BLOB_ORIG);
	lseek(fd, 0, SEEK_SET);
	pgal_err_clear(&e);
	assert_int_equal(ops->put_fd(f->b, key, fd, &e), PGAL_OK);

	PATHF(out, sizeof out, "%s/out", f->cfg.home);
	ofd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(ofd >= 0);
	assert_int_equal(ops->get_fd(f->b, key, ofd, &e), PGAL_OK);
	assert_int_equal(pgal_sha256_fd(ofd, got, &e), PGAL_OK);
	assert_string_equal(got, want);
	close(ofd);

	/* from the current offset: the first 1000 bytes are skipped */
	lseek(fd, 1000, SEEK_SET);
	assert_int_equal(ops->put_fd(f->b, key, fd, &e), PGAL_OK);
	PATHF(out, sizeof out, "%s/%s", f->cfg.blobs_dir, key);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_size, size - 1000);
	close(fd);

	/* from a pipe */
	{
		int p[2];
		void *data;
		size_t len;

		assert_int_equal(pipe(p), 0);
		assert_int_equal(write(p[1], "piped", 5), 5);
		close(p[1]);
		assert_int_equal(ops->put_fd(f->b, key, p[0], &e), PGAL_OK);
		close(p[0]);
		assert_int_equal(ops->get_mem(f->b, key, 5, &data, &len, &e), PGAL_OK);
		assert_int_equal(len, 5);
		assert_memory_equal(data, "piped", 5);
		free(data);
	}
}

static void
test_hostile_keys(void **state)
{
	struct fixture *f = *state;
	const pgal_blobs_ops *ops = f->b->ops;
	static const char *bad[] = {
		"../escaped", "orig/01/../../../escaped", "/tmp/escaped",
		"orig/01/0123456789abcdef0123456789abcdeX", "", "orig",
	};
	char escaped[PATH_MAX + 16];
	void *data;
	size_t i, len;
	pgal_err e;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pgal_err_clear(&e);
		assert_int_equal(ops->put_mem(f->b, bad[i], "x", 1, &e), PGAL_EINPUT);
		assert_int_equal(e.code, PGAL_EINPUT);
		assert_int_equal(ops->put_fd(f->b, bad[i], 0, &e), PGAL_EINPUT);
		assert_int_equal(ops->get_fd(f->b, bad[i], 1, &e), PGAL_EINPUT);
		assert_int_equal(ops->get_mem(f->b, bad[i], 10, &data, &len, &e), PGAL_EINPUT);
		assert_int_equal(ops->del(f->b, bad[i], &e), PGAL_EINPUT);
	}
	/* nothing was written anywhere */
	assert_int_equal(pgal_test_count_files(f->cfg.home), 0);
	PATHF(escaped, sizeof escaped, "%s/escaped", f->cfg.home);
	assert_int_equal(access(escaped, F_OK), -1);
}

struct seen {
	char keys[10][PGAL_BLOB_KEY_MAX];
	int64_t mtime[10], bytes[10];
	int n, stop_after;
	pgal_blobs *del_from;
};

static int
visit(void *arg, const char *key, int64_t mtime, int64_t bytes)
{
	struct seen *s = arg;

	assert_true(s->n < 10);
	PATHF(s->keys[s->n], PGAL_BLOB_KEY_MAX, "%s", key);
	s->mtime[s->n] = mtime;
	s->bytes[s->n] = bytes;
	s->n++;
	if (s->del_from != NULL) {
		pgal_err e;
		assert_int_equal(s->del_from->ops->del(s->del_from, key, &e), PGAL_OK);
	}
	return s->stop_after != 0 && s->n >= s->stop_after;
}

static int
seen_index(struct seen *s, const char *key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->keys[i], key) == 0)
			return i;
	return -1;
}

static void
touch(const char *path, time_t when)
{
	struct timespec ts[2] = { { when, 0 }, { when, 0 } };
	int fd = open(path, O_WRONLY | O_CREAT, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "junk", 4), 4);
	close(fd);
	assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
test_list(void **state)
{
	struct fixture *f = *state;
	const pgal_blobs_ops *ops = f->b->ops;
	char k1[PGAL_BLOB_KEY_MAX], k2[PGAL_BLOB_KEY_MAX], k3[PGAL_BLOB_KEY_MAX];
	char path[PATH_MAX + 100], stale[PATH_MAX + 100], fresh[PATH_MAX + 100];
	struct seen s;
	struct stat st;
	pgal_err e;
	int i;

	/* an empty store lists nothing */
	memset(&s, 0, sizeof s);
	assert_int_equal(ops->list(f->b, visit, &s, &e), PGAL_OK);
	assert_int_equal(s.n, 0);

	pgal_blob_key(k1, ID1, PGAL_BLOB_ORIG);
	pgal_blob_key(k2, ID1, PGAL_BLOB_THUMB);
	pgal_blob_key(k3, ID2, PGAL_BLOB_PREVIEW);
	assert_int_equal(ops->put_mem(f->b, k1, "1", 1, &e), PGAL_OK);
	assert_int_equal(ops->put_mem(f->b, k2, "22", 2, &e), PGAL_OK);
	assert_int_equal(ops->put_mem(f->b, k3, "333", 3, &e), PGAL_OK);

	/* junk that is not a key, and temp files: one fresh, one stale */
	PATHF(path, sizeof path, "%s/README", f->cfg.blobs_dir);
	touch(path, time(NULL));
	PATHF(path, sizeof path, "%s/orig/01/notakey", f->cfg.blobs_dir);
	touch(path, time(NULL));
	PATHF(path, sizeof path, "%s/orig/zz", f->cfg.blobs_dir);
	assert_int_equal(mkdir(path, 0700), 0);
	PATHF(path, sizeof path, "%s/orig/zz/" ID1, f->cfg.blobs_dir);
	touch(path, time(NULL));
	PATHF(fresh, sizeof fresh, "%s/orig/01/.tmp-00000000000000aa", f->cfg.blobs_dir);
	touch(fresh, time(NULL) - 60);
	PATHF(stale, sizeof stale, "%s/thumb/01/.tmp-00000000000000bb", f->cfg.blobs_dir);
	touch(stale, time(NULL) - 2 * 3600);

	memset(&s, 0, sizeof s);
	assert_int_equal(ops->list(f->b, visit, &s, &e), PGAL_OK);
	assert_int_equal(s.n, 3);
	assert_true(seen_index(&s, k1) >= 0);
	assert_true(seen_index(&s, k2) >= 0);
	assert_true(seen_index(&s, k3) >= 0);
	for (i = 0; i < 3; i++) {
		PATHF(path, sizeof path, "%s/%s", f->cfg.blobs_dir, s.keys[i]);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(s.mtime[i], st.st_mtime);
		assert_int_equal(s.bytes[i], st.st_size);
	}
	assert_int_equal(s.bytes[seen_index(&s, k3)], 3);
	/* listing never touches temp files */
	assert_int_equal(access(stale, F_OK), 0);
	assert_int_equal(access(fresh, F_OK), 0);
	/* the sweep removes those written at or before the cutoff only */
	{
		int64_t removed = -1;
		assert_int_equal(ops->sweep_partial(f->b, (int64_t)time(NULL) - 3600, &removed, &e), PGAL_OK);
		assert_int_equal(removed, 1);
		assert_int_equal(access(stale, F_OK), -1);
		assert_int_equal(access(fresh, F_OK), 0);
		assert_int_equal(ops->sweep_partial(f->b, (int64_t)time(NULL), &removed, &e), PGAL_OK);
		assert_int_equal(removed, 1);
		assert_int_equal(access(fresh, F_OK), -1);
		/* blobs themselves are never swept */
		assert_int_equal(access(path, F_OK), 0);
	}

	/* the visitor can stop the walk */
	memset(&s, 0, sizeof s);
	s.stop_after = 1;
	assert_int_equal(ops->list(f->b, visit, &s, &e), PGAL_OK);
	assert_int_equal(s.n, 1);

	/* and delete what it visits, as gc does */
	memset(&s, 0, sizeof s);
	s.del_from = f->b;
	assert_int_equal(ops->list(f->b, visit, &s, &e), PGAL_OK);
	assert_int_equal(s.n, 3);
	memset(&s, 0, sizeof s);
	assert_int_equal(ops->list(f->b, visit, &s, &e), PGAL_OK);
	assert_int_equal(s.n, 0);
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;
	const pgal_blobs_ops *ops = f->b->ops;
	char key[PGAL_BLOB_KEY_MAX], path[PATH_MAX + 100];
	pgal_config cfg;
	pgal_blobs *b2;
	pgal_err e;
	int fd;

	/* a blobs folder below a regular file cannot be made */
	cfg = f->cfg;
	PATHF(path, sizeof path, "%s/file", f->cfg.home);
	touch(path, time(NULL));
	PATHF(cfg.blobs_dir, sizeof cfg.blobs_dir, "%s/file/blobs", f->cfg.home);
	pgal_err_clear(&e);
	assert_int_equal(pgal_blobs_fs.open(&b2, &cfg, &e), PGAL_EBACKEND);
	assert_null(b2);
	assert_non_null(strstr(e.msg, "Not a directory"));

	/* a nested folder is made whole */
	PATHF(cfg.blobs_dir, sizeof cfg.blobs_dir, "%s/a/b/c", f->cfg.home);
	assert_int_equal(pgal_blobs_fs.open(&b2, &cfg, &e), PGAL_OK);
	b2->ops->close(b2);

	/* "orig" taken by a file: puts fail cleanly with the path */
	PATHF(path, sizeof path, "%s/orig", f->cfg.blobs_dir);
	touch(path, time(NULL));
	pgal_blob_key(key, ID1, PGAL_BLOB_ORIG);
	pgal_err_clear(&e);
	assert_int_equal(ops->put_mem(f->b, key, "x", 1, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, f->cfg.blobs_dir));
	unlink(path);

	/* a source that cannot be read: no object, no temp file */
	fd = open(f->cfg.home, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	pgal_err_clear(&e);
	assert_int_equal(ops->put_fd(f->b, key, fd, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "read"));
	close(fd);
	assert_int_equal(ops->put_fd(f->b, key, -1, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 0);

	/* a destination that cannot be written */
	assert_int_equal(ops->put_mem(f->b, key, "data", 4, &e), PGAL_OK);
	fd = open("/dev/null", O_RDONLY);
	assert_true(fd >= 0);
	pgal_err_clear(&e);
	assert_int_equal(ops->get_fd(f->b, key, fd, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "write"));
	close(fd);

	/* a folder without write permission (root ignores permissions) */
	if (geteuid() != 0) {
		pgal_blob_key(key, ID2, PGAL_BLOB_ORIG);
		assert_int_equal(chmod(f->cfg.blobs_dir, 0500), 0);
		assert_int_equal(ops->put_mem(f->b, key, "x", 1, &e), PGAL_EBACKEND);
		assert_non_null(strstr(e.msg, "Permission denied"));
		chmod(f->cfg.blobs_dir, 0700);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mem_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
