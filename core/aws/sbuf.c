/* Small helpers of the AWS layer: SigV4 percent-encoding, HMAC, hex and
 * printable copies of untrusted text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/hmac.h>

#include "aws/aws.h"
#include "aws/aws-int.h"

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

void
pgal_aws_uri_append(pgal_buf *sb, const char *s, size_t n, int keep_slash)
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
			pgal_buf_add(sb, s + i, run - i);
			i = run;
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[(unsigned char)s[i] >> 4];
		pct[2] = hex[(unsigned char)s[i] & 15];
		pgal_buf_add(sb, pct, 3);
		i++;
	}
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
	pgal_buf sb = { 0 };
	size_t n;

	pgal_aws_uri_append(&sb, s, len, keep_slash);
	if (sb.failed || sb.len >= size) {
		pgal_buf_free(&sb);
		if (size > 0)
			out[0] = '\0';
		return (size_t)-1;
	}
	n = sb.len;
	memcpy(out, sb.p ? sb.p : "", n + 1);
	pgal_buf_free(&sb);
	return n;
}

char *
pgal_aws_uri_encode_dup(const char *s, int keep_slash)
{
	pgal_buf sb = { 0 };

	pgal_aws_uri_append(&sb, s, strlen(s), keep_slash);
	return pgal_buf_take(&sb);
}
