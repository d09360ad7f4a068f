/* The photo reads of the SQL stores (see sql-reads.h). */
#include <stddef.h>

#include "store/rows.h"
#include "store/sql-reads.h"

int
pgal_sql_read_page(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r,
    pgal_id album_id, pgal_sort sort, const pgal_cursor *cur, int backward, size_t limit,
    pgal_photo *out, size_t *n, pgal_err *e)
{
	pgal_sql_stmt *s;
	pgal_sql_args a;
	int shape, rc;

	*n = 0;
	if ((rc = pgal_sql_page_shape(sort, cur, backward, &shape, e)) != PGAL_OK)
		return rc;
	if (limit == 0)
		return PGAL_OK;
	s = &r->page[shape];
	if (s->q.sql == NULL && pgal_sql_page(ops->dialect, shape, &s->q) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	pgal_sql_page_args(&a, album_id, sort, cur, limit);
	/* a backward read comes nearest the cursor first */
	if ((rc = ops->run(store, s, 1, &a, limit, out, n, e)) == PGAL_OK && backward)
		pgal_store_photos_reverse(out, *n);
	return rc;
}

int
pgal_sql_read_search(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r,
    pgal_id user_id, pgal_id album_id, const char *const *words, size_t nwords,
    const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	pgal_sql_stmt one = { { NULL, NULL, 0 }, NULL }, *s = &one;
	pgal_sql_args a;
	int has_tag = tag != NULL, in_album = album_id != 0, rc;

	*n = 0;
	if (limit == 0)
		return PGAL_OK;
	if (pgal_sql_search_params(ops->dialect, nwords) > ops->dialect->max_params)
		return pgal_fail(e, PGAL_EINPUT, "too many search words");
	if (nwords <= PGAL_SQL_SEARCH_CACHED)
		s = &r->search[has_tag | in_album << 1][nwords];
	if (s->q.sql == NULL &&
	    pgal_sql_search(ops->dialect, has_tag, in_album, nwords, &s->q) != 0)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	if (pgal_sql_search_args(&a, ops->dialect, user_id, album_id, words, nwords, tag,
	    limit) != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
	else {
		rc = ops->run(store, s, s != &one, &a, limit, out, n, e);
		pgal_sql_args_free(&a);
	}
	if (one.st != NULL)
		ops->release(store, &one);
	pgal_sql_query_free(&one.q);
	return rc;
}

/* the statements of r one after the other: pages, then searches */
#define READS_COUNT (PGAL_SQL_PAGE_SHAPES + \
	PGAL_SQL_SEARCH_SHAPES * (PGAL_SQL_SEARCH_CACHED + 1))

static pgal_sql_stmt *
reads_nth(pgal_sql_reads *r, size_t i)
{
	if (i < PGAL_SQL_PAGE_SHAPES)
		return &r->page[i];
	i -= PGAL_SQL_PAGE_SHAPES;
	return &r->search[i / (PGAL_SQL_SEARCH_CACHED + 1)][i % (PGAL_SQL_SEARCH_CACHED + 1)];
}

void
pgal_sql_reads_release(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r)
{
	size_t i;

	for (i = 0; i < READS_COUNT; i++)
		if (reads_nth(r, i)->st != NULL)
			ops->release(store, reads_nth(r, i));
}

void
pgal_sql_reads_free(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r)
{
	size_t i;

	pgal_sql_reads_release(ops, store, r);
	for (i = 0; i < READS_COUNT; i++)
		pgal_sql_query_free(&reads_nth(r, i)->q);
}
