/* Blob storage: photos and their renditions as opaque objects named by keys
 * the core makes (never from user-chosen names). Backends: a local folder
 * (fs) and S3. */
#ifndef PGAL_BLOBS_H
#define PGAL_BLOBS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "records.h"

typedef struct pgal_blobs pgal_blobs;

/* Called by list for every key; return non-zero to stop. */
typedef int (*pgal_blob_visit)(void *arg, const char *key, int64_t mtime, int64_t bytes);

typedef struct pgal_blobs_ops {
	const char *name;	/* first: the registry finds the table by it */
	/* `pgal init`: prepare checks what open does not (NULL: nothing);
	 * describe then says where the objects live, the text after
	 * "blobs <name>: " ("bucket 'photos' reachable"; NULL: "ok"), never a
	 * secret. */
	int (*prepare)(pgal_blobs *b, const pgal_config *cfg, pgal_err *e);
	void (*describe)(pgal_blobs *b, const pgal_config *cfg, char *out, size_t size);
	int (*open)(pgal_blobs **b, const pgal_config *cfg, pgal_err *e);
	void (*close)(pgal_blobs *b);
	/* store the bytes read from fd (from its current offset to EOF) atomically:
	 * after a crash the key is either absent or complete */
	int (*put_fd)(pgal_blobs *b, const char *key, int fd, pgal_err *e);
	int (*put_mem)(pgal_blobs *b, const char *key, const void *data, size_t len, pgal_err *e);
	/* write the whole object to fd */
	int (*get_fd)(pgal_blobs *b, const char *key, int fd, pgal_err *e);
	/* read the whole object into a malloc'd buffer; refuse objects over max bytes */
	int (*get_mem)(pgal_blobs *b, const char *key, size_t max, void **data, size_t *len, pgal_err *e);
	/* removing a missing key is not an error */
	int (*del)(pgal_blobs *b, const char *key, pgal_err *e);
	int (*list)(pgal_blobs *b, pgal_blob_visit visit, void *arg, pgal_err *e);
	/* Optional (NULL: nothing to sweep). Removes partial writes a crash left
	 * behind (temp files, unfinished multipart uploads) last touched at or
	 * before cutoff (unix time); list never reports them. */
	int (*sweep_partial)(pgal_blobs *b, int64_t cutoff, int64_t *removed, pgal_err *e);
	/* Optional (NULL: this backend cannot share). A URL anyone can GET the
	 * object from, without credentials, for ttl_secs (1 s to 7 days, less
	 * when the credentials signing it end sooner: *expires says when it
	 * stops working); filename names the download. malloc'd into *url. */
	int (*share_url)(pgal_blobs *b, const char *key, const char *filename,
	    int64_t ttl_secs, char **url, int64_t *expires, pgal_err *e);
	/* Optional (NULL: call put_fd). put_fd for a caller that already knows
	 * sha256, the SHA-256 (64 lowercase hex) of the bytes from fd's offset
	 * to EOF: a backend that signs the payload (S3) sends it instead of
	 * reading the file twice, and S3 refuses the object if the bytes do
	 * not match it. A malformed sha256 is PGAL_EINPUT. */
	int (*put_fd_sha256)(pgal_blobs *b, const char *key, int fd, const char *sha256,
	    pgal_err *e);
} pgal_blobs_ops;

struct pgal_blobs {
	const pgal_blobs_ops *ops;
};

const pgal_blobs_ops *pgal_blobs_find(const char *name);

extern const pgal_blobs_ops pgal_blobs_fs;
extern const pgal_blobs_ops pgal_blobs_s3;

/* Blob keys of a photo, derived from its random blob id. A key is
 * "<kind>/<id[0..1]>/<id>" with kind (records.h) "orig", "thumb" or
 * "preview". */
#define PGAL_BLOB_KEY_MAX 64
void pgal_blob_key(char out[PGAL_BLOB_KEY_MAX], const char *blob_id, pgal_blob_kind kind);
/* The blob id in a key made by pgal_blob_key, or 0 if key is not such a key. */
int pgal_blob_key_id(const char *key, char id_out[33]);
/* PGAL_OK for such a key, else PGAL_EINPUT "not a blob key": what every
 * backend checks before it touches a key. */
int pgal_blob_key_check(const char *key, pgal_err *e);

#endif
