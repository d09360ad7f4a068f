/* The store contract (store-contract.h): an account's preferences. */

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

static size_t
prefs_of(pgal_contract_fx *f, pgal_id user, pgal_pref **out)
{
	pgal_err e;
	size_t n = 0;

	if (f->ops->pref_list(f->s, user, out, &n, &e) != PGAL_OK)
		fail_msg("pref_list: %s", e.msg);
	return n;
}

static void
set(pgal_contract_fx *f, pgal_id user, const char *name, const char *value)
{
	pgal_err e;

	if (f->ops->pref_set(f->s, user, name, value, &e) != PGAL_OK)
		fail_msg("pref_set %s=%s: %s", name, value, e.msg);
}

void
test_prefs(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_pref *p = NULL;
	pgal_err e;
	char longest[PGAL_PREF_VALUE_MAX + 1];

	/* none until set */
	assert_int_equal(prefs_of(f, f->alice, &p), 0);
	free(p);

	set(f, f->alice, "graphics", "sixel");
	set(f, f->alice, "colors", "truecolor");
	set(f, f->bob, "colors", "16");
	/* a second set replaces the value, sorted by name */
	set(f, f->alice, "colors", "256");
	assert_int_equal(prefs_of(f, f->alice, &p), 2);
	assert_string_equal(p[0].name, "colors");
	assert_string_equal(p[0].value, "256");
	assert_string_equal(p[1].name, "graphics");
	assert_string_equal(p[1].value, "sixel");
	free(p);
	/* each user has their own */
	assert_int_equal(prefs_of(f, f->bob, &p), 1);
	assert_string_equal(p[0].value, "16");
	free(p);

	/* the longest name and value keep every byte */
	memset(longest, 'v', PGAL_PREF_VALUE_MAX);
	longest[PGAL_PREF_VALUE_MAX] = '\0';
	set(f, f->bob, "colors", longest);
	assert_int_equal(prefs_of(f, f->bob, &p), 1);
	assert_string_equal(p[0].value, longest);
	free(p);

	/* no such user */
	assert_int_equal(f->ops->pref_set(f->s, f->bob + 999999, "colors", "16", &e),
	    PGAL_ENOTFOUND);

	/* they go with the account */
	assert_int_equal(f->ops->user_delete(f->s, f->alice, &e), PGAL_OK);
	assert_int_equal(prefs_of(f, f->alice, &p), 0);
	free(p);
	assert_probe(f, PGAL_PROBE_USER_ROWS, f->alice, NULL, 0);
	assert_int_equal(prefs_of(f, f->bob, &p), 1);
	free(p);
}
