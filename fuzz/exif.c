/* EXIF blocks as a JPEG's APP1 segment holds them: pgal_exif_parse reads
 * every photo uploaded. */
#include <stddef.h>
#include <stdint.h>

#include "image/exif.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_exif x;

	pgal_exif_parse(data, size, &x);
	return 0;
}
