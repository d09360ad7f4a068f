/* AWS Signature Version 4: canonical request, string to sign, signing key,
 * for an Authorization header or a presigned query string. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/hmac.h>

#include "aws/aws.h"
#include "crypto.h"
#include "grow.h"
#include "hex.h"
#include "validate.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define MAX_PRESIGN_SECS 604800

/* One header or query parameter in canonical form. */
struct item {
	char	*name;
	char	*value;
	size_t	 order;		/* keeps repeated header values in their order */
};

static void
items_free(struct item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(it[i].name);
		free(it[i].value);
	}
	free(it);
}

static int
item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return 0;
}

static int
query_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	return strcmp(x->value, y->value);
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

/* RFC 7230 token characters */
static int
is_tchar(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* Lower-cased name; NULL if it is not a header name. */
static char *
canon_name(const char *s)
{
	size_t	 i, n = strlen(s);
	char	*p;

	if (n == 0 || n > 256)
		return NULL;
	for (i = 0; i < n; i++)
		if (!is_tchar((unsigned char)s[i]))
			return NULL;
	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	pgal_ascii_lower(p);
	return p;
}

/* Trimmed with inner runs of white space folded to one space; NULL for a
 * value that could split a header (CR, LF, NUL are refused by the caller). */
static char *
canon_value(const char *s)
{
	pgal_buf sb = { 0 };
	int	  space = 0;

	while (is_ws(*s))
		s++;
	for (; *s != '\0'; s++) {
		if (is_ws(*s)) {
			space = 1;
			continue;
		}
		if (space)
			pgal_buf_addc(&sb, ' ');
		space = 0;
		pgal_buf_addc(&sb, *s);
	}
	return pgal_buf_take(&sb);
}

static int
has_header(const pgal_aws_kv *h, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (h[i].name != NULL && strcasecmp(h[i].name, name) == 0)
			return 1;
	return 0;
}

/* The path for the canonical request: as is for S3; otherwise with ".",
 * ".." and empty segments resolved, then encoded once more. */
static void
canon_path(pgal_buf *sb, const char *path, int s3)
{
	struct segment {
		const char *p;
		size_t len;
	} *seg = NULL;
	const char *p, *end;
	size_t	   nseg = 0, cap = 0, i, n;
	pgal_buf   norm = { 0 };

	if (path == NULL || *path == '\0') {
		pgal_buf_addc(sb, '/');
		return;
	}
	if (s3) {
		pgal_buf_adds(sb, path);
		return;
	}
	for (p = path; ; p = end + 1) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.'))
			;
		else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg > 0)
				nseg--;
		} else {
			if (PGAL_GROW(seg, cap, nseg + 1) == -1) {
				sb->failed = 1;
				goto out;
			}
			seg[nseg].p = p;
			seg[nseg++].len = n;
		}
		if (end == NULL)
			break;
	}
	if (path[0] == '/')
		pgal_buf_addc(&norm, '/');
	for (i = 0; i < nseg; i++) {
		if (i > 0)
			pgal_buf_addc(&norm, '/');
		pgal_buf_add(&norm, seg[i].p, seg[i].len);
	}
	n = strlen(path);
	if (nseg > 0 && path[n - 1] == '/')
		pgal_buf_addc(&norm, '/');
	if (norm.failed)
		sb->failed = 1;
	else
		pgal_aws_uri_append(sb, norm.p ? norm.p : "", norm.len, 1);
out:
	pgal_buf_free(&norm);
	free(seg);
}

/* Encoded and sorted query parameters; *out_n is their count. */
static struct item *
canon_query(const pgal_aws_kv *q, size_t n, const pgal_aws_kv *extra,
    size_t nextra, size_t *out_n)
{
	struct item *it;
	size_t	     i, k = 0;

	*out_n = 0;
	if ((it = calloc(n + nextra + 1, sizeof *it)) == NULL)
		return NULL;
	for (i = 0; i < n + nextra; i++) {
		const pgal_aws_kv *kv = i < n ? &q[i] : &extra[i - n];

		if (kv->name == NULL)
			continue;
		it[k].name = pgal_aws_uri_encode_dup(kv->name, 0);
		it[k].value = pgal_aws_uri_encode_dup(kv->value ? kv->value : "", 0);
		k++;
		if (it[k - 1].name == NULL || it[k - 1].value == NULL) {
			items_free(it, k);
			return NULL;
		}
	}
	qsort(it, k, sizeof *it, query_cmp);
	*out_n = k;
	return it;
}

static void
add_query(pgal_buf *sb, const struct item *it, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0)
			pgal_buf_addc(sb, '&');
		pgal_buf_adds(sb, it[i].name);
		pgal_buf_addc(sb, '=');
		pgal_buf_adds(sb, it[i].value);
	}
}

char *
pgal_aws_query_string(const pgal_aws_kv *q, size_t n)
{
	struct item *it;
	pgal_buf    sb = { 0 };
	size_t	     k;

	if ((it = canon_query(q, n, NULL, 0, &k)) == NULL)
		return NULL;
	add_query(&sb, it, k);
	items_free(it, k);
	return pgal_buf_take(&sb);
}

static int
check_text(const char *s, const char *what, int allow_empty, pgal_err *e)
{
	if (s == NULL || (*s == '\0' && !allow_empty))
		return pgal_fail(e, PGAL_EUSAGE, "sigv4: missing %s", what);
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return pgal_fail(e, PGAL_EINPUT,
			    "sigv4: control character in %s", what);
	return PGAL_OK;
}

static int
check_scope_part(const char *s, const char *what, pgal_err *e)
{
	int rc;

	if ((rc = check_text(s, what, 0, e)) != PGAL_OK)
		return rc;
	if (strchr(s, '/') != NULL || strchr(s, ' ') != NULL)
		return pgal_fail(e, PGAL_EINPUT, "sigv4: bad %s", what);
	return PGAL_OK;
}

static int
check_request(const pgal_sigv4_request *r, const pgal_aws_creds *creds, pgal_err *e)
{
	size_t	i;
	int	rc;

	if ((rc = check_text(r->method, "method", 0, e)) != PGAL_OK ||
	    (rc = check_text(r->path, "path", 1, e)) != PGAL_OK ||
	    (rc = check_scope_part(r->service, "service", e)) != PGAL_OK ||
	    (rc = check_scope_part(r->region, "region", e)) != PGAL_OK ||
	    (rc = check_text(r->payload_hash, "payload hash", 0, e)) != PGAL_OK)
		return rc;
	for (i = 0; r->method[i] != '\0'; i++)
		if (!is_tchar((unsigned char)r->method[i]))
			return pgal_fail(e, PGAL_EINPUT, "sigv4: bad method");
	if (creds == NULL || creds->access_key_id[0] == '\0' ||
	    creds->secret_access_key[0] == '\0')
		return pgal_fail(e, PGAL_EBACKEND, "sigv4: no credentials");
	if (strchr(creds->access_key_id, '/') != NULL ||
	    check_text(creds->access_key_id, "key id", 0, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_EINPUT, "sigv4: bad access key id");
	for (i = 0; i < r->nheaders; i++) {
		const char *v = r->headers[i].value;

		if (r->headers[i].name == NULL || v == NULL)
			return pgal_fail(e, PGAL_EUSAGE, "sigv4: header without name or value");
		/* tabs fold like spaces; CR, LF and the rest could split a header */
		for (; *v != '\0'; v++)
			if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
				return pgal_fail(e, PGAL_EINPUT,
				    "sigv4: control character in header value");
	}
	return PGAL_OK;
}

/* Canonical headers and the signed header list (with the extra headers the
 * signer adds); returns -1 on a bad name or out of memory. */
static int
canon_headers(const pgal_aws_kv *h, size_t n, const pgal_aws_kv *extra,
    size_t nextra, pgal_buf *canon, pgal_buf *signed_list)
{
	struct item *it;
	size_t	     i, k = 0;
	int	     rc = -1;

	if ((it = calloc(n + nextra + 1, sizeof *it)) == NULL)
		return -1;
	for (i = 0; i < n + nextra; i++) {
		const pgal_aws_kv *kv = i < n ? &h[i] : &extra[i - n];

		it[k].order = i;
		it[k].name = canon_name(kv->name);
		it[k].value = canon_value(kv->value);
		k++;
		if (it[k - 1].name == NULL || it[k - 1].value == NULL)
			goto out;
	}
	qsort(it, k, sizeof *it, item_cmp);
	for (i = 0; i < k; i++) {
		if (i > 0 && strcmp(it[i].name, it[i - 1].name) == 0) {
			/* a repeated header: its values joined, in order */
			pgal_buf_addc(canon, ',');
			pgal_buf_adds(canon, it[i].value);
			continue;
		}
		if (i > 0) {
			pgal_buf_addc(canon, '\n');
			pgal_buf_addc(signed_list, ';');
		}
		pgal_buf_adds(canon, it[i].name);
		pgal_buf_addc(canon, ':');
		pgal_buf_adds(canon, it[i].value);
		pgal_buf_adds(signed_list, it[i].name);
	}
	if (k > 0)
		pgal_buf_addc(canon, '\n');
	rc = 0;
out:
	items_free(it, k);
	return rc;
}

static void
hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[32])
{
	unsigned int olen = 32;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &olen);
}

/* signature = hex(HMAC(signing key, string to sign)) */
static void
signature(const pgal_aws_creds *creds, const char *date8, const char *region,
    const char *service, const char *sts, char out[65])
{
	unsigned char	 k[32], k2[32];
	char		 secret[PGAL_AWS_SECRET_MAX + 8];
	size_t		 n;

	n = (size_t)snprintf(secret, sizeof secret, "AWS4%s", creds->secret_access_key);
	if (n >= sizeof secret)
		n = sizeof secret - 1;
	hmac_sha256(secret, n, date8, strlen(date8), k);
	hmac_sha256(k, 32, region, strlen(region), k2);
	hmac_sha256(k2, 32, service, strlen(service), k);
	hmac_sha256(k, 32, "aws4_request", 12, k2);
	hmac_sha256(k2, 32, sts, strlen(sts), k);
	pgal_hex(k, 32, out);
	pgal_wipe(secret, sizeof secret);
	pgal_wipe(k, sizeof k);
	pgal_wipe(k2, sizeof k2);
}

static int
amz_date(time_t when, char out[17], char date8[9])
{
	struct tm tm;

	if (gmtime_r(&when, &tm) == NULL ||
	    strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm) != 16)
		return -1;
	memcpy(date8, out, 8);
	date8[8] = '\0';
	return 0;
}

/* The common part: canonical request and string to sign from the headers
 * and query parameters as finally signed. */
static int
build(const pgal_sigv4_request *r, const pgal_aws_kv *xh, size_t nxh,
    const pgal_aws_kv *xq, size_t nxq, const char *date8, pgal_sigv4_result *out,
    char **signed_headers, char **query, pgal_err *e)
{
	pgal_buf    creq = { 0 }, sts = { 0 }, hcanon = { 0 }, hlist = { 0 };
	pgal_buf    qs = { 0 };
	struct item *qit;
	size_t	     nq;
	char	     hash[65];

	if ((qit = canon_query(r->query, r->nquery, xq, nxq, &nq)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "sigv4: out of memory");
	add_query(&qs, qit, nq);
	items_free(qit, nq);
	if (canon_headers(r->headers, r->nheaders, xh, nxh, &hcanon, &hlist) == -1) {
		pgal_buf_free(&qs);
		pgal_buf_free(&hcanon);
		pgal_buf_free(&hlist);
		return pgal_fail(e, PGAL_EINPUT, "sigv4: bad header name");
	}
	pgal_buf_adds(&creq, r->method);
	pgal_buf_addc(&creq, '\n');
	canon_path(&creq, r->path, r->s3);
	pgal_buf_addc(&creq, '\n');
	pgal_buf_add(&creq, qs.p ? qs.p : "", qs.len);
	pgal_buf_addc(&creq, '\n');
	pgal_buf_add(&creq, hcanon.p ? hcanon.p : "", hcanon.len);
	pgal_buf_addc(&creq, '\n');
	pgal_buf_add(&creq, hlist.p ? hlist.p : "", hlist.len);
	pgal_buf_addc(&creq, '\n');
	pgal_buf_adds(&creq, r->payload_hash);
	pgal_buf_free(&hcanon);
	if (creq.failed || hlist.failed || qs.failed)
		goto oom;
	pgal_sha256_hex(creq.p, creq.len, hash);
	pgal_buf_addf(&sts, "%s\n%s\n%s/%s/%s/aws4_request\n%s", ALGORITHM,
	    out->amz_date, date8, r->region, r->service, hash);
	if (sts.failed)
		goto oom;
	out->canonical_request = pgal_buf_take(&creq);
	out->string_to_sign = pgal_buf_take(&sts);
	*signed_headers = pgal_buf_take(&hlist);
	*query = pgal_buf_take(&qs);
	if (out->canonical_request == NULL || out->string_to_sign == NULL ||
	    *signed_headers == NULL || *query == NULL) {
		free(*signed_headers);
		free(*query);
		*signed_headers = *query = NULL;
		return pgal_fail(e, PGAL_EBACKEND, "sigv4: out of memory");
	}
	return PGAL_OK;
oom:
	pgal_buf_free(&creq);
	pgal_buf_free(&sts);
	pgal_buf_free(&hlist);
	pgal_buf_free(&qs);
	return pgal_fail(e, PGAL_EBACKEND, "sigv4: out of memory");
}

/* What both signing modes start with: an empty result (safe to free), a
 * request worth signing and its time. */
static int
begin(const pgal_sigv4_request *r, const pgal_aws_creds *creds,
    pgal_sigv4_result *out, char date8[9], pgal_err *e)
{
	int rc;

	memset(out, 0, sizeof *out);
	if ((rc = check_request(r, creds, e)) != PGAL_OK)
		return rc;
	if (amz_date(r->when, out->amz_date, date8) == -1)
		return pgal_fail(e, PGAL_EINPUT, "sigv4: bad time");
	return PGAL_OK;
}

/* What both end with: the signed text (header or query) into *dst, or the
 * whole result freed. */
static int
finish(pgal_buf *b, char **dst, pgal_sigv4_result *out, pgal_err *e)
{
	if ((*dst = pgal_buf_take(b)) == NULL) {
		pgal_sigv4_result_free(out);
		return pgal_fail(e, PGAL_EBACKEND, "sigv4: out of memory");
	}
	return PGAL_OK;
}

int
pgal_sigv4_sign(const pgal_sigv4_request *r, const pgal_aws_creds *creds,
    pgal_sigv4_result *out, pgal_err *e)
{
	pgal_buf  auth = { 0 };
	char	   date8[9], *hlist = NULL, *query = NULL;
	int	   rc;

	if ((rc = begin(r, creds, out, date8, e)) != PGAL_OK)
		return rc;
	/* what the signer adds, unless the caller gave it already */
	if (!has_header(r->headers, r->nheaders, "x-amz-date"))
		out->add[out->nadd++] = (pgal_aws_kv){ "x-amz-date", out->amz_date };
	if (creds->session_token[0] != '\0' &&
	    !has_header(r->headers, r->nheaders, "x-amz-security-token")) {
		if (check_text(creds->session_token, "session token", 0, NULL) != PGAL_OK)
			return pgal_fail(e, PGAL_EINPUT, "sigv4: bad session token");
		out->add[out->nadd++] = (pgal_aws_kv){ "x-amz-security-token",
		    creds->session_token };
	}
	if (r->content_sha256_header &&
	    !has_header(r->headers, r->nheaders, "x-amz-content-sha256"))
		out->add[out->nadd++] = (pgal_aws_kv){ "x-amz-content-sha256",
		    r->payload_hash };
	if ((rc = build(r, out->add, out->nadd, NULL, 0, date8, out, &hlist,
	    &query, e)) != PGAL_OK)
		goto fail;
	signature(creds, date8, r->region, r->service, out->string_to_sign,
	    out->signature);
	pgal_buf_addf(&auth, "%s Credential=%s/%s/%s/%s/aws4_request, "
	    "SignedHeaders=%s, Signature=%s", ALGORITHM, creds->access_key_id,
	    date8, r->region, r->service, hlist, out->signature);
	free(hlist);
	free(query);
	return finish(&auth, &out->authorization, out, e);
fail:
	pgal_sigv4_result_free(out);
	return rc;
}

int
pgal_sigv4_presign(const pgal_sigv4_request *r, const pgal_aws_creds *creds,
    int expires_secs, pgal_sigv4_result *out, pgal_err *e)
{
	pgal_aws_kv xq[6];
	pgal_buf   cred = { 0 }, hl = { 0 }, qs = { 0 };
	char	    date8[9], expires[16], *hlist = NULL, *query = NULL, *credential;
	size_t	    nxq = 0;
	int	    rc;

	if ((rc = begin(r, creds, out, date8, e)) != PGAL_OK)
		return rc;
	if (expires_secs < 1 || expires_secs > MAX_PRESIGN_SECS)
		return pgal_fail(e, PGAL_EINPUT,
		    "sigv4: a presigned URL lives 1 s to 7 days, not %d s", expires_secs);
	if (creds->session_token[0] != '\0' &&
	    check_text(creds->session_token, "session token", 0, NULL) != PGAL_OK)
		return pgal_fail(e, PGAL_EINPUT, "sigv4: bad session token");
	/* the signed header list goes into the query, so it is known first */
	{
		pgal_buf hc = { 0 };

		if (canon_headers(r->headers, r->nheaders, NULL, 0, &hc, &hl) == -1) {
			pgal_buf_free(&hc);
			pgal_buf_free(&hl);
			return pgal_fail(e, PGAL_EINPUT, "sigv4: bad header name");
		}
		pgal_buf_free(&hc);
	}
	pgal_buf_addf(&cred, "%s/%s/%s/%s/aws4_request", creds->access_key_id,
	    date8, r->region, r->service);
	credential = pgal_buf_take(&cred);
	hlist = pgal_buf_take(&hl);
	if (credential == NULL || hlist == NULL) {
		free(credential);
		free(hlist);
		return pgal_fail(e, PGAL_EBACKEND, "sigv4: out of memory");
	}
	snprintf(expires, sizeof expires, "%d", expires_secs);
	xq[nxq++] = (pgal_aws_kv){ "X-Amz-Algorithm", ALGORITHM };
	xq[nxq++] = (pgal_aws_kv){ "X-Amz-Credential", credential };
	xq[nxq++] = (pgal_aws_kv){ "X-Amz-Date", out->amz_date };
	xq[nxq++] = (pgal_aws_kv){ "X-Amz-Expires", expires };
	xq[nxq++] = (pgal_aws_kv){ "X-Amz-SignedHeaders", hlist };
	if (creds->session_token[0] != '\0')
		xq[nxq++] = (pgal_aws_kv){ "X-Amz-Security-Token", creds->session_token };
	{
		char *signed_list = NULL;

		rc = build(r, NULL, 0, xq, nxq, date8, out, &signed_list, &query, e);
		free(signed_list);
	}
	free(credential);
	free(hlist);
	if (rc != PGAL_OK)
		goto fail;
	signature(creds, date8, r->region, r->service, out->string_to_sign,
	    out->signature);
	pgal_buf_adds(&qs, query);
	pgal_buf_adds(&qs, "&X-Amz-Signature=");
	pgal_buf_adds(&qs, out->signature);
	free(query);
	return finish(&qs, &out->query, out, e);
fail:
	pgal_sigv4_result_free(out);
	return rc;
}

void
pgal_sigv4_result_free(pgal_sigv4_result *out)
{
	free(out->authorization);
	free(out->query);
	free(out->canonical_request);
	free(out->string_to_sign);
	out->authorization = out->query = NULL;
	out->canonical_request = out->string_to_sign = NULL;
}
