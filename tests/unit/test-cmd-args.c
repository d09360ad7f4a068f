/* The scripting surface without a gallery: option parsing, ALBUM/PHOTO
 * splitting, output formats, the command table and the dispatcher's usage
 * errors (which must never open the gallery). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "cmd/cmd.h"

/* ---- option parsing ---- */

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(a, spec, e, ...) pgal_args_parse(a, spec, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), e)

static const char *SPEC = "title=,description=,tags=,json,yes,force,sort=,o=";

static void
test_long_forms(void **state)
{
	pgal_args a;
	pgal_err e;

	assert_int_equal(PARSE(&a, SPEC, &e, "trip", "--title", "Summer", "--tags=a,b", "--json"), PGAL_OK);
	assert_int_equal(a.argc, 1);
	assert_string_equal(a.argv[0], "trip");
	assert_string_equal(pgal_args_get(&a, "title"), "Summer");
	assert_string_equal(pgal_args_get(&a, "tags"), "a,b");
	assert_true(pgal_args_has(&a, "json"));
	assert_null(pgal_args_get(&a, "json"));
	assert_false(pgal_args_has(&a, "yes"));
	assert_null(pgal_args_get(&a, "description"));
	pgal_args_free(&a);
}

static void
test_options_after_positionals_and_dashdash(void **state)
{
	pgal_args a;
	pgal_err e;

	assert_int_equal(PARSE(&a, SPEC, &e, "a", "--yes", "b", "--", "--json", "-", "-o"), PGAL_OK);
	assert_int_equal(a.argc, 5);
	assert_string_equal(a.argv[0], "a");
	assert_string_equal(a.argv[1], "b");
	assert_string_equal(a.argv[2], "--json");
	assert_string_equal(a.argv[3], "-");
	assert_string_equal(a.argv[4], "-o");
	assert_null(a.argv[5]);
	assert_true(pgal_args_has(&a, "yes"));
	assert_false(pgal_args_has(&a, "json"));
	pgal_args_free(&a);
}

static void
test_short_and_values(void **state)
{
	pgal_args a;
	pgal_err e;

	assert_int_equal(PARSE(&a, SPEC, &e, "-o", "out.jpg", "x"), PGAL_OK);
	assert_string_equal(pgal_args_get(&a, "o"), "out.jpg");
	assert_int_equal(a.argc, 1);
	pgal_args_free(&a);

	assert_int_equal(PARSE(&a, SPEC, &e, "-oout.jpg"), PGAL_OK);
	assert_string_equal(pgal_args_get(&a, "o"), "out.jpg");
	pgal_args_free(&a);

	/* a value may start with '-' and may be empty; the last one wins */
	assert_int_equal(PARSE(&a, SPEC, &e, "--title", "-x-", "--description=", "--title", "2nd"), PGAL_OK);
	assert_string_equal(pgal_args_get(&a, "title"), "2nd");
	assert_string_equal(pgal_args_get(&a, "description"), "");
	assert_int_equal(a.nopts, 2);
	pgal_args_free(&a);
}

static void
expect_usage(const char *spec, int argc, char **argv, const char *in_msg)
{
	pgal_args a;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(pgal_args_parse(&a, spec, argc, argv, &e), PGAL_EUSAGE);
	assert_int_equal(e.code, PGAL_EUSAGE);
	if (strstr(e.msg, in_msg) == NULL) {
		print_error("message '%s' lacks '%s'\n", e.msg, in_msg);
		fail();
	}
	assert_null(a.argv);
}

static void
test_errors(void **state)
{
	expect_usage(SPEC, 1, ARGV("--bogus"), "unknown option --bogus");
	expect_usage(SPEC, 1, ARGV("--bogus=1"), "unknown option --bogus");
	expect_usage(SPEC, 1, ARGV("-x"), "unknown option -x");
	expect_usage(SPEC, 1, ARGV("--tit"), "unknown option --tit"); /* no prefixes */
	expect_usage(SPEC, 1, ARGV("--js"), "unknown option");
	expect_usage(SPEC, 1, ARGV("--json=1"), "--json takes no value");
	expect_usage(SPEC, 2, ARGV("a", "--title"), "--title needs a value");
	expect_usage(SPEC, 1, ARGV("-o"), "-o needs a value");
	/* one-letter names are not long options, long names not short ones */
	expect_usage(SPEC, 2, ARGV("--o", "x"), "unknown option --o");
	expect_usage(SPEC, 1, ARGV("-t"), "unknown option -t");
	/* escape sequences from the command line are not echoed */
	{
		pgal_args a;
		pgal_err e;

		assert_int_equal(pgal_args_parse(&a, SPEC, 1, ARGV("--\033]0;x\007y"), &e), PGAL_EUSAGE);
		assert_null(strchr(e.msg, '\033'));
		assert_null(strchr(e.msg, '\007'));
	}
}

static void
test_get_int(void **state)
{
	pgal_args a;
	pgal_err e;
	int64_t v;

	assert_int_equal(pgal_args_parse(&a, "min-age=", 0, ARGV(NULL), &e), PGAL_OK);
	assert_int_equal(pgal_args_get_int(&a, "min-age", 3600, &v, &e), PGAL_OK);
	assert_int_equal(v, 3600);
	pgal_args_free(&a);
	assert_int_equal(PARSE(&a, "min-age=", &e, "--min-age", "0"), PGAL_OK);
	assert_int_equal(pgal_args_get_int(&a, "min-age", 3600, &v, &e), PGAL_OK);
	assert_int_equal(v, 0);
	pgal_args_free(&a);
	const char *bad[] = { "-1", "", "12x", "x", "99999999999999999999", " 1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(PARSE(&a, "min-age=", &e, "--min-age", (char *)bad[i]), PGAL_OK);
		assert_int_equal(pgal_args_get_int(&a, "min-age", 3600, &v, &e), PGAL_EUSAGE);
		pgal_args_free(&a);
	}
}

/* ---- ALBUM/PHOTO ---- */

static void
test_split_path(void **state)
{
	char album[PGAL_ALBUM_MAX + 1], photo[PGAL_PHOTO_NAME_MAX + 1], big[300];
	pgal_err e;

	/* the first '/' splits: album names cannot hold one */
	assert_int_equal(pgal_split_path("trip/a/b.jpg", album, photo, 0, &e), PGAL_OK);
	assert_string_equal(album, "trip");
	assert_string_equal(photo, "a/b.jpg");
	assert_int_equal(pgal_split_path("My trip/x y.jpg", album, photo, 0, &e), PGAL_OK);
	assert_string_equal(album, "My trip");
	assert_string_equal(photo, "x y.jpg");

	assert_int_equal(pgal_split_path("trip", album, photo, 0, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_split_path("trip/", album, photo, 0, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_split_path("/a.jpg", album, photo, 0, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_split_path("", album, photo, 1, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_split_path("trip", album, photo, 1, &e), PGAL_OK);
	assert_string_equal(album, "trip");
	assert_string_equal(photo, "");
	assert_int_equal(pgal_split_path("trip/new.jpg", album, photo, 1, &e), PGAL_OK);
	assert_string_equal(photo, "new.jpg");

	memset(big, 'a', sizeof big);
	big[PGAL_ALBUM_MAX + 1] = '\0'; /* one byte too long */
	assert_int_equal(pgal_split_path(big, album, photo, 1, &e), PGAL_EINPUT);
	memset(big, 'a', sizeof big);
	big[3] = '/';
	big[4 + PGAL_PHOTO_NAME_MAX + 1] = '\0';
	assert_int_equal(pgal_split_path(big, album, photo, 0, &e), PGAL_EINPUT);
	big[4 + PGAL_PHOTO_NAME_MAX] = '\0'; /* exactly the limit */
	assert_int_equal(pgal_split_path(big, album, photo, 0, &e), PGAL_OK);
	assert_int_equal(strlen(photo), PGAL_PHOTO_NAME_MAX);
}

static void
test_sort(void **state)
{
	pgal_sort s;

	assert_int_equal(pgal_cmd_parse_sort(NULL, &s), 0);
	assert_int_equal(s, PGAL_SORT_TAKEN);
	assert_int_equal(pgal_cmd_parse_sort("added", &s), 0);
	assert_int_equal(s, PGAL_SORT_ADDED);
	assert_int_equal(pgal_cmd_parse_sort("title", &s), 0);
	assert_int_equal(s, PGAL_SORT_TITLE);
	assert_int_equal(pgal_cmd_parse_sort("Title", &s), -1);
	assert_int_equal(pgal_cmd_parse_sort("", &s), -1);
}

/* ---- formats ---- */

static void
test_formats(void **state)
{
	char buf[32];

	/* 1224692989 is 2008-10-22T16:29:49Z (date -u -d @1224692989) */
	pgal_fmt_iso(buf, 1224692989, 0);
	assert_string_equal(buf, "2008-10-22T16:29:49");
	pgal_fmt_iso(buf, 1224692989, 1);
	assert_string_equal(buf, "2008-10-22T16:29:49Z");
	pgal_fmt_iso(buf, 0, 1);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	pgal_fmt_iso(buf, -1, 0);
	assert_string_equal(buf, "");

	pgal_fmt_size(buf, 0);
	assert_string_equal(buf, "0 B");
	pgal_fmt_size(buf, 999);
	assert_string_equal(buf, "999 B");
	pgal_fmt_size(buf, 1000);
	assert_string_equal(buf, "1.0 kB");
	pgal_fmt_size(buf, 8100000);
	assert_string_equal(buf, "8.1 MB");
	pgal_fmt_size(buf, 214000000);
	assert_string_equal(buf, "214 MB");
	pgal_fmt_size(buf, 999999);
	assert_string_equal(buf, "1.0 MB");
	pgal_fmt_size(buf, INT64_MAX);
	assert_non_null(strstr(buf, "PB"));
}

static void
test_json_photo(void **state)
{
	pgal_photo p;
	json_t *j, *x, *gps;
	json_error_t je;
	char *s;

	memset(&p, 0, sizeof p);
	strcpy(p.album, "trip");
	strcpy(p.name, "a.jpg");
	strcpy(p.title, "Beach");
	strcpy(p.tags, "beach,sea");
	strcpy(p.mime, "image/jpeg");
	memset(p.sha256, 'a', PGAL_SHA256_HEX);
	p.width = 4000;
	p.height = 3000;
	p.bytes = 8100000;
	p.added_at = 1224692989;
	p.exif.taken_at = -1;
	p.exif.gps.present = 1;
	p.exif.gps.lat = -33.5;
	p.exif.gps.lon = 151.25;
	p.exif.gps.alt = NAN;
	p.exif.orientation = 6;
	strcpy(p.exif.make, "Apple");

	/* through text and back, as a consumer sees it */
	j = pgal_json_photo(&p);
	s = json_dumps(j, 0);
	json_decref(j);
	j = json_loads(s, 0, &je);
	free(s);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j, "album")), "trip");
	assert_string_equal(json_string_value(json_object_get(j, "name")), "a.jpg");
	assert_string_equal(json_string_value(json_object_get(j, "description")), "");
	assert_int_equal(json_array_size(json_object_get(j, "tags")), 2);
	assert_string_equal(json_string_value(json_array_get(json_object_get(j, "tags"), 1)), "sea");
	assert_int_equal(json_integer_value(json_object_get(j, "width")), 4000);
	assert_int_equal(json_integer_value(json_object_get(j, "bytes")), 8100000);
	assert_true(json_is_null(json_object_get(j, "taken_at")));
	assert_string_equal(json_string_value(json_object_get(j, "added_at")), "2008-10-22T16:29:49Z");
	x = json_object_get(j, "exif");
	assert_true(json_is_object(x));
	assert_string_equal(json_string_value(json_object_get(x, "make")), "Apple");
	assert_true(json_is_null(json_object_get(x, "model")));
	assert_true(json_is_null(json_object_get(x, "iso")));
	assert_int_equal(json_integer_value(json_object_get(x, "orientation")), 6);
	gps = json_object_get(x, "gps");
	assert_true(json_is_object(gps));
	assert_true(json_number_value(json_object_get(gps, "lat")) == -33.5);
	assert_true(json_number_value(json_object_get(gps, "lon")) == 151.25);
	assert_true(json_is_null(json_object_get(gps, "alt")));
	json_decref(j);

	p.exif.gps.present = 0;
	p.tags[0] = '\0';
	j = pgal_json_photo(&p);
	assert_true(json_is_null(json_object_get(json_object_get(j, "exif"), "gps")));
	assert_int_equal(json_array_size(json_object_get(j, "tags")), 0);
	json_decref(j);
}

/* ---- the table ---- */

static int
in_list(const char *name, const char *const *list)
{
	for (; *list != NULL; list++) {
		if (strcmp(*list, name) == 0)
			return 1;
	}
	return 0;
}

static void
test_table(void **state)
{
	static const char *const local_only[] = { "signup", "confirm", "resend", "reset", "login",
						  "logout", "passwd", "cancel", "put", "gc", "init",
						  "import", NULL };
	static const char *const wanted[] = { "signup", "confirm", "resend", "login", "logout",
					      "whoami", "passwd", "cancel", "albums", "mkalbum",
					      "rmalbum", "editalbum", "ls", "put", "info", "edit",
					      "mv", "rm", "get", "search", "share", "key", "gc", "init",
					      "help", "df", "md5sum", "sha1sum", "sha256sum", "reset",
					      "import", "prefs", NULL };
	static const char *const reads[] = { "albums", "ls", "info", "search", "whoami", "prefs",
					     NULL };
	const pgal_cmd_entry *const *c, *const *d;
	const char *const *w;
	size_t n = 0;

	for (w = wanted; *w != NULL; w++)
		assert_non_null(pgal_cmd_find(*w));
	assert_null(pgal_cmd_find("nope"));
	assert_null(pgal_cmd_find(""));
	for (c = pgal_cmd_table; *c != NULL; c++, n++) {
		assert_non_null((*c)->exec);
		assert_non_null((*c)->usage);
		assert_true(strlen((*c)->summary) > 0 && strchr((*c)->summary, '\n') == NULL);
		assert_true((*c)->min_args >= 0);
		assert_true((*c)->max_args == -1 || (*c)->max_args >= (*c)->min_args);
		assert_int_equal(((*c)->flags & PGAL_CMD_LOCAL_ONLY) != 0, in_list((*c)->name, local_only));
		if (in_list((*c)->name, reads))
			assert_true((*c)->flags & PGAL_CMD_JSON);
		/* --json is declared by the flag alone */
		assert_null(strstr((*c)->options, "json"));
		assert_null(strstr((*c)->usage, "--json"));
		/* the words a target resolves are always there (PHOTOS
		 * resolves those given: md5sum without any hashes its input) */
		if ((*c)->target == PGAL_TARGET_MOVE)
			assert_true((*c)->min_args >= 2);
		else if ((*c)->target != PGAL_TARGET_NONE && (*c)->target != PGAL_TARGET_PHOTOS)
			assert_true((*c)->min_args >= 1);
		/* option specs: comma-separated names, '=' only at the end */
		for (const char *p = (*c)->options; *p != '\0'; p++) {
			if (*p == '=')
				assert_true(p[1] == ',' || p[1] == '\0');
			else if (*p != ',' && *p != '-')
				assert_true((*p >= 'a' && *p <= 'z'));
		}
		for (d = c + 1; *d != NULL; d++)
			assert_string_not_equal((*c)->name, (*d)->name);
	}
	assert_int_equal(n, sizeof wanted / sizeof wanted[0] - 1);
}

/* ---- the dispatcher, without a gallery ---- */

struct run {
	char *out, *err;
	size_t outlen, errlen;
	int opens;
};

static int
no_gallery(pgal_cmd_ctx *ctx, int init, pgal_err *e)
{
	struct run *r = ctx->arg;

	r->opens++;
	return pgal_fail(e, PGAL_EBACKEND, "test: no gallery here");
}

static int
run(struct run *r, int remote, const char *token, int argc, char **argv)
{
	pgal_cmd_ctx ctx;
	FILE *out, *err;
	int rc;

	free(r->out);
	free(r->err);
	memset(r, 0, sizeof *r);
	out = open_memstream(&r->out, &r->outlen);
	err = open_memstream(&r->err, &r->errlen);
	memset(&ctx, 0, sizeof ctx);
	ctx.out = out;
	ctx.err = err;
	ctx.out_fd = -1;
	ctx.remote = remote;
	ctx.token = token;
	ctx.arg = r;
	ctx.open_gallery = no_gallery;
	rc = pgal_cmd_exec(&ctx, argc, argv);
	fclose(out);
	fclose(err);
	return rc;
}

static int
count_lines(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

#define RUN(r, remote, token, ...) run(r, remote, token, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

static void
expect_usage_error(struct run *r, int remote, int argc, char **argv, const char *in_msg)
{
	assert_int_equal(run(r, remote, "0123", argc, argv), PGAL_EUSAGE);
	assert_int_equal(r->opens, 0);
	assert_int_equal(r->outlen, 0);
	assert_int_equal(count_lines(r->err), 1);
	assert_memory_equal(r->err, "pgal: ", 6);
	if (strstr(r->err, in_msg) == NULL) {
		print_error("error '%s' lacks '%s'\n", r->err, in_msg);
		fail();
	}
}

static void
test_dispatch_usage(void **state)
{
	struct run r = { 0 };

	expect_usage_error(&r, 0, 1, ARGV("frobnicate"), "unknown command 'frobnicate'");
	expect_usage_error(&r, 0, 1, ARGV("mkalb"), "did you mean 'mkalbum'");
	expect_usage_error(&r, 0, 1, ARGV("ls"), "missing argument");
	expect_usage_error(&r, 0, 3, ARGV("info", "a/b", "c/d"), "too many arguments");
	expect_usage_error(&r, 0, 3, ARGV("ls", "trip", "--bogus"), "unknown option --bogus");
	expect_usage_error(&r, 0, 3, ARGV("ls", "trip", "--sort"), "needs a value");
	/* --json only where it is documented */
	expect_usage_error(&r, 0, 3, ARGV("rm", "a/b", "--json"), "unknown option --json");
	/* not offered over SSH: as if they did not exist */
	expect_usage_error(&r, 1, 3, ARGV("put", "trip", "x.jpg"), "unknown command 'put'");
	/* the host's files and AWS credentials are not a remote user's */
	expect_usage_error(&r, 1, 2, ARGV("import", "s3://old-gallery/photos"),
			   "unknown command 'import'");
	expect_usage_error(&r, 1, 1, ARGV("gc"), "unknown command 'gc'");
	expect_usage_error(&r, 1, 3, ARGV("signup", "bob", "b@example.org"), "unknown command");

	expect_usage_error(&r, 0, 0, ARGV(NULL), "pgal --help");
	free(r.out);
	free(r.err);
}

static void
test_dispatch_help(void **state)
{
	const pgal_cmd_entry *const *c;
	struct run r = { 0 };
	char want[64];

	assert_int_equal(RUN(&r, 0, NULL, "--help"), PGAL_OK);
	assert_int_equal(r.errlen, 0);
	for (c = pgal_cmd_table; *c != NULL; c++) {
		snprintf(want, sizeof want, "  %s ", (*c)->name);
		assert_non_null(strstr(r.out, want));
		assert_non_null(strstr(r.out, (*c)->summary));
	}
	assert_int_equal(RUN(&r, 1, NULL, "help"), PGAL_OK);
	assert_null(strstr(r.out, "  put "));
	assert_null(strstr(r.out, "  login "));
	assert_non_null(strstr(r.out, "  ls "));

	assert_int_equal(RUN(&r, 0, NULL, "help", "ls"), PGAL_OK);
	assert_non_null(strstr(r.out, "usage: pgal ls ALBUM [--sort taken|added|title] [--json]"));
	assert_int_equal(RUN(&r, 0, NULL, "ls", "--help"), PGAL_OK);
	assert_non_null(strstr(r.out, "usage: pgal ls "));
	assert_int_equal(RUN(&r, 0, NULL, "help", "nope"), PGAL_EUSAGE);
	assert_int_equal(RUN(&r, 1, NULL, "help", "put"), PGAL_EUSAGE);

	assert_int_equal(RUN(&r, 0, NULL, "--version"), PGAL_OK);
	snprintf(want, sizeof want, "pgal %s\n", PGAL_VERSION);
	assert_string_equal(r.out, want);
	assert_int_equal(r.opens, 0);
	free(r.out);
	free(r.err);
}

static void
test_dispatch_session_and_gallery(void **state)
{
	struct run r = { 0 };

	/* no token: exit 3 with the login hint, before touching the gallery */
	assert_int_equal(RUN(&r, 0, NULL, "albums"), PGAL_EDENIED);
	assert_int_equal(r.opens, 0);
	assert_non_null(strstr(r.err, "pgal: not logged in"));
	assert_non_null(strstr(r.err, "pgal login USER"));
	assert_int_equal(RUN(&r, 1, "", "whoami"), PGAL_EDENIED);
	assert_null(strstr(r.err, "pgal login")); /* over SSH there is no such command */

	/* a command that needs the gallery reports why it cannot open it */
	assert_int_equal(RUN(&r, 0, "x", "albums"), PGAL_EBACKEND);
	assert_int_equal(r.opens, 1);
	assert_string_equal(r.err, "pgal: test: no gallery here\n");
	free(r.out);
	free(r.err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_long_forms),
		cmocka_unit_test(test_options_after_positionals_and_dashdash),
		cmocka_unit_test(test_short_and_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_get_int),
		cmocka_unit_test(test_split_path),
		cmocka_unit_test(test_sort),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_json_photo),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_dispatch_usage),
		cmocka_unit_test(test_dispatch_help),
		cmocka_unit_test(test_dispatch_session_and_gallery),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
