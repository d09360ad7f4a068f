/* Reading AWS answers: a minimal, bounded XML element finder (S3 speaks
 * flat, namespace-free XML for what pgal reads) and error bodies in XML or
 * JSON turned into code, message and request id. */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "aws/aws.h"
#include "aws/aws-int.h"
#include "hex.h"
#include "sanitize.h"

static const char *
find(const char *h, size_t hlen, const char *n, size_t nlen)
{
	if (nlen == 0 || nlen > hlen)
		return NULL;
	return memmem(h, hlen, n, nlen);
}

int
pgal_aws_xml_find(const char *xml, size_t len, const char *tag, size_t *pos,
    const char **inner, size_t *innerlen)
{
	char	    open[80], close[80];
	size_t	    tl = strlen(tag), at = *pos;
	const char *p, *q, *end = xml + len;

	if (tl == 0 || tl > 64 || at > len)
		return 0;
	snprintf(open, sizeof open, "<%s", tag);
	snprintf(close, sizeof close, "</%s>", tag);
	while ((p = find(xml + at, len - at, open, tl + 1)) != NULL) {
		p += tl + 1;
		/* <Key> or <Key attr=...> or <Key/>, not <KeyMarker> */
		if (p < end && (*p == '>' || *p == ' ' || *p == '/' || *p == '\t' ||
		    *p == '\n' || *p == '\r')) {
			q = memchr(p, '>', (size_t)(end - p));
			if (q == NULL)
				return 0;
			if (q[-1] == '/') {
				*inner = q;
				*innerlen = 0;
				*pos = (size_t)(q + 1 - xml);
				return 1;
			}
			q++;
			p = find(q, (size_t)(end - q), close, tl + 3);
			if (p == NULL)
				return 0;
			*inner = q;
			*innerlen = (size_t)(p - q);
			*pos = (size_t)(p + tl + 3 - xml);
			return 1;
		}
		at = (size_t)(p - xml);
	}
	return 0;
}

/* Appends one UTF-8 encoded code point; -1 if it is not one. */
static int
put_utf8(char *out, size_t outsz, size_t *o, unsigned long cp)
{
	unsigned char b[4];
	size_t n, i;

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | (cp >> 6));
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | (cp >> 12));
		b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | (cp >> 18));
		b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	if (*o + n >= outsz)
		return -1;
	for (i = 0; i < n; i++)
		out[(*o)++] = (char)b[i];
	return 0;
}

int
pgal_aws_xml_text(const char *xml, size_t len, const char *tag, char *out,
    size_t outsz)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	const char *in;
	size_t	    inlen, pos = 0, i, o = 0, k;

	if (outsz == 0)
		return -1;
	out[0] = '\0';
	if (!pgal_aws_xml_find(xml, len, tag, &pos, &in, &inlen))
		return 0;
	for (i = 0; i < inlen; ) {
		if (in[i] == '<')
			return -1;	/* nested elements: not a text element */
		if (in[i] != '&') {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = in[i++];
			continue;
		}
		for (k = 0; k < sizeof ents / sizeof ents[0]; k++) {
			size_t el = strlen(ents[k].ent);

			if (inlen - i >= el && memcmp(in + i, ents[k].ent, el) == 0) {
				if (o + 1 >= outsz)
					return -1;
				out[o++] = ents[k].c;
				i += el;
				break;
			}
		}
		if (k < sizeof ents / sizeof ents[0])
			continue;
		/* &#NNN; and &#xHH; */
		if (inlen - i > 3 && in[i + 1] == '#') {
			unsigned long cp = 0;
			size_t j = i + 2;
			int hex = 0, digits = 0;

			if (in[j] == 'x') {
				hex = 1;
				j++;
			}
			for (; j < inlen && in[j] != ';' && digits < 8; j++, digits++) {
				int d = hex ? pgal_hex_digit((unsigned char)in[j]) :
				    in[j] >= '0' && in[j] <= '9' ? in[j] - '0' : -1;

				if (d < 0)
					return -1;
				cp = cp * (hex ? 16 : 10) + (unsigned long)d;
			}
			if (j >= inlen || in[j] != ';' || digits == 0 ||
			    put_utf8(out, outsz, &o, cp) == -1)
				return -1;
			i = j + 1;
			continue;
		}
		return -1;
	}
	out[o] = '\0';
	return 1;
}

void
pgal_aws_printable(char *out, size_t outsz, const char *s, size_t len)
{
	/* the one sanitizer: escape sequences go whole, invalid UTF-8 too,
	 * and the cut never halves a character */
	(void)pgal_sanitize_n(out, outsz, s, len, 0);
}

static void
copy_text(char *out, size_t outsz, const char *s)
{
	if (outsz == 0)
		return;
	pgal_aws_printable(out, outsz, s ? s : "", s ? strlen(s) : 0);
}

void
pgal_aws_parse_error(pgal_aws_errfmt fmt, const char *body, size_t len,
    char *code, size_t codesz, char *msg, size_t msgsz, char *reqid,
    size_t reqidsz)
{
	char tmp[1024];

	copy_text(code, codesz, "");
	copy_text(msg, msgsz, "");
	copy_text(reqid, reqidsz, "");
	if (body == NULL || len == 0)
		return;
	if (fmt == PGAL_AWS_ERR_XML) {
		if (pgal_aws_xml_text(body, len, "Code", tmp, sizeof tmp) == 1)
			copy_text(code, codesz, tmp);
		if (pgal_aws_xml_text(body, len, "Message", tmp, sizeof tmp) == 1)
			copy_text(msg, msgsz, tmp);
		if (pgal_aws_xml_text(body, len, "RequestId", tmp, sizeof tmp) == 1)
			copy_text(reqid, reqidsz, tmp);
		return;
	}
	{
		json_error_t jerr;
		json_t	    *j, *v;
		const char  *c = NULL, *hash;
		const char  *keys[] = { "__type", "code", "Code" };
		const char  *mkeys[] = { "message", "Message", "errorMessage" };
		size_t	     i;

		/* bounded: AWS error bodies are small; refuse to parse a huge one */
		if (len > 65536 ||
		    (j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr)) == NULL)
			return;
		if (json_is_object(j)) {
			for (i = 0; i < 3 && c == NULL; i++)
				if (json_is_string(v = json_object_get(j, keys[i])))
					c = json_string_value(v);
			/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" */
			if (c != NULL && (hash = strrchr(c, '#')) != NULL)
				c = hash + 1;
			copy_text(code, codesz, c);
			/* REST-JSON types may carry ":<doc url>" after the name */
			if (codesz > 0 && (hash = strchr(code, ':')) != NULL)
				*(char *)hash = '\0';
			for (i = 0; i < 3; i++)
				if (json_is_string(v = json_object_get(j, mkeys[i]))) {
					copy_text(msg, msgsz, json_string_value(v));
					break;
				}
		}
		json_decref(j);
	}
}
