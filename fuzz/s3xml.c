/* S3's XML answers: a ListObjectsV2 page read as the blob store's listing
 * reads it (each Contents' Key, LastModified and Size, then IsTruncated and
 * the continuation token), an upload id, and an error body. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "aws/aws.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *xml = (const char *)data, *in;
	char key[1024], lm[64], sz[32], trunc[8], token[1024], id[256];
	char code[128], msg[512], reqid[128];
	size_t inlen, pos = 0, prev = 0;
	int contents = 0;

	while (pgal_aws_xml_find(xml, size, "Contents", &pos, &in, &inlen)) {
		/* the inner part lies inside the body and the cursor moves on */
		if (in < xml || in + inlen > xml + size || pos <= prev || pos > size ||
		    ++contents > 100000)
			__builtin_trap();
		prev = pos;
		pgal_aws_xml_text(in, inlen, "Key", key, sizeof key);
		pgal_aws_xml_text(in, inlen, "LastModified", lm, sizeof lm);
		pgal_aws_xml_text(in, inlen, "Size", sz, sizeof sz);
	}
	if (pgal_aws_xml_text(xml, size, "IsTruncated", trunc, sizeof trunc) == 1 &&
	    strlen(trunc) >= sizeof trunc)
		__builtin_trap();
	pgal_aws_xml_text(xml, size, "NextContinuationToken", token, sizeof token);
	pgal_aws_xml_text(xml, size, "UploadId", id, sizeof id);
	/* a small output: the cut must stay inside it */
	pgal_aws_xml_text(xml, size, "Key", id, 4);
	pgal_aws_parse_error(PGAL_AWS_ERR_XML, xml, size, code, sizeof code, msg, sizeof msg,
	    reqid, sizeof reqid);
	return 0;
}
