/* Images (core/image/image.c): detection by magic bytes, the pixel limit before
 * decoding, renditions with orientation applied. Sizes are checked against
 * `vipsheader` of the raw files and by decoding the outputs again; the
 * orientation fixtures are checked against each other (all eight must look
 * like orient-1 once rotated). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sys/wait.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>

#include "image/image.h"
#include "testlib.h"

static char fixtures[1024];
static char scratch[PATH_MAX];

static void
fixture(char *dst, size_t sz, const char *name)
{
	snprintf(dst, sz, "%s/%s", fixtures, name);
}

/* `vipsheader -f FIELD` of a fixture: what libvips' own tool says. */
static int
header_field(const char *name, const char *field)
{
	char path[PATH_MAX + 64], cmd[3 * PATH_MAX], line[64];
	FILE *fp;
	int v = -1;

	fixture(path, sizeof path, name);
	snprintf(cmd, sizeof cmd, "vipsheader -f %s '%s'", field, path);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	if (fgets(line, sizeof line, fp) != NULL)
		v = atoi(line);
	assert_int_equal(pclose(fp), 0);
	assert_true(v > 0);
	return v;
}

static int
process(const char *name, pgal_img_type t, int64_t maxpx, int thumb,
    int preview, pgal_image_result *r, pgal_err *e)
{
	char path[PATH_MAX + 64];

	fixture(path, sizeof path, name);
	pgal_err_clear(e);
	return pgal_image_process(path, t, maxpx, thumb, preview, r, e);
}

/* Decodes a rendition back and checks it is what the result says. */
static VipsImage *
decode(const pgal_rendition *rd)
{
	VipsImage *img = NULL;

	assert_non_null(rd->data);
	assert_true(rd->len > 100);
	assert_int_equal(((unsigned char *)rd->data)[0], 0xff);
	assert_int_equal(((unsigned char *)rd->data)[1], 0xd8);
	assert_int_equal(vips_jpegload_buffer(rd->data, rd->len, &img,
	    "fail_on", VIPS_FAIL_ON_TRUNCATED, NULL), 0);
	assert_int_equal(img->Xsize, rd->width);
	assert_int_equal(img->Ysize, rd->height);
	assert_int_equal(img->Bands, 3);
	/* metadata stripped: no EXIF travels into the renditions */
	assert_int_equal(vips_image_get_typeof(img, VIPS_META_EXIF_NAME), 0);
	assert_int_equal(vips_image_get_typeof(img, VIPS_META_ICC_NAME), 0);
	return img;
}

static double
avg(VipsImage *img)
{
	double v = -1;

	assert_int_equal(vips_avg(img, &v, NULL), 0);
	return v;
}

/* Mean absolute difference of two images of one size. */
static double
mean_diff(VipsImage *a, VipsImage *b)
{
	VipsImage *d, *ab;
	double v;

	assert_int_equal(a->Xsize, b->Xsize);
	assert_int_equal(a->Ysize, b->Ysize);
	assert_int_equal(vips_subtract(a, b, &d, NULL), 0);
	assert_int_equal(vips_abs(d, &ab, NULL), 0);
	v = avg(ab);
	g_object_unref(ab);
	g_object_unref(d);
	return v;
}

static int
longest(int w, int h)
{
	return w > h ? w : h;
}

/* ---- detection -------------------------------------------------------- */

static void
test_detect_magic(void **state)
{
	static const struct {
		const char *bytes;
		size_t n;
		pgal_img_type want;
	} cases[] = {
		{ "\xff\xd8\xff\xe0", 4, PGAL_IMG_JPEG },
		{ "\xff\xd8\xff", 3, PGAL_IMG_JPEG },
		{ "\xff\xd8", 2, PGAL_IMG_UNKNOWN },
		{ "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, PGAL_IMG_PNG },
		{ "\x89PNG\r\n\x1a", 7, PGAL_IMG_UNKNOWN },
		{ "RIFF\x10\0\0\0WEBPVP8 ", 16, PGAL_IMG_WEBP },
		{ "RIFF\x10\0\0\0WAVEfmt ", 16, PGAL_IMG_UNKNOWN },
		{ "GIF87a\x01\0", 8, PGAL_IMG_GIF },
		{ "GIF89a\x01\0", 8, PGAL_IMG_GIF },
		{ "GIF88a\x01\0", 8, PGAL_IMG_UNKNOWN },
		{ "II*\0\x08\0\0\0", 8, PGAL_IMG_TIFF },
		{ "MM\0*\0\0\0\x08", 8, PGAL_IMG_TIFF },
		{ "II+\0\x08\0\0\0", 8, PGAL_IMG_UNKNOWN }, /* BigTIFF */
		{ "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24, PGAL_IMG_HEIC },
		{ "\0\0\0\x18" "ftypmif1\0\0\0\0mif1heic", 24, PGAL_IMG_HEIC },
		{ "\0\0\0\x14" "ftypheix\0\0\0\0heix", 20, PGAL_IMG_HEIC },
		{ "\0\0\0\x1c" "ftypavif\0\0\0\0avifmif1miaf", 28, PGAL_IMG_UNKNOWN },
		{ "\0\0\0\x18" "ftypmif1\0\0\0\0mif1avif", 24, PGAL_IMG_UNKNOWN },
		{ "\0\0\0\x18" "ftypisom\0\0\0\0isomiso2", 24, PGAL_IMG_UNKNOWN },
		{ "BM\x36\0\0\0", 6, PGAL_IMG_UNKNOWN },
		{ "P6\n1 1\n255\n", 11, PGAL_IMG_UNKNOWN },
		{ "<svg xmlns=", 11, PGAL_IMG_UNKNOWN },
		{ "%PDF-1.7", 8, PGAL_IMG_UNKNOWN },
		{ "", 0, PGAL_IMG_UNKNOWN },
	};
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(pgal_image_detect(
		    (const unsigned char *)cases[i].bytes, cases[i].n),
		    cases[i].want);
	assert_int_equal(pgal_image_detect(NULL, 10), PGAL_IMG_UNKNOWN);
}

static void
test_detect_fixtures(void **state)
{
	static const struct {
		const char *name;
		pgal_img_type want;
	} cases[] = {
		{ "big-24mp.jpg", PGAL_IMG_JPEG },
		{ "big-24mp.png", PGAL_IMG_PNG },
		{ "medium.webp", PGAL_IMG_WEBP },
		{ "small.gif", PGAL_IMG_GIF },
		{ "small.tif", PGAL_IMG_TIFF },
		{ "nikon-d2h-gps.jpg", PGAL_IMG_JPEG },
		{ "bomb.png", PGAL_IMG_PNG },
		{ "text.jpg", PGAL_IMG_UNKNOWN },
		{ "empty.jpg", PGAL_IMG_UNKNOWN },
	};
	unsigned char head[PGAL_IMG_HEAD];
	char path[PATH_MAX + 64];
	size_t i, n;
	FILE *f;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		fixture(path, sizeof path, cases[i].name);
		f = fopen(path, "rb");
		assert_non_null(f);
		n = fread(head, 1, sizeof head, f);
		fclose(f);
		assert_int_equal(pgal_image_detect(head, n), cases[i].want);
	}
}

static void
test_mime_and_support(void **state)
{
	FILE *fp;
	char line[32];
	int heif;

	assert_string_equal(pgal_image_mime(PGAL_IMG_JPEG), "image/jpeg");
	assert_string_equal(pgal_image_mime(PGAL_IMG_PNG), "image/png");
	assert_string_equal(pgal_image_mime(PGAL_IMG_WEBP), "image/webp");
	assert_string_equal(pgal_image_mime(PGAL_IMG_GIF), "image/gif");
	assert_string_equal(pgal_image_mime(PGAL_IMG_TIFF), "image/tiff");
	assert_string_equal(pgal_image_mime(PGAL_IMG_HEIC), "image/heic");
	assert_null(pgal_image_mime(PGAL_IMG_UNKNOWN));
	assert_null(pgal_image_mime((pgal_img_type)99));

	assert_true(pgal_image_type_supported(PGAL_IMG_JPEG));
	assert_true(pgal_image_type_supported(PGAL_IMG_PNG));
	assert_true(pgal_image_type_supported(PGAL_IMG_WEBP));
	assert_true(pgal_image_type_supported(PGAL_IMG_GIF));
	assert_true(pgal_image_type_supported(PGAL_IMG_TIFF));
	assert_false(pgal_image_type_supported(PGAL_IMG_UNKNOWN));
	/* HEIC exactly when this libvips lists a heif loader */
	fp = popen("vips -l 2>/dev/null | grep -c '(heifload)'", "r");
	assert_non_null(fp);
	assert_non_null(fgets(line, sizeof line, fp));
	pclose(fp);
	heif = atoi(line) > 0;
	assert_int_equal(pgal_image_type_supported(PGAL_IMG_HEIC), heif);
	/* the decoders pgal never calls are not even in the process */
	assert_int_equal(vips_type_find("VipsOperation", "magickload"), 0);
	assert_int_equal(vips_type_find("VipsOperation", "pdfload"), 0);
	assert_int_equal(vips_type_find("VipsOperation", "openslideload"), 0);
}

/* ---- libvips setup ---------------------------------------------------- */

static void
test_init_blocks_loaders(void **state)
{
	char m[PATH_MAX + 64], p[PATH_MAX + 64];
	VipsImage *img = NULL;
	pgal_err e;
	FILE *f;

	assert_int_equal(pgal_image_init(&e), PGAL_OK);
	assert_int_equal(pgal_image_init(&e), PGAL_OK); /* idempotent */

	/* a trusted loader that is not ours, and an untrusted one */
	snprintf(m, sizeof m, "%s/m.mat", scratch);
	f = fopen(m, "w");
	assert_non_null(f);
	fputs("2 2\n1 2\n3 4\n", f);
	fclose(f);
	snprintf(p, sizeof p, "%s/p.ppm", scratch);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs("P3\n1 1\n255\n0 0 0\n", f);
	fclose(f);
	assert_int_not_equal(vips_matrixload(m, &img, NULL), 0);
	assert_int_not_equal(vips_ppmload(p, &img, NULL), 0);
	/* nor can a sniffing open reach them */
	img = vips_image_new_from_file(p, NULL);
	assert_null(img);
	vips_error_clear();
	unlink(m);
	unlink(p);
}

static void
test_init_after_fork(void **state)
{
	pgal_err e;
	pid_t pid;
	int st;

	assert_int_equal(pgal_image_init(&e), PGAL_OK);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(pgal_image_init(NULL) == PGAL_EBACKEND ? 0 : 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* ---- processing ------------------------------------------------------- */

static void
test_big_jpeg(void **state)
{
	pgal_image_result r;
	pgal_err e;
	VipsImage *p, *t;
	int w = header_field("big-24mp.jpg", "width");
	int h = header_field("big-24mp.jpg", "height");
	int pl, tl;

	assert_int_equal(process("big-24mp.jpg", PGAL_IMG_JPEG, 100000000, 256,
	    1600, &r, &e), PGAL_OK);
	assert_int_equal(r.width, w);
	assert_int_equal(r.height, h);
	/* the preview rule: at most 1600, at least 3/4 of it for a big photo */
	pl = longest(r.preview.width, r.preview.height);
	assert_true(pl <= 1600 && pl >= 1200);
	tl = longest(r.thumb.width, r.thumb.height);
	assert_int_equal(tl, 256);
	/* aspect ratio kept (to a pixel) */
	assert_true(fabs((double)r.preview.width / r.preview.height -
	    (double)w / h) < 2.0 / r.preview.height * ((double)w / h) + 1e-9);
	assert_true(abs(r.thumb.height - (int)lround(256.0 * h / w)) <= 1);
	p = decode(&r.preview);
	t = decode(&r.thumb);
	g_object_unref(p);
	g_object_unref(t);
	pgal_image_result_free(&r);
	assert_null(r.preview.data);
	assert_null(r.thumb.data);
	pgal_image_result_free(&r); /* twice is harmless */
}

static void
test_formats(void **state)
{
	static const struct {
		const char *name;
		pgal_img_type t;
		int preview;
	} cases[] = {
		{ "medium.webp", PGAL_IMG_WEBP, 1600 },
		{ "medium.webp", PGAL_IMG_WEBP, 600 }, /* scaled on load */
		{ "small.gif", PGAL_IMG_GIF, 1600 },
		{ "small.tif", PGAL_IMG_TIFF, 1600 },
		{ "small.tif", PGAL_IMG_TIFF, 100 },
		{ "nikon-d2h-gps.jpg", PGAL_IMG_JPEG, 1600 },
		{ "nikon-d2h-gps.jpg", PGAL_IMG_JPEG, 300 },
	};
	pgal_image_result r;
	pgal_err e;
	VipsImage *p, *t;
	size_t i;
	int w, h, l, want;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		w = header_field(cases[i].name, "width");
		h = header_field(cases[i].name, "height");
		l = longest(w, h);
		assert_int_equal(process(cases[i].name, cases[i].t, 100000000,
		    128, cases[i].preview, &r, &e), PGAL_OK);
		assert_int_equal(r.width, w);
		assert_int_equal(r.height, h);
		want = l < cases[i].preview ? l : cases[i].preview;
		if (cases[i].t == PGAL_IMG_JPEG && l > cases[i].preview)
			/* may stop at a DCT scale between 3/4 and all */
			assert_true(longest(r.preview.width, r.preview.height)
			    >= want * 3 / 4 && longest(r.preview.width,
			    r.preview.height) <= want);
		else
			assert_int_equal(longest(r.preview.width,
			    r.preview.height), want);
		assert_int_equal(longest(r.thumb.width, r.thumb.height),
		    want < 128 ? want : 128);
		/* landscape stays landscape */
		assert_int_equal(r.preview.width >= r.preview.height, w >= h);
		p = decode(&r.preview);
		t = decode(&r.thumb);
		/* the preview resembles the original scaled down */
		{
			char path[PATH_MAX + 64];
			VipsImage *o, *os;
			fixture(path, sizeof path, cases[i].name);
			assert_int_equal(vips_thumbnail(path, &o,
			    r.preview.width, "height", r.preview.height,
			    "size", VIPS_SIZE_FORCE, NULL), 0);
			if (o->Bands == 4) {
				assert_int_equal(vips_flatten(o, &os, NULL), 0);
				g_object_unref(o);
				o = os;
			}
			assert_true(mean_diff(p, o) < 12);
			g_object_unref(o);
		}
		g_object_unref(p);
		g_object_unref(t);
		pgal_image_result_free(&r);
	}
}

static void
test_orientation(void **state)
{
	pgal_image_result r;
	pgal_err e;
	VipsImage *ref = NULL, *p, *flipped;
	char name[32];
	double d;
	int i, w, h;

	for (i = 1; i <= 8; i++) {
		snprintf(name, sizeof name, "orient-%d.jpg", i);
		w = header_field(name, "width");
		h = header_field(name, "height");
		assert_int_equal(process(name, PGAL_IMG_JPEG, 100000000, 256,
		    1600, &r, &e), PGAL_OK);
		assert_int_equal(r.exif.orientation, i);
		/* 5..8 turn by a quarter: the sides swap */
		assert_int_equal(r.width, i >= 5 ? h : w);
		assert_int_equal(r.height, i >= 5 ? w : h);
		assert_int_equal(r.preview.width, r.width);
		assert_int_equal(r.preview.height, r.height);
		p = decode(&r.preview);
		if (i == 1) {
			ref = p;
			/* the comparison below can tell a wrong turn apart */
			assert_int_equal(vips_flip(ref, &flipped,
			    VIPS_DIRECTION_HORIZONTAL, NULL), 0);
			assert_true(mean_diff(ref, flipped) > 20);
			g_object_unref(flipped);
			assert_int_equal(vips_flip(ref, &flipped,
			    VIPS_DIRECTION_VERTICAL, NULL), 0);
			assert_true(mean_diff(ref, flipped) > 20);
			g_object_unref(flipped);
		} else {
			d = mean_diff(ref, p);
			assert_true(d < 8);
			g_object_unref(p);
		}
		pgal_image_result_free(&r);
	}
	g_object_unref(ref);
}

static void
test_iphone(void **state)
{
	pgal_image_result r;
	pgal_err e;
	int w = header_field("iphone4s-lens.jpg", "width");
	int h = header_field("iphone4s-lens.jpg", "height");

	assert_int_equal(process("iphone4s-lens.jpg", PGAL_IMG_JPEG, 100000000,
	    64, 1600, &r, &e), PGAL_OK);
	assert_int_equal(r.exif.orientation, 6);
	assert_string_equal(r.exif.model, "iPhone 4S");
	assert_int_equal(r.exif.gps.present, 1);
	assert_true(r.exif.lens[0] != '\0');
	assert_int_equal(r.width, h);
	assert_int_equal(r.height, w);
	assert_int_equal(r.preview.width, h);
	assert_int_equal(r.preview.height, w);
	assert_int_equal(longest(r.thumb.width, r.thumb.height), 64);
	assert_true(r.thumb.width < r.thumb.height);
	pgal_image_result_free(&r);
}

static void
test_no_exif(void **state)
{
	pgal_image_result r;
	pgal_err e;

	assert_int_equal(process("small.gif", PGAL_IMG_GIF, 100000000, 64,
	    1600, &r, &e), PGAL_OK);
	assert_int_equal(r.exif.taken_at, -1);
	assert_int_equal(r.exif.gps.present, 0);
	assert_string_equal(r.exif.make, "");
	pgal_image_result_free(&r);
}

static void
test_evil_exif(void **state)
{
	pgal_image_result r;
	pgal_err e;
	const char *s;

	assert_int_equal(process("evil-exif.jpg", PGAL_IMG_JPEG, 100000000, 64,
	    1600, &r, &e), PGAL_OK);
	for (s = r.exif.make; *s; s++)
		assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
	for (s = r.exif.model; *s; s++)
		assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
	assert_null(strstr(r.exif.model, "\xc2\x9b"));
	assert_non_null(strstr(r.exif.make, "Evil"));
	pgal_image_result_free(&r);
}

static void
test_alpha_flattened(void **state)
{
	char path[PATH_MAX + 64];
	VipsImage *black, *p;
	pgal_image_result r;
	pgal_err e;

	assert_int_equal(pgal_image_init(&e), PGAL_OK);
	/* all black and fully transparent: shown on white it is white */
	snprintf(path, sizeof path, "%s/alpha.png", scratch);
	assert_int_equal(vips_black(&black, 64, 48, "bands", 4, NULL), 0);
	assert_int_equal(vips_pngsave(black, path, NULL), 0);
	g_object_unref(black);
	assert_int_equal(pgal_image_process(path, PGAL_IMG_PNG, 100000000, 32,
	    1600, &r, &e), PGAL_OK);
	p = decode(&r.preview);
	assert_true(avg(p) > 250);
	g_object_unref(p);
	p = decode(&r.thumb);
	assert_true(avg(p) > 250);
	g_object_unref(p);
	pgal_image_result_free(&r);
	unlink(path);
}

static void
test_bomb(void **state)
{
	struct timespec a, b;
	pgal_image_result r;
	pgal_err e;
	double secs;

	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(process("bomb.png", PGAL_IMG_PNG, 100000000, 256, 1600,
	    &r, &e), PGAL_EINPUT);
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	/* the fixture's header says 60000x60000 */
	assert_string_equal(e.msg, "too many pixels: 60000x60000");
	assert_true(secs < 2.0);
	assert_null(r.preview.data);
	assert_null(r.thumb.data);
}

static void
test_pixel_limit_exact(void **state)
{
	pgal_image_result r;
	pgal_err e;
	int w = header_field("nikon-d2h-gps.jpg", "width");
	int h = header_field("nikon-d2h-gps.jpg", "height");
	char want[64];

	assert_int_equal(process("nikon-d2h-gps.jpg", PGAL_IMG_JPEG,
	    (int64_t)w * h - 1, 64, 256, &r, &e), PGAL_EINPUT);
	snprintf(want, sizeof want, "too many pixels: %dx%d", w, h);
	assert_string_equal(e.msg, want);
	assert_int_equal(process("nikon-d2h-gps.jpg", PGAL_IMG_JPEG,
	    (int64_t)w * h, 64, 256, &r, &e), PGAL_OK);
	pgal_image_result_free(&r);
}

static void
test_bad_inputs(void **state)
{
	static const struct {
		const char *name;
		pgal_img_type t;
	} cases[] = {
		{ "truncated.jpg", PGAL_IMG_JPEG },
		{ "text.jpg", PGAL_IMG_JPEG },
		{ "empty.jpg", PGAL_IMG_JPEG },
		{ "text.jpg", PGAL_IMG_PNG },
		{ "nikon-d2h-gps.jpg", PGAL_IMG_PNG }, /* wrong loader */
		{ "corrupt/huge_tag_exif.jpg", PGAL_IMG_JPEG },
		{ "corrupt/max_uint32_exif.jpg", PGAL_IMG_JPEG },
		{ "no-such-file.jpg", PGAL_IMG_JPEG },
	};
	pgal_image_result r;
	pgal_err e;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(process(cases[i].name, cases[i].t, 100000000,
		    256, 1600, &r, &e), PGAL_EINPUT);
		assert_string_equal(e.msg, "damaged image");
		assert_null(r.preview.data);
		assert_null(r.thumb.data);
	}
	/* truncated, also when decoded at a DCT scale */
	assert_int_equal(process("truncated.jpg", PGAL_IMG_JPEG, 100000000, 64,
	    200, &r, &e), PGAL_EINPUT);
	assert_string_equal(e.msg, "damaged image");
	assert_int_equal(process("small.gif", PGAL_IMG_UNKNOWN, 100000000, 256,
	    1600, &r, &e), PGAL_EINPUT);
	assert_int_equal(process("small.gif", PGAL_IMG_GIF, 0, 256, 1600, &r,
	    &e), PGAL_EUSAGE);
	assert_int_equal(process("small.gif", PGAL_IMG_GIF, 100000000, 0, 1600,
	    &r, &e), PGAL_EUSAGE);
	assert_int_equal(pgal_image_process(NULL, PGAL_IMG_GIF, 1, 1, 1, &r,
	    &e), PGAL_EUSAGE);
}

static void
test_corrupt_exif_decodes(void **state)
{
	pgal_image_result r;
	pgal_err e;

	/* a complete image whose EXIF loops: processed, no hang */
	alarm(30);
	assert_int_equal(process("corrupt/infinite_loop_exif.jpg",
	    PGAL_IMG_JPEG, 100000000, 256, 1600, &r, &e), PGAL_OK);
	alarm(0);
	pgal_image_result_free(&r);
}

static void
test_thumb_larger_than_preview(void **state)
{
	pgal_image_result r;
	pgal_err e;

	assert_int_equal(process("small.tif", PGAL_IMG_TIFF, 100000000, 200,
	    100, &r, &e), PGAL_OK);
	assert_int_equal(longest(r.preview.width, r.preview.height), 100);
	assert_true(longest(r.thumb.width, r.thumb.height) <= 100);
	pgal_image_result_free(&r);
}

static void
test_repeat(void **state)
{
	pgal_image_result r;
	pgal_err e;
	int i;

	/* same path many times: no cache surprises, no growth (LSan) */
	for (i = 0; i < 20; i++) {
		assert_int_equal(process("orient-6.jpg", PGAL_IMG_JPEG,
		    100000000, 16, 64, &r, &e), PGAL_OK);
		pgal_image_result_free(&r);
		assert_int_equal(process("truncated.jpg", PGAL_IMG_JPEG,
		    100000000, 16, 64, &r, &e), PGAL_EINPUT);
	}
}

/* Colour layouts a camera or an editor may produce, made from small.tif by
 * the vips tool: each comes out as 8-bit sRGB looking like the source. */
static void
test_colour_layouts(void **state)
{
	static const struct {
		const char *file, *space;
		pgal_img_type t;
		int same_colours;
	} cases[] = {
		{ "c-cmyk.jpg", "cmyk", PGAL_IMG_JPEG, 1 },
		{ "c-16.png", "rgb16", PGAL_IMG_PNG, 1 },
		{ "c-16.tif", "rgb16", PGAL_IMG_TIFF, 1 },
		{ "c-grey.jpg", "b-w", PGAL_IMG_JPEG, 0 },
		{ "c-grey.png", "grey16", PGAL_IMG_PNG, 0 },
	};
	char src[PATH_MAX + 64], dst[PATH_MAX + 64], cmd[3 * PATH_MAX];
	pgal_image_result r;
	VipsImage *ref, *p;
	pgal_err e;
	size_t i;

	fixture(src, sizeof src, "small.tif");
	assert_int_equal(vips_tiffload(src, &ref, NULL), 0);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(dst, sizeof dst, "%s/%s", scratch, cases[i].file);
		snprintf(cmd, sizeof cmd, "vips colourspace '%s' '%s' %s", src,
		    dst, cases[i].space);
		assert_int_equal(system(cmd), 0);
		assert_int_equal(pgal_image_process(dst, cases[i].t, 100000000,
		    64, 1600, &r, &e), PGAL_OK);
		assert_int_equal(r.width, ref->Xsize);
		assert_int_equal(r.height, ref->Ysize);
		p = decode(&r.preview);
		if (cases[i].same_colours)
			assert_true(mean_diff(p, ref) < 12);
		else	/* grey: the same brightness */
			assert_true(fabs(avg(p) - avg(ref)) < 12);
		g_object_unref(p);
		pgal_image_result_free(&r);
		unlink(dst);
	}
	g_object_unref(ref);
}

/* HEIC and AVIF made from small.tif by the vips tool: the HEIC one is
 * detected and ingested, the AVIF one (same container) is not HEIC. */
static void
test_heic(void **state)
{
	char src[PATH_MAX + 64], heic[PATH_MAX + 64], avif[PATH_MAX + 64], cmd[5 * PATH_MAX];
	unsigned char head[PGAL_IMG_HEAD];
	pgal_image_result r;
	VipsImage *img, *p;
	pgal_err e;
	size_t n;
	FILE *f;

	if (!pgal_image_type_supported(PGAL_IMG_HEIC))
		skip();
	fixture(src, sizeof src, "small.tif");
	snprintf(heic, sizeof heic, "%s/x.heic", scratch);
	snprintf(avif, sizeof avif, "%s/x.avif", scratch);
	assert_int_equal(vips_tiffload(src, &img, NULL), 0);
	/* encoded by the vips tool: the encoders are not ours to test, and
	 * x265 keeps an allocation for the life of the process */
	snprintf(cmd, sizeof cmd, "vips copy '%s' '%s' && vips copy '%s' '%s'",
	    src, heic, src, avif);
	assert_int_equal(system(cmd), 0);

	f = fopen(heic, "rb");
	assert_non_null(f);
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	assert_int_equal(pgal_image_detect(head, n), PGAL_IMG_HEIC);
	f = fopen(avif, "rb");
	assert_non_null(f);
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	assert_int_equal(pgal_image_detect(head, n), PGAL_IMG_UNKNOWN);

	assert_int_equal(pgal_image_process(heic, PGAL_IMG_HEIC, 100000000, 64,
	    1600, &r, &e), PGAL_OK);
	assert_int_equal(r.width, img->Xsize);
	assert_int_equal(r.height, img->Ysize);
	assert_int_equal(longest(r.thumb.width, r.thumb.height), 64);
	p = decode(&r.preview);
	/* lossy, but the same picture */
	assert_true(mean_diff(p, img) < 12);
	g_object_unref(p);
	pgal_image_result_free(&r);
	g_object_unref(img);
	unlink(heic);
	unlink(avif);
}

static int
setup(void **state)
{
	pgal_err e;

	snprintf(fixtures, sizeof fixtures, "%s", pgal_test_fixtures_dir());
	pgal_test_mkdtemp(scratch);
	return pgal_image_init(&e) == PGAL_OK ? 0 : -1;
}

static int
teardown(void **state)
{
	pgal_test_rmdir(scratch);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect_magic),
		cmocka_unit_test(test_detect_fixtures),
		cmocka_unit_test(test_mime_and_support),
		cmocka_unit_test(test_init_blocks_loaders),
		cmocka_unit_test(test_init_after_fork),
		cmocka_unit_test(test_big_jpeg),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_orientation),
		cmocka_unit_test(test_iphone),
		cmocka_unit_test(test_no_exif),
		cmocka_unit_test(test_evil_exif),
		cmocka_unit_test(test_alpha_flattened),
		cmocka_unit_test(test_bomb),
		cmocka_unit_test(test_pixel_limit_exact),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_corrupt_exif_decodes),
		cmocka_unit_test(test_thumb_larger_than_preview),
		cmocka_unit_test(test_repeat),
		cmocka_unit_test(test_colour_layouts),
		cmocka_unit_test(test_heic),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
