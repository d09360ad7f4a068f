/* The photo reads both SQL stores run, built once: keyset pages (after a
 * cursor, before one, the last rows) and search. A store says how its
 * server spells what differs (a dialect); the builder writes the statement
 * and lists what each placeholder takes, and the store binds the values
 * with its own client API: no value is ever part of the SQL text. */
#ifndef PGAL_SQL_QUERY_H
#define PGAL_SQL_QUERY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "records.h"

typedef struct pgal_sql_dialect {
	/* 1: "?1", "?2"..., a value used twice is one parameter (SQLite);
	 * 0: every "?" is a parameter of its own, bound in order (MySQL) */
	int numbered;
	/* 1: a keyset bound is one row-value comparison, (key, id) > (?, ?),
	 * which SQLite turns into an index range; 0: spelled out as key >= ?
	 * AND (key > ? OR id > ?), the form MySQL's range optimizer reads */
	int row_values;
	/* " FROM photos p ... albums a ON a.id = p.album_id ": the join that
	 * puts each photo's album name beside it */
	const char *photos_from;
	/* what keeps the planner off a column's index ("+" in SQLite); a
	 * search within an album must walk the album's index, not the user's */
	const char *no_index;
	/* the LIKE escape character */
	char like_escape;
	/* a text column and a pattern compared case-insensitively: "%s" is
	 * the column or the placeholder ("%s" alone: LIKE folds by itself) */
	const char *fold;
	/* the same for a binary column (names) */
	const char *fold_binary;
	/* the most parameters one statement may have */
	size_t max_params;
} pgal_sql_dialect;

/* A built statement: its text and, for parameter i + 1 (numbered or in
 * order), what it takes (params[i], one of enum pgal_sql_param). */
typedef struct pgal_sql_query {
	char *sql;
	int *params;
	size_t nparams;
} pgal_sql_query;

/* What a parameter takes. */
enum pgal_sql_param {
	PGAL_SQL_USER,
	PGAL_SQL_ALBUM,
	PGAL_SQL_TAG,
	PGAL_SQL_KEY,		/* the cursor's sort key */
	PGAL_SQL_ID,		/* the cursor's photo id */
	PGAL_SQL_LIMIT,
	PGAL_SQL_WORD		/* + i: the LIKE pattern of word i */
};

/* A page read's shape: which of the reads, in which order. */
#define PGAL_SQL_PAGE_SHAPES 9
/* The shape of a page after cur or (backward) before it; PGAL_EUSAGE for a
 * sort order that is none of taken, added, title. */
int pgal_sql_page_shape(pgal_sort sort, const pgal_cursor *cur, int backward, int *shape,
    pgal_err *e);
/* The statement of a page shape: parameters album, key, id, limit (those it
 * uses). 0, or -1 when out of memory. */
int pgal_sql_page(const pgal_sql_dialect *d, int shape, pgal_sql_query *q);
/* The parameters of a search for nwords words, at the most (more than the
 * dialect's max_params: too many words). */
size_t pgal_sql_search_params(const pgal_sql_dialect *d, size_t nwords);
/* The statement of a search with or without a tag, within an album or not,
 * for nwords words: newest added first. 0, or -1 when out of memory. */
int pgal_sql_search(const pgal_sql_dialect *d, int has_tag, int in_album, size_t nwords,
    pgal_sql_query *q);
void pgal_sql_query_free(pgal_sql_query *q);

/* The values of one run. */
typedef struct pgal_sql_args {
	int64_t user, album, id, limit, key_num;
	const char *key_text;	/* by title: the key, else NULL */
	size_t key_len;
	const char *tag;
	size_t tag_len;
	char **patterns;	/* one LIKE pattern per word, malloc'd */
	size_t nwords;
} pgal_sql_args;

/* The values of a page read; without a valid cursor the key and id sort
 * before every row (a page after nothing is the first page). */
void pgal_sql_page_args(pgal_sql_args *a, pgal_id album_id, pgal_sort sort,
    const pgal_cursor *cur, size_t limit);
/* The values of a search: 0, or -1 when out of memory (then freed). */
int pgal_sql_search_args(pgal_sql_args *a, const pgal_sql_dialect *d, pgal_id user_id,
    pgal_id album_id, const char *const *words, size_t nwords, const char *tag,
    size_t limit);
void pgal_sql_args_free(pgal_sql_args *a);

/* One value to bind: text of len bytes when text is not NULL, else num. */
typedef struct pgal_sql_value {
	const char *text;
	size_t len;
	int64_t num;
} pgal_sql_value;

/* The value of parameter i (from 0) of q in a run with the values a. */
pgal_sql_value pgal_sql_value_of(const pgal_sql_query *q, size_t i, const pgal_sql_args *a);

#endif
