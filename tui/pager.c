/* An album read a page at a time. Page i starts after the cursor
 * starts[i] (keyset pagination: the last row of page i-1). Pages are also
 * read from the end with the reverse read: tail page j holds the rows just
 * before ends[j] (the first row of tail page j-1; ends[0] is the end of the
 * album), so the last photo (G) is one read, not a walk over the album, and
 * each page above it one more. A row comes from whichever side reaches it
 * in fewer reads. Only PAGES_KEPT pages are held however big the album is.
 * Rows counted from the end are placed by the album's photo count, which
 * the store keeps with its photos (and which a read of either end of the
 * album corrects). */
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "pager.h"

#define PAGES_KEPT 4

struct page {
	size_t index;
	int tail;     /* index counts pages from the end */
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
	pgal_cursor *ends;   /* ends[j]: where tail page j ends */
	size_t nends, capends;
	struct page pages[PAGES_KEPT];
	unsigned long clock;
};

static size_t
pager_count(tui_source *s)
{
	return ((struct pager *)s)->total;
}

static int
add_cursor(pgal_cursor **v, size_t *len, size_t *cap, const pgal_cursor *c)
{
	if (PGAL_GROW(*v, *cap, *len + 1) == -1)
		return -1;
	(*v)[(*len)++] = *c;
	return 0;
}

static int
add_start(struct pager *p, const pgal_cursor *c)
{
	return add_cursor(&p->starts, &p->nstarts, &p->capstarts, c);
}

/* The cached page (tail or not) i, or the slot to read it into. */
static struct page *
slot(struct pager *p, size_t i, int tail, int *hit, pgal_err *e)
{
	struct page *pg = NULL;
	size_t k;

	*hit = 0;
	for (k = 0; k < PAGES_KEPT; k++) {
		if (p->pages[k].used != 0 && p->pages[k].index == i && p->pages[k].tail == tail) {
			p->pages[k].used = ++p->clock;
			*hit = 1;
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
	return pg;
}

/* Reads tail page j (ends[j] must be known) with the reverse read. */
static struct page *
fetch_tail(struct pager *p, size_t j, pgal_err *e)
{
	struct page *pg;
	pgal_cursor prev;
	size_t n;
	int hit;

	if ((pg = slot(p, j, 1, &hit, e)) == NULL || hit)
		return pg;
	if (pgal_photo_list_before(p->t->g, p->t->token, p->album, p->sort,
	    p->ends[j].valid ? &p->ends[j] : NULL, TUI_PAGE_ROWS, pg->rows, &n,
	    &prev, e) != PGAL_OK)
		return NULL;
	pg->index = j;
	pg->tail = 1;
	pg->n = n;
	pg->used = ++p->clock;
	if (j + 1 == p->nends) {
		if (prev.valid && n == TUI_PAGE_ROWS) {
			if (add_cursor(&p->ends, &p->nends, &p->capends, &prev) != 0) {
				pgal_fail(e, PGAL_EBACKEND, "out of memory");
				return NULL;
			}
		} else {
			/* the first row was reached: now the count is exact */
			p->total = j * TUI_PAGE_ROWS + n;
		}
	}
	return pg;
}

/* Reads page i (starts[i] must be known) into a page slot. */
static struct page *
fetch(struct pager *p, size_t i, pgal_err *e)
{
	struct page *pg;
	pgal_cursor next;
	size_t n;
	int hit;

	if ((pg = slot(p, i, 0, &hit, e)) == NULL || hit)
		return pg;
	if (pgal_photo_list(p->t->g, p->t->token, p->album, p->sort,
	    p->starts[i].valid ? &p->starts[i] : NULL, TUI_PAGE_ROWS, pg->rows, &n,
	    &next, e) != PGAL_OK)
		return NULL;
	pg->index = i;
	pg->tail = 0;
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

/* Reads needed to reach page i from the start, or tail page j from the end. */
static size_t
reads_to(size_t i, size_t known)
{
	return i < known ? 1 : i - known + 2;
}

/* Row r counted from the end: tail page j holds rows [hi - n, hi) where hi
 * is total - j pages. A read that reaches the first row corrects the
 * count, which moves r to another tail page: look again (a few times, in
 * case the album keeps changing under us). */
static const pgal_photo *
get_tail(struct pager *p, size_t r, pgal_err *e)
{
	struct page *pg;
	size_t j, hi, known;
	int tries = 0;

	for (;;) {
		if (r >= p->total || tries++ == 4) {
			pgal_fail(e, PGAL_ENOTFOUND, "past the end of the album");
			return NULL;
		}
		j = (p->total - 1 - r) / TUI_PAGE_ROWS;
		/* walk back to learn where tail page j ends */
		while (p->nends <= j) {
			known = p->nends;
			if ((pg = fetch_tail(p, known - 1, e)) == NULL)
				return NULL;
			if (p->nends == known)
				break; /* the first row was reached */
		}
		if (j >= p->nends)
			continue;
		if ((pg = fetch_tail(p, j, e)) == NULL)
			return NULL;
		if (r < p->total && (p->total - 1 - r) / TUI_PAGE_ROWS == j)
			break;
	}
	hi = p->total - j * TUI_PAGE_ROWS;
	if (hi - r > pg->n) {
		pgal_fail(e, PGAL_ENOTFOUND, "before the start of the album");
		return NULL;
	}
	return &pg->rows[pg->n - (hi - r)];
}

static const pgal_photo *
pager_get(tui_source *s, size_t r, pgal_err *e)
{
	struct pager *p = (struct pager *)s;
	size_t want = r / TUI_PAGE_ROWS;
	struct page *pg;

	/* from the end when that is fewer reads (G in a huge album) */
	if (!p->ended && want >= p->nstarts && r < p->total &&
	    reads_to((p->total - 1 - r) / TUI_PAGE_ROWS, p->nends) <
	    reads_to(want, p->nstarts))
		return get_tail(p, r, e);
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
	p->nends = 1;   /* ends[0]: the end */
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
	free(p->ends);
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
	if (add_start(p, &start) != 0 ||
	    add_cursor(&p->ends, &p->nends, &p->capends, &start) != 0) {
		free(p->starts);
		free(p);
		return NULL;
	}
	return &p->src;
}
