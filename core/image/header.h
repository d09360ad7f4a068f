/* Image dimensions from the file header alone, without a decoder: enough
 * to refuse a pixel bomb or a damaged header before an upload is queued
 * for its full decode. Never starts libvips, so a process may still fork
 * after using it. */
#ifndef PGAL_IMAGE_HEADER_H
#define PGAL_IMAGE_HEADER_H

#include <stdint.h>

#include "image/image.h"

/* Reads the width and height the header of fd (a file of `size` bytes,
 * already detected as `type`) declares, with bounded positional reads.
 * 1 with *w and *h set; 0 when this type keeps them where this parser does
 * not look (HEIC: the decoder checks); -1 when the header is missing,
 * truncated or malformed. */
int pgal_image_header_size(int fd, pgal_img_type type, int64_t size, int *w, int *h);

#endif
