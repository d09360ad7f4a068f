/* The bounded reader: numbers in both byte orders, SSH strings, views and
 * skips that never run off the end, a failure that sticks, and the stream
 * mode the scp headers use (lines, bytes, copies across refills). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "reader.h"

static void
test_numbers(void **state)
{
	static const unsigned char b[] = {
		0x12, 0x34, 0x12, 0x34, 0x01, 0x02, 0x03,
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
	};
	pgal_reader r;
	uint16_t s;
	uint32_t v;

	pgal_reader_init(&r, b, sizeof b);
	assert_int_equal(pgal_read_u16be(&r, &s), 0);
	assert_int_equal(s, 0x1234);
	assert_int_equal(pgal_read_u16le(&r, &s), 0);
	assert_int_equal(s, 0x3412);
	assert_int_equal(pgal_read_u24le(&r, &v), 0);
	assert_int_equal(v, 0x030201);
	assert_int_equal(pgal_read_u32be(&r, &v), 0);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(pgal_read_u32le(&r, &v), 0);
	assert_int_equal(v, 0xefbeadde);
	assert_int_equal(pgal_reader_left(&r), 0);
	assert_false(r.failed);

	/* three bytes from the end: one short of a u32 */
	assert_int_equal(pgal_reader_seek(&r, 12), 0);
	assert_int_equal(pgal_read_u32be(&r, &v), -1);
	assert_int_equal(v, 0);
	assert_true(r.failed);
}

static void
test_failure_sticks(void **state)
{
	static const unsigned char b[] = { 1, 2, 3, 4, 5, 6 };
	unsigned char out[4] = { 9, 9, 9, 9 };
	const unsigned char *p;
	pgal_reader r;
	uint16_t s;

	pgal_reader_init(&r, b, sizeof b);
	assert_int_equal(pgal_read_skip(&r, 3), 0);
	/* more than is left: nothing is taken, zeros come out */
	assert_int_equal(pgal_read_bytes(&r, out, 4), -1);
	assert_memory_equal(out, "\0\0\0\0", 4);
	/* and every later read fails too, even one that would fit */
	assert_int_equal(pgal_read_u16be(&r, &s), -1);
	assert_int_equal(pgal_read_view(&r, &p, 1), -1);
	assert_null(p);
	assert_int_equal(pgal_read_byte(&r), -1);
	assert_int_equal(pgal_reader_left(&r), 0);

	/* a skip past the end, a seek past the end */
	pgal_reader_init(&r, b, sizeof b);
	assert_int_equal(pgal_read_skip(&r, 7), -1);
	pgal_reader_init(&r, b, sizeof b);
	assert_int_equal(pgal_reader_seek(&r, 7), -1);
	/* nothing at all */
	pgal_reader_init(&r, NULL, 5);
	assert_int_equal(pgal_read_byte(&r), -1);
}

static void
test_ssh_strings(void **state)
{
	/* "ssh-ed25519", then a string claiming more than there is */
	static const unsigned char b[] = {
		0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9',
		0, 0, 0, 0,
		0xff, 0xff, 0xff, 0xf0, 'x',
	};
	const unsigned char *s;
	pgal_reader r;
	size_t n;

	pgal_reader_init(&r, b, sizeof b);
	assert_int_equal(pgal_read_string(&r, &s, &n), 0);
	assert_int_equal(n, 11);
	assert_memory_equal(s, "ssh-ed25519", 11);
	assert_int_equal(pgal_read_string(&r, &s, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(pgal_read_string(&r, &s, &n), -1);
	assert_null(s);
	assert_int_equal(n, 0);
}

/* text-file lines (configuration, profiles): the last line needs no
 * newline, a CR before the newline goes, too long and NUL are told apart */
static void
test_text_lines(void **state)
{
	static const char text[] = "a = 1\r\nb = 2\n\nlast";
	char line[8];
	pgal_reader r;

	pgal_reader_init(&r, text, strlen(text));
	assert_int_equal(pgal_read_text_line(&r, line, 7), 1);
	assert_string_equal(line, "a = 1");
	assert_int_equal(pgal_read_text_line(&r, line, 7), 1);
	assert_string_equal(line, "b = 2");
	assert_int_equal(pgal_read_text_line(&r, line, 7), 1);
	assert_string_equal(line, "");
	assert_int_equal(pgal_read_text_line(&r, line, 7), 1);
	assert_string_equal(line, "last");
	assert_int_equal(pgal_read_text_line(&r, line, 7), 0);
	assert_int_equal(pgal_read_text_line(&r, line, 7), 0);

	pgal_reader_init(&r, "0123456789\n", 11);
	assert_int_equal(pgal_read_text_line(&r, line, 7), -1);
	pgal_reader_init(&r, "ab\0c\n", 5);
	assert_int_equal(pgal_read_text_line(&r, line, 7), -2);
	/* scp's lines still need their newline */
	pgal_reader_init(&r, "last", 4);
	assert_int_equal(pgal_read_line(&r, line, 7), -1);
}

static void
test_lines_in_memory(void **state)
{
	static const char text[] = "C0644 5 a.jpg\nD0755 0 dir\nno newline";
	char line[16];
	pgal_reader r;

	pgal_reader_init(&r, text, strlen(text));
	assert_int_equal(pgal_read_line(&r, line, 15), 1);
	assert_string_equal(line, "C0644 5 a.jpg");
	assert_int_equal(pgal_read_line(&r, line, 15), 1);
	assert_string_equal(line, "D0755 0 dir");
	/* the end inside a line */
	assert_int_equal(pgal_read_line(&r, line, 15), -1);
	assert_string_equal(line, "");

	pgal_reader_init(&r, "ok\n", 3);
	assert_int_equal(pgal_read_line(&r, line, 15), 1);
	/* the end before any byte, and again */
	assert_int_equal(pgal_read_line(&r, line, 15), 0);
	assert_int_equal(pgal_read_line(&r, line, 15), 0);

	/* too long, and a NUL inside */
	pgal_reader_init(&r, "0123456789abcdefXYZ\nnext\n", 25);
	assert_int_equal(pgal_read_line(&r, line, 15), -1);
	assert_int_equal(pgal_read_line(&r, line, 15), -1);
	pgal_reader_init(&r, "a\0b\n", 4);
	assert_int_equal(pgal_read_line(&r, line, 15), -1);
}

/* A pipe with what the writer wrote, then the end. */
static int
pipe_with(const void *p, size_t n)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], p, n), (ssize_t)n);
	close(fds[1]);
	return fds[0];
}

static void
test_stream(void **state)
{
	/* a header, 20 bytes of file, a status byte, a header, then the end,
	 * through a buffer of 8 so every piece crosses a refill */
	static const char wire[] = "C0644 20 x\n0123456789abcdefghij\0E\n";
	unsigned char buf[8];
	char line[32];
	char out[64];
	pgal_reader r;
	uint32_t v;
	int fd, copy[2], short_read;
	ssize_t n;

	fd = pipe_with(wire, sizeof wire - 1);
	pgal_reader_init_fd(&r, fd, buf, sizeof buf);
	/* a line longer than the buffer still reads: byte by byte */
	assert_int_equal(pgal_read_line(&r, line, sizeof line - 1), 1);
	assert_string_equal(line, "C0644 20 x");
	assert_int_equal(pipe(copy), 0);
	assert_int_equal(pgal_read_copy(&r, 20, copy[1], &short_read), 0);
	assert_int_equal(short_read, 0);
	close(copy[1]);
	n = read(copy[0], out, sizeof out);
	assert_int_equal(n, 20);
	assert_memory_equal(out, "0123456789abcdefghij", 20);
	close(copy[0]);
	assert_int_equal(pgal_read_byte(&r), 0);
	assert_int_equal(pgal_read_line(&r, line, sizeof line - 1), 1);
	assert_string_equal(line, "E");
	assert_int_equal(pgal_read_line(&r, line, sizeof line - 1), 0);
	close(fd);

	/* a field no larger than the buffer is read whole across refills;
	 * one larger than it fails */
	fd = pipe_with("abcdefghijkl", 12);
	pgal_reader_init_fd(&r, fd, buf, sizeof buf);
	assert_int_equal(pgal_read_skip(&r, 6), 0);
	assert_int_equal(pgal_read_u32be(&r, &v), 0);
	assert_int_equal(v, 0x6768696a);
	assert_int_equal(pgal_read_bytes(&r, out, 3), -1);
	close(fd);
	fd = pipe_with("abcdefghijkl", 12);
	pgal_reader_init_fd(&r, fd, buf, sizeof buf);
	assert_int_equal(pgal_read_bytes(&r, out, 9), -1);
	close(fd);

	/* the peer ends mid-copy; a copy to nowhere still reads */
	fd = pipe_with("0123456789", 10);
	pgal_reader_init_fd(&r, fd, buf, sizeof buf);
	assert_int_equal(pgal_read_copy(&r, 4, -1, &short_read), 0);
	assert_int_equal(pgal_read_byte(&r), '4');
	assert_int_equal(pgal_read_copy(&r, 20, -1, &short_read), -1);
	assert_int_equal(short_read, 1);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_failure_sticks),
		cmocka_unit_test(test_ssh_strings),
		cmocka_unit_test(test_lines_in_memory),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_stream),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
