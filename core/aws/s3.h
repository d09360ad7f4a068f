/* S3 extras beyond the blobs vtable. */
#ifndef PGAL_AWS_S3_H
#define PGAL_AWS_S3_H

#include <time.h>

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

/* `pgal init`: makes sure the bucket's lifecycle configuration aborts
 * multipart uploads under prefix one day after they began, keeping every
 * rule already there (core/blobs/s3-lifecycle.c). path and host_prefix
 * address the bucket as the S3 backend does. *added 1 when a rule was put
 * (0: one already did it), *kept the other rules sent back with it. */
struct pgal_aws_client;
int pgal_s3_lifecycle_ensure(struct pgal_aws_client *c, const char *path,
    const char *host_prefix, const char *prefix, int *added, int *kept, pgal_err *e);

#endif
