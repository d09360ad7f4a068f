/* The decoder's answer as the uploading process reads it: the confined
 * decoder (core/image/sandbox.c) runs libvips on hostile files, so what
 * it sends back is treated as hostile too (a decoder an upload took over
 * can send anything): magic, code, size, EXIF fields and two JPEG
 * renditions, each checked against the limits asked for. A message taken
 * must hold what those checks promise.
 *
 * The reader is static to core/image/sandbox.c, which is included whole
 * here so that it stays as it is: the harness replaces its object in the
 * link. The seeds are the answers for fixture photos, made by the
 * decoder's own writer (put_* above it). */
#include "../core/image/sandbox.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_PIXELS INT64_C(50000000)
#define THUMB_PX 256
#define PREVIEW_PX 1024

static void
check_rendition(const pgal_rendition *rd, int edge)
{
	if (rd->data == NULL || rd->width < 1 || rd->height < 1 || rd->width > edge ||
	    rd->height > edge || rd->len < 4 || rd->len > rendition_max(edge))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	pgal_image_result r;
	uint32_t flags;
	pgal_err e;

	memset(&r, 0, sizeof r);
	pgal_exif_clear(&r.exif);
	pgal_err_clear(&e);
	if (parse(data, size, MAX_PIXELS, THUMB_PX, PREVIEW_PX, &r, &flags, &e) == 0) {
		if (r.width < 1 || r.height < 1 ||
		    (int64_t)r.width * r.height > MAX_PIXELS || !exif_ok(&r.exif))
			abort();
		check_rendition(&r.thumb, THUMB_PX);
		check_rendition(&r.preview, PREVIEW_PX);
	}
	pgal_image_result_free(&r);
	return 0;
}
