/* SQLite store: an account's preferences (one row each in user_prefs). */
#include <stdint.h>

#include "store/sqlite/sqlite-int.h"

static void
pref_read_row(sqlite3_stmt *st, void *row)
{
	pgal_pref *p = row;

	memset(p, 0, sizeof *p);
	COL_FIELD(st, 0, p->name);
	COL_FIELD(st, 1, p->value);
}

int
sq_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PREF_LIST);

	bind_i64(st, 1, user_id);
	return sq_collect(q, st, sizeof **out, pref_read_row, (void **)out, n, e);
}

/* one upsert: two hosts setting the same preference leave one row */
int
sq_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PREF_SET);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, name, PGAL_PREF_NAME_MAX + 1);
	bind_text(st, 3, value, PGAL_PREF_VALUE_MAX + 1);
	return sq_exec(q, st, e, NULL, "user");
}
