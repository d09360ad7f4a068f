/* Growing arrays: room made as asked, contents kept across every growth,
 * a size that does not fit refused with the array untouched. */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "grow.h"

struct row {
	char name[24];
	int64_t n;
};

static void
test_contents_kept(void **state)
{
	struct row *v = NULL;
	size_t cap = 0, i;

	for (i = 0; i < 5000; i++) {
		assert_int_equal(PGAL_GROW(v, cap, i + 1), 0);
		assert_true(cap > i);
		snprintf(v[i].name, sizeof v[i].name, "row %zu", i);
		v[i].n = (int64_t)i * 3;
	}
	for (i = 0; i < 5000; i++) {
		char want[24];

		snprintf(want, sizeof want, "row %zu", i);
		assert_string_equal(v[i].name, want);
		assert_int_equal(v[i].n, (int64_t)i * 3);
	}
	free(v);
}

static void
test_room_as_asked(void **state)
{
	int *v = NULL, *before;
	size_t cap = 0;

	/* room already there: nothing moves */
	assert_int_equal(PGAL_GROW(v, cap, 0), 0);
	assert_null(v);
	assert_int_equal(PGAL_GROW(v, cap, 1), 0);
	assert_true(cap >= 1);
	before = v;
	assert_int_equal(PGAL_GROW(v, cap, cap), 0);
	assert_ptr_equal(v, before);
	/* a jump past the doubled capacity gets all it asked for */
	assert_int_equal(PGAL_GROW(v, cap, 1000), 0);
	assert_true(cap >= 1000);
	v[999] = 7;
	free(v);
}

static void
test_overflow_refused(void **state)
{
	int64_t *v = NULL, *before;
	size_t cap = 0, i;

	assert_int_equal(PGAL_GROW(v, cap, 4), 0);
	for (i = 0; i < 4; i++)
		v[i] = (int64_t)i + 40;
	before = v;
	i = cap;
	/* items * 8 bytes past SIZE_MAX: refused, nothing changed */
	errno = 0;
	assert_int_equal(PGAL_GROW(v, cap, SIZE_MAX / 4), -1);
	assert_int_equal(errno, EOVERFLOW);
	assert_int_equal(PGAL_GROW(v, cap, SIZE_MAX), -1);
	assert_int_equal(errno, EOVERFLOW);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, i);
	for (i = 0; i < 4; i++)
		assert_int_equal(v[i], (int64_t)i + 40);
	/* an item size of 0 is a caller's mistake, not an empty array */
	assert_int_equal(pgal_grow(&v, &cap, cap + 1, 0), -1);
	assert_int_equal(errno, EINVAL);
	free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_contents_kept),
		cmocka_unit_test(test_room_as_asked),
		cmocka_unit_test(test_overflow_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
