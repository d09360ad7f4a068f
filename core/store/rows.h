/* For the store backends: the rows they hand back to the core, collected
 * one way. */
#ifndef PGAL_STORE_ROWS_H
#define PGAL_STORE_ROWS_H

#include <stddef.h>

#include "err.h"
#include "records.h"

/* Row len (of size bytes) of the growing array *v of *cap rows, grown when
 * full; NULL when out of memory (*v is then unchanged, still the caller's
 * to free). */
void *pgal_store_rows_slot(void **v, size_t *cap, size_t len, size_t size);

/* Puts a reverse page read's rows (nearest the cursor first) in forward
 * order. */
void pgal_store_photos_reverse(pgal_photo *v, size_t n);

/* The blob ids of blob_ids_user and blob_ids_album while they are read:
 * v and n are what the operation returns (pgal_store_free_ids frees). */
typedef struct pgal_store_ids {
	char **v;
	size_t n, cap;
} pgal_store_ids;

/* Appends a copy of id; PGAL_EBACKEND when out of memory. */
int pgal_store_ids_add(pgal_store_ids *l, const char *id, pgal_err *e);

#endif
