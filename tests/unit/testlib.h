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

#endif
