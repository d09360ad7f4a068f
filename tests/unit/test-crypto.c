/* SHA-256 against published vectors and sha256sum, randomness shape and
 * bias, constant-time compare. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "crypto.h"

static const char *
fixture(const char *name, char *buf, size_t sz)
{
	const char *dir = getenv("PGAL_FIXTURES");

	snprintf(buf, sz, "%s/%s", dir != NULL ? dir : "build/fixtures", name);
	return buf;
}

/* the digest of a file as the coreutils tool computes it */
static void
sha256sum(const char *path, char out[65])
{
	char cmd[4200], line[256];
	FILE *f;

	snprintf(cmd, sizeof cmd, "sha256sum '%s'", path);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_int_equal(pclose(f), 0);
	memcpy(out, line, 64);
	out[64] = '\0';
}

static void
test_sha256_vectors(void **state)
{
	char out[65], *million;

	/* FIPS 180-2 appendix B.1, B.2, B.3 and the empty message */
	pgal_sha256_hex("abc", 3, out);
	assert_string_equal(out,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	pgal_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, out);
	assert_string_equal(out,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	pgal_sha256_hex(million, 1000000, out);
	assert_string_equal(out,
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
	pgal_sha256_hex("", 0, out);
	assert_string_equal(out,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void
test_sha256_fd_fixtures(void **state)
{
	const char *names[] = { "nikon-d2h-gps.jpg", "big-24mp.jpg", "empty.jpg" };
	char path[4096], want[65], got[65];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		pgal_err e;
		int fd;

		fixture(names[i], path, sizeof path);
		if ((fd = open(path, O_RDONLY)) == -1) {
			print_error("fixture %s: %s\n", path, strerror(errno));
			fail();
		}
		sha256sum(path, want);
		/* start mid-file: the whole file is still hashed */
		lseek(fd, 7, SEEK_SET);
		assert_int_equal(pgal_sha256_fd(fd, got, &e), PGAL_OK);
		assert_string_equal(got, want);
		/* and the offset is left at EOF */
		assert_int_equal(lseek(fd, 0, SEEK_CUR), lseek(fd, 0, SEEK_END));
		close(fd);
	}
}

static void
test_sha256_fd_pipe_and_errors(void **state)
{
	char got[65];
	pgal_err e;
	int p[2], fd;

	/* a pipe cannot seek: its content is hashed as it comes */
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	close(p[1]);
	assert_int_equal(pgal_sha256_fd(p[0], got, &e), PGAL_OK);
	assert_string_equal(got,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	close(p[0]);

	pgal_err_clear(&e);
	assert_int_equal(pgal_sha256_fd(-1, got, &e), PGAL_EBACKEND);
	assert_int_equal(e.code, PGAL_EBACKEND);
	assert_string_equal(got, "");

	/* a directory opens but does not read */
	fd = open(".", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_int_equal(pgal_sha256_fd(fd, got, &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, "read"));
	close(fd);
}

static int
is_lower_hex(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

static void
test_random_hex(void **state)
{
	char a[65], b[65];
	unsigned char raw[100000];
	pgal_err e;
	size_t i, zeros = 0;

	assert_int_equal(pgal_random_hex(a, 32, &e), PGAL_OK);
	assert_int_equal(pgal_random_hex(b, 32, &e), PGAL_OK);
	assert_int_equal(strlen(a), 64);
	assert_true(is_lower_hex(a));
	assert_string_not_equal(a, b);
	assert_int_equal(pgal_random_hex(a, 0, &e), PGAL_OK);
	assert_string_equal(a, "");
	/* a large request is filled everywhere (about 1/256 bytes zero) */
	memset(raw, 0, sizeof raw);
	assert_int_equal(pgal_random_bytes(raw, sizeof raw, &e), PGAL_OK);
	for (i = 0; i < sizeof raw; i++)
		zeros += raw[i] == 0;
	assert_true(zeros < 1000);
}

static void
test_random_from(void **state)
{
	char alpha[201], out[1001], *big;
	long counts[200];
	long low = 0, high = 0;
	size_t i, n = 200000;
	pgal_err e;

	/* one-letter alphabet */
	assert_int_equal(pgal_random_from(out, 10, "x", &e), PGAL_OK);
	assert_string_equal(out, "xxxxxxxxxx");
	/* only alphabet characters, NUL-terminated */
	assert_int_equal(pgal_random_from(out, 1000, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", &e), PGAL_OK);
	assert_int_equal(strlen(out), 1000);
	assert_int_equal(strspn(out, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"), 1000);

	/*
	 * 200 characters: byte % 200 would make the first 56 twice as likely
	 * as the others (256 = 200 + 56). With rejection the two groups have
	 * the same mean count, n/200 = 1000 each (sd about 32).
	 */
	/* 200 distinct bytes: 90 printable ASCII, then 110 high bytes */
	for (i = 0; i < 200; i++)
		alpha[i] = (char)(i < 90 ? 0x21 + i : 0x80 + (i - 90));
	alpha[200] = '\0';
	big = malloc(n + 1);
	assert_non_null(big);
	assert_int_equal(pgal_random_from(big, n, alpha, &e), PGAL_OK);
	memset(counts, 0, sizeof counts);
	for (i = 0; i < n; i++) {
		const char *p = memchr(alpha, big[i], 200);
		assert_non_null(p);
		counts[p - alpha]++;
	}
	for (i = 0; i < 56; i++)
		low += counts[i];
	for (i = 56; i < 200; i++)
		high += counts[i];
	/* means per character: 1000 expected; biased modulo gives ~1560 vs ~780 */
	assert_in_range(low / 56, 950, 1050);
	assert_in_range(high / 144, 950, 1050);
	free(big);

	/* bad alphabets */
	assert_int_equal(pgal_random_from(out, 4, "", &e), PGAL_EUSAGE);
	assert_int_equal(pgal_random_from(out, 4, NULL, &e), PGAL_EUSAGE);
	big = malloc(258);
	assert_non_null(big);
	memset(big, 'a', 257);
	big[257] = '\0';
	assert_int_equal(pgal_random_from(out, 4, big, &e), PGAL_EUSAGE);
	free(big);
}

static void
test_ct_streq(void **state)
{
	assert_true(pgal_ct_streq("", ""));
	assert_true(pgal_ct_streq("secret-token", "secret-token"));
	assert_false(pgal_ct_streq("secret-token", "secret-tokeN"));
	assert_false(pgal_ct_streq("Xecret-token", "secret-token"));
	assert_false(pgal_ct_streq("secret", "secret-token"));
	assert_false(pgal_ct_streq("secret-token", "secret"));
	assert_false(pgal_ct_streq("", "a"));
	assert_false(pgal_ct_streq(NULL, "a"));
	assert_false(pgal_ct_streq("a", NULL));
	assert_false(pgal_ct_streq(NULL, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_sha256_fd_fixtures),
		cmocka_unit_test(test_sha256_fd_pipe_and_errors),
		cmocka_unit_test(test_random_hex),
		cmocka_unit_test(test_random_from),
		cmocka_unit_test(test_ct_streq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
