/* SQLite store: albums. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite/sqlite-int.h"

/* ---- albums ---- */

static void
album_read(sqlite3_stmt *st, void *row)
{
	pgal_album *a = row;

	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->user_id = sqlite3_column_int64(st, 1);
	COL_FIELD(st, 2, a->name);
	COL_FIELD(st, 3, a->title);
	COL_FIELD(st, 4, a->description);
	a->created_at = sqlite3_column_int64(st, 5);
	a->updated_at = sqlite3_column_int64(st, 6);
	a->photo_count = sqlite3_column_int64(st, 7);
	a->bytes = sqlite3_column_int64(st, 8);
}

static void
album_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "album '%.*s'", PGAL_ALBUM_MAX, name);
}

int
sq_album_create(pgal_store *s, pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_INSERT);
	char thing[PGAL_ALBUM_MAX + 16];
	int rc;

	bind_i64(st, 1, a->user_id);
	BIND_FIELD(st, 2, a->name);
	BIND_FIELD(st, 3, a->title);
	BIND_FIELD(st, 4, a->description);
	bind_i64(st, 5, a->created_at);
	bind_i64(st, 6, a->updated_at);
	album_thing(thing, sizeof thing, a->name);
	if ((rc = sq_exec(q, st, e, thing, "user")) != PGAL_OK)
		return rc;
	a->id = sqlite3_last_insert_rowid(q->db);
	a->photo_count = 0;
	a->bytes = 0;
	return PGAL_OK;
}

int
sq_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_GET);
	char what[PGAL_ALBUM_MAX + 32];

	bind_i64(st, 1, user_id);
	bind_text(st, 2, name, PGAL_ALBUM_MAX + 1);
	snprintf(what, sizeof what, "no such album '%.*s'", PGAL_ALBUM_MAX, name);
	return sq_get_one(q, st, e, what, album_read, a);
}

int
sq_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_LIST);

	bind_i64(st, 1, user_id);
	return sq_collect(q, st, sizeof **out, album_read, (void **)out, n, e);
}

int
sq_album_update(pgal_store *s, const pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_UPDATE);
	char thing[PGAL_ALBUM_MAX + 16];

	bind_i64(st, 1, a->id);
	BIND_FIELD(st, 2, a->name);
	BIND_FIELD(st, 3, a->title);
	BIND_FIELD(st, 4, a->description);
	bind_i64(st, 5, a->updated_at);
	album_thing(thing, sizeof thing, a->name);
	return sq_change_one(q, st, e, thing, NULL, "no such album");
}

int
sq_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_DELETE);

	bind_i64(st, 1, album_id);
	return sq_change_one(q, st, e, NULL, NULL, "no such album");
}
