/* The sanitizer against hostile text: escape sequences, C1 controls, invalid
 * UTF-8, bidi overrides and other invisible characters, truncation at the
 * buffer end. */
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sanitize.h"

/*
 * An independent check of the output, written from the Unicode standard's
 * table of well-formed UTF-8 byte sequences (Table 3-7), in a different shape
 * from the sanitizer's decoder: 1 if s[0..len) is well formed and holds no
 * C0 (except \n when allowed), DEL, C1 or bidi control.
 */
static int
output_ok(const char *str, size_t len, int allow_nl)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char b = s[i];
		if (b < 0x80) {
			if ((b < 0x20 && !(allow_nl && b == '\n')) || b == 0x7f)
				return 0;
			i++;
		} else if (b >= 0xc2 && b <= 0xdf) {
			if (i + 1 >= len || s[i + 1] < 0x80 || s[i + 1] > 0xbf)
				return 0;
			if (b == 0xc2 && s[i + 1] <= 0x9f)
				return 0; /* C1 */
			i += 2;
		} else if (b >= 0xe0 && b <= 0xef) {
			unsigned char lo = b == 0xe0 ? 0xa0 : 0x80;
			unsigned char hi = b == 0xed ? 0x9f : 0xbf;
			if (i + 2 >= len || s[i + 1] < lo || s[i + 1] > hi ||
			    s[i + 2] < 0x80 || s[i + 2] > 0xbf)
				return 0;
			/* U+202A..U+202E = e2 80 aa..ae, U+2066..U+2069 = e2 81 a6..a9 */
			if (b == 0xe2 && s[i + 1] == 0x80 && s[i + 2] >= 0xaa && s[i + 2] <= 0xae)
				return 0;
			if (b == 0xe2 && s[i + 1] == 0x81 && s[i + 2] >= 0xa6 && s[i + 2] <= 0xa9)
				return 0;
			i += 3;
		} else if (b >= 0xf0 && b <= 0xf4) {
			unsigned char lo = b == 0xf0 ? 0x90 : 0x80;
			unsigned char hi = b == 0xf4 ? 0x8f : 0xbf;
			if (i + 3 >= len || s[i + 1] < lo || s[i + 1] > hi ||
			    s[i + 2] < 0x80 || s[i + 2] > 0xbf ||
			    s[i + 3] < 0x80 || s[i + 3] > 0xbf)
				return 0;
			i += 4;
		} else
			return 0;
	}
	return 1;
}

static void
check(const char *in, size_t inlen, int nl, const char *want)
{
	char out[256];
	size_t n;

	n = pgal_sanitize_n(out, sizeof out, in, inlen, nl);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}
#define CHECK(in, nl, want) check(in, sizeof(in) - 1, nl, want)

static void
test_plain(void **state)
{
	CHECK("hello, world", 0, "hello, world");
	CHECK("", 0, "");
	CHECK("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xb7", 0,
	    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x93\xb7");
	/* the highest code points of each length are fine */
	CHECK("\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf", 0, "\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf");
	/* U+00A0, the first character after the C1 block, is kept */
	CHECK("a\xc2\xa0" "b", 0, "a\xc2\xa0" "b");
}

static void
test_escapes(void **state)
{
	/* OSC window title, BEL-terminated and ST-terminated */
	CHECK("\x1b]0;pwned\x07ok", 0, "ok");
	CHECK("\x1b]0;pwned\x1b\\ok", 0, "ok");
	/* OSC 8 hyperlink around text */
	CHECK("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", 0, "link");
	/* CSI: clear screen, colours, cursor moves with intermediates */
	CHECK("\x1b[2J", 0, "");
	CHECK("a\x1b[31mred\x1b[0mb", 0, "aredb");
	CHECK("\x1b[?1049h\x1b[1;1H\x1b[ q!", 0, "!");
	/* DCS (sixel), SOS, PM, APC payloads go with their introducer */
	CHECK("\x1bPq#0;2;0;0;0#0~~\x1b\\after", 0, "after");
	CHECK("\x1bXsos\x1b\\1\x1b^pm\x1b\\2\x1b_apc\x1b\\3", 0, "123");
	/* DCS is not ended by BEL */
	CHECK("\x1bPx\x07y\x1b\\z", 0, "z");
	/* two-byte and nF sequences: ESC c (reset), ESC ( 0 (line drawing), ESC 7 */
	CHECK("\x1b" "c" "A\x1b(0B\x1b" "7C", 0, "ABC");
	/* C1 controls as UTF-8 characters: CSI, OSC, ST, NEL */
	CHECK("\xc2\x9b" "31mx", 0, "x");
	CHECK("\xc2\x9d" "0;t\xc2\x9cy", 0, "y");
	CHECK("a\xc2\x85" "b", 0, "ab");
	/* C1 CSI as a raw byte: invalid UTF-8, dropped alone (a UTF-8
	 * terminal does not act on it; the rest is harmless text) */
	CHECK("\x9b", 0, "");
	CHECK("\x9b" "2Jx", 0, "2Jx");
	CHECK("\x9d" "0;t\x07y", 0, "0;ty");
	/* a payload in UTF-8 (Hebrew, 0x9c as a continuation byte) is skipped whole */
	CHECK("\x1b]0;\xd7\x9c\xd7\x9c\x07ok", 0, "ok");
	/* CAN aborts a string sequence */
	CHECK("\x1b]0;t\x18z", 0, "z");
	/* ESC ESC [: both dropped with the sequence */
	CHECK("\x1b\x1b[2Jq", 0, "q");
	/* a CSI interrupted by a control: the rest is plain text, no ESC left */
	CHECK("\x1b[3\nx", 0, " x");
}

static void
test_split_at_end(void **state)
{
	CHECK("abc\x1b", 0, "abc");
	CHECK("abc\x1b[", 0, "abc");
	CHECK("abc\x1b[12;", 0, "abc");
	CHECK("abc\x1b]0;title", 0, "abc");
	CHECK("abc\x1b]0;title\x1b", 0, "abc");
	CHECK("abc\x1bP", 0, "abc");
	CHECK("abc\xc2", 0, "abc");
	CHECK("abc\xe2\x82", 0, "abc");
	CHECK("abc\xf0\x9f\x93", 0, "abc");
	CHECK("abc\xc2\x9b", 0, "abc");
}

static void
test_invalid_utf8(void **state)
{
	/* overlong '/' in 2, 3 and 4 bytes, and overlong NUL */
	CHECK("a\xc0\xaf" "b", 0, "ab");
	CHECK("a\xe0\x80\xaf" "b", 0, "ab");
	CHECK("a\xf0\x80\x80\xaf" "b", 0, "ab");
	CHECK("a\xc0\x80" "b", 0, "ab");
	/* surrogates U+D800, U+DFFF */
	CHECK("a\xed\xa0\x80" "b\xed\xbf\xbf", 0, "ab");
	/* above U+10FFFF and bytes never valid */
	CHECK("a\xf4\x90\x80\x80" "b", 0, "ab");
	CHECK("a\xf5\x80\x80\x80\xfe\xff" "b", 0, "ab");
	/* lone continuation bytes; Latin-1 text */
	CHECK("\x80\xbf" "caf\xe9", 0, "caf");
	/* a lead byte followed by ASCII keeps the ASCII */
	CHECK("\xe2" "ab", 0, "ab");
}

static void
test_bidi(void **state)
{
	/* U+202E RIGHT-TO-LEFT OVERRIDE makes "gpj.exe" look like "exe.jpg" */
	CHECK("photo\xe2\x80\xae" "gpj.exe", 0, "photogpj.exe");
	CHECK("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0, "");
	CHECK("\xe2\x81\xa6x\xe2\x81\xa7y\xe2\x81\xa8z\xe2\x81\xa9", 0, "xyz");
	/* neighbours of the ranges stay: U+2027, U+202F, U+2065, U+2070 */
	CHECK("\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xb0", 0,
	    "\xe2\x80\xa7\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xb0");
}

/* The invisible characters the field test found let through: zero-width
 * space and joiners, LRM/RLM, the line and paragraph separators, the byte
 * order mark, the soft hyphen, the grapheme joiner, the Arabic letter mark
 * and tag characters (which can spell hidden text after an emoji). */
static void
test_invisible(void **state)
{
	CHECK("a\xe2\x80\x8b" "b\xe2\x80\x8c" "c\xe2\x80\x8d" "d", 0, "abcd");
	CHECK("a\xe2\x80\x8e" "b\xe2\x80\x8f" "c", 0, "abc");
	CHECK("line\xe2\x80\xa8" "para\xe2\x80\xa9", 1, "linepara");
	CHECK("\xef\xbb\xbf" "bom", 0, "bom");
	CHECK("ad\xc2\xad" "min", 0, "admin");
	CHECK("e\xcd\x8f" "x", 0, "ex");
	CHECK("\xd8\x9c" "1", 0, "1");
	CHECK("\xf0\x9f\x8f\xb4\xf3\xa0\x81\xa7\xf3\xa0\x81\xa2\xf3\xa0\x81\xbf",
	    0, "\xf0\x9f\x8f\xb4");
	CHECK("\xf3\xa0\x80\x80\xf3\xa0\x80\x81", 0, "");
	assert_false(pgal_text_is_clean("a\xe2\x80\x8b" "b", 0));
	assert_false(pgal_text_is_clean("\xef\xbb\xbf", 0));
}

/* Sets in[cp] for every code point Python's unicodedata puts in category Cf,
 * Zl or Zp; returns its Unicode version's major number. */
static int
python_invisible(unsigned char *in)
{
	static const char *script =
	    "import sys, unicodedata\n"
	    "print(unicodedata.unidata_version)\n"
	    "for c in range(0x110000):\n"
	    "    if unicodedata.category(chr(c)) in ('Cf', 'Zl', 'Zp'):\n"
	    "        print('%x' % c)\n";
	char cmd[512], line[64];
	unsigned long cp;
	int major = 0, n = 0;
	FILE *f;

	snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \"%s\"", script);
	f = popen(cmd, "r");
	assert_non_null(f);
	if (fgets(line, sizeof line, f) != NULL)
		major = atoi(line);
	while (fgets(line, sizeof line, f) != NULL) {
		cp = strtoul(line, NULL, 16);
		assert_true(cp < 0x110000);
		in[cp] = 1;
		n++;
	}
	assert_int_equal(pclose(f), 0);
	/* Unicode 14 has 170 of them: the script ran */
	assert_true(n >= 160);
	return major;
}

/* Every code point from U+00A0 up, one at a time: dropped exactly when
 * Python's unicodedata says Cf, Zl or Zp (plus U+034F and the whole tag
 * block, named by the issue), kept byte for byte otherwise. */
static void
test_invisible_against_unicodedata(void **state)
{
	unsigned char *want = calloc(0x110000, 1);
	unsigned char in[4];
	char out[8];
	uint32_t cp;
	size_t len, n;
	int bad = 0;

	assert_non_null(want);
	assert_true(python_invisible(want) >= 14);
	want[0x34f] = 1;
	for (cp = 0xe0000; cp <= 0xe007f; cp++)
		want[cp] = 1;
	for (cp = 0xa0; cp < 0x110000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		if (cp < 0x800) {
			in[0] = (unsigned char)(0xc0 | cp >> 6);
			in[1] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 2;
		} else if (cp < 0x10000) {
			in[0] = (unsigned char)(0xe0 | cp >> 12);
			in[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			in[2] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 3;
		} else {
			in[0] = (unsigned char)(0xf0 | cp >> 18);
			in[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
			in[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
			in[3] = (unsigned char)(0x80 | (cp & 0x3f));
			len = 4;
		}
		n = pgal_sanitize_n(out, sizeof out, (const char *)in, len, 0);
		if (want[cp] ? n != 0 : (n != len || memcmp(out, in, len) != 0)) {
			if (bad++ < 20)
				print_error("U+%04X: %s\n", (unsigned)cp,
				    want[cp] ? "kept, but invisible" : "dropped, but visible");
		}
	}
	free(want);
	assert_int_equal(bad, 0);
}

static void
test_newlines(void **state)
{
	CHECK("a\r\nb\tc\nd\re", 0, "a b c d e");
	CHECK("a\r\nb\tc\nd\re", 1, "a\nb c\nde");
	CHECK("x\x00y\x7fz\x01\x1f", 0, "xyz");
	CHECK("\n\n", 1, "\n\n");
}

static void
test_every_byte(void **state)
{
	int b, nl;

	for (nl = 0; nl <= 1; nl++) {
		for (b = 0; b < 256; b++) {
			char in[1] = { (char)b }, out[8], want[2] = { 0, 0 };
			size_t n;

			if (b >= 0x20 && b <= 0x7e)
				want[0] = (char)b;
			else if (b == '\t' || ((b == '\n' || b == '\r') && !nl))
				want[0] = ' ';
			else if (b == '\n')
				want[0] = '\n';
			n = pgal_sanitize_n(out, sizeof out, in, 1, nl);
			assert_string_equal(out, want);
			assert_int_equal(n, strlen(want));
		}
	}
}

/* every pair of bytes: the output is always clean and NUL-terminated */
static void
test_every_pair(void **state)
{
	int a, b;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			char in[2] = { (char)a, (char)b }, out[8];
			size_t n;

			memset(out, 'Z', sizeof out);
			n = pgal_sanitize_n(out, sizeof out, in, 2, a & 1);
			assert_true(n <= 2);
			assert_int_equal(out[n], '\0');
			assert_true(output_ok(out, n, a & 1));
		}
	}
}

static void
test_truncation(void **state)
{
	/* U+20AC EURO SIGN is 3 bytes: it goes in whole or not at all */
	const char *euro = "a\xe2\x82\xac";
	char out[8];
	size_t sz;

	for (sz = 1; sz <= 6; sz++) {
		size_t n;

		memset(out, 'Z', sizeof out);
		n = pgal_sanitize(out, sz, euro, 0);
		if (sz < 2)
			assert_string_equal(out, "");
		else if (sz < 5)
			assert_string_equal(out, "a");
		else
			assert_string_equal(out, euro);
		assert_int_equal(n, strlen(out));
		assert_int_equal(out[sz], 'Z'); /* nothing past dstsz */
	}
	/* dstsz 0 writes nothing */
	out[0] = 'Z';
	assert_int_equal(pgal_sanitize(out, 0, "abc", 0), 0);
	assert_int_equal(out[0], 'Z');
	/* NULL source is empty */
	assert_int_equal(pgal_sanitize(out, sizeof out, NULL, 0), 0);
	assert_string_equal(out, "");
	/* pgal_sanitize stops at NUL, the _n form drops embedded NULs */
	check("a\0b", 3, 0, "ab");
}

static void
test_long_inputs(void **state)
{
	size_t reps = 200000, unit = 5, i, n;
	char *in, *out;

	/* a megabyte of colour codes around one character */
	in = malloc(reps * unit + 2);
	assert_non_null(in);
	for (i = 0; i < reps; i++)
		memcpy(in + i * unit, "\x1b[31m", unit);
	in[reps * unit] = 'x';
	in[reps * unit + 1] = '\0';
	out = malloc(16);
	assert_non_null(out);
	n = pgal_sanitize(out, 16, in, 0);
	assert_string_equal(out, "x");
	assert_int_equal(n, 1);
	free(in);
	free(out);

	/* 100000 two-byte characters into 1001 bytes: 500 whole characters */
	in = malloc(200001);
	assert_non_null(in);
	for (i = 0; i < 100000; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	in[200000] = '\0';
	out = malloc(1001);
	assert_non_null(out);
	n = pgal_sanitize(out, 1001, in, 0);
	assert_int_equal(n, 1000);
	assert_true(output_ok(out, n, 0));
	free(in);
	free(out);

	/* an unterminated OSC swallows to the end, quickly */
	in = malloc(1000003);
	assert_non_null(in);
	memcpy(in, "\x1b]0", 3);
	memset(in + 3, 'A', 1000000);
	in[1000002] = '\0';
	out = malloc(64);
	assert_non_null(out);
	assert_int_equal(pgal_sanitize(out, 64, in, 0), 0);
	free(in);
	free(out);
}

/* random bytes biased toward the interesting ones: invariants hold and the
 * sanitizer is idempotent */
static void
test_random(void **state)
{
	static const unsigned char pick[] = { 0x1b, '[', ']', 'P', '\\', 0x07,
	    0x9b, 0x9c, 0xc2, 0xe2, 0x80, 0xae, 0xf0, 0xf4, 0xed, '\n', '\r',
	    '\t', 'a', ';', '0', 'm', 0x18, 0xa9 };
	unsigned int seed = 12345;
	int iter;

	for (iter = 0; iter < 20000; iter++) {
		unsigned char in[64];
		char out[80], again[80];
		size_t len = rand_r(&seed) % sizeof in, i, n;
		int nl = iter & 1;

		for (i = 0; i < len; i++) {
			int r = rand_r(&seed);
			in[i] = (r & 1) ? pick[(r >> 1) % sizeof pick] : (unsigned char)(r >> 8);
		}
		n = pgal_sanitize_n(out, sizeof out, (char *)in, len, nl);
		assert_int_equal(strlen(out), n);
		assert_true(output_ok(out, n, nl));
		assert_true(pgal_text_is_clean(out, nl));
		pgal_sanitize(again, sizeof again, out, nl);
		assert_string_equal(again, out);
	}
}

static void
test_is_clean(void **state)
{
	assert_true(pgal_text_is_clean("", 0));
	assert_true(pgal_text_is_clean("Sunset at the caf\xc3\xa9", 0));
	assert_false(pgal_text_is_clean("a\nb", 0));
	assert_true(pgal_text_is_clean("a\nb", 1));
	assert_false(pgal_text_is_clean("a\r\nb", 1));
	assert_false(pgal_text_is_clean("a\tb", 1));
	assert_false(pgal_text_is_clean("\x1b[2J", 0));
	assert_false(pgal_text_is_clean("\xc2\x9b", 0));
	assert_false(pgal_text_is_clean("caf\xe9", 0));
	assert_false(pgal_text_is_clean("x\xe2\x80\xae", 0));
	assert_false(pgal_text_is_clean("\x7f", 0));
	assert_false(pgal_text_is_clean(NULL, 0));
}

static void
test_utf8_cut(void **state)
{
	/* "caf" + e-acute (2 bytes) + "!" + a CJK ideograph (3 bytes) */
	const char *s = "caf\xc3\xa9!\xe6\x97\xa5";
	size_t len = strlen(s), max;

	assert_int_equal(pgal_utf8_cut(s, len, len), len);
	assert_int_equal(pgal_utf8_cut(s, len, 100), len);
	assert_int_equal(pgal_utf8_cut(s, len, 0), 0);
	/* inside the e-acute: before it; right after it: all of it */
	assert_int_equal(pgal_utf8_cut(s, len, 4), 3);
	assert_int_equal(pgal_utf8_cut(s, len, 5), 5);
	/* anywhere inside the ideograph: before it */
	assert_int_equal(pgal_utf8_cut(s, len, 7), 6);
	assert_int_equal(pgal_utf8_cut(s, len, 8), 6);
	/* inside a 4-byte character (U+1F600): before it, at any of its bytes */
	assert_int_equal(pgal_utf8_cut("x\xf0\x9f\x98\x80", 5, 1), 1);
	assert_int_equal(pgal_utf8_cut("x\xf0\x9f\x98\x80", 5, 2), 1);
	assert_int_equal(pgal_utf8_cut("x\xf0\x9f\x98\x80", 5, 4), 1);
	assert_int_equal(pgal_utf8_cut("x\xf0\x9f\x98\x80y", 6, 5), 5);
	/* every cut is at most max and ends on a character boundary */
	for (max = 0; max <= len; max++) {
		size_t n = pgal_utf8_cut(s, len, max);

		assert_true(n <= max);
		assert_true(n == len || ((unsigned char)s[n] & 0xc0) != 0x80);
	}
}

/* A cut inside a 4-byte character (U+1F600), by the copy that keeps text
 * read from outside in a fixed field: every dst size from 0 up, with the
 * bytes past dstsz watched, a NUL inside the source, no source at all. */
static void
test_utf8_copy(void **state)
{
	/* "a" + U+1F600 + "b": characters end at bytes 1, 5 and 6 */
	static const char s[] = "a\xf0\x9f\x98\x80" "b";
	static const size_t bounds[] = { 0, 1, 5, 6 };
	char buf[16];
	size_t dstsz, n, want, b;

	for (dstsz = 0; dstsz <= 9; dstsz++) {
		memset(buf, '#', sizeof buf);
		n = pgal_utf8_copy(buf, dstsz, s, sizeof s - 1);
		/* the longest character boundary that leaves room for the NUL */
		want = 0;
		for (b = 0; b < sizeof bounds / sizeof bounds[0]; b++)
			if (dstsz > 0 && bounds[b] <= dstsz - 1)
				want = bounds[b];
		assert_int_equal(n, want);
		if (dstsz > 0) {
			assert_memory_equal(buf, s, n);
			assert_int_equal(buf[n], '\0');
		}
		/* nothing written at or past dst[dstsz] */
		for (b = dstsz; b < sizeof buf; b++)
			assert_int_equal(buf[b], '#');
	}
	/* a NUL inside ends the copy, whatever srclen says */
	memset(buf, '#', sizeof buf);
	assert_int_equal(pgal_utf8_copy(buf, sizeof buf, "ab\0cd", 5), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(buf[3], '#');
	/* srclen bounds a source with no NUL in reach */
	assert_int_equal(pgal_utf8_copy(buf, sizeof buf, "abcdef", 3), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(pgal_utf8_copy(buf, sizeof buf, NULL, 0), 0);
	assert_string_equal(buf, "");
	/* invalid UTF-8: stray continuation bytes at the cut go with the
	 * character before them; a lone lead byte inside the room stays */
	assert_int_equal(pgal_utf8_copy(buf, 4, "ab\x80\x80\x80", 5), 1);
	assert_string_equal(buf, "a");
	assert_int_equal(pgal_utf8_copy(buf, 4, "a\xc3z", 3), 3);
	assert_string_equal(buf, "a\xc3z");
}

/* the code points of the Unicode standard's encodings; the sequences it
 * calls ill-formed (overlong, surrogate, above U+10FFFF, cut) are refused */
static void
test_utf8_decode(void **state)
{
	uint32_t cp = 0;

	assert_int_equal(pgal_utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 0x41);
	assert_int_equal(pgal_utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(pgal_utf8_decode("\xe2\x86\x93x", 4, &cp), 3);
	assert_int_equal(cp, 0x2193);
	assert_int_equal(pgal_utf8_decode("\xf0\x9f\x93\xb7", 4, &cp), 4);
	assert_int_equal(cp, 0x1f4f7);
	assert_int_equal(pgal_utf8_decode("", 0, &cp), 0);
	assert_int_equal(pgal_utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(pgal_utf8_decode("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(pgal_utf8_decode("\xe0\x80\xaf", 3, &cp), 0);
	assert_int_equal(pgal_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(pgal_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	/* cut: the bytes there, but not inside len */
	assert_int_equal(pgal_utf8_decode("\xe2\x86\x93", 2, &cp), 0);
}

static void
test_width(void **state)
{
	assert_non_null(setlocale(LC_CTYPE, "C.UTF-8"));
	assert_int_equal(pgal_text_width(""), 0);
	assert_int_equal(pgal_text_width("abc"), 3);
	/* CJK ideographs are wide (East Asian Width W) */
	assert_int_equal(pgal_text_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	/* precomposed and combining e-acute are one column each */
	assert_int_equal(pgal_text_width("\xc3\xa9"), 1);
	assert_int_equal(pgal_text_width("e\xcc\x81"), 1);
	assert_int_equal(pgal_text_width("a\nb"), 2);
	assert_int_equal(pgal_text_width(NULL), 0);
	setlocale(LC_CTYPE, "C");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_split_at_end),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_bidi),
		cmocka_unit_test(test_invisible),
		cmocka_unit_test(test_invisible_against_unicodedata),
		cmocka_unit_test(test_newlines),
		cmocka_unit_test(test_every_byte),
		cmocka_unit_test(test_every_pair),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_inputs),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_is_clean),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_utf8_copy),
		cmocka_unit_test(test_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
