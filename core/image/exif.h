/* EXIF reading with libexif: the camera facts a gallery shows. Every string is
 * passed through the sanitizer; every number is range-checked. */
#ifndef PGAL_EXIF_H
#define PGAL_EXIF_H

#include <stddef.h>

#include "records.h"

/* Parses a raw EXIF block (as in a JPEG APP1 segment, with or without the
 * "Exif\0\0" header). Fills out (zeroed first, taken_at = -1); returns 1 if
 * any EXIF was found, 0 if none or unreadable. Never fails harder than that. */
int pgal_exif_parse(const unsigned char *data, size_t len, pgal_exif *out);

/* Empty EXIF: zeros, empty strings, taken_at -1, gps.present 0. */
void pgal_exif_clear(pgal_exif *x);

#endif
