/* Per-user storage quota (config quota_bytes): checked by the front ends
 * that receive files (SFTP, scp) before a file is ingested. */
#ifndef PGAL_QUOTA_H
#define PGAL_QUOTA_H

#include <stdint.h>

#include "err.h"
#include "gallery.h"

/* PGAL_OK if the session's user may store `incoming` more bytes of
 * originals; PGAL_EINPUT with a message naming the quota if not. */
int pgal_quota_check(pgal *g, const char *token, int64_t incoming, pgal_err *e);

#endif
