/* The quick checks an upload passes before it is queued for the full
 * ingest: image sizes read from headers by hand (checked against what
 * `vipsheader` says of the same files, and against headers built here with
 * known sizes), and pgal_ingest_check's limits, quota and name choice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "gallery.h"
#include "image/header.h"
#include "testgallery.h"
#include "testlib.h"

#define PW "correct horse battery"

struct fx {
	pgal_config cfg;
	pgal *g;
	char tok[PGAL_TOKEN_HEX + 1];
	char dir[PATH_MAX];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	pgal_err e;

	pgal_test_config(&f->cfg);
	pgal_test_mkdtemp(f->dir);
	if (pgal_open(&f->g, &f->cfg, &e) != PGAL_OK) {
		fprintf(stderr, "pgal_open: %s\n", e.msg);
		return -1;
	}
	if (pgal_test_user(f->g, &f->cfg, "ida", PW, f->tok, &e) != PGAL_OK ||
	    pgal_album_create(f->g, f->tok, "a", NULL, NULL, NULL, &e) != PGAL_OK) {
		fprintf(stderr, "fixture: %s\n", e.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	pgal_close(f->g);
	pgal_test_rmdir(f->cfg.home);
	pgal_test_rmdir(f->dir);
	free(f);
	return 0;
}

/* `vipsheader -f FIELD PATH` as an integer: libvips' own reading. */
static long
vipsheader(const char *field, const char *path)
{
	char cmd[PATH_MAX + 64], out[64] = "";
	FILE *p;

	snprintf(cmd, sizeof cmd, "vipsheader -f %s '%s' 2>/dev/null", field, path);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (fgets(out, sizeof out, p) == NULL)
		out[0] = '\0';
	assert_int_equal(pclose(p), 0);
	return strtol(out, NULL, 10);
}

static pgal_img_type
detect(int fd)
{
	unsigned char head[PGAL_IMG_HEAD];
	ssize_t n = pread(fd, head, sizeof head, 0);

	assert_true(n > 0);
	return pgal_image_detect(head, (size_t)n);
}

/* pgal_image_header_size on a file: its return, sizes in w and h. */
static int
header_of(const char *path, int *w, int *h)
{
	struct stat st;
	int fd, rc;

	fd = open(path, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	rc = pgal_image_header_size(fd, detect(fd), st.st_size, w, h);
	close(fd);
	return rc;
}

static void
expect_like_vips(const char *path)
{
	int w, h;

	if (header_of(path, &w, &h) != 1)
		fail_msg("%s: no size from the header", path);
	assert_int_equal(w, vipsheader("width", path));
	assert_int_equal(h, vipsheader("height", path));
}

static void
write_file(const char *path, const void *p, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, n), (ssize_t)n);
	close(fd);
}

/* Rewraps the image chunk ("VP8 " or "VP8L") of an extended WebP (what
 * libvips writes) as a simple-format file: RIFF, WEBP, that chunk alone. */
static void
webp_simple(const char *from, const char *to)
{
	unsigned char *b, hdr[12];
	struct stat st;
	size_t pos = 12, len = 0;
	int fd = open(from, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	b = malloc((size_t)st.st_size);
	assert_non_null(b);
	assert_int_equal(read(fd, b, (size_t)st.st_size), st.st_size);
	close(fd);
	while (pos + 8 <= (size_t)st.st_size) {
		len = (size_t)b[pos + 4] | (size_t)b[pos + 5] << 8 | (size_t)b[pos + 6] << 16 |
		    (size_t)b[pos + 7] << 24;
		len += len & 1;
		if (memcmp(b + pos, "VP8 ", 4) == 0 || memcmp(b + pos, "VP8L", 4) == 0)
			break;
		pos += 8 + len;
	}
	assert_true(pos + 8 + len <= (size_t)st.st_size);
	memcpy(hdr, "RIFF\0\0\0\0WEBP", 12);
	hdr[4] = (unsigned char)((len + 12) & 0xff);
	hdr[5] = (unsigned char)((len + 12) >> 8 & 0xff);
	hdr[6] = (unsigned char)((len + 12) >> 16 & 0xff);
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, hdr, 12), 12);
	assert_int_equal(write(fd, b + pos, 8 + len), (ssize_t)(8 + len));
	close(fd);
	free(b);
}

/* The chunk after "RIFF....WEBP" of a file. */
static void
webp_chunk(const char *path, char out[5])
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, out, 4, 12), 4);
	out[4] = '\0';
	close(fd);
}

static void
test_header_sizes_of_fixtures(void **state)
{
	static const char *names[] = {
		"orient-1.jpg", "orient-2.jpg", "orient-3.jpg", "orient-4.jpg", "orient-5.jpg",
		"orient-6.jpg", "orient-7.jpg", "orient-8.jpg", "nikon-d2h-gps.jpg",
		"iphone4s-lens.jpg", "big-24mp.jpg", "evil-exif.jpg", "truncated.jpg",
		"corrupt/infinite_loop_exif.jpg", "big-24mp.png", "bomb.png", "medium.webp",
		"small.gif", "small.tif",
	};
	struct fx *f = *state;
	char path[PATH_MAX + 32], cmd[4 * PATH_MAX + 256], kind[5];
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		expect_like_vips(pgal_test_fixture(names[i]));
	/* the three kinds of WebP: lossy (VP8), lossless (VP8L), extended (VP8X) */
	snprintf(path, sizeof path, "%s", pgal_test_fixture("orient-1.jpg"));
	snprintf(cmd, sizeof cmd, "vips copy '%s' '%s/lossy-x.webp[Q=50,strip]' && "
	    "vips copy '%s' '%s/lossless-x.webp[lossless,strip]'", path, f->dir, path, f->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof path, "%s/lossy-x.webp", f->dir);
	snprintf(cmd, sizeof cmd, "%s/lossy.webp", f->dir);
	webp_simple(path, cmd);
	snprintf(path, sizeof path, "%s/lossless-x.webp", f->dir);
	snprintf(cmd, sizeof cmd, "%s/lossless.webp", f->dir);
	webp_simple(path, cmd);
	snprintf(path, sizeof path, "%s/lossy.webp", f->dir);
	webp_chunk(path, kind);
	assert_string_equal(kind, "VP8 ");
	expect_like_vips(path);
	snprintf(path, sizeof path, "%s/lossless.webp", f->dir);
	webp_chunk(path, kind);
	assert_string_equal(kind, "VP8L");
	expect_like_vips(path);
	webp_chunk(pgal_test_fixture("medium.webp"), kind);
	assert_string_equal(kind, "VP8X");
}

static void
test_header_sizes_built_here(void **state)
{
	/* big-endian TIFF: one IFD with ImageWidth 300 (SHORT), ImageLength 70000 (LONG) */
	static const unsigned char tiff_mm[] = {
		'M', 'M', 0, 42, 0, 0, 0, 8,
		0, 2,
		1, 0, 0, 3, 0, 0, 0, 1, 0x01, 0x2c, 0, 0,
		1, 1, 0, 4, 0, 0, 0, 1, 0, 0x01, 0x11, 0x70,
		0, 0, 0, 0,
	};
	/* JPEG: SOI, an APP0 to skip, fill bytes, SOF2 of 513 x 257 */
	static const unsigned char jpeg[] = {
		0xff, 0xd8, 0xff, 0xe0, 0, 4, 'x', 'y', 0xff, 0xff,
		0xff, 0xc2, 0, 11, 8, 0x01, 0x01, 0x02, 0x01, 1, 1, 0x11, 0,
	};
	/* a frame header with no lines (DNL), SOI then EOI, a segment that
	 * runs past the end, a DHT (C4) that is not a frame then scan data */
	static const unsigned char jpeg_dnl[] = {
		0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 0, 0x02, 0x01, 1, 1, 0x11, 0,
	};
	static const unsigned char jpeg_empty[] = { 0xff, 0xd8, 0xff, 0xd9 };
	static const unsigned char jpeg_long[] = { 0xff, 0xd8, 0xff, 0xe1, 0xff, 0xf0, 0, 0 };
	static const unsigned char jpeg_dht[] = {
		0xff, 0xd8, 0xff, 0xc4, 0, 6, 1, 2, 3, 4, 0xff, 0xda, 0, 2,
	};
	/* GIF with an empty logical screen: left to the decoder */
	static const unsigned char gif0[] = { 'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0 };
	/* WebP whose first chunk is none of the three */
	static const unsigned char webp_odd[30] = {
		'R', 'I', 'F', 'F', 22, 0, 0, 0, 'W', 'E', 'B', 'P', 'V', 'P', '9', ' ',
	};
	/* TIFF whose IFD lies past the end */
	static const unsigned char tiff_far[] = { 'I', 'I', 42, 0, 0xff, 0xff, 0, 0, 0, 0 };
	struct fx *f = *state;
	char path[PATH_MAX + 32], src[PATH_MAX];
	unsigned char buf[64];
	int w, h, fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/mm.tif", f->dir);
	write_file(path, tiff_mm, sizeof tiff_mm);
	assert_int_equal(header_of(path, &w, &h), 1);
	assert_int_equal(w, 300);
	assert_int_equal(h, 70000);
	snprintf(path, sizeof path, "%s/sof2.jpg", f->dir);
	write_file(path, jpeg, sizeof jpeg);
	assert_int_equal(header_of(path, &w, &h), 1);
	assert_int_equal(w, 513);
	assert_int_equal(h, 257);

	snprintf(path, sizeof path, "%s/bad", f->dir);
	write_file(path, jpeg_dnl, sizeof jpeg_dnl);
	assert_int_equal(header_of(path, &w, &h), -1);
	write_file(path, jpeg_empty, sizeof jpeg_empty);
	assert_int_equal(header_of(path, &w, &h), -1);
	write_file(path, jpeg_long, sizeof jpeg_long);
	assert_int_equal(header_of(path, &w, &h), -1);
	write_file(path, jpeg_dht, sizeof jpeg_dht);
	assert_int_equal(header_of(path, &w, &h), -1);
	write_file(path, gif0, sizeof gif0);
	assert_int_equal(header_of(path, &w, &h), 0);
	write_file(path, webp_odd, sizeof webp_odd);
	assert_int_equal(header_of(path, &w, &h), -1);
	write_file(path, tiff_far, sizeof tiff_far);
	assert_int_equal(header_of(path, &w, &h), -1);

	/* real files cut short before their sizes: every prefix too short */
	snprintf(src, sizeof src, "%s", pgal_test_fixture("big-24mp.png"));
	fd = open(src, O_RDONLY);
	assert_true(fd >= 0);
	n = pread(fd, buf, 20, 0);
	close(fd);
	assert_int_equal(n, 20);
	write_file(path, buf, 20);
	assert_int_equal(header_of(path, &w, &h), -1);
	snprintf(src, sizeof src, "%s", pgal_test_fixture("nikon-d2h-gps.jpg"));
	fd = open(src, O_RDONLY);
	assert_true(fd >= 0);
	n = pread(fd, buf, sizeof buf, 0);
	close(fd);
	assert_int_equal(n, (ssize_t)sizeof buf);
	write_file(path, buf, sizeof buf); /* its EXIF segment alone is longer */
	assert_int_equal(header_of(path, &w, &h), -1);
}

static int
claim(void *arg, const char *album, const char *name)
{
	const char *taken = arg;

	assert_string_equal(album, "a");
	return strcmp(name, taken) == 0;
}

static void
test_ingest_check(void **state)
{
	struct fx *f = *state;
	char one[PATH_MAX], trunc[PATH_MAX], path[PATH_MAX + 32];
	pgal_ingest_info info;
	pgal_config cfg2;
	struct stat st;
	pgal_photo p;
	pgal_err e;
	pgal *g2;
	int fd;

	snprintf(one, sizeof one, "%s", pgal_test_fixture("orient-1.jpg"));
	snprintf(trunc, sizeof trunc, "%s", pgal_test_fixture("truncated.jpg"));
	fd = open(one, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "dir/orient-1.jpg", 0, NULL,
	    NULL, &info, &e), PGAL_OK);
	assert_string_equal(info.name, "orient-1.jpg");
	assert_int_equal(info.bytes, st.st_size);
	assert_int_equal(info.width, vipsheader("width", one));
	assert_int_equal(info.height, vipsheader("height", one));
	/* only checked: nothing stored */
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 0);
	/* once stored, the name is taken: the next variant, and the one after
	 * when an upload still in the queue claims that */
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", one, NULL, &p, &e), PGAL_OK);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "orient-1.jpg", 0, NULL, NULL,
	    &info, &e), PGAL_OK);
	assert_string_equal(info.name, "orient-1-2.jpg");
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "orient-1.jpg", 0, claim,
	    "orient-1-2.jpg", &info, &e), PGAL_OK);
	assert_string_equal(info.name, "orient-1-3.jpg");
	/* not this user's album, not a session */
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "b", fd, "x.jpg", 0, NULL, NULL, &info,
	    &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_ingest_check(f->g, "00", "a", fd, "x.jpg", 0, NULL, NULL, &info,
	    &e), PGAL_EDENIED);

	/* the upload limit and the quota, with bytes accepted but not stored */
	cfg2 = f->cfg;
	cfg2.max_upload_bytes = st.st_size - 1;
	assert_int_equal(pgal_open(&g2, &cfg2, &e), PGAL_OK);
	assert_int_equal(pgal_ingest_check(g2, f->tok, "a", fd, "x.jpg", 0, NULL, NULL, &info,
	    &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "too big"));
	pgal_close(g2);
	cfg2 = f->cfg;
	cfg2.quota_bytes = 3 * st.st_size; /* one stored: room for two more */
	assert_int_equal(pgal_open(&g2, &cfg2, &e), PGAL_OK);
	assert_int_equal(pgal_ingest_check(g2, f->tok, "a", fd, "x.jpg", st.st_size, NULL, NULL,
	    &info, &e), PGAL_OK);
	assert_int_equal(pgal_ingest_check(g2, f->tok, "a", fd, "x.jpg", st.st_size + 1, NULL,
	    NULL, &info, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "quota"));
	pgal_close(g2);
	close(fd);

	/* what the magic bytes or the header refuse */
	fd = open(pgal_test_fixture("text.jpg"), O_RDONLY);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "t.jpg", 0, NULL, NULL, &info,
	    &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "not a supported image"));
	close(fd);
	fd = open(pgal_test_fixture("empty.jpg"), O_RDONLY);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "t.jpg", 0, NULL, NULL, &info,
	    &e), PGAL_EINPUT);
	close(fd);
	/* 60000 x 60000 by vipsheader: over the default pixel limit */
	assert_true((int64_t)vipsheader("width", pgal_test_fixture("bomb.png")) *
	    vipsheader("height", pgal_test_fixture("bomb.png")) > f->cfg.max_pixels);
	fd = open(pgal_test_fixture("bomb.png"), O_RDONLY);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "b.png", 0, NULL, NULL, &info,
	    &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "too many pixels"));
	close(fd);
	snprintf(path, sizeof path, "%s/cut.jpg", f->dir);
	{
		unsigned char head[64];

		fd = open(pgal_test_fixture("nikon-d2h-gps.jpg"), O_RDONLY);
		assert_int_equal(pread(fd, head, sizeof head, 0), (ssize_t)sizeof head);
		close(fd);
		write_file(path, head, sizeof head);
	}
	fd = open(path, O_RDONLY);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "cut.jpg", 0, NULL, NULL,
	    &info, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "header"));
	close(fd);

	/* a truncated JPEG has a whole header: accepted here, refused by the
	 * full decode, and that leaves nothing behind */
	fd = open(trunc, O_RDONLY);
	assert_int_equal(pgal_ingest_check(f->g, f->tok, "a", fd, "truncated.jpg", 0, NULL, NULL,
	    &info, &e), PGAL_OK);
	close(fd);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", trunc, NULL, NULL, &e), PGAL_EINPUT);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	assert_int_equal(pgal_photo_get(f->g, f->tok, "a", "truncated.jpg", &p, &e),
	    PGAL_ENOTFOUND);
}

/* A file system's write (SFTP): the first block tells a non-image, the
 * exact name is kept, the same bytes elsewhere are refused at once, and
 * the full ingest replaces the photo of that name in place. */
static void
test_ingest_replace(void **state)
{
	struct fx *f = *state;
	char one[PATH_MAX], two[PATH_MAX];
	pgal_ingest_info info;
	pgal_photo p, q;
	pgal_put_opts opts;
	pgal_err e;
	int fd;

	snprintf(one, sizeof one, "%s", pgal_test_fixture("orient-1.jpg"));
	snprintf(two, sizeof two, "%s", pgal_test_fixture("orient-2.jpg"));
	/* the first block */
	assert_int_equal(pgal_ingest_check_head("\xff\xd8\xff\xe0 a JPEG's first 32 bytes..", 32,
	    &e), PGAL_OK);
	assert_int_equal(pgal_ingest_check_head("plain text, surely no photo at all", 32, &e),
	    PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "not a supported image"));
	assert_int_equal(pgal_ingest_check_head("too short to tell", 17, &e), PGAL_OK);

	/* stored as x.jpg, with a title and a file time */
	memset(&opts, 0, sizeof opts);
	opts.filename = "x.jpg";
	opts.title = "kept";
	opts.mtime = 1262304000;
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", one, &opts, &p, &e), PGAL_OK);
	assert_int_equal(p.mtime, 1262304000);
	/* the check: the same bytes under x.jpg change nothing, under y.jpg
	 * they are refused naming x.jpg, other bytes under x.jpg go ahead */
	fd = open(one, O_RDONLY);
	assert_int_equal(pgal_ingest_check_as(f->g, f->tok, "a", fd, "x.jpg", 0, &info, &e),
	    PGAL_OK);
	assert_true(info.unchanged);
	assert_string_equal(info.sha256, p.sha256);
	assert_int_equal(pgal_ingest_check_as(f->g, f->tok, "a", fd, "y.jpg", 0, &info, &e),
	    PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already stored as a/x.jpg"));
	close(fd);
	fd = open(two, O_RDONLY);
	assert_int_equal(pgal_ingest_check_as(f->g, f->tok, "a", fd, "x.jpg", 0, &info, &e),
	    PGAL_OK);
	assert_false(info.unchanged);
	assert_string_equal(info.name, "x.jpg");
	close(fd);

	/* the replacement: new bytes under the same name, the title kept, the
	 * file time its own (none given: the upload time), the old blobs gone */
	memset(&opts, 0, sizeof opts);
	opts.filename = "x.jpg";
	opts.replace = 1;
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", two, &opts, &q, &e), PGAL_OK);
	assert_string_equal(q.name, "x.jpg");
	assert_string_not_equal(q.sha256, p.sha256);
	assert_int_equal(pgal_photo_get(f->g, f->tok, "a", "x.jpg", &q, &e), PGAL_OK);
	assert_string_equal(q.title, "kept");
	assert_int_equal(q.mtime, 0);
	assert_int_equal(pgal_photo_get(f->g, f->tok, "a", "x-2.jpg", &q, &e), PGAL_ENOTFOUND);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	/* the same bytes again: nothing changes */
	assert_int_equal(pgal_photo_get(f->g, f->tok, "a", "x.jpg", &p, &e), PGAL_OK);
	assert_int_equal(pgal_photo_add(f->g, f->tok, "a", two, &opts, &q, &e), PGAL_OK);
	assert_int_equal(q.id, p.id);
	assert_int_equal(pgal_test_count_files(f->cfg.blobs_dir), 3);
	/* the file time, set later */
	assert_int_equal(pgal_photo_set_mtime(f->g, f->tok, "a", "x.jpg", 1400000000, &e),
	    PGAL_OK);
	assert_int_equal(pgal_photo_get(f->g, f->tok, "a", "x.jpg", &q, &e), PGAL_OK);
	assert_int_equal(q.mtime, 1400000000);
	assert_int_equal(pgal_photo_set_mtime(f->g, f->tok, "a", "none.jpg", 1400000000, &e),
	    PGAL_ENOTFOUND);
	assert_int_equal(pgal_photo_set_mtime(f->g, f->tok, "a", "x.jpg", 0, &e), PGAL_EINPUT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_header_sizes_of_fixtures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_header_sizes_built_here, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ingest_replace, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
