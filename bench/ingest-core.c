/* The ingest pipeline's core without the gallery around it, for the benchmark
 * until (and beside) `pgal put`: open, detect the type, SHA-256 of the file,
 * pgal_image_process, then store original, preview and thumbnail as files
 * with the local blob store's own write (temp file, fsync, rename, fsync of
 * the folder: core/fsutil.h).
 * usage: ingest-core FILE OUTDIR [PREVIEW_PX THUMB_PX] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto.h"
#include "fsutil.h"
#include "image/image.h"

/* Stores data (or, with fd >= 0, the open file from its start) as
 * DIR/NAME through the local blob store's own atomic write. */
static int
put(const char *dir, const char *name, int fd, const void *data, size_t len)
{
	pgal_err e;
	int dfd, rc;

	if ((fd >= 0 && lseek(fd, 0, SEEK_SET) == -1) ||
	    (dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		perror(dir);
		return -1;
	}
	pgal_err_clear(&e);
	rc = pgal_fs_write_atomic(dfd, name, fd, data, len, name, &e);
	close(dfd);
	if (rc != PGAL_OK) {
		fprintf(stderr, "ingest-core: %s\n", e.msg);
		return -1;
	}
	return 0;
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
	if (put(argv[2], sha, fd, NULL, 0) == -1 ||
	    put(argv[2], "preview.jpg", -1, r.preview.data, r.preview.len) == -1 ||
	    put(argv[2], "thumb.jpg", -1, r.thumb.data, r.thumb.len) == -1) {
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
