/* The store contract (store-contract.h) against the backend named by
 * PGAL_TEST_STORE: sqlite when unset (the unit tier of `make test`), mysql
 * and dynamodb from tests/integration/test-store-*.sh against real peers. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "store-contract.h"

int
main(void)
{
	pgal_contract_backend b;
	pgal_err e;
	int rc;

	if (pgal_contract_from_env(&b, &e) != PGAL_OK) {
		/* a peer that is not configured is a failure, never a skip */
		printf("not ok 1 - store contract: %s\n", e.msg);
		pgal_contract_backend_free(&b);
		return 1;
	}
	rc = pgal_store_contract_run(&b);
	pgal_contract_backend_free(&b);
	return rc;
}
