/* Finding a backend table by its config name, for the registries. */
#include <string.h>

#include "backend-find.h"

const void *
pgal_backend_find(const void *const *tables, size_t n, const char *name)
{
	const char *const *first;
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		/* a struct's address is that of its first member, the name */
		first = tables[i];
		if (strcmp(*first, name) == 0)
			return tables[i];
	}
	return NULL;
}
