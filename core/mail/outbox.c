/* Mail into a folder: one RFC 5322 message per file, cfg->outbox_dir/
 * "<unix time>-<random hex>.eml", written atomically. What a real mail
 * backend would send, byte for byte (CRLF lines, 8bit UTF-8 body). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"
#include "mail/mail.h"
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

struct outbox {
	pgal_mail	 base;
	int		 dir;
	char		 path[PATH_MAX];
	char		 from[512];	/* header value, encoded if needed */
	char		 domain[256];	/* for Message-ID */
};

/* A growing message buffer; on allocation failure it remembers and the
 * whole send fails once at the end. */
struct buf {
	char	*p;
	size_t	 len, cap;
	int	 failed;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	char *np;
	size_t ncap;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 1024;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL) {
			b->failed = 1;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
buf_fmt(struct buf *b, const char *fmt, ...)
{
	char tmp[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->failed = 1;
		return;
	}
	buf_add(b, tmp, (size_t)n);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
buf_base64(struct buf *b, const unsigned char *s, size_t n)
{
	char q[4];
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		q[0] = b64[s[i] >> 2];
		q[1] = b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		q[2] = b64[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		q[3] = b64[s[i + 2] & 63];
		buf_add(b, q, 4);
	}
	if (n - i == 1) {
		q[0] = b64[s[i] >> 2];
		q[1] = b64[(s[i] & 3) << 4];
		q[2] = q[3] = '=';
		buf_add(b, q, 4);
	} else if (n - i == 2) {
		q[0] = b64[s[i] >> 2];
		q[1] = b64[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		q[2] = b64[(s[i + 1] & 15) << 2];
		q[3] = '=';
		buf_add(b, q, 4);
	}
}

static int
needs_encoding(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* Appends s (clean UTF-8) as RFC 2047 encoded words, folded between words;
 * each word holds whole characters only. */
static void
buf_encoded_words(struct buf *b, const char *s)
{
	size_t len = strlen(s), off = 0, n;

	while (off < len) {
		n = len - off;
		if (n > EW_TEXT_MAX) {
			n = EW_TEXT_MAX;
			while (n > 0 && ((unsigned char)s[off + n] & 0xc0) == 0x80)
				n--;
		}
		if (off > 0)
			buf_str(b, "\r\n ");
		buf_str(b, "=?UTF-8?B?");
		buf_base64(b, (const unsigned char *)s + off, n);
		buf_str(b, "?=");
		off += n;
	}
}

/* From: as configured; a non-ASCII display name ("Name <addr>") is encoded. */
static int
make_from(struct outbox *o, const char *from, pgal_err *e)
{
	struct buf b = { 0 };
	const char *lt, *at, *p;
	size_t n;

	if (!pgal_text_is_clean(from, 0) || *from == '\0')
		return pgal_fail(e, PGAL_EINPUT, "mail_from: control characters, "
		    "invalid UTF-8 or empty");
	lt = strrchr(from, '<');
	if (needs_encoding(from)) {
		char name[256];

		if (lt == NULL || needs_encoding(lt))
			return pgal_fail(e, PGAL_EINPUT, "mail_from: a non-ASCII "
			    "address; expected 'Name <address>'");
		n = lt - from;
		while (n > 0 && from[n - 1] == ' ')
			n--;
		if (n >= sizeof name)
			return pgal_fail(e, PGAL_EINPUT, "mail_from: name too long");
		memcpy(name, from, n);
		name[n] = '\0';
		buf_encoded_words(&b, name);
		buf_str(&b, " ");
		buf_str(&b, lt);
	} else
		buf_str(&b, from);
	if (b.failed || b.len >= sizeof o->from) {
		free(b.p);
		return pgal_fail(e, PGAL_EINPUT, "mail_from: too long");
	}
	memcpy(o->from, b.p, b.len + 1);
	free(b.p);

	/* the Message-ID's right side: the sender's domain, if it is sane */
	strcpy(o->domain, "localhost");
	if ((at = strrchr(from, '@')) != NULL) {
		at++;
		n = 0;
		for (p = at; *p != '\0' && *p != '>'; p++, n++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
				break;
		if (n > 0 && n < sizeof o->domain && (*p == '\0' || *p == '>')) {
			memcpy(o->domain, at, n);
			o->domain[n] = '\0';
		}
	}
	return PGAL_OK;
}

static int
outbox_open(pgal_mail **mp, const pgal_config *cfg, pgal_err *e)
{
	struct outbox *o;
	int rc;

	*mp = NULL;
	if ((o = calloc(1, sizeof *o)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	o->base.ops = &pgal_mail_outbox;
	o->dir = -1;
	if ((rc = make_from(o, cfg->mail_from, e)) != PGAL_OK)
		goto fail;
	if ((rc = pgal_fs_mkdirs(cfg->outbox_dir, e)) != PGAL_OK)
		goto fail;
	snprintf(o->path, sizeof o->path, "%s", cfg->outbox_dir);
	o->dir = open(cfg->outbox_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->dir == -1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", cfg->outbox_dir,
		    strerror(errno));
		goto fail;
	}
	*mp = &o->base;
	return PGAL_OK;
fail:
	free(o);
	return rc;
}

static void
outbox_close(pgal_mail *m)
{
	struct outbox *o = (struct outbox *)m;

	if (o == NULL)
		return;
	if (o->dir != -1)
		close(o->dir);
	free(o);
}

/* RFC 5322 3.3 date in UTC, with English names whatever the locale. */
static void
buf_date(struct buf *b, time_t t)
{
	static const char *days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
	    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&t, &tm);
	buf_fmt(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* The body with every line ending as CRLF. Each line must be clean UTF-8
 * (tabs allowed) and fit the 998 byte limit of 8bit transfer encoding. */
static int
buf_body(struct buf *b, const char *body, pgal_err *e)
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
		buf_add(b, p, n);
		buf_str(b, "\r\n");
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return PGAL_OK;
}

static int
outbox_send(pgal_mail *m, const char *to, const char *subject, const char *body,
    pgal_err *e)
{
	struct outbox *o = (struct outbox *)m;
	struct buf b = { 0 };
	char	 hex[17], name[64], what[PATH_MAX + 80];
	time_t	 now = time(NULL);
	int	 rc;

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
	if ((rc = pgal_random_hex(hex, 8, e)) != PGAL_OK)
		return rc;

	buf_date(&b, now);
	buf_fmt(&b, "From: %s\r\n", o->from);
	buf_fmt(&b, "To: %s\r\n", to);
	buf_str(&b, "Subject: ");
	if (needs_encoding(subject) || strstr(subject, "=?") != NULL)
		buf_encoded_words(&b, subject);
	else
		buf_str(&b, subject);
	buf_str(&b, "\r\n");
	buf_fmt(&b, "Message-ID: <%lld.%s@%s>\r\n", (long long)now, hex, o->domain);
	buf_str(&b, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n");
	if ((rc = buf_body(&b, body, e)) != PGAL_OK)
		goto out;
	if (b.failed) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	snprintf(name, sizeof name, "%lld-%s.eml", (long long)now, hex);
	snprintf(what, sizeof what, "%s/%s", o->path, name);
	rc = pgal_fs_write_atomic(o->dir, name, -1, b.p, b.len, what, e);
out:
	free(b.p);
	return rc;
}

/* open made the folder; a service user may still lack the right to write */
static int
outbox_prepare(pgal_mail *m, const pgal_config *cfg, pgal_err *e)
{
	return pgal_fs_check_writable(cfg->outbox_dir, e);
}

static void
outbox_describe(pgal_mail *m, const pgal_config *cfg, char *out, size_t size)
{
	snprintf(out, size, "folder %s writable (mail is kept, not sent)", cfg->outbox_dir);
}

static void
outbox_where_kept(pgal_mail *m, const pgal_config *cfg, char *out, size_t size)
{
	snprintf(out, size, "mail is kept as files in %s", cfg->outbox_dir);
}

const pgal_mail_ops pgal_mail_outbox = {
	.name = "outbox",
	.prepare = outbox_prepare,
	.describe = outbox_describe,
	.where_kept = outbox_where_kept,
	.open = outbox_open,
	.close = outbox_close,
	.send = outbox_send,
};
