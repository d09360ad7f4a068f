/* The local files a person means by "add this": a file as given, a
 * folder as the image files below it. The CLI's put and the TUI's add
 * screen pick files the same way through this. */
#ifndef PGAL_PHOTO_FILES_H
#define PGAL_PHOTO_FILES_H

#include <stddef.h>

#include "err.h"

#define PGAL_FILES_MAX 10000 /* files of one list */
#define PGAL_FILES_DEPTH 4   /* folder levels below the one given */

typedef struct pgal_file_list {
	char **v; /* malloc'd paths */
	size_t n, cap;
	/* set before adding: a folder gives every regular file below it, not
	 * only the image names (an import reports what it passes over) */
	int all_files;
} pgal_file_list;

/* 1 if the name ends in an image extension (jpg, png, webp, gif, tiff,
 * heic, any case): what a folder walk picks. */
int pgal_is_image_name(const char *name);

/* Adds path itself if it is a file; if a folder, the files below it with
 * an image name (jpg, png, webp, gif, tiff, heic), in name order, hidden
 * ones and symbolic links left out, PGAL_FILES_DEPTH levels deep.
 * PGAL_ENOTFOUND if path does not exist, PGAL_EINPUT past PGAL_FILES_MAX. */
int pgal_file_list_add(pgal_file_list *l, const char *path, pgal_err *e);
void pgal_file_list_free(pgal_file_list *l);

#endif
