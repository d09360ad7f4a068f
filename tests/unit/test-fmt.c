/* Facts written for people: the camera's clock shown as it read, instants
 * in local time, and a photo's facts as the CLI and the TUI both show them. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "fmt.h"

/* 1069610857 is 2003-11-23T18:07:37Z (date -u -d @1069610857) */
#define NIKON_TAKEN 1069610857
/* a scan's EXIF date before 1970 (date -u -d '1954-06-01 12:30:00' +%s) */
#define SCAN_TAKEN INT64_C(-491830200)

static void
test_times(void **state)
{
	char buf[32];

	/* an instant follows the zone; the camera's clock does not */
	setenv("TZ", "JST-9", 1); /* POSIX form: no tzdata needed */
	tzset();
	pgal_fmt_local(buf, NIKON_TAKEN);
	assert_string_equal(buf, "2003-11-24 03:07");
	pgal_fmt_taken(buf, NIKON_TAKEN);
	assert_string_equal(buf, "2003-11-23 18:07");
	setenv("TZ", "UTC0", 1);
	tzset();
	pgal_fmt_local(buf, NIKON_TAKEN);
	assert_string_equal(buf, "2003-11-23 18:07");

	pgal_fmt_local(buf, -1);
	assert_string_equal(buf, "-");
	pgal_fmt_taken(buf, -1);
	assert_string_equal(buf, "");
	pgal_fmt_taken(buf, 0);
	assert_string_equal(buf, "1970-01-01 00:00");
	/* only -1 is unknown: a time before 1970 is shown like any other */
	pgal_fmt_taken(buf, SCAN_TAKEN);
	assert_string_equal(buf, "1954-06-01 12:30");
	pgal_fmt_iso(buf, SCAN_TAKEN, 0);
	assert_string_equal(buf, "1954-06-01T12:30:00");
	pgal_fmt_iso(buf, -1, 0);
	assert_string_equal(buf, "");
}

static pgal_photo
nikon(void)
{
	pgal_photo p;

	memset(&p, 0, sizeof p);
	p.width = 500;
	p.height = 375;
	p.bytes = 12345;
	p.added_at = NIKON_TAKEN + 86400;
	strcpy(p.exif.make, "NIKON CORPORATION");
	strcpy(p.exif.model, "NIKON D2H");
	strcpy(p.exif.exposure_time, "1/125");
	p.exif.f_number = 4.5;
	p.exif.focal_length = 23.33;
	p.exif.taken_at = NIKON_TAKEN;
	p.exif.gps.present = 1;
	p.exif.gps.lat = 39.9155556;
	p.exif.gps.lon = 116.3908333;
	p.exif.gps.alt = NAN;
	return p;
}

static void
test_photo_facts(void **state)
{
	pgal_photo p = nikon();
	pgal_photo_facts f;

	setenv("TZ", "UTC0", 1);
	tzset();
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.pixels, "500x375");
	assert_string_equal(f.size, "12.3 kB");
	assert_string_equal(f.taken, "2003-11-23 18:07");
	assert_string_equal(f.added, "2003-11-24 18:07");
	/* the make is left out when the model repeats it */
	assert_string_equal(f.camera, "NIKON D2H");
	assert_string_equal(f.exposure, "1/125 s");
	assert_string_equal(f.aperture, "f/4.5");
	assert_string_equal(f.iso, "");
	assert_string_equal(f.focal, "23.3 mm");
	assert_string_equal(f.gps, "39.91556, 116.39083");

	/* a whole focal length has no ".0"; altitude when known */
	strcpy(p.exif.make, "Apple");
	strcpy(p.exif.model, "iPhone 4S");
	p.exif.focal_length = 50;
	p.exif.iso = 50;
	p.exif.gps.alt = 29.4;
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.camera, "Apple iPhone 4S");
	assert_string_equal(f.focal, "50 mm");
	assert_string_equal(f.iso, "50");
	assert_string_equal(f.gps, "39.91556, 116.39083, 29 m");
	p.exif.focal_length = 4.28;
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.focal, "4.3 mm");

	/* a make or a model alone */
	p.exif.model[0] = '\0';
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.camera, "Apple");
	strcpy(p.exif.model, "X100V");
	p.exif.make[0] = '\0';
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.camera, "X100V");
}

static void
test_nothing_known(void **state)
{
	pgal_photo p;
	pgal_photo_facts f;

	memset(&p, 0, sizeof p);
	p.exif.taken_at = -1;
	pgal_fmt_photo_facts(&p, &f);
	assert_string_equal(f.taken, "");
	assert_string_equal(f.camera, "");
	assert_string_equal(f.exposure, "");
	assert_string_equal(f.aperture, "");
	assert_string_equal(f.iso, "");
	assert_string_equal(f.focal, "");
	assert_string_equal(f.gps, "");
	assert_string_equal(f.size, "0 B");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_photo_facts),
		cmocka_unit_test(test_nothing_known),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
