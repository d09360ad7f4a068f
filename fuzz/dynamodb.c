/* DynamoDB's JSON answers: the body parsed as the store parses it, an
 * error body, and each item of Items, Item and Responses read attribute by
 * attribute as the store reads a photo (strings cut to their fields,
 * numbers range-checked). */
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "aws/aws.h"
#include "store/dynamodb/dynamodb-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_item(const json_t *it)
{
	pgal_photo p;
	char s[64];

	if (!json_is_object(it))
		return;
	ddb_photo_read(it, "album", &p);
	rd_s(it, "name", s, sizeof s);
	rd_s(it, "name", s, 2);
	rd_n(it, "size", 0);
	rd_d(it, "size", 0);
	rd_has(it, "pk");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[128], msg[512], reqid[128];
	json_t *out, *items, *v, *table;
	json_error_t jerr;
	const char *name;
	size_t i, j;

	pgal_aws_parse_error(PGAL_AWS_ERR_JSON, (const char *)data, size, code, sizeof code,
	    msg, sizeof msg, reqid, sizeof reqid);
	if ((out = json_loadb((const char *)data, size, 0, &jerr)) == NULL)
		return 0;
	if (json_is_object(out)) {
		items = json_object_get(out, "Items");
		for (i = 0; json_is_array(items) && i < json_array_size(items); i++)
			read_item(json_array_get(items, i));
		read_item(json_object_get(out, "Item"));
		read_item(json_object_get(out, "LastEvaluatedKey"));
		/* BatchGetItem: Responses { table: [items] } */
		json_object_foreach(json_object_get(out, "Responses"), name, table)
			json_array_foreach(table, j, v)
				read_item(v);
	}
	json_decref(out);
	return 0;
}
