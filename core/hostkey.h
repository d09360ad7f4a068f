/* The SSH host key of a fleet (ssh_host_key): a file or an s3:// object,
 * read whole into memory and made once. */
#ifndef PGAL_HOSTKEY_H
#define PGAL_HOSTKEY_H

#include <stddef.h>

#include "config.h"
#include "err.h"

/* A host key file or object is at most this long. */
#define PGAL_HOSTKEY_MAX 16384

/* 1 when where is an s3://BUCKET/KEY object. */
int pgal_hostkey_is_s3(const char *where);
/* The key at where (a path or s3://BUCKET/KEY) into *pem (malloc'd,
 * NUL-terminated, *len bytes; the caller wipes and frees it). A file
 * readable by others is refused. */
int pgal_hostkey_read(const pgal_config *cfg, const char *where, char **pem, size_t *len,
		      pgal_err *e);
/* Makes a new ed25519 key at where, a file (0600) or an object; one that
 * exists is never replaced (PGAL_EINPUT). */
int pgal_hostkey_create(const pgal_config *cfg, const char *where, pgal_err *e);

#endif
