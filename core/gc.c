/* Garbage collection of blobs no row points at: what a crash or a failed
 * delete leaves behind. Young orphans are kept, since an ingest in another
 * process writes its blobs before its row. First the accounts that never
 * confirmed and the expired marks go (limits/signup.c). */
#include <string.h>

#include "gallery-int.h"
#include "limits/signup.h"

struct gc_walk {
	pgal *g;
	int64_t cutoff;
	pgal_gc_stats *st;
	pgal_err *e;
	int rc;
};

static int
gc_visit(void *arg, const char *key, int64_t mtime, int64_t bytes)
{
	struct gc_walk *w = arg;
	char id[PGAL_BLOB_ID_HEX + 1];
	int used = 1;

	w->st->scanned++;
	if (!pgal_blob_key_id(key, id))
		return 0; /* not ours: leave it */
	if ((w->rc = w->g->store->ops->blob_id_used(w->g->store, id, &used, w->e)) != PGAL_OK)
		return 1;
	if (used)
		return 0;
	if (mtime > w->cutoff) {
		w->st->kept_young++;
		return 0;
	}
	if ((w->rc = w->g->blobs->ops->del(w->g->blobs, key, w->e)) != PGAL_OK)
		return 1;
	w->st->removed++;
	w->st->bytes_removed += bytes;
	return 0;
}

int
pgal_gc(pgal *g, int64_t min_age, pgal_gc_stats *st, pgal_err *e)
{
	pgal_gc_stats local;
	struct gc_walk w;
	int rc;

	if (st == NULL)
		st = &local;
	memset(st, 0, sizeof *st);
	if (min_age < 0)
		return pgal_fail(e, PGAL_EUSAGE, "min age must not be negative");
	if ((rc = pgal_signup_gc(g, &st->unconfirmed_removed, &st->marks_removed, e)) != PGAL_OK)
		return rc;
	w.g = g;
	w.cutoff = pgal_now(g) - min_age;
	w.st = st;
	w.e = e;
	w.rc = PGAL_OK;
	rc = g->blobs->ops->list(g->blobs, gc_visit, &w, e);
	if (w.rc != PGAL_OK)
		return w.rc;
	if (rc == PGAL_OK && g->blobs->ops->sweep_partial != NULL) {
		int64_t partial = 0;
		rc = g->blobs->ops->sweep_partial(g->blobs, w.cutoff, &partial, e);
		st->removed_partial = partial;
	}
	return rc;
}
