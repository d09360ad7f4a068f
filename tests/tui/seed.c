/* seed: fills an album fast for the TUI tests, straight through the store
 * (no ingest): COUNT more rows copying the album's first photo, named
 * copy-NNNNN.jpg, each with its own blob id whose files (local blob
 * folder) are hard links to the first photo's, so no bytes are copied. With --raw-title T the rows get the
 * title T exactly as given, control characters and all, which the core
 * itself would never store: the TUI must still show it harmlessly.
 *
 * usage: seed USER ALBUM COUNT [--raw-title T]   (config as for pgal) */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blobs/blobs.h"

#include "config.h"
#include "store/store.h"

/* Copies a file (when a file system's link count limit is reached). */
static int
copy_file(const char *from, const char *to)
{
	char buf[65536];
	size_t n;
	FILE *in, *out;
	int rc = 0;

	if ((in = fopen(from, "rb")) == NULL)
		return -1;
	if ((out = fopen(to, "wbx")) == NULL) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			rc = -1;
	if (ferror(in))
		rc = -1;
	fclose(in);
	if (fclose(out) != 0)
		rc = -1;
	return rc;
}

/* Makes the blobs of to_id hard links to those of *from_id; when the link
 * count runs out (ext4: 65000) the files are copied once and later rows
 * link to the copy. */
static int
link_blobs(const pgal_config *cfg, char *from_id, const char *to_id)
{
	char k1[PGAL_BLOB_KEY_MAX], k2[PGAL_BLOB_KEY_MAX], p1[8192], p2[8192], *slash;
	int kind, copied = 0;

	for (kind = PGAL_BLOB_ORIG; kind <= PGAL_BLOB_PREVIEW; kind++) {
		pgal_blob_key(k1, from_id, kind);
		pgal_blob_key(k2, to_id, kind);
		snprintf(p1, sizeof p1, "%s/%s", cfg->blobs_dir, k1);
		snprintf(p2, sizeof p2, "%s/%s", cfg->blobs_dir, k2);
		if ((slash = strrchr(p2, '/')) != NULL) {
			*slash = '\0';
			mkdir(p2, 0700); /* may exist */
			*slash = '/';
		}
		if (link(p1, p2) == 0)
			continue;
		if (errno != EMLINK || copy_file(p1, p2) != 0) {
			perror(p2);
			return -1;
		}
		copied = 1;
	}
	if (copied)
		snprintf(from_id, PGAL_BLOB_ID_HEX + 1, "%s", to_id);
	return 0;
}

int
main(int argc, char **argv)
{
	const pgal_store_ops *ops;
	pgal_store *s;
	pgal_config cfg;
	pgal_user u;
	pgal_album a;
	pgal_photo tmpl, p;
	char src_id[PGAL_BLOB_ID_HEX + 1];
	const char *title = NULL;
	size_t n;
	long count, i;
	pgal_err e;

	if (argc != 4 && !(argc == 6 && strcmp(argv[4], "--raw-title") == 0)) {
		fprintf(stderr, "usage: seed USER ALBUM COUNT [--raw-title T]\n");
		return 1;
	}
	if (argc == 6)
		title = argv[5];
	count = strtol(argv[3], NULL, 10);
	if (count < 0 || count > 1000000) {
		fprintf(stderr, "seed: bad count\n");
		return 1;
	}
	if (pgal_config_load(&cfg, NULL, &e) != PGAL_OK ||
	    (ops = pgal_store_find(cfg.store)) == NULL || ops->open(&s, &cfg, PGAL_STORE_INIT, &e) != PGAL_OK ||
	    ops->user_get_by_name(s, argv[1], &u, &e) != PGAL_OK ||
	    ops->album_get(s, u.id, argv[2], &a, &e) != PGAL_OK ||
	    ops->photo_list(s, a.id, PGAL_SORT_ADDED, NULL, 1, &tmpl, &n, &e) != PGAL_OK) {
		fprintf(stderr, "seed: %s\n", e.msg);
		return 1;
	}
	if (n != 1) {
		fprintf(stderr, "seed: the album needs one photo to copy\n");
		return 1;
	}
	snprintf(src_id, sizeof src_id, "%s", tmpl.blob_id);
	for (i = 0; i < count; i++) {
		p = tmpl;
		p.id = 0;
		snprintf(p.blob_id, sizeof p.blob_id, "5eed%028lx", (unsigned long)i);
		if (link_blobs(&cfg, src_id, p.blob_id) != 0) {
			ops->close(s);
			return 1;
		}
		snprintf(p.name, sizeof p.name, "copy-%05ld.jpg", i + 1);
		if (title != NULL)
			snprintf(p.title, sizeof p.title, "%s", title);
		else
			snprintf(p.title, sizeof p.title, "copy %ld", i + 1);
		/* distinct, increasing sort keys so every order is defined */
		p.sort_taken = tmpl.sort_taken + i + 1;
		p.added_at = tmpl.added_at + i + 1;
		if (ops->photo_insert(s, &p, &e) != PGAL_OK) {
			fprintf(stderr, "seed: row %ld: %s\n", i + 1, e.msg);
			ops->close(s);
			return 1;
		}
	}
	ops->close(s);
	return 0;
}
