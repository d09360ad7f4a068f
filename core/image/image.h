/* Image handling for ingest: type detection from magic bytes, a pixel-count
 * check that reads only the header, and one decode that yields both the
 * preview and the thumbnail with EXIF orientation applied. libvips'
 * untrusted loaders are blocked and only the loader for the detected type is
 * ever called. */
#ifndef PGAL_IMAGE_H
#define PGAL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "records.h"

typedef enum pgal_img_type {
	PGAL_IMG_UNKNOWN = 0,
	PGAL_IMG_JPEG,
	PGAL_IMG_PNG,
	PGAL_IMG_WEBP,
	PGAL_IMG_GIF,
	PGAL_IMG_TIFF,
	PGAL_IMG_HEIC,
} pgal_img_type;

/* Bytes of the file head that pgal_image_detect wants to see. */
#define PGAL_IMG_HEAD 32

pgal_img_type pgal_image_detect(const unsigned char *head, size_t n);
const char *pgal_image_mime(pgal_img_type t);  /* "image/jpeg"; NULL for unknown */
int pgal_image_type_supported(pgal_img_type t); /* HEIC only if libvips can load it */

/* Starts libvips once per process (after any fork) and blocks untrusted
 * loaders. Safe to call many times. */
int pgal_image_init(pgal_err *e);
/* The same for a process that decodes one file of a known type (the
 * sandboxed decoder): the HEIF module, with the HEVC and AV1 codecs behind
 * it, is loaded for HEIC only, which saves a good part of the start. */
int pgal_image_init_for(pgal_img_type type, pgal_err *e);

typedef struct pgal_rendition {
	unsigned char *data; /* JPEG, g_free/free via pgal_image_result_free */
	size_t len;
	int width, height;
} pgal_rendition;

typedef struct pgal_image_result {
	int width, height; /* of the original, orientation applied */
	pgal_exif exif;    /* zeroed/empty when the file has none; taken_at -1 */
	pgal_rendition thumb;
	pgal_rendition preview;
} pgal_image_result;

/* Reads the header of `path` (already detected as `type`), refuses
 * width*height > max_pixels with PGAL_EINPUT before decoding any pixels, reads
 * EXIF, then decodes once (shrink-on-load where the format allows) and makes a
 * preview whose long edge is at most preview_px and a thumbnail of at most
 * thumb_px from it. Bad or truncated images are PGAL_EINPUT. */
int pgal_image_process(const char *path, pgal_img_type type, int64_t max_pixels,
		       int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e);
/* The same from fd, an open regular file read from its start (its offset
 * moves), for a decoder that may not open the file by name. */
int pgal_image_process_fd(int fd, pgal_img_type type, int64_t max_pixels,
			  int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e);
void pgal_image_result_free(pgal_image_result *r);

/* The error of a decode that could not get the memory it needed. */
#define PGAL_IMG_OOM "out of memory while decoding"

#endif
