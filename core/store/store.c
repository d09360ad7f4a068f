/* The metadata store backends, by name. Adding one (mysql, dynamodb) is one
 * line in the table below plus its folder core/store/<name>/. */

#include <stdlib.h>

#include "backend-find.h"
#include "store/store.h"

static const void *const backends[] = {
	&pgal_store_sqlite,
	&pgal_store_mysql,
	&pgal_store_dynamodb,
};

const pgal_store_ops *
pgal_store_find(const char *name)
{
	return pgal_backend_find(backends, sizeof backends / sizeof backends[0], name);
}

void
pgal_store_free_ids(char **ids, size_t n)
{
	size_t i;

	if (ids == NULL)
		return;
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

void
pgal_store_photos_reverse(pgal_photo *v, size_t n)
{
	pgal_photo tmp;
	size_t i;

	for (i = 0; i < n / 2; i++) {
		tmp = v[i];
		v[i] = v[n - 1 - i];
		v[n - 1 - i] = tmp;
	}
}

void *
pgal_store_rows_slot(void **v, size_t *cap, size_t len, size_t size)
{
	unsigned char *nv;
	size_t ncap;

	if (len == *cap) {
		ncap = *cap == 0 ? 8 : *cap * 2;
		if ((nv = reallocarray(*v, ncap, size)) == NULL)
			return NULL;
		*v = nv;
		*cap = ncap;
	}
	return (unsigned char *)*v + len * size;
}
