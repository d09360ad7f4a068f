/* URI encoding the SigV4 way: RFC 3986 unreserved characters as they are,
 * every other byte as %XX. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"
#include "hex.h"

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~';
}

void
pgal_aws_uri_append(pgal_buf *sb, const char *s, size_t n, int keep_slash)
{
	char	 pct[4];
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
		pgal_hex_upper(s + i, 1, pct + 1);
		pgal_buf_add(sb, pct, 3);
		i++;
	}
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
