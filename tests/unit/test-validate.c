/* Name syntax: the documented regular expressions checked against POSIX
 * regexec, emails including header injection, photo names from hostile file
 * names, tag normalization. */
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "validate.h"

/* random strings over alphabet, lengths 0..maxlen; validator vs regex */
static void
against_regex(const char *re, const char *alphabet, size_t maxlen,
    int (*valid)(const char *, pgal_err *))
{
	regex_t rx;
	unsigned int seed = 42;
	size_t n = strlen(alphabet);
	int i, hits = 0;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	for (i = 0; i < 50000; i++) {
		char s[128];
		size_t len = rand_r(&seed) % (maxlen + 1), j;
		int want, got;
		pgal_err e;

		for (j = 0; j < len; j++)
			s[j] = alphabet[rand_r(&seed) % n];
		s[len] = '\0';
		want = regexec(&rx, s, 0, NULL, 0) == 0;
		pgal_err_clear(&e);
		got = valid(s, &e) == PGAL_OK;
		if (want != got) {
			print_error("'%s': regex says %d, validator %d\n", s, want, got);
			fail();
		}
		if (!got) {
			assert_int_equal(e.code, PGAL_EINPUT);
			assert_true(e.msg[0] != '\0');
		}
		hits += want;
	}
	/* the corpus really exercised both sides */
	assert_true(hits > 100 && hits < 49000);
	regfree(&rx);
}

static void
test_username(void **state)
{
	pgal_err e;

	assert_int_equal(pgal_valid_username("ab", &e), PGAL_OK);
	assert_int_equal(pgal_valid_username("alice_b-2", &e), PGAL_OK);
	assert_int_equal(pgal_valid_username("a", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_username("", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_username(NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_username("abcdefghijklmnopqrstuvwxyz012345", &e), PGAL_OK);
	assert_int_equal(pgal_valid_username("abcdefghijklmnopqrstuvwxyz0123456", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_username("alice\n", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_username("al\xc3\xa9", &e), PGAL_EINPUT);
	/* the corpus: mostly allowed characters with a few bad ones; the
	 * lengths reach past the bound */
	against_regex("^[a-z][a-z0-9_-]{1,31}$", "abcz09_-A. /\xc3", 36, pgal_valid_username);
}

static void
test_album_name(void **state)
{
	pgal_err e;

	assert_int_equal(pgal_valid_album_name("Holidays 2024", &e), PGAL_OK);
	assert_int_equal(pgal_valid_album_name("x", &e), PGAL_OK);
	assert_int_equal(pgal_valid_album_name(" x", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_album_name(".x", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_album_name("..", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_album_name("a/b", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_album_name("", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_album_name(NULL, &e), PGAL_EINPUT);
	against_regex("^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$", "aZ09._ -/\\\t,\xc3",
	    70, pgal_valid_album_name);
}

static void
test_email(void **state)
{
	static const char *good[] = {
		"alice@example.org",
		"a.b+tag@sub.example.co.uk",
		"o'brien@example.ie",
		"x@a-b.c",
		"UPPER@EXAMPLE.ORG",
		"!#$%&'*+-/=?^_`{|}~@x.y",
	};
	static const char *bad[] = {
		"", "alice", "@example.org", "alice@", "alice@localhost",
		"a@b@c.de", "alice@example.org\r\nBcc: victim@x.y",
		"alice@example.org\n", "\"a b\"@x.y", "a b@x.y", "<a@x.y>",
		"Alice <a@x.y>", "a,b@x.y", ".a@x.y", "a.@x.y", "a..b@x.y",
		"a@-x.y", "a@x-.y", "a@x..y", "a@.x.y", "a@x.y.", "a@x_y.z",
		"\xc3\xa9@x.y", "a@\xc3\xa9.y", "a(b)@x.y", "a;b@x.y", "a:b@x.y",
		"a\\b@x.y", "a@[127.0.0.1]", "a\x7f@x.y", "a\t@x.y",
	};
	char s[300];
	pgal_err e;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		if (pgal_valid_email(good[i], &e) != PGAL_OK) {
			print_error("refused '%s'\n", good[i]);
			fail();
		}
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pgal_err_clear(&e);
		if (pgal_valid_email(bad[i], &e) != PGAL_EINPUT) {
			print_error("accepted '%s'\n", bad[i]);
			fail();
		}
		assert_int_equal(e.code, PGAL_EINPUT);
	}
	assert_int_equal(pgal_valid_email(NULL, &e), PGAL_EINPUT);

	/* 64 + 1 + 189 = 254 bytes is the longest; one more is refused */
	memset(s, 'l', 64);
	s[64] = '@';
	memset(s + 65, 'd', 189);
	s[65 + 63] = '.';
	s[65 + 63 + 1 + 63] = '.';
	s[254] = '\0';
	assert_int_equal(strlen(s), 254);
	assert_int_equal(pgal_valid_email(s, &e), PGAL_OK);
	s[254] = 'd';
	s[255] = '\0';
	assert_int_equal(pgal_valid_email(s, &e), PGAL_EINPUT);
	/* a 65-byte local part */
	memset(s, 'l', 65);
	strcpy(s + 65, "@x.y");
	assert_int_equal(pgal_valid_email(s, &e), PGAL_EINPUT);
	/* a 64-byte label */
	strcpy(s, "a@");
	memset(s + 2, 'd', 64);
	strcpy(s + 66, ".org");
	assert_int_equal(pgal_valid_email(s, &e), PGAL_EINPUT);
}

static void
test_title_description(void **state)
{
	char s[2100];
	pgal_err e;

	assert_int_equal(pgal_valid_title("Sunset over the caf\xc3\xa9", &e), PGAL_OK);
	assert_int_equal(pgal_valid_title("", &e), PGAL_OK);
	assert_int_equal(pgal_valid_title("a\nb", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_title("\x1b[2Jowned", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_title("\x1b]0;x\x07", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_title("bad \xff utf8", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_title("rlo\xe2\x80\xae", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_title(NULL, &e), PGAL_EINPUT);
	memset(s, 'x', PGAL_TITLE_MAX);
	s[PGAL_TITLE_MAX] = '\0';
	assert_int_equal(pgal_valid_title(s, &e), PGAL_OK);
	strcat(s, "x");
	assert_int_equal(pgal_valid_title(s, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "too long"));

	assert_int_equal(pgal_valid_description("line one\nline two\n", &e), PGAL_OK);
	assert_int_equal(pgal_valid_description("a\r\nb", &e), PGAL_EINPUT);
	assert_int_equal(pgal_valid_description("a\x9b" "2J", &e), PGAL_EINPUT);
	memset(s, 'y', PGAL_DESC_MAX);
	s[PGAL_DESC_MAX] = '\0';
	assert_int_equal(pgal_valid_description(s, &e), PGAL_OK);
	strcat(s, "y");
	assert_int_equal(pgal_valid_description(s, &e), PGAL_EINPUT);
}

static void
name_is(const char *file, const char *want)
{
	char out[PGAL_PHOTO_NAME_MAX + 1];
	pgal_err e;

	pgal_photo_name_from_file(file, out);
	assert_string_equal(out, want);
	/* whatever it makes, the command line check accepts */
	assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);
}

static void
test_name_from_file(void **state)
{
	char in[1000], want[200], out[PGAL_PHOTO_NAME_MAX + 1];
	pgal_err e;
	size_t i;

	name_is("/home/u/IMG_0001.JPG", "IMG_0001.JPG");
	name_is("C:\\Users\\x\\pic.jpg", "pic.jpg");
	name_is("../../etc/passwd", "passwd");
	name_is(".hidden.jpg", "hidden.jpg");
	name_is("...", "photo");
	name_is("..", "photo");
	name_is("", "photo");
	name_is("dir/", "photo");
	name_is(NULL, "photo");
	name_is(" . x.jpg  ", "x.jpg");
	name_is("a\x1b[31mb.jpg", "ab.jpg");
	name_is("\x1b]0;pwned\x07.jpg", "jpg");
	name_is("tab\there.jpg", "tab here.jpg");
	name_is("cr\r\nlf.jpg", "cr lf.jpg");
	name_is("gpj\xe2\x80\xae.exe", "gpj.exe");
	name_is("caf\xe9.jpg", "caf.jpg");
	name_is("Fr\xc3\xbchling 2024.jpeg", "Fr\xc3\xbchling 2024.jpeg");

	/* long names keep their extension and fit 120 bytes (128 - 8) */
	memset(in, 'a', 300);
	strcpy(in + 300, ".jpeg");
	memset(want, 'a', 115);
	strcpy(want + 115, ".jpeg");
	name_is(in, want);

	/* two-byte characters: 58 of them (116 bytes) + ".jpg" */
	for (i = 0; i < 100; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	strcpy(in + 200, ".jpg");
	for (i = 0; i < 58; i++)
		memcpy(want + 2 * i, "\xc3\xa9", 2);
	strcpy(want + 116, ".jpg");
	name_is(in, want);

	/* three-byte characters: 38 of them (114 bytes, 116 would cut one) */
	for (i = 0; i < 50; i++)
		memcpy(in + 3 * i, "\xe2\x82\xac", 3);
	strcpy(in + 150, ".jpg");
	for (i = 0; i < 38; i++)
		memcpy(want + 3 * i, "\xe2\x82\xac", 3);
	strcpy(want + 114, ".jpg");
	name_is(in, want);

	/* no extension, cut where a space would end it */
	for (i = 0; i < 150; i++)
		memcpy(in + 2 * i, "a ", 2);
	in[300] = '\0';
	pgal_photo_name_from_file(in, out);
	assert_int_equal(strlen(out), 119);
	assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);

	/* a very long "extension" is just part of the name */
	strcpy(in, "a.");
	memset(in + 2, 'x', 200);
	in[202] = '\0';
	pgal_photo_name_from_file(in, out);
	assert_int_equal(strlen(out), 120);
	assert_memory_equal(out, "a.xxx", 5);

	/* every byte value as a one-character name */
	for (i = 0; i < 256; i++) {
		char one[2] = { (char)i, 0 };
		pgal_photo_name_from_file(one, out);
		assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);
	}
}

static void
test_name_variant(void **state)
{
	char out[PGAL_PHOTO_NAME_MAX + 1], in[PGAL_PHOTO_NAME_MAX + 1];
	pgal_err e;
	size_t i;

	pgal_photo_name_variant("a.jpg", 1, out);
	assert_string_equal(out, "a.jpg");
	pgal_photo_name_variant("a.jpg", 2, out);
	assert_string_equal(out, "a-2.jpg");
	pgal_photo_name_variant("photo", 3, out);
	assert_string_equal(out, "photo-3");
	pgal_photo_name_variant("a.b.c.tar", 10, out);
	assert_string_equal(out, "a.b.c-10.tar");
	pgal_photo_name_variant("IMG 1.JPG", 999999, out);
	assert_string_equal(out, "IMG 1-999999.JPG");

	/* a full-length name: the stem gives way, the extension stays */
	memset(in, 'n', PGAL_PHOTO_NAME_MAX - 4);
	strcpy(in + PGAL_PHOTO_NAME_MAX - 4, ".jpg");
	pgal_photo_name_variant(in, 12, out);
	assert_int_equal(strlen(out), PGAL_PHOTO_NAME_MAX);
	assert_string_equal(out + PGAL_PHOTO_NAME_MAX - 7, "-12.jpg");
	assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);

	/* and it is cut on a character boundary */
	for (i = 0; i < 62; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	strcpy(in + 124, ".jpg");
	pgal_photo_name_variant(in, 2, out);
	/* 128 - 2 - 4 = 122 bytes of stem: 61 characters */
	assert_int_equal(strlen(out), 122 + 6);
	assert_string_equal(out + 122, "-2.jpg");
	assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);
	/* 40 euro signs, 'x', one more euro sign at 121..123: the cut at 122
	 * falls inside it and backs off to 121 */
	for (i = 0; i < 40; i++)
		memcpy(in + 3 * i, "\xe2\x82\xac", 3);
	in[120] = 'x';
	memcpy(in + 121, "\xe2\x82\xac", 3);
	strcpy(in + 124, ".jpg");
	pgal_photo_name_variant(in, 2, out);
	assert_int_equal(strlen(out), 121 + 6);
	assert_memory_equal(out, in, 121);
	assert_string_equal(out + 121, "-2.jpg");
	assert_int_equal(pgal_valid_photo_name(out, &e), PGAL_OK);
}

static void
test_valid_photo_name(void **state)
{
	static const char *bad[] = { "", ".", "..", ".hidden", "a/b", "a\\b",
	    " a", "a ", "a\x1b", "a\nb", "a\tb", "\xff", "x\xe2\x80\xae" };
	char s[PGAL_PHOTO_NAME_MAX + 2];
	pgal_err e;
	size_t i;

	assert_int_equal(pgal_valid_photo_name("IMG 1.jpg", &e), PGAL_OK);
	assert_int_equal(pgal_valid_photo_name("a..b", &e), PGAL_OK);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pgal_err_clear(&e);
		if (pgal_valid_photo_name(bad[i], &e) != PGAL_EINPUT) {
			print_error("accepted '%s'\n", bad[i]);
			fail();
		}
		assert_true(e.msg[0] != '\0');
	}
	assert_int_equal(pgal_valid_photo_name(NULL, &e), PGAL_EINPUT);
	memset(s, 'p', PGAL_PHOTO_NAME_MAX);
	s[PGAL_PHOTO_NAME_MAX] = '\0';
	assert_int_equal(pgal_valid_photo_name(s, &e), PGAL_OK);
	strcat(s, "p");
	assert_int_equal(pgal_valid_photo_name(s, &e), PGAL_EINPUT);
}

static void
tags_are(const char *in, const char *want)
{
	char out[PGAL_TAGS_MAX + 1];
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(pgal_tags_normalize(in, out, &e), PGAL_OK);
	assert_string_equal(out, want);
}

static void
test_tags(void **state)
{
	char in[10000], out[PGAL_TAGS_MAX + 1];
	pgal_err e;
	size_t i, len;

	tags_are("", "");
	tags_are(NULL, "");
	tags_are(" , ,, ", "");
	tags_are(" Beach, sunset ,BEACH,,  ", "beach,sunset");
	tags_are("b,a,c,a", "a,b,c");
	/* ASCII letters fold, others stay as typed; byte order sorts */
	tags_are("Z\xc3\xbcrich, \xc3\x89T\xc3\x89", "z\xc3\xbcrich,\xc3\x89t\xc3\x89");
	tags_are("new\tyork", "new york");
	tags_are("a\x1b[31mb, \x1b]0;x\x07", "ab");
	tags_are("\xff\xfe", "");

	/* 40 bytes is a tag, 41 is too long */
	memset(in, 't', PGAL_TAG_MAX);
	in[PGAL_TAG_MAX] = '\0';
	tags_are(in, in);
	strcat(in, "t");
	assert_int_equal(pgal_tags_normalize(in, out, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "tag"));

	/* exactly 512 bytes: 127 tags "000".."126" and "zzzz" */
	len = 0;
	for (i = 0; i < 127; i++)
		len += sprintf(in + len, "%s%03zu", i ? "," : "", i);
	len += sprintf(in + len, ",zzzz");
	assert_int_equal(len, PGAL_TAGS_MAX);
	tags_are(in, in);
	/* one more tag is too much */
	strcat(in, ",y");
	assert_int_equal(pgal_tags_normalize(in, out, &e), PGAL_EINPUT);
	assert_string_equal(out, "");

	/* thousands of duplicates are one tag */
	len = 0;
	for (i = 0; i < 2000; i++)
		len += sprintf(in + len, "%sDup", i ? "," : "");
	tags_are(in, "dup");

	/* many distinct tags overflow */
	len = 0;
	for (i = 0; i < 1500; i++)
		len += sprintf(in + len, "%s%zu", i ? "," : "", i);
	assert_int_equal(pgal_tags_normalize(in, out, &e), PGAL_EINPUT);

	/* a huge input is refused outright */
	memset(in, ' ', sizeof in - 1);
	in[sizeof in - 1] = '\0';
	assert_int_equal(pgal_tags_normalize(in, out, &e), PGAL_EINPUT);
}

/* Reading a list back: each tag once, empty entries passed over, never
 * past the end given. */
static void
test_tags_next(void **state)
{
	static const char list[] = ",beach,,sunset,";
	const char *p = list, *tag;
	size_t len;

	(void)state;
	assert_int_equal(pgal_tags_next(&p, list + strlen(list), &tag, &len), 1);
	assert_int_equal(len, 5);
	assert_memory_equal(tag, "beach", 5);
	assert_int_equal(pgal_tags_next(&p, list + strlen(list), &tag, &len), 1);
	assert_int_equal(len, 6);
	assert_memory_equal(tag, "sunset", 6);
	assert_int_equal(pgal_tags_next(&p, list + strlen(list), &tag, &len), 0);
	p = list;
	assert_int_equal(pgal_tags_next(&p, list + 4, &tag, &len), 1);
	assert_int_equal(len, 3);
	assert_int_equal(pgal_tags_next(&p, list + 4, &tag, &len), 0);
	p = list;
	assert_int_equal(pgal_tags_next(&p, list, &tag, &len), 0);
}

/* pgal_ascii_lower: A-Z and nothing else, so UTF-8 text (other scripts,
 * accented capitals) passes through byte for byte. */
static void
test_ascii_lower(void **state)
{
	char s[64], all[256];
	int i;

	(void)state;
	snprintf(s, sizeof s, "%s", "AZaz@[`{09 \xc3\x80" "Bc \xc3\x9c" "NI");
	pgal_ascii_lower(s);
	assert_string_equal(s, "azaz@[`{09 \xc3\x80" "bc \xc3\x9c" "ni");
	for (i = 1; i < 256; i++)
		all[i - 1] = (char)i;
	all[255] = '\0';
	pgal_ascii_lower(all);
	for (i = 1; i < 256; i++)
		assert_int_equal((unsigned char)all[i - 1],
		    i >= 'A' && i <= 'Z' ? i + ('a' - 'A') : i);
	s[0] = '\0';
	pgal_ascii_lower(s);
	assert_string_equal(s, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_username),
		cmocka_unit_test(test_album_name),
		cmocka_unit_test(test_email),
		cmocka_unit_test(test_title_description),
		cmocka_unit_test(test_name_from_file),
		cmocka_unit_test(test_name_variant),
		cmocka_unit_test(test_valid_photo_name),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_tags_next),
		cmocka_unit_test(test_ascii_lower),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
