/* Photos by title: the titled ones A to Z, then the untitled ones in the
 * order they were added, whatever the page size, read forward page by
 * page or backward from the end (the TUI's G), so the two runs join up
 * across every page boundary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gallery.h"
#include "testgallery.h"
#include "testlib.h"

#define PW "correct horse battery"
#define T0 1700000000
#define PHOTOS 8

struct fx {
	pgal_config cfg;
	pgal *g;
	char tok[PGAL_TOKEN_HEX + 1];
};

/* titles given to some of orient-1..8.jpg; the others stay untitled */
static const char *const titles[PHOTOS] = { NULL, "pier", NULL, "beach", NULL, NULL,
	"harbour", NULL };
/* what the order must be: titled A to Z, then untitled as added */
static const char *const expected[PHOTOS] = { "orient-4.jpg", "orient-7.jpg", "orient-2.jpg",
	"orient-1.jpg", "orient-3.jpg", "orient-5.jpg", "orient-6.jpg", "orient-8.jpg" };

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char path[64];
	pgal_photo p;
	pgal_err e;
	int i;

	*state = f;
	if (f == NULL || pgal_test_gallery_open(&f->cfg, &f->g, T0) != 0)
		return -1;
	if (pgal_test_user(f->g, &f->cfg, "tess", PW, f->tok, &e) != PGAL_OK ||
	    pgal_album_create(f->g, f->tok, "mixed", NULL, NULL, NULL, &e) != PGAL_OK)
		return -1;
	for (i = 0; i < PHOTOS; i++) {
		snprintf(path, sizeof path, "orient-%d.jpg", i + 1);
		if (pgal_photo_add(f->g, f->tok, "mixed", pgal_test_fixture(path), NULL, &p,
		    &e) != PGAL_OK)
			return -1;
		if (titles[i] != NULL && pgal_photo_update(f->g, f->tok, "mixed", p.name,
		    titles[i], NULL, NULL, NULL, &e) != PGAL_OK)
			return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	pgal_test_gallery_close(&f->cfg, f->g);
	free(f);
	return 0;
}

static void
test_forward_pages(void **state)
{
	struct fx *f = *state;
	pgal_photo page[PHOTOS + 1];
	pgal_cursor after, next;
	size_t limit, n, got, i;
	pgal_err e;
	int reads;

	for (limit = 1; limit <= PHOTOS + 1; limit++) {
		memset(&after, 0, sizeof after);
		got = 0;
		for (reads = 0; reads <= PHOTOS + 1; reads++) {
			assert_int_equal(pgal_photo_list(f->g, f->tok, "mixed", PGAL_SORT_TITLE,
			    &after, limit, page, &n, &next, &e), PGAL_OK);
			assert_true(got + n <= PHOTOS);
			for (i = 0; i < n; i++)
				assert_string_equal(page[i].name, expected[got + i]);
			got += n;
			if (!next.valid)
				break;
			after = next;
		}
		if (got != PHOTOS)
			fail_msg("pages of %zu: %zu photos, wanted %d", limit, got, PHOTOS);
	}
}

static void
test_backward_pages(void **state)
{
	struct fx *f = *state;
	pgal_photo page[PHOTOS + 1];
	pgal_cursor before, prev;
	size_t limit, n, left, i;
	pgal_err e;
	int reads;

	for (limit = 1; limit <= PHOTOS + 1; limit++) {
		memset(&before, 0, sizeof before);
		left = PHOTOS;
		for (reads = 0; reads <= PHOTOS + 1; reads++) {
			assert_int_equal(pgal_photo_list_before(f->g, f->tok, "mixed",
			    PGAL_SORT_TITLE, before.valid ? &before : NULL, limit, page, &n, &prev,
			    &e), PGAL_OK);
			assert_true(n <= left);
			for (i = 0; i < n; i++)
				assert_string_equal(page[i].name, expected[left - n + i]);
			left -= n;
			if (!prev.valid)
				break;
			before = prev;
		}
		if (left != 0)
			fail_msg("pages of %zu from the end: %zu photos not reached", limit, left);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_forward_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backward_pages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
