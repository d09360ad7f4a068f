/* S3 extras beyond the blobs vtable. */
#ifndef PGAL_AWS_S3_H
#define PGAL_AWS_S3_H

#include <time.h>

#include "aws/aws.h"
#include "blobs/blobs.h"
#include "err.h"

/* Objects in memory (and pipes) up to this size go in one PUT, bigger ones
 * in parts; regular files use the s3_multipart_threshold setting. */
#define PGAL_S3_SINGLE_MAX (16 * 1024 * 1024)
/* Size of a multipart part (the memory an upload holds at most). */
#define PGAL_S3_PART_SIZE (8 * 1024 * 1024)

/* A presigned GET URL for a blob key of an open S3 backend, valid ttl_secs
 * (1 s to 7 days); malloc'd into *url. PGAL_EUSAGE if b is not S3. With
 * filename, the answer names the download (Content-Disposition inline, so a
 * browser shows the photo). A URL cannot outlive the credentials that sign
 * it: with temporary ones (an instance role) the validity is cut to their
 * expiry. *expires (may be NULL) gets the moment the URL stops working. */
int pgal_s3_presign_get(pgal_blobs *b, const char *key, const char *filename,
    int ttl_secs, char **url, time_t *expires, pgal_err *e);

/* The payload hash of an S3 PUT: known (the caller's SHA-256 of the body)
 * when given; else UNSIGNED-PAYLOAD over https (TLS protects the bytes;
 * the AWS SDKs do the same); else NULL, and the AWS layer hashes the body
 * (over plain http the signed hash is all that protects it). */
const char *pgal_s3_put_payload_hash(int tls, const char *known);

/* ---- objects of any bucket (core/aws/s3-objects.c) ---- */

/* The longest key S3 stores. */
#define PGAL_S3_KEY_MAX 1024

/* 1 if s is a bucket name as S3 makes them today (3 to 63 of a-z 0-9 . -). */
int pgal_s3_bucket_ok(const char *s);

/* How pgal_s3_url_split ended; the caller words the error. */
enum pgal_s3_url {
	PGAL_S3_URL_OK,
	PGAL_S3_URL_NOT_S3,	/* does not start with "s3://" */
	PGAL_S3_URL_LONG_BUCKET,	/* the bucket part is 64 bytes or more */
	PGAL_S3_URL_BAD_BUCKET,	/* not a name pgal_s3_bucket_ok accepts */
};

/* "s3://BUCKET[/REST]" into bucket and *rest (what follows the '/' after
 * the bucket, "" without one): the one reading of an S3 URL, for
 * ssh_host_key and `pgal import`. */
enum pgal_s3_url pgal_s3_url_split(const char *url, char bucket[64], const char **rest);

typedef struct pgal_s3_bucket {
	pgal_aws_client *c;	/* an "s3" client */
	const char *name;
	int path_style;		/* /bucket/key, not bucket.host/key */
} pgal_s3_bucket;

/* The request path of prefix+key in the bucket (key NULL: the bucket
 * itself), encoded, for path or virtual-hosted style; malloc'd, NULL when
 * out of memory. */
char *pgal_s3_request_path(const pgal_s3_bucket *b, const char *prefix, const char *key);
/* pgal_aws_request_init for an S3 call on the bucket: XML errors, and the
 * "<bucket>." host prefix (written into host_prefix) in virtual-hosted style. */
void pgal_s3_request_init(const pgal_s3_bucket *b, pgal_aws_request *r, const char *op,
    const char *method, const char *path, char host_prefix[80]);

typedef struct pgal_s3_object {
	const char *key;	/* decoded; any bytes but NUL */
	int64_t bytes;
	int64_t mtime;		/* unix time, 0 when unknown */
	/* the key could not be read whole (longer than PGAL_S3_KEY_MAX,
	 * malformed): key holds its first bytes, to name it */
	int unreadable;
} pgal_s3_object;

/* Called for each object, in key order; non-zero stops the listing. */
typedef int (*pgal_s3_object_visit)(void *arg, const pgal_s3_object *o);

/* ListObjectsV2 of the keys under prefix (NULL or "": all), page keys a
 * request (1 to 1000; else 1000), following continuation tokens. */
int pgal_s3_list_objects(const pgal_s3_bucket *b, const char *prefix, int page,
    pgal_s3_object_visit visit, void *arg, pgal_err *e);

/* GetObject of key written to fd; more than max bytes (0: no bound) stops
 * it with PGAL_EINPUT. A missing key is PGAL_ENOTFOUND. */
int pgal_s3_get_object(const pgal_s3_bucket *b, const char *key, int fd, size_t max,
    pgal_err *e);

/* `pgal init`: makes sure the bucket's lifecycle configuration aborts
 * multipart uploads under prefix one day after they began, keeping every
 * rule already there (core/blobs/s3-lifecycle.c). path and host_prefix
 * address the bucket as the S3 backend does. *added 1 when a rule was put
 * (0: one already did it), *kept the other rules sent back with it. */
struct pgal_aws_client;
int pgal_s3_lifecycle_ensure(struct pgal_aws_client *c, const char *path,
    const char *host_prefix, const char *prefix, int *added, int *kept, pgal_err *e);

#endif
