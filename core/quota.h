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

/* The session's user's storage as a disk would show it (df, SFTP's
 * statvfs@openssh.com): bytes of originals used, and the size, which is
 * the quota, or for a user without one (quota_bytes 0) the used bytes and
 * PGAL_QUOTA_NONE_FREE more. */
#define PGAL_QUOTA_NONE_FREE (INT64_C(1) << 50) /* the largest quota the config takes */
typedef struct pgal_quota_usage {
	int64_t used;
	int64_t size;
	int64_t free; /* size - used, 0 when over it */
	int64_t photos;
} pgal_quota_usage;
int pgal_quota_usage_get(pgal *g, const char *token, pgal_quota_usage *u, pgal_err *e);

#endif
