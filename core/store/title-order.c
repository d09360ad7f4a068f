/* The title order people expect: titled photos A to Z, then the untitled
 * ones (by id), as a file manager puts unnamed things last. The stores
 * keep one (title, id) index, where '' sorts first; each page here is
 * one or two keyset reads of it, so a huge album stays a read per page:
 * the titled rows are those after ('', INT64_MAX), the untitled ones
 * those before it. A cursor is a row's (title, id) as in any order; its
 * title says which of the two runs it is in. */
#include <stdint.h>
#include <string.h>

#include "gallery-int.h"

static int
titled(const pgal_photo *p)
{
	return p->title[0] != '\0';
}

/* cur, or with no cursor the point between the two runs in the store's
 * order: after every untitled row, before every titled one. */
static const pgal_cursor *
or_runs_boundary(const pgal_cursor *cur, pgal_cursor *c)
{
	if (cur->valid)
		return cur;
	memset(c, 0, sizeof *c);
	c->valid = 1;
	c->id = INT64_MAX;
	return c;
}

/* Rows in forward order: the first k that are untitled stay (a read that
 * went on into the titled run stops there). */
static size_t
untitled_prefix(const pgal_photo *out, size_t n)
{
	size_t k = 0;

	while (k < n && !titled(&out[k]))
		k++;
	return k;
}

/* Rows in forward order: keeps those after the last untitled one (a
 * backward read that went on into the untitled run), moved to the front. */
static size_t
titled_suffix(pgal_photo *out, size_t n)
{
	size_t k = n;

	while (k > 0 && titled(&out[k - 1]))
		k--;
	memmove(out, out + k, (n - k) * sizeof *out);
	return n - k;
}

static int
forward(pgal_store *s, pgal_id album, const pgal_cursor *cur, size_t limit, pgal_photo *out,
    size_t *n, pgal_err *e)
{
	static const pgal_cursor start = { 0 };
	const pgal_store_ops *ops = s->ops;
	pgal_cursor c;
	size_t more;
	int rc;

	/* within the untitled run: the rest of it ends the album */
	if (cur->valid && cur->text[0] == '\0') {
		rc = ops->photo_list(s, album, PGAL_SORT_TITLE, cur, limit, out, n, e);
		if (rc == PGAL_OK)
			*n = untitled_prefix(out, *n);
		return rc;
	}
	if ((rc = ops->photo_list(s, album, PGAL_SORT_TITLE, or_runs_boundary(cur, &c), limit,
	    out, n, e)) != PGAL_OK || *n == limit)
		return rc;
	/* the titled rows ended on this page: the untitled ones follow */
	rc = ops->photo_list(s, album, PGAL_SORT_TITLE, &start, limit - *n, out + *n, &more, e);
	if (rc == PGAL_OK)
		*n += untitled_prefix(out + *n, more);
	return rc;
}

static int
backward(pgal_store *s, pgal_id album, const pgal_cursor *cur, size_t limit, pgal_photo *out,
    size_t *n, pgal_err *e)
{
	static const pgal_cursor end = { 0 };
	const pgal_store_ops *ops = s->ops;
	size_t untitled, room, got;
	pgal_cursor c;
	int rc;

	/* within the titled run: nothing comes before its first row */
	if (cur->valid && cur->text[0] != '\0') {
		rc = ops->photo_list_before(s, album, PGAL_SORT_TITLE, cur, limit, out, n, e);
		if (rc == PGAL_OK)
			*n = titled_suffix(out, *n);
		return rc;
	}
	if ((rc = ops->photo_list_before(s, album, PGAL_SORT_TITLE, or_runs_boundary(cur, &c),
	    limit, out, n, e)) != PGAL_OK || *n == limit)
		return rc;
	/* the untitled rows began on this page: the last titled ones come
	 * before them (read into the room made at the front) */
	untitled = *n;
	room = limit - untitled;
	memmove(out + room, out, untitled * sizeof *out);
	rc = ops->photo_list_before(s, album, PGAL_SORT_TITLE, &end, room, out, &got, e);
	if (rc != PGAL_OK) {
		*n = 0;
		return rc;
	}
	got = titled_suffix(out, got);
	memmove(out + got, out + room, untitled * sizeof *out);
	*n = got + untitled;
	return PGAL_OK;
}

int
pgal_title_page(pgal_store *s, pgal_id album, const pgal_cursor *cur, int backward_read,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	*n = 0;
	if (backward_read)
		return backward(s, album, cur, limit, out, n, e);
	return forward(s, album, cur, limit, out, n, e);
}
