/* Syntax checks of names the user chooses. Each returns PGAL_OK or PGAL_EINPUT
 * with a message that says what is allowed. */
#ifndef PGAL_VALIDATE_H
#define PGAL_VALIDATE_H

#include <stddef.h>

#include "err.h"
#include "records.h"

int pgal_valid_username(const char *s, pgal_err *e); /* [a-z][a-z0-9_-]{1,31} */
int pgal_valid_email(const char *s, pgal_err *e);
int pgal_valid_album_name(const char *s, pgal_err *e); /* [A-Za-z0-9][A-Za-z0-9._ -]{0,63} */
/* title/description: sanitized copies must equal the input and fit the bounds */
int pgal_valid_title(const char *s, pgal_err *e);
int pgal_valid_description(const char *s, pgal_err *e);

/* Turns an uploaded file name into a photo name: base name only, sanitized,
 * '/' and '\\' and leading dots removed, spaces kept, at most
 * PGAL_PHOTO_NAME_MAX - 8 bytes (room for "-NNNNNN"); "photo" if nothing is left. */
void pgal_photo_name_from_file(const char *filename, char out[PGAL_PHOTO_NAME_MAX + 1]);
/* The n-th alternative of a name: n=1 is the name, n=2 "a-2.jpg", ... */
void pgal_photo_name_variant(const char *name, int n, char out[PGAL_PHOTO_NAME_MAX + 1]);
/* A photo name given by a user on a command line: must be one a pgal_photo_name_from_file
 * could have produced (no '/', no control characters, not "." or ".."). */
int pgal_valid_photo_name(const char *s, pgal_err *e);

/* Normalizes a comma-separated tag list: trimmed, lower case, sanitized, each
 * 1..PGAL_TAG_MAX bytes with no ',', duplicates removed, sorted, joined by ','.
 * Empty input gives "". PGAL_EINPUT if a tag or the total is too long. */
int pgal_tags_normalize(const char *in, char out[PGAL_TAGS_MAX + 1], pgal_err *e);
/* The tags of such a list one by one, from *p up to end: 1 with the next
 * tag in *tag (len bytes, no NUL) and *p moved past it, 0 when none is
 * left. Empty entries are passed over. */
int pgal_tags_next(const char **p, const char *end, const char **tag, size_t *len);

/* Lower-cases A-Z in place and leaves every other byte (UTF-8 included)
 * as it is: the one case fold of tags, profile keys, and of DynamoDB's
 * search text and the words looked up in it, which must fold alike. */
void pgal_ascii_lower(char *s);

#endif
