/* STS AssumeRole for profiles with role_arn: the query protocol (a form
 * POST, Action=AssumeRole&Version=2011-06-15), signed SigV4 for service
 * "sts" with the source credentials, an XML answer whose Credentials are
 * the role's. The answer holds secrets: wiped once copied. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "buf.h"
#include "crypto.h"

static void
form_add(pgal_buf *b, const char *name, const char *value)
{
	if (b->len > 0)
		pgal_buf_addc(b, '&');
	pgal_buf_adds(b, name);
	pgal_buf_addc(b, '=');
	pgal_aws_uri_append(b, value, strlen(value), 0);
}

/* Printable text of 1..max bytes out of the profile, for the request. */
static int
param_ok(const char *v, size_t max)
{
	size_t n = strlen(v), i;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return 0;
	return 1;
}

int
pgal_aws_sts_assume_role(const pgal_aws_assume *a, const pgal_aws_creds *source,
    pgal_aws_creds *out, pgal_err *e)
{
	pgal_aws_client	 *c = NULL;
	pgal_aws_request  r;
	pgal_aws_response resp;
	pgal_aws_kv	  h[1];
	pgal_buf	  body = { 0 };
	char		  name[80], dur[16], id[PGAL_AWS_KEY_ID_MAX];
	char		  secret[PGAL_AWS_SECRET_MAX], token[PGAL_AWS_TOKEN_MAX], exp[64];
	char		  src[48];
	int		  rc;

	memset(out, 0, sizeof *out);
	memset(&resp, 0, sizeof resp);
	if (!param_ok(a->role_arn, 2048) || strncmp(a->role_arn, "arn:", 4) != 0)
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': role_arn is not "
		    "an ARN", a->profile);
	if (a->session_name != NULL)
		snprintf(name, sizeof name, "%s", a->session_name);
	else
		snprintf(name, sizeof name, "pgal-%lld", (long long)time(NULL));
	/* STS's own rule: 2 to 64 of [\w+=,.@-] */
	if (strlen(name) < 2 || strlen(name) > 64 || strspn(name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+=,.@-") !=
	    strlen(name))
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': role_session_name "
		    "must be 2 to 64 of letters, digits and _+=,.@-", a->profile);
	if (a->external_id != NULL && !param_ok(a->external_id, 1224))
		return pgal_fail(e, PGAL_EINPUT, "profile '%.64s': external_id must "
		    "be 1 to 1224 printable characters", a->profile);
	form_add(&body, "Action", "AssumeRole");
	form_add(&body, "Version", "2011-06-15");
	form_add(&body, "RoleArn", a->role_arn);
	form_add(&body, "RoleSessionName", name);
	if (a->external_id != NULL)
		form_add(&body, "ExternalId", a->external_id);
	if (a->duration_secs > 0) {
		snprintf(dur, sizeof dur, "%d", a->duration_secs);
		form_add(&body, "DurationSeconds", dur);
	}
	if (body.failed) {
		pgal_buf_free(&body);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if ((rc = pgal_aws_client_open_fixed(&c, "sts", a->region ? a->region :
	    "us-east-1", source, e)) != PGAL_OK)
		goto out;
	h[0] = (pgal_aws_kv){ "Content-Type",
	    "application/x-www-form-urlencoded; charset=utf-8" };
	pgal_aws_request_init(&r, "AssumeRole", "POST", "/");
	r.headers = h;
	r.nheaders = 1;
	r.body = body.p;
	r.body_len = body.len;
	/* a repeat only makes another session: harmless */
	r.retry = PGAL_AWS_RETRY_SAFE;
	r.errfmt = PGAL_AWS_ERR_XML;
	r.resp_max = 65536;
	if ((rc = pgal_aws_do(c, &r, &resp, e)) != PGAL_OK)
		goto out;
	if (pgal_aws_xml_text(resp.body, resp.body_len, "AccessKeyId", id, sizeof id) != 1 ||
	    pgal_aws_xml_text(resp.body, resp.body_len, "SecretAccessKey", secret,
	    sizeof secret) != 1 ||
	    pgal_aws_xml_text(resp.body, resp.body_len, "SessionToken", token,
	    sizeof token) != 1 ||
	    pgal_aws_xml_text(resp.body, resp.body_len, "Expiration", exp, sizeof exp) != 1 ||
	    pgal_aws_parse_time(exp) == (time_t)-1) {
		rc = pgal_fail(e, PGAL_EBACKEND, "STS AssumeRole for profile '%.64s': "
		    "the answer lacks Credentials with an Expiration", a->profile);
		goto out;
	}
	snprintf(src, sizeof src, "role of profile %.24s", a->profile);
	if ((rc = pgal_aws_creds_set(out, id, secret, token, src, e)) == PGAL_OK)
		out->expires = pgal_aws_parse_time(exp);
out:
	pgal_wipe(secret, sizeof secret);
	pgal_wipe(token, sizeof token);
	if (resp.body != NULL)
		pgal_wipe(resp.body, resp.body_len);
	pgal_aws_response_free(&resp);
	pgal_buf_free(&body);
	pgal_aws_client_close(c);
	return rc;
}
