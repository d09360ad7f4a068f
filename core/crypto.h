/* Small crypto helpers on OpenSSL: random tokens, digests, constant-time
 * compare, wiping secrets. */
#ifndef PGAL_CRYPTO_H
#define PGAL_CRYPTO_H

#include <stddef.h>

#include "err.h"

/* n random bytes from OpenSSL's CSPRNG. */
int pgal_random_bytes(void *buf, size_t n, pgal_err *e);
/* 2n lowercase hex characters of n random bytes, NUL-terminated (out has 2n+1). */
int pgal_random_hex(char *out, size_t nbytes, pgal_err *e);
/* len characters drawn uniformly (no modulo bias) from alphabet (1..256
 * characters), NUL-terminated (out has len+1). */
int pgal_random_from(char *out, size_t len, const char *alphabet, pgal_err *e);

/* SHA-256 as 64 lowercase hex + NUL. */
void pgal_sha256_hex(const void *data, size_t len, char out[65]);
/* SHA-256 of fd from offset 0 to EOF; the offset is left at EOF. */
int pgal_sha256_fd(int fd, char out[65], pgal_err *e);
/* The digests of a file that clients check it by, as lowercase hex. */
typedef struct pgal_digests {
	char md5[33];
	char sha1[41];
	char sha256[65];
} pgal_digests;
/* All three in one read of fd from offset 0 (a pipe: what it gives) to EOF. */
int pgal_digests_fd(int fd, pgal_digests *d, pgal_err *e);

/* Constant-time equality of two NUL-terminated strings of the same length
 * (different lengths compare unequal without leaking where they differ). */
int pgal_ct_streq(const char *a, const char *b);

/* Wipes n bytes of a secret in a way the compiler keeps. */
void pgal_wipe(void *p, size_t n);

#endif
