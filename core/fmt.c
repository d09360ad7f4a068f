/* Facts written for people (see fmt.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"

void
pgal_fmt_size(char out[16], int64_t bytes)
{
	static const char *const units[] = { "kB", "MB", "GB", "TB", "PB" };
	double v = (double)bytes;
	int u = -1;

	if (bytes < 1000) {
		snprintf(out, 16, "%lld B", (long long)(bytes < 0 ? 0 : bytes));
		return;
	}
	/* decimal units; one decimal below 100 so "8.1 MB" and "214 MB" */
	while (v >= 999.95 && u < 4) {
		v /= 1000.0;
		u++;
	}
	if (v < 99.95)
		snprintf(out, 16, "%.1f %s", v, units[u]);
	else
		snprintf(out, 16, "%.0f %s", v, units[u]);
}

void
pgal_fmt_local(char out[32], int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (t < 0 || localtime_r(&tt, &tm) == NULL) {
		strcpy(out, "-");
		return;
	}
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

void
pgal_fmt_taken(char out[32], int64_t taken_at)
{
	struct tm tm;
	time_t tt = (time_t)taken_at;

	out[0] = '\0';
	if (taken_at == -1 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

void
pgal_fmt_iso(char out[32], int64_t t, int utc_z)
{
	struct tm tm;
	time_t tt = (time_t)t;

	out[0] = '\0';
	if (t == -1 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(out, 32, utc_z ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &tm);
}

/* "NIKON CORPORATION" + "NIKON D2H" reads best as the model alone. */
static void
camera(char *out, size_t size, const pgal_exif *x)
{
	if (x->make[0] != '\0' && x->model[0] != '\0' &&
	    strncmp(x->model, x->make, strcspn(x->make, " ")) != 0)
		snprintf(out, size, "%s %s", x->make, x->model);
	else
		snprintf(out, size, "%s", x->model[0] != '\0' ? x->model : x->make);
}

/* Millimetres to a tenth, without a trailing ".0": "4.3 mm", "50 mm". */
static void
focal(char *out, size_t size, double mm)
{
	char num[24];
	size_t n;

	snprintf(num, sizeof num, "%.1f", mm);
	n = strlen(num);
	if (n > 2 && strcmp(num + n - 2, ".0") == 0)
		num[n - 2] = '\0';
	snprintf(out, size, "%s mm", num);
}

void
pgal_fmt_photo_facts(const pgal_photo *p, pgal_photo_facts *f)
{
	const pgal_exif *x = &p->exif;

	memset(f, 0, sizeof *f);
	snprintf(f->pixels, sizeof f->pixels, "%dx%d", p->width, p->height);
	pgal_fmt_size(f->size, p->bytes);
	pgal_fmt_taken(f->taken, x->taken_at);
	pgal_fmt_local(f->added, p->added_at);
	camera(f->camera, sizeof f->camera, x);
	if (x->exposure_time[0] != '\0')
		snprintf(f->exposure, sizeof f->exposure, "%s s", x->exposure_time);
	if (x->f_number > 0)
		snprintf(f->aperture, sizeof f->aperture, "f/%.1f", x->f_number);
	if (x->iso > 0)
		snprintf(f->iso, sizeof f->iso, "%d", x->iso);
	if (x->focal_length > 0)
		focal(f->focal, sizeof f->focal, x->focal_length);
	/* five decimals are a metre: what a camera's fix is good for */
	if (x->gps.present && isnan(x->gps.alt))
		snprintf(f->gps, sizeof f->gps, "%.5f, %.5f", x->gps.lat, x->gps.lon);
	else if (x->gps.present)
		snprintf(f->gps, sizeof f->gps, "%.5f, %.5f, %.0f m", x->gps.lat,
		    x->gps.lon, x->gps.alt);
}
