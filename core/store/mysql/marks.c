/* MySQL store: marks (named moments shared by every host, store.h) and
 * the unconfirmed accounts gc removes. */
#include <stdint.h>
#include <stdlib.h>

#include "store/mysql/mysql-int.h"

static void
id_cols(struct my_cols *c, void *row)
{
	col_i64(c, row);
}

int
my_user_ids_unconfirmed(struct my *q, int64_t before, pgal_id **ids, size_t *n, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, before);
	return my_collect(q, MS_USERS_UNCONFIRMED, &a, sizeof **ids, id_cols, (void **)ids, n, e);
}

static int
read_until(struct my *q, int id, struct my_args *a, int64_t *until, pgal_err *e)
{
	struct my_cols c;
	int64_t v;
	int rc;

	my_cols_init(&c);
	col_i64(&c, &v);
	if ((rc = my_get_row(q, id, a, &c, e, "no such mark")) != PGAL_OK)
		return rc;
	*until = v;
	return PGAL_OK;
}

int
my_mark_get(struct my *q, const char *name, int64_t now, int64_t *until, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	arg_i64(&a, now);
	return read_until(q, MS_MARK_GET, &a, until, e);
}

/* The upsert locks the row until commit, so the read gives this call's
 * own result whatever other hosts do meanwhile. */
int
my_mark_add(struct my *q, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e)
{
	struct my_args a;
	int rc;

	if ((rc = my_begin(q, e)) != PGAL_OK)
		return rc;
	my_args_init(&a);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	arg_i64(&a, now);
	arg_i64(&a, step);
	arg_i64(&a, now);
	arg_i64(&a, step);
	if ((rc = my_exec(q, MS_MARK_ADD, &a, e, NULL, NULL)) != PGAL_OK)
		goto fail;
	my_args_init(&a);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	if ((rc = read_until(q, MS_MARK_READ, &a, until, e)) != PGAL_OK ||
	    (rc = my_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	my_rollback(q);
	return rc;
}

/* A new mark, or an expired one taken over: each is one atomic statement
 * whose row count says whether this call won. */
int
my_mark_claim(struct my *q, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e)
{
	struct my_args a;
	int rc;

	my_args_init(&a);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	arg_i64(&a, until);
	if ((rc = my_exec(q, MS_MARK_INSERT, &a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	if ((*claimed = my_changes(q, MS_MARK_INSERT) > 0))
		return PGAL_OK;
	my_args_init(&a);
	arg_i64(&a, until);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	arg_i64(&a, now);
	if ((rc = my_exec(q, MS_MARK_TAKE, &a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	*claimed = my_changes(q, MS_MARK_TAKE) > 0;
	return PGAL_OK;
}

int
my_mark_delete(struct my *q, const char *name, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_text(&a, name, PGAL_MARK_NAME_MAX + 1);
	return my_exec(q, MS_MARK_DELETE, &a, e, NULL, NULL);
}

int
my_mark_prune(struct my *q, int64_t now, int64_t *removed, pgal_err *e)
{
	struct my_args a;
	int rc;

	my_args_init(&a);
	arg_i64(&a, now);
	if ((rc = my_exec(q, MS_MARK_PRUNE, &a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	if (removed != NULL)
		*removed = (int64_t)my_changes(q, MS_MARK_PRUNE);
	return PGAL_OK;
}
