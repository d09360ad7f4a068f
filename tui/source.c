/* Photo sources: reference counting and the fixed-array kind (search
 * results). The album kind is in pager.c. */
#include <stdlib.h>
#include <string.h>

#include "app.h"

void
tui_source_ref(tui_source *s)
{
	s->refs++;
}

void
tui_source_unref(tui_source *s)
{
	if (s != NULL && --s->refs <= 0)
		s->ops->free(s);
}

struct array_source {
	tui_source src;
	pgal_photo *rows;
	size_t n;
};

static size_t
array_count(tui_source *s)
{
	return ((struct array_source *)s)->n;
}

static const pgal_photo *
array_get(tui_source *s, size_t i, pgal_err *e)
{
	struct array_source *a = (struct array_source *)s;

	if (i >= a->n) {
		pgal_fail(e, PGAL_ENOTFOUND, "no such row");
		return NULL;
	}
	return &a->rows[i];
}

static void
array_reload(tui_source *s)
{
	(void)s; /* results are a snapshot; the photo view re-reads rows */
}

static void
array_free(tui_source *s)
{
	struct array_source *a = (struct array_source *)s;

	free(a->rows);
	free(a);
}

static const tui_source_ops array_ops = {
	.count = array_count,
	.get = array_get,
	.reload = array_reload,
	.free = array_free,
};

tui_source *
tui_source_array(const pgal_photo *rows, size_t n)
{
	struct array_source *a;

	if ((a = calloc(1, sizeof *a)) == NULL)
		return NULL;
	if (n > 0 && (a->rows = calloc(n, sizeof *rows)) == NULL) {
		free(a);
		return NULL;
	}
	if (n > 0)
		memcpy(a->rows, rows, n * sizeof *rows);
	a->n = n;
	a->src.ops = &array_ops;
	a->src.refs = 1;
	return &a->src;
}

