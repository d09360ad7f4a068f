/* Gallery fixtures for the unit tests that drive core/gallery.h. */
#ifndef PGAL_TESTGALLERY_H
#define PGAL_TESTGALLERY_H

#include "config.h"
#include "gallery.h"

/* Signs up user (user@example.org, password pw), confirms it with the code
 * the outbox of cfg received, and logs in into tok. PGAL_OK, or the failing
 * step's code with e saying which. */
int pgal_test_user(pgal *g, const pgal_config *cfg, const char *user, const char *pw,
    char tok[PGAL_TOKEN_HEX + 1], pgal_err *e);

#endif
