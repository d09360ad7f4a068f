/* The one lookup behind the three registries (store/store.c,
 * blobs/blobs.c, mail/mail.c): which table of a family a config name
 * ("sqlite", "s3", "outbox") chooses. Only the registries call it; the rest
 * of the tree reaches a backend through its table. */
#ifndef PGAL_BACKEND_FIND_H
#define PGAL_BACKEND_FIND_H

#include <stddef.h>

/* The entry of tables[0..n-1] whose name is name, or NULL (also for a
 * NULL name). Every entry is an ops table whose first member is its
 * `const char *name`. */
const void *pgal_backend_find(const void *const *tables, size_t n, const char *name);

#endif
