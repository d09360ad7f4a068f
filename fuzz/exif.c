/* EXIF blocks as a JPEG's APP1 segment holds them: pgal_exif_parse reads
 * every photo uploaded. Checks what it promises of what it read: strings
 * sanitized and inside their fields, numbers within their bounds. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image/exif.h"
#include "sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL || !pgal_text_is_clean(s, 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_exif x;

	pgal_exif_parse(data, size, &x);
	check_text(x.make, sizeof x.make);
	check_text(x.model, sizeof x.model);
	check_text(x.lens, sizeof x.lens);
	check_text(x.exposure_time, sizeof x.exposure_time);
	if (!(x.f_number >= 0 && x.f_number <= 1000) || x.iso < 0 ||
	    !(x.focal_length >= 0 && x.focal_length <= 100000) ||
	    x.orientation < 0 || x.orientation > 8)
		abort();
	/* -1 unknown, else 1800-01-01 to 9999-12-31 23:59:60: before 1970 is
	 * negative (what shows it must not take it for unknown) */
	if (x.taken_at != -1 && (x.taken_at < INT64_C(-5364662400) ||
	    x.taken_at > INT64_C(253402300800)))
		abort();
	if (x.gps.present && (!(x.gps.lat >= -90 && x.gps.lat <= 90) ||
	    !(x.gps.lon >= -180 && x.gps.lon <= 180) ||
	    (!isnan(x.gps.alt) && !(x.gps.alt >= -100000 && x.gps.alt <= 100000))))
		abort();
	return 0;
}
