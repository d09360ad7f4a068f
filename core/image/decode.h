/* Decoding a stored rendition (thumbnail or preview JPEG) into pixels for a
 * front end that draws them itself, e.g. the TUI's chafa previews. */
#ifndef PGAL_IMAGE_DECODE_H
#define PGAL_IMAGE_DECODE_H

#include <stddef.h>

#include "err.h"

/* Decodes the JPEG in jpeg/len and scales it (never up) to fit max_w x
 * max_h, keeping the aspect ratio. On success *pixels is malloc'd RGBA8
 * (4 bytes a pixel, rows of *w * 4 bytes, opaque) and *w, *h its size.
 * Anything that is not a JPEG, or is corrupt, is PGAL_EINPUT. */
int pgal_image_decode_rgba(const void *jpeg, size_t len, int max_w, int max_h,
			   unsigned char **pixels, int *w, int *h, pgal_err *e);

#endif
