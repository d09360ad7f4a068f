/* SQLite store: marks (named moments shared by every process, store.h)
 * and the unconfirmed accounts gc removes. */
#include <stdlib.h>

#include "store/sqlite/sqlite-int.h"

static void
read_id(sqlite3_stmt *st, void *row)
{
	*(pgal_id *)row = (pgal_id)sqlite3_column_int64(st, 0);
}

int
sq_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USERS_UNCONFIRMED);
	void *v;
	int rc;

	bind_i64(st, 1, before);
	rc = sq_collect(q, st, sizeof **ids, read_id, &v, n, e);
	*ids = v;
	return rc;
}

int
sq_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_MARK_GET);
	int rc;

	bind_text(st, 1, name, PGAL_MARK_NAME_MAX + 1);
	bind_i64(st, 2, now);
	if ((rc = sq_get_row(q, st, e, "no such mark")) != PGAL_OK)
		return rc;
	*until = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return PGAL_OK;
}

int
sq_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_MARK_ADD);
	int rc;

	bind_text(st, 1, name, PGAL_MARK_NAME_MAX + 1);
	bind_i64(st, 2, now);
	bind_i64(st, 3, step);
	if ((rc = sq_get_row(q, st, e, "mark not written")) != PGAL_OK)
		return rc == PGAL_ENOTFOUND ? pgal_fail(e, PGAL_EBACKEND, "sqlite: mark not written")
		    : rc;
	*until = sqlite3_column_int64(st, 0);
	/* RETURNING: the change is done once the statement has run to its end */
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? PGAL_OK : sq_fail(q, rc, e, NULL, NULL);
}

int
sq_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_MARK_CLAIM);
	int rc;

	bind_text(st, 1, name, PGAL_MARK_NAME_MAX + 1);
	bind_i64(st, 2, now);
	bind_i64(st, 3, until);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK)
		return rc;
	*claimed = sqlite3_changes(q->db) > 0;
	return PGAL_OK;
}

int
sq_mark_delete(pgal_store *s, const char *name, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_MARK_DELETE);

	bind_text(st, 1, name, PGAL_MARK_NAME_MAX + 1);
	return sq_exec(q, st, e, NULL, NULL);
}

int
sq_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_MARK_PRUNE);
	int rc;

	bind_i64(st, 1, now);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK)
		return rc;
	if (removed != NULL)
		*removed = sqlite3_changes(q->db);
	return PGAL_OK;
}
