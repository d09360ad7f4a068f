/* A byte count as people read it, the same in every listing, message and
 * front end: decimal units, "512 B", "8.1 MB", "214 MB". */
#ifndef PGAL_HUMAN_SIZE_H
#define PGAL_HUMAN_SIZE_H

#include <stdint.h>

/* One decimal below 100 of the unit; a negative count prints as "0 B". */
void pgal_fmt_size(char out[16], int64_t bytes);

#endif
