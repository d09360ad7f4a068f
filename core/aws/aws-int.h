/* Internals of the AWS layer shared by its files: the HMAC and hex helpers
 * and printable copies of untrusted text. Not for use outside core/aws/ and
 * its tests. */
#ifndef PGAL_AWS_INT_H
#define PGAL_AWS_INT_H

#include <stddef.h>

/* HMAC-SHA256 of data with key into out (32 bytes). */
void pgal_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[32]);
/* Lower-case hex of n bytes into out (2n + 1). */
void pgal_hex(const unsigned char *in, size_t n, char *out);

/* A short, printable copy of untrusted text for messages: control
 * characters become '?', cut at outsz - 1 bytes. */
void pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len);

#endif
