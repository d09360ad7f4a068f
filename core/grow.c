/* Growing arrays (see grow.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

/* the first capacity: small arrays are common, tiny growth steps wasteful */
#define GROW_FIRST 8

int
pgal_grow(void *items_p, size_t *cap, size_t need, size_t item_size)
{
	void *items, *grown;
	size_t ncap, bytes;

	if (need <= *cap)
		return 0;
	/* doubled (or exactly what is needed when doubling overflows) */
	if (*cap == 0)
		ncap = GROW_FIRST;
	else if (__builtin_mul_overflow(*cap, 2, &ncap))
		ncap = need;
	if (ncap < need)
		ncap = need;
	if (item_size == 0) {
		errno = EINVAL;
		return -1;
	}
	if (__builtin_mul_overflow(ncap, item_size, &bytes) &&
	    (ncap = need, __builtin_mul_overflow(ncap, item_size, &bytes))) {
		errno = EOVERFLOW;
		return -1;
	}
	/* the array's pointer is copied out and back: it may be of any type */
	memcpy(&items, items_p, sizeof items);
	if ((grown = realloc(items, bytes)) == NULL) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(items_p, &grown, sizeof grown);
	*cap = ncap;
	return 0;
}
