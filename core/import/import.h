/* Where `pgal import` reads photos from: a source lists what it holds
 * and fetches one item at a time into a local file. One engine
 * (core/cmd/import.c) drives every source, so an S3 prefix and a local
 * folder tree are imported, judged and reported the same way. */
#ifndef PGAL_IMPORT_H
#define PGAL_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"

/* Items of one import at most (a listing beyond it is refused). */
#define PGAL_IMPORT_MAX 10000

typedef struct pgal_import_item {
	char *path;	  /* malloc'd, below the source's root, '/'-separated,
			   * as the source has it (hostile: any bytes but NUL) */
	int64_t bytes;	  /* -1 when unknown */
	int unreadable;	  /* the source could not read the whole name */
} pgal_import_item;

typedef struct pgal_import_list {
	pgal_import_item *v;
	size_t n, cap;
} pgal_import_list;

/* Adds a copy of path; PGAL_EINPUT past PGAL_IMPORT_MAX. */
int pgal_import_list_add(pgal_import_list *l, const char *path, int64_t bytes, int unreadable,
			 pgal_err *e);
void pgal_import_list_free(pgal_import_list *l);

typedef struct pgal_import_source pgal_import_source;

typedef struct pgal_import_source_ops {
	/* every item below the root, in name order */
	int (*list)(pgal_import_source *s, pgal_import_list *out, pgal_err *e);
	/* the item's bytes in a local file, its path into path (size bytes);
	 * valid until the next fetch */
	int (*fetch)(pgal_import_source *s, const pgal_import_item *it, char *path, size_t size,
		     pgal_err *e);
	void (*close)(pgal_import_source *s);
} pgal_import_source_ops;

struct pgal_import_source {
	const pgal_import_source_ops *ops;
	/* the root's own name (a folder's base name, the prefix's last part
	 * or the bucket): the album of items directly below the root */
	char root_name[256];
	/* how the source is shown: "s3://b/p/", "pics" (sanitized) */
	char shown[256];
};

/* "s3://BUCKET[/PREFIX]": the objects under the prefix, read with the
 * blobs' AWS settings (credentials, region, endpoint, s3_path_style),
 * each fetch bounded by max_upload_bytes; anything else: a local folder. */
int pgal_import_source_open(pgal_import_source **s, const pgal_config *cfg, const char *where,
			    pgal_err *e);

/* The two kinds (core/import/source-*.c). */
int pgal_import_s3_open(pgal_import_source **s, const pgal_config *cfg, const char *url,
			pgal_err *e);
int pgal_import_dir_open(pgal_import_source **s, const char *dir, pgal_err *e);

#endif
