/* MySQL store: uploads still being stored by some process (store.h). */
#include <stdint.h>

#include "store/mysql/mysql-int.h"

int
my_upload_put(struct my *q, pgal_id user_id, const pgal_upload *u, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	ARG_FIELD(&a, u->album);
	ARG_FIELD(&a, u->name);
	ARG_FIELD(&a, u->holder);
	arg_i64(&a, u->bytes);
	arg_i64(&a, u->queued_at);
	arg_i64(&a, u->mtime);
	ARG_FIELD(&a, u->sha256);
	arg_i64(&a, u->until);
	return my_exec(q, MS_UPLOAD_PUT, &a, e, NULL, NULL);
}

int
my_upload_touch(struct my *q, pgal_id user_id, const char *holder, int64_t until, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, until);
	arg_i64(&a, user_id);
	arg_text(&a, holder, PGAL_UPLOAD_HOLDER_MAX + 1);
	return my_exec(q, MS_UPLOAD_TOUCH, &a, e, NULL, NULL);
}

int
my_upload_delete(struct my *q, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	arg_text(&a, album, PGAL_ALBUM_MAX + 1);
	arg_text(&a, name, PGAL_PHOTO_NAME_MAX + 1);
	arg_text(&a, holder, PGAL_UPLOAD_HOLDER_MAX + 1);
	arg_i64(&a, now);
	return my_exec(q, MS_UPLOAD_DELETE, &a, e, NULL, NULL);
}

static void
upload_cols(struct my_cols *c, void *row)
{
	pgal_upload *u = row;

	COL_FIELD(c, u->album);
	COL_FIELD(c, u->name);
	COL_FIELD(c, u->holder);
	col_i64(c, &u->bytes);
	col_i64(c, &u->queued_at);
	col_i64(c, &u->mtime);
	COL_FIELD(c, u->sha256);
	col_i64(c, &u->until);
}

int
my_upload_list(struct my *q, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e)
{
	struct my_args a;
	int i;

	my_args_init(&a);
	arg_i64(&a, user_id);
	for (i = 0; i < 2; i++) {
		if (album != NULL)
			arg_text(&a, album, PGAL_ALBUM_MAX + 1);
		else
			arg_null(&a);
	}
	arg_i64(&a, now);
	return my_collect(q, MS_UPLOAD_LIST, &a, sizeof **out, upload_cols, (void **)out, n, e);
}
