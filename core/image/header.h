/* Image dimensions from the file header alone, without a decoder: enough
 * to refuse a pixel bomb or a damaged header before an upload is queued
 * for its full decode. Never starts libvips, so a process may still fork
 * after using it. */
#ifndef PGAL_IMAGE_HEADER_H
#define PGAL_IMAGE_HEADER_H

#include <stdint.h>

#include "image/image.h"

/* What the header tells about a decode. */
typedef struct pgal_img_header {
	int width, height;
	/* bytes the decoder must hold at once, whatever it is asked to
	 * make: the whole image for an interlaced PNG (Adam7 passes), the
	 * DCT coefficients of a progressive or multi-scan JPEG, a GIF's or
	 * a lossless WebP's canvas; 0 when it decodes in strips */
	int64_t held_bytes;
} pgal_img_header;

/* As pgal_image_header_size, with what the decode will hold. */
int pgal_image_header_read(int fd, pgal_img_type type, int64_t size, pgal_img_header *h);

/* Memory a decode of this header needs: the decoder's own (libvips, its
 * threads, line buffers) and what it holds. */
#define PGAL_DECODE_BASE_BYTES (INT64_C(64) << 20)
int64_t pgal_image_decode_bytes(const pgal_img_header *h);

/* Reads the width and height the header of fd (a file of `size` bytes,
 * already detected as `type`) declares, with bounded positional reads.
 * 1 with *w and *h set; 0 when this type keeps them where this parser does
 * not look (HEIC: the decoder checks); -1 when the header is missing,
 * truncated or malformed. */
int pgal_image_header_size(int fd, pgal_img_type type, int64_t size, int *w, int *h);

#endif
