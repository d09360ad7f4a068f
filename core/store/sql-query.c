/* The photo reads of the SQL stores: keyset pages and search, written once
 * for every dialect (see sql-query.h). The text goes through a stdio memory
 * stream; each placeholder is noted with what it takes as it is written, so
 * the text and the binding order cannot disagree. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sql-columns.h"
#include "store/sql-like.h"
#include "store/sql-query.h"

/* the page reads; a shape is read * 3 + sort */
enum { READ_AFTER, READ_BEFORE, READ_LAST };

/* the column of each pgal_sort, in its order */
static const char *const sort_keys[] = { "sort_taken", "added_at", "title" };

struct build {
	const pgal_sql_dialect *d;
	pgal_sql_query *q;
	FILE *f;
	size_t len;	/* the stream's, until it is closed */
	size_t cap;	/* room in q->params */
};

static int
build_start(struct build *b, const pgal_sql_dialect *d, pgal_sql_query *q, size_t max_params)
{
	memset(q, 0, sizeof *q);
	b->d = d;
	b->q = q;
	b->cap = max_params;
	if ((q->params = calloc(max_params, sizeof *q->params)) == NULL)
		return -1;
	if ((b->f = open_memstream(&q->sql, &b->len)) == NULL) {
		pgal_sql_query_free(q);
		return -1;
	}
	return 0;
}

static int
build_end(struct build *b)
{
	int failed = ferror(b->f);

	if (fclose(b->f) != 0 || failed) {
		pgal_sql_query_free(b->q);
		return -1;
	}
	return 0;
}

/* Writes the placeholder of a parameter that takes `what`; in a numbered
 * dialect a value already taken by a parameter reuses it. */
static void
put_param(struct build *b, int what)
{
	pgal_sql_query *q = b->q;
	size_t i;

	if (b->d->numbered) {
		for (i = 0; i < q->nparams; i++)
			if (q->params[i] == what) {
				fprintf(b->f, "?%zu", i + 1);
				return;
			}
	}
	/* the callers size params for their statement: more is a bug here */
	if (q->nparams == b->cap)
		abort();
	q->params[q->nparams++] = what;
	if (b->d->numbered)
		fprintf(b->f, "?%zu", q->nparams);
	else
		fputc('?', b->f);
}

/* Writes form with its "%s" standing for the column col or, when col is
 * NULL, for the placeholder of `what`. */
static void
put_folded(struct build *b, const char *form, const char *col, int what)
{
	const char *hole = strstr(form, "%s");

	if (hole == NULL)
		abort();
	fwrite(form, 1, (size_t)(hole - form), b->f);
	if (col != NULL)
		fputs(col, b->f);
	else
		put_param(b, what);
	fputs(hole + 2, b->f);
}

void
pgal_sql_query_free(pgal_sql_query *q)
{
	free(q->sql);
	free(q->params);
	memset(q, 0, sizeof *q);
}

/* ---- keyset pages ---- */

int
pgal_sql_page_shape(pgal_sort sort, const pgal_cursor *cur, int backward, int *shape,
    pgal_err *e)
{
	int read;

	if (sort != PGAL_SORT_TAKEN && sort != PGAL_SORT_ADDED && sort != PGAL_SORT_TITLE)
		return pgal_fail(e, PGAL_EUSAGE, "unknown sort order");
	if (!backward)
		read = READ_AFTER;
	else if (cur != NULL && cur->valid)
		read = READ_BEFORE;
	else
		read = READ_LAST;
	*shape = read * 3 + (int)sort;
	return PGAL_OK;
}

/* After: strictly after (key, id) in (key, id) order. Before: strictly
 * before it, nearest first (the store puts the rows back in forward order).
 * Last: the last rows, nearest the end first. */
int
pgal_sql_page(const pgal_sql_dialect *d, int shape, pgal_sql_query *q)
{
	const char *key = sort_keys[shape % 3];
	int read = shape / 3;
	const char *cmp = read == READ_AFTER ? ">" : "<";
	const char *desc = read == READ_AFTER ? "" : " DESC";
	struct build b;

	if (build_start(&b, d, q, 5) != 0)
		return -1;
	fprintf(b.f, "SELECT " PGAL_SQL_PHOTO_COLS "%sWHERE p.album_id = ", d->photos_from);
	put_param(&b, PGAL_SQL_ALBUM);
	if (read != READ_LAST && d->row_values) {
		fprintf(b.f, " AND (p.%s, p.id) %s (", key, cmp);
		put_param(&b, PGAL_SQL_KEY);
		fputs(", ", b.f);
		put_param(&b, PGAL_SQL_ID);
		fputc(')', b.f);
	} else if (read != READ_LAST) {
		/* the first comparison lets the index range start at the key */
		fprintf(b.f, " AND p.%s %s= ", key, cmp);
		put_param(&b, PGAL_SQL_KEY);
		fprintf(b.f, " AND (p.%s %s ", key, cmp);
		put_param(&b, PGAL_SQL_KEY);
		fprintf(b.f, " OR p.id %s ", cmp);
		put_param(&b, PGAL_SQL_ID);
		fputc(')', b.f);
	}
	fprintf(b.f, " ORDER BY p.%s%s, p.id%s LIMIT ", key, desc, desc);
	put_param(&b, PGAL_SQL_LIMIT);
	return build_end(&b);
}

void
pgal_sql_page_args(pgal_sql_args *a, pgal_id album_id, pgal_sort sort,
    const pgal_cursor *cur, size_t limit)
{
	memset(a, 0, sizeof *a);
	a->album = album_id;
	a->limit = limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
	if (cur != NULL && cur->valid) {
		if (sort == PGAL_SORT_TITLE) {
			a->key_text = cur->text;
			a->key_len = strnlen(cur->text, sizeof cur->text);
		} else
			a->key_num = cur->num;
		a->id = cur->id;
		return;
	}
	/* before every row: every text sorts at or after '', and ids are
	 * positive */
	if (sort == PGAL_SORT_TITLE)
		a->key_text = "";
	else
		a->key_num = INT64_MIN;
	a->id = INT64_MIN;
}

/* ---- search ---- */

/* Every word must be in the title, the description, the tags or the name. Within an
 * album the album's (added_at, id) index gives the order: the dialect's
 * no_index keeps the planner off the user's index, which would read every
 * photo of the user to find the album's. */
/* the columns a word is looked for in; the name (binary) last */
static const char *const word_cols[] = { "p.title", "p.description", "p.tags", "p.name" };
#define WORD_COLS (sizeof word_cols / sizeof word_cols[0])

/* user, album, tag and limit, and a pattern a word: once (numbered) or
 * once for each of the columns; SIZE_MAX when that does not fit */
size_t
pgal_sql_search_params(const pgal_sql_dialect *d, size_t nwords)
{
	size_t per_word = d->numbered ? 1 : WORD_COLS;

	if (nwords > (SIZE_MAX - 4) / per_word)
		return SIZE_MAX;
	return 4 + per_word * nwords;
}

int
pgal_sql_search(const pgal_sql_dialect *d, int has_tag, int in_album, size_t nwords,
    pgal_sql_query *q)
{
	size_t max = pgal_sql_search_params(d, nwords), i, c;
	struct build b;

	if (nwords > (size_t)(INT_MAX - PGAL_SQL_WORD) || max == SIZE_MAX)
		return -1;
	if (build_start(&b, d, q, max) != 0)
		return -1;
	fprintf(b.f, "SELECT " PGAL_SQL_PHOTO_COLS "%sWHERE ", d->photos_from);
	if (in_album) {
		fprintf(b.f, "%sp.user_id = ", d->no_index);
		put_param(&b, PGAL_SQL_USER);
		fputs(" AND p.album_id = ", b.f);
		put_param(&b, PGAL_SQL_ALBUM);
	} else {
		fputs("p.user_id = ", b.f);
		put_param(&b, PGAL_SQL_USER);
	}
	if (has_tag) {
		fputs(" AND EXISTS (SELECT 1 FROM photo_tags t "
		    "WHERE t.photo_id = p.id AND t.tag = ", b.f);
		put_param(&b, PGAL_SQL_TAG);
		fputc(')', b.f);
	}
	for (i = 0; i < nwords; i++) {
		fputs(" AND (", b.f);
		for (c = 0; c < WORD_COLS; c++) {
			if (c > 0)
				fputs(" OR ", b.f);
			/* names are binary: the dialect may have to make them text */
			put_folded(&b, c == WORD_COLS - 1 ? d->fold_binary : d->fold,
			    word_cols[c], 0);
			fputs(" LIKE ", b.f);
			put_folded(&b, d->fold, NULL, PGAL_SQL_WORD + (int)i);
			fprintf(b.f, " ESCAPE '%c'", d->like_escape);
		}
		fputc(')', b.f);
	}
	fputs(" ORDER BY p.added_at DESC, p.id DESC LIMIT ", b.f);
	put_param(&b, PGAL_SQL_LIMIT);
	return build_end(&b);
}

int
pgal_sql_search_args(pgal_sql_args *a, const pgal_sql_dialect *d, pgal_id user_id,
    pgal_id album_id, const char *const *words, size_t nwords, const char *tag,
    size_t limit)
{
	size_t i;

	memset(a, 0, sizeof *a);
	a->user = user_id;
	a->album = album_id;
	a->limit = limit > (size_t)INT64_MAX ? INT64_MAX : (int64_t)limit;
	if (tag != NULL) {
		a->tag = tag;
		a->tag_len = strnlen(tag, PGAL_TAG_MAX + 1);
	}
	if (nwords == 0)
		return 0;
	if ((a->patterns = calloc(nwords, sizeof *a->patterns)) == NULL)
		return -1;
	a->nwords = nwords;
	for (i = 0; i < nwords; i++)
		if ((a->patterns[i] = pgal_sql_like_pattern(words[i], d->like_escape)) == NULL) {
			pgal_sql_args_free(a);
			return -1;
		}
	return 0;
}

void
pgal_sql_args_free(pgal_sql_args *a)
{
	size_t i;

	if (a->patterns != NULL)
		for (i = 0; i < a->nwords; i++)
			free(a->patterns[i]);
	free(a->patterns);
	a->patterns = NULL;
	a->nwords = 0;
}

/* ---- binding ---- */

pgal_sql_value
pgal_sql_value_of(const pgal_sql_query *q, size_t i, const pgal_sql_args *a)
{
	pgal_sql_value v = { NULL, 0, 0 };
	int what = q->params[i];

	switch (what) {
	case PGAL_SQL_USER:
		v.num = a->user;
		break;
	case PGAL_SQL_ALBUM:
		v.num = a->album;
		break;
	case PGAL_SQL_TAG:
		v.text = a->tag;
		v.len = a->tag_len;
		break;
	case PGAL_SQL_KEY:
		if (a->key_text != NULL) {
			v.text = a->key_text;
			v.len = a->key_len;
		} else
			v.num = a->key_num;
		break;
	case PGAL_SQL_ID:
		v.num = a->id;
		break;
	case PGAL_SQL_LIMIT:
		v.num = a->limit;
		break;
	default:
		v.text = a->patterns[what - PGAL_SQL_WORD];
		v.len = strlen(v.text);
		break;
	}
	return v;
}
