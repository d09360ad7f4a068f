/* Width and height from an image's header, read by hand with bounded
 * positional reads: JPEG (the first frame header, SOFn), PNG (IHDR), GIF
 * (the logical screen), WebP (VP8, VP8L or VP8X) and TIFF (the first IFD).
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
set(uint32_t w, uint32_t h, int *ow, int *oh)
{
	if (w == 0 || h == 0 || w > INT_MAX || h > INT_MAX)
		return -1;
	*ow = (int)w;
	*oh = (int)h;
	return 1;
}

/* Walks the markers after SOI to the first frame header. */
static int
jpeg_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[7];
	pgal_reader r;
	int64_t pos = 2;
	uint16_t len, lines, samples;
	int i, m;

	for (i = 0; i < JPEG_STEPS_MAX; i++) {
		if (rd(fd, size, pos, b, 2) == -1 || b[0] != 0xff)
			return -1;
		m = b[1];
		if (m == 0xff) {
			pos++; /* a fill byte before the marker */
			continue;
		}
		pos += 2;
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8))
			continue; /* markers without a length */
		if (m == 0xd9 || m == 0xda)
			return -1; /* the end, or scan data, before any frame */
		if (rd(fd, size, pos, b, 2) == -1)
			return -1;
		pgal_reader_init(&r, b, 2);
		if (pgal_read_u16be(&r, &len) == -1 || len < 2)
			return -1;
		/* SOF0..SOF15, but C4 (DHT), C8 (JPG) and CC (DAC) are not frames */
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			/* length, precision, lines, samples per line, ... */
			if (len < 8 || rd(fd, size, pos, b, 7) == -1)
				return -1;
			pgal_reader_init(&r, b, 7);
			if (pgal_read_skip(&r, 3) == -1 ||
			    pgal_read_u16be(&r, &lines) == -1 ||
			    pgal_read_u16be(&r, &samples) == -1)
				return -1;
			return set(samples, lines, w, h);
		}
		pos += len;
	}
	return -1;
}

static int
png_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[24];
	const unsigned char *type;
	pgal_reader r;
	uint32_t len, iw, ih;

	/* the signature, then the first chunk: IHDR, 13 bytes long */
	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	pgal_reader_init(&r, b, sizeof b);
	if (pgal_read_skip(&r, 8) == -1 || pgal_read_u32be(&r, &len) == -1 ||
	    len != 13 || pgal_read_view(&r, &type, 4) == -1 ||
	    memcmp(type, "IHDR", 4) != 0 || pgal_read_u32be(&r, &iw) == -1 ||
	    pgal_read_u32be(&r, &ih) == -1)
		return -1;
	return set(iw, ih, w, h);
}

static int
gif_size(int fd, int64_t size, int *w, int *h)
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
	return set(sw, sh, w, h);
}

static int
webp_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[30];
	const unsigned char *chunk, *start;
	pgal_reader r;
	uint16_t vw, vh;
	uint32_t bits, cw, ch;

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
		return set(vw & 0x3fff, vh & 0x3fff, w, h);
	}
	if (memcmp(chunk, "VP8L", 4) == 0) {
		/* lossless: signature, then width-1 and height-1 in 14 bits each */
		if (pgal_read_byte(&r) != 0x2f || pgal_read_u32le(&r, &bits) == -1)
			return -1;
		return set((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, w, h);
	}
	if (memcmp(chunk, "VP8X", 4) == 0) {
		/* flags, then the canvas: width-1 and height-1 in 24 bits each */
		if (pgal_read_skip(&r, 4) == -1 || pgal_read_u24le(&r, &cw) == -1 ||
		    pgal_read_u24le(&r, &ch) == -1)
			return -1;
		return set(cw + 1, ch + 1, w, h);
	}
	return -1;
}

static int
tiff_size(int fd, int64_t size, int *w, int *h)
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
	return set(iw, ih, w, h);
}

int
pgal_image_header_size(int fd, pgal_img_type type, int64_t size, int *w, int *h)
{
	*w = *h = 0;
	switch (type) {
	case PGAL_IMG_JPEG: return jpeg_size(fd, size, w, h);
	case PGAL_IMG_PNG: return png_size(fd, size, w, h);
	case PGAL_IMG_GIF: return gif_size(fd, size, w, h);
	case PGAL_IMG_WEBP: return webp_size(fd, size, w, h);
	case PGAL_IMG_TIFF: return tiff_size(fd, size, w, h);
	case PGAL_IMG_HEIC: return 0;
	default: return -1;
	}
}
