/* Growing arrays: the one way an array of items (rows, names, jobs) is
 * made room in, with the size arithmetic checked. Bytes and text go in the
 * growing buffer (buf.h) instead. */
#ifndef PGAL_GROW_H
#define PGAL_GROW_H

#include <stddef.h>

/* Room for at least `need` items of item_size bytes in the array at
 * *items_p (a pointer to the array's pointer; NULL with *cap 0 is empty),
 * whose capacity is *cap items: the capacity at least doubles, so appends
 * cost amortized O(1). 0, or -1 with errno ENOMEM, or EOVERFLOW when the
 * size does not fit a size_t (EINVAL for an item_size of 0); on -1 the array and *cap are as they were
 * (still the caller's to free). */
int pgal_grow(void *items_p, size_t *cap, size_t need, size_t item_size);

/* The typed form: the item size is the array's own. */
#define PGAL_GROW(items, cap, need) pgal_grow(&(items), &(cap), (need), sizeof *(items))

#endif
