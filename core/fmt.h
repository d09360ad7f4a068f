/* Facts written for people, the same in the CLI, the SSH commands and the
 * TUI, which each lay them out in their own way: sizes, times, and a
 * photo's facts (pixels, size, when taken and added, its EXIF). Times for
 * people are to the minute; JSON carries the exact values. */
#ifndef PGAL_FMT_H
#define PGAL_FMT_H

#include <stdint.h>

#include "records.h"

/* "512 B", "8.1 MB", "214 MB": decimal units, one decimal below 100. */
void pgal_fmt_size(char out[16], int64_t bytes);
/* An instant (added, created, changed) in local time, "2024-01-02 03:04";
 * "-" for t < 0. */
void pgal_fmt_local(char out[32], int64_t t);
/* When a photo was taken as the camera's clock said, "2008-10-22 16:29":
 * taken_at holds that clock reading as if it were UTC (records.h), so it
 * is shown without a zone conversion; "" for -1 (unknown). A time before
 * 1970 is negative and shown like any other (a scan's EXIF date). */
void pgal_fmt_taken(char out[32], int64_t taken_at);
/* ISO 8601 for machines: "2008-10-22T16:29:49" (utc_z 0) or
 * "2024-01-02T03:04:05Z" (utc_z 1); "" for -1 (unknown). */
void pgal_fmt_iso(char out[32], int64_t t, int utc_z);

/* A photo's facts as text; "" for what is unknown. */
typedef struct pgal_photo_facts {
	char pixels[24];	/* "6000x4000" */
	char size[16];		/* as pgal_fmt_size */
	char taken[32];		/* as pgal_fmt_taken */
	char added[32];		/* as pgal_fmt_local */
	char camera[136];	/* "NIKON D2H", "Apple iPhone 4S" */
	char exposure[32];	/* "1/125 s" */
	char aperture[16];	/* "f/4.5" */
	char iso[16];		/* "200" */
	char focal[32];		/* "23.3 mm", "50 mm" */
	char gps[80];		/* "39.91556, 116.39083" and ", 58 m" when known */
} pgal_photo_facts;

void pgal_fmt_photo_facts(const pgal_photo *p, pgal_photo_facts *f);

#endif
