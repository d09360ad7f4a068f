/* The rows the store backends hand back (see rows.h). */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "store/rows.h"

void *
pgal_store_rows_slot(void **v, size_t *cap, size_t len, size_t size)
{
	if (pgal_grow(v, cap, len + 1, size) == -1)
		return NULL;
	return (unsigned char *)*v + len * size;
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

int
pgal_store_ids_add(pgal_store_ids *l, const char *id, pgal_err *e)
{
	char **slot;

	if ((slot = pgal_store_rows_slot((void **)&l->v, &l->cap, l->n, sizeof *l->v)) == NULL ||
	    (*slot = strdup(id)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	l->n++;
	return PGAL_OK;
}
