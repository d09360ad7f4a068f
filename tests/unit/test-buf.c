/* The growing buffer: text and bytes appended, always NUL-terminated, room
 * filled in place, a failure remembered until the end. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

static void
test_text(void **state)
{
	pgal_buf b = { 0 };
	char *s;

	pgal_buf_adds(&b, "Date: ");
	pgal_buf_addf(&b, "%d %s", 23, "Nov");
	pgal_buf_addc(&b, '!');
	pgal_buf_add(&b, "\r\nxyz", 2);
	assert_false(b.failed);
	assert_int_equal(b.len, strlen("Date: 23 Nov!\r\n"));
	assert_string_equal(b.p, "Date: 23 Nov!\r\n");
	s = pgal_buf_take(&b);
	assert_string_equal(s, "Date: 23 Nov!\r\n");
	assert_null(b.p);
	assert_int_equal(b.len, 0);
	free(s);

	/* nothing added: an empty string, not NULL */
	s = pgal_buf_take(&b);
	assert_string_equal(s, "");
	free(s);
}

static void
test_grows(void **state)
{
	pgal_buf b = { 0 };
	size_t i;

	/* bytes with NULs inside, across many reallocations */
	for (i = 0; i < 100000; i++)
		pgal_buf_addc(&b, (char)(i % 7));
	assert_false(b.failed);
	assert_int_equal(b.len, 100000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.p[b.len], '\0');
	for (i = 0; i < 100000; i++)
		assert_int_equal(b.p[i], (char)(i % 7));
	/* a long formatted line */
	pgal_buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	pgal_buf_addf(&b, "%5000s|", "x");
	assert_int_equal(b.len, 5001);
	assert_int_equal(b.p[4999], 'x');
	pgal_buf_free(&b);
	assert_null(b.p);
}

static void
test_room(void **state)
{
	pgal_buf b = { 0 };
	char *at;

	pgal_buf_adds(&b, "ab");
	at = pgal_buf_room(&b, 10000);
	assert_non_null(at);
	assert_ptr_equal(at, b.p + 2);
	memset(at, 'c', 3);
	pgal_buf_used(&b, 3);
	assert_string_equal(b.p, "abccc");
	/* one large reservation takes what it needs, not a power of two */
	assert_int_equal(b.cap, 2 + 10000 + 1);
	/* more than was reserved is not taken */
	pgal_buf_used(&b, b.cap);
	assert_int_equal(b.len, 5);
	pgal_buf_free(&b);
}

static void
test_failure_sticks(void **state)
{
	pgal_buf b = { 0 };

	pgal_buf_adds(&b, "kept");
	/* a formatter that failed hands over NULL */
	pgal_buf_adds(&b, NULL);
	assert_true(b.failed);
	pgal_buf_adds(&b, " and more");
	assert_null(pgal_buf_room(&b, 1));
	assert_string_equal(b.p, "kept");
	assert_null(pgal_buf_take(&b));
	assert_null(b.p);
	assert_false(b.failed);

	/* a size that cannot be */
	assert_null(pgal_buf_room(&b, SIZE_MAX - 1));
	assert_true(b.failed);
	pgal_buf_free(&b);
}

/* The SSH wire writers: big-endian numbers (RFC 4251's uint32, uint64),
 * length-prefixed strings, and a length filled in afterwards. */
static void
test_ssh_wire(void **state)
{
	static const unsigned char want[] = {
		0x01, 0x02, 0x03, 0x04,			/* u32 */
		0x80, 0x00, 0x00, 0xff,			/* u32, top bit set */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,	/* u64 */
		0x00, 0x00, 0x00, 0x03, 'a', '\0', 'b',	/* string */
		0x00, 0x00, 0x00, 0x00,			/* empty string */
	};
	pgal_buf b = { 0 };

	(void)state;
	pgal_buf_add_u32be(&b, 0x01020304);
	pgal_buf_add_u32be(&b, 0x800000ff);
	pgal_buf_add_u64be(&b, 0x0000000100000002ULL);
	pgal_buf_add_sshstr(&b, "a\0b", 3);
	pgal_buf_add_sshstr(&b, NULL, 0);
	assert_false(b.failed);
	assert_int_equal(b.len, sizeof want);
	assert_memory_equal(b.p, want, sizeof want);
	/* a packet's length, known once its body is in */
	pgal_buf_clear(&b);
	pgal_buf_add_u32be(&b, 0);
	pgal_buf_add(&b, "\x02\x00\x00\x00\x03", 5);
	pgal_buf_set_u32be(&b, 0, (uint32_t)(b.len - 4));
	assert_false(b.failed);
	assert_memory_equal(b.p, "\x00\x00\x00\x05\x02", 5);
	pgal_buf_set_u32be(&b, 5, 0xdeadbeef);
	assert_false(b.failed);
	assert_memory_equal(b.p + 5, "\xde\xad\xbe\xef", 4);
	/* past the end: nothing written, the buffer failed */
	pgal_buf_set_u32be(&b, 6, 1);
	assert_true(b.failed);
	pgal_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_grows),
		cmocka_unit_test(test_room),
		cmocka_unit_test(test_failure_sticks),
		cmocka_unit_test(test_ssh_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
