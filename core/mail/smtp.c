/* Mail through an SMTP server with libcurl. smtp:// must upgrade with
 * STARTTLS (refused otherwise, so a password never crosses in clear);
 * smtps:// is TLS from the start. The message is mail/message.c's, as the
 * outbox writes it; libcurl adds only the transport (envelope, dot-stuffing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "crypto.h"
#include "mail/mail.h"
#include "mail/message.h"
#include "sanitize.h"

struct smtp_mail {
	pgal_mail		 base;
	char			 url[512];
	char			 user[256];
	char			 password[256];
	char			 ca_file[512];
	pgal_mail_sender	 from;
};

static int
smtp_open(pgal_mail **mp, const pgal_config *cfg, pgal_err *e)
{
	struct smtp_mail *m;
	int rc;

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
	/* the envelope needs the bare address */
	if ((rc = pgal_mail_sender_init(&m->from, cfg->mail_from, e)) == PGAL_OK &&
	    m->from.address[0] == '\0')
		rc = pgal_fail(e, PGAL_EINPUT, "mail_from: no address in it");
	if (rc != PGAL_OK) {
		pgal_wipe(m->password, sizeof m->password);
		free(m);
		return rc;
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
	pgal_mail_message   msg;
	char		    rcptbuf[300], mfrom[300];
	char		    errbuf[CURL_ERROR_SIZE] = "";
	CURL		   *curl;
	CURLcode	    cc;
	int		    rc;

	if ((rc = pgal_mail_message_build(&msg, &m->from, to, subject, body,
	    e)) != PGAL_OK) {
		pgal_mail_message_free(&msg);
		return rc;
	}
	snprintf(rcptbuf, sizeof rcptbuf, "<%s>", to);
	snprintf(mfrom, sizeof mfrom, "<%s>", m->from.address);
	if ((curl = curl_easy_init()) == NULL ||
	    (rcpt = curl_slist_append(NULL, rcptbuf)) == NULL) {
		if (curl != NULL)
			curl_easy_cleanup(curl);
		pgal_mail_message_free(&msg);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	u.p = msg.text.p;
	u.left = msg.text.len;
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
	curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg.text.len);
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
		/* a refused SMTP login is the host's mail set-up failing */
		rc = pgal_fail(e, PGAL_EBACKEND, "SMTP %s: %s", shown,
		    errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else
		rc = PGAL_OK;
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(curl);
	pgal_mail_message_free(&msg);
	return rc;
}

/* host[:port] of a URL, without any user:password@ */
static void
url_host(char *out, size_t size, const char *url)
{
	const char *p = strstr(url, "://"), *end, *at;

	p = p != NULL ? p + 3 : url;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if (at != NULL)
		p = at + 1;
	pgal_sanitize_n(out, size, p, (size_t)(end - p), 0);
}

/* open only checked the URL: the server is first contacted by a send */
static void
smtp_describe(pgal_mail *m, const pgal_config *cfg, char *out, size_t size)
{
	char from[300], host[300];

	pgal_sanitize(from, sizeof from, cfg->mail_from, 0);
	url_host(host, sizeof host, cfg->smtp_url);
	snprintf(out, size, "configured (server %s, from %s%s; contacted when mail "
	    "is sent)", host, from, cfg->smtp_user[0] != '\0' ? ", with a login" : "");
}

const pgal_mail_ops pgal_mail_smtp = {
	.name = "smtp",
	.describe = smtp_describe,
	.open = smtp_open,
	.close = smtp_close,
	.send = smtp_send,
};
