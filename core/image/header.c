/* Width and height from an image's header, read by hand with bounded
 * positional reads: JPEG (the first frame header, SOFn), PNG (IHDR), GIF
 * (the logical screen), WebP (VP8, VP8L or VP8X) and TIFF (the first IFD);
 * and from the same fields, what the decoder will have to hold in memory.
 * Nothing here decodes pixels; anything short or odd is -1. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "image/header.h"
#include "reader.h"

/* Markers and fill bytes looked at before giving up on a JPEG. */
#define JPEG_STEPS_MAX 4096
/* Directory entries looked at in a TIFF's first IFD. */
#define TIFF_ENTRIES_MAX 4096
/* What a header may claim to need: well past any memory limit, and far
 * enough below INT64_MAX that adding the decoder's base cannot overflow */
#define HELD_BYTES_MAX (INT64_MAX / 4)

/* Exactly n bytes at off, all inside the file's size; 0 or -1. */
static int
rd(int fd, int64_t size, int64_t off, void *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	if (off < 0 || off > size || (int64_t)n > size - off)
		return -1;
	while (got < n) {
		r = pread(fd, (char *)buf + got, n - got, (off_t)(off + (int64_t)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/* A TIFF number in the file's byte order. */
static int
tiff_u16(pgal_reader *r, int big, uint32_t *v)
{
	uint16_t x;
	int rc = big ? pgal_read_u16be(r, &x) : pgal_read_u16le(r, &x);

	*v = x;
	return rc;
}

static int
tiff_u32(pgal_reader *r, int big, uint32_t *v)
{
	return big ? pgal_read_u32be(r, v) : pgal_read_u32le(r, v);
}

static int
set(uint32_t w, uint32_t h, pgal_img_header *out)
{
	if (w == 0 || h == 0 || w > INT_MAX || h > INT_MAX)
		return -1;
	out->width = (int)w;
	out->height = (int)h;
	return 1;
}

/* Bytes of a whole w x h image at bpp bytes a pixel. Width and height
 * may each be near INT_MAX, so the product is held at HELD_BYTES_MAX
 * (far beyond any memory limit) instead of overflowing. */
static int64_t
whole(const pgal_img_header *h, int64_t bpp)
{
	int64_t pixels = (int64_t)h->width * h->height;

	return pixels > HELD_BYTES_MAX / bpp ? HELD_BYTES_MAX : pixels * bpp;
}

/* A JPEG frame's components: libjpeg keeps every DCT coefficient (two
 * bytes a sample, subsampled planes smaller) when the image comes in more
 * than one scan. */
static int64_t
jpeg_coefficients(const pgal_img_header *h, const unsigned char *comp, int n)
{
	int i, hmax = 1, vmax = 1;
	int64_t sum = 0;

	for (i = 0; i < n; i++) {
		int hs = comp[3 * i + 1] >> 4, vs = comp[3 * i + 1] & 0x0f;

		hmax = hs > hmax ? hs : hmax;
		vmax = vs > vmax ? vs : vmax;
	}
	for (i = 0; i < n; i++) {
		int hs = comp[3 * i + 1] >> 4, vs = comp[3 * i + 1] & 0x0f;
		int64_t cw = ((int64_t)h->width * (hs ? hs : 1) / hmax + 7) / 8 * 8;
		int64_t ch = ((int64_t)h->height * (vs ? vs : 1) / vmax + 7) / 8 * 8;

		sum += cw * ch * 2;
	}
	return sum;
}

/* Walks the markers after SOI to the first frame header, then on to the
 * first scan: a progressive frame, or a first scan with fewer components
 * than the frame, means many scans. */
static int
jpeg_read(int fd, int64_t size, pgal_img_header *out)
{
	unsigned char b[8], comp[3 * 4];
	pgal_reader r;
	int64_t pos = 2;
	uint16_t len, lines, samples;
	int i, m, ncomp = 0, progressive = 0, rc = -1;

	for (i = 0; i < JPEG_STEPS_MAX; i++) {
		if (rd(fd, size, pos, b, 2) == -1 || b[0] != 0xff)
			return rc; /* after the frame: the rest is the decoder's */
		m = b[1];
		if (m == 0xff) {
			pos++; /* a fill byte before the marker */
			continue;
		}
		pos += 2;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			continue; /* markers without a length */
		if ((m == 0xd9 || m == 0xda) && rc == -1)
			return -1; /* the end, or scan data, before any frame */
		if (m == 0xd9)
			return rc;
		if (rd(fd, size, pos, b, 2) == -1)
			return rc;
		pgal_reader_init(&r, b, 2);
		if (pgal_read_u16be(&r, &len) == -1 || len < 2)
			return rc;
		if (m == 0xda) {
			/* length, then the scan's number of components */
			if (len < 3 || rd(fd, size, pos + 2, b, 1) == -1)
				return rc;
			if (progressive || b[0] < ncomp)
				out->held_bytes = jpeg_coefficients(out, comp, ncomp);
			return rc;
		}
		/* SOF0..SOF15, but C4 (DHT), C8 (JPG) and CC (DAC) are not frames */
		if (rc == -1 && m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 &&
		    m != 0xcc) {
			/* length, precision, lines, samples per line, components */
			if (len < 8 || rd(fd, size, pos, b, 8) == -1)
				return -1;
			pgal_reader_init(&r, b, 8);
			if (pgal_read_skip(&r, 3) == -1 ||
			    pgal_read_u16be(&r, &lines) == -1 ||
			    pgal_read_u16be(&r, &samples) == -1)
				return -1;
			if ((rc = set(samples, lines, out)) == -1)
				return -1;
			/* SOF2, 6, 10 and 14 are progressive */
			progressive = (m & 0x03) == 0x02;
			ncomp = b[7] > 4 ? 4 : b[7];
			if (len < 8 + 3 * ncomp ||
			    rd(fd, size, pos + 8, comp, (size_t)(3 * ncomp)) == -1)
				return -1;
			if (progressive)
				out->held_bytes = jpeg_coefficients(out, comp, ncomp);
		}
		pos += len;
	}
	return rc;
}

static int
png_read(int fd, int64_t size, pgal_img_header *out)
{
	unsigned char b[29];
	const unsigned char *type;
	pgal_reader r;
	uint32_t len, iw, ih;
	int depth, ctype, interlace, chans;

	/* the signature, then the first chunk: IHDR, 13 bytes long */
	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	pgal_reader_init(&r, b, sizeof b);
	if (pgal_read_skip(&r, 8) == -1 || pgal_read_u32be(&r, &len) == -1 ||
	    len != 13 || pgal_read_view(&r, &type, 4) == -1 ||
	    memcmp(type, "IHDR", 4) != 0 || pgal_read_u32be(&r, &iw) == -1 ||
	    pgal_read_u32be(&r, &ih) == -1 || set(iw, ih, out) == -1)
		return -1;
	depth = b[24];
	ctype = b[25];
	interlace = b[28];
	/* Adam7 passes fill the whole image before a row is whole: all of
	 * it is held, unpacked to a byte (two at 16 bits) a sample, a
	 * palette expanded to RGBA */
	if (interlace == 1) {
		chans = ctype == 0 ? 1 : ctype == 4 ? 2 : ctype == 2 ? 3 : 4;
		out->held_bytes = whole(out, (int64_t)chans * (depth == 16 ? 2 : 1));
	}
	return 1;
}

static int
gif_read(int fd, int64_t size, pgal_img_header *out)
{
	unsigned char b[10];
	pgal_reader r;
	uint16_t sw, sh;

	/* the signature, then the logical screen */
	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	pgal_reader_init(&r, b, sizeof b);
	if (pgal_read_skip(&r, 6) == -1 || pgal_read_u16le(&r, &sw) == -1 ||
	    pgal_read_u16le(&r, &sh) == -1)
		return -1;
	/* an empty logical screen: the frames say, so leave it to the decoder */
	if (sw == 0 || sh == 0)
		return 0;
	if (set(sw, sh, out) == -1)
		return -1;
	/* frames are drawn onto an RGBA canvas of the whole screen */
	out->held_bytes = whole(out, 4);
	return 1;
}

static int
webp_read(int fd, int64_t size, pgal_img_header *out)
{
	unsigned char b[30];
	const unsigned char *chunk, *start;
	pgal_reader r;
	uint16_t vw, vh;
	uint32_t bits, cw, ch;
	int flags;

	/* "RIFF", its size and "WEBP", then the first chunk's name and size */
	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	pgal_reader_init(&r, b, sizeof b);
	if (pgal_read_skip(&r, 12) == -1 || pgal_read_view(&r, &chunk, 4) == -1 ||
	    pgal_read_skip(&r, 4) == -1)
		return -1;
	if (memcmp(chunk, "VP8 ", 4) == 0) {
		/* lossy: frame tag, start code, then 14-bit sizes */
		if (pgal_read_skip(&r, 3) == -1 || pgal_read_view(&r, &start, 3) == -1 ||
		    memcmp(start, "\x9d\x01\x2a", 3) != 0 ||
		    pgal_read_u16le(&r, &vw) == -1 || pgal_read_u16le(&r, &vh) == -1)
			return -1;
		/* lossy: decoded and scaled row by row */
		return set(vw & 0x3fff, vh & 0x3fff, out);
	}
	if (memcmp(chunk, "VP8L", 4) == 0) {
		/* lossless: signature, then width-1 and height-1 in 14 bits each */
		if (pgal_read_byte(&r) != 0x2f || pgal_read_u32le(&r, &bits) == -1 ||
		    set((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, out) == -1)
			return -1;
		/* libwebp decodes a lossless image whole, as ARGB */
		out->held_bytes = whole(out, 4);
		return 1;
	}
	if (memcmp(chunk, "VP8X", 4) == 0) {
		/* flags, then the canvas: width-1 and height-1 in 24 bits each */
		if ((flags = pgal_read_byte(&r)) == -1 || pgal_read_skip(&r, 3) == -1 ||
		    pgal_read_u24le(&r, &cw) == -1 || pgal_read_u24le(&r, &ch) == -1 ||
		    set(cw + 1, ch + 1, out) == -1)
			return -1;
		/* lossless inside, or an animation's canvas (two of them:
		 * the frame drawn and the one before) */
		out->held_bytes = whole(out, (flags & 0x02) ? 8 : 4);
		return 1;
	}
	return -1;
}

static int
tiff_read(int fd, int64_t size, pgal_img_header *out)
{
	unsigned char b[12];
	pgal_reader r;
	uint32_t n, i, tag, type, count, v, ifd, iw = 0, ih = 0;
	int big;

	/* byte order ("II" or "MM"), 42, then where the first IFD is */
	if (rd(fd, size, 0, b, 8) == -1)
		return -1;
	big = b[0] == 'M';
	pgal_reader_init(&r, b, 8);
	if (pgal_read_skip(&r, 4) == -1 || tiff_u32(&r, big, &ifd) == -1)
		return -1;
	if (rd(fd, size, ifd, b, 2) == -1)
		return -1;
	pgal_reader_init(&r, b, 2);
	if (tiff_u16(&r, big, &n) == -1 || n == 0 || n > TIFF_ENTRIES_MAX)
		return -1;
	for (i = 0; i < n && (iw == 0 || ih == 0); i++) {
		/* tag, type, count, then the value or where it is */
		if (rd(fd, size, (int64_t)ifd + 2 + (int64_t)i * 12, b, 12) == -1)
			return -1;
		pgal_reader_init(&r, b, 12);
		if (tiff_u16(&r, big, &tag) == -1 || tiff_u16(&r, big, &type) == -1 ||
		    tiff_u32(&r, big, &count) == -1)
			return -1;
		if (tag != 256 && tag != 257)
			continue;
		/* SHORT or LONG, the value itself in the entry */
		if (count < 1 || (type != 3 && type != 4))
			return -1;
		if ((type == 3 ? tiff_u16(&r, big, &v) : tiff_u32(&r, big, &v)) == -1)
			return -1;
		if (tag == 256)
			iw = v;
		else
			ih = v;
	}
	if (set(iw, ih, out) == -1)
		return -1;
	/* a single strip (or tile) is the whole image, at up to four
	 * bytes a pixel for the common layouts */
	out->held_bytes = whole(out, 4);
	return 1;
}

int
pgal_image_header_read(int fd, pgal_img_type type, int64_t size, pgal_img_header *h)
{
	memset(h, 0, sizeof *h);
	switch (type) {
	case PGAL_IMG_JPEG: return jpeg_read(fd, size, h);
	case PGAL_IMG_PNG: return png_read(fd, size, h);
	case PGAL_IMG_GIF: return gif_read(fd, size, h);
	case PGAL_IMG_WEBP: return webp_read(fd, size, h);
	case PGAL_IMG_TIFF: return tiff_read(fd, size, h);
	case PGAL_IMG_HEIC: return 0;
	default: return -1;
	}
}

int
pgal_image_header_size(int fd, pgal_img_type type, int64_t size, int *w, int *h)
{
	pgal_img_header hd;
	int rc = pgal_image_header_read(fd, type, size, &hd);

	*w = hd.width;
	*h = hd.height;
	return rc;
}

int64_t
pgal_image_decode_bytes(const pgal_img_header *h)
{
	return PGAL_DECODE_BASE_BYTES + h->held_bytes;
}
