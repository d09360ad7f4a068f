/* The one mail message (see mail/message.h). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "crypto.h"
#include "mail/message.h"
#include "sanitize.h"
#include "validate.h"

/* RFC 5322 2.1.1: a line is at most 998 bytes without its CRLF */
#define LINE_MAX_OCTETS 998
/* bounds on what a caller may hand over */
#define SUBJECT_MAX 900
#define BODY_MAX (1024 * 1024)
/* RFC 2047: an encoded word is at most 75 characters; "=?UTF-8?B?" and
 * "?=" take 12, leaving 63 for base64, i.e. 45 bytes of text per word */
#define EW_TEXT_MAX 45

static int
ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* Appends s (clean UTF-8) as RFC 2047 encoded words, folded between words;
 * each word holds whole characters only. */
static void
add_encoded_words(pgal_buf *b, const char *s)
{
	unsigned char b64[4 * (EW_TEXT_MAX / 3) + 1];
	size_t len = strlen(s), off = 0, n;

	while (off < len) {
		n = pgal_utf8_cut(s + off, len - off, EW_TEXT_MAX);
		if (off > 0)
			pgal_buf_adds(b, "\r\n ");
		EVP_EncodeBlock(b64, (const unsigned char *)s + off, (int)n);
		pgal_buf_addf(b, "=?UTF-8?B?%s?=", (const char *)b64);
		off += n;
	}
}

/* "Name <a@b>" or "a@b": the address part, or "" when there is none. */
static void
address_of(const char *from, char *out, size_t outsz)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	out[0] = '\0';
	if (lt != NULL) {
		if ((gt = strchr(lt, '>')) == NULL)
			return;
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else
		n = strlen(from);
	if (n == 0 || n >= outsz || memchr(from, '@', n) == NULL ||
	    strcspn(from, " \t\r\n<>,;") < n)
		return;
	memcpy(out, from, n);
	out[n] = '\0';
}

int
pgal_mail_sender_init(pgal_mail_sender *s, const char *from, pgal_err *e)
{
	pgal_buf b = { 0 };
	const char *lt, *at;
	char name[256];
	size_t n;

	memset(s, 0, sizeof *s);
	if (from == NULL || *from == '\0' || !pgal_text_is_clean(from, 0))
		return pgal_fail(e, PGAL_EINPUT, "mail_from: control characters, "
		    "invalid UTF-8 or empty");
	lt = strrchr(from, '<');
	if (!ascii(from)) {
		/* a non-ASCII display name is encoded; the address stays readable */
		if (lt == NULL || !ascii(lt))
			return pgal_fail(e, PGAL_EINPUT, "mail_from: a non-ASCII "
			    "address; expected 'Name <address>'");
		n = (size_t)(lt - from);
		while (n > 0 && from[n - 1] == ' ')
			n--;
		if (n >= sizeof name)
			return pgal_fail(e, PGAL_EINPUT, "mail_from: name too long");
		memcpy(name, from, n);
		name[n] = '\0';
		add_encoded_words(&b, name);
		pgal_buf_adds(&b, " ");
		pgal_buf_adds(&b, lt);
	} else
		pgal_buf_adds(&b, from);
	if (b.failed || b.len >= sizeof s->header) {
		pgal_buf_free(&b);
		return pgal_fail(e, PGAL_EINPUT, "mail_from: too long");
	}
	memcpy(s->header, b.p, b.len + 1);
	pgal_buf_free(&b);

	address_of(from, s->address, sizeof s->address);
	/* the Message-ID's right side: the sender's domain, if it is sane */
	strcpy(s->domain, "localhost");
	if ((at = strrchr(s->address, '@')) != NULL && at[1] != '\0' &&
	    strspn(at + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-") == strlen(at + 1))
		snprintf(s->domain, sizeof s->domain, "%s", at + 1);
	return PGAL_OK;
}

/* Each line of the body clean UTF-8 (tabs allowed) within the limit. */
static int
check_body(const char *body, pgal_err *e)
{
	char	 line[LINE_MAX_OCTETS + 1];
	const char *p = body, *nl;
	size_t	 n, i;

	if (strlen(body) > BODY_MAX)
		return pgal_fail(e, PGAL_EINPUT, "mail body too long");
	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;	/* already CRLF */
		if (n > LINE_MAX_OCTETS)
			return pgal_fail(e, PGAL_EINPUT, "mail body line longer "
			    "than %d bytes", LINE_MAX_OCTETS);
		memcpy(line, p, n);
		line[n] = '\0';
		for (i = 0; i < n; i++)
			if (line[i] == '\t')
				line[i] = ' ';
		if (!pgal_text_is_clean(line, 0))
			return pgal_fail(e, PGAL_EINPUT, "mail body: control "
			    "characters or invalid UTF-8");
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return PGAL_OK;
}

int
pgal_mail_check(const char *to, const char *subject, const char *body,
    pgal_err *e)
{
	int rc;

	if (to == NULL || subject == NULL || body == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "mail: missing recipient, "
		    "subject or body");
	/* header injection: no line breaks in anything that goes in a header */
	if (strpbrk(to, "\r\n") != NULL)
		return pgal_fail(e, PGAL_EINPUT, "mail recipient contains a line break");
	if (strpbrk(subject, "\r\n") != NULL)
		return pgal_fail(e, PGAL_EINPUT, "mail subject contains a line break");
	if ((rc = pgal_valid_email(to, e)) != PGAL_OK)
		return rc;
	if (strlen(subject) > SUBJECT_MAX)
		return pgal_fail(e, PGAL_EINPUT, "mail subject too long");
	if (!pgal_text_is_clean(subject, 0))
		return pgal_fail(e, PGAL_EINPUT, "mail subject: control characters "
		    "or invalid UTF-8");
	return check_body(body, e);
}

/* RFC 5322 3.3 date in UTC, with English names whatever the locale. */
static void
add_date(pgal_buf *b, time_t t)
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	pgal_buf_addf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The body (checked) with every line ending as CRLF. */
static void
add_body(pgal_buf *b, const char *body)
{
	const char *p = body, *nl;
	size_t n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		pgal_buf_add(b, p, n);
		pgal_buf_adds(b, "\r\n");
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

int
pgal_mail_message_build(pgal_mail_message *m, const pgal_mail_sender *from,
    const char *to, const char *subject, const char *body, pgal_err *e)
{
	pgal_buf *b = &m->text;
	time_t now = time(NULL);
	int rc;

	memset(m, 0, sizeof *m);
	if ((rc = pgal_mail_check(to, subject, body, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_random_hex(m->id, 8, e)) != PGAL_OK)
		return rc;
	m->date = (int64_t)now;
	add_date(b, now);
	pgal_buf_addf(b, "From: %s\r\n", from->header);
	pgal_buf_addf(b, "To: %s\r\n", to);
	/* ASCII that looks like an encoded word is encoded too, so it reads
	 * back as typed */
	pgal_buf_adds(b, "Subject: ");
	if (!ascii(subject) || strstr(subject, "=?") != NULL)
		add_encoded_words(b, subject);
	else
		pgal_buf_adds(b, subject);
	pgal_buf_adds(b, "\r\n");
	pgal_buf_addf(b, "Message-ID: <%lld.%s@%s>\r\n", (long long)m->date, m->id,
	    from->domain);
	pgal_buf_adds(b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n");
	add_body(b, body);
	if (b->failed)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	return PGAL_OK;
}

void
pgal_mail_message_free(pgal_mail_message *m)
{
	pgal_buf_free(&m->text);
}
