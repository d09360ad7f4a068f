/* Blob backends and the keys the core makes for them. */
#include <stdio.h>
#include <string.h>

#include "backend-find.h"
#include "blobs/blobs.h"
#include "records.h"

/* every blob backend, by its config name */
static const void *const backends[] = {
	&pgal_blobs_fs,
	&pgal_blobs_s3,
};

const pgal_blobs_ops *
pgal_blobs_find(const char *name)
{
	return pgal_backend_find(backends, sizeof backends / sizeof backends[0], name);
}

static const char *const kinds[] = { "orig", "thumb", "preview" };
#define NKINDS (sizeof kinds / sizeof kinds[0])

/* 32 lowercase hex digits: what pgal_random_hex(16) makes */
static int
valid_id(const char *id, size_t len)
{
	size_t i;

	if (len != PGAL_BLOB_ID_HEX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return 1;
}

void
pgal_blob_key(char out[PGAL_BLOB_KEY_MAX], const char *blob_id, pgal_blob_kind kind)
{
	/* a bad id or kind gives "", which every backend refuses */
	out[0] = '\0';
	if (blob_id == NULL || (unsigned)kind >= NKINDS ||
	    !valid_id(blob_id, strlen(blob_id)))
		return;
	snprintf(out, PGAL_BLOB_KEY_MAX, "%s/%.2s/%s", kinds[kind], blob_id, blob_id);
}

int
pgal_blob_key_id(const char *key, char id_out[33])
{
	const char *p, *id;
	size_t i, n;

	if (key == NULL)
		return 0;
	/* "<kind>/<id[0..1]>/<id>" exactly: this is what stops traversal */
	for (i = 0; i < NKINDS; i++) {
		n = strlen(kinds[i]);
		if (strncmp(key, kinds[i], n) == 0 && key[n] == '/')
			break;
	}
	if (i == NKINDS)
		return 0;
	p = key + n + 1;
	if (p[0] == '\0' || p[1] == '\0' || p[2] != '/')
		return 0;
	id = p + 3;
	if (!valid_id(id, strlen(id)) || id[0] != p[0] || id[1] != p[1])
		return 0;
	memcpy(id_out, id, PGAL_BLOB_ID_HEX + 1);
	return 1;
}

int
pgal_blob_key_check(const char *key, pgal_err *e)
{
	char id[PGAL_BLOB_ID_HEX + 1];

	if (!pgal_blob_key_id(key, id))
		return pgal_fail(e, PGAL_EINPUT, "not a blob key");
	return PGAL_OK;
}
