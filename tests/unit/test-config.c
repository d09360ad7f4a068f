/* Configuration: defaults, the file format, environment overrides, and
 * errors that name file:line and key. */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "testlib.h"

extern char **environ;

static char dir[PATH_MAX];
static char oldcwd[PATH_MAX];
static char oldhome[PATH_MAX];
static char oldxdg[PATH_MAX];

/* each test runs in a fresh directory with no PGAL_* variable set */
static int
setup(void **state)
{
	char **env;

	for (;;) {
		char name[256];
		size_t n;

		for (env = environ; *env != NULL; env++)
			if (strncmp(*env, "PGAL_", 5) == 0)
				break;
		if (*env == NULL)
			break;
		n = strcspn(*env, "=");
		if (n >= sizeof name)
			n = sizeof name - 1;
		memcpy(name, *env, n);
		name[n] = '\0';
		unsetenv(name);
	}
	assert_non_null(getcwd(oldcwd, sizeof oldcwd));
	snprintf(oldhome, sizeof oldhome, "%s", getenv("HOME") != NULL ? getenv("HOME") : "");
	snprintf(oldxdg, sizeof oldxdg, "%s",
	    getenv("XDG_DATA_HOME") != NULL ? getenv("XDG_DATA_HOME") : "");
	pgal_test_mkdtemp(dir);
	assert_int_equal(chdir(dir), 0);
	return 0;
}

static int
teardown(void **state)
{
	assert_int_equal(chdir(oldcwd), 0);
	pgal_test_rmdir(dir);
	/* test_defaults moves these */
	if (oldhome[0] != '\0')
		setenv("HOME", oldhome, 1);
	if (oldxdg[0] != '\0')
		setenv("XDG_DATA_HOME", oldxdg, 1);
	else
		unsetenv("XDG_DATA_HOME");
	return 0;
}

static void
write_file(const char *name, const char *text, size_t len)
{
	FILE *f = fopen(name, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}
#define WRITE(name, text) write_file(name, text, strlen(text))

/* loading name must fail with exactly this message */
static void
load_fails(const char *name, int code, const char *msg)
{
	pgal_config c;
	pgal_err e;

	pgal_err_clear(&e);
	assert_int_equal(pgal_config_load(&c, name, &e), code);
	assert_int_equal(e.code, code);
	assert_string_equal(e.msg, msg);
}

static void
test_defaults(void **state)
{
	char cwd[PATH_MAX], want[PATH_MAX + 32];
	pgal_config c, d;
	pgal_err e;

	assert_non_null(getcwd(cwd, sizeof cwd));
	/* an installed pgal keeps its data in the XDG data folder, not in
	 * ./var of whatever folder it starts in */
	snprintf(want, sizeof want, "%s/data", cwd);
	setenv("XDG_DATA_HOME", want, 1);
	pgal_config_defaults(&c);
	snprintf(want, sizeof want, "%s/data/pgal", cwd);
	assert_string_equal(c.home, want);
	snprintf(want, sizeof want, "%s/data/pgal/pgal.db", cwd);
	assert_string_equal(c.sqlite_path, want);
	snprintf(want, sizeof want, "%s/data/pgal/blobs", cwd);
	assert_string_equal(c.blobs_dir, want);
	snprintf(want, sizeof want, "%s/data/pgal/outbox", cwd);
	assert_string_equal(c.outbox_dir, want);
	/* without XDG_DATA_HOME (or with a relative one, which the XDG spec
	 * says to ignore): ~/.local/share/pgal */
	setenv("XDG_DATA_HOME", "relative/data", 1);
	setenv("HOME", cwd, 1);
	pgal_config_defaults(&d);
	snprintf(want, sizeof want, "%s/.local/share/pgal", cwd);
	assert_string_equal(d.home, want);
	unsetenv("XDG_DATA_HOME");
	pgal_config_defaults(&d);
	assert_string_equal(d.home, want);
	/* neither: ./var */
	unsetenv("HOME");
	pgal_config_defaults(&d);
	snprintf(want, sizeof want, "%s/var", cwd);
	assert_string_equal(d.home, want);
	snprintf(want, sizeof want, "%s/data", cwd);
	setenv("XDG_DATA_HOME", want, 1);
	assert_string_equal(c.store, "sqlite");
	assert_string_equal(c.blobs, "fs");
	assert_string_equal(c.mail, "outbox");
	assert_string_equal(c.mail_from, "pgal <noreply@localhost>");
	assert_int_equal(c.max_upload_bytes, 200 * 1024 * 1024);
	assert_int_equal(c.max_pixels, 100000000);
	assert_int_equal(c.thumb_px, 256);
	assert_int_equal(c.preview_px, 1600);
	assert_int_equal(c.session_idle_secs, 30 * 86400);
	assert_int_equal(c.session_max_secs, 90 * 86400);
	assert_int_equal(c.code_ttl_secs, 86400);
	assert_int_equal(c.code_tries, 5);

	/* no file, no environment: load gives the same */
	assert_int_equal(pgal_config_load(&d, NULL, &e), PGAL_OK);
	assert_memory_equal(&c, &d, sizeof c);
}

static void
test_file(void **state)
{
	pgal_config c;
	pgal_err e;

	WRITE("pgal.conf",
	    "# pgal configuration\n"
	    "\n"
	    "   # indented comment\n"
	    "home = /srv/pgal\n"
	    "store=sqlite\n"
	    "\tmail_from   =   \"Photo Gallery <photos@example.org>\"  \n"
	    "blobs_dir = '/data/blobs'\n"
	    "max_upload_bytes = 10k\n"
	    "max_pixels = 5000000\r\n"
	    "thumb_px = 128\n"
	    "preview_px = 1024\n"
	    "session_idle_secs = 3600\n"
	    "session_max_secs = 7200\n"
	    "code_ttl_secs = 600\n"
	    "code_tries = 3\n"
	    "mail = \"  spaced  \"\n"
	    "mail = outbox");	/* last one wins, no final newline */
	pgal_err_clear(&e);
	assert_int_equal(pgal_config_load(&c, "pgal.conf", &e), PGAL_OK);
	assert_string_equal(c.home, "/srv/pgal");
	assert_string_equal(c.mail_from, "Photo Gallery <photos@example.org>");
	assert_string_equal(c.blobs_dir, "/data/blobs");
	/* the others derive from home */
	assert_string_equal(c.sqlite_path, "/srv/pgal/pgal.db");
	assert_string_equal(c.outbox_dir, "/srv/pgal/outbox");
	assert_string_equal(c.mail, "outbox");
	assert_int_equal(c.max_upload_bytes, 10240);
	assert_int_equal(c.max_pixels, 5000000);
	assert_int_equal(c.thumb_px, 128);
	assert_int_equal(c.preview_px, 1024);
	assert_int_equal(c.session_idle_secs, 3600);
	assert_int_equal(c.session_max_secs, 7200);
	assert_int_equal(c.code_ttl_secs, 600);
	assert_int_equal(c.code_tries, 3);

	/* quotes keep inner spaces */
	WRITE("q.conf", "mail_from = '  x  '\n");
	assert_int_equal(pgal_config_load(&c, "q.conf", &e), PGAL_OK);
	assert_string_equal(c.mail_from, "  x  ");
}

static void
test_relative_paths(void **state)
{
	char cwd[PATH_MAX], want[PATH_MAX + 32];
	pgal_config c;
	pgal_err e;

	assert_non_null(getcwd(cwd, sizeof cwd));
	WRITE("pgal.conf", "home = ./data\nsqlite_path = db/x.db\n");
	assert_int_equal(pgal_config_load(&c, "pgal.conf", &e), PGAL_OK);
	snprintf(want, sizeof want, "%s/data", cwd);
	assert_string_equal(c.home, want);
	snprintf(want, sizeof want, "%s/db/x.db", cwd);
	assert_string_equal(c.sqlite_path, want);
	snprintf(want, sizeof want, "%s/data/blobs", cwd);
	assert_string_equal(c.blobs_dir, want);
}

static void
test_sizes(void **state)
{
	static const struct {
		const char *text;
		long long want; /* -1: refused */
	} cases[] = {
		{ "1024", 1024 }, { "10k", 10240 }, { "10K", 10240 },
		{ "3M", 3LL << 20 }, { "3m", 3LL << 20 }, { "2G", 2LL << 30 },
		{ "1024G", 1LL << 40 }, { "1025G", -1 }, { "1023", -1 },
		{ "10 M", -1 }, { "10MB", -1 }, { "5T", -1 }, { "M", -1 },
		{ "-1k", -1 }, { "", -1 }, { "99999999999999999999", -1 },
		{ "9223372036854775807G", -1 }, { "0x10", -1 }, { "+5k", -1 },
	};
	pgal_config c;
	pgal_err e;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc;

		pgal_config_defaults(&c);
		rc = pgal_config_set(&c, "max_upload_bytes", cases[i].text, "test", &e);
		if (cases[i].want == -1) {
			if (rc != PGAL_EINPUT) {
				print_error("accepted '%s'\n", cases[i].text);
				fail();
			}
			assert_memory_equal(e.msg, "test: max_upload_bytes: ", 24);
		} else {
			assert_int_equal(rc, PGAL_OK);
			assert_int_equal(c.max_upload_bytes, cases[i].want);
		}
	}
}

static void
test_file_errors(void **state)
{
	char longline[4200];

	WRITE("pgal.conf", "# comment\n\nthumb_px = 200\n\n\n\n\n\n\n\n\nfoo = 1\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:12: unknown key 'foo'");

	WRITE("pgal.conf", "home = /x\n\nmax_pixels = x\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:3: max_pixels: not a number: 'x'");

	WRITE("pgal.conf", "max_pixels = 12abc\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:1: max_pixels: not a number: '12abc'");

	WRITE("pgal.conf", "thumb_px = 5\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: thumb_px: out of range (16 to 1024): '5'");

	WRITE("pgal.conf", "code_tries = 99999999999999999999999\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: code_tries: not a number: '99999999999999999999999'");

	WRITE("pgal.conf", "\nhome /srv\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:2: expected 'key = value'");

	WRITE("pgal.conf", " = x\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:1: missing key before '='");

	WRITE("pgal.conf", "store =\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:1: store: empty value");

	WRITE("pgal.conf", "store = abcdefghijklmnop\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: store: value too long (at most 15 bytes)");

	/* control characters in a value (a mail header injection attempt) */
	WRITE("pgal.conf", "mail_from = a\x1b[2Jb\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: mail_from: control characters or invalid UTF-8 in value");
	WRITE("pgal.conf", "mail_from = a\tb\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: mail_from: control characters or invalid UTF-8 in value");
	WRITE("pgal.conf", "mail_from = caf\xe9\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:1: mail_from: control characters or invalid UTF-8 in value");
	write_file("pgal.conf", "home = /a\0b\n", 12);
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:1: NUL byte in line");

	/* a hostile key is shown sanitized */
	WRITE("pgal.conf", "\x1b]0;pwned\x07key = 1\n");
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:1: unknown key 'key'");

	/* 4096 bytes is a line, 4097 is too long */
	memset(longline, 'x', sizeof longline);
	longline[0] = '#';
	longline[4096] = '\n';
	memcpy(longline + 4097, "foo = 1\n", 9);
	WRITE("pgal.conf", longline);
	load_fails("pgal.conf", PGAL_EINPUT, "pgal.conf:2: unknown key 'foo'");
	memset(longline, 'x', sizeof longline);
	longline[0] = '#';
	longline[4097] = '\n';
	memcpy(longline + 4098, "foo = 1\n", 9);
	WRITE("pgal.conf", "\n");
	{
		FILE *f = fopen("pgal.conf", "a");
		assert_non_null(f);
		fputs(longline, f);
		fclose(f);
	}
	load_fails("pgal.conf", PGAL_EINPUT,
	    "pgal.conf:2: line too long (at most 4096 bytes)");

	/* consistency between keys */
	WRITE("pgal.conf", "thumb_px = 1000\npreview_px = 500\n");
	load_fails("pgal.conf", PGAL_EINPUT,
	    "thumb_px (1000) is larger than preview_px (500)");

	/* a missing explicit file, a directory */
	load_fails("missing.conf", PGAL_ENOTFOUND,
	    "missing.conf: No such file or directory");
	/* a path through a file: fails whoever runs the test, even root */
	WRITE("pgal.conf", "home = /x\n");
	load_fails("pgal.conf/x", PGAL_EBACKEND, "pgal.conf/x: Not a directory");
	assert_int_equal(mkdir("adir", 0700), 0);
	load_fails("adir", PGAL_EBACKEND, "adir: Is a directory");
}

static void
test_unreadable(void **state)
{
	pgal_config c;
	pgal_err e;

	/* root reads anything; the "Not a directory" case in
	 * test_file_errors covers this path for root (cmocka's skip would
	 * print "not ok ... # SKIP", which the runner counts as a failure) */
	if (geteuid() == 0)
		return;
	WRITE("pgal.conf", "home = /x\n");
	assert_int_equal(chmod("pgal.conf", 0), 0);
	assert_int_equal(pgal_config_load(&c, "pgal.conf", &e), PGAL_EBACKEND);
	assert_string_equal(e.msg, "pgal.conf: Permission denied");
}

static void
test_environment(void **state)
{
	pgal_config c;
	pgal_err e;

	WRITE("pgal.conf", "max_pixels = 1000\nsqlite_path = /db/pgal.db\n");
	setenv("PGAL_HOME", "/srv/env", 1);
	setenv("PGAL_MAX_PIXELS", "2000", 1);
	setenv("PGAL_THUMB_PX", "", 1); /* empty: unset */
	assert_int_equal(pgal_config_load(&c, "pgal.conf", &e), PGAL_OK);
	assert_int_equal(c.max_pixels, 2000);
	assert_int_equal(c.thumb_px, 256);
	assert_string_equal(c.home, "/srv/env");
	/* set explicitly in the file: home does not move it */
	assert_string_equal(c.sqlite_path, "/db/pgal.db");
	assert_string_equal(c.blobs_dir, "/srv/env/blobs");
	assert_string_equal(c.outbox_dir, "/srv/env/outbox");

	/* the environment names itself in errors */
	setenv("PGAL_MAX_PIXELS", "x", 1);
	load_fails("pgal.conf", PGAL_EINPUT, "PGAL_MAX_PIXELS: max_pixels: not a number: 'x'");
	setenv("PGAL_MAX_PIXELS", "0", 1);
	load_fails("pgal.conf", PGAL_EINPUT,
	    "PGAL_MAX_PIXELS: max_pixels: out of range (1 to 1000000000): '0'");
	setenv("PGAL_MAIL_FROM", "x\r\nBcc: victim@example.org", 1);
	unsetenv("PGAL_MAX_PIXELS");
	load_fails(NULL, PGAL_EINPUT,
	    "PGAL_MAIL_FROM: mail_from: control characters or invalid UTF-8 in value");
	unsetenv("PGAL_MAIL_FROM");

	/* PGAL_CONFIG names the file when none is given */
	setenv("PGAL_CONFIG", "pgal.conf", 1);
	assert_int_equal(pgal_config_load(&c, NULL, &e), PGAL_OK);
	assert_int_equal(c.max_pixels, 1000);
	/* an explicit path wins over it */
	WRITE("other.conf", "max_pixels = 3000\n");
	assert_int_equal(pgal_config_load(&c, "other.conf", &e), PGAL_OK);
	assert_int_equal(c.max_pixels, 3000);
	setenv("PGAL_CONFIG", "nope.conf", 1);
	load_fails(NULL, PGAL_ENOTFOUND, "nope.conf: No such file or directory");
	unsetenv("PGAL_CONFIG");
	unsetenv("PGAL_HOME");
}

/* every key of the header's struct can be set by its PGAL_ variable */
static void
test_every_key_from_env(void **state)
{
	static const struct {
		const char *env, *value;
		size_t off;
		int kind; /* 0 string, 1 int, 2 int64 */
		long long num;
	} keys[] = {
		{ "PGAL_HOME", "/h", offsetof(pgal_config, home), 0, 0 },
		{ "PGAL_STORE", "mysql", offsetof(pgal_config, store), 0, 0 },
		{ "PGAL_BLOBS", "s3", offsetof(pgal_config, blobs), 0, 0 },
		{ "PGAL_MAIL", "ses", offsetof(pgal_config, mail), 0, 0 },
		{ "PGAL_MAIL_FROM", "x <x@y.z>", offsetof(pgal_config, mail_from), 0, 0 },
		{ "PGAL_SQLITE_PATH", "/s.db", offsetof(pgal_config, sqlite_path), 0, 0 },
		{ "PGAL_BLOBS_DIR", "/b", offsetof(pgal_config, blobs_dir), 0, 0 },
		{ "PGAL_OUTBOX_DIR", "/o", offsetof(pgal_config, outbox_dir), 0, 0 },
		{ "PGAL_MAX_UPLOAD_BYTES", "5M", offsetof(pgal_config, max_upload_bytes), 2, 5 << 20 },
		{ "PGAL_MAX_PIXELS", "777", offsetof(pgal_config, max_pixels), 2, 777 },
		{ "PGAL_THUMB_PX", "100", offsetof(pgal_config, thumb_px), 1, 100 },
		{ "PGAL_PREVIEW_PX", "900", offsetof(pgal_config, preview_px), 1, 900 },
		{ "PGAL_SESSION_IDLE_SECS", "120", offsetof(pgal_config, session_idle_secs), 1, 120 },
		{ "PGAL_SESSION_MAX_SECS", "240", offsetof(pgal_config, session_max_secs), 1, 240 },
		{ "PGAL_CODE_TTL_SECS", "300", offsetof(pgal_config, code_ttl_secs), 1, 300 },
		{ "PGAL_CODE_TRIES", "9", offsetof(pgal_config, code_tries), 1, 9 },
	};
	pgal_config c;
	pgal_err e;
	size_t i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		setenv(keys[i].env, keys[i].value, 1);
	pgal_err_clear(&e);
	assert_int_equal(pgal_config_load(&c, NULL, &e), PGAL_OK);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const char *f = (const char *)&c + keys[i].off;

		if (keys[i].kind == 0)
			assert_string_equal(f, keys[i].value);
		else if (keys[i].kind == 1)
			assert_int_equal(*(const int *)(const void *)f, keys[i].num);
		else
			assert_int_equal(*(const int64_t *)(const void *)f, keys[i].num);
		unsetenv(keys[i].env);
	}
}

static void
test_set(void **state)
{
	pgal_config c;
	pgal_err e;

	pgal_config_defaults(&c);
	assert_int_equal(pgal_config_set(&c, "code_tries", "7", "cli", &e), PGAL_OK);
	assert_int_equal(c.code_tries, 7);
	assert_int_equal(pgal_config_set(&c, "nope", "7", "cli", &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "cli: unknown key 'nope'");
	assert_int_equal(pgal_config_set(&c, "code_tries", NULL, "cli", &e), PGAL_EUSAGE);
	assert_int_equal(pgal_config_set(&c, "code_tries", "-5", "cli", &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "cli: code_tries: out of range (1 to 100): '-5'");
	/* long values are cut in messages, and marked */
	assert_int_equal(pgal_config_set(&c, "code_tries",
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    "cli", &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "xxx...'"));
	assert_true(strlen(e.msg) < 120);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sizes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_environment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_key_from_env, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
