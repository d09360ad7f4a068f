/* MySQL store: running statements. Parameters and result columns bound
 * through small fixed arrays (no allocation per call), errors mapped to the
 * store's conventions, a lost connection or a deadlock noted for the retry
 * in ops.c, and results read whole into the client so an early stop
 * never leaves the connection out of sync. */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include "sanitize.h"
#include "store/mysql/mysql-int.h"
#include "store/store.h"

/* ---- parameters ---- */

static MYSQL_BIND *
arg_next(struct my_args *a)
{
	/* a statement with more parameters is a bug here, not input */
	if (a->n >= MY_MAXP)
		abort();
	return &a->b[a->n++];
}

void
my_args_init(struct my_args *a)
{
	memset(a->b, 0, sizeof a->b);
	a->n = 0;
}

void
arg_i64(struct my_args *a, int64_t v)
{
	MYSQL_BIND *b = arg_next(a);
	int k = a->n - 1;

	a->i[k] = (long long)v;
	b->buffer_type = MYSQL_TYPE_LONGLONG;
	b->buffer = &a->i[k];
}

void
arg_bytes(struct my_args *a, const char *s, size_t len)
{
	MYSQL_BIND *b = arg_next(a);
	int k = a->n - 1;

	a->len[k] = len;
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = (void *)(uintptr_t)s;
	b->buffer_length = len;
	b->length = &a->len[k];
}

void
arg_text(struct my_args *a, const char *s, size_t max)
{
	arg_bytes(a, s, strnlen(s, max));
}

void
arg_null(struct my_args *a)
{
	MYSQL_BIND *b = arg_next(a);

	b->buffer_type = MYSQL_TYPE_NULL;
}

void
arg_double(struct my_args *a, double v)
{
	MYSQL_BIND *b;
	int k;

	if (isnan(v) || isinf(v)) {
		arg_null(a);
		return;
	}
	b = arg_next(a);
	k = a->n - 1;
	a->d[k] = v;
	b->buffer_type = MYSQL_TYPE_DOUBLE;
	b->buffer = &a->d[k];
}

/* ---- result columns ---- */

enum { K_I64, K_INT, K_DOUBLE, K_TEXT };

void
my_cols_init(struct my_cols *c)
{
	memset(c->b, 0, sizeof c->b);
	c->n = 0;
}

static int
col_num(struct my_cols *c, void *dst, int kind)
{
	int k = c->n++;
	MYSQL_BIND *b;

	if (k >= MY_MAXC)
		abort();
	b = &c->b[k];
	c->dst[k] = dst;
	c->kind[k] = kind;
	if (kind == K_DOUBLE) {
		b->buffer_type = MYSQL_TYPE_DOUBLE;
		b->buffer = &c->d[k];
	} else {
		b->buffer_type = MYSQL_TYPE_LONGLONG;
		b->buffer = &c->i[k];
	}
	b->is_null = &c->null[k];
	b->error = &c->err[k];
	return k;
}

int
col_i64(struct my_cols *c, int64_t *dst)
{
	return col_num(c, dst, K_I64);
}

int
col_int(struct my_cols *c, int *dst)
{
	return col_num(c, dst, K_INT);
}

int
col_double(struct my_cols *c, double *dst)
{
	return col_num(c, dst, K_DOUBLE);
}

/* The whole buffer is given to the client library: if the value is longer,
 * the byte at size-1 tells whether the cut falls inside a character. */
int
col_text(struct my_cols *c, char *buf, size_t size)
{
	int k = c->n++;
	MYSQL_BIND *b;

	if (k >= MY_MAXC)
		abort();
	b = &c->b[k];
	c->dst[k] = buf;
	c->size[k] = size;
	c->kind[k] = K_TEXT;
	b->buffer_type = MYSQL_TYPE_STRING;
	b->buffer = buf;
	b->buffer_length = size;
	b->length = &c->len[k];
	b->is_null = &c->null[k];
	b->error = &c->err[k];
	return k;
}

void
my_cols_done(struct my_cols *c)
{
	int k;

	for (k = 0; k < c->n; k++) {
		int null = c->null[k] != 0;

		switch (c->kind[k]) {
		case K_I64:
			*(int64_t *)c->dst[k] = null ? 0 : (int64_t)c->i[k];
			break;
		case K_INT:
			*(int *)c->dst[k] = null ? 0 : (int)c->i[k];
			break;
		case K_DOUBLE:
			*(double *)c->dst[k] = null ? 0 : c->d[k];
			break;
		case K_TEXT: {
			char *t = c->dst[k];
			size_t len = null ? 0 : c->len[k];

			/* in place: the library wrote at most size bytes */
			len = pgal_utf8_cut(t, len, c->size[k] - 1);
			t[len] = '\0';
			break;
		}
		}
	}
}

/* ---- errors ---- */

static int
lost_errno(unsigned int err)
{
	return err == CR_SERVER_GONE_ERROR || err == CR_SERVER_LOST ||
	    err == CR_SERVER_LOST_EXTENDED || err == ER_CONNECTION_KILLED ||
	    err == ER_SERVER_SHUTDOWN;
}

/* Maps a failed call. `thing` names what a duplicate is about ("album 'x'");
 * `parent` what a failed foreign key points at ("album"). The server's
 * message never holds the password (it says "using password: YES"). */
static int
my_fail(struct my *q, unsigned int err, const char *msg, pgal_err *e, const char *thing,
    const char *parent)
{
	if (err == ER_DUP_ENTRY && thing != NULL)
		return pgal_fail(e, PGAL_EINPUT, "%s already exists", thing);
	if ((err == ER_NO_REFERENCED_ROW_2 || err == ER_NO_REFERENCED_ROW) && parent != NULL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such %s", parent);
	if (lost_errno(err)) {
		q->lost = 1;
		q->in_tx = 0;
		return pgal_fail(e, PGAL_EBACKEND, "MySQL: connection lost (%s)", msg);
	}
	if (err == ER_LOCK_DEADLOCK)
		q->deadlock = 1;
	return pgal_fail(e, PGAL_EBACKEND, "MySQL: %s", msg);
}

int
my_fail_st(struct my *q, MYSQL_STMT *st, pgal_err *e, const char *thing, const char *parent)
{
	return my_fail(q, mysql_stmt_errno(st), mysql_stmt_error(st), e, thing, parent);
}

int
my_fail_db(struct my *q, pgal_err *e)
{
	return my_fail(q, mysql_errno(q->db), mysql_error(q->db), e, NULL, NULL);
}

/* ---- statements ---- */

MYSQL_STMT *
my_prepare(struct my *q, const char *sql, pgal_err *e)
{
	MYSQL_STMT *st;

	if (q->db == NULL && my_connect(q, e) != PGAL_OK)
		return NULL;
	if ((st = mysql_stmt_init(q->db)) == NULL) {
		pgal_fail(e, PGAL_EBACKEND, "MySQL: out of memory");
		return NULL;
	}
	if (mysql_stmt_prepare(st, sql, strlen(sql)) != 0) {
		my_fail_st(q, st, e, NULL, NULL);
		mysql_stmt_close(st);
		return NULL;
	}
	return st;
}

/* The cached statement `id`, prepared on first use on this connection. */
MYSQL_STMT *
my_stmt(struct my *q, int id, pgal_err *e)
{
	if (q->db == NULL || q->st[id] == NULL)
		q->st[id] = my_prepare(q, my_sql[id], e);
	return q->st[id];
}

int
my_exec_st(struct my *q, MYSQL_STMT *st, struct my_args *a, pgal_err *e,
    const char *thing, const char *parent)
{
	if (a != NULL && a->n > 0 && mysql_stmt_bind_param(st, a->b) != 0)
		return my_fail_st(q, st, e, NULL, NULL);
	if (mysql_stmt_execute(st) != 0)
		return my_fail_st(q, st, e, thing, parent);
	if (q->in_tx)
		q->tx_work = 1;
	return PGAL_OK;
}

int
my_exec(struct my *q, int id, struct my_args *a, pgal_err *e, const char *thing,
    const char *parent)
{
	MYSQL_STMT *st = my_stmt(q, id, e);

	if (st == NULL)
		return e->code;
	return my_exec_st(q, st, a, e, thing, parent);
}

uint64_t
my_changes(struct my *q, int id)
{
	return mysql_stmt_affected_rows(q->st[id]);
}

uint64_t
my_insert_id(struct my *q, int id)
{
	return mysql_stmt_insert_id(q->st[id]);
}

int
my_change_one(struct my *q, int id, struct my_args *a, pgal_err *e, const char *thing,
    const char *parent, const char *missing)
{
	int rc;

	if ((rc = my_exec(q, id, a, e, thing, parent)) != PGAL_OK)
		return rc;
	/* CLIENT_FOUND_ROWS: rows matched, also when nothing changed */
	if (my_changes(q, id) == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", missing);
	return PGAL_OK;
}

/* The whole result is read into the client, so an early stop never leaves
 * the connection out of sync. */
int
my_query_st(struct my *q, MYSQL_STMT *st, struct my_args *a, struct my_cols *c, pgal_err *e)
{
	int rc;

	if ((rc = my_exec_st(q, st, a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	if (mysql_stmt_bind_result(st, c->b) != 0 || mysql_stmt_store_result(st) != 0) {
		rc = my_fail_st(q, st, e, NULL, NULL);
		mysql_stmt_free_result(st);
		return rc;
	}
	return PGAL_OK;
}

int
my_query(struct my *q, int id, struct my_args *a, struct my_cols *c, pgal_err *e)
{
	MYSQL_STMT *st = my_stmt(q, id, e);

	if (st == NULL)
		return e->code;
	return my_query_st(q, st, a, c, e);
}

int
my_fetch(struct my *q, MYSQL_STMT *st, struct my_cols *c, pgal_err *e)
{
	int rc = mysql_stmt_fetch(st);

	if (rc == 0 || rc == MYSQL_DATA_TRUNCATED) {
		my_cols_done(c);
		return 1;
	}
	if (rc != MYSQL_NO_DATA)
		my_fail_st(q, st, e, NULL, NULL);
	mysql_stmt_free_result(st);
	return rc == MYSQL_NO_DATA ? 0 : -1;
}

void
my_done(MYSQL_STMT *st)
{
	mysql_stmt_free_result(st);
}

int
my_get_row(struct my *q, int id, struct my_args *a, struct my_cols *c, pgal_err *e,
    const char *what)
{
	int rc;

	if ((rc = my_query(q, id, a, c, e)) != PGAL_OK)
		return rc;
	switch (my_fetch(q, q->st[id], c, e)) {
	case 1:
		my_done(q->st[id]);
		return PGAL_OK;
	case 0:
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	default:
		return e->code;
	}
}

int
my_collect(struct my *q, int id, struct my_args *a, size_t size, my_binder bind,
    void **out, size_t *n, pgal_err *e)
{
	struct my_cols c;
	void *v = NULL, *slot, *row;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((row = calloc(1, size)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	my_cols_init(&c);
	bind(&c, row);
	if ((rc = my_query(q, id, a, &c, e)) != PGAL_OK) {
		free(row);
		return rc;
	}
	while ((rc = my_fetch(q, q->st[id], &c, e)) == 1) {
		if ((slot = pgal_store_rows_slot(&v, &cap, len, size)) == NULL) {
			my_done(q->st[id]);
			free(v);
			free(row);
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		}
		memcpy(slot, row, size);
		len++;
	}
	free(row);
	if (rc < 0) {
		free(v);
		return e->code;
	}
	*out = v;
	*n = len;
	return PGAL_OK;
}

/* ---- transactions ---- */

int
my_begin(struct my *q, pgal_err *e)
{
	if (q->db == NULL && my_connect(q, e) != PGAL_OK)
		return e->code;
	if (mysql_real_query(q->db, "START TRANSACTION", 17) != 0)
		return my_fail_db(q, e);
	q->in_tx = 1;
	q->tx_work = 0;
	return PGAL_OK;
}

int
my_commit(struct my *q, pgal_err *e)
{
	if (mysql_real_query(q->db, "COMMIT", 6) != 0)
		return my_fail_db(q, e);
	q->in_tx = 0;
	return PGAL_OK;
}

/* Undoes an open transaction; the error already in e is kept. */
void
my_rollback(struct my *q)
{
	if (q->in_tx && q->db != NULL)
		mysql_real_query(q->db, "ROLLBACK", 8);
	q->in_tx = 0;
}
