/* The SigV4 canonical request from what reaches it from outside: object
 * keys made from names, query parameters (a continuation token S3 sent),
 * header values. The input is lines: flags (a byte: S3 path, the
 * x-amz-content-sha256 header, presign), method, path, then "?name=value"
 * query parameters and "name:value" headers. A request the signer takes
 * must come out as one Authorization line or one query string. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aws/aws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define PARAMS_MAX 16

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_aws_kv query[PARAMS_MAX], headers[PARAMS_MAX + 1];
	pgal_sigv4_request r;
	pgal_sigv4_result out;
	pgal_aws_creds creds;
	char *text, *line, *next, *sep;
	unsigned flags;
	size_t nq = 0, nh = 0;
	int field = 0, rc;
	pgal_err e;

	if (size < 1)
		return 0;
	flags = data[0];
	if ((text = malloc(size)) == NULL)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	memset(&r, 0, sizeof r);
	r.method = "GET";
	r.path = "/";
	r.s3 = flags & 1;
	r.content_sha256_header = (flags & 2) != 0;
	r.payload_hash = (flags & 8) ? PGAL_AWS_UNSIGNED_PAYLOAD :
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	r.service = "s3";
	r.region = "eu-west-1";
	r.when = 1700000000;
	headers[nh++] = (pgal_aws_kv){ "host", "bucket.s3.eu-west-1.amazonaws.com" };
	for (line = text; line != NULL; line = next, field++) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (field == 0)
			r.method = line;
		else if (field == 1)
			r.path = line;
		else if (line[0] == '?' && nq < PARAMS_MAX) {
			sep = strchr(line, '=');
			if (sep != NULL)
				*sep++ = '\0';
			query[nq++] = (pgal_aws_kv){ line + 1, sep };
		} else if ((sep = strchr(line, ':')) != NULL && nh <= PARAMS_MAX) {
			*sep++ = '\0';
			headers[nh++] = (pgal_aws_kv){ line, sep };
		}
	}
	r.query = query;
	r.nquery = nq;
	r.headers = headers;
	r.nheaders = nh;
	memset(&creds, 0, sizeof creds);
	strcpy(creds.access_key_id, "AKIDEXAMPLE");
	strcpy(creds.secret_access_key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
	if (flags & 16)
		strcpy(creds.session_token, "token/with+odd=chars");
	memset(&out, 0, sizeof out);
	pgal_err_clear(&e);
	if (flags & 4)
		rc = pgal_sigv4_presign(&r, &creds, 3600, &out, &e);
	else
		rc = pgal_sigv4_sign(&r, &creds, &out, &e);
	if (rc == PGAL_OK) {
		if (strlen(out.signature) != 64 ||
		    (out.authorization != NULL && strpbrk(out.authorization, "\r\n") != NULL) ||
		    (out.query != NULL && strpbrk(out.query, "\r\n #") != NULL))
			abort();
	}
	pgal_sigv4_result_free(&out);
	free(text);
	return 0;
}
