/* Width and height from an image's header, read by hand with bounded
 * positional reads: JPEG (the first frame header, SOFn), PNG (IHDR), GIF
 * (the logical screen), WebP (VP8, VP8L or VP8X) and TIFF (the first IFD).
 * Nothing here decodes pixels; anything short or odd is -1. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "image/header.h"

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

static uint32_t
be16(const unsigned char *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

static uint32_t
le16(const unsigned char *p)
{
	return (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
le24(const unsigned char *p)
{
	return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint32_t
u16(const unsigned char *p, int big)
{
	return big ? be16(p) : le16(p);
}

static uint32_t
u32(const unsigned char *p, int big)
{
	return big ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] :
	    (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
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
	unsigned char b[6];
	int64_t pos = 2;
	uint32_t len;
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
		if (rd(fd, size, pos, b, 2) == -1 || (len = be16(b)) < 2)
			return -1;
		/* SOF0..SOF15, but C4 (DHT), C8 (JPG) and CC (DAC) are not frames */
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			/* length, precision, lines, samples per line, ... */
			if (len < 8 || rd(fd, size, pos + 2, b, 5) == -1)
				return -1;
			return set(be16(b + 3), be16(b + 1), w, h);
		}
		pos += len;
	}
	return -1;
}

static int
png_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[24];

	if (rd(fd, size, 0, b, sizeof b) == -1 || be16(b + 8) != 0 || be16(b + 10) != 13 ||
	    memcmp(b + 12, "IHDR", 4) != 0)
		return -1;
	return set(u32(b + 16, 1), u32(b + 20, 1), w, h);
}

static int
gif_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[10];

	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	/* an empty logical screen: the frames say, so leave it to the decoder */
	if (le16(b + 6) == 0 || le16(b + 8) == 0)
		return 0;
	return set(le16(b + 6), le16(b + 8), w, h);
}

static int
webp_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[30];
	uint32_t bits;

	if (rd(fd, size, 0, b, sizeof b) == -1)
		return -1;
	if (memcmp(b + 12, "VP8 ", 4) == 0) {
		/* lossy: frame tag, start code, then 14-bit sizes */
		if (b[23] != 0x9d || b[24] != 0x01 || b[25] != 0x2a)
			return -1;
		return set(le16(b + 26) & 0x3fff, le16(b + 28) & 0x3fff, w, h);
	}
	if (memcmp(b + 12, "VP8L", 4) == 0) {
		/* lossless: signature, then width-1 and height-1 in 14 bits each */
		if (b[20] != 0x2f)
			return -1;
		bits = u32(b + 21, 0);
		return set((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1, w, h);
	}
	if (memcmp(b + 12, "VP8X", 4) == 0)
		return set(le24(b + 24) + 1, le24(b + 27) + 1, w, h); /* the canvas */
	return -1;
}

static int
tiff_size(int fd, int64_t size, int *w, int *h)
{
	unsigned char b[12];
	uint32_t n, i, tag, type, v, iw = 0, ih = 0;
	int64_t ifd;
	int big;

	if (rd(fd, size, 0, b, 8) == -1)
		return -1;
	big = b[0] == 'M';
	ifd = u32(b + 4, big);
	if (rd(fd, size, ifd, b, 2) == -1 || (n = u16(b, big)) == 0 || n > TIFF_ENTRIES_MAX)
		return -1;
	for (i = 0; i < n && (iw == 0 || ih == 0); i++) {
		if (rd(fd, size, ifd + 2 + (int64_t)i * 12, b, 12) == -1)
			return -1;
		tag = u16(b, big);
		type = u16(b + 2, big);
		if (tag != 256 && tag != 257)
			continue;
		/* SHORT or LONG, the value itself in the entry */
		if (u32(b + 4, big) < 1 || (type != 3 && type != 4))
			return -1;
		v = type == 3 ? u16(b + 8, big) : u32(b + 8, big);
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
