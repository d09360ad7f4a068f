/* The photo reads of the SQL stores, run once for both: a keyset page
 * (photo_list, photo_list_before) and a search (photo_search) pick their
 * statement (sql-query.h), build it on first use and keep it, fill in the
 * values and put the rows in order; the store runs the statement with its
 * own client API through its pgal_sql_read_ops. */
#ifndef PGAL_SQL_READS_H
#define PGAL_SQL_READS_H

#include <stddef.h>

#include "err.h"
#include "records.h"
#include "store/sql-query.h"

/* search statements are kept for up to this many words; a longer search
 * gets one of its own, released after use */
#define PGAL_SQL_SEARCH_CACHED 8
/* with or without a tag, within an album or not */
#define PGAL_SQL_SEARCH_SHAPES 4

/* A built statement and, once prepared, the store's statement (its
 * client's type: sqlite3_stmt, MYSQL_STMT). */
typedef struct pgal_sql_stmt {
	pgal_sql_query q;
	void *st;
} pgal_sql_stmt;

typedef struct pgal_sql_read_ops {
	const pgal_sql_dialect *dialect;
	/* Prepares s->st from s->q.sql unless it is prepared (keep: it stays
	 * for the life of the handle), binds the values of a to s->q's
	 * parameters (pgal_sql_value_of) and reads up to limit rows into out. */
	int (*run)(void *store, pgal_sql_stmt *s, int keep, const pgal_sql_args *a,
	    size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
	/* Drops s->st (NULL after). */
	void (*release)(void *store, pgal_sql_stmt *s);
} pgal_sql_read_ops;

/* The statements a store keeps for these reads (all zero at first). */
typedef struct pgal_sql_reads {
	pgal_sql_stmt page[PGAL_SQL_PAGE_SHAPES];
	/* [has tag | in album << 1][number of words] */
	pgal_sql_stmt search[PGAL_SQL_SEARCH_SHAPES][PGAL_SQL_SEARCH_CACHED + 1];
} pgal_sql_reads;

/* photo_list (backward 0) and photo_list_before (backward 1) of store.h */
int pgal_sql_read_page(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r,
    pgal_id album_id, pgal_sort sort, const pgal_cursor *cur, int backward, size_t limit,
    pgal_photo *out, size_t *n, pgal_err *e);
/* photo_search of store.h */
int pgal_sql_read_search(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r,
    pgal_id user_id, pgal_id album_id, const char *const *words, size_t nwords,
    const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
/* Drops every prepared statement; the texts stay for the next connection. */
void pgal_sql_reads_release(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r);
/* Drops the statements and frees the texts. */
void pgal_sql_reads_free(const pgal_sql_read_ops *ops, void *store, pgal_sql_reads *r);

#endif
