/* The store contract (store-contract.h): timing (PGAL_TEST_BENCH=N), inserts
 * and pages per second. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- timing (PGAL_TEST_BENCH=N) ---- */

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
test_bench(void **state)
{
	pgal_contract_fx *f = *state;
	const char *v = getenv("PGAL_TEST_BENCH");
	size_t nb = v != NULL && atoi(v) > 0 ? (size_t)atoi(v) : 1000, i, n, total = 0, pages = 0;
	pgal_photo p, *page;
	pgal_cursor cur;
	pgal_err e;
	char name[32];
	double t0, t1, t2;

	page = calloc(100, sizeof *page);
	assert_non_null(page);
	t0 = now_s();
	for (i = 0; i < nb; i++) {
		snprintf(name, sizeof name, "bench-%zu.jpg", i);
		pgal_contract_fill_photo(f, &p, f->alice, f->a1, name);
		snprintf(p.tags, sizeof p.tags, "bench,t%zu", i % 10);
		pgal_contract_insert_photo(f, &p);
	}
	t1 = now_s();
	memset(&cur, 0, sizeof cur);
	for (;;) {
		assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TAKEN, &cur, 100,
		    page, &n, &e), PGAL_OK);
		if (n == 0)
			break;
		pages++;
		total += n;
		cur.valid = 1;
		cur.num = page[n - 1].sort_taken;
		cur.id = page[n - 1].id;
	}
	t2 = now_s();
	assert_int_equal(total, nb);
	printf("# bench %s: photo_insert (with 2 tags) %.0f/s (%zu in %.2f s); "
	    "photo_list page of 100: %.0f pages/s (%zu in %.3f s)\n", B->name,
	    (double)nb / (t1 - t0), nb, t1 - t0, (double)pages / (t2 - t1), pages, t2 - t1);
	free(page);
}
