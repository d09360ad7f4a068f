/* An album read a page at a time. Page i starts after the cursor
 * starts[i] (keyset pagination: the last row of page i-1), so reaching row
 * r costs at most a walk over the pages before it, once; only PAGES_KEPT
 * pages are held in memory however big the album is. */
#include <stdlib.h>
#include <string.h>

#include "pager.h"

#define PAGES_KEPT 4

struct page {
	size_t index;
	pgal_photo *rows;
	size_t n;
	unsigned long used; /* 0: empty */
};

struct pager {
	tui_source src;
	tui *t;
	char album[PGAL_ALBUM_MAX + 1];
	pgal_sort sort;
	size_t total;
	int ended;           /* the last page was read: total is exact */
	pgal_cursor *starts; /* starts[i]: where page i begins */
	size_t nstarts, capstarts;
	struct page pages[PAGES_KEPT];
	unsigned long clock;
};

static size_t
pager_count(tui_source *s)
{
	return ((struct pager *)s)->total;
}

static int
add_start(struct pager *p, const pgal_cursor *c)
{
	pgal_cursor *n;
	size_t cap;

	if (p->nstarts == p->capstarts) {
		cap = p->capstarts ? p->capstarts * 2 : 64;
		if ((n = realloc(p->starts, cap * sizeof *n)) == NULL)
			return -1;
		p->starts = n;
		p->capstarts = cap;
	}
	p->starts[p->nstarts++] = *c;
	return 0;
}

/* Reads page i (starts[i] must be known) into a page slot. */
static struct page *
fetch(struct pager *p, size_t i, pgal_err *e)
{
	struct page *pg = NULL;
	pgal_cursor next;
	size_t k, n;

	for (k = 0; k < PAGES_KEPT; k++) {
		if (p->pages[k].used != 0 && p->pages[k].index == i) {
			p->pages[k].used = ++p->clock;
			return &p->pages[k];
		}
		if (pg == NULL || p->pages[k].used < pg->used)
			pg = &p->pages[k];
	}
	if (pg->rows == NULL && (pg->rows = calloc(TUI_PAGE_ROWS, sizeof *pg->rows)) == NULL) {
		pgal_fail(e, PGAL_EBACKEND, "out of memory");
		return NULL;
	}
	pg->used = 0;
	if (pgal_photo_list(p->t->g, p->t->token, p->album, p->sort,
	    p->starts[i].valid ? &p->starts[i] : NULL, TUI_PAGE_ROWS, pg->rows, &n,
	    &next, e) != PGAL_OK)
		return NULL;
	pg->index = i;
	pg->n = n;
	pg->used = ++p->clock;
	if (i + 1 == p->nstarts) {
		if (next.valid && n == TUI_PAGE_ROWS) {
			if (add_start(p, &next) != 0) {
				pgal_fail(e, PGAL_EBACKEND, "out of memory");
				return NULL;
			}
		} else {
			/* the last page: now the count is exact */
			p->ended = 1;
			p->total = i * TUI_PAGE_ROWS + n;
		}
	}
	return pg;
}

static const pgal_photo *
pager_get(tui_source *s, size_t r, pgal_err *e)
{
	struct pager *p = (struct pager *)s;
	size_t want = r / TUI_PAGE_ROWS;
	struct page *pg;

	/* walk forward to learn where page `want` starts */
	while (p->nstarts <= want) {
		if (p->ended) {
			pgal_fail(e, PGAL_ENOTFOUND, "past the end of the album");
			return NULL;
		}
		if (fetch(p, p->nstarts - 1, e) == NULL)
			return NULL;
	}
	if ((pg = fetch(p, want, e)) == NULL)
		return NULL;
	if (r % TUI_PAGE_ROWS >= pg->n) {
		pgal_fail(e, PGAL_ENOTFOUND, "past the end of the album");
		return NULL;
	}
	return &pg->rows[r % TUI_PAGE_ROWS];
}

static void
pager_reload(tui_source *s)
{
	struct pager *p = (struct pager *)s;
	pgal_album a;
	pgal_err e;
	size_t k;

	for (k = 0; k < PAGES_KEPT; k++)
		p->pages[k].used = 0;
	p->nstarts = 1; /* starts[0]: the beginning */
	p->ended = 0;
	if (pgal_album_get(p->t->g, p->t->token, p->album, &a, &e) == PGAL_OK)
		p->total = a.photo_count > 0 ? (size_t)a.photo_count : 0;
}

static void
pager_free(tui_source *s)
{
	struct pager *p = (struct pager *)s;
	size_t k;

	for (k = 0; k < PAGES_KEPT; k++)
		free(p->pages[k].rows);
	free(p->starts);
	free(p);
}

static const tui_source_ops pager_ops = {
	.count = pager_count,
	.get = pager_get,
	.reload = pager_reload,
	.free = pager_free,
};

tui_source *
tui_pager_new(tui *t, const char *album, pgal_sort sort, int64_t total)
{
	struct pager *p;
	pgal_cursor start;

	if ((p = calloc(1, sizeof *p)) == NULL)
		return NULL;
	p->src.ops = &pager_ops;
	p->src.refs = 1;
	p->t = t;
	tui_copy(p->album, sizeof p->album, album);
	p->sort = sort;
	p->total = total > 0 ? (size_t)total : 0;
	memset(&start, 0, sizeof start);
	if (add_start(p, &start) != 0) {
		free(p);
		return NULL;
	}
	return &p->src;
}
