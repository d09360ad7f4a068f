/* How commands write: error lines, aligned columns, photo details, JSON. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/* Appends label and part to line, two spaces after what is there; an
 * empty part adds nothing. */
static void
join(char *line, size_t size, const char *label, const char *part)
{
	size_t n = strlen(line);

	if (part[0] != '\0')
		snprintf(line + n, size - n, "%s%s%s", n > 0 ? "  " : "", label, part);
}

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
	pgal_photo_facts pf;
	char buf[256];

	pgal_fmt_photo_facts(p, &pf);
	snprintf(buf, sizeof buf, "%s/%s", p->album, p->name);
	field(f, "photo", buf);
	field(f, "title", p->title);
	field(f, "description", p->description);
	field(f, "tags", p->tags);
	snprintf(buf, sizeof buf, "%s, %s, %s", pf.pixels, pf.size, p->mime);
	field(f, "image", buf);
	field(f, "taken", pf.taken);
	field(f, "added", pf.added);
	field(f, "camera", pf.camera);
	field(f, "lens", x->lens);
	/* one line: "1/125 s  f/4.5  ISO 200  23.3 mm" */
	buf[0] = '\0';
	join(buf, sizeof buf, "", pf.exposure);
	join(buf, sizeof buf, "", pf.aperture);
	join(buf, sizeof buf, "ISO ", pf.iso);
	join(buf, sizeof buf, "", pf.focal);
	field(f, "exposure", buf);
	field(f, "gps", pf.gps);
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
	fprintf(ctx->out, "%11s %9s  %-16s  %s\n", "PIXELS", "SIZE", "TAKEN", "TITLE");
}

void
pgal_print_photo_row(pgal_cmd_ctx *ctx, const pgal_photo *p, int namew, int with_album)
{
	char name[PGAL_ALBUM_MAX + PGAL_PHOTO_NAME_MAX + 2];
	pgal_photo_facts pf;

	if (with_album)
		snprintf(name, sizeof name, "%s/%s", p->album, p->name);
	else
		snprintf(name, sizeof name, "%s", p->name);
	pgal_fmt_photo_facts(p, &pf);
	pgal_put_col(ctx->out, name, namew);
	fprintf(ctx->out, "%11s %9s  %-16s  %s\n", pf.pixels, pf.size,
	    pf.taken[0] != '\0' ? pf.taken : "-", p->title);
}
