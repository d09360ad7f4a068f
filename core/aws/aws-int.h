/* Internals of the AWS layer shared by its files: a growing string buffer
 * and the HMAC helper. Not for use outside core/aws/ and its tests. */
#ifndef PGAL_AWS_INT_H
#define PGAL_AWS_INT_H

#include <stddef.h>

/* A growing NUL-terminated string; on allocation failure it remembers and
 * every later add is a no-op, so callers check once at the end. */
typedef struct pgal_sbuf {
	char	*p;
	size_t	 len, cap;
	int	 oom;
} pgal_sbuf;

void pgal_sb_add(pgal_sbuf *sb, const char *s, size_t n);
void pgal_sb_adds(pgal_sbuf *sb, const char *s);
void pgal_sb_addc(pgal_sbuf *sb, char c);
void pgal_sb_addf(pgal_sbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends s percent-encoded the SigV4 way. */
void pgal_sb_add_encoded(pgal_sbuf *sb, const char *s, size_t n, int keep_slash);
/* The string (malloc'd, caller frees), or NULL after an allocation failure
 * (the buffer is freed either way). */
char *pgal_sb_take(pgal_sbuf *sb);
void pgal_sb_free(pgal_sbuf *sb);

/* HMAC-SHA256 of data with key into out (32 bytes). */
void pgal_hmac_sha256(const void *key, size_t keylen, const void *data,
    size_t len, unsigned char out[32]);
/* Lower-case hex of n bytes into out (2n + 1). */
void pgal_hex(const unsigned char *in, size_t n, char *out);

/* Wipes n bytes in a way the compiler keeps. */
void pgal_wipe(void *p, size_t n);

/* A short, printable copy of untrusted text for messages: control
 * characters become '?', cut at outsz - 1 bytes. */
void pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len);

#endif
