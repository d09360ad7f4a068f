/* The image header reader: width and height of an upload, read before it
 * is queued, from a file as the client sent it. The type comes from the
 * magic bytes as in the ingest; the file is a memfd holding the input. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "image/header.h"
#include "image/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_img_type type;
	int w, h;

	if (fd == -1 && (fd = memfd_create("fuzz-header", MFD_CLOEXEC)) == -1)
		abort();
	if (ftruncate(fd, 0) == -1 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	type = pgal_image_detect(data, size < PGAL_IMG_HEAD ? size : PGAL_IMG_HEAD);
	if (type == PGAL_IMG_UNKNOWN)
		return 0;
	if (pgal_image_header_size(fd, type, (int64_t)size, &w, &h) == 1 && (w <= 0 || h <= 0))
		abort();
	return 0;
}
