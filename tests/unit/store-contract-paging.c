/* The store contract (store-contract.h): photo pages in every order,
 * forwards and back. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- pagination ---- */

struct key {
	pgal_id id;
	int64_t num;
	char text[PGAL_TITLE_MAX + 1];
};

static int
cmp_key_num(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_key_text(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->text, y->text); /* bytes: code point order */

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Walks the album forward in pages of varying size, checking every row
 * against want[] (the order worked out from the keys); the ids read go to
 * seq[] (room for nwant). */
static void
walk_pages(pgal_contract_fx *f, pgal_sort sort, const struct key *want, size_t nwant, pgal_id *seq)
{
	static const size_t sizes[] = { 1, 7, 100, 999, 1000, 3 };
	pgal_photo *page;
	pgal_cursor cur;
	pgal_err e;
	size_t pos = 0, n, i, k = 0;

	page = calloc(1000, sizeof *page);
	assert_non_null(page);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		size_t limit = sizes[k++ % (sizeof sizes / sizeof sizes[0])];

		if (f->ops->photo_list(f->s, f->a1, sort, &cur, limit, page, &n, &e) != PGAL_OK)
			fail_msg("photo_list: %s", e.msg);
		assert_true(n <= limit);
		if (n == 0)
			break;
		for (i = 0; i < n; i++, pos++) {
			assert_true(pos < nwant);
			if (page[i].id != want[pos].id)
				fail_msg("sort %d: row %zu is id %lld, want %lld", (int)sort,
				    pos, (long long)page[i].id, (long long)want[pos].id);
			seq[pos] = page[i].id;
			assert_int_equal(page[i].album_id, f->a1);
			assert_string_equal(page[i].album, "Holiday");
		}
		/* the cursor is the last row of this page */
		cur.valid = 1;
		cur.id = page[n - 1].id;
		cur.num = sort == PGAL_SORT_TAKEN ? page[n - 1].sort_taken : page[n - 1].added_at;
		snprintf(cur.text, sizeof cur.text, "%s", page[n - 1].title);
	}
	assert_int_equal(pos, nwant);
	free(page);
}

static void
cursor_at(pgal_sort sort, const pgal_photo *p, pgal_cursor *cur)
{
	memset(cur, 0, sizeof *cur);
	cur->valid = 1;
	cur->id = p->id;
	cur->num = sort == PGAL_SORT_TAKEN ? p->sort_taken : p->added_at;
	snprintf(cur->text, sizeof cur->text, "%s", p->title);
}

/* The reverse read from the end back to the start, in pages of varying
 * size: each page must be the rows of the forward sequence seq[] just
 * before the previous page, in forward order; then reads before rows
 * picked anywhere (keys[] the rows' keys, in the same order). */
static void
walk_back(pgal_contract_fx *f, pgal_sort sort, const pgal_id *seq, const struct key *keys, size_t nseq)
{
	static const size_t sizes[] = { 1, 7, 100, 999, 1000, 3 };
	const size_t picks[] = { 0, 1, 2, 7, nseq / 2, nseq - 2, nseq - 1 };
	pgal_photo *page;
	pgal_cursor cur;
	pgal_err e;
	size_t end = nseq, n, i, k = 0, want;

	page = calloc(1000, sizeof *page);
	assert_non_null(page);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		size_t limit = sizes[k++ % (sizeof sizes / sizeof sizes[0])];

		if (f->ops->photo_list_before(f->s, f->a1, sort, &cur, limit, page, &n,
		    &e) != PGAL_OK)
			fail_msg("photo_list_before: %s", e.msg);
		assert_true(n <= limit);
		if (n == 0)
			break;
		/* a short page only at the start of the album */
		want = end < limit ? end : limit;
		if (n != want)
			fail_msg("sort %d: page before row %zu has %zu rows, want %zu",
			    (int)sort, end, n, want);
		for (i = 0; i < n; i++) {
			if (page[i].id != seq[end - n + i])
				fail_msg("sort %d backward: row %zu is id %lld, want %lld",
				    (int)sort, end - n + i, (long long)page[i].id,
				    (long long)seq[end - n + i]);
			assert_int_equal(page[i].album_id, f->a1);
			assert_string_equal(page[i].album, "Holiday");
		}
		end -= n;
		cursor_at(sort, &page[0], &cur);
	}
	assert_int_equal(end, 0);

	/* before a row in the middle: the rows just before it (the cursor is
	 * the row's keys, as the forward read would have left it) */
	for (k = 0; k < sizeof picks / sizeof picks[0]; k++) {
		size_t at = picks[k], lo = at > 10 ? at - 10 : 0;

		if (at >= nseq)
			continue; /* a tiny PGAL_TEST_NPAGE */
		memset(&cur, 0, sizeof cur);
		cur.valid = 1;
		cur.id = keys[at].id;
		cur.num = keys[at].num;
		snprintf(cur.text, sizeof cur.text, "%s", keys[at].text);
		assert_int_equal(keys[at].id, seq[at]);
		if (f->ops->photo_list_before(f->s, f->a1, sort, &cur, 10, page, &n, &e) != PGAL_OK)
			fail_msg("photo_list_before: %s", e.msg);
		if (n != at - lo)
			fail_msg("sort %d: before row %zu: %zu rows, want %zu", (int)sort, at, n,
			    at - lo);
		for (i = 0; i < n; i++)
			assert_int_equal(page[i].id, seq[lo + i]);
	}
	free(page);
}

void
test_pagination(void **state)
{
	pgal_contract_fx *f = *state;
	static const char *const words[] = {
		"", "Zebra", "apple", "Apple", "éclair", "eclair", "a", "a b", "a", "",
		"日本", "100%", "Ωmega", "zz",
	};
	size_t np = (size_t)B->npage, i, n;
	struct key *kt, *ka, *kx;
	pgal_id *seq;
	pgal_photo p, few[4];
	pgal_err e;
	char name[64];

	kt = calloc(np, sizeof *kt);
	ka = calloc(np, sizeof *ka);
	kx = calloc(np, sizeof *kx);
	assert_true(kt != NULL && ka != NULL && kx != NULL);
	for (i = 0; i < np; i++) {
		/* keys with many ties, unrelated to insertion order */
		unsigned h = (unsigned)(i * 2654435761u);

		snprintf(name, sizeof name, "img-%05zu.jpg", i);
		pgal_contract_fill_photo(f, &p, f->alice, f->a1, name);
		p.sort_taken = (int64_t)(h % 997) * 60 - 3600; /* some negative */
		p.added_at = 1700000000 + (int64_t)((h >> 8) % 1500);
		snprintf(p.title, sizeof p.title, "%s%s", words[h % 14],
		    (h >> 4) % 3 ? "" : " (2)");
		pgal_contract_insert_photo(f, &p);
		kt[i].id = ka[i].id = kx[i].id = p.id;
		kt[i].num = p.sort_taken;
		ka[i].num = p.added_at;
		snprintf(kx[i].text, sizeof kx[i].text, "%s", p.title);
		/* noise in other albums must never show up */
		if (i % 1000 == 0) {
			snprintf(name, sizeof name, "other-%05zu.jpg", i);
			pgal_contract_fill_photo(f, &p, f->alice, f->a2, name);
			pgal_contract_insert_photo(f, &p);
			pgal_contract_fill_photo(f, &p, f->bob, f->b1, name);
			pgal_contract_insert_photo(f, &p);
		}
	}
	qsort(kt, np, sizeof *kt, cmp_key_num);
	qsort(ka, np, sizeof *ka, cmp_key_num);
	qsort(kx, np, sizeof *kx, cmp_key_text);

	seq = calloc(np, sizeof *seq);
	assert_non_null(seq);
	/* forward, checked against the keys; backward, checked against forward */
	walk_pages(f, PGAL_SORT_TAKEN, kt, np, seq);
	walk_back(f, PGAL_SORT_TAKEN, seq, kt, np);
	walk_pages(f, PGAL_SORT_ADDED, ka, np, seq);
	walk_back(f, PGAL_SORT_ADDED, seq, ka, np);
	walk_pages(f, PGAL_SORT_TITLE, kx, np, seq);
	walk_back(f, PGAL_SORT_TITLE, seq, kx, np);

	/* NULL cursor is the start; limit 0 returns nothing; bad sort refused */
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TITLE, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(few[i].id, kx[i].id);
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TAKEN, NULL, 0, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(f->ops->photo_list(f->s, f->a1, (pgal_sort)42, NULL, 4, few, &n, &e), PGAL_OK);
	/* an empty album */
	assert_int_equal(f->ops->photo_list(f->s, 424242, PGAL_SORT_ADDED, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* the same for the reverse read: NULL cursor is the end */
	assert_int_equal(f->ops->photo_list_before(f->s, f->a1, PGAL_SORT_TITLE, NULL, 4, few, &n,
	    &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(few[i].id, kx[np - 4 + i].id);
	assert_int_equal(f->ops->photo_list_before(f->s, f->a1, PGAL_SORT_TAKEN, NULL, 0, few, &n,
	    &e), PGAL_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(f->ops->photo_list_before(f->s, f->a1, (pgal_sort)42, NULL, 4, few,
	    &n, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_list_before(f->s, 424242, PGAL_SORT_ADDED, NULL, 4, few,
	    &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(seq);
	free(kt);
	free(ka);
	free(kx);
}
