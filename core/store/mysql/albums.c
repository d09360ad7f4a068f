/* MySQL store: albums. Their photo_count and bytes move with their
 * photos (photos.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/mysql/mysql-int.h"
#include "validate.h"

/* ---- albums ---- */

static void
album_cols(struct my_cols *c, void *row)
{
	pgal_album *a = row;

	memset(a, 0, sizeof *a);
	col_i64(c, &a->id);
	col_i64(c, &a->user_id);
	COL_FIELD(c, a->name);
	COL_FIELD(c, a->title);
	COL_FIELD(c, a->description);
	col_i64(c, &a->created_at);
	col_i64(c, &a->updated_at);
	col_i64(c, &a->photo_count);
	col_i64(c, &a->bytes);
}

static void
album_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "album '%.*s'", PGAL_ALBUM_MAX, name);
}

int
my_album_create(struct my *q, pgal_album *a, pgal_err *e)
{
	struct my_args args;
	char thing[PGAL_ALBUM_MAX + 16];
	int rc;

	my_args_init(&args);
	arg_i64(&args, a->user_id);
	ARG_FIELD(&args, a->name);
	ARG_FIELD(&args, a->title);
	ARG_FIELD(&args, a->description);
	arg_i64(&args, a->created_at);
	arg_i64(&args, a->updated_at);
	album_thing(thing, sizeof thing, a->name);
	if ((rc = my_exec(q, MS_ALBUM_INSERT, &args, e, thing, "user")) != PGAL_OK)
		return rc;
	a->id = (pgal_id)my_insert_id(q, MS_ALBUM_INSERT);
	a->photo_count = 0;
	a->bytes = 0;
	return PGAL_OK;
}

int
my_album_get(struct my *q, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	struct my_args args;
	struct my_cols c;
	pgal_album tmp;
	char what[PGAL_ALBUM_MAX + 32];
	int rc;

	my_args_init(&args);
	arg_i64(&args, user_id);
	arg_text(&args, name, PGAL_ALBUM_MAX + 1);
	snprintf(what, sizeof what, "no such album '%.*s'", PGAL_ALBUM_MAX, name);
	my_cols_init(&c);
	album_cols(&c, &tmp);
	if ((rc = my_get_row(q, MS_ALBUM_GET, &args, &c, e, what)) != PGAL_OK)
		return rc;
	*a = tmp;
	return PGAL_OK;
}

int
my_album_list(struct my *q, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	struct my_args args;

	my_args_init(&args);
	arg_i64(&args, user_id);
	return my_collect(q, MS_ALBUM_LIST, &args, sizeof **out, album_cols, (void **)out, n, e);
}

int
my_album_update(struct my *q, const pgal_album *a, pgal_err *e)
{
	struct my_args args;
	char thing[PGAL_ALBUM_MAX + 16];

	my_args_init(&args);
	ARG_FIELD(&args, a->name);
	ARG_FIELD(&args, a->title);
	ARG_FIELD(&args, a->description);
	arg_i64(&args, a->updated_at);
	arg_i64(&args, a->id);
	album_thing(thing, sizeof thing, a->name);
	return my_change_one(q, MS_ALBUM_UPDATE, &args, e, thing, NULL, "no such album");
}

/* One statement: InnoDB removes the album with all its photos and tags, or
 * (interrupted, e.g. the server killed) nothing. */
int
my_album_delete(struct my *q, pgal_id album_id, pgal_err *e)
{
	struct my_args args;

	my_args_init(&args);
	arg_i64(&args, album_id);
	return my_change_one(q, MS_ALBUM_DELETE, &args, e, NULL, NULL, "no such album");
}
