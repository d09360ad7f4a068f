/* How commands write: error lines, times, aligned columns, JSON (sizes:
 * human-size.c). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cmd.h"
#include "sanitize.h"

int
pgal_cmd_error(pgal_cmd_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;

	fflush(ctx->out);
	fputs("pgal: ", ctx->err);
	va_start(ap, fmt);
	vfprintf(ctx->err, fmt, ap);
	va_end(ap);
	fputc('\n', ctx->err);
	fflush(ctx->err);
	return code;
}

int
pgal_cmd_fail(pgal_cmd_ctx *ctx, const pgal_err *e)
{
	int code = e->code != PGAL_OK ? (int)e->code : PGAL_EBACKEND;
	const char *msg = e->msg[0] != '\0' ? e->msg : pgal_code_name(e->code);

	return pgal_cmd_error(ctx, code, "%s", msg);
}

void
pgal_fmt_iso(char out[32], int64_t t, int utc_z)
{
	struct tm tm;
	time_t tt = (time_t)t;

	out[0] = '\0';
	if (t < 0 || gmtime_r(&tt, &tm) == NULL)
		return;
	strftime(out, 32, utc_z ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%dT%H:%M:%S", &tm);
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
pgal_put_col(FILE *f, const char *s, int width)
{
	int w = pgal_text_width(s);

	fputs(s, f);
	do
		fputc(' ', f);
	while (++w < width + 1);
}

/* ---- JSON ---- */

static json_t *
str_or_null(const char *s)
{
	return s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *
iso_or_null(int64_t t, int utc_z)
{
	char buf[32];

	pgal_fmt_iso(buf, t, utc_z);
	return buf[0] != '\0' ? json_string(buf) : json_null();
}

static json_t *
tags_array(const char *tags)
{
	json_t *arr = json_array();
	const char *p = tags, *end;

	while (arr != NULL && *p != '\0') {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		if (end > p)
			json_array_append_new(arr, json_stringn(p, (size_t)(end - p)));
		p = *end == ',' ? end + 1 : end;
	}
	return arr;
}

static json_t *
exif_object(const pgal_exif *x)
{
	json_t *gps;

	if (x->gps.present) {
		gps = json_pack("{s:f, s:f}", "lat", x->gps.lat, "lon", x->gps.lon);
		if (gps != NULL)
			json_object_set_new(gps, "alt", isnan(x->gps.alt) ? json_null() : json_real(x->gps.alt));
	} else
		gps = json_null();
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "make", str_or_null(x->make),
			 "model", str_or_null(x->model),
			 "lens", str_or_null(x->lens),
			 "exposure_time", str_or_null(x->exposure_time),
			 "f_number", x->f_number > 0 ? json_real(x->f_number) : json_null(),
			 "iso", x->iso > 0 ? json_integer(x->iso) : json_null(),
			 "focal_length", x->focal_length > 0 ? json_real(x->focal_length) : json_null(),
			 "gps", gps,
			 "orientation", x->orientation > 0 ? json_integer(x->orientation) : json_null());
}

json_t *
pgal_json_photo(const pgal_photo *p)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:I, s:s, s:s, s:o, s:o, s:o}",
			 "album", p->album,
			 "name", p->name,
			 "title", p->title,
			 "description", p->description,
			 "tags", tags_array(p->tags),
			 "width", p->width,
			 "height", p->height,
			 "bytes", (json_int_t)p->bytes,
			 "mime", p->mime,
			 "sha256", p->sha256,
			 "taken_at", iso_or_null(p->exif.taken_at, 0),
			 "added_at", iso_or_null(p->added_at, 1),
			 "exif", exif_object(&p->exif));
}

json_t *
pgal_json_album(const pgal_album *a)
{
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:o, s:o}",
			 "name", a->name,
			 "title", a->title,
			 "description", a->description,
			 "photos", (json_int_t)a->photo_count,
			 "bytes", (json_int_t)a->bytes,
			 "created_at", iso_or_null(a->created_at, 1),
			 "updated_at", iso_or_null(a->updated_at, 1));
}

static int
json_out(pgal_cmd_ctx *ctx, json_t *v, size_t flags)
{
	int rc;

	if (v == NULL)
		return pgal_cmd_error(ctx, PGAL_EBACKEND, "cannot build JSON (invalid text?)");
	/* 10 digits: 2.4 stays "2.4", GPS keeps millimetres */
	rc = json_dumpf(v, ctx->out, flags | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY | JSON_REAL_PRECISION(10));
	json_decref(v);
	if (rc != 0 || fputc('\n', ctx->out) == EOF)
		return pgal_cmd_error(ctx, PGAL_EBACKEND, "cannot write output");
	return PGAL_OK;
}

int
pgal_json_print(pgal_cmd_ctx *ctx, json_t *v)
{
	return json_out(ctx, v, JSON_INDENT(2));
}

int
pgal_json_array_item(pgal_cmd_ctx *ctx, size_t n, json_t *v)
{
	fputs(n == 0 ? "[\n" : ",\n", ctx->out);
	return json_out(ctx, v, JSON_COMPACT);
}

void
pgal_json_array_end(pgal_cmd_ctx *ctx, size_t n)
{
	fputs(n == 0 ? "[]\n" : "]\n", ctx->out);
}

/* ---- text ---- */

static void
field(FILE *f, const char *key, const char *value)
{
	if (value[0] != '\0')
		fprintf(f, "%-13s %s\n", key, value);
}

void
pgal_print_photo_info(pgal_cmd_ctx *ctx, const pgal_photo *p)
{
	const pgal_exif *x = &p->exif;
	FILE *f = ctx->out;
	char buf[256], size[16];

	snprintf(buf, sizeof buf, "%s/%s", p->album, p->name);
	field(f, "photo", buf);
	field(f, "title", p->title);
	field(f, "description", p->description);
	field(f, "tags", p->tags);
	pgal_fmt_size(size, p->bytes);
	snprintf(buf, sizeof buf, "%dx%d, %s, %s", p->width, p->height, size, p->mime);
	field(f, "image", buf);
	pgal_fmt_iso(buf, x->taken_at, 0);
	if (buf[0] != '\0')
		buf[10] = ' ';
	field(f, "taken", buf);
	pgal_fmt_local(buf, p->added_at);
	field(f, "added", buf);
	snprintf(buf, sizeof buf, "%s%s%s", x->make,
		 x->make[0] != '\0' && x->model[0] != '\0' ? " " : "", x->model);
	field(f, "camera", buf);
	field(f, "lens", x->lens);
	buf[0] = '\0';
	if (x->exposure_time[0] != '\0')
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s s  ", x->exposure_time);
	if (x->f_number > 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "f/%.1f  ", x->f_number);
	if (x->iso > 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "ISO %d  ", x->iso);
	if (x->focal_length > 0)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%.1f mm  ", x->focal_length);
	while (strlen(buf) > 0 && buf[strlen(buf) - 1] == ' ')
		buf[strlen(buf) - 1] = '\0';
	field(f, "exposure", buf);
	if (x->gps.present) {
		if (isnan(x->gps.alt))
			snprintf(buf, sizeof buf, "%.6f, %.6f", x->gps.lat, x->gps.lon);
		else
			snprintf(buf, sizeof buf, "%.6f, %.6f, %.0f m", x->gps.lat, x->gps.lon, x->gps.alt);
		field(f, "gps", buf);
	}
	if (x->orientation > 0) {
		snprintf(buf, sizeof buf, "%d", x->orientation);
		field(f, "orientation", buf);
	}
	field(f, "sha256", p->sha256);
}

int
pgal_photo_name_width(const pgal_photo *p, int with_album)
{
	int w = pgal_text_width(p->name);

	return with_album ? w + 1 + pgal_text_width(p->album) : w;
}

void
pgal_print_photo_header(pgal_cmd_ctx *ctx, int namew)
{
	pgal_put_col(ctx->out, "NAME", namew);
	fprintf(ctx->out, "%11s %9s  %-19s  %s\n", "PIXELS", "SIZE", "TAKEN", "TITLE");
}

void
pgal_print_photo_row(pgal_cmd_ctx *ctx, const pgal_photo *p, int namew, int with_album)
{
	char name[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 2], dims[24], size[16], taken[32];

	if (with_album)
		snprintf(name, sizeof name, "%s/%s", p->album, p->name);
	else
		snprintf(name, sizeof name, "%s", p->name);
	snprintf(dims, sizeof dims, "%dx%d", p->width, p->height);
	pgal_fmt_size(size, p->bytes);
	pgal_fmt_iso(taken, p->exif.taken_at, 0);
	if (taken[0] != '\0')
		taken[10] = ' ';
	else
		snprintf(taken, sizeof taken, "-");
	pgal_put_col(ctx->out, name, namew);
	fprintf(ctx->out, "%11s %9s  %-19s  %s\n", dims, size, taken, p->title);
}
