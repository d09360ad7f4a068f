/* The shared AWS layer: SigV4 signing, credentials, region and endpoints,
 * and one libcurl HTTP client with retries. S3, DynamoDB and SES are built
 * on it; nothing here knows about blobs, stores or mail.
 *
 * Secrets (secret access key, session token, signing keys) never appear in
 * an error message or a log line made here. */
#ifndef PGAL_AWS_H
#define PGAL_AWS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "err.h"

/* A name and a value: a header or a (decoded) query parameter. */
typedef struct pgal_aws_kv {
	const char *name;
	const char *value;
} pgal_aws_kv;

/* ------------------------------------------------------------------ */
/* Credentials */

#define PGAL_AWS_KEY_ID_MAX 128
#define PGAL_AWS_SECRET_MAX 128
#define PGAL_AWS_TOKEN_MAX 4096

typedef struct pgal_aws_creds {
	char access_key_id[PGAL_AWS_KEY_ID_MAX];
	char secret_access_key[PGAL_AWS_SECRET_MAX];
	char session_token[PGAL_AWS_TOKEN_MAX];	/* "" when none */
	time_t expires;		/* 0: static credentials that never expire */
	char source[48];	/* where they came from, for messages: "config",
				 * "environment", "profile default", "instance role" */
} pgal_aws_creds;

/* Resolves credentials in botocore's order, pgal.conf first:
 *  1. config keys aws_access_key_id / aws_secret_access_key / aws_session_token
 *  2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
 *  3. the profile AWS_PROFILE (or "default") of AWS_CONFIG_FILE (or
 *     ~/.aws/config, sections [profile NAME] and [default]) merged with
 *     AWS_SHARED_CREDENTIALS_FILE (or ~/.aws/credentials, sections [NAME]):
 *     role_arn (STS AssumeRole with source_profile or credential_source,
 *     at AWS_ENDPOINT_URL_STS or sts.<region>), else the credentials file's
 *     keys, credential_process, the config file's keys. An AWS_PROFILE that
 *     exists in neither file is an error.
 *  4. the container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or
 *     _FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE])
 *  5. the EC2 instance role over IMDSv2 (base address overridable by
 *     AWS_EC2_METADATA_SERVICE_ENDPOINT; AWS_EC2_METADATA_DISABLED=true
 *     skips it).
 * No caching: see pgal_aws_client_creds for the cached, refreshed copy. */
int pgal_aws_creds_resolve(const pgal_config *cfg, pgal_aws_creds *out, pgal_err *e);

/* Overwrites the secret fields with zeros. */
void pgal_aws_creds_wipe(pgal_aws_creds *c);

/* ------------------------------------------------------------------ */
/* Region and endpoints */

#define PGAL_AWS_REGION_MAX 64

/* Config aws_region, then AWS_REGION, AWS_DEFAULT_REGION, the region of
 * the profile (as above), IMDSv2's placement region: the AWS CLI's order
 * with pgal's own key first. */
int pgal_aws_region(const pgal_config *cfg, char out[PGAL_AWS_REGION_MAX], pgal_err *e);

typedef struct pgal_aws_endpoint {
	int tls;		/* https */
	char host[256];		/* host or host:port, as sent in Host: (no default port) */
	char connect[256];	/* host:port to connect to */
	char base_path[256];	/* path prefix of an override URL, "" or "/x" (no trailing /) */
	int overridden;		/* came from an AWS_ENDPOINT_URL* variable */
} pgal_aws_endpoint;

/* The endpoint of service "s3", "dynamodb", "ses" or "sts":
 * AWS_ENDPOINT_URL_S3 / _DYNAMODB / _SES (also _SESV2) / _STS, then
 * AWS_ENDPOINT_URL, else https://<s3|dynamodb|email|sts>.<region>.amazonaws.com. */
int pgal_aws_endpoint_resolve(const char *service, const char *region,
    pgal_aws_endpoint *out, pgal_err *e);

/* Parses an http(s) URL with no query or fragment into an endpoint. */
int pgal_aws_endpoint_parse(const char *url, pgal_aws_endpoint *out, pgal_err *e);

/* ------------------------------------------------------------------ */
/* URI encoding (RFC 3986 unreserved characters kept, everything else %XX
 * with upper-case hex), as SigV4 wants it. keep_slash keeps '/' as is. */

/* Returns the encoded length; writes at most size-1 bytes plus NUL and
 * returns (size_t)-1 if it does not fit. */
size_t pgal_aws_uri_encode(char *out, size_t size, const char *s, size_t len, int keep_slash);
/* The same into a malloc'd string (NULL when out of memory). */
char *pgal_aws_uri_encode_dup(const char *s, int keep_slash);
/* The same appended to a buffer. */
void pgal_aws_uri_append(pgal_buf *b, const char *s, size_t len, int keep_slash);
/* An ISO 8601 UTC time as AWS writes them (2026-01-02T03:04:05Z, fractions
 * allowed: credentials' expiry, S3's LastModified) or -1. */
time_t pgal_aws_parse_time(const char *s);

/* ------------------------------------------------------------------ */
/* SigV4 */

#define PGAL_AWS_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

typedef struct pgal_sigv4_request {
	const char *method;	/* "GET", "PUT", ... */
	/* The path as sent on the request line, already percent-encoded, no
	 * query. With s3 set it is the canonical URI as is; otherwise it is
	 * normalized (".", "..", empty segments) and encoded once more, as the
	 * spec asks for every service but S3. */
	const char *path;
	int s3;
	/* Decoded query parameters, in any order, names may repeat; the signer
	 * encodes and sorts them. */
	const pgal_aws_kv *query;
	size_t nquery;
	/* Every header to sign, host included; names in any case, values are
	 * trimmed and inner runs of spaces folded. Repeated names are joined
	 * with ','. x-amz-date and x-amz-security-token are added by the signer
	 * when not given. */
	const pgal_aws_kv *headers;
	size_t nheaders;
	/* 64 lower-case hex digits of SHA-256(body), or UNSIGNED-PAYLOAD */
	const char *payload_hash;
	/* add an x-amz-content-sha256 header with payload_hash (S3 wants it) */
	int content_sha256_header;
	const char *service;	/* signing name: "s3", "dynamodb", "ses" */
	const char *region;
	time_t when;
} pgal_sigv4_request;

#define PGAL_SIGV4_HDR_MAX 4
typedef struct pgal_sigv4_result {
	char signature[65];
	char amz_date[17];		/* YYYYMMDDTHHMMSSZ */
	/* The Authorization header value (header mode only), malloc'd. */
	char *authorization;
	/* Headers the signer added and the caller must send (x-amz-date,
	 * x-amz-security-token, x-amz-content-sha256); values point into
	 * this struct, the creds or the request. */
	pgal_aws_kv add[PGAL_SIGV4_HDR_MAX];
	size_t nadd;
	/* Presign mode: the whole encoded query string (caller's parameters and
	 * the X-Amz-* ones, signature last), malloc'd. */
	char *query;
	/* For tests and debugging; malloc'd. Hold no secret. */
	char *canonical_request;
	char *string_to_sign;
} pgal_sigv4_result;

/* Signs for an Authorization header. */
int pgal_sigv4_sign(const pgal_sigv4_request *r, const pgal_aws_creds *creds,
    pgal_sigv4_result *out, pgal_err *e);

/* Signs into the query string (a presigned URL valid expires_secs seconds,
 * 1 to 604800). headers are the ones to sign (usually just host). */
int pgal_sigv4_presign(const pgal_sigv4_request *r, const pgal_aws_creds *creds,
    int expires_secs, pgal_sigv4_result *out, pgal_err *e);

/* Frees the malloc'd parts of a result. */
void pgal_sigv4_result_free(pgal_sigv4_result *out);

/* The query string made from decoded parameters, encoded and sorted as the
 * canonical request has it (what to send on the wire); malloc'd. */
char *pgal_aws_query_string(const pgal_aws_kv *q, size_t n);

/* ------------------------------------------------------------------ */
/* HTTP client */

typedef struct pgal_aws_client pgal_aws_client;

typedef struct pgal_aws_client_opts {
	long connect_timeout_ms;	/* default 5000 */
	long timeout_ms;		/* whole request; default 300000 */
	long low_speed_secs;		/* abort when under 1 byte/s this long; default 60 */
	int max_attempts;		/* tries in total (1 = no retry); default cfg or 4 */
	long backoff_base_ms;		/* default 100 */
	long backoff_cap_ms;		/* default 5000 */
} pgal_aws_client_opts;

/* The wait before retry number attempt + 1 (attempt 0 is the first
 * retry): full jitter, rnd reduced to [0, min(cap_ms, base_ms * 2^attempt)];
 * 0 when base_ms or cap_ms is not positive. The caller brings the
 * randomness and sleeps (pgal_sleep_ms). */
long pgal_aws_backoff_ms(long base_ms, long cap_ms, int attempt, uint64_t rnd);

/* A client for one service ("s3", "dynamodb", "ses", "sts"): resolves region and
 * endpoint now, credentials on first use (cached, refreshed 5 minutes
 * before they expire). One reused CURL handle: connections are kept.
 * opts may be NULL for the defaults. */
int pgal_aws_client_open(pgal_aws_client **c, const pgal_config *cfg,
    const char *service, const pgal_aws_client_opts *opts, pgal_err *e);
void pgal_aws_client_close(pgal_aws_client *c);

const pgal_aws_endpoint *pgal_aws_client_endpoint(const pgal_aws_client *c);
const char *pgal_aws_client_region(const pgal_aws_client *c);
/* Current credentials (cached; refreshed when near expiry). */
int pgal_aws_client_creds(pgal_aws_client *c, pgal_aws_creds *out, pgal_err *e);

typedef enum pgal_aws_retry {
	PGAL_AWS_RETRY_AUTO = 0,	/* GET, HEAD, PUT, DELETE retry; POST does not */
	PGAL_AWS_RETRY_SAFE,		/* the caller knows a repeat is harmless */
	PGAL_AWS_RETRY_NEVER,
} pgal_aws_retry;

typedef enum pgal_aws_errfmt {
	PGAL_AWS_ERR_XML = 0,	/* S3: <Error><Code>..<Message>..<RequestId> */
	PGAL_AWS_ERR_JSON,	/* DynamoDB, SES: {"__type"|"code", "message"} */
} pgal_aws_errfmt;

typedef struct pgal_aws_request {
	const char *op;		/* for messages: "PutObject", "SendEmail" */
	const char *method;
	/* Percent-encoded path below the endpoint's base path, starting with
	 * '/'; for S3 virtual-hosted style host_prefix is "<bucket>." */
	const char *path;
	const char *host_prefix;
	const pgal_aws_kv *query;	/* decoded */
	size_t nquery;
	/* Extra headers, all signed (content-type, x-amz-target, ...). */
	const pgal_aws_kv *headers;
	size_t nheaders;
	/* Body: from memory, or body_len bytes of body_fd read with pread
	 * from body_fd_off (so a retry can read it again). body_fd < 0 and
	 * body == NULL: no body. Set body_fd to -1 when using memory. */
	const void *body;
	size_t body_len;
	int body_fd;
	int64_t body_fd_off;
	int64_t body_fd_len;
	/* NULL: computed from the body; or a known hash / UNSIGNED-PAYLOAD */
	const char *payload_hash;
	pgal_aws_retry retry;
	pgal_aws_errfmt errfmt;
	/* Response body of a 2xx: written to resp_fd when >= 0 (a retry after
	 * bytes went out truncates it back if it is seekable, else gives up),
	 * else kept in memory up to resp_max bytes (0: 16 MiB); bigger is an
	 * error (PGAL_EINPUT). Set resp_fd to -1 for memory. With resp_fd,
	 * resp_max > 0 bounds the file the same way (0: no bound). */
	int resp_fd;
	size_t resp_max;
} pgal_aws_request;

/* Initializes a request with body_fd and resp_fd at -1. */
void pgal_aws_request_init(pgal_aws_request *r, const char *op, const char *method,
    const char *path);

typedef struct pgal_aws_response {
	long status;		/* last HTTP status, 0 when none was received */
	char *body;		/* memory mode or error body, NUL-terminated, malloc'd */
	size_t body_len;
	char request_id[128];
	char error_code[128];	/* parsed from an error body ("NoSuchKey"), or "" */
	char etag[256];
	char content_type[128];
	int64_t content_length;	/* -1 when not given */
	int attempts;		/* how many tries were made */
} pgal_aws_response;

/* Sends r, signed, with retries as r->retry allows: 5xx, 429, throttling
 * codes and network errors, capped exponential backoff with full jitter.
 * A non-2xx final answer fails with one message "S3 PutObject: NoSuchBucket:
 * <message> (HTTP 404, request id ...)" and code PGAL_ENOTFOUND for 404,
 * PGAL_EBACKEND otherwise (401/403 included: AWS refusing the host's
 * credentials is the backend failing, not the user being refused); resp is filled either
 * way (resp->status tells callers e.g. that a 404 on delete is fine).
 * resp may be NULL. */
int pgal_aws_do(pgal_aws_client *c, const pgal_aws_request *r,
    pgal_aws_response *resp, pgal_err *e);
void pgal_aws_response_free(pgal_aws_response *resp);

/* A JSON call of the AWS JSON 1.0 protocol (DynamoDB): POST / with
 * X-Amz-Target: <target> and Content-Type application/x-amz-json-1.0.
 * resp->body holds the answer. retry_safe: a repeat is harmless (reads,
 * conditional or idempotent writes); throttling and 5xx are then retried. */
int pgal_aws_json_call(pgal_aws_client *c, const char *target, const char *json,
    size_t len, int retry_safe, pgal_aws_response *resp, pgal_err *e);

/* ------------------------------------------------------------------ */
/* Error bodies (used by pgal_aws_do, exposed for tests) */

/* Fills code, message and request id from an S3 XML or JSON error body;
 * missing parts are "". Bounded, never fails. */
void pgal_aws_parse_error(pgal_aws_errfmt fmt, const char *body, size_t len,
    char *code, size_t codesz, char *msg, size_t msgsz, char *reqid, size_t reqidsz);

/* Finds the next <tag>...</tag> (or <tag/>) in xml at or after *pos; sets
 * inner to its raw content and *pos past it. Returns 1 found, 0 not. */
int pgal_aws_xml_find(const char *xml, size_t len, const char *tag, size_t *pos,
    const char **inner, size_t *innerlen);
/* The text of the first <tag> in xml, entities decoded: 1 found, 0 not
 * found, -1 longer than outsz - 1 or malformed. */
int pgal_aws_xml_text(const char *xml, size_t len, const char *tag, char *out,
    size_t outsz);

#endif
