/* The store contract (store-contract.h): marks, the named moments every
 * process and host shares (throttles, mail limits, live codes), and the
 * unconfirmed accounts gc lists. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store-contract-int.h"
#include "store/store.h"

#define NOW 1700000000

void
test_marks(void **state)
{
	pgal_contract_fx *f = *state;
	int64_t until = 0, removed = -1;
	int claimed = -1;
	pgal_err e;

	assert_int_equal(f->ops->mark_get(f->s, "pw-src:192.0.2.1", NOW, &until, &e),
	    PGAL_ENOTFOUND);
	/* an absent mark starts at now */
	assert_int_equal(f->ops->mark_add(f->s, "pw-src:192.0.2.1", NOW, 120, &until, &e), PGAL_OK);
	assert_int_equal(until, NOW + 120);
	/* a live one grows from where it is */
	assert_int_equal(f->ops->mark_add(f->s, "pw-src:192.0.2.1", NOW + 10, 120, &until, &e),
	    PGAL_OK);
	assert_int_equal(until, NOW + 240);
	/* a refund */
	assert_int_equal(f->ops->mark_add(f->s, "pw-src:192.0.2.1", NOW + 10, -120, &until, &e),
	    PGAL_OK);
	assert_int_equal(until, NOW + 120);
	assert_int_equal(f->ops->mark_get(f->s, "pw-src:192.0.2.1", NOW + 10, &until, &e), PGAL_OK);
	assert_int_equal(until, NOW + 120);
	/* an expired one counts as absent, and restarts at now */
	assert_int_equal(f->ops->mark_get(f->s, "pw-src:192.0.2.1", NOW + 120, &until, &e),
	    PGAL_ENOTFOUND);
	assert_int_equal(f->ops->mark_add(f->s, "pw-src:192.0.2.1", NOW + 500, 60, &until, &e),
	    PGAL_OK);
	assert_int_equal(until, NOW + 560);

	/* claims: only where no live mark is */
	assert_int_equal(f->ops->mark_claim(f->s, "alert:7", NOW, NOW + 86400, &claimed, &e), PGAL_OK);
	assert_int_equal(claimed, 1);
	assert_int_equal(f->ops->mark_claim(f->s, "alert:7", NOW + 5, NOW + 90000, &claimed, &e),
	    PGAL_OK);
	assert_int_equal(claimed, 0);
	assert_int_equal(f->ops->mark_get(f->s, "alert:7", NOW + 5, &until, &e), PGAL_OK);
	assert_int_equal(until, NOW + 86400);
	assert_int_equal(f->ops->mark_claim(f->s, "alert:7", NOW + 86400, NOW + 200000, &claimed,
	    &e), PGAL_OK);
	assert_int_equal(claimed, 1);

	/* delete, also of nothing */
	assert_int_equal(f->ops->mark_delete(f->s, "alert:7", &e), PGAL_OK);
	assert_int_equal(f->ops->mark_get(f->s, "alert:7", NOW, &until, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->mark_delete(f->s, "alert:7", &e), PGAL_OK);

	/* prune removes what has passed, keeps what is live */
	assert_int_equal(f->ops->mark_prune(f->s, NOW + 1000, &removed, &e), PGAL_OK);
	assert_true(removed >= 0);
	assert_int_equal(f->ops->mark_get(f->s, "pw-src:192.0.2.1", NOW + 1000, &until, &e),
	    PGAL_ENOTFOUND);
}

void
test_unconfirmed(void **state)
{
	pgal_contract_fx *f = *state;
	pgal_id *ids = NULL, carol;
	pgal_user u;
	size_t n = 0;
	pgal_err e;

	/* alice and bob were made unconfirmed at 1700000000 */
	assert_int_equal(f->ops->user_ids_unconfirmed(f->s, 1700000000, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(ids);
	assert_int_equal(f->ops->user_get(f->s, f->bob, &u, &e), PGAL_OK);
	u.confirmed = 1;
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_OK);
	carol = pgal_contract_user(f, "carol");
	assert_int_equal(f->ops->user_ids_unconfirmed(f->s, 1700000001, &ids, &n, &e), PGAL_OK);
	/* not bob: he is confirmed now; oldest first */
	assert_int_equal(n, 2);
	assert_int_equal(ids[0], f->alice);
	assert_int_equal(ids[1], carol);
	free(ids);
	assert_int_equal(f->ops->user_delete(f->s, f->alice, &e), PGAL_OK);
	assert_int_equal(f->ops->user_ids_unconfirmed(f->s, 1700000001, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], carol);
	free(ids);
}
