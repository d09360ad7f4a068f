/* Image handling for ingest with libvips: magic-byte detection, a pixel
 * limit checked on the header alone, and one decode per photo that yields
 * the preview and, from it in memory, the thumbnail. */
#include <sys/types.h>

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmodule.h>
#include <vips/vips.h>

#include "image/exif.h"
#include "image/image.h"
#include "reader.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static int init_done;
static pid_t init_pid;

/* The loaders pgal ever calls, by libvips class (the base class also covers
 * the buffer and source variants, which run the same decoder). */
static const struct {
	pgal_img_type type;
	const char *klass;
	const char *nick;
	const char *mime;
} loaders[] = {
	{ PGAL_IMG_JPEG, "VipsForeignLoadJpeg", "jpegload", "image/jpeg" },
	{ PGAL_IMG_PNG, "VipsForeignLoadPng", "pngload", "image/png" },
	{ PGAL_IMG_WEBP, "VipsForeignLoadWebp", "webpload", "image/webp" },
	{ PGAL_IMG_GIF, "VipsForeignLoadNsgif", "gifload", "image/gif" },
	{ PGAL_IMG_TIFF, "VipsForeignLoadTiff", "tiffload", "image/tiff" },
	{ PGAL_IMG_HEIC, "VipsForeignLoadHeif", "heifload", "image/heic" },
};
#define NLOADERS (sizeof loaders / sizeof loaders[0])

/* JPEG quality of the renditions: small files, no visible blocking. */
#define PGAL_IMG_Q 82

static int
heif_brand(const unsigned char *b)
{
	static const char *brands[] = { "heic", "heix", "hevc", "hevx",
	    "heim", "heis", "mif1", "msf1" };
	size_t i;

	for (i = 0; i < sizeof brands / sizeof brands[0]; i++) {
		if (memcmp(b, brands[i], 4) == 0)
			return 1;
	}
	return 0;
}

static int
avif_brand(const unsigned char *b)
{
	return memcmp(b, "avif", 4) == 0 || memcmp(b, "avis", 4) == 0;
}

/* An ISO BMFF "ftyp" box naming a HEIF brand. mif1/msf1 are generic HEIF
 * brands that AVIF files carry too, so an avif/avis brand anywhere in the box
 * means "not HEIC". */
static int
is_heic(const unsigned char *h, size_t n)
{
	pgal_reader r;
	const unsigned char *type, *brand;
	uint32_t box;
	int heif;

	pgal_reader_init(&r, h, n);
	if (pgal_read_u32be(&r, &box) == -1 || box < 16)
		return 0;
	/* the box, or as much of it as the head holds: its type, the major
	 * brand, a minor version, then compatible brands */
	pgal_reader_init(&r, h + 4, (box < n ? box : n) - 4);
	if (pgal_read_view(&r, &type, 4) == -1 || memcmp(type, "ftyp", 4) != 0 ||
	    pgal_read_view(&r, &brand, 4) == -1 || pgal_read_skip(&r, 4) == -1 ||
	    avif_brand(brand))
		return 0;
	heif = heif_brand(brand);
	while (pgal_read_view(&r, &brand, 4) == 0)
		if (avif_brand(brand))
			return 0;
	return heif;
}

pgal_img_type
pgal_image_detect(const unsigned char *h, size_t n)
{
	if (h == NULL)
		return PGAL_IMG_UNKNOWN;
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return PGAL_IMG_JPEG;
	if (n >= 8 && memcmp(h, "\x89PNG\r\n\x1a\n", 8) == 0)
		return PGAL_IMG_PNG;
	if (n >= 12 && memcmp(h, "RIFF", 4) == 0 && memcmp(h + 8, "WEBP", 4) == 0)
		return PGAL_IMG_WEBP;
	if (n >= 6 && (memcmp(h, "GIF87a", 6) == 0 || memcmp(h, "GIF89a", 6) == 0))
		return PGAL_IMG_GIF;
	if (n >= 4 && (memcmp(h, "II*\0", 4) == 0 || memcmp(h, "MM\0*", 4) == 0))
		return PGAL_IMG_TIFF;
	if (is_heic(h, n))
		return PGAL_IMG_HEIC;
	return PGAL_IMG_UNKNOWN;
}

const char *
pgal_image_mime(pgal_img_type t)
{
	size_t i;

	for (i = 0; i < NLOADERS; i++) {
		if (loaders[i].type == t)
			return loaders[i].mime;
	}
	return NULL;
}

int
pgal_image_type_supported(pgal_img_type t)
{
	size_t i;

	if (pgal_image_init(NULL) != PGAL_OK)
		return 0;
	for (i = 0; i < NLOADERS; i++) {
		if (loaders[i].type == t)
			return vips_type_find("VipsOperation", loaders[i].nick) != 0;
	}
	return 0;
}

/* libvips reports trouble through its error buffer, which we turn into our
 * own messages; its g_log warnings ("error in tile ...") would only add noise
 * on the user's terminal. */
static void
vips_log_quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer data)
{
}

/*
 * At start libvips loads every module in its module directory: ImageMagick,
 * poppler, OpenSlide, JPEG XL and HEIF, with a hundred libraries behind them.
 * pgal calls at most the HEIF one, so the start skips the directory (VIPSHOME,
 * which libvips derives it from, points nowhere for the duration) and this
 * loads that one module by path. Half the start-up time goes, and decoders
 * we never call stay out of the process.
 */
static void
load_heif_module(void)
{
	GModule *(*open_module)(const gchar *, GModuleFlags);
	Dl_info info;
	char path[PATH_MAX], *slash;
	int n;

	if (dladdr((void *)vips_init, &info) == 0 || info.dli_fname == NULL)
		return;
	n = snprintf(path, sizeof path, "%s", info.dli_fname);
	if (n < 0 || (size_t)n >= sizeof path ||
	    (slash = strrchr(path, '/')) == NULL)
		return;
	*slash = '\0';
	n = snprintf(slash, sizeof path - (slash - path),
	    "/vips-modules-%d.%d/vips-heif.so", vips_version(0), vips_version(1));
	if (n < 0 || (size_t)n >= sizeof path - (slash - path) ||
	    access(path, R_OK) != 0)
		return;
	/* GModule runs the module's registration; libvips links gmodule,
	 * so it is in the process even though we do not link it ourselves */
	*(void **)&open_module = dlsym(RTLD_DEFAULT, "g_module_open");
	if (open_module != NULL)
		(void)open_module(path, G_MODULE_BIND_LAZY); /* stays resident */
}

static int
start_vips(int heif)
{
	char *old = NULL;
	const char *v;
	int rc;

	if ((v = getenv("VIPSHOME")) != NULL && (old = strdup(v)) == NULL)
		return -1;
	setenv("VIPSHOME", "/nonexistent/pgal-no-vips-modules", 1);
	rc = VIPS_INIT("pgal");
	if (old != NULL) {
		setenv("VIPSHOME", old, 1);
		free(old);
	} else
		unsetenv("VIPSHOME");
	if (rc == 0 && heif)
		load_heif_module();
	return rc;
}

static int
init_vips(int heif, pgal_err *e)
{
	size_t i;
	int rc = PGAL_OK;

	pthread_mutex_lock(&init_lock);
	if (init_done) {
		/* libvips' worker threads do not survive fork(): a child must
		 * start its own libvips, never inherit one. */
		if (init_pid != getpid())
			rc = pgal_fail(e, PGAL_EBACKEND,
			    "libvips was started before fork");
		pthread_mutex_unlock(&init_lock);
		return rc;
	}
	if (start_vips(heif) != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "cannot start libvips: %s",
		    vips_error_buffer());
		vips_error_clear();
		pthread_mutex_unlock(&init_lock);
		return rc;
	}
	/* Every ingest is a new file, and a reused path may hold another
	 * file: the operation cache would only hold memory and risk stale
	 * results. */
	vips_cache_set_max(0);
	g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
	    G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG, vips_log_quiet, NULL);
	/* Untrusted loaders off, then every loader off except ours: nothing
	 * that sniffs a file can reach a decoder we did not choose. */
	vips_block_untrusted_set(TRUE);
	vips_operation_block_set("VipsForeignLoad", TRUE);
	for (i = 0; i < NLOADERS; i++) {
		/* by GType name: the base classes are abstract, which
		 * vips_type_find() does not list */
		if (g_type_from_name(loaders[i].klass) != 0)
			vips_operation_block_set(loaders[i].klass, FALSE);
	}
	init_done = 1;
	init_pid = getpid();
	pthread_mutex_unlock(&init_lock);
	return PGAL_OK;
}

int
pgal_image_init(pgal_err *e)
{
	return init_vips(1, e);
}

int
pgal_image_init_for(pgal_img_type type, pgal_err *e)
{
	return init_vips(type == PGAL_IMG_HEIC, e);
}

/*
 * Loads the header from src with the one loader for its type (pixels are
 * decoded later, on demand, in order). jpeg_shrink (1, 2, 4, 8) makes libjpeg
 * decode at a DCT scale; webp_scale makes libwebp decode smaller. Truncated
 * or corrupt data fails the decode; mere warnings (extra bytes before a
 * marker, common in camera files) do not.
 */
static int
load_source(VipsSource *src, pgal_img_type type, int jpeg_shrink, double webp_scale,
    VipsImage **out)
{
	const VipsAccess seq = VIPS_ACCESS_SEQUENTIAL;
	const VipsFailOn fail = VIPS_FAIL_ON_ERROR;

	switch (type) {
	case PGAL_IMG_JPEG:
		return vips_jpegload_source(src, out, "access", seq, "fail_on",
		    fail, "shrink", jpeg_shrink, NULL);
	case PGAL_IMG_PNG:
		return vips_pngload_source(src, out, "access", seq, "fail_on",
		    fail, NULL);
	case PGAL_IMG_WEBP:
		return vips_webpload_source(src, out, "access", seq, "fail_on",
		    fail, "scale", webp_scale, NULL);
	case PGAL_IMG_GIF:
		/* the first frame only */
		return vips_gifload_source(src, out, "access", seq, "fail_on",
		    fail, "n", 1, NULL);
	case PGAL_IMG_TIFF:
		return vips_tiffload_source(src, out, "access", seq, "fail_on",
		    fail, NULL);
	case PGAL_IMG_HEIC:
		/* called by name: the symbol exists only with libheif */
		return vips_call("heifload_source", src, out, "access", seq,
		    "fail_on", fail, NULL);
	default:
		vips_error("pgal", "unsupported type");
		return -1;
	}
}

/*
 * load_source() from path, or, when path is NULL, from the open descriptor
 * fd read from its start: that opens nothing, so a decoder that may no
 * longer open the file (another uid, Landlock) still reads it. The source
 * reads and seeks fd's own offset.
 */
static int
load(const char *path, int fd, pgal_img_type type, int jpeg_shrink, double webp_scale,
    VipsImage **out)
{
	VipsSource *src;
	int rc;

	*out = NULL;
	if (path == NULL && lseek(fd, 0, SEEK_SET) != 0) {
		vips_error("pgal", "cannot seek the image");
		return -1;
	}
	src = path != NULL ? vips_source_new_from_file(path) :
	    vips_source_new_from_descriptor(fd);
	if (src == NULL)
		return -1;
	rc = load_source(src, type, jpeg_shrink, webp_scale, out);
	/* the image holds its own reference while it needs the source */
	g_object_unref(src);
	return rc;
}

static void
step(VipsImage **img, VipsImage *out)
{
	g_object_unref(*img);
	*img = out;
}

/* To 8-bit sRGB without alpha: the embedded profile if there is one,
 * colourspace conversion otherwise, alpha flattened onto white. */
static int
normalize(VipsImage **img)
{
	VipsImage *out;
	VipsArrayDouble *white;
	VipsInterpretation in;
	int rc;

	in = vips_image_guess_interpretation(*img);
	if (vips_image_get_typeof(*img, VIPS_META_ICC_NAME) != 0 ||
	    in == VIPS_INTERPRETATION_CMYK) {
		if (vips_icc_transform(*img, &out, "srgb", "embedded", TRUE,
		    "intent", VIPS_INTENT_PERCEPTUAL, "depth", 8, NULL) == 0)
			step(img, out);
		else
			vips_error_clear(); /* a bad profile: convert plainly */
	}
	in = vips_image_guess_interpretation(*img);
	if (in != VIPS_INTERPRETATION_sRGB) {
		if (vips_colourspace(*img, &out, VIPS_INTERPRETATION_sRGB, NULL))
			return -1;
		step(img, out);
	}
	if (vips_image_hasalpha(*img)) {
		white = vips_array_double_newv(1, 255.0);
		rc = vips_flatten(*img, &out, "background", white, NULL);
		vips_area_unref(VIPS_AREA(white));
		if (rc)
			return -1;
		step(img, out);
	}
	if ((*img)->Bands > 3) {
		if (vips_extract_band(*img, &out, 0, "n", 3, NULL))
			return -1;
		step(img, out);
	} else if ((*img)->Bands == 2) {
		if (vips_extract_band(*img, &out, 0, NULL))
			return -1;
		step(img, out);
	}
	if ((*img)->BandFmt != VIPS_FORMAT_UCHAR) {
		if (vips_cast(*img, &out, VIPS_FORMAT_UCHAR, NULL))
			return -1;
		step(img, out);
	}
	return 0;
}

/* Shrinks *img so its long edge is at most edge (never enlarges). */
static int
fit(VipsImage **img, int edge)
{
	VipsImage *out;
	int w = (*img)->Xsize, h = (*img)->Ysize;
	int l = w > h ? w : h;
	double s;

	if (l <= edge)
		return 0;
	s = (double)edge / l;
	/* vscale too, so the short edge rounds the same way */
	if (vips_resize(*img, &out, s, "vscale", s, NULL))
		return -1;
	step(img, out);
	return 0;
}

static int
save(VipsImage *img, pgal_rendition *r)
{
	void *buf = NULL;
	size_t len = 0;

	if (vips_jpegsave_buffer(img, &buf, &len, "Q", PGAL_IMG_Q,
	    "strip", TRUE, NULL))
		return -1;
	r->data = buf;
	r->len = len;
	r->width = img->Xsize;
	r->height = img->Ysize;
	return 0;
}

/* A VipsImage on the heap: hand the pixels over so later steps (rotation,
 * the second rendition) do not reach back into the sequential decoder. */
static int
materialize(VipsImage **img)
{
	VipsImage *out;

	if ((out = vips_image_copy_memory(*img)) == NULL)
		return -1;
	step(img, out);
	return 0;
}

/*
 * The preview size rule. Decoding a 24 MP JPEG is the cost of ingest, and
 * libjpeg decodes at 1/2, 1/4 or 1/8 scale for a fraction of that cost. So
 * the JPEG is decoded at the largest such shrink that still leaves the long
 * edge at least 3/4 of preview_px (1200 for 1600), and the preview is that
 * decoded image, brought down to preview_px only when it is larger: a
 * 6000x4000 photo gives a 1500x1000 preview from a 1/4 decode, where a full
 * 1600 would need a 1/2 decode of four times the pixels. Other formats decode
 * at full size (WebP at the preview size) and are resized to preview_px. The
 * thumbnail is made from the preview in memory.
 */
static int
jpeg_shrink(int longedge, int preview_px)
{
	int floor_px = (preview_px * 3 + 3) / 4;
	int s;

	for (s = 8; s > 1; s /= 2) {
		if ((longedge + s - 1) / s >= floor_px)
			return s;
	}
	return 1;
}

static void
read_exif(VipsImage *img, pgal_exif *x)
{
	const void *data;
	size_t len;

	if (vips_image_get_typeof(img, VIPS_META_EXIF_NAME) == 0)
		return;
	if (vips_image_get_blob(img, VIPS_META_EXIF_NAME, &data, &len) != 0) {
		vips_error_clear();
		return;
	}
	pgal_exif_parse(data, len, x);
}

static int
orientation(VipsImage *img)
{
	int o;

	if (vips_image_get_typeof(img, VIPS_META_ORIENTATION) == 0 ||
	    vips_image_get_int(img, VIPS_META_ORIENTATION, &o) != 0) {
		vips_error_clear();
		return 1;
	}
	return o >= 1 && o <= 8 ? o : 1;
}

static int
process(const char *path, int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e)
{
	VipsImage *img = NULL, *out;
	int rc, w, h, longedge, shrink = 1, o, oom;
	double wscale = 1.0;

	if (r == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "no result");
	memset(r, 0, sizeof *r);
	pgal_exif_clear(&r->exif);
	if ((path == NULL && fd < 0) || max_pixels <= 0 || thumb_px <= 0 ||
	    preview_px <= 0)
		return pgal_fail(e, PGAL_EUSAGE, "bad image parameters");
	if (thumb_px > preview_px)
		thumb_px = preview_px;
	if ((rc = pgal_image_init(e)) != PGAL_OK)
		return rc;
	if (!pgal_image_type_supported(type))
		return pgal_fail(e, PGAL_EINPUT, "unsupported image type");

	/* header only: nothing is decoded until pixels are asked for */
	if (load(path, fd, type, 1, 1.0, &img) != 0)
		goto damaged;
	w = img->Xsize;
	h = img->Ysize;
	if (w <= 0 || h <= 0 || (int64_t)w * h > max_pixels) {
		g_object_unref(img);
		return pgal_fail(e, PGAL_EINPUT, "too many pixels: %dx%d", w, h);
	}
	read_exif(img, &r->exif);
	o = orientation(img);
	r->width = o >= 5 ? h : w;
	r->height = o >= 5 ? w : h;

	longedge = w > h ? w : h;
	if (type == PGAL_IMG_JPEG)
		shrink = jpeg_shrink(longedge, preview_px);
	else if (type == PGAL_IMG_WEBP && longedge > preview_px)
		wscale = (double)preview_px / longedge;
	if (shrink != 1 || wscale != 1.0) {
		g_object_unref(img);
		if (load(path, fd, type, shrink, wscale, &img) != 0)
			goto damaged;
	}

	/* the one decode happens in materialize(), through these steps */
	if (fit(&img, preview_px) != 0 || normalize(&img) != 0 ||
	    materialize(&img) != 0)
		goto damaged;
	if (o != 1) {
		if (vips_autorot(img, &out, NULL))
			goto damaged;
		step(&img, out);
		if (materialize(&img) != 0)
			goto damaged;
	}
	if (save(img, &r->preview) != 0)
		goto damaged;
	if (fit(&img, thumb_px) != 0 || save(img, &r->thumb) != 0)
		goto damaged;
	g_object_unref(img);
	return PGAL_OK;

damaged:
	if (img != NULL)
		g_object_unref(img);
	/* libvips' own allocator, libjpeg's "Insufficient memory", libpng's
	 * "out of memory": the decoder's memory limit, not the file */
	oom = strcasestr(vips_error_buffer(), "memory") != NULL;
	vips_error_clear();
	pgal_image_result_free(r);
	if (oom)
		return pgal_fail(e, PGAL_EINPUT, PGAL_IMG_OOM);
	return pgal_fail(e, PGAL_EINPUT, "damaged image");
}

int
pgal_image_process(const char *path, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e)
{
	return process(path, -1, type, max_pixels, thumb_px, preview_px, r, e);
}

int
pgal_image_process_fd(int fd, pgal_img_type type, int64_t max_pixels,
    int thumb_px, int preview_px, pgal_image_result *r, pgal_err *e)
{
	return process(NULL, fd, type, max_pixels, thumb_px, preview_px, r, e);
}

void
pgal_image_result_free(pgal_image_result *r)
{
	if (r == NULL)
		return;
	g_free(r->thumb.data);
	g_free(r->preview.data);
	r->thumb.data = r->preview.data = NULL;
	r->thumb.len = r->preview.len = 0;
}
