/* Mail through Amazon SES: SESv2 SendEmail (POST /v2/email/outbound-emails)
 * with Simple content, signed for service "ses": SES builds the MIME
 * itself from the parts, checked by the rules every mail backend keeps
 * (mail/message.h). Never retried: a repeat could send the mail twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aws/aws.h"
#include "mail/mail.h"
#include "mail/message.h"
#include "sanitize.h"

struct ses_mail {
	pgal_mail		 base;
	pgal_aws_client		*c;
	pgal_mail_sender	 from;
	/* what GetAccount said (pgal init) */
	int			 checked, production;
	double			 max_24h, max_rate;
};

static int
ses_open(pgal_mail **mp, const pgal_config *cfg, pgal_err *e)
{
	struct ses_mail *m;
	int rc;

	*mp = NULL;
	if (cfg->mail_from[0] == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "mail = ses needs mail_from");
	if ((m = calloc(1, sizeof *m)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	m->base.ops = &pgal_mail_ses;
	if ((rc = pgal_mail_sender_init(&m->from, cfg->mail_from, e)) != PGAL_OK ||
	    (rc = pgal_aws_client_open(&m->c, cfg, "ses", NULL, e)) != PGAL_OK) {
		free(m);
		return rc;
	}
	*mp = &m->base;
	return PGAL_OK;
}

static void
ses_close(pgal_mail *base)
{
	struct ses_mail *m = (struct ses_mail *)base;

	if (m == NULL)
		return;
	pgal_aws_client_close(m->c);
	free(m);
}

static int
ses_send(pgal_mail *base, const char *to, const char *subject, const char *body,
    pgal_err *e)
{
	struct ses_mail	 *m = (struct ses_mail *)base;
	pgal_aws_request  r;
	pgal_aws_response resp;
	pgal_aws_kv	  h[1] = { { "Content-Type", "application/json" } };
	json_t		 *j;
	char		 *json;
	int		  rc;

	if ((rc = pgal_mail_check(to, subject, body, e)) != PGAL_OK)
		return rc;
	/* From as a header has it: SES wants a non-ASCII name encoded */
	j = json_pack("{s:s, s:{s:[s]}, s:{s:{s:{s:s, s:s}, s:{s:{s:s, s:s}}}}}",
	    "FromEmailAddress", m->from.header,
	    "Destination", "ToAddresses", to,
	    "Content", "Simple",
	    "Subject", "Data", subject, "Charset", "UTF-8",
	    "Body", "Text", "Data", body, "Charset", "UTF-8");
	if (j == NULL || (json = json_dumps(j, JSON_COMPACT)) == NULL) {
		json_decref(j);
		return pgal_fail(e, PGAL_EINPUT, "mail: text is not valid UTF-8");
	}
	json_decref(j);
	pgal_aws_request_init(&r, "SendEmail", "POST", "/v2/email/outbound-emails");
	r.headers = h;
	r.nheaders = 1;
	r.body = json;
	r.body_len = strlen(json);
	r.retry = PGAL_AWS_RETRY_NEVER;
	r.errfmt = PGAL_AWS_ERR_JSON;
	r.resp_max = 65536;
	rc = pgal_aws_do(m->c, &r, &resp, e);
	pgal_aws_response_free(&resp);
	free(json);
	return rc;
}

/* `pgal init`: SES is asked for real (GetAccount), so that "configured"
 * means reachable with these credentials and allowed to send. */
static int
ses_prepare(pgal_mail *base, const pgal_config *cfg, pgal_err *e)
{
	struct ses_mail	 *m = (struct ses_mail *)base;
	pgal_aws_request  r;
	pgal_aws_response resp;
	json_t		 *j, *q;
	int		  rc, sending;

	pgal_aws_request_init(&r, "GetAccount", "GET", "/v2/email/account");
	r.retry = PGAL_AWS_RETRY_SAFE;
	r.errfmt = PGAL_AWS_ERR_JSON;
	r.resp_max = 65536;
	if ((rc = pgal_aws_do(m->c, &r, &resp, e)) != PGAL_OK) {
		pgal_aws_response_free(&resp);
		return rc;
	}
	j = json_loadb(resp.body != NULL ? resp.body : "", resp.body_len, 0, NULL);
	pgal_aws_response_free(&resp);
	if (!json_is_object(j) || !json_is_boolean(json_object_get(j, "SendingEnabled"))) {
		json_decref(j);
		return pgal_fail(e, PGAL_EBACKEND, "SES GetAccount: an answer "
		    "without SendingEnabled");
	}
	sending = json_is_true(json_object_get(j, "SendingEnabled"));
	m->production = json_is_true(json_object_get(j, "ProductionAccessEnabled"));
	q = json_object_get(j, "SendQuota");
	m->max_24h = json_number_value(json_object_get(q, "Max24HourSend"));
	m->max_rate = json_number_value(json_object_get(q, "MaxSendRate"));
	json_decref(j);
	if (!sending)
		return pgal_fail(e, PGAL_EBACKEND, "SES: sending is paused for "
		    "this account (see the SES console's reputation page): no "
		    "confirmation code would go out");
	m->checked = 1;
	return PGAL_OK;
}

static void
ses_describe(pgal_mail *base, const pgal_config *cfg, char *out, size_t size)
{
	struct ses_mail *m = (struct ses_mail *)base;
	char from[300], account[200] = "";

	pgal_sanitize(from, sizeof from, cfg->mail_from, 0);
	if (m->checked && m->production)
		snprintf(account, sizeof account, "; sending enabled, up to %.0f "
		    "a day, %.0f a second", m->max_24h, m->max_rate);
	else if (m->checked)
		snprintf(account, sizeof account, "; sending enabled, but in the "
		    "SES sandbox: mail reaches verified addresses only, %.0f a "
		    "day (ask AWS for production access)", m->max_24h);
	snprintf(out, size, "configured (from %s, region %s; the address must be "
	    "verified in SES%s)", from,
	    cfg->aws_region[0] != '\0' ? cfg->aws_region : "from the environment",
	    account);
}

const pgal_mail_ops pgal_mail_ses = {
	.name = "ses",
	.prepare = ses_prepare,
	.describe = ses_describe,
	.open = ses_open,
	.close = ses_close,
	.send = ses_send,
};
