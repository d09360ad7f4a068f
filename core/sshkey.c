/* SSH public keys as users paste them. The blob is checked field by field
 * through a bounded reader, so a pasted line cannot smuggle anything past the
 * type check. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "reader.h"
#include "sanitize.h"
#include "sshkey.h"

static const char *const accepted_types[] = {
	"ssh-ed25519",
	"ecdsa-sha2-nistp256",
	"ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521",
	"ssh-rsa", /* the key format; servers sign with rsa-sha2-256/512 */
	"sk-ssh-ed25519@openssh.com",
	"sk-ecdsa-sha2-nistp256@openssh.com",
	NULL,
};

static int
type_accepted(const char *t)
{
	int i;

	for (i = 0; accepted_types[i] != NULL; i++)
		if (strcmp(t, accepted_types[i]) == 0)
			return 1;
	return 0;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Strict standard base64 with padding; returns the decoded length or -1. */
static long
b64_decode(const char *in, unsigned char *out, size_t outsz)
{
	size_t n = strlen(in), i, o = 0;
	int pad = 0;

	if (n == 0 || n % 4 != 0)
		return -1;
	if (in[n - 1] == '=')
		pad++;
	if (in[n - 2] == '=')
		pad++;
	for (i = 0; i < n; i += 4) {
		int v[4], j;
		for (j = 0; j < 4; j++) {
			if (in[i + j] == '=' && i + 4 == n && j >= 4 - pad)
				v[j] = 0;
			else if ((v[j] = b64_value((unsigned char)in[i + j])) < 0)
				return -1;
		}
		uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
		if (o + 3 > outsz)
			return -1;
		out[o++] = (unsigned char)(w >> 16);
		out[o++] = (unsigned char)(w >> 8);
		out[o++] = (unsigned char)w;
	}
	return (long)(o - (size_t)pad);
}

/* Checks the blob: its type string, then as many fields as the type has. */
static int
blob_well_formed(const char *algo, const unsigned char *blob, size_t len)
{
	pgal_reader r;
	const unsigned char *s;
	size_t n, fields, i;

	pgal_reader_init(&r, blob, len);
	if (pgal_read_string(&r, &s, &n) != 0 || n != strlen(algo) || memcmp(s, algo, n) != 0)
		return 0;
	if (strcmp(algo, "ssh-ed25519") == 0) {
		if (pgal_read_string(&r, &s, &n) != 0 || n != 32)
			return 0;
		return pgal_reader_left(&r) == 0;
	}
	if (strcmp(algo, "ssh-rsa") == 0)
		fields = 2; /* e, n */
	else if (strcmp(algo, "sk-ssh-ed25519@openssh.com") == 0)
		fields = 2; /* key, application */
	else if (strcmp(algo, "sk-ecdsa-sha2-nistp256@openssh.com") == 0)
		fields = 3; /* curve, point, application */
	else
		fields = 2; /* curve, point */
	for (i = 0; i < fields; i++)
		if (pgal_read_string(&r, &s, &n) != 0 || n == 0)
			return 0;
	if (strcmp(algo, "ssh-rsa") == 0) {
		/* modulus: at least 2048 bits (256 bytes, maybe a leading zero) */
		if (n < 256)
			return 0;
	}
	return pgal_reader_left(&r) == 0;
}

static int
fingerprint_of(const unsigned char *blob, size_t len, char out[64])
{
	unsigned char md[32], enc[48];
	unsigned int mdlen = 0;
	int n;

	if (EVP_Digest(blob, len, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
		return -1;
	n = EVP_EncodeBlock(enc, md, 32); /* 44 characters, one '=' */
	while (n > 0 && enc[n - 1] == '=')
		n--;
	snprintf(out, 64, "SHA256:%.*s", n, (const char *)enc);
	return 0;
}

int
pgal_sshkey_fingerprint(const char *algo, const char *b64, char out[64], pgal_err *e)
{
	static unsigned char blob[PGAL_SSHKEY_B64_MAX];
	long len;

	if (!type_accepted(algo))
		return pgal_fail(e, PGAL_EINPUT, "key type not accepted");
	if (strlen(b64) > PGAL_SSHKEY_B64_MAX || (len = b64_decode(b64, blob, sizeof blob)) <= 0 ||
	    !blob_well_formed(algo, blob, (size_t)len))
		return pgal_fail(e, PGAL_EINPUT, "malformed %s key", algo);
	if (fingerprint_of(blob, (size_t)len, out) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "cannot hash the key");
	return PGAL_OK;
}

int
pgal_sshkey_parse(const char *line, pgal_sshkey_parsed *k, pgal_err *e)
{
	const char *p = line, *t;
	size_t n;
	int rc;

	memset(k, 0, sizeof k[0]);
	while (*p == ' ' || *p == '\t')
		p++;
	t = p;
	n = strcspn(p, " \t");
	if (n == 0 || n >= sizeof k->algo)
		return pgal_fail(e, PGAL_EINPUT, "not an SSH public key line (TYPE BASE64 [COMMENT])");
	memcpy(k->algo, t, n);
	if (!type_accepted(k->algo))
		return pgal_fail(e, PGAL_EINPUT, "key type '%.*s' not accepted (use ssh-ed25519, "
				 "ecdsa-sha2-nistp256/384/521 or ssh-rsa of 2048+ bits)",
				 (int)(n > 40 ? 40 : n), k->algo);
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strcspn(p, " \t\r\n");
	if (n == 0 || n > PGAL_SSHKEY_B64_MAX)
		return pgal_fail(e, PGAL_EINPUT, "missing or oversized key data");
	memcpy(k->b64, p, n);
	k->b64[n] = '\0';
	p += n;
	while (*p == ' ' || *p == '\t')
		p++;
	if ((rc = pgal_sshkey_fingerprint(k->algo, k->b64, k->fingerprint, e)) != PGAL_OK)
		return rc;
	pgal_sanitize(k->comment, sizeof k->comment, p, 0);
	/* a trailing newline sanitizes to a space */
	n = strlen(k->comment);
	while (n > 0 && k->comment[n - 1] == ' ')
		k->comment[--n] = '\0';
	return PGAL_OK;
}
