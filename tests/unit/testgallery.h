/* Gallery fixtures for the unit tests that drive core/gallery.h. */
#ifndef PGAL_TESTGALLERY_H
#define PGAL_TESTGALLERY_H

#include <stdint.h>

#include "config.h"
#include "gallery.h"

/* Signs up user (user@example.org, password pw), confirms it with the code
 * the outbox of cfg received, and logs in into tok. PGAL_OK, or the failing
 * step's code with e saying which. */
int pgal_test_user(pgal *g, const pgal_config *cfg, const char *user, const char *pw,
    char tok[PGAL_TOKEN_HEX + 1], pgal_err *e);

/* A gallery on a fresh pgal_test_config in cfg, its clock fixed at now
 * (0: the real clock): 0, or -1 after saying why (a cmocka setup's
 * answer). */
int pgal_test_gallery_open(pgal_config *cfg, pgal **g, int64_t now);
/* Closes it and removes its home. */
void pgal_test_gallery_close(const pgal_config *cfg, pgal *g);

#endif
