/* The SSH host key a fleet shares (ssh_host_key): a file, or an object
 * s3://BUCKET/KEY read with the blobs' AWS settings (credentials, region,
 * endpoint, s3_path_style). Read whole into memory, never copied to disk;
 * made once by `pgal init --host-key` (an ed25519 key in OpenSSH's format),
 * which never replaces one that exists. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "aws/aws.h"
#include "aws/s3.h"
#include "fsutil.h"
#include "hostkey.h"
#include "sanitize.h"

#define S3_SCHEME "s3://"

int
pgal_hostkey_is_s3(const char *where)
{
	return strncmp(where, S3_SCHEME, sizeof S3_SCHEME - 1) == 0;
}

/* s3://BUCKET/KEY into its parts; the key is any non-empty path. */
static int
split_s3(const char *where, char bucket[64], const char **key, pgal_err *e)
{
	enum pgal_s3_url rc = pgal_s3_url_split(where, bucket, key);

	if (rc == PGAL_S3_URL_BAD_BUCKET)
		return pgal_fail(e, PGAL_EINPUT, "ssh_host_key: not a bucket name");
	if (rc != PGAL_S3_URL_OK || **key == '\0')
		return pgal_fail(e, PGAL_EINPUT, "ssh_host_key: not s3://BUCKET/KEY");
	return PGAL_OK;
}

/* One S3 call on the object: GET (into *resp), HEAD, or a PUT of body
 * that only creates (If-None-Match: *, which S3 honours). */
static int
s3_call(const pgal_config *cfg, const char *where, const char *method, const void *body,
    size_t len, pgal_aws_response *resp, pgal_err *e)
{
	static const pgal_aws_kv create_only[] = { { "If-None-Match", "*" } };
	pgal_s3_bucket b = { .path_style = cfg->s3_path_style };
	pgal_aws_request r;
	char bucket[64], host[80], *path;
	const char *key = NULL;
	int rc;

	memset(resp, 0, sizeof *resp);
	if ((rc = split_s3(where, bucket, &key, e)) != PGAL_OK)
		return rc;
	b.name = bucket;
	if ((rc = pgal_aws_client_open(&b.c, cfg, "s3", NULL, e)) != PGAL_OK)
		return rc;
	if ((path = pgal_s3_request_path(&b, NULL, key)) == NULL) {
		pgal_aws_client_close(b.c);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	pgal_s3_request_init(&b, &r, strcmp(method, "PUT") == 0 ? "PutObject" :
	    strcmp(method, "HEAD") == 0 ? "HeadObject" : "GetObject", method, path, host);
	r.resp_max = PGAL_HOSTKEY_MAX;
	if (body != NULL) {
		r.body = body;
		r.body_len = len;
		r.headers = create_only;
		r.nheaders = 1;
		r.retry = PGAL_AWS_RETRY_NEVER;
	}
	rc = pgal_aws_do(b.c, &r, resp, e);
	free(path);
	pgal_aws_client_close(b.c);
	return rc;
}

static int
read_file(const char *path, char **pem, size_t *len, pgal_err *e)
{
	char shown[256];

	pgal_sanitize(shown, sizeof shown, path, 0);
	switch (pgal_fs_read_small(path, PGAL_HOSTKEY_MAX, PGAL_FS_PRIVATE, pem, len)) {
	case PGAL_FS_SMALL_OK:
		break;
	case PGAL_FS_SMALL_OPEN:
		return pgal_fail(e, errno == ENOENT ? PGAL_ENOTFOUND : PGAL_EBACKEND,
		    "host key %s: %s", shown, strerror(errno));
	case PGAL_FS_SMALL_NOT_FILE:
		return pgal_fail(e, PGAL_EINPUT, "host key %s: not a file", shown);
	case PGAL_FS_SMALL_SHARED:
		return pgal_fail(e, PGAL_EDENIED, "host key %s is readable by others; chmod 600 it",
		    shown);
	case PGAL_FS_SMALL_TOO_BIG:
		return pgal_fail(e, PGAL_EINPUT, "host key %s: not a key (%lld bytes)", shown,
		    (long long)*len);
	case PGAL_FS_SMALL_READ:
		return pgal_fail(e, PGAL_EBACKEND, "host key %s: %s", shown, strerror(errno));
	case PGAL_FS_SMALL_NOMEM:
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	if (*len == 0) {
		free(*pem);
		*pem = NULL;
		return pgal_fail(e, PGAL_EINPUT, "host key %s: not a key (0 bytes)", shown);
	}
	return PGAL_OK;
}

int
pgal_hostkey_read(const pgal_config *cfg, const char *where, char **pem, size_t *len,
    pgal_err *e)
{
	pgal_aws_response resp;
	int rc;

	*pem = NULL;
	*len = 0;
	if (!pgal_hostkey_is_s3(where))
		return read_file(where, pem, len, e);
	rc = s3_call(cfg, where, "GET", NULL, 0, &resp, e);
	if (rc == PGAL_ENOTFOUND)
		rc = pgal_fail(e, PGAL_ENOTFOUND, "host key %s does not exist "
		    "(pgal init --host-key makes it)", where);
	if (rc == PGAL_OK && (resp.body == NULL || resp.body_len == 0))
		rc = pgal_fail(e, PGAL_EINPUT, "host key %s is empty", where);
	if (rc != PGAL_OK) {
		pgal_aws_response_free(&resp);
		return rc;
	}
	*pem = resp.body;
	*len = resp.body_len;
	resp.body = NULL;
	pgal_aws_response_free(&resp);
	return PGAL_OK;
}

/* A new ed25519 key in OpenSSH's own unencrypted format
 * ("openssh-key-v1", PROTOCOL.key in OpenSSH's sources): libssh 0.10 reads
 * an ed25519 key of a PKCS#8 file but cannot sign with it. *pem malloc'd. */
static int
new_key(char **pem, size_t *len, pgal_err *e)
{
	static const char type[] = "ssh-ed25519";
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	unsigned char seed[32], pub[32], sk[64], check[4];
	unsigned char enc[4 * ((PGAL_HOSTKEY_MAX / 2 + 2) / 3) + 1];
	size_t sl = sizeof seed, pl = sizeof pub, i;
	pgal_buf blob = { 0 }, priv = { 0 }, out = { 0 };
	int ok, n;

	ok = k != NULL && EVP_PKEY_get_raw_private_key(k, seed, &sl) == 1 && sl == 32 &&
	    EVP_PKEY_get_raw_public_key(k, pub, &pl) == 1 && pl == 32 &&
	    RAND_bytes(check, sizeof check) == 1;
	EVP_PKEY_free(k);
	if (!ok)
		return pgal_fail(e, PGAL_EBACKEND, "cannot make an ed25519 key");
	memcpy(sk, seed, 32);
	memcpy(sk + 32, pub, 32);
	/* the private section: a check number twice, the key, a comment,
	 * padded 1, 2, 3... to a multiple of 8 */
	pgal_buf_add(&priv, check, 4);
	pgal_buf_add(&priv, check, 4);
	pgal_buf_add_sshstr(&priv, type, sizeof type - 1);
	pgal_buf_add_sshstr(&priv, pub, 32);
	pgal_buf_add_sshstr(&priv, sk, 64);
	pgal_buf_add_sshstr(&priv, "", 0);
	for (i = 1; priv.len % 8 != 0; i++)
		pgal_buf_addc(&priv, (char)i);
	pgal_buf_add(&blob, "openssh-key-v1", 15); /* its NUL included */
	pgal_buf_add_sshstr(&blob, "none", 4);
	pgal_buf_add_sshstr(&blob, "none", 4);
	pgal_buf_add_sshstr(&blob, "", 0);
	pgal_buf_add_u32be(&blob, 1);
	pgal_buf_add_u32be(&blob, 4 + (sizeof type - 1) + 4 + 32);
	pgal_buf_add_sshstr(&blob, type, sizeof type - 1);
	pgal_buf_add_sshstr(&blob, pub, 32);
	pgal_buf_add_sshstr(&blob, priv.p, priv.len);
	ok = !blob.failed && !priv.failed && blob.len <= PGAL_HOSTKEY_MAX / 2;
	n = ok ? EVP_EncodeBlock(enc, (const unsigned char *)blob.p, (int)blob.len) : 0;
	pgal_buf_adds(&out, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (i = 0; i < (size_t)n; i += 70) {
		pgal_buf_add(&out, enc + i, (size_t)n - i < 70 ? (size_t)n - i : 70);
		pgal_buf_addc(&out, '\n');
	}
	pgal_buf_adds(&out, "-----END OPENSSH PRIVATE KEY-----\n");
	OPENSSL_cleanse(seed, sizeof seed);
	OPENSSL_cleanse(sk, sizeof sk);
	OPENSSL_cleanse(enc, sizeof enc);
	if (priv.p != NULL)
		OPENSSL_cleanse(priv.p, priv.len);
	if (blob.p != NULL)
		OPENSSL_cleanse(blob.p, blob.len);
	pgal_buf_free(&priv);
	pgal_buf_free(&blob);
	*len = out.len;
	if (!ok || (*pem = pgal_buf_take(&out)) == NULL) {
		pgal_buf_free(&out);
		return pgal_fail(e, PGAL_EBACKEND, "cannot make an ed25519 key");
	}
	return PGAL_OK;
}

static int
create_file(const char *path, const char *pem, size_t len, pgal_err *e)
{
	char shown[256];
	int fd, rc = PGAL_OK;

	pgal_sanitize(shown, sizeof shown, path, 0);
	/* O_EXCL: an existing key (or anything else there) stays */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600)) == -1)
		return pgal_fail(e, errno == EEXIST ? PGAL_EINPUT : PGAL_EBACKEND,
		    "host key %s: %s", shown, errno == EEXIST ?
		    "exists already; it is not replaced" : strerror(errno));
	if (write(fd, pem, len) != (ssize_t)len || fsync(fd) != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "host key %s: %s", shown, strerror(errno));
		unlink(path);
	}
	close(fd);
	return rc;
}

int
pgal_hostkey_create(const pgal_config *cfg, const char *where, pgal_err *e)
{
	pgal_aws_response resp;
	char *pem = NULL;
	size_t len = 0;
	int rc;

	if ((rc = new_key(&pem, &len, e)) != PGAL_OK)
		return rc;
	if (!pgal_hostkey_is_s3(where))
		rc = create_file(where, pem, len, e);
	else {
		/* a look first: S3-compatible stores may not honour If-None-Match */
		rc = s3_call(cfg, where, "HEAD", NULL, 0, &resp, e);
		pgal_aws_response_free(&resp);
		if (rc == PGAL_OK)
			rc = pgal_fail(e, PGAL_EINPUT, "host key %s exists already; "
			    "it is not replaced", where);
		else if (rc == PGAL_ENOTFOUND) {
			pgal_err_clear(e);
			rc = s3_call(cfg, where, "PUT", pem, len, &resp, e);
			if (resp.status == 412)
				rc = pgal_fail(e, PGAL_EINPUT, "host key %s exists already; "
				    "it is not replaced", where);
			pgal_aws_response_free(&resp);
		}
	}
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}
