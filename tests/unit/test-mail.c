/* The outbox mail backend: messages as Python's email parser reads them
 * (headers, RFC 2047 subjects, dates, body), CRLF framing, header
 * injection refused, atomic files, error paths. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "mail/mail.h"
#include "testlib.h"

#define PATHF(buf, sz, ...) \
	assert_true((size_t)snprintf((buf), (sz), __VA_ARGS__) < (sz))

struct fixture {
	pgal_config cfg;
	pgal_mail *m;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	pgal_err e;

	assert_non_null(f);
	pgal_test_config(&f->cfg);
	if (pgal_mail_outbox.open(&f->m, &f->cfg, &e) != PGAL_OK) {
		print_error("open: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	if (f->m != NULL)
		f->m->ops->close(f->m);
	pgal_test_rmdir(f->cfg.home);
	free(f);
	return 0;
}

/* The one .eml in the outbox (path into out), checking its name and mode. */
static void
only_message(struct fixture *f, char *out, size_t sz)
{
	struct dirent *d;
	struct stat st;
	regex_t rx;
	DIR *dir;
	int n = 0;
	long long t;

	assert_int_equal(regcomp(&rx, "^[0-9]+-[0-9a-f]{16}\\.eml$",
	    REG_EXTENDED | REG_NOSUB), 0);
	dir = opendir(f->cfg.outbox_dir);
	assert_non_null(dir);
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		if (regexec(&rx, d->d_name, 0, NULL, 0) != 0) {
			print_error("unexpected file %s\n", d->d_name);
			fail();
		}
		PATHF(out, sz, "%s/%s", f->cfg.outbox_dir, d->d_name);
		t = atoll(d->d_name);
		assert_true(t >= time(NULL) - 60 && t <= time(NULL) + 1);
		n++;
	}
	closedir(dir);
	regfree(&rx);
	assert_int_equal(n, 1);
	assert_int_equal(stat(out, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* CRLF framing: no bare LF or CR, lines within 998 bytes */
static void
check_framing(const char *msg, size_t len)
{
	size_t i, linelen = 0;

	for (i = 0; i < len; i++) {
		if (msg[i] == '\n')
			assert_true(i > 0 && msg[i - 1] == '\r');
		if (msg[i] == '\r')
			assert_true(i + 1 < len && msg[i + 1] == '\n');
		if (msg[i] == '\r' || msg[i] == '\n')
			linelen = 0;
		else
			assert_true(++linelen <= 998);
	}
	assert_true(len >= 2 && msg[len - 2] == '\r' && msg[len - 1] == '\n');
}

/*
 * What Python's email package reads from the file, one field a line:
 * subject, from display name, from address, to, date as unix time,
 * message-id, content type, charset, transfer encoding, then the body.
 */
static char *
python_read(const char *path)
{
	static const char script[] =
	    "import sys, email, email.policy, email.utils\n"
	    "m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n"
	    "assert not m.defects, m.defects\n"
	    "n, a = email.utils.parseaddr(str(m['from']))\n"
	    "print(m['subject']); print(n); print(a); print(m['to'])\n"
	    "print(int(email.utils.parsedate_to_datetime(m['date']).timestamp()))\n"
	    "print(m['message-id']); print(m.get_content_type()); print(m.get_content_charset())\n"
	    "print(m['content-transfer-encoding'])\n"
	    "sys.stdout.write(m.get_content())\n";
	char cmd[8192 + PATH_MAX], *out;
	size_t len = 0;
	FILE *p;
	int c;

	PATHF(cmd, sizeof cmd, "PYTHONIOENCODING=utf-8 python3 -c \"$PY\" '%s'", path);
	setenv("PY", script, 1);
	p = popen(cmd, "r");
	assert_non_null(p);
	out = malloc(1 << 20);
	assert_non_null(out);
	while ((c = fgetc(p)) != EOF && len < (1 << 20) - 1)
		out[len++] = (char)c;
	out[len] = '\0';
	assert_int_equal(pclose(p), 0);
	return out;
}

/* the n-th line of s (0-based), into out */
static void
line_of(const char *s, int n, char *out, size_t sz)
{
	const char *nl;

	while (n-- > 0) {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		s = nl + 1;
	}
	nl = strchr(s, '\n');
	assert_non_null(nl);
	assert_true((size_t)(nl - s) < sz);
	memcpy(out, s, nl - s);
	out[nl - s] = '\0';
}

/* the body Python saw: everything after the ninth line */
static const char *
body_of(const char *s)
{
	int n;

	for (n = 0; n < 9; n++) {
		s = strchr(s, '\n');
		assert_non_null(s);
		s++;
	}
	return s;
}

static void
test_plain_message(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 300], field[2048], code[32];
	char *msg, *py;
	size_t len;
	pgal_err e;
	time_t now = time(NULL);

	pgal_err_clear(&e);
	assert_int_equal(f->m->ops->send(f->m, "alice@example.org",
	    "Your pgal confirmation code",
	    "Hello alice,\n\nYour code:\n23456789AB\n\nIt expires in 24 hours.\n", &e),
	    PGAL_OK);
	only_message(f, path, sizeof path);
	msg = slurp(path, &len);
	check_framing(msg, len);
	/* header order and exact framing as written */
	assert_memory_equal(msg, "Date: ", 6);
	assert_non_null(strstr(msg, "\r\nFrom: pgal <noreply@localhost>\r\nTo: alice@example.org\r\n"
	    "Subject: Your pgal confirmation code\r\nMessage-ID: <"));
	assert_non_null(strstr(msg, "@localhost>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n"
	    "Hello alice,\r\n\r\nYour code:\r\n23456789AB\r\n\r\nIt expires in 24 hours.\r\n"));

	py = python_read(path);
	line_of(py, 0, field, sizeof field);
	assert_string_equal(field, "Your pgal confirmation code");
	line_of(py, 1, field, sizeof field);
	assert_string_equal(field, "pgal");
	line_of(py, 2, field, sizeof field);
	assert_string_equal(field, "noreply@localhost");
	line_of(py, 3, field, sizeof field);
	assert_string_equal(field, "alice@example.org");
	line_of(py, 4, field, sizeof field);
	assert_true(atoll(field) >= now - 60 && atoll(field) <= now + 60);
	line_of(py, 5, field, sizeof field);
	assert_true(field[0] == '<' && strstr(field, "@localhost>") != NULL);
	line_of(py, 6, field, sizeof field);
	assert_string_equal(field, "text/plain");
	line_of(py, 7, field, sizeof field);
	assert_string_equal(field, "utf-8");
	line_of(py, 8, field, sizeof field);
	assert_string_equal(field, "8bit");
	assert_string_equal(body_of(py),
	    "Hello alice,\n\nYour code:\n23456789AB\n\nIt expires in 24 hours.\n");
	free(py);
	free(msg);

	/* the shared test helper finds the code in it */
	pgal_test_outbox_code(&f->cfg, code);
	assert_string_equal(code, "23456789AB");
}

static void
test_utf8_message(void **state)
{
	struct fixture *f = *state;
	const char *subject =
	    "Best\xc3\xa4tigung f\xc3\xbcr pgal \xe2\x80\x94 "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe7\xa2\xba\xe8\xaa\x8d "
	    "und ein ziemlich langer Betreff, der in mehrere W\xc3\xb6rter "
	    "zerlegt werden muss \xf0\x9f\x93\xb7\xf0\x9f\x93\xb7\xf0\x9f\x93\xb7";
	const char *body = "Gr\xc3\xbc\xc3\x9f" "e\r\n\tTab und \xe2\x82\xac\nno final newline";
	char path[PATH_MAX + 300], field[2048], *msg, *py, *p;
	size_t len;
	pgal_config cfg;
	pgal_mail *m;
	pgal_err e;

	/* a non-ASCII sender name, with its own domain */
	f->m->ops->close(f->m);
	f->m = NULL;
	cfg = f->cfg;
	strcpy(cfg.mail_from, "Galerie M\xc3\xbcller <photos@example.org>");
	pgal_err_clear(&e);
	assert_int_equal(pgal_mail_outbox.open(&m, &cfg, &e), PGAL_OK);
	f->m = m;

	assert_int_equal(m->ops->send(m, "bob@example.net", subject, body, &e), PGAL_OK);
	only_message(f, path, sizeof path);
	msg = slurp(path, &len);
	check_framing(msg, len);
	/* the header itself is ASCII, in encoded words of at most 75 chars */
	for (p = msg; p < strstr(msg, "\r\n\r\n"); p++)
		assert_true((unsigned char)*p < 0x80);
	for (p = msg; (p = strstr(p, "=?UTF-8?B?")) != NULL; p++)
		assert_true(strstr(p, "?=") - p + 2 <= 75);

	py = python_read(path);
	line_of(py, 0, field, sizeof field);
	assert_string_equal(field, subject);
	line_of(py, 1, field, sizeof field);
	assert_string_equal(field, "Galerie M\xc3\xbcller");
	line_of(py, 2, field, sizeof field);
	assert_string_equal(field, "photos@example.org");
	line_of(py, 3, field, sizeof field);
	assert_string_equal(field, "bob@example.net");
	line_of(py, 5, field, sizeof field);
	assert_non_null(strstr(field, "@example.org>"));
	assert_string_equal(body_of(py),
	    "Gr\xc3\xbc\xc3\x9f" "e\n\tTab und \xe2\x82\xac\nno final newline\n");
	free(py);
	free(msg);
}

static void
test_encoded_lookalike(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 300], field[512], *py;
	pgal_err e;

	/* ASCII that looks like an encoded word is encoded, so it reads back as typed */
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "=?UTF-8?B?cHduZWQ=?=", "x\n", &e),
	    PGAL_OK);
	only_message(f, path, sizeof path);
	py = python_read(path);
	line_of(py, 0, field, sizeof field);
	assert_string_equal(field, "=?UTF-8?B?cHduZWQ=?=");
	free(py);
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *to, *subject, *body;
	} bad[] = {
		{ "alice@example.org\r\nBcc: victim@example.net", "s", "b" },
		{ "alice@example.org\nBcc: victim@example.net", "s", "b" },
		{ "alice@example.org", "s\r\nBcc: victim@example.net", "b" },
		{ "alice@example.org", "s\nX-Evil: 1", "b" },
		{ "alice@example.org", "s\rX", "b" },
		{ "Alice <alice@example.org>", "s", "b" },
		{ "alice@example.org, eve@example.net", "s", "b" },
		{ "not-an-address", "s", "b" },
		{ "", "s", "b" },
		{ "alice@example.org", "\x1b]0;pwned\x07", "b" },
		{ "alice@example.org", "bad \xff utf8", "b" },
		{ "alice@example.org", "s", "escape \x1b[2J" },
		{ "alice@example.org", "s", "nul-ish \x01 control" },
		{ "alice@example.org", "s", "lone\rcr" },
		{ "alice@example.org", "s", "bad \xc0\xaf utf8" },
	};
	struct fixture *f = *state;
	char *big;
	size_t i;
	pgal_err e;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		pgal_err_clear(&e);
		if (f->m->ops->send(f->m, bad[i].to, bad[i].subject, bad[i].body, &e)
		    != PGAL_EINPUT) {
			print_error("case %zu accepted\n", i);
			fail();
		}
		assert_int_equal(e.code, PGAL_EINPUT);
	}
	assert_int_equal(f->m->ops->send(f->m, NULL, "s", "b", &e), PGAL_EUSAGE);
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", NULL, "b", &e), PGAL_EUSAGE);
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "s", NULL, &e), PGAL_EUSAGE);

	/* a 998-byte body line is the limit, 999 is refused */
	big = malloc(1001);
	assert_non_null(big);
	memset(big, 'x', 999);
	big[999] = '\0';
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "s", big, &e), PGAL_EINPUT);
	assert_int_equal(pgal_test_count_files(f->cfg.outbox_dir), 0);
	big[998] = '\0';
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "s", big, &e), PGAL_OK);
	free(big);
	/* an overlong subject */
	big = malloc(2000);
	assert_non_null(big);
	memset(big, 's', 1999);
	big[1999] = '\0';
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", big, "b", &e), PGAL_EINPUT);
	free(big);
	/* only the one good message was written */
	assert_int_equal(pgal_test_count_files(f->cfg.outbox_dir), 1);
}

static void
test_many(void **state)
{
	struct fixture *f = *state;
	pgal_err e;
	int i;

	/* same second, distinct files; no temp file left behind */
	for (i = 0; i < 25; i++)
		assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "s", "", &e), PGAL_OK);
	assert_int_equal(pgal_test_count_files(f->cfg.outbox_dir), 25);
}

static void
test_errors(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 100];
	struct stat st;
	pgal_config cfg;
	pgal_mail *m;
	pgal_err e;
	int fd;

	assert_ptr_equal(pgal_mail_find("outbox"), &pgal_mail_outbox);
	assert_null(pgal_mail_find("smtp-nope"));
	assert_null(pgal_mail_find(NULL));

	/* the outbox folder is private */
	assert_int_equal(stat(f->cfg.outbox_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	/* an outbox below a regular file */
	cfg = f->cfg;
	PATHF(path, sizeof path, "%s/file", f->cfg.home);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	close(fd);
	PATHF(cfg.outbox_dir, sizeof cfg.outbox_dir, "%s/file/outbox", f->cfg.home);
	pgal_err_clear(&e);
	assert_int_equal(pgal_mail_outbox.open(&m, &cfg, &e), PGAL_EBACKEND);
	assert_null(m);
	assert_non_null(strstr(e.msg, "Not a directory"));

	/* a hostile sender */
	cfg = f->cfg;
	strcpy(cfg.mail_from, "x\r\nBcc: victim@example.net");
	assert_int_equal(pgal_mail_outbox.open(&m, &cfg, &e), PGAL_EINPUT);
	strcpy(cfg.mail_from, "M\xc3\xbcller@example.org");
	assert_int_equal(pgal_mail_outbox.open(&m, &cfg, &e), PGAL_EINPUT);

	/* the outbox vanishes under an open backend */
	assert_int_equal(rmdir(f->cfg.outbox_dir), 0);
	pgal_err_clear(&e);
	assert_int_equal(f->m->ops->send(f->m, "a@b.cd", "s", "b", &e), PGAL_EBACKEND);
	assert_non_null(strstr(e.msg, f->cfg.outbox_dir));

	/* read-only (root ignores permissions) */
	if (geteuid() != 0) {
		assert_int_equal(pgal_mail_outbox.open(&m, &f->cfg, &e), PGAL_OK);
		assert_int_equal(chmod(f->cfg.outbox_dir, 0500), 0);
		assert_int_equal(m->ops->send(m, "a@b.cd", "s", "b", &e), PGAL_EBACKEND);
		assert_non_null(strstr(e.msg, "Permission denied"));
		chmod(f->cfg.outbox_dir, 0700);
		m->ops->close(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plain_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_utf8_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encoded_lookalike, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
