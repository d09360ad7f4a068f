/* SQLite store: uploads still being stored by some process (store.h). */
#include "store/sqlite/sqlite-int.h"

int
sq_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_UPLOAD_PUT);

	bind_i64(st, 1, user_id);
	BIND_FIELD(st, 2, u->album);
	BIND_FIELD(st, 3, u->name);
	BIND_FIELD(st, 4, u->holder);
	bind_i64(st, 5, u->bytes);
	bind_i64(st, 6, u->queued_at);
	bind_i64(st, 7, u->mtime);
	BIND_FIELD(st, 8, u->sha256);
	bind_i64(st, 9, u->until);
	return sq_exec(q, st, e, NULL, NULL);
}

int
sq_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_UPLOAD_TOUCH);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, holder, PGAL_UPLOAD_HOLDER_MAX + 1);
	bind_i64(st, 3, until);
	return sq_exec(q, st, e, NULL, NULL);
}

int
sq_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_UPLOAD_DELETE);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, album, PGAL_ALBUM_MAX + 1);
	bind_text(st, 3, name, PGAL_PHOTO_NAME_MAX + 1);
	bind_text(st, 4, holder, PGAL_UPLOAD_HOLDER_MAX + 1);
	bind_i64(st, 5, now);
	return sq_exec(q, st, e, NULL, NULL);
}

static void
read_upload(sqlite3_stmt *st, void *row)
{
	pgal_upload *u = row;

	COL_FIELD(st, 0, u->album);
	COL_FIELD(st, 1, u->name);
	COL_FIELD(st, 2, u->holder);
	u->bytes = sqlite3_column_int64(st, 3);
	u->queued_at = sqlite3_column_int64(st, 4);
	u->mtime = sqlite3_column_int64(st, 5);
	COL_FIELD(st, 6, u->sha256);
	u->until = sqlite3_column_int64(st, 7);
}

int
sq_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_UPLOAD_LIST);
	void *v;
	int rc;

	bind_i64(st, 1, user_id);
	if (album != NULL)
		bind_text(st, 2, album, PGAL_ALBUM_MAX + 1);
	bind_i64(st, 3, now);
	rc = sq_collect(q, st, sizeof **out, read_upload, &v, n, e);
	*out = v;
	return rc;
}
