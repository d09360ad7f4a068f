/* Names from clients: the file name of an upload becomes the photo's name
 * (pgal_photo_name_from_file, then a "-N" variant when it is taken), and
 * album names and tags are checked as given. What the ingest makes of any
 * file name must be a name it accepts, and its variants too. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = fuzz_text(data, size), name[PGAL_PHOTO_NAME_MAX + 1];
	char variant[PGAL_PHOTO_NAME_MAX + 1], tags[PGAL_TAGS_MAX + 1];
	pgal_err e;
	int n;

	pgal_photo_name_from_file(in, name);
	if (pgal_valid_photo_name(name, &e) != PGAL_OK)
		abort();
	for (n = 1; n < 1000000; n *= 37) {
		pgal_photo_name_variant(name, n, variant);
		if (pgal_valid_photo_name(variant, &e) != PGAL_OK)
			abort();
	}
	pgal_valid_photo_name(in, &e);
	pgal_valid_album_name(in, &e);
	pgal_valid_title(in, &e);
	pgal_valid_description(in, &e);
	if (pgal_tags_normalize(in, tags, &e) == PGAL_OK && strlen(tags) > PGAL_TAGS_MAX)
		abort();
	free(in);
	return 0;
}
