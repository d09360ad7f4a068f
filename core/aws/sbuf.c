/* A growing string buffer and small byte helpers for the AWS layer. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/hmac.h>

#include "aws/aws-int.h"

static int
grow(pgal_sbuf *sb, size_t n)
{
	size_t	 ncap;
	char	*np;

	if (sb->oom)
		return -1;
	if (n > ((size_t)-1) / 2 - sb->len) {
		sb->oom = 1;
		return -1;
	}
	if (sb->len + n + 1 <= sb->cap)
		return 0;
	ncap = sb->cap ? sb->cap : 256;
	while (ncap < sb->len + n + 1)
		ncap *= 2;
	if ((np = realloc(sb->p, ncap)) == NULL) {
		sb->oom = 1;
		return -1;
	}
	sb->p = np;
	sb->cap = ncap;
	return 0;
}

void
pgal_sb_add(pgal_sbuf *sb, const char *s, size_t n)
{
	if (grow(sb, n) == -1)
		return;
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void
pgal_sb_adds(pgal_sbuf *sb, const char *s)
{
	pgal_sb_add(sb, s, strlen(s));
}

void
pgal_sb_addc(pgal_sbuf *sb, char c)
{
	pgal_sb_add(sb, &c, 1);
}

void
pgal_sb_addf(pgal_sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->oom = 1;
		return;
	}
	if (grow(sb, (size_t)n) == -1)
		return;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

void
pgal_sb_add_encoded(pgal_sbuf *sb, const char *s, size_t n, int keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	char	 pct[3];
	size_t	 i, run;

	for (i = 0; i < n; ) {
		/* copy runs of characters that stay as they are at once */
		for (run = i; run < n && (unreserved((unsigned char)s[run]) ||
		    (keep_slash && s[run] == '/')); run++)
			;
		if (run > i) {
			pgal_sb_add(sb, s + i, run - i);
			i = run;
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[(unsigned char)s[i] >> 4];
		pct[2] = hex[(unsigned char)s[i] & 15];
		pgal_sb_add(sb, pct, 3);
		i++;
	}
}

char *
pgal_sb_take(pgal_sbuf *sb)
{
	char *p;

	if (sb->oom) {
		pgal_sb_free(sb);
		return NULL;
	}
	if (sb->p == NULL)
		return strdup("");
	p = sb->p;
	sb->p = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
pgal_sb_free(pgal_sbuf *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
	sb->oom = 0;
}

void
pgal_hmac_sha256(const void *key, size_t keylen, const void *data, size_t len,
    unsigned char out[32])
{
	unsigned int olen = 32;

	HMAC(EVP_sha256(), key, (int)keylen, data, len, out, &olen);
}

void
pgal_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

void
pgal_wipe(void *p, size_t n)
{
	OPENSSL_cleanse(p, n);
}

void
pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, o = 0;

	if (outsz == 0)
		return;
	for (i = 0; i < len && o + 1 < outsz; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	/* do not leave half a UTF-8 character at the cut */
	if (i < len)
		while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
			o--;
	if (i < len && o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0xc0)
		o--;
	out[o] = '\0';
}

size_t
pgal_aws_uri_encode(char *out, size_t size, const char *s, size_t len, int keep_slash)
{
	pgal_sbuf sb = { 0 };
	size_t n;

	pgal_sb_add_encoded(&sb, s, len, keep_slash);
	if (sb.oom || sb.len >= size) {
		pgal_sb_free(&sb);
		if (size > 0)
			out[0] = '\0';
		return (size_t)-1;
	}
	n = sb.len;
	memcpy(out, sb.p ? sb.p : "", n + 1);
	pgal_sb_free(&sb);
	return n;
}

char *
pgal_aws_uri_encode_dup(const char *s, int keep_slash)
{
	pgal_sbuf sb = { 0 };

	pgal_sb_add_encoded(&sb, s, strlen(s), keep_slash);
	return pgal_sb_take(&sb);
}
