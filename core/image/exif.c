/* EXIF with libexif: only the facts a gallery shows, each read with its
 * format and size checked, every string sanitized, every number bounded. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libexif/exif-data.h>
#include <libexif/exif-log.h>
#include <libexif/exif-utils.h>

#include "image/exif.h"
#include "sanitize.h"

/* A JPEG APP1 segment holds at most 64 KiB; other containers (PNG eXIf,
 * WebP EXIF) are not much bigger in practice. More is not a photo's EXIF. */
#define EXIF_MAX (1024 * 1024)

static const unsigned char exif_hdr[6] = { 'E', 'x', 'i', 'f', 0, 0 };

void
pgal_exif_clear(pgal_exif *x)
{
	memset(x, 0, sizeof *x);
	x->taken_at = -1;
	x->gps.alt = NAN;
}

/* libexif logs corrupt data through its ExifLog; hostile files would make
 * that noise, and we report what we could read instead. */
static void
exif_log_quiet(ExifLog *log, ExifLogCode code, const char *domain,
    const char *fmt, va_list ap, void *data)
{
}

/* The entry for tag in ifd, or in any IFD but GPS (some writers misplace
 * tags; GPS tag numbers collide with the interoperability IFD's). */
static ExifEntry *
find(ExifData *d, ExifIfd ifd, ExifTag tag, int anywhere)
{
	ExifEntry *en;
	int i;

	if ((en = exif_content_get_entry(d->ifd[ifd], tag)) != NULL)
		return en;
	if (!anywhere)
		return NULL;
	for (i = 0; i < EXIF_IFD_COUNT; i++) {
		if (i == (int)ifd || i == EXIF_IFD_GPS)
			continue;
		if ((en = exif_content_get_entry(d->ifd[i], tag)) != NULL)
			return en;
	}
	return NULL;
}

/* 1 if en holds at least n values of format f. */
static int
holds(ExifEntry *en, ExifFormat f, unsigned long n)
{
	unsigned char sz = exif_format_get_size(f);

	if (en == NULL || en->data == NULL || en->format != f || sz == 0)
		return 0;
	return en->components >= n && en->size / sz >= n;
}

/* A text entry (ASCII, or UNDEFINED as some writers use), cut at its first
 * NUL, sanitized and trimmed of spaces. */
static void
get_string(ExifEntry *en, char *dst, size_t dstsz)
{
	const char *s;
	size_t n, start, end;
	char *tmp;

	dst[0] = '\0';
	if (en == NULL || en->data == NULL || en->size == 0 ||
	    (en->format != EXIF_FORMAT_ASCII &&
	    en->format != EXIF_FORMAT_UNDEFINED))
		return;
	s = (const char *)en->data;
	n = strnlen(s, en->size);
	/* sanitize into a buffer as long as the input, trim, then fit dst */
	if ((tmp = malloc(n + 1)) == NULL)
		return;
	pgal_sanitize_n(tmp, n + 1, s, n, 0);
	n = strlen(tmp);
	for (start = 0; start < n && tmp[start] == ' '; start++)
		;
	for (end = n; end > start && tmp[end - 1] == ' '; end--)
		;
	tmp[end] = '\0';
	/* a second pass so a cut at dstsz never splits a character */
	pgal_sanitize(dst, dstsz, tmp + start, 0);
	free(tmp);
}

/* The i-th rational of en as a double; 0 if absent, NAN if x/0. */
static double
get_rational(ExifEntry *en, unsigned long i, ExifByteOrder bo)
{
	ExifRational r;
	ExifSRational sr;

	if (holds(en, EXIF_FORMAT_RATIONAL, i + 1)) {
		r = exif_get_rational(en->data + 8 * i, bo);
		if (r.denominator == 0)
			return r.numerator == 0 ? 0 : NAN;
		return (double)r.numerator / r.denominator;
	}
	if (holds(en, EXIF_FORMAT_SRATIONAL, i + 1)) {
		sr = exif_get_srational(en->data + 8 * i, bo);
		if (sr.denominator == 0)
			return sr.numerator == 0 ? 0 : NAN;
		return (double)sr.numerator / sr.denominator;
	}
	return 0;
}

/* The first integer of en (SHORT, LONG or BYTE); -1 if absent. */
static long
get_int(ExifEntry *en, ExifByteOrder bo)
{
	if (holds(en, EXIF_FORMAT_SHORT, 1))
		return exif_get_short(en->data, bo);
	if (holds(en, EXIF_FORMAT_LONG, 1))
		return (long)exif_get_long(en->data, bo);
	if (holds(en, EXIF_FORMAT_BYTE, 1))
		return en->data[0];
	return -1;
}

/* "1/250" below a second, "2.5" from a second up; longer than a day is
 * not an exposure. */
static void
fmt_exposure(ExifEntry *en, ExifByteOrder bo, char *dst, size_t dstsz)
{
	ExifRational r;
	double v, inv;

	dst[0] = '\0';
	if (!holds(en, EXIF_FORMAT_RATIONAL, 1))
		return;
	r = exif_get_rational(en->data, bo);
	if (r.numerator == 0 || r.denominator == 0)
		return;
	v = (double)r.numerator / r.denominator;
	if (v > 86400)
		return;
	if (v >= 1) {
		snprintf(dst, dstsz, "%.10g", round(v * 10) / 10);
		return;
	}
	if (r.numerator == 1) {
		snprintf(dst, dstsz, "1/%u", (unsigned)r.denominator);
		return;
	}
	inv = (double)r.denominator / r.numerator;
	inv = inv >= 10 ? round(inv) : round(inv * 10) / 10;
	snprintf(dst, dstsz, "1/%.10g", inv);
}

static int
leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(long y, int m, int d)
{
	static const int before[12] = { 0, 31, 59, 90, 120, 151, 181, 212,
	    243, 273, 304, 334 };
	int64_t days = 0;
	long i;

	/* whole years, counted from either side of 1970 */
	if (y >= 1970) {
		for (i = 1970; i < y; i++)
			days += leap(i) ? 366 : 365;
	} else {
		for (i = y; i < 1970; i++)
			days -= leap(i) ? 366 : 365;
	}
	days += before[m - 1] + (m > 2 && leap(y)) + d - 1;
	return days;
}

static int
digits(const char *s, int n, long *out)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "YYYY:MM:DD HH:MM:SS" (camera local time, taken as UTC) to unix time;
 * -1 for anything else, including the all-zero "unknown" date. */
static int64_t
parse_date(const char *s)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	long y, mo, d, h, mi, se;
	int dim;

	if (strlen(s) < 19)
		return -1;
	if ((s[4] != ':' && s[4] != '-') || s[7] != s[4] || s[10] != ' ' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
	    digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) ||
	    digits(s + 17, 2, &se))
		return -1;
	if (y < 1800 || y > 9999 || mo < 1 || mo > 12 || h > 23 || mi > 59 ||
	    se > 60)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && leap(y));
	if (d < 1 || d > dim)
		return -1;
	return days_from_civil(y, (int)mo, (int)d) * 86400 + h * 3600 +
	    mi * 60 + se;
}

/* Degrees from a GPS degrees/minutes/seconds triple; NAN if malformed. */
static double
gps_coord(ExifEntry *en, ExifByteOrder bo)
{
	double deg, min = 0, sec = 0;

	if (!holds(en, EXIF_FORMAT_RATIONAL, 1))
		return NAN;
	deg = get_rational(en, 0, bo);
	if (holds(en, EXIF_FORMAT_RATIONAL, 2))
		min = get_rational(en, 1, bo);
	if (holds(en, EXIF_FORMAT_RATIONAL, 3))
		sec = get_rational(en, 2, bo);
	if (!isfinite(deg) || !isfinite(min) || !isfinite(sec) ||
	    min < 0 || min >= 60 || sec < 0 || sec > 60)
		return NAN;
	return deg + min / 60 + sec / 3600;
}

static char
gps_ref(ExifEntry *en)
{
	if (en == NULL || en->data == NULL || en->size < 1 ||
	    en->format != EXIF_FORMAT_ASCII)
		return 0;
	return (char)en->data[0];
}

static void
read_gps(ExifData *d, ExifByteOrder bo, pgal_gps *g)
{
	ExifContent *c = d->ifd[EXIF_IFD_GPS];
	double lat, lon, alt;
	char lr, nr;
	long aref;

	lat = gps_coord(exif_content_get_entry(c, EXIF_TAG_GPS_LATITUDE), bo);
	lon = gps_coord(exif_content_get_entry(c, EXIF_TAG_GPS_LONGITUDE), bo);
	lr = gps_ref(exif_content_get_entry(c, EXIF_TAG_GPS_LATITUDE_REF));
	nr = gps_ref(exif_content_get_entry(c, EXIF_TAG_GPS_LONGITUDE_REF));
	if (!isfinite(lat) || !isfinite(lon))
		return;
	if ((lr != 'N' && lr != 'S') || (nr != 'E' && nr != 'W'))
		return;
	if (lr == 'S')
		lat = -lat;
	if (nr == 'W')
		lon = -lon;
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180)
		return;
	/* receivers without a fix write zeros */
	if (lat == 0 && lon == 0)
		return;
	g->present = 1;
	g->lat = lat;
	g->lon = lon;
	g->alt = NAN;
	alt = get_rational(exif_content_get_entry(c, EXIF_TAG_GPS_ALTITUDE), 0,
	    bo);
	if (!holds(exif_content_get_entry(c, EXIF_TAG_GPS_ALTITUDE),
	    EXIF_FORMAT_RATIONAL, 1) || !isfinite(alt) || alt > 100000)
		return;
	aref = get_int(exif_content_get_entry(c, EXIF_TAG_GPS_ALTITUDE_REF),
	    bo);
	g->alt = aref == 1 ? -alt : alt;
}

static void
read_lens(ExifData *d, char *dst, size_t dstsz)
{
	char make[64], model[128];
	size_t ml;

	get_string(find(d, EXIF_IFD_EXIF, EXIF_TAG_LENS_MAKE, 1), make,
	    sizeof make);
	get_string(find(d, EXIF_IFD_EXIF, EXIF_TAG_LENS_MODEL, 1), model,
	    sizeof model);
	ml = strlen(make);
	if (model[0] == '\0')
		snprintf(dst, dstsz, "%s", make);
	else if (ml == 0 || strncasecmp(model, make, ml) == 0)
		snprintf(dst, dstsz, "%s", model);
	else {
		/* cut only between whole characters: sanitize the join */
		char both[sizeof make + sizeof model + 1];
		snprintf(both, sizeof both, "%s %s", make, model);
		pgal_sanitize(dst, dstsz, both, 0);
	}
}

int
pgal_exif_parse(const unsigned char *data, size_t len, pgal_exif *out)
{
	ExifData *d;
	ExifLog *log;
	ExifByteOrder bo;
	unsigned char *buf = NULL;
	const unsigned char *p = data;
	size_t n = len;
	char date[32];
	double v;
	long iv;
	int i, found = 0;

	pgal_exif_clear(out);
	if (data == NULL || len < 8 || len > EXIF_MAX)
		return 0;
	/* libexif wants the APP1 "Exif\0\0" header before the TIFF block */
	if (memcmp(data, exif_hdr, sizeof exif_hdr) != 0 &&
	    (memcmp(data, "II*\0", 4) == 0 || memcmp(data, "MM\0*", 4) == 0)) {
		if ((buf = malloc(len + sizeof exif_hdr)) == NULL)
			return 0;
		memcpy(buf, exif_hdr, sizeof exif_hdr);
		memcpy(buf + sizeof exif_hdr, data, len);
		p = buf;
		n = len + sizeof exif_hdr;
	}
	if ((d = exif_data_new()) == NULL) {
		free(buf);
		return 0;
	}
	if ((log = exif_log_new()) != NULL) {
		exif_log_set_func(log, exif_log_quiet, NULL);
		exif_data_log(d, log);
		exif_log_unref(log); /* d holds its own reference */
	}
	/* Keep what the file says: "following the specification" would make
	 * libexif add missing mandatory tags with invented values. Misplaced
	 * tags are kept too and found by find(). */
	exif_data_unset_option(d, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_unset_option(d, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
	exif_data_set_option(d, EXIF_DATA_OPTION_DONT_CHANGE_MAKER_NOTE);
	exif_data_load_data(d, p, (unsigned int)n);
	free(buf);

	for (i = 0; i < EXIF_IFD_COUNT; i++) {
		if (d->ifd[i] != NULL && d->ifd[i]->count > 0)
			found = 1;
	}
	if (!found) {
		exif_data_unref(d);
		return 0;
	}
	bo = exif_data_get_byte_order(d);

	get_string(find(d, EXIF_IFD_0, EXIF_TAG_MAKE, 1), out->make,
	    sizeof out->make);
	get_string(find(d, EXIF_IFD_0, EXIF_TAG_MODEL, 1), out->model,
	    sizeof out->model);
	read_lens(d, out->lens, sizeof out->lens);
	fmt_exposure(find(d, EXIF_IFD_EXIF, EXIF_TAG_EXPOSURE_TIME, 1), bo,
	    out->exposure_time, sizeof out->exposure_time);

	v = get_rational(find(d, EXIF_IFD_EXIF, EXIF_TAG_FNUMBER, 1), 0, bo);
	if (isfinite(v) && v > 0 && v <= 1000)
		out->f_number = v;
	v = get_rational(find(d, EXIF_IFD_EXIF, EXIF_TAG_FOCAL_LENGTH, 1), 0,
	    bo);
	if (isfinite(v) && v > 0 && v <= 100000)
		out->focal_length = v;
	iv = get_int(find(d, EXIF_IFD_EXIF, EXIF_TAG_ISO_SPEED_RATINGS, 1), bo);
	if (iv > 0 && iv <= 10000000)
		out->iso = (int)iv;
	iv = get_int(find(d, EXIF_IFD_0, EXIF_TAG_ORIENTATION, 1), bo);
	if (iv >= 1 && iv <= 8)
		out->orientation = (int)iv;

	get_string(find(d, EXIF_IFD_EXIF, EXIF_TAG_DATE_TIME_ORIGINAL, 1), date,
	    sizeof date);
	if ((out->taken_at = parse_date(date)) == -1) {
		get_string(find(d, EXIF_IFD_0, EXIF_TAG_DATE_TIME, 1), date,
		    sizeof date);
		out->taken_at = parse_date(date);
	}
	if (d->ifd[EXIF_IFD_GPS] != NULL)
		read_gps(d, bo, &out->gps);

	exif_data_unref(d);
	return 1;
}
