/* The ingest pipeline's core without the gallery around it, for the benchmark
 * until (and beside) `pgal put`: open, detect the type, SHA-256 of the file,
 * pgal_image_process, then store original, preview and thumbnail as files
 * the way the local blob store does (temp file, fsync, rename).
 * usage: ingest-core FILE OUTDIR [PREVIEW_PX THUMB_PX] */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "image/image.h"

static int
put(const char *dir, const char *name, const void *data, size_t len)
{
	char tmp[4096], dst[4096];
	const unsigned char *p = data;
	ssize_t w;
	int fd;

	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	snprintf(dst, sizeof dst, "%s/%s", dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			close(fd);
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) == -1 || close(fd) == -1)
		return -1;
	return rename(tmp, dst);
}

/* The original is streamed from the open file, as the blob store does. */
static int
put_fd(const char *dir, const char *name, int fd)
{
	static unsigned char buf[128 * 1024];
	char tmp[4096], dst[4096];
	off_t off = 0;
	ssize_t r, w, done;
	int out;

	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	snprintf(dst, sizeof dst, "%s/%s", dir, name);
	if ((out = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1)
		return -1;
	for (;;) {
		if ((r = pread(fd, buf, sizeof buf, off)) == -1) {
			if (errno == EINTR)
				continue;
			close(out);
			return -1;
		}
		if (r == 0)
			break;
		for (done = 0; done < r; done += w) {
			if ((w = write(out, buf + done, r - done)) == -1) {
				if (errno == EINTR) {
					w = 0;
					continue;
				}
				close(out);
				return -1;
			}
		}
		off += r;
	}
	if (fsync(out) == -1 || close(out) == -1)
		return -1;
	return rename(tmp, dst);
}

int
main(int argc, char **argv)
{
	unsigned char head[PGAL_IMG_HEAD];
	char sha[65];
	pgal_image_result r;
	pgal_img_type t;
	pgal_err e;
	ssize_t n;
	int fd, preview = 1600, thumb = 256;

	if (argc != 3 && argc != 5) {
		fprintf(stderr, "usage: ingest-core FILE OUTDIR [PREVIEW THUMB]\n");
		return 1;
	}
	if (argc == 5) {
		preview = atoi(argv[3]);
		thumb = atoi(argv[4]);
	}
	pgal_err_clear(&e);
	if ((fd = open(argv[1], O_RDONLY)) == -1) {
		perror(argv[1]);
		return 2;
	}
	if ((n = read(fd, head, sizeof head)) < 0) {
		perror(argv[1]);
		return 2;
	}
	t = pgal_image_detect(head, (size_t)n);
	if (t == PGAL_IMG_UNKNOWN || !pgal_image_type_supported(t)) {
		fprintf(stderr, "%s: not a supported image\n", argv[1]);
		return 5;
	}
	if (pgal_sha256_fd(fd, sha, &e) != PGAL_OK ||
	    pgal_image_init(&e) != PGAL_OK ||
	    pgal_image_process(argv[1], t, 100000000, thumb, preview, &r,
	    &e) != PGAL_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], e.msg);
		return e.code;
	}
	if (put_fd(argv[2], sha, fd) == -1 ||
	    put(argv[2], "preview.jpg", r.preview.data, r.preview.len) == -1 ||
	    put(argv[2], "thumb.jpg", r.thumb.data, r.thumb.len) == -1) {
		perror(argv[2]);
		pgal_image_result_free(&r);
		return 4;
	}
	printf("%s %s %dx%d preview %dx%d thumb %dx%d\n", sha,
	    pgal_image_mime(t), r.width, r.height, r.preview.width,
	    r.preview.height, r.thumb.width, r.thumb.height);
	pgal_image_result_free(&r);
	close(fd);
	return 0;
}
