/* The hex encoder: lower and upper case, every byte value, nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hex.h"

static void
test_bytes(void **state)
{
	const unsigned char in[] = { 0x00, 0x01, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof in + 1];

	pgal_hex(in, sizeof in, out);
	assert_string_equal(out, "00017f80abff");
	pgal_hex_upper(in, sizeof in, out);
	assert_string_equal(out, "00017F80ABFF");
	pgal_hex("", 0, out);
	assert_string_equal(out, "");
}

static void
test_every_byte(void **state)
{
	unsigned char in[256];
	char out[513], want[3];
	int i;

	for (i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	pgal_hex(in, sizeof in, out);
	assert_int_equal(strlen(out), 512);
	for (i = 0; i < 256; i++) {
		snprintf(want, sizeof want, "%02x", i);
		assert_memory_equal(out + 2 * i, want, 2);
	}
}

/* The decoder's digit: 0-9, a-f, A-F, and -1 for every other byte. */
static void
test_digit(void **state)
{
	const char *lower = "0123456789abcdef", *upper = "0123456789ABCDEF";
	int c, is_digit;

	for (c = 0; c < 16; c++) {
		assert_int_equal(pgal_hex_digit(lower[c]), c);
		assert_int_equal(pgal_hex_digit(upper[c]), c);
	}
	/* everything else, EOF and NUL included */
	for (c = -1; c < 256; c++) {
		is_digit = c > 0 && (strchr(lower, c) != NULL || strchr(upper, c) != NULL);
		if (!is_digit)
			assert_int_equal(pgal_hex_digit(c), -1);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_digit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
