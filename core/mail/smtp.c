/* Mail through an SMTP server with libcurl. smtp:// must upgrade with
 * STARTTLS (refused otherwise, so a password never crosses in clear);
 * smtps:// is TLS from the start. One RFC 5322 message, UTF-8, 8bit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "buf.h"
#include "crypto.h"
#include "mail/mail.h"
#include "sanitize.h"

#define SUBJECT_MAX 900
#define BODY_MAX (1024 * 1024)

struct smtp_mail {
	pgal_mail	 base;
	char		 url[512];
	char		 user[256];
	char		 password[256];
	char		 ca_file[512];
	char		 from[256];	/* the header value */
	char		 from_addr[256];	/* the envelope address */
};

/* "Name <a@b>" or "a@b": the address part. */
static int
address_of(const char *from, char *out, size_t outsz)
{
	const char *lt = strrchr(from, '<'), *gt;
	size_t n;

	if (lt != NULL) {
		if ((gt = strchr(lt, '>')) == NULL)
			return -1;
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else
		n = strlen(from);
	if (n == 0 || n >= outsz || memchr(from, '@', n) == NULL)
		return -1;
	memcpy(out, from, n);
	out[n] = '\0';
	return strpbrk(out, " \t\r\n<>,;") == NULL ? 0 : -1;
}

static int
smtp_open(pgal_mail **mp, const pgal_config *cfg, pgal_err *e)
{
	struct smtp_mail *m;

	*mp = NULL;
	if (cfg->smtp_url[0] == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "mail = smtp needs smtp_url");
	if (strncasecmp(cfg->smtp_url, "smtp://", 7) != 0 &&
	    strncasecmp(cfg->smtp_url, "smtps://", 8) != 0)
		return pgal_fail(e, PGAL_EINPUT, "smtp_url: use smtp://host:587 "
		    "(STARTTLS) or smtps://host:465");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return pgal_fail(e, PGAL_EBACKEND, "libcurl failed to start");
	if ((m = calloc(1, sizeof *m)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	m->base.ops = &pgal_mail_smtp;
	snprintf(m->url, sizeof m->url, "%s", cfg->smtp_url);
	snprintf(m->user, sizeof m->user, "%s", cfg->smtp_user);
	snprintf(m->password, sizeof m->password, "%s", cfg->smtp_password);
	snprintf(m->ca_file, sizeof m->ca_file, "%s", cfg->smtp_ca_file);
	snprintf(m->from, sizeof m->from, "%s", cfg->mail_from);
	if (address_of(m->from, m->from_addr, sizeof m->from_addr) == -1) {
		free(m);
		return pgal_fail(e, PGAL_EINPUT, "mail_from: no address in it");
	}
	*mp = &m->base;
	return PGAL_OK;
}

static void
smtp_close(pgal_mail *base)
{
	struct smtp_mail *m = (struct smtp_mail *)base;

	if (m == NULL)
		return;
	pgal_wipe(m->password, sizeof m->password);
	free(m);
}

static int
ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* RFC 2047 B-words of at most 45 bytes of text each, cut on UTF-8
 * character boundaries. */
static void
add_encoded_words(pgal_buf *sb, const char *s)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t len = strlen(s), at = 0, n, i;

	while (at < len) {
		n = len - at > 45 ? 45 : len - at;
		while (at + n < len && ((unsigned char)s[at + n] & 0xc0) == 0x80)
			n--;
		if (at > 0)
			pgal_buf_adds(sb, "\r\n ");
		pgal_buf_adds(sb, "=?UTF-8?B?");
		for (i = 0; i < n; i += 3) {
			unsigned v = (unsigned char)s[at + i] << 16;
			size_t k = n - i;

			if (k > 1)
				v |= (unsigned char)s[at + i + 1] << 8;
			if (k > 2)
				v |= (unsigned char)s[at + i + 2];
			pgal_buf_addc(sb, b64[(v >> 18) & 63]);
			pgal_buf_addc(sb, b64[(v >> 12) & 63]);
			pgal_buf_addc(sb, k > 1 ? b64[(v >> 6) & 63] : '=');
			pgal_buf_addc(sb, k > 2 ? b64[v & 63] : '=');
		}
		pgal_buf_adds(sb, "?=");
		at += n;
	}
}

struct upload {
	const char	*p;
	size_t		 left;
};

static size_t
read_msg(char *buf, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t want = size * n;

	if (want > u->left)
		want = u->left;
	memcpy(buf, u->p, want);
	u->p += want;
	u->left -= want;
	return want;
}

static int
smtp_send(pgal_mail *base, const char *to, const char *subject, const char *body,
    pgal_err *e)
{
	struct smtp_mail   *m = (struct smtp_mail *)base;
	struct curl_slist  *rcpt = NULL;
	struct upload	    u;
	pgal_buf	    msg = { 0 };
	char		    date[64], id[33], rcptbuf[300], mfrom[300];
	char		    errbuf[CURL_ERROR_SIZE] = "";
	const char	   *p, *domain;
	struct tm	    tm;
	time_t		    now = time(NULL);
	CURL		   *curl;
	CURLcode	    cc;
	int		    rc;

	if (to == NULL || *to == '\0' || strlen(to) > 254 ||
	    strpbrk(to, " \t\r\n,;<>") != NULL || strchr(to, '@') == NULL)
		return pgal_fail(e, PGAL_EINPUT, "mail: bad recipient");
	if (strlen(subject) > SUBJECT_MAX || !pgal_text_is_clean(subject, 0))
		return pgal_fail(e, PGAL_EINPUT, "mail: bad subject");
	if (strlen(body) > BODY_MAX || !pgal_text_is_clean(body, 1))
		return pgal_fail(e, PGAL_EINPUT, "mail: bad body");
	if ((rc = pgal_random_hex(id, 16, e)) != PGAL_OK)
		return rc;
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	domain = strchr(m->from_addr, '@') + 1;
	pgal_buf_adds(&msg, "From: ");
	if (ascii(m->from))
		pgal_buf_adds(&msg, m->from);
	else {
		/* encode the display name only; the address stays readable */
		const char *lt = strrchr(m->from, '<');
		char name[256];

		snprintf(name, sizeof name, "%.*s", lt ? (int)(lt - m->from) : 0, m->from);
		while (strlen(name) > 0 && name[strlen(name) - 1] == ' ')
			name[strlen(name) - 1] = '\0';
		add_encoded_words(&msg, name);
		pgal_buf_addf(&msg, " <%s>", m->from_addr);
	}
	pgal_buf_addf(&msg, "\r\nTo: <%s>\r\nSubject: ", to);
	if (ascii(subject))
		pgal_buf_adds(&msg, subject);
	else
		add_encoded_words(&msg, subject);
	pgal_buf_addf(&msg, "\r\nDate: %s\r\nMessage-ID: <%s@%s>\r\n"
	    "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n\r\n", date, id, domain);
	/* CRLF line ends; libcurl does the dot-stuffing */
	for (p = body; *p != '\0'; p++) {
		if (*p == '\n')
			pgal_buf_addc(&msg, '\r');
		pgal_buf_addc(&msg, *p);
	}
	if (msg.len < 2 || msg.p[msg.len - 1] != '\n')
		pgal_buf_adds(&msg, "\r\n");
	if (msg.failed) {
		pgal_buf_free(&msg);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	snprintf(rcptbuf, sizeof rcptbuf, "<%s>", to);
	snprintf(mfrom, sizeof mfrom, "<%s>", m->from_addr);
	if ((curl = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, rcptbuf)) == NULL) {
		if (curl != NULL)
			curl_easy_cleanup(curl);
		pgal_buf_free(&msg);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	u.p = msg.p;
	u.left = msg.len;
	curl_easy_setopt(curl, CURLOPT_URL, m->url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	/* STARTTLS is required on smtp://: no silent fallback to clear text */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mfrom);
	curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_msg);
	curl_easy_setopt(curl, CURLOPT_READDATA, &u);
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.len);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	if (m->ca_file[0] != '\0')
		curl_easy_setopt(curl, CURLOPT_CAINFO, m->ca_file);
	if (m->user[0] != '\0') {
		curl_easy_setopt(curl, CURLOPT_USERNAME, m->user);
		curl_easy_setopt(curl, CURLOPT_PASSWORD, m->password);
	}
	cc = curl_easy_perform(curl);
	if (cc != CURLE_OK) {
		char shown[200];
		const char *at = strrchr(m->url, '@');

		/* the URL without any user:password@ part */
		snprintf(shown, sizeof shown, "%.190s", at ? at + 1 : m->url);
		rc = pgal_fail(e, cc == CURLE_LOGIN_DENIED ? PGAL_EDENIED :
		    PGAL_EBACKEND, "SMTP %s: %s", shown,
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else
		rc = PGAL_OK;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	pgal_buf_free(&msg);
	return rc;
}

const pgal_mail_ops pgal_mail_smtp = {
	.name = "smtp",
	.open = smtp_open,
	.close = smtp_close,
	.send = smtp_send,
};
