/* Objects of any bucket, any key: the listing (ListObjectsV2, page by
 * page) and the download (GetObject into a file, bounded) that both the
 * blobs backend and `pgal import` read a bucket with. Keys are whatever
 * the bucket holds: they come back percent-decoded when S3 encoded them
 * (encoding-type=url, so that keys with control characters survive XML),
 * and are the caller's to judge. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "hex.h"

#define LIST_ANSWER_MAX (8u * 1024 * 1024)
/* a key as it may come in XML: 1024 bytes percent-encoded, three each */
#define KEY_XML_MAX (3 * PGAL_S3_KEY_MAX + 1)

int
pgal_s3_bucket_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 3 || n > 63)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '.'))
			return 0;
	return s[0] != '-' && s[0] != '.' && s[n - 1] != '-' && s[n - 1] != '.';
}

enum pgal_s3_url
pgal_s3_url_split(const char *url, char bucket[64], const char **rest)
{
	const char *b, *slash;
	size_t n;

	bucket[0] = '\0';
	*rest = "";
	if (strncmp(url, "s3://", 5) != 0)
		return PGAL_S3_URL_NOT_S3;
	b = url + 5;
	slash = strchr(b, '/');
	n = slash != NULL ? (size_t)(slash - b) : strlen(b);
	if (n >= 64)
		return PGAL_S3_URL_LONG_BUCKET;
	memcpy(bucket, b, n);
	bucket[n] = '\0';
	if (!pgal_s3_bucket_ok(bucket))
		return PGAL_S3_URL_BAD_BUCKET;
	*rest = slash != NULL ? slash + 1 : "";
	return PGAL_S3_URL_OK;
}

char *
pgal_s3_request_path(const pgal_s3_bucket *b, const char *prefix, const char *key)
{
	pgal_buf sb = { 0 };

	if (b->path_style) {
		pgal_buf_addc(&sb, '/');
		pgal_buf_adds(&sb, b->name);
	}
	if (key != NULL) {
		pgal_buf_addc(&sb, '/');
		if (prefix != NULL)
			pgal_aws_uri_append(&sb, prefix, strlen(prefix), 1);
		pgal_aws_uri_append(&sb, key, strlen(key), 1);
	} else if (!b->path_style)
		pgal_buf_addc(&sb, '/');
	return pgal_buf_take(&sb);
}

void
pgal_s3_request_init(const pgal_s3_bucket *b, pgal_aws_request *r, const char *op,
    const char *method, const char *path, char host_prefix[80])
{
	pgal_aws_request_init(r, op, method, path);
	r->errfmt = PGAL_AWS_ERR_XML;
	if (!b->path_style) {
		snprintf(host_prefix, 80, "%s.", b->name);
		r->host_prefix = host_prefix;
	}
}

/* A key of encoding-type=url decoded in place ('+' is a space, as S3
 * writes it); -1 if malformed or if it would hold a NUL. */
static int
url_decode(char *s)
{
	char *o = s;
	int hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '+') {
			*o++ = ' ';
		} else if (*s != '%') {
			*o++ = *s;
		} else {
			if ((hi = pgal_hex_digit(s[1])) < 0 || (lo = pgal_hex_digit(s[2])) < 0 ||
			    (hi == 0 && lo == 0))
				return -1;
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		}
	}
	*o = '\0';
	return 0;
}

/* An object's LastModified; 0 (long ago) when unreadable. */
static int64_t
parse_mtime(const char *s)
{
	time_t t = pgal_aws_parse_time(s);

	return t == (time_t)-1 ? 0 : (int64_t)t;
}

/* The <Contents> of one answer, in order, to visit; 1 when it said stop. */
static int
visit_page(const pgal_aws_response *resp, int url_encoded, pgal_s3_object_visit visit,
    void *arg)
{
	char key[KEY_XML_MAX], lm[64], size[32];
	const char *in;
	size_t inlen, pos = 0;
	pgal_s3_object o;
	int got;

	while (pgal_aws_xml_find(resp->body, resp->body_len, "Contents", &pos, &in, &inlen)) {
		memset(&o, 0, sizeof o);
		got = pgal_aws_xml_text(in, inlen, "Key", key, sizeof key);
		if (got == 0)
			continue;
		/* a key S3 itself would refuse, or one XML cannot carry: its
		 * head, flagged, for the caller to name and pass over */
		if (got == -1 || (url_encoded && url_decode(key) == -1) ||
		    strlen(key) > PGAL_S3_KEY_MAX) {
			o.unreadable = 1;
			key[64] = '\0';
		}
		o.key = key;
		pgal_aws_xml_text(in, inlen, "LastModified", lm, sizeof lm);
		o.mtime = parse_mtime(lm);
		if (pgal_aws_xml_text(in, inlen, "Size", size, sizeof size) == 1)
			o.bytes = strtoll(size, NULL, 10);
		if (visit(arg, &o))
			return 1;
	}
	return 0;
}

int
pgal_s3_list_objects(const pgal_s3_bucket *b, const char *prefix, int page,
    pgal_s3_object_visit visit, void *arg, pgal_err *e)
{
	pgal_aws_request  r;
	pgal_aws_response resp;
	pgal_aws_kv	  q[5];
	char		  hp[80], *path, token[1024] = "", pagestr[16], trunc[8], enc[8];
	size_t		  nq;
	int		  rc = PGAL_OK, stop = 0;

	if ((path = pgal_s3_request_path(b, NULL, NULL)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	snprintf(pagestr, sizeof pagestr, "%d", page > 0 && page <= 1000 ? page : 1000);
	do {
		pgal_s3_request_init(b, &r, "ListObjectsV2", "GET", path, hp);
		nq = 0;
		q[nq++] = (pgal_aws_kv){ "list-type", "2" };
		q[nq++] = (pgal_aws_kv){ "max-keys", pagestr };
		q[nq++] = (pgal_aws_kv){ "encoding-type", "url" };
		if (prefix != NULL && prefix[0] != '\0')
			q[nq++] = (pgal_aws_kv){ "prefix", prefix };
		if (token[0] != '\0')
			q[nq++] = (pgal_aws_kv){ "continuation-token", token };
		r.query = q;
		r.nquery = nq;
		r.resp_max = LIST_ANSWER_MAX;
		if ((rc = pgal_aws_do(b->c, &r, &resp, e)) != PGAL_OK) {
			pgal_aws_response_free(&resp);
			break;
		}
		/* S3 says when it encoded the keys; a server that ignores the
		 * parameter (s3rver) sends them as they are */
		stop = visit_page(&resp, pgal_aws_xml_text(resp.body, resp.body_len,
		    "EncodingType", enc, sizeof enc) == 1 && strcmp(enc, "url") == 0, visit, arg);
		token[0] = '\0';
		if (!stop && pgal_aws_xml_text(resp.body, resp.body_len,
		    "IsTruncated", trunc, sizeof trunc) == 1 &&
		    strcmp(trunc, "true") == 0 &&
		    (pgal_aws_xml_text(resp.body, resp.body_len,
		    "NextContinuationToken", token, sizeof token) != 1 ||
		    token[0] == '\0')) {
			pgal_aws_response_free(&resp);
			rc = pgal_fail(e, PGAL_EBACKEND, "S3 ListObjectsV2: truncated "
			    "answer without a continuation token");
			break;
		}
		pgal_aws_response_free(&resp);
	} while (!stop && token[0] != '\0');
	free(path);
	return rc;
}

int
pgal_s3_get_object(const pgal_s3_bucket *b, const char *key, int fd, size_t max,
    pgal_err *e)
{
	pgal_aws_request  r;
	pgal_aws_response resp;
	char		  hp[80], *path;
	int		  rc;

	if ((path = pgal_s3_request_path(b, NULL, key)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	pgal_s3_request_init(b, &r, "GetObject", "GET", path, hp);
	r.resp_fd = fd;
	r.resp_max = max;
	rc = pgal_aws_do(b->c, &r, &resp, e);
	pgal_aws_response_free(&resp);
	free(path);
	return rc;
}
