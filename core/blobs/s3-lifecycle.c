/* `pgal init`'s lifecycle rule on the bucket: S3 keeps the parts of a
 * multipart upload that never completed (a host that died mid-upload) and
 * bills them until someone aborts it, so a rule aborts those under
 * s3_prefix one day after they began. A bucket has one lifecycle
 * configuration, replaced whole by PutBucketLifecycleConfiguration: the
 * rules already there are read first (GetBucketLifecycleConfiguration) and
 * sent back unchanged beside ours. A rule that already does it (enabled,
 * one day, a filter prefix that covers ours) means nothing is changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "buf.h"

#define RULE_ID "pgal-abort-incomplete-uploads"
#define S3_XMLNS "http://s3.amazonaws.com/doc/2006-03-01/"

/* The text of the first <tag>...</tag> between p and end, or NULL. */
static const char *
element(const char *p, const char *end, const char *tag, size_t *len)
{
	char open[64], close[64];
	const char *a, *b;

	snprintf(open, sizeof open, "<%s>", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	if ((a = strstr(p, open)) == NULL || a >= end)
		return NULL;
	a += strlen(open);
	if ((b = strstr(a, close)) == NULL || b > end)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

static int
element_is(const char *p, const char *end, const char *tag, const char *want)
{
	size_t n;
	const char *v = element(p, end, tag, &n);

	return v != NULL && n == strlen(want) && memcmp(v, want, n) == 0;
}

/* Whether the rule between p and end already aborts our unfinished uploads
 * after a day: enabled, DaysAfterInitiation 1, and no prefix or one our
 * prefix starts with (a rule with tags or sizes in its filter is not
 * counted: it may not match every upload). */
static int
rule_covers(const char *p, const char *end, const char *prefix)
{
	const char *pre;
	size_t n;

	if (!element_is(p, end, "Status", "Enabled") ||
	    !element_is(p, end, "DaysAfterInitiation", "1") ||
	    element(p, end, "Tag", &n) != NULL || element(p, end, "And", &n) != NULL)
		return 0;
	if ((pre = element(p, end, "Prefix", &n)) == NULL)
		return 1;
	return n <= strlen(prefix) && memcmp(pre, prefix, n) == 0;
}

/* Content-MD5, which S3 requires on this call: base64 of the body's MD5 */
static void
content_md5(const char *body, size_t len, char out[32])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(body, len, md, &n, EVP_md5(), NULL) != 1)
		n = 0;
	EVP_EncodeBlock((unsigned char *)out, md, (int)n);
}

int
pgal_s3_lifecycle_ensure(pgal_aws_client *c, const char *path, const char *host_prefix,
    const char *prefix, int *added, int *kept, pgal_err *e)
{
	static const pgal_aws_kv q[] = { { "lifecycle", "" } };
	pgal_aws_kv h[2];
	pgal_aws_request r;
	pgal_aws_response resp;
	pgal_buf body = { 0 };
	const char *p, *end, *rule_end;
	char md5[32];
	int rc;

	*added = *kept = 0;
	pgal_aws_request_init(&r, "GetBucketLifecycleConfiguration", "GET", path);
	r.host_prefix = host_prefix;
	r.query = q;
	r.nquery = 1;
	r.resp_max = 1024 * 1024;
	memset(&resp, 0, sizeof resp);
	rc = pgal_aws_do(c, &r, &resp, e);
	if (rc != PGAL_OK && strcmp(resp.error_code, "NoSuchLifecycleConfiguration") != 0) {
		pgal_aws_response_free(&resp);
		return rc;
	}
	pgal_buf_adds(&body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<LifecycleConfiguration xmlns=\"" S3_XMLNS "\">");
	for (p = rc == PGAL_OK && resp.body != NULL ? resp.body : "";
	    (p = strstr(p, "<Rule>")) != NULL; p = rule_end) {
		if ((end = strstr(p, "</Rule>")) == NULL)
			break;
		rule_end = end + strlen("</Rule>");
		if (rule_covers(p, end, prefix)) {
			pgal_aws_response_free(&resp);
			pgal_buf_free(&body);
			return PGAL_OK;
		}
		/* a rule of ours that no longer does it is replaced */
		if (element_is(p, end, "ID", RULE_ID))
			continue;
		pgal_buf_add(&body, p, (size_t)(rule_end - p));
		(*kept)++;
	}
	pgal_aws_response_free(&resp);
	pgal_err_clear(e);
	/* the prefix is letters, digits and ._-/ (checked at open): no escaping */
	pgal_buf_addf(&body, "<Rule><ID>" RULE_ID "</ID><Filter><Prefix>%s</Prefix>"
	    "</Filter><Status>Enabled</Status><AbortIncompleteMultipartUpload>"
	    "<DaysAfterInitiation>1</DaysAfterInitiation>"
	    "</AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>", prefix);
	if (body.failed) {
		pgal_buf_free(&body);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	content_md5(body.p, body.len, md5);
	h[0].name = "content-md5";
	h[0].value = md5;
	h[1].name = "content-type";
	h[1].value = "application/xml";
	pgal_aws_request_init(&r, "PutBucketLifecycleConfiguration", "PUT", path);
	r.host_prefix = host_prefix;
	r.query = q;
	r.nquery = 1;
	r.headers = h;
	r.nheaders = 2;
	r.body = body.p;
	r.body_len = body.len;
	rc = pgal_aws_do(c, &r, NULL, e);
	pgal_buf_free(&body);
	if (rc == PGAL_OK)
		*added = 1;
	return rc;
}
