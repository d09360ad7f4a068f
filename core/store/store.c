/* The metadata store backends, by name. Adding one (mysql, dynamodb) is one
 * line in the table below plus its folder core/store/<name>/. */

#include <stdlib.h>
#include <string.h>

#include "store/store.h"

static const pgal_store_ops *const backends[] = {
	&pgal_store_sqlite,
	&pgal_store_mysql,
	&pgal_store_dynamodb,
};

const pgal_store_ops *
pgal_store_find(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof backends / sizeof backends[0]; i++)
		if (strcmp(backends[i]->name, name) == 0)
			return backends[i];
	return NULL;
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
