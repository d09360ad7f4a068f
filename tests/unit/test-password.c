/* Password hashing: yescrypt hashes that verify, hashes made by another
 * implementation (openssl passwd), refusals, the dummy hash. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "password.h"

static void
test_hash_verify(void **state)
{
	char h1[PGAL_HASH_MAX + 1], h2[PGAL_HASH_MAX + 1];
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(pgal_password_hash("correct horse battery", h1, &e), PGAL_OK);
	/* yescrypt: "$y$" + params + "$" + salt + "$" + hash */
	assert_memory_equal(h1, "$y$", 3);
	assert_true(strlen(h1) > 40 && strlen(h1) <= PGAL_HASH_MAX);
	assert_true(pgal_password_verify("correct horse battery", h1));
	assert_false(pgal_password_verify("correct horse batterY", h1));
	assert_false(pgal_password_verify("correct horse battery ", h1));
	assert_false(pgal_password_verify("", h1));
	assert_false(pgal_password_verify(NULL, h1));
	/* a fresh salt each time */
	assert_int_equal(pgal_password_hash("correct horse battery", h2, &e), PGAL_OK);
	assert_string_not_equal(h1, h2);
	assert_true(pgal_password_verify("correct horse battery", h2));
	/* UTF-8 passwords are bytes like any other */
	assert_int_equal(pgal_password_hash("p\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac", h1, &e), PGAL_OK);
	assert_true(pgal_password_verify("p\xc3\xa4ssw\xc3\xb6rd-\xe2\x82\xac", h1));
	assert_false(pgal_password_verify("passw\xc3\xb6rd-\xe2\x82\xac", h1));
}

/* a SHA-512 crypt hash made by OpenSSL's own implementation verifies */
static void
test_foreign_hash(void **state)
{
	char line[256];
	FILE *f;

	f = popen("openssl passwd -6 -salt saltsalt 'correct horse battery'", "r");
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	assert_int_equal(pclose(f), 0);
	line[strcspn(line, "\n")] = '\0';
	assert_memory_equal(line, "$6$saltsalt$", 12);
	assert_true(pgal_password_verify("correct horse battery", line));
	assert_false(pgal_password_verify("correct horse", line));
}

static void
test_limits(void **state)
{
	char *pw, h[PGAL_HASH_MAX + 1];
	pgal_err e;

	pw = malloc(PGAL_PASSWORD_MAX + 2);
	assert_non_null(pw);
	memset(pw, 'p', PGAL_PASSWORD_MAX);
	pw[PGAL_PASSWORD_MAX] = '\0';
	assert_int_equal(pgal_password_hash(pw, h, &e), PGAL_OK);
	assert_true(pgal_password_verify(pw, h));
	/* one byte more is refused, and never verifies */
	pw[PGAL_PASSWORD_MAX] = 'p';
	pw[PGAL_PASSWORD_MAX + 1] = '\0';
	pgal_err_clear(&e);
	assert_int_equal(pgal_password_hash(pw, h, &e), PGAL_EINPUT);
	assert_int_equal(e.code, PGAL_EINPUT);
	assert_string_equal(h, "");
	assert_non_null(strstr(e.msg, "too long"));
	free(pw);
	assert_int_equal(pgal_password_hash(NULL, h, &e), PGAL_EUSAGE);
}

static void
test_bad_hashes(void **state)
{
	static const char *bad[] = { "", "*", "*0", "!", "!$y$x", "x",
	    "$y$", "$y$j9T$", "$nonsense$abc$def", "$6$" };
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_false(pgal_password_verify("", bad[i]));
		assert_false(pgal_password_verify("anything", bad[i]));
		assert_false(pgal_password_verify("*", bad[i]));
	}
	assert_false(pgal_password_verify("x", NULL));
}

static void
test_dummy(void **state)
{
	const char *d = pgal_password_dummy_hash();
	char h[PGAL_HASH_MAX + 1];

	assert_non_null(d);
	assert_memory_equal(d, "$y$", 3);
	/* made once */
	assert_ptr_equal(pgal_password_dummy_hash(), d);
	strcpy(h, d);
	assert_string_equal(pgal_password_dummy_hash(), h);
	assert_false(pgal_password_verify("", d));
	assert_false(pgal_password_verify("correct horse battery", d));
	/* the same cost as a hash made now: an unknown user takes as long as a real one */
	{
		char fresh[PGAL_HASH_MAX + 1];
		const char *p = d;
		int dollars = 0;
		size_t n;

		assert_int_equal(pgal_password_hash("some password here", fresh, NULL), PGAL_OK);
		for (n = 0; p[n] != '\0' && dollars < 3; n++)
			dollars += p[n] == '$';
		assert_int_equal(dollars, 3);
		assert_memory_equal(fresh, d, n);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_verify),
		cmocka_unit_test(test_foreign_hash),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_bad_hashes),
		cmocka_unit_test(test_dummy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
