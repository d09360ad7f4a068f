/* Per-user storage quota (config quota_bytes): checked by ingest itself for
 * every door, and early by the front ends that receive files (SFTP, scp) so
 * they refuse before the bytes arrive. */
#ifndef PGAL_QUOTA_H
#define PGAL_QUOTA_H

#include <stdint.h>

#include "err.h"
#include "gallery.h"

/* PGAL_OK if the session's user may store `incoming` more bytes of
 * originals; PGAL_EINPUT with a message naming the quota if not. */
int pgal_quota_check(pgal *g, const char *token, int64_t incoming, pgal_err *e);

#endif
