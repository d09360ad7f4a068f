/* Renditions back to pixels: libvips' JPEG loader with DCT-domain shrink,
 * then one resize, so a 1600 px preview becomes a few hundred pixels fast. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "image/decode.h"
#include "image/image.h"

#define DECODE_MAX_SIDE 8192 /* larger requests are a caller bug */

static int
vips_failed(pgal_err *e, const char *what)
{
	pgal_fail(e, PGAL_EINPUT, "cannot decode the image (%s): %.200s", what,
	    vips_error_buffer());
	vips_error_clear();
	return PGAL_EINPUT;
}

/* Replaces *img by out, dropping the old reference. */
static void
swap_image(VipsImage **img, VipsImage *out)
{
	g_object_unref(*img);
	*img = out;
}

int
pgal_image_decode_rgba(const void *jpeg, size_t len, int max_w, int max_h,
    unsigned char **pixels, int *w, int *h, pgal_err *e)
{
	VipsImage *img = NULL, *out = NULL;
	int shrink, iw, ih;
	double s;
	size_t sz;
	void *mem;

	*pixels = NULL;
	*w = *h = 0;
	if (max_w < 1 || max_h < 1 || max_w > DECODE_MAX_SIDE ||
	    max_h > DECODE_MAX_SIDE)
		return pgal_fail(e, PGAL_EUSAGE, "bad decode size %dx%d",
		    max_w, max_h);
	if (jpeg == NULL || len < 4 ||
	    pgal_image_detect(jpeg, len) != PGAL_IMG_JPEG)
		return pgal_fail(e, PGAL_EINPUT, "not a JPEG rendition");
	if (pgal_image_init(e) != PGAL_OK)
		return e != NULL ? e->code : PGAL_EBACKEND;

	/* the header first, to choose the DCT shrink */
	if (vips_jpegload_buffer((void *)jpeg, len, &img, "fail_on",
	    VIPS_FAIL_ON_ERROR, NULL) != 0)
		return vips_failed(e, "header");
	iw = vips_image_get_width(img);
	ih = vips_image_get_height(img);
	g_object_unref(img);
	img = NULL;
	if (iw < 1 || ih < 1)
		return pgal_fail(e, PGAL_EINPUT, "empty image");
	for (shrink = 8; shrink > 1; shrink /= 2) {
		if (iw / shrink >= max_w || ih / shrink >= max_h)
			break;
	}
	if (vips_jpegload_buffer((void *)jpeg, len, &img, "shrink", shrink,
	    "fail_on", VIPS_FAIL_ON_ERROR, "access", VIPS_ACCESS_SEQUENTIAL,
	    NULL) != 0)
		return vips_failed(e, "load");
	if (vips_image_get_interpretation(img) != VIPS_INTERPRETATION_sRGB &&
	    vips_image_get_interpretation(img) != VIPS_INTERPRETATION_B_W) {
		if (vips_colourspace(img, &out, VIPS_INTERPRETATION_sRGB, NULL))
			goto fail;
		swap_image(&img, out);
	}
	if (vips_image_get_bands(img) == 1) {
		VipsImage *b[3] = { img, img, img };

		if (vips_bandjoin(b, &out, 3, NULL))
			goto fail;
		swap_image(&img, out);
	} else if (vips_image_get_bands(img) > 3) {
		if (vips_extract_band(img, &out, 0, "n", 3, NULL))
			goto fail;
		swap_image(&img, out);
	}
	iw = vips_image_get_width(img);
	ih = vips_image_get_height(img);
	s = (double)max_w / iw;
	if ((double)max_h / ih < s)
		s = (double)max_h / ih;
	if (s < 1.0) {
		if (vips_resize(img, &out, s, NULL))
			goto fail;
		swap_image(&img, out);
	}
	if (vips_bandjoin_const1(img, &out, 255.0, NULL))
		goto fail;
	swap_image(&img, out);
	if (vips_image_get_format(img) != VIPS_FORMAT_UCHAR) {
		if (vips_cast(img, &out, VIPS_FORMAT_UCHAR, NULL))
			goto fail;
		swap_image(&img, out);
	}
	mem = vips_image_write_to_memory(img, &sz);
	if (mem == NULL)
		goto fail;
	iw = vips_image_get_width(img);
	ih = vips_image_get_height(img);
	g_object_unref(img);
	if (sz != (size_t)iw * (size_t)ih * 4) {
		g_free(mem);
		return pgal_fail(e, PGAL_EBACKEND, "unexpected pixel layout");
	}
	/* hand back malloc'd memory so callers need no glib */
	*pixels = malloc(sz);
	if (*pixels == NULL) {
		g_free(mem);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	memcpy(*pixels, mem, sz);
	g_free(mem);
	*w = iw;
	*h = ih;
	return PGAL_OK;
fail:
	if (img != NULL)
		g_object_unref(img);
	return vips_failed(e, "pixels");
}
