/* Blobs in an S3 bucket: "<s3_prefix><kind>/<xx>/<id>". Keys are checked
 * against the one shape pgal_blob_key makes. Uploads stream: one PUT up to
 * PGAL_S3_SINGLE_MAX, else a multipart upload holding one part in memory at
 * a time and aborted on failure, so a key is either absent or complete. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "blobs/blobs.h"
#include "hex.h"
#include "image/image.h"
#include "records.h"

#define MAX_PARTS 10000

struct s3_blobs {
	pgal_blobs	 base;
	pgal_aws_client	*c;
	char		 bucket[64];
	char		 prefix[256];
	int		 path_style;
	int		 list_page;	/* max-keys of a ListObjectsV2 page */
	int64_t		 single_file_max; /* regular files up to this: one PUT */
	char		 said[200];	/* what pgal init did to the lifecycle */
};

/* A prefix is a plain path of safe characters, no "." or ".." segments. */
static int
prefix_ok(const char *s)
{
	const char *seg;
	size_t n;

	if (*s == '\0')
		return 1;
	if (*s == '/' || strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-/") != strlen(s) || strstr(s, "//") != NULL)
		return 0;
	for (seg = s; *seg != '\0'; seg += n + (seg[n] == '/')) {
		n = strcspn(seg, "/");
		if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return 0;
	}
	return 1;
}

/* The request path of an object key (NULL key: the bucket itself). */
static char *
object_path(struct s3_blobs *b, const char *key)
{
	pgal_s3_bucket bk = { b->c, b->bucket, b->path_style };

	return pgal_s3_request_path(&bk, b->prefix, key);
}

static void
init_req(struct s3_blobs *b, pgal_aws_request *r, const char *op,
    const char *method, const char *path, char *host_prefix)
{
	pgal_s3_bucket bk = { b->c, b->bucket, b->path_style };

	pgal_s3_request_init(&bk, r, op, method, path, host_prefix);
}

static void s3_close(pgal_blobs *base);

static int
s3_open(pgal_blobs **bp, const pgal_config *cfg, pgal_err *e)
{
	struct s3_blobs	 *b;
	pgal_aws_request  r;
	char		  hp[80], *path;
	const char	 *lp;
	int		  rc;

	*bp = NULL;
	if (cfg->s3_bucket[0] == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "blobs = s3 needs s3_bucket");
	if (!pgal_s3_bucket_ok(cfg->s3_bucket))
		return pgal_fail(e, PGAL_EINPUT, "s3_bucket: not a bucket name");
	if (!prefix_ok(cfg->s3_prefix))
		return pgal_fail(e, PGAL_EINPUT, "s3_prefix: use letters, digits, "
		    "'.', '_', '-' and '/' only, no '.' or '..' segments");
	if ((b = calloc(1, sizeof *b)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	b->base.ops = &pgal_blobs_s3;
	snprintf(b->bucket, sizeof b->bucket, "%s", cfg->s3_bucket);
	snprintf(b->prefix, sizeof b->prefix, "%s", cfg->s3_prefix);
	b->path_style = cfg->s3_path_style;
	b->single_file_max = cfg->s3_multipart_threshold > 0 ?
	    cfg->s3_multipart_threshold : PGAL_S3_SINGLE_MAX;
	/* a test knob: small pages prove pagination without 1000s of objects */
	lp = getenv("PGAL_S3_LIST_PAGE");
	b->list_page = lp != NULL && atoi(lp) > 0 && atoi(lp) <= 1000 ? atoi(lp) : 1000;
	if ((rc = pgal_aws_client_open(&b->c, cfg, "s3", NULL, e)) != PGAL_OK) {
		free(b);
		return rc;
	}
	/* say now, clearly, when the bucket cannot be reached */
	if ((path = object_path(b, NULL)) == NULL) {
		s3_close(&b->base);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	init_req(b, &r, "HeadBucket", "HEAD", path, hp);
	rc = pgal_aws_do(b->c, &r, NULL, e);
	free(path);
	if (rc != PGAL_OK) {
		if (rc == PGAL_ENOTFOUND)
			rc = pgal_fail(e, PGAL_EBACKEND, "S3 bucket %s does not exist",
			    b->bucket);
		s3_close(&b->base);
		return rc;
	}
	*bp = &b->base;
	return PGAL_OK;
}

static void
s3_close(pgal_blobs *base)
{
	struct s3_blobs *b = (struct s3_blobs *)base;

	if (b == NULL)
		return;
	pgal_aws_client_close(b->c);
	free(b);
}

const char *
pgal_s3_put_payload_hash(int tls, const char *known)
{
	if (known != NULL)
		return known;
	/* what the SDKs do for S3 over TLS: TLS already protects the bytes,
	 * and hashing them first would read the body twice */
	if (tls)
		return PGAL_AWS_UNSIGNED_PAYLOAD;
	/* plain http: only the signed hash protects the bytes */
	return NULL;
}

static int
sha256_ok(const char *s)
{
	size_t i;

	for (i = 0; i < PGAL_SHA256_HEX; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return s[i] == '\0';
}

static int
is_tls(struct s3_blobs *b)
{
	return pgal_aws_client_endpoint(b->c)->tls;
}

/* The Content-Type an object is stored with, from the first bytes of its
 * body: a browser opening a share link shows a photo instead of saving a
 * file of unknown type. */
static const char *
content_type(const void *head, size_t n)
{
	const char *mime = pgal_image_mime(pgal_image_detect(head, n));

	return mime != NULL ? mime : "application/octet-stream";
}

/* content_type() of a regular file's bytes from offset off */
static const char *
file_content_type(int fd, int64_t off)
{
	unsigned char head[PGAL_IMG_HEAD];
	ssize_t n = pread(fd, head, sizeof head, (off_t)off);

	return content_type(head, n > 0 ? (size_t)n : 0);
}

/* One PutObject from memory or from a stretch of fd; sha256 is the body's
 * hash when the caller knows it, else NULL. */
static int
put_single(struct s3_blobs *b, const char *key, const void *data, size_t len,
    int fd, int64_t off, int64_t flen, const char *sha256, const char *ctype,
    pgal_err *e)
{
	pgal_aws_request r;
	char		 hp[80], *path;
	pgal_aws_kv	 h[1] = { { "Content-Type", ctype } };
	int		 rc;

	if ((path = object_path(b, key)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	init_req(b, &r, "PutObject", "PUT", path, hp);
	r.headers = h;
	r.nheaders = 1;
	r.payload_hash = pgal_s3_put_payload_hash(is_tls(b), sha256);
	if (fd >= 0) {
		r.body_fd = fd;
		r.body_fd_off = off;
		r.body_fd_len = flen;
	} else {
		r.body = data;
		r.body_len = len;
	}
	rc = pgal_aws_do(b->c, &r, NULL, e);
	free(path);
	return rc;
}

/* Where the bytes of an upload come from: a regular file (pread, size
 * known), a pipe or socket (read), or memory. */
struct source {
	int		 fd;
	int		 regular;
	int64_t		 off;		/* regular: next offset */
	int64_t		 left;		/* regular/memory: bytes left */
	const char	*mem;
	char		*buf;		/* one part */
	size_t		 bufsz;
	int		 eof;
};

/* The next part: up to want bytes at *data. 0 at the end, -1 on error. */
static ssize_t
next_part(struct source *s, size_t want, const char **data, pgal_err *e)
{
	size_t got = 0;

	if (s->mem != NULL) {
		if ((int64_t)want > s->left)
			want = (size_t)s->left;
		*data = s->mem;
		s->mem += want;
		s->left -= (int64_t)want;
		return (ssize_t)want;
	}
	while (got < want && !s->eof) {
		ssize_t n = s->regular ?
		    pread(s->fd, s->buf + got, want - got, (off_t)s->off) :
		    read(s->fd, s->buf + got, want - got);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			pgal_fail(e, PGAL_EBACKEND, "reading the upload: %s",
			    strerror(errno));
			return -1;
		}
		if (n == 0)
			s->eof = 1;
		got += (size_t)n;
		s->off += n;
	}
	*data = s->buf;
	return (ssize_t)got;
}

static void
abort_upload(struct s3_blobs *b, const char *path, const char *upload_id)
{
	pgal_aws_request r;
	pgal_aws_kv	 q[1] = { { "uploadId", upload_id } };
	char		 hp[80];

	/* best effort: the upload's own error is what the caller sees; some
	 * S3-compatible stores (s3rver) answer 405 here */
	init_req(b, &r, "AbortMultipartUpload", "DELETE", path, hp);
	r.query = q;
	r.nquery = 1;
	pgal_aws_do(b->c, &r, NULL, NULL);
}

static int
put_multipart(struct s3_blobs *b, const char *key, struct source *src,
    const char *first, size_t firstlen, size_t partsz, pgal_err *e)
{
	pgal_aws_request  r;
	pgal_aws_response resp;
	pgal_aws_kv	  q[2], h[1] = { { "Content-Type", content_type(first, firstlen) } };
	pgal_buf	  done = { 0 };
	char		  hp[80], upload_id[1024], num[16], *path, *xml = NULL;
	char		(*etags)[256] = NULL;
	const char	 *data = first;
	ssize_t		  len = (ssize_t)firstlen;
	int		  rc, part = 0;

	if ((path = object_path(b, key)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	init_req(b, &r, "CreateMultipartUpload", "POST", path, hp);
	q[0] = (pgal_aws_kv){ "uploads", "" };
	r.query = q;
	r.nquery = 1;
	r.headers = h;
	r.nheaders = 1;
	if ((rc = pgal_aws_do(b->c, &r, &resp, e)) != PGAL_OK) {
		pgal_aws_response_free(&resp);
		free(path);
		return rc;
	}
	if (pgal_aws_xml_text(resp.body, resp.body_len, "UploadId", upload_id,
	    sizeof upload_id) != 1 || upload_id[0] == '\0') {
		pgal_aws_response_free(&resp);
		free(path);
		return pgal_fail(e, PGAL_EBACKEND, "S3 CreateMultipartUpload: "
		    "no UploadId in the answer");
	}
	pgal_aws_response_free(&resp);
	if ((etags = calloc(MAX_PARTS, sizeof *etags)) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto fail;
	}
	while (len > 0 || part == 0) {
		if (part == MAX_PARTS) {
			rc = pgal_fail(e, PGAL_EINPUT, "upload too large for %d parts",
			    MAX_PARTS);
			goto fail;
		}
		snprintf(num, sizeof num, "%d", part + 1);
		init_req(b, &r, "UploadPart", "PUT", path, hp);
		q[0] = (pgal_aws_kv){ "partNumber", num };
		q[1] = (pgal_aws_kv){ "uploadId", upload_id };
		r.query = q;
		r.nquery = 2;
		r.body = data;
		r.body_len = (size_t)len;
		r.payload_hash = pgal_s3_put_payload_hash(is_tls(b), NULL);
		if ((rc = pgal_aws_do(b->c, &r, &resp, e)) != PGAL_OK) {
			pgal_aws_response_free(&resp);
			goto fail;
		}
		if (resp.etag[0] == '\0') {
			pgal_aws_response_free(&resp);
			rc = pgal_fail(e, PGAL_EBACKEND, "S3 UploadPart: no ETag");
			goto fail;
		}
		snprintf(etags[part], sizeof etags[part], "%s", resp.etag);
		pgal_aws_response_free(&resp);
		part++;
		if ((len = next_part(src, partsz, &data, e)) == -1) {
			rc = PGAL_EBACKEND;
			goto fail;
		}
	}
	pgal_buf_adds(&done, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/"
	    "doc/2006-03-01/\">");
	{
		int i;

		for (i = 0; i < part; i++) {
			const char *t = etags[i];

			/* an ETag is hex in quotes: nothing to escape, but check */
			if (strpbrk(t, "<>&") != NULL) {
				rc = pgal_fail(e, PGAL_EBACKEND, "S3 UploadPart: bad ETag");
				goto fail;
			}
			pgal_buf_addf(&done, "<Part><PartNumber>%d</PartNumber>"
			    "<ETag>%s</ETag></Part>", i + 1, t);
		}
	}
	pgal_buf_adds(&done, "</CompleteMultipartUpload>");
	if ((xml = pgal_buf_take(&done)) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto fail;
	}
	init_req(b, &r, "CompleteMultipartUpload", "POST", path, hp);
	q[0] = (pgal_aws_kv){ "uploadId", upload_id };
	r.query = q;
	r.nquery = 1;
	r.body = xml;
	r.body_len = strlen(xml);
	/* completing the same upload twice is harmless: S3 documents it and
	 * the SDKs retry it */
	r.retry = PGAL_AWS_RETRY_SAFE;
	if ((rc = pgal_aws_do(b->c, &r, &resp, e)) != PGAL_OK) {
		pgal_aws_response_free(&resp);
		goto fail;
	}
	/* S3 may answer 200 and still fail, with an <Error> body */
	if (resp.body != NULL && strstr(resp.body, "<Error>") != NULL) {
		char code[128], msg[256], rid[128];

		pgal_aws_parse_error(PGAL_AWS_ERR_XML, resp.body, resp.body_len,
		    code, sizeof code, msg, sizeof msg, rid, sizeof rid);
		pgal_aws_response_free(&resp);
		rc = pgal_fail(e, PGAL_EBACKEND, "S3 CompleteMultipartUpload: %s: %s "
		    "(request id %s)", code, msg, rid);
		goto fail;
	}
	pgal_aws_response_free(&resp);
	free(xml);
	free(etags);
	free(path);
	return PGAL_OK;
fail:
	abort_upload(b, path, upload_id);
	pgal_buf_free(&done);
	free(xml);
	free(etags);
	free(path);
	return rc;
}

/* sha256: the hash of the bytes from fd's offset to EOF, or NULL. A part
 * of a multipart upload is a stretch of them, so parts cannot use it. */
static int
put_fd(pgal_blobs *base, const char *key, int fd, const char *sha256, pgal_err *e)
{
	struct s3_blobs *b = (struct s3_blobs *)base;
	struct source	 src;
	struct stat	 st;
	const char	*data;
	size_t		 partsz = PGAL_S3_PART_SIZE;
	ssize_t		 len;
	int		 rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	memset(&src, 0, sizeof src);
	src.fd = fd;
	if (fstat(fd, &st) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "upload: %s", strerror(errno));
	if (S_ISREG(st.st_mode)) {
		off_t cur = lseek(fd, 0, SEEK_CUR);

		if (cur == (off_t)-1)
			return pgal_fail(e, PGAL_EBACKEND, "upload: %s", strerror(errno));
		src.regular = 1;
		src.off = cur;
		src.left = st.st_size > cur ? st.st_size - cur : 0;
		/* streamed from the file: memory stays bounded at any size */
		if (src.left <= b->single_file_max) {
			rc = put_single(b, key, NULL, 0, fd, cur, src.left, sha256,
			    file_content_type(fd, cur), e);
			if (rc == PGAL_OK)
				lseek(fd, 0, SEEK_END);
			return rc;
		}
		/* parts grow past 8 MiB only for objects over 78 GiB */
		while ((int64_t)partsz * MAX_PARTS < src.left)
			partsz *= 2;
	}
	if ((src.buf = malloc(partsz)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	src.bufsz = partsz;
	if ((len = next_part(&src, partsz, &data, e)) == -1) {
		free(src.buf);
		return PGAL_EBACKEND;
	}
	if (src.eof && !src.regular)
		rc = put_single(b, key, data, (size_t)len, -1, 0, 0, sha256,
		    content_type(data, (size_t)len), e);
	else
		rc = put_multipart(b, key, &src, data, (size_t)len, partsz, e);
	free(src.buf);
	if (rc == PGAL_OK && src.regular)
		lseek(fd, 0, SEEK_END);
	return rc;
}

static int
s3_put_fd(pgal_blobs *base, const char *key, int fd, pgal_err *e)
{
	return put_fd(base, key, fd, NULL, e);
}

static int
s3_put_fd_sha256(pgal_blobs *base, const char *key, int fd, const char *sha256,
    pgal_err *e)
{
	if (sha256 == NULL || !sha256_ok(sha256))
		return pgal_fail(e, PGAL_EINPUT, "put: not a SHA-256 (64 lowercase "
		    "hex digits)");
	return put_fd(base, key, fd, sha256, e);
}

static int
s3_put_mem(pgal_blobs *base, const char *key, const void *data, size_t len,
    pgal_err *e)
{
	struct s3_blobs *b = (struct s3_blobs *)base;
	struct source	 src;
	const char	*first;
	ssize_t		 n;
	int		 rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	if (len <= PGAL_S3_SINGLE_MAX)
		return put_single(b, key, data, len, -1, 0, 0, NULL,
		    content_type(data, len), e);
	memset(&src, 0, sizeof src);
	src.mem = data;
	src.left = (int64_t)len;
	n = next_part(&src, PGAL_S3_PART_SIZE, &first, e);
	return put_multipart(b, key, &src, first, (size_t)n, PGAL_S3_PART_SIZE, e);
}

static int
get(struct s3_blobs *b, const char *key, int fd, size_t max,
    pgal_aws_response *resp, pgal_err *e)
{
	pgal_aws_request r;
	char		 hp[80], *path;
	int		 rc;

	memset(resp, 0, sizeof *resp);
	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	if ((path = object_path(b, key)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	init_req(b, &r, "GetObject", "GET", path, hp);
	r.resp_fd = fd;
	r.resp_max = max;
	rc = pgal_aws_do(b->c, &r, resp, e);
	free(path);
	if (rc == PGAL_ENOTFOUND)
		rc = pgal_fail(e, PGAL_ENOTFOUND, "no such blob");
	return rc;
}

static int
s3_get_fd(pgal_blobs *base, const char *key, int fd, pgal_err *e)
{
	pgal_aws_response resp;
	int rc;

	rc = get((struct s3_blobs *)base, key, fd, 0, &resp, e);
	pgal_aws_response_free(&resp);
	return rc;
}

static int
s3_get_mem(pgal_blobs *base, const char *key, size_t max, void **data,
    size_t *len, pgal_err *e)
{
	pgal_aws_response resp;
	int rc;

	*data = NULL;
	*len = 0;
	if (max == 0)
		max = 1;	/* 0 would mean the layer's default cap */
	rc = get((struct s3_blobs *)base, key, -1, max, &resp, e);
	if (rc == PGAL_EINPUT && resp.status == 0)
		rc = pgal_fail(e, PGAL_EINPUT, "blob larger than %zu bytes", max);
	if (rc != PGAL_OK) {
		pgal_aws_response_free(&resp);
		return rc;
	}
	if (resp.body == NULL && (resp.body = malloc(1)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	*data = resp.body;
	*len = resp.body_len;
	return PGAL_OK;
}

static int
s3_del(pgal_blobs *base, const char *key, pgal_err *e)
{
	struct s3_blobs *b = (struct s3_blobs *)base;
	pgal_aws_request r;
	pgal_aws_response resp;
	char		 hp[80], *path;
	int		 rc;

	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	if ((path = object_path(b, key)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	init_req(b, &r, "DeleteObject", "DELETE", path, hp);
	rc = pgal_aws_do(b->c, &r, &resp, e);
	/* S3 answers 204 for a missing key; others may say 404 */
	if (rc == PGAL_ENOTFOUND && resp.status == 404) {
		pgal_err_clear(e);
		rc = PGAL_OK;
	}
	pgal_aws_response_free(&resp);
	free(path);
	return rc;
}

/* Only what pgal put there: other objects under the prefix are not ours. */
struct list_visit {
	size_t plen;
	pgal_blob_visit visit;
	void *arg;
};

static int
list_one(void *arg, const pgal_s3_object *o)
{
	struct list_visit *lv = arg;
	char id[PGAL_BLOB_ID_HEX + 1];

	if (o->unreadable || !pgal_blob_key_id(o->key + lv->plen, id))
		return 0;
	return lv->visit(lv->arg, o->key + lv->plen, o->mtime, o->bytes);
}

static int
s3_list(pgal_blobs *base, pgal_blob_visit visit, void *arg, pgal_err *e)
{
	struct s3_blobs	 *b = (struct s3_blobs *)base;
	pgal_s3_bucket	  bk = { b->c, b->bucket, b->path_style };
	struct list_visit lv = { strlen(b->prefix), visit, arg };

	return pgal_s3_list_objects(&bk, b->prefix, b->list_page, list_one, &lv, e);
}

/* The Content-Disposition a share link asks S3 to answer with: inline (a
 * browser shows the photo) under the photo's name, an ASCII fallback and the
 * UTF-8 name (RFC 6266, RFC 5987). NULL when out of memory. */
static char *
inline_disposition(const char *name)
{
	pgal_buf b = { 0 };
	const unsigned char *c;
	char pct[4] = "%";

	pgal_buf_adds(&b, "inline; filename=\"");
	for (c = (const unsigned char *)name; *c != '\0'; c++)
		pgal_buf_addc(&b, (*c < 0x20 || *c >= 0x7f || *c == '"' ||
		    *c == '\\') ? '_' : (char)*c);
	pgal_buf_adds(&b, "\"; filename*=UTF-8''");
	for (c = (const unsigned char *)name; *c != '\0'; c++) {
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || strchr("!#$&+-.^_`|~", *c) != NULL)
			pgal_buf_addc(&b, (char)*c);
		else {
			pgal_hex_upper(c, 1, pct + 1);
			pgal_buf_add(&b, pct, 3);
		}
	}
	return pgal_buf_take(&b);
}

int
pgal_s3_presign_get(pgal_blobs *base, const char *key, const char *filename,
    int ttl_secs, char **url, time_t *expires, pgal_err *e)
{
	struct s3_blobs	   *b = (struct s3_blobs *)base;
	const pgal_aws_endpoint *ep;
	pgal_sigv4_request  sr;
	pgal_sigv4_result   res;
	pgal_aws_creds	    creds;
	pgal_aws_kv	    h[1], q[2];
	pgal_buf	    host = { 0 }, path = { 0 }, out = { 0 };
	char		   *p, *disposition = NULL;
	time_t		    now;
	int		    rc;

	*url = NULL;
	if (base == NULL || base->ops != &pgal_blobs_s3)
		return pgal_fail(e, PGAL_EUSAGE, "share links need blobs = s3");
	if ((rc = pgal_blob_key_check(key, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_aws_client_creds(b->c, &creds, e)) != PGAL_OK)
		return rc;
	ep = pgal_aws_client_endpoint(b->c);
	if (!b->path_style) {
		pgal_buf_adds(&host, b->bucket);
		pgal_buf_addc(&host, '.');
	}
	pgal_buf_adds(&host, ep->host);
	pgal_buf_adds(&path, ep->base_path);
	if ((p = object_path(b, key)) != NULL)
		pgal_buf_adds(&path, p);
	free(p);
	if (p == NULL || host.failed || path.failed) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	h[0] = (pgal_aws_kv){ "host", host.p };
	memset(&sr, 0, sizeof sr);
	sr.method = "GET";
	sr.path = path.p;
	sr.s3 = 1;
	sr.headers = h;
	sr.nheaders = 1;
	if (filename != NULL) {
		if ((disposition = inline_disposition(filename)) == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			goto out;
		}
		/* S3 answers with these headers: the type was stored with the
		 * object; the disposition is asked for here, signed */
		q[0] = (pgal_aws_kv){ "response-content-disposition", disposition };
		sr.query = q;
		sr.nquery = 1;
	}
	sr.payload_hash = PGAL_AWS_UNSIGNED_PAYLOAD;
	sr.service = "s3";
	sr.region = pgal_aws_client_region(b->c);
	sr.when = now = time(NULL);
	/* a URL signed with temporary credentials dies with them */
	if (creds.expires != 0 && creds.expires - now < ttl_secs) {
		if (creds.expires - now < 1) {
			rc = pgal_fail(e, PGAL_EBACKEND, "the AWS credentials (%s) "
			    "have expired", creds.source);
			goto out;
		}
		ttl_secs = (int)(creds.expires - now);
	}
	if ((rc = pgal_sigv4_presign(&sr, &creds, ttl_secs, &res, e)) != PGAL_OK)
		goto out;
	if (expires != NULL)
		*expires = now + ttl_secs;
	pgal_buf_addf(&out, "%s://%s%s?%s", ep->tls ? "https" : "http", host.p,
	    path.p, res.query);
	pgal_sigv4_result_free(&res);
	if ((*url = pgal_buf_take(&out)) == NULL)
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
out:
	pgal_aws_creds_wipe(&creds);
	pgal_buf_free(&host);
	pgal_buf_free(&path);
	free(disposition);
	return rc;
}

static int
s3_share_url(pgal_blobs *base, const char *key, const char *filename,
    int64_t ttl_secs, char **url, int64_t *expires, pgal_err *e)
{
	time_t until = 0;
	int rc;

	*url = NULL;
	/* SigV4 caps a presigned URL at 7 days */
	if (ttl_secs < 1 || ttl_secs > 7 * 86400)
		return pgal_fail(e, PGAL_EUSAGE, "a link lasts 1 second to 7 days");
	rc = pgal_s3_presign_get(base, key, filename, (int)ttl_secs, url, &until, e);
	if (rc == PGAL_OK && expires != NULL)
		*expires = (int64_t)until;
	return rc;
}

/* `pgal init`: the lifecycle rule that aborts unfinished uploads */
static int
s3_prepare(pgal_blobs *base, const pgal_config *cfg, pgal_err *e)
{
	struct s3_blobs *b = (struct s3_blobs *)base;
	char hp[80], *path, why[sizeof e->msg];
	int added, kept, rc;

	if (!cfg->s3_abort_incomplete_uploads) {
		snprintf(b->said, sizeof b->said, "; lifecycle rule for unfinished "
		    "uploads: not asked (s3_abort_incomplete_uploads = no)");
		return PGAL_OK;
	}
	if ((path = object_path(b, NULL)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if (!b->path_style)
		snprintf(hp, sizeof hp, "%s.", b->bucket);
	rc = pgal_s3_lifecycle_ensure(b->c, path, b->path_style ? NULL : hp, b->prefix,
	    &added, &kept, e);
	free(path);
	if (rc != PGAL_OK) {
		memcpy(why, e->msg, sizeof why);
		return pgal_fail(e, rc, "bucket '%s' reachable, but the lifecycle rule "
		    "aborting unfinished multipart uploads FAILED: %s", b->bucket, why);
	}
	if (added)
		snprintf(b->said, sizeof b->said, "; lifecycle rule aborting unfinished "
		    "multipart uploads after 1 day: added (%d other rule%s kept)", kept,
		    kept == 1 ? "" : "s");
	else
		snprintf(b->said, sizeof b->said, "; lifecycle rule aborting unfinished "
		    "multipart uploads after 1 day: already there, nothing changed");
	return PGAL_OK;
}

/* open made a HeadBucket: the bucket answered; then what prepare did */
static void
s3_describe(pgal_blobs *base, const pgal_config *cfg, char *out, size_t size)
{
	struct s3_blobs *b = (struct s3_blobs *)base;

	snprintf(out, size, "bucket '%s' reachable%s%s%s%s", cfg->s3_bucket,
	    cfg->s3_prefix[0] != '\0' ? " (prefix '" : "", cfg->s3_prefix,
	    cfg->s3_prefix[0] != '\0' ? "')" : "", b->said);
}

const pgal_blobs_ops pgal_blobs_s3 = {
	.name = "s3",
	.prepare = s3_prepare,
	.describe = s3_describe,
	.open = s3_open,
	.close = s3_close,
	.put_fd = s3_put_fd,
	.put_fd_sha256 = s3_put_fd_sha256,
	.put_mem = s3_put_mem,
	.get_fd = s3_get_fd,
	.get_mem = s3_get_mem,
	.del = s3_del,
	.list = s3_list,
	.share_url = s3_share_url,
};
