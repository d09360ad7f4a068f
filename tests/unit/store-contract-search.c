/* The store contract (store-contract.h): search (words, tags, escaping, the
 * album scope, the order). */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "config.h"
#include "store-contract-int.h"
#include "store/store.h"

/* ---- search ---- */

static pgal_id
search_photo(pgal_contract_fx *f, pgal_id user, pgal_id album, const char *name,
    const char *title, const char *desc, const char *tags, int64_t added)
{
	pgal_photo p;

	pgal_contract_fill_photo(f, &p, user, album, name);
	snprintf(p.title, sizeof p.title, "%s", title);
	snprintf(p.description, sizeof p.description, "%s", desc);
	snprintf(p.tags, sizeof p.tags, "%s", tags);
	p.added_at = added;
	return pgal_contract_insert_photo(f, &p);
}

/* Runs a search of user's photos (album 0: in every album of theirs) and
 * compares the ids with want[] (in order). */
static void
expect_search_by(pgal_contract_fx *f, pgal_id user, pgal_id album, const char *const *words,
    size_t nwords, const char *tag, size_t limit, const pgal_id *want, size_t nwant)
{
	pgal_photo out[32];
	pgal_err e;
	size_t n, i;

	assert_true(limit <= 32);
	if (f->ops->photo_search(f->s, user, album, words, nwords, tag, limit, out, &n,
	    &e) != PGAL_OK)
		fail_msg("search: %s", e.msg);
	if (n != nwant)
		fail_msg("search '%s'... tag %s album %lld: %zu results, want %zu",
		    nwords ? words[0] : "", tag ? tag : "-", (long long)album, n, nwant);
	for (i = 0; i < n; i++) {
		if (out[i].id != want[i])
			fail_msg("search '%s'... tag %s album %lld: result %zu is id %lld, "
			    "want %lld", nwords ? words[0] : "", tag ? tag : "-",
			    (long long)album, i, (long long)out[i].id, (long long)want[i]);
		assert_int_equal(out[i].user_id, user);
		if (album != 0)
			assert_int_equal(out[i].album_id, album);
		assert_true(out[i].album[0] != '\0');
	}
}

static void
expect_search(pgal_contract_fx *f, const char *const *words, size_t nwords, const char *tag,
    size_t limit, const pgal_id *want, size_t nwant)
{
	expect_search_by(f, f->alice, 0, words, nwords, tag, limit, want, nwant);
}

#define W(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
#define IDS(...) (const pgal_id[]){ __VA_ARGS__ }, \
	sizeof((const pgal_id[]){ __VA_ARGS__ }) / sizeof(pgal_id)

void
test_search(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_id pct, plain, snake, snakex, sunset, hills, fname, bslash, bx, bang;
	pgal_photo out[4];
	pgal_err e;
	size_t n;

	pct = search_photo(f, f->alice, f->a1, "p1.jpg", "100% cotton", "", "", 10);
	plain = search_photo(f, f->alice, f->a1, "p2.jpg", "100 cotton", "", "", 20);
	snake = search_photo(f, f->alice, f->a1, "p3.jpg", "snake_case title", "", "", 30);
	snakex = search_photo(f, f->alice, f->a1, "p4.jpg", "snakeXcase", "", "", 40);
	sunset = search_photo(f, f->alice, f->a1, "p5.jpg", "Sunset over sea", "", "beach,sunset", 50);
	hills = search_photo(f, f->alice, f->a2, "p6.jpg", "", "a SUNSET in the hills", "hills", 50);
	fname = search_photo(f, f->alice, f->a2, "sunset.jpg", "", "", "", 45);
	bslash = search_photo(f, f->alice, f->a2, "p8.jpg", "back\\slash", "", "", 5);
	bx = search_photo(f, f->alice, f->a2, "p9.jpg", "backXslash", "", "", 6);
	bang = search_photo(f, f->alice, f->a2, "p10.jpg", "wow!", "", "", 4);
	/* bob's photos never show up in alice's search */
	search_photo(f, f->bob, f->b1, "sunset.jpg", "sunset 100% snake_case", "", "sunset", 99);
	assert_true(hills > sunset);

	/* wildcards and escape characters are literal */
	expect_search(f, W("100%"), NULL, 10, IDS(pct));
	expect_search(f, W("%"), NULL, 10, IDS(pct));
	expect_search(f, W("e_c"), NULL, 10, IDS(snake));
	expect_search(f, W("_"), NULL, 10, IDS(snake));
	expect_search(f, W("\\"), NULL, 10, IDS(bslash));
	expect_search(f, W("k\\s"), NULL, 10, IDS(bslash));
	expect_search(f, W("!"), NULL, 10, IDS(bang));
	expect_search(f, W("w!"), NULL, 10, IDS(bang));
	expect_search(f, W("snake"), NULL, 10, IDS(snakex, snake));
	expect_search(f, W("100"), NULL, 10, IDS(plain, pct));
	/* title, description or name; case-insensitive; newest first, ties by id desc */
	expect_search(f, W("sunset"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("SuNsEt"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("SUNSET.JPG"), NULL, 10, IDS(fname));
	expect_search(f, W("sunset"), NULL, 2, IDS(hills, sunset));
	/* a word is looked for in the tags too (part of one, like the other fields) */
	expect_search(f, W("beach"), NULL, 10, IDS(sunset));
	expect_search(f, W("BEA"), NULL, 10, IDS(sunset));
	expect_search(f, W("beach", "over"), NULL, 10, IDS(sunset));
	/* every word must match */
	expect_search(f, W("SUNSET", "hills"), NULL, 10, IDS(hills));
	expect_search(f, W("sunset", "nowhere"), NULL, 10, NULL, 0);
	/* more words than a statement cache would hold */
	expect_search(f, W("a", "sunset", "in", "the", "hills", "A", "SUN", "set", "hil", "ls"),
	    NULL, 10, IDS(hills));
	/* tags */
	expect_search(f, NULL, 0, "sunset", 10, IDS(sunset));
	expect_search(f, W("over"), "beach", 10, IDS(sunset));
	expect_search(f, W("hills"), "beach", 10, NULL, 0);
	expect_search(f, NULL, 0, "sun", 10, NULL, 0); /* whole tags only */
	expect_search(f, NULL, 0, "%", 10, NULL, 0);
	expect_search(f, NULL, 0, "SUNSET", 10, NULL, 0); /* tags are stored normalized */
	/* nothing asked: all of alice's, newest first */
	expect_search(f, NULL, 0, NULL, 10,
	    IDS(hills, sunset, fname, snakex, snake, plain, pct, bx, bslash, bang));
	/* limit 0 */
	assert_int_equal(f->ops->photo_search(f->s, f->alice, 0, NULL, 0, NULL, 0, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* an injection attempt is only a word */
	expect_search(f, W("' OR 1=1 --"), NULL, 10, NULL, 0);
	expect_search(f, W("\") OR 1=1 #"), NULL, 10, NULL, 0);
}

/* Within one album: only its photos, however many match elsewhere. */
void
test_search_album(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_id old, tagonly, word, tie, newest, none, cats[12];
	char name[32], title[32];
	size_t i;

	old = search_photo(f, f->alice, f->a1, "h1.jpg", "Sunset on the beach", "", "sea", 10);
	tagonly = search_photo(f, f->alice, f->a1, "h2.jpg", "Morning", "", "sea", 20);
	word = search_photo(f, f->alice, f->a1, "h3.jpg", "Sunset again", "", "", 30);
	tie = search_photo(f, f->alice, f->a1, "h4.jpg", "sunset twin", "", "", 30);
	newest = search_photo(f, f->alice, f->a1, "h5.jpg", "", "SUNSET from the boat",
	    "boat,sea", 40);
	none = search_photo(f, f->alice, f->a1, "h6.jpg", "Lunch", "", "food", 35);
	assert_true(tie > word);
	/* more matches than the limit in another album, all of them newer */
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "cat-%zu.jpg", i);
		snprintf(title, sizeof title, "sunset cat %zu", i);
		cats[i] = search_photo(f, f->alice, f->a2, name, title, "", "sea", 100 + (int64_t)i);
	}
	/* bob's album matches everything asked below */
	search_photo(f, f->bob, f->b1, "b1.jpg", "sunset beach", "", "sea", 200);
	search_photo(f, f->bob, f->b1, "b2.jpg", "Morning", "", "food", 201);

	/* across albums the cats fill the first 5; within Holiday they do not */
	expect_search(f, W("sunset"), NULL, 5, IDS(cats[11], cats[10], cats[9], cats[8], cats[7]));
	expect_search_by(f, f->alice, f->a1, W("sunset"), NULL, 5, IDS(newest, tie, word, old));
	expect_search_by(f, f->alice, f->a1, W("sunset"), NULL, 2, IDS(newest, tie));
	expect_search_by(f, f->alice, f->a1, NULL, 0, "sea", 5, IDS(newest, tagonly, old));
	expect_search_by(f, f->alice, f->a2, W("sunset"), NULL, 3, IDS(cats[11], cats[10], cats[9]));
	/* tag, words and album together */
	expect_search_by(f, f->alice, f->a1, W("sunset"), "sea", 10, IDS(newest, old));
	expect_search_by(f, f->alice, f->a1, W("SUNSET", "beach"), "sea", 10, IDS(old));
	expect_search_by(f, f->alice, f->a1, W("boat"), "food", 10, NULL, 0);
	expect_search_by(f, f->alice, f->a1, W("cat"), "sea", 10, NULL, 0);
	/* nothing asked: the whole album, newest first */
	expect_search_by(f, f->alice, f->a1, NULL, 0, NULL, 10,
	    IDS(newest, none, tie, word, tagonly, old));
	/* another user's album id gives nothing, whatever is asked */
	expect_search_by(f, f->alice, f->b1, W("sunset"), NULL, 10, NULL, 0);
	expect_search_by(f, f->alice, f->b1, NULL, 0, "sea", 10, NULL, 0);
	expect_search_by(f, f->alice, f->b1, NULL, 0, NULL, 10, NULL, 0);
	expect_search_by(f, f->bob, f->a1, W("sunset"), "sea", 10, NULL, 0);
	expect_search_by(f, f->bob, f->a2, NULL, 0, NULL, 10, NULL, 0);
	/* an album that does not exist */
	expect_search_by(f, f->alice, 424242, W("sunset"), NULL, 10, NULL, 0);
	/* an injection attempt is only a word here too */
	expect_search_by(f, f->alice, f->a1, W("' OR 1=1 --"), NULL, 10, NULL, 0);
}
