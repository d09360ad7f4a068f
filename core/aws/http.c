/* The HTTP client of the AWS layer: one reused CURL handle per client (kept
 * connections), signing on every attempt, retries with capped exponential
 * backoff and full jitter where a repeat is safe, bodies from memory or a
 * file descriptor, answers into memory (capped) or a file descriptor. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "clock.h"
#include "crypto.h"
#include "hex.h"

#define DEFAULT_RESP_MAX (16u * 1024 * 1024)
#define ERROR_BODY_MAX (64u * 1024)
/* credentials are renewed this long before they expire */
#define CREDS_MARGIN 300

struct pgal_aws_client {
	CURL			*curl;
	char			 service[16];
	char			 label[16];	/* "S3", "DynamoDB", "SES" */
	char			 region[PGAL_AWS_REGION_MAX];
	pgal_aws_endpoint	 ep;
	pgal_config		*cfg;		/* for the credential chain */
	pgal_aws_creds		 creds;
	int			 have_creds;
	int			 fixed_creds;	/* given at open, never resolved */
	pgal_aws_client_opts	 opts;
	uint64_t		 rng;		/* jitter only; not for secrets */
};

static int
curl_ready(void)
{
	static int done;

	if (!done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return -1;
		done = 1;
	}
	return 0;
}

/* region NULL: resolved from the config and the environment */
static int
client_open(pgal_aws_client **cp, const pgal_config *cfg, const char *service,
    const char *region, const pgal_aws_client_opts *opts, pgal_err *e)
{
	static const struct {
		const char *service, *label;
	} labels[] = {
		{ "s3", "S3" }, { "dynamodb", "DynamoDB" }, { "ses", "SES" },
		{ "sts", "STS" },
	};
	pgal_aws_client *c;
	size_t		 i;
	int		 rc;

	*cp = NULL;
	if (curl_ready() == -1)
		return pgal_fail(e, PGAL_EBACKEND, "libcurl failed to start");
	if ((c = calloc(1, sizeof *c)) == NULL ||
	    (c->cfg = calloc(1, sizeof *c->cfg)) == NULL) {
		free(c);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if (cfg != NULL)
		*c->cfg = *cfg;
	else
		pgal_config_defaults(c->cfg);
	snprintf(c->service, sizeof c->service, "%s", service);
	snprintf(c->label, sizeof c->label, "%s", service);
	for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
		if (strcmp(labels[i].service, service) == 0)
			snprintf(c->label, sizeof c->label, "%s", labels[i].label);
	if (region != NULL)
		snprintf(c->region, sizeof c->region, "%s", region);
	if ((region == NULL &&
	    (rc = pgal_aws_region(c->cfg, c->region, e)) != PGAL_OK) ||
	    (rc = pgal_aws_endpoint_resolve(service, c->region, &c->ep, e)) != PGAL_OK)
		goto fail;
	if (opts != NULL)
		c->opts = *opts;
	if (c->opts.connect_timeout_ms <= 0)
		c->opts.connect_timeout_ms = 5000;
	if (c->opts.timeout_ms <= 0)
		c->opts.timeout_ms = 600000;
	if (c->opts.low_speed_secs <= 0)
		c->opts.low_speed_secs = 60;
	if (c->opts.max_attempts <= 0)
		c->opts.max_attempts = 4;
	if (c->opts.backoff_base_ms <= 0)
		c->opts.backoff_base_ms = 100;
	if (c->opts.backoff_cap_ms <= 0)
		c->opts.backoff_cap_ms = 5000;
	if (pgal_random_bytes(&c->rng, sizeof c->rng, NULL) != PGAL_OK)
		c->rng = (uint64_t)time(NULL) ^ (uint64_t)getpid();
	if ((c->curl = curl_easy_init()) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "libcurl: out of memory");
		goto fail;
	}
	*cp = c;
	return PGAL_OK;
fail:
	pgal_aws_client_close(c);
	return rc;
}

int
pgal_aws_client_open(pgal_aws_client **cp, const pgal_config *cfg,
    const char *service, const pgal_aws_client_opts *opts, pgal_err *e)
{
	return client_open(cp, cfg, service, NULL, opts, e);
}

int
pgal_aws_client_open_fixed(pgal_aws_client **cp, const char *service,
    const char *region, const pgal_aws_creds *creds, pgal_err *e)
{
	int rc;

	if ((rc = client_open(cp, NULL, service, region, NULL, e)) != PGAL_OK)
		return rc;
	(*cp)->creds = *creds;
	(*cp)->have_creds = (*cp)->fixed_creds = 1;
	return PGAL_OK;
}

void
pgal_aws_client_close(pgal_aws_client *c)
{
	if (c == NULL)
		return;
	if (c->curl != NULL)
		curl_easy_cleanup(c->curl);
	pgal_aws_creds_wipe(&c->creds);
	if (c->cfg != NULL) {
		pgal_wipe(c->cfg->aws_secret_access_key, sizeof c->cfg->aws_secret_access_key);
		pgal_wipe(c->cfg->aws_session_token, sizeof c->cfg->aws_session_token);
		pgal_wipe(c->cfg->smtp_password, sizeof c->cfg->smtp_password);
		free(c->cfg);
	}
	free(c);
}

const pgal_aws_endpoint *
pgal_aws_client_endpoint(const pgal_aws_client *c)
{
	return &c->ep;
}

const char *
pgal_aws_client_region(const pgal_aws_client *c)
{
	return c->region;
}

int
pgal_aws_client_creds(pgal_aws_client *c, pgal_aws_creds *out, pgal_err *e)
{
	int rc;

	if (!c->have_creds || (!c->fixed_creds && c->creds.expires != 0 &&
	    time(NULL) >= c->creds.expires - CREDS_MARGIN)) {
		pgal_aws_creds fresh;

		/* whatever is wrong with the host's credentials (a profile, a
		 * helper, an endpoint) is the backend failing, never the
		 * user's input */
		if ((rc = pgal_aws_creds_resolve(c->cfg, &fresh, e)) != PGAL_OK) {
			if (e != NULL)
				e->code = PGAL_EBACKEND;
			return PGAL_EBACKEND;
		}
		pgal_aws_creds_wipe(&c->creds);
		c->creds = fresh;
		pgal_aws_creds_wipe(&fresh);
		c->have_creds = 1;
	}
	if (out != NULL)
		*out = c->creds;
	return PGAL_OK;
}

void
pgal_aws_request_init(pgal_aws_request *r, const char *op, const char *method,
    const char *path)
{
	memset(r, 0, sizeof *r);
	r->op = op;
	r->method = method;
	r->path = path;
	r->body_fd = -1;
	r->resp_fd = -1;
}

void
pgal_aws_response_free(pgal_aws_response *resp)
{
	if (resp == NULL)
		return;
	free(resp->body);
	resp->body = NULL;
	resp->body_len = 0;
}

/* State of one attempt, shared with the curl callbacks. */
struct xfer {
	const pgal_aws_request	*r;
	pgal_aws_client		*c;
	/* request body */
	int64_t			 sent;
	int			 read_err;
	/* response */
	pgal_buf		 body;		/* in memory: an error, or memory mode */
	size_t			 max;
	int			 too_big;	/* a 2xx body over the cap */
	int			 write_err;	/* errno of a failed write to resp_fd */
	int64_t			 written;	/* bytes written to resp_fd */
	char			 request_id[128];
	char			 etag[256];
	char			 content_type[128];
	char			 error_type[128];
	int64_t			 content_length;
};

static size_t
read_body(char *buf, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	const pgal_aws_request *r = x->r;
	size_t want = size * n;
	int64_t total = r->body_fd >= 0 ? r->body_fd_len : (int64_t)r->body_len;
	ssize_t got;

	if ((int64_t)want > total - x->sent)
		want = (size_t)(total - x->sent);
	if (want == 0)
		return 0;
	if (r->body_fd < 0) {
		memcpy(buf, (const char *)r->body + x->sent, want);
		x->sent += (int64_t)want;
		return want;
	}
	do
		got = pread(r->body_fd, buf, want, (off_t)(r->body_fd_off + x->sent));
	while (got == -1 && errno == EINTR);
	if (got <= 0) {
		/* the file shrank or failed under us: never send a short body */
		x->read_err = got == 0 ? EIO : errno;
		return CURL_READFUNC_ABORT;
	}
	x->sent += got;
	return (size_t)got;
}

/* libcurl rewinds the body itself when a reused connection turns out to be
 * dead mid-request; without this it fails with "rewind wasn't possible". */
static int
seek_body(void *arg, curl_off_t offset, int origin)
{
	struct xfer *x = arg;
	const pgal_aws_request *r = x->r;
	int64_t total = r->body_fd >= 0 ? r->body_fd_len : (int64_t)r->body_len;

	if (origin != SEEK_SET || offset < 0 || offset > total)
		return CURL_SEEKFUNC_CANTSEEK;
	x->sent = offset;
	return CURL_SEEKFUNC_OK;
}

static int
status_2xx(struct xfer *x)
{
	long st = 0;

	curl_easy_getinfo(x->c->curl, CURLINFO_RESPONSE_CODE, &st);
	return st >= 200 && st < 300;
}

static size_t
write_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, off;
	int ok = status_2xx(x);

	if (ok && x->r->resp_fd >= 0) {
		/* a bound on a file answer too, when the caller sets one */
		if (x->r->resp_max > 0 && (uint64_t)x->written + len > x->r->resp_max) {
			x->too_big = 1;
			return 0;
		}
		for (off = 0; off < len; ) {
			ssize_t w = write(x->r->resp_fd, p + off, len - off);

			if (w == -1 && errno == EINTR)
				continue;
			if (w <= 0) {
				x->write_err = w == 0 ? EIO : errno;
				return 0;
			}
			off += (size_t)w;
			x->written += w;
		}
		return len;
	}
	if (!ok && x->body.len + len > ERROR_BODY_MAX) {
		/* keep the head of an error body; the rest says nothing more */
		len = x->body.len < ERROR_BODY_MAX ? ERROR_BODY_MAX - x->body.len : 0;
		if (len == 0)
			return size * n;
	}
	if (ok && len > x->max - x->body.len) {
		x->too_big = 1;
		return 0;
	}
	pgal_buf_add(&x->body, p, len);
	if (x->body.failed) {
		x->write_err = ENOMEM;
		return 0;
	}
	return size * n;
}

/* Copies a header's value if line is "<name>: value". */
static void
header_value(const char *line, size_t len, const char *name, char *out, size_t outsz)
{
	size_t nl = strlen(name);

	if (len <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return;
	line += nl + 1;
	len -= nl + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == '\n' ||
	    line[len - 1] == ' '))
		len--;
	pgal_aws_printable(out, outsz, line, len);
}

static size_t
read_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	char cl[32] = "";

	/* a new status line (after 100 Continue) starts over */
	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		x->request_id[0] = x->etag[0] = x->content_type[0] = '\0';
		x->error_type[0] = '\0';
		x->content_length = -1;
		return len;
	}
	header_value(p, len, "x-amz-request-id", x->request_id, sizeof x->request_id);
	header_value(p, len, "x-amzn-requestid", x->request_id, sizeof x->request_id);
	header_value(p, len, "etag", x->etag, sizeof x->etag);
	header_value(p, len, "content-type", x->content_type, sizeof x->content_type);
	header_value(p, len, "x-amzn-errortype", x->error_type, sizeof x->error_type);
	header_value(p, len, "content-length", cl, sizeof cl);
	if (cl[0] != '\0')
		x->content_length = strtoll(cl, NULL, 10);
	return len;
}

/* SHA-256 of len bytes of fd from off, by pread. */
static int
hash_fd(int fd, int64_t off, int64_t len, char out[65], pgal_err *e)
{
	static const size_t bufsz = 256 * 1024;
	EVP_MD_CTX	*ctx;
	unsigned char	 md[32];
	unsigned int	 mdlen = 32;
	char		*buf;
	int64_t		 done = 0;
	int		 rc = PGAL_OK;

	if ((buf = malloc(bufsz)) == NULL || (ctx = EVP_MD_CTX_new()) == NULL) {
		free(buf);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while (done < len) {
		size_t want = (size_t)(len - done < (int64_t)bufsz ? len - done : (int64_t)bufsz);
		ssize_t got = pread(fd, buf, want, (off_t)(off + done));

		if (got == -1 && errno == EINTR)
			continue;
		if (got <= 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "reading the upload: %s",
			    got == 0 ? "file shrank" : strerror(errno));
			break;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)got);
		done += got;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	free(buf);
	if (rc == PGAL_OK)
		pgal_hex(md, 32, out);
	return rc;
}

static int
retry_allowed(const pgal_aws_request *r)
{
	switch (r->retry) {
	case PGAL_AWS_RETRY_SAFE:
		return 1;
	case PGAL_AWS_RETRY_NEVER:
		return 0;
	case PGAL_AWS_RETRY_AUTO:
		break;
	}
	return strcmp(r->method, "GET") == 0 || strcmp(r->method, "HEAD") == 0 ||
	    strcmp(r->method, "PUT") == 0 || strcmp(r->method, "DELETE") == 0;
}

static int
throttling_code(const char *code)
{
	static const char *const codes[] = {
		"Throttling", "ThrottlingException", "ThrottledException",
		"RequestThrottledException", "TooManyRequestsException",
		"ProvisionedThroughputExceededException", "RequestLimitExceeded",
		"BandwidthLimitExceeded", "SlowDown", "RequestThrottled",
		"RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete",
		"TransactionInProgressException", "InternalError", "ServiceUnavailable",
	};
	size_t i;

	for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (strcmp(code, codes[i]) == 0)
			return 1;
	return 0;
}

static int
network_retryable(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return 1;
	default:
		return 0;
	}
}

/* Waits before a retry; the client's xorshift64 supplies the jitter. */
static void
backoff(pgal_aws_client *c, int attempt)
{
	c->rng ^= c->rng << 13;
	c->rng ^= c->rng >> 7;
	c->rng ^= c->rng << 17;
	pgal_sleep_ms(pgal_aws_backoff_ms(c->opts.backoff_base_ms,
	    c->opts.backoff_cap_ms, attempt, c->rng));
}

/* Back to where a streamed answer started, so a retry writes it afresh. */
static int
rewind_resp(const pgal_aws_request *r, off_t start, int64_t written)
{
	if (written == 0)
		return 0;
	if (start == (off_t)-1)
		return -1;
	if (ftruncate(r->resp_fd, start) == -1 ||
	    lseek(r->resp_fd, start, SEEK_SET) == (off_t)-1)
		return -1;
	return 0;
}

/* A name for an error answer without a body (HEAD), as the SDKs say it. */
static const char *
status_name(long status)
{
	static const struct {
		long status;
		const char *name;
	} names[] = {
		{ 400, "BadRequest" }, { 401, "Unauthorized" }, { 403, "Forbidden" },
		{ 404, "NotFound" }, { 405, "MethodNotAllowed" }, { 409, "Conflict" },
		{ 412, "PreconditionFailed" }, { 416, "InvalidRange" },
		{ 429, "TooManyRequests" }, { 500, "InternalError" },
		{ 502, "BadGateway" }, { 503, "ServiceUnavailable" },
		{ 504, "GatewayTimeout" },
	};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].status == status)
			return names[i].name;
	return "HTTPError";
}

static int
has_content_type(const pgal_aws_request *r)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, "content-type") == 0)
			return 1;
	return 0;
}

static int
check_path(const char *s, const char *what, pgal_err *e)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f || *s == '#' || *s == '?')
			return pgal_fail(e, PGAL_EINPUT, "%s: bad character", what);
	return PGAL_OK;
}

int
pgal_aws_do(pgal_aws_client *c, const pgal_aws_request *r,
    pgal_aws_response *resp, pgal_err *e)
{
	pgal_aws_response   local;
	pgal_sigv4_request  sr;
	pgal_sigv4_result   res;
	pgal_aws_creds	    creds;
	struct xfer	    x;
	pgal_aws_kv	   *hdrs = NULL;
	pgal_buf	    path = { 0 }, url = { 0 }, host = { 0 };
	char		   *query = NULL, hash[65], errbuf[CURL_ERROR_SIZE];
	char		    code[128], msg[256], reqid[128], why[320];
	int64_t		    body_len;
	off_t		    resp_start = (off_t)-1;
	long		    status = 0;
	CURLcode	    cc = CURLE_OK;
	int		    attempt, rc = PGAL_OK, may_retry, retryable;
	size_t		    i, nh;

	if (resp == NULL)
		resp = &local;
	memset(resp, 0, sizeof *resp);
	resp->content_length = -1;
	memset(&x, 0, sizeof x);
	memset(&creds, 0, sizeof creds);
	why[0] = '\0';
	if (r->method == NULL || r->path == NULL || r->path[0] != '/')
		return pgal_fail(e, PGAL_EUSAGE, "%s %s: bad request", c->label,
		    r->op ? r->op : "?");
	if ((rc = check_path(r->path, "path", e)) != PGAL_OK ||
	    (r->host_prefix != NULL &&
	    (rc = check_path(r->host_prefix, "host", e)) != PGAL_OK))
		return rc;
	body_len = r->body_fd >= 0 ? r->body_fd_len : (int64_t)r->body_len;
	if (body_len < 0)
		return pgal_fail(e, PGAL_EUSAGE, "%s %s: bad body length", c->label, r->op);
	/* the payload hash, computed once for every attempt */
	if (r->payload_hash != NULL)
		snprintf(hash, sizeof hash, "%s", r->payload_hash);
	else if (r->body_fd >= 0) {
		if ((rc = hash_fd(r->body_fd, r->body_fd_off, r->body_fd_len, hash, e)) != PGAL_OK)
			return rc;
	} else
		pgal_sha256_hex(r->body ? r->body : "", r->body_len, hash);
	if (r->resp_fd >= 0) {
		struct stat st;

		/* only a regular file can be rewound for a retry */
		if (fstat(r->resp_fd, &st) == 0 && S_ISREG(st.st_mode))
			resp_start = lseek(r->resp_fd, 0, SEEK_CUR);
	}
	pgal_buf_adds(&path, c->ep.base_path);
	pgal_buf_adds(&path, r->path);
	pgal_buf_adds(&host, r->host_prefix ? r->host_prefix : "");
	pgal_buf_adds(&host, c->ep.host);
	if ((query = pgal_aws_query_string(r->query, r->nquery)) == NULL ||
	    path.failed || host.failed) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	pgal_buf_addf(&url, "%s://%s%s%s%s", c->ep.tls ? "https" : "http",
	    host.p, path.p, query[0] ? "?" : "", query);
	if (url.failed || (hdrs = calloc(r->nheaders + 1, sizeof *hdrs)) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	hdrs[0] = (pgal_aws_kv){ "host", host.p };
	for (i = 0; i < r->nheaders; i++)
		hdrs[i + 1] = r->headers[i];
	nh = r->nheaders + 1;
	may_retry = retry_allowed(r);

	for (attempt = 0; attempt < c->opts.max_attempts; attempt++) {
		struct curl_slist *hl = NULL;
		pgal_buf line = { 0 };

		if (attempt > 0)
			backoff(c, attempt - 1);
		pgal_buf_free(&x.body);
		memset(&x, 0, sizeof x);
		x.r = r;
		x.c = c;
		x.content_length = -1;
		x.max = r->resp_max ? r->resp_max : DEFAULT_RESP_MAX;
		if ((rc = pgal_aws_client_creds(c, &creds, e)) != PGAL_OK)
			goto out;
		memset(&sr, 0, sizeof sr);
		sr.method = r->method;
		sr.path = path.p;
		sr.s3 = strcmp(c->service, "s3") == 0;
		sr.query = r->query;
		sr.nquery = r->nquery;
		sr.headers = hdrs;
		sr.nheaders = nh;
		sr.payload_hash = hash;
		sr.content_sha256_header = sr.s3;
		sr.service = c->service;
		sr.region = c->region;
		sr.when = time(NULL);
		if ((rc = pgal_sigv4_sign(&sr, &creds, &res, e)) != PGAL_OK)
			goto out;
		for (i = 0; i < nh + res.nadd + 1; i++) {
			const pgal_aws_kv *kv = i < nh ? &hdrs[i] : i < nh + res.nadd ?
			    &res.add[i - nh] : NULL;

			pgal_buf_clear(&line);
			if (kv != NULL)
				pgal_buf_addf(&line, "%s: %s", kv->name, kv->value);
			else
				pgal_buf_addf(&line, "Authorization: %s", res.authorization);
			if (line.failed || (hl = curl_slist_append(hl, line.p)) == NULL)
				break;
		}
		pgal_sigv4_result_free(&res);
		/* no 100-continue round trip; no implicit Content-Type */
		if (hl != NULL)
			hl = curl_slist_append(hl, "Expect:");
		if (hl != NULL && !has_content_type(r))
			hl = curl_slist_append(hl, "Content-Type:");
		if (line.p != NULL)
			pgal_wipe(line.p, line.cap);
		pgal_buf_free(&line);
		if (hl == NULL || i < nh + res.nadd + 1) {
			curl_slist_free_all(hl);
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			goto out;
		}

		curl_easy_reset(c->curl);
		errbuf[0] = '\0';
		curl_easy_setopt(c->curl, CURLOPT_URL, url.p);
		curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c->curl, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, c->opts.connect_timeout_ms);
		curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, c->opts.timeout_ms);
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(c->curl, CURLOPT_LOW_SPEED_TIME, c->opts.low_speed_secs);
		curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, hl);
		curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, write_body);
		curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, &x);
		curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, read_header);
		curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, &x);
		if (strcmp(r->method, "HEAD") == 0)
			curl_easy_setopt(c->curl, CURLOPT_NOBODY, 1L);
		else if (body_len > 0 || strcmp(r->method, "PUT") == 0 ||
		    strcmp(r->method, "POST") == 0) {
			curl_easy_setopt(c->curl, CURLOPT_UPLOAD, 1L);
			/* the size is known: Content-Length, never chunked */
			curl_easy_setopt(c->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)body_len);
			/* CURLOPT_UPLOAD_BUFFERSIZE stays libcurl's 64 KiB (curl's
			 * own): against s3rver 16 KiB to 1 MiB measured alike or,
			 * from 256 KiB up, slower */
			curl_easy_setopt(c->curl, CURLOPT_READFUNCTION, read_body);
			curl_easy_setopt(c->curl, CURLOPT_READDATA, &x);
			curl_easy_setopt(c->curl, CURLOPT_SEEKFUNCTION, seek_body);
			curl_easy_setopt(c->curl, CURLOPT_SEEKDATA, &x);
			if (strcmp(r->method, "PUT") != 0)
				curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, r->method);
		} else if (strcmp(r->method, "GET") != 0)
			curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, r->method);
		cc = curl_easy_perform(c->curl);
		curl_slist_free_all(hl);
		status = 0;
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
		resp->attempts = attempt + 1;

		if (x.too_big) {
			rc = pgal_fail(e, PGAL_EINPUT, "%s %s: answer larger than %zu bytes",
			    c->label, r->op, x.max);
			goto out;
		}
		if (x.read_err != 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s %s: reading the upload: %s",
			    c->label, r->op, strerror(x.read_err));
			goto out;
		}
		if (x.write_err != 0) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s %s: writing the answer: %s",
			    c->label, r->op, strerror(x.write_err));
			goto out;
		}
		if (cc != CURLE_OK) {
			snprintf(why, sizeof why, "%s", errbuf[0] ? errbuf :
			    curl_easy_strerror(cc));
			retryable = network_retryable(cc);
			status = 0;
		} else if (status >= 200 && status < 300) {
			rc = PGAL_OK;
			break;
		} else {
			pgal_aws_parse_error(r->errfmt, x.body.p, x.body.len, code, sizeof code,
			    msg, sizeof msg, reqid, sizeof reqid);
			retryable = status >= 500 || status == 429 ||
			    throttling_code(x.error_type[0] ? x.error_type : code);
		}
		if (!retryable || !may_retry || attempt + 1 >= c->opts.max_attempts)
			break;
		if (r->resp_fd >= 0 && rewind_resp(r, resp_start, x.written) == -1) {
			snprintf(why + strlen(why), sizeof why - strlen(why),
			    "; cannot rewind the output for a retry");
			break;
		}
	}

	resp->status = status;
	snprintf(resp->request_id, sizeof resp->request_id, "%s", x.request_id);
	snprintf(resp->etag, sizeof resp->etag, "%s", x.etag);
	snprintf(resp->content_type, sizeof resp->content_type, "%s", x.content_type);
	resp->content_length = x.content_length;
	/* handed over as it is: NULL when nothing came */
	resp->body = x.body.p;
	resp->body_len = x.body.len;
	x.body = (pgal_buf){ 0 };
	if (status >= 200 && status < 300 && cc == CURLE_OK) {
		rc = PGAL_OK;
		goto out;
	}
	if (status == 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "%s %s: %s://%s %s: %s%s",
		    c->label, r->op, c->ep.tls ? "https" : "http", c->ep.connect,
		    cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
		    cc == CURLE_OPERATION_TIMEDOUT ? "unreachable" : "connection lost", why,
		    resp->attempts > 1 ? " (gave up after retries)" : "");
		goto out;
	}
	pgal_aws_parse_error(r->errfmt, resp->body, resp->body_len, code,
	    sizeof code, msg, sizeof msg, reqid, sizeof reqid);
	if (x.error_type[0] != '\0') {
		char *colon;

		snprintf(code, sizeof code, "%s", x.error_type);
		if ((colon = strchr(code, ':')) != NULL)
			*colon = '\0';
	}
	if (code[0] == '\0')
		snprintf(code, sizeof code, "%s", status_name(status));
	snprintf(resp->error_code, sizeof resp->error_code, "%s", code);
	if (resp->request_id[0] == '\0')
		snprintf(resp->request_id, sizeof resp->request_id, "%s", reqid);
	/* a 401/403 refuses the host's credentials, not the user: a backend
	 * failure (PGAL_EDENIED would read as "not logged in") */
	rc = pgal_fail(e, status == 404 ? PGAL_ENOTFOUND : PGAL_EBACKEND,
	    "%s %s: %s%s%s (HTTP %ld%s%s%s)", c->label, r->op, code,
	    msg[0] ? ": " : "", msg, status,
	    resp->request_id[0] ? ", request id " : "", resp->request_id,
	    resp->attempts > 1 ? ", gave up after retries" : "");
out:
	pgal_aws_creds_wipe(&creds);
	pgal_buf_free(&x.body);
	free(hdrs);
	free(query);
	pgal_buf_free(&path);
	pgal_buf_free(&url);
	pgal_buf_free(&host);
	if (resp == &local)
		pgal_aws_response_free(&local);
	return rc;
}

int
pgal_aws_json_call(pgal_aws_client *c, const char *target, const char *json,
    size_t len, int retry_safe, pgal_aws_response *resp, pgal_err *e)
{
	pgal_aws_request r;
	pgal_aws_kv	 h[2];
	const char	*op = strchr(target, '.');

	h[0] = (pgal_aws_kv){ "Content-Type", "application/x-amz-json-1.0" };
	h[1] = (pgal_aws_kv){ "X-Amz-Target", target };
	pgal_aws_request_init(&r, op ? op + 1 : target, "POST", "/");
	r.headers = h;
	r.nheaders = 2;
	r.body = json;
	r.body_len = len;
	r.retry = retry_safe ? PGAL_AWS_RETRY_SAFE : PGAL_AWS_RETRY_NEVER;
	r.errfmt = PGAL_AWS_ERR_JSON;
	return pgal_aws_do(c, &r, resp, e);
}
