/* Shared helpers for the unit tests. */
#ifndef PGAL_TESTLIB_H
#define PGAL_TESTLIB_H

#include "config.h"

/* A fresh scratch directory under $TMPDIR_TEST (or /tmp); removed by
 * pgal_test_rmdir. Returns a static path buffer owned by the caller's copy. */
void pgal_test_mkdtemp(char out[PATH_MAX]);
void pgal_test_rmdir(const char *dir);
/* Default config with PGAL_HOME in a fresh scratch directory and the derived
 * paths (sqlite, blobs, outbox) below it. */
void pgal_test_config(pgal_config *c);
/* The fixture photos' directory ($PGAL_FIXTURES or build/fixtures). */
const char *pgal_test_fixtures_dir(void);
/* The path of a fixture photo in it. */
const char *pgal_test_fixture(const char *name);
/* The confirmation code in the newest mail of the outbox ("" if none). */
void pgal_test_outbox_code(const pgal_config *c, char out[32]);
/* Removes every mail, so the next one is the only one. */
void pgal_test_outbox_clear(const pgal_config *c);
/* Number of regular files below dir (recursively). */
int pgal_test_count_files(const char *dir);

/* The one bounded wait of the C tests: a test waits for the state it needs,
 * never for a fixed time. Calls cond(arg) at once and then every 10 ms (a
 * monotonic clock) until it returns nonzero or `seconds` have passed.
 * cond returns 1 when the state is there, 0 for not yet, -1 to give up
 * at once (the awaited thing failed; cond says why with print_error).
 * Returns 0 when the state came; -1 otherwise, after printing "timed out
 * after N s waiting for WHAT" on a timeout. It never fails the test
 * itself (so a helper thread may use it, or a caller with something to
 * clean up first); pgal_test_wait_until does. */
int pgal_test_wait(double seconds, const char *what, int (*cond)(void *arg), void *arg);
/* The same, failing the cmocka test at the caller's line unless the state
 * came (needs <cmocka.h>). */
#define pgal_test_wait_until(seconds, what, cond, arg) do {		\
	if (pgal_test_wait((seconds), (what), (cond), (arg)) != 0)	\
		fail();							\
} while (0)

#endif
