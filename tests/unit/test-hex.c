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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_every_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
