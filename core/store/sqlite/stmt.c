/* SQLite store: running statements. Steps, transactions, rows collected
 * into arrays, and errors mapped to the store's conventions. */

#include <stdlib.h>

#include <sqlite3.h>

#include "store/sqlite/sqlite-int.h"
#include "store/store.h"

/* ---- errors ---- */

/* Maps a failed step. `thing` names what a uniqueness conflict is about
 * ("album 'x'"); `parent` what a failed foreign key points at ("album"). */
int
sq_fail(struct sq *q, int rc, pgal_err *e, const char *thing, const char *parent)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		if (thing != NULL)
			return pgal_fail(e, PGAL_EINPUT, "%s already exists", thing);
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY && parent != NULL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such %s", parent);
	return pgal_fail(e, PGAL_EBACKEND, "sqlite: %s", sqlite3_errmsg(q->db));
}

/* ---- shared steps ---- */

/* Steps a statement that returns no row, then resets it. */
int
sq_exec(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing, const char *parent)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = sq_fail(q, rc, e, thing, parent);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return PGAL_OK;
}

int
sq_begin(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_BEGIN), e, NULL, NULL);
}

int
sq_commit(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_COMMIT), e, NULL, NULL);
}

/* Undoes an open transaction; the error already in e is kept. */
void
sq_rollback(struct sq *q)
{
	if (!sqlite3_get_autocommit(q->db)) {
		sqlite3_step(sq_st(q, ST_ROLLBACK));
		sqlite3_reset(q->st[ST_ROLLBACK]);
	}
}

/* Steps a single-row query: PGAL_OK with the row ready to read (the caller
 * resets), or `what` as the not-found message. */
int
sq_get_row(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return PGAL_OK;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	}
	rc = sq_fail(q, rc, e, NULL, NULL);
	sqlite3_reset(st);
	return rc;
}

/* Reads the one row of a single-row query into `row` with `read`, or
 * `what` as the not-found message. */
int
sq_get_one(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *what, sq_row_reader read,
    void *row)
{
	int rc;

	if ((rc = sq_get_row(q, st, e, what)) != PGAL_OK)
		return rc;
	read(st, row);
	sqlite3_reset(st);
	return PGAL_OK;
}

/* Runs a one-row UPDATE/DELETE; no row changed is `missing`. */
int
sq_change_one(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing,
    const char *parent, const char *missing)
{
	int rc;

	if ((rc = sq_exec(q, st, e, thing, parent)) != PGAL_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", missing);
	return PGAL_OK;
}

/* Steps a bound statement to its end, reading each row with `read` into a
 * growing malloc'd array of `size`-byte elements (*out, *n). */
int
sq_collect(struct sq *q, sqlite3_stmt *st, size_t size, sq_row_reader read, void **out,
    size_t *n, pgal_err *e)
{
	void *v = NULL, *slot;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((slot = pgal_store_rows_slot(&v, &cap, len, size)) == NULL) {
			sqlite3_reset(st);
			free(v);
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		}
		read(st, slot);
		len++;
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		free(v);
		return rc;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return PGAL_OK;
}
