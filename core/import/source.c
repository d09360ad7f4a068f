/* What every import source shares: the item list, and the choice of a
 * source from what the user typed. */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "import/import.h"

int
pgal_import_list_add(pgal_import_list *l, const char *path, int64_t bytes, int unreadable,
		     pgal_err *e)
{
	if (l->n >= PGAL_IMPORT_MAX)
		return pgal_fail(e, PGAL_EINPUT, "more than %d files to import at once; import "
				 "one folder at a time", PGAL_IMPORT_MAX);
	if (PGAL_GROW(l->v, l->cap, l->n + 1) == -1)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if ((l->v[l->n].path = strdup(path)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	l->v[l->n].bytes = bytes;
	l->v[l->n].unreadable = unreadable;
	l->n++;
	return PGAL_OK;
}

void
pgal_import_list_free(pgal_import_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i].path);
	free(l->v);
	memset(l, 0, sizeof *l);
}

int
pgal_import_source_open(pgal_import_source **s, const pgal_config *cfg, const char *where,
			pgal_err *e)
{
	*s = NULL;
	if (strncmp(where, "s3://", 5) == 0)
		return pgal_import_s3_open(s, cfg, where, e);
	return pgal_import_dir_open(s, where, e);
}
