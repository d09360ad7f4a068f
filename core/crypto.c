/* Random tokens, SHA-256, constant-time comparison and wiping on OpenSSL. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "crypto.h"
#include "hex.h"

#define SHA256_READ (64 * 1024)

int
pgal_random_bytes(void *buf, size_t n, pgal_err *e)
{
	unsigned char *p = buf;

	/* RAND_bytes takes an int: feed large requests in pieces */
	while (n > 0) {
		int chunk = n > 65536 ? 65536 : (int)n;

		if (RAND_bytes(p, chunk) != 1) {
			return pgal_fail(e, PGAL_EBACKEND,
			    "random number generator failed (OpenSSL error %lu)",
			    ERR_get_error());
		}
		p += chunk;
		n -= chunk;
	}
	return PGAL_OK;
}

int
pgal_random_hex(char *out, size_t nbytes, pgal_err *e)
{
	unsigned char *raw;
	int rc;

	if (nbytes > SIZE_MAX / 2 - 1)
		return pgal_fail(e, PGAL_EUSAGE, "random_hex: size too large");
	if ((raw = malloc(nbytes ? nbytes : 1)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((rc = pgal_random_bytes(raw, nbytes, e)) == PGAL_OK)
		pgal_hex(raw, nbytes, out);
	else
		out[0] = '\0';
	OPENSSL_cleanse(raw, nbytes);
	free(raw);
	return rc;
}

int
pgal_random_from(char *out, size_t len, const char *alphabet, pgal_err *e)
{
	unsigned char buf[64];
	size_t n, limit, have = 0, used = 0, i = 0;
	int rc;

	n = alphabet != NULL ? strlen(alphabet) : 0;
	if (n == 0 || n > 256)
		return pgal_fail(e, PGAL_EUSAGE,
		    "random_from: alphabet must have 1 to 256 characters");
	/*
	 * Rejection sampling: bytes at or above the largest multiple of n
	 * that fits in 256 are thrown away, so every character is equally
	 * likely (a plain b % n would favour the first 256 % n).
	 */
	limit = 256 - (256 % n);
	while (i < len) {
		if (used == have) {
			if ((rc = pgal_random_bytes(buf, sizeof buf, e)) != PGAL_OK) {
				out[0] = '\0';
				return rc;
			}
			have = sizeof buf;
			used = 0;
		}
		if (buf[used] < limit)
			out[i++] = alphabet[buf[used] % n];
		used++;
	}
	out[len] = '\0';
	OPENSSL_cleanse(buf, sizeof buf);
	return PGAL_OK;
}

void
pgal_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	/* one-shot digest; only fails on allocation, then out is empty */
	if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32) {
		out[0] = '\0';
		return;
	}
	pgal_hex(md, 32, out);
}

int
pgal_sha256_fd(int fd, char out[65], pgal_err *e)
{
	pgal_digests d;
	int rc;

	rc = pgal_digests_fd(fd, &d, e);
	memcpy(out, d.sha256, sizeof d.sha256);
	return rc;
}

int
pgal_digests_fd(int fd, pgal_digests *d, pgal_err *e)
{
	static const struct {
		const char *name;
		const EVP_MD *(*md)(void);
		size_t off, len; /* where the hex goes in d, and the digest's bytes */
	} kinds[] = {
		{ "md5", EVP_md5, offsetof(pgal_digests, md5), 16 },
		{ "sha1", EVP_sha1, offsetof(pgal_digests, sha1), 20 },
		{ "sha256", EVP_sha256, offsetof(pgal_digests, sha256), 32 },
	};
	enum { NKINDS = sizeof kinds / sizeof kinds[0] };
	EVP_MD_CTX	*ctx[NKINDS] = { NULL };
	unsigned char	*buf, md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen;
	ssize_t		 r;
	size_t		 i;
	int		 rc = PGAL_OK;

	memset(d, 0, sizeof *d);
	/* a pipe has no offset: hash what it gives */
	if (lseek(fd, 0, SEEK_SET) == -1 && errno != ESPIPE)
		return pgal_fail(e, PGAL_EBACKEND, "digest: seek: %s", strerror(errno));
	if ((buf = malloc(SHA256_READ)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	for (i = 0; i < NKINDS; i++) {
		if ((ctx[i] = EVP_MD_CTX_new()) == NULL ||
		    EVP_DigestInit_ex(ctx[i], kinds[i].md(), NULL) != 1) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: cannot initialise digest",
			    kinds[i].name);
			goto out;
		}
	}
	for (;;) {
		r = read(fd, buf, SHA256_READ);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			rc = pgal_fail(e, PGAL_EBACKEND, "digest: read: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		for (i = 0; i < NKINDS; i++) {
			if (EVP_DigestUpdate(ctx[i], buf, (size_t)r) != 1) {
				rc = pgal_fail(e, PGAL_EBACKEND, "%s: digest failed",
				    kinds[i].name);
				goto out;
			}
		}
	}
	for (i = 0; i < NKINDS; i++) {
		mdlen = 0;
		if (EVP_DigestFinal_ex(ctx[i], md, &mdlen) != 1 || mdlen != kinds[i].len) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: digest failed", kinds[i].name);
			goto out;
		}
		pgal_hex(md, mdlen, (char *)d + kinds[i].off);
	}
out:
	for (i = 0; i < NKINDS; i++)
		EVP_MD_CTX_free(ctx[i]);
	free(buf);
	if (rc != PGAL_OK)
		memset(d, 0, sizeof *d);
	return rc;
}

int
pgal_ct_streq(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return 0;
	la = strlen(a);
	lb = strlen(b);
	/* the length is not secret (hashes have fixed lengths); the content is */
	if (la != lb)
		return 0;
	return CRYPTO_memcmp(a, b, la) == 0;
}

void
pgal_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}
