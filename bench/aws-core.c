/* The AWS benchmark's driver (bench/aws.sh): the S3 blob backend's upload and
 * the metadata stores' hot operations, through the same vtables the gallery
 * uses, configured like pgal itself (PGAL_* and AWS_* variables).
 *   aws-core s3put FILE [SHA256]
 *                              one upload of FILE to a fresh key; exit 0 when
 *                              stored. With SHA256 (the file's, as ingest
 *                              has it from its duplicate check) through
 *                              put_fd_sha256, which sends it instead of
 *                              reading the file twice; without, put_fd
 *   aws-core meta N PAGES      on the store PGAL_STORE names: a throwaway user
 *                              and album, N photo rows inserted one by one,
 *                              then PAGES album pages of 100 read (walking
 *                              the album, newest taken first, then again);
 *                              prints "INSERTS_PER_S PAGES_PER_S" */
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "blobs/blobs.h"
#include "config.h"
#include "crypto.h"
#include "store/store.h"
#include "timing.h"

#define PAGE 100

static int
die(const char *what, const pgal_err *e)
{
	fprintf(stderr, "aws-core: %s: %s\n", what, e->msg);
	return 1;
}

static int
s3put(const pgal_config *cfg, const char *file, const char *sha256)
{
	const pgal_blobs_ops *ops = pgal_blobs_find("s3");
	pgal_blobs *b;
	char id[PGAL_BLOB_ID_HEX + 1], key[PGAL_BLOB_KEY_MAX];
	pgal_err e;
	int fd, rc;

	pgal_err_clear(&e);
	if ((fd = open(file, O_RDONLY)) == -1) {
		perror(file);
		return 1;
	}
	if (pgal_random_hex(id, PGAL_BLOB_ID_HEX / 2, &e) != PGAL_OK)
		return die("random", &e);
	pgal_blob_key(key, id, PGAL_BLOB_ORIG);
	if (ops->open(&b, cfg, &e) != PGAL_OK)
		return die("open s3", &e);
	rc = sha256 != NULL ? ops->put_fd_sha256(b, key, fd, sha256, &e) :
	    ops->put_fd(b, key, fd, &e);
	close(fd);
	if (rc != PGAL_OK) {
		ops->close(b);
		return die("put", &e);
	}
	/* the key goes to stdout so the script can check what arrived */
	printf("%s\n", key);
	ops->close(b);
	return 0;
}

static void
fake_photo(pgal_photo *p, const pgal_album *a, int i, int64_t t0)
{
	pgal_err e;

	memset(p, 0, sizeof *p);
	p->album_id = a->id;
	p->user_id = a->user_id;
	snprintf(p->album, sizeof p->album, "%s", a->name);
	snprintf(p->name, sizeof p->name, "IMG_%06d.jpg", i);
	snprintf(p->title, sizeof p->title, "photo %d", i);
	snprintf(p->mime, sizeof p->mime, "image/jpeg");
	p->width = 6000;
	p->height = 4000;
	p->bytes = 10000000 + i;
	pgal_random_hex(p->sha256, PGAL_SHA256_HEX / 2, &e);
	pgal_random_hex(p->blob_id, PGAL_BLOB_ID_HEX / 2, &e);
	p->added_at = t0 + i;
	p->exif.taken_at = t0 - 86400 + (int64_t)(i * 7919 % 86400);
	p->sort_taken = p->exif.taken_at;
	snprintf(p->exif.make, sizeof p->exif.make, "NIKON CORPORATION");
	snprintf(p->exif.model, sizeof p->exif.model, "NIKON D2H");
	p->exif.iso = 200;
	p->exif.f_number = 5.6;
	p->exif.focal_length = 50;
	p->exif.orientation = 1;
	p->exif.gps.alt = NAN;
}

static int
meta(const pgal_config *cfg, int n, int pages)
{
	const pgal_store_ops *ops = pgal_store_find(cfg->store);
	pgal_store *s;
	pgal_user u;
	pgal_album a;
	pgal_photo p, *page;
	pgal_cursor cur;
	pgal_err e;
	char suffix[9];
	int64_t t0 = (int64_t)time(NULL);
	double start, ins_ms, list_ms;
	size_t got;
	int i, rc = 0;

	pgal_err_clear(&e);
	if (ops == NULL) {
		fprintf(stderr, "aws-core: no store '%s'\n", cfg->store);
		return 1;
	}
	if (ops->open(&s, cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
		return die(cfg->store, &e);
	if ((page = calloc(PAGE, sizeof *page)) == NULL)
		return 1;
	memset(&u, 0, sizeof u);
	pgal_random_hex(suffix, 4, &e);
	snprintf(u.name, sizeof u.name, "bench%s", suffix);
	snprintf(u.email, sizeof u.email, "%s@example.org", u.name);
	snprintf(u.pwhash, sizeof u.pwhash, "x");
	u.confirmed = 1;
	u.created_at = t0;
	if (ops->user_create(s, &u, &e) != PGAL_OK) {
		rc = die("user_create", &e);
		goto out;
	}
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "bench");
	a.created_at = a.updated_at = t0;
	if (ops->album_create(s, &a, &e) != PGAL_OK) {
		rc = die("album_create", &e);
		goto out;
	}
	start = bench_now_ms();
	for (i = 0; i < n; i++) {
		fake_photo(&p, &a, i, t0);
		if (ops->photo_insert(s, &p, &e) != PGAL_OK) {
			rc = die("photo_insert", &e);
			goto out;
		}
	}
	ins_ms = bench_now_ms() - start;
	memset(&cur, 0, sizeof cur);
	start = bench_now_ms();
	for (i = 0; i < pages; i++) {
		if (ops->photo_list(s, a.id, PGAL_SORT_TAKEN, &cur, PAGE, page, &got,
		    &e) != PGAL_OK) {
			rc = die("photo_list", &e);
			goto out;
		}
		if (got == 0 && cur.valid) {
			/* walked past the end: from the top again, not counted */
			memset(&cur, 0, sizeof cur);
			i--;
			continue;
		}
		if (got == 0 || (i == 0 && got != (size_t)(n < PAGE ? n : PAGE))) {
			fprintf(stderr, "aws-core: page %d has %zu rows\n", i, got);
			rc = 1;
			goto out;
		}
		/* the next page after the last row, or the album again */
		if (got == PAGE) {
			cur.valid = 1;
			cur.id = page[got - 1].id;
			cur.num = page[got - 1].sort_taken;
		} else
			memset(&cur, 0, sizeof cur);
	}
	list_ms = bench_now_ms() - start;
	printf("%.1f %.1f\n", n * 1e3 / ins_ms, pages * 1e3 / list_ms);
out:
	if (u.id != 0)
		ops->user_delete(s, u.id, NULL);
	free(page);
	ops->close(s);
	return rc;
}

int
main(int argc, char **argv)
{
	pgal_config cfg;
	pgal_err e;

	pgal_err_clear(&e);
	if (pgal_config_load(&cfg, NULL, &e) != PGAL_OK)
		return die("config", &e);
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "s3put") == 0)
		return s3put(&cfg, argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 4 && strcmp(argv[1], "meta") == 0)
		return meta(&cfg, atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: aws-core s3put FILE [SHA256] | meta N PAGES\n");
	return 1;
}
