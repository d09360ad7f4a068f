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
