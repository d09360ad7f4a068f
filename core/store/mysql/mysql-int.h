/* Internal to the MySQL store (core/store/mysql/): the handle, the
 * statement table, and the small layer over mysql_stmt_* that binds
 * parameters and result columns, maps errors and notices a lost connection
 * so the operation can be run again once on a fresh one. */
#ifndef PGAL_STORE_MYSQL_INT_H
#define PGAL_STORE_MYSQL_INT_H

#include <stdint.h>
#include <string.h>

#include <mysql.h>

#include "store/sql-columns.h"
#include "store/sql-reads.h"
#include "store/rows.h"
#include "store/store.h"

#define MY_MAXP 48 /* parameters of one statement (a search: 4 + 4 a word) */
#define MY_MAXC 32 /* result columns of one statement */

enum {
	MS_USER_INSERT,
	MS_USER_BY_NAME,
	MS_USER_BY_ID,
	MS_USER_UPDATE,
	MS_USER_DELETE,
	MS_SESSION_INSERT,
	MS_SESSION_GET,
	MS_SESSION_TOUCH,
	MS_SESSION_DELETE,
	MS_SESSION_DELETE_USER,
	MS_SESSION_DELETE_USER_KEEP,
	MS_ALBUM_INSERT,
	MS_ALBUM_GET,
	MS_ALBUM_LIST,
	MS_ALBUM_UPDATE,
	MS_ALBUM_DELETE,
	MS_ALBUM_TOUCH,
	MS_ALBUM_ADD,
	MS_PHOTO_INSERT,
	MS_PHOTO_GET,
	MS_PHOTO_LOCK,
	MS_PHOTO_UPDATE,
	MS_PHOTO_DELETE,
	MS_PHOTO_SET_DIGESTS,
	MS_PHOTO_SHA,
	MS_TAGS_CLEAR,
	MS_TAG_INSERT,
	MS_BLOBS_USER,
	MS_BLOBS_ALBUM,
	MS_BLOB_USED,
	MS_KEY_INSERT,
	MS_KEY_LIST,
	MS_KEY_FIND,
	MS_KEY_DELETE,
	MS_USERS_UNCONFIRMED,
	MS_MARK_GET,
	MS_MARK_ADD,
	MS_MARK_READ,
	MS_MARK_INSERT,
	MS_MARK_TAKE,
	MS_MARK_DELETE,
	MS_MARK_PRUNE,
	MS_UPLOAD_PUT,
	MS_UPLOAD_TOUCH,
	MS_UPLOAD_DELETE,
	MS_UPLOAD_LIST,
	MS_PREF_LIST,
	MS_PREF_SET,
	MS_COUNT
};

/* photos joined to their album's name (the column list is
 * PGAL_SQL_PHOTO_COLS, read by photo_cols()). Photos first, always: every
 * query filters and orders on photos' indexes (left to itself the
 * optimizer may start from albums and sort). */
#define MY_PHOTO_FROM " FROM photos p STRAIGHT_JOIN albums a ON a.id = p.album_id "

/* the text of each, by MS_ number (sql.c) */
extern const char *const my_sql[MS_COUNT];

/* how the photo reads of core/store/sql-reads.c run here (photos.c) */
extern const pgal_sql_read_ops my_read_ops;

struct my {
	pgal_store base; /* first: the core sees a pgal_store */
	pgal_config cfg; /* to reconnect */
	MYSQL *db;       /* NULL after a failed reconnect: the next call tries again */
	MYSQL_STMT *st[MS_COUNT]; /* prepared on first use, again after a reconnect */
	/* keyset pages and search, prepared on first use on a connection */
	pgal_sql_reads reads;
	/* state of the operation being run, for the retry decision */
	int lost;     /* the connection went away during it */
	int deadlock; /* InnoDB rolled its transaction back */
	int in_tx;    /* inside START TRANSACTION */
	int tx_work;  /* a statement succeeded inside the transaction */
	unsigned long reconnects; /* for tests and diagnostics */
};

static inline struct my *
my_of(pgal_store *s)
{
	return (struct my *)s;
}

/* ---- parameters of one execution ---- */

struct my_args {
	MYSQL_BIND b[MY_MAXP];
	long long i[MY_MAXP];
	double d[MY_MAXP];
	unsigned long len[MY_MAXP];
	my_bool null[MY_MAXP];
	int n;
};

void my_args_init(struct my_args *a);
void arg_i64(struct my_args *a, int64_t v);
/* a NUL-terminated string of at most max bytes */
void arg_text(struct my_args *a, const char *s, size_t max);
void arg_bytes(struct my_args *a, const char *s, size_t len);
/* NaN is NULL, as SQLite stores it */
void arg_double(struct my_args *a, double v);
void arg_null(struct my_args *a);
#define ARG_FIELD(a, field) arg_text(a, field, sizeof(field))

/* ---- result columns of one row ---- */

struct my_cols {
	MYSQL_BIND b[MY_MAXC];
	unsigned long len[MY_MAXC];
	my_bool null[MY_MAXC];
	my_bool err[MY_MAXC];
	long long i[MY_MAXC];
	double d[MY_MAXC];
	/* where each column goes */
	void *dst[MY_MAXC];
	size_t size[MY_MAXC];
	int kind[MY_MAXC];
	int n;
};

void my_cols_init(struct my_cols *c);
int col_i64(struct my_cols *c, int64_t *dst);
int col_int(struct my_cols *c, int *dst);
int col_double(struct my_cols *c, double *dst);
int col_text(struct my_cols *c, char *buf, size_t size);
#define COL_FIELD(c, field) col_text(c, field, sizeof(field))
/* after a fetch: copies numbers out, terminates text (cut at a UTF-8
 * boundary if longer than its buffer); 1 if column i was NULL */
void my_cols_done(struct my_cols *c);
static inline int
col_was_null(const struct my_cols *c, int i)
{
	return c->null[i] != 0;
}

/* ---- the handle (mysql.c) ---- */

int my_open(pgal_store **out, const pgal_config *cfg, pgal_store_mode mode, pgal_err *e);
void my_close(pgal_store *s);
void my_describe(pgal_store *s, const pgal_config *cfg, char *out, size_t size);

/* ---- connecting (connect.c) ---- */

/* (Re)connects: drops every prepared statement, opens a new connection. */
int my_connect(struct my *q, pgal_err *e);
/* Drops the prepared statements and the connection, if any. */
void my_disconnect(struct my *q);
/* The server is on this host (a socket, or only loopback addresses): the
 * one place plaintext may go without mysql_tls = off. */
int my_server_is_local(const pgal_config *c);

/* ---- schema migrations (migrate.c) ---- */

/* INIT applies what is missing under a server-wide lock; USE only checks
 * that nothing is. */
int my_migrate(struct my *q, pgal_store_mode mode, pgal_err *e);

/* ---- running statements (stmt.c) ---- */

/* Executes cached statement `id` with `a` (may be NULL). `thing` names what
 * a duplicate is ("album 'x'"), `parent` what a failed foreign key points at. */
int my_exec(struct my *q, int id, struct my_args *a, pgal_err *e, const char *thing,
    const char *parent);
/* The same with a statement the caller holds (search). */
int my_exec_st(struct my *q, MYSQL_STMT *st, struct my_args *a, pgal_err *e,
    const char *thing, const char *parent);
/* Rows matched by the last UPDATE/DELETE, id made by the last INSERT. */
uint64_t my_changes(struct my *q, int id);
uint64_t my_insert_id(struct my *q, int id);
/* One-row UPDATE/DELETE; nothing matched is ENOTFOUND `missing`. */
int my_change_one(struct my *q, int id, struct my_args *a, pgal_err *e, const char *thing,
    const char *parent, const char *missing);
/* Executes and binds the result to c: then my_fetch until it returns 0. */
int my_query(struct my *q, int id, struct my_args *a, struct my_cols *c, pgal_err *e);
int my_query_st(struct my *q, MYSQL_STMT *st, struct my_args *a, struct my_cols *c, pgal_err *e);
/* 1: a row is in c; 0: no more rows (the result is freed); -1 error (freed) */
int my_fetch(struct my *q, MYSQL_STMT *st, struct my_cols *c, pgal_err *e);
/* Frees what is left of a result. */
void my_done(MYSQL_STMT *st);
/* Every row of a query into a growing malloc'd array of `size`-byte rows;
 * `bind` binds c's columns to one row. */
typedef void (*my_binder)(struct my_cols *c, void *row);
int my_collect(struct my *q, int id, struct my_args *a, size_t size, my_binder bind,
    void **out, size_t *n, pgal_err *e);
/* A single-row query: PGAL_OK with c filled, or ENOTFOUND `what`. */
int my_get_row(struct my *q, int id, struct my_args *a, struct my_cols *c, pgal_err *e,
    const char *what);
MYSQL_STMT *my_stmt(struct my *q, int id, pgal_err *e);
MYSQL_STMT *my_prepare(struct my *q, const char *sql, pgal_err *e);
int my_fail_st(struct my *q, MYSQL_STMT *st, pgal_err *e, const char *thing,
    const char *parent);
int my_fail_db(struct my *q, pgal_err *e);
int my_begin(struct my *q, pgal_err *e);
int my_commit(struct my *q, pgal_err *e);
void my_rollback(struct my *q);

/* ---- the operations' bodies, one file per concept; ops.c wraps
 * each with the retry on a lost connection ---- */

int my_user_create(struct my *q, pgal_user *u, pgal_err *e);
int my_user_get_by_name(struct my *q, const char *name, pgal_user *u, pgal_err *e);
int my_user_get(struct my *q, pgal_id id, pgal_user *u, pgal_err *e);
int my_user_update(struct my *q, const pgal_user *u, pgal_err *e);
int my_user_delete(struct my *q, pgal_id id, pgal_err *e);
int my_session_create(struct my *q, const pgal_session_row *r, pgal_err *e);
int my_session_get(struct my *q, const char *token_hash, pgal_session_row *r, pgal_err *e);
int my_session_touch(struct my *q, const char *token_hash, int64_t now, pgal_err *e);
int my_session_delete(struct my *q, const char *token_hash, pgal_err *e);
int my_session_delete_user(struct my *q, pgal_id user_id, const char *keep_hash, pgal_err *e);
int my_album_create(struct my *q, pgal_album *a, pgal_err *e);
int my_album_get(struct my *q, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e);
int my_album_list(struct my *q, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e);
int my_album_update(struct my *q, const pgal_album *a, pgal_err *e);
int my_album_delete(struct my *q, pgal_id album_id, pgal_err *e);
int my_photo_insert(struct my *q, pgal_photo *p, pgal_err *e);
int my_photo_get(struct my *q, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e);
int my_photo_update(struct my *q, const pgal_photo *p, pgal_err *e);
int my_photo_delete(struct my *q, pgal_id photo_id, pgal_err *e);
int my_photo_set_digests(struct my *q, pgal_id photo_id, const char *md5, const char *sha1,
			 pgal_err *e);
int my_photo_find_sha(struct my *q, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e);
int my_photo_list(struct my *q, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int my_photo_list_before(struct my *q, pgal_id album_id, pgal_sort sort,
    const pgal_cursor *before, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int my_photo_search(struct my *q, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int my_blob_ids(struct my *q, int id, pgal_id key, char ***ids, size_t *n, pgal_err *e);
int my_blob_id_used(struct my *q, const char *blob_id, int *used, pgal_err *e);
int my_key_add(struct my *q, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e);
int my_key_list(struct my *q, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e);
int my_key_find(struct my *q, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e);
int my_key_delete(struct my *q, pgal_id user_id, const char *fingerprint, pgal_err *e);
int my_user_ids_unconfirmed(struct my *q, int64_t before, pgal_id **ids, size_t *n, pgal_err *e);
int my_mark_get(struct my *q, const char *name, int64_t now, int64_t *until, pgal_err *e);
int my_mark_add(struct my *q, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e);
int my_mark_claim(struct my *q, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e);
int my_mark_delete(struct my *q, const char *name, pgal_err *e);
int my_mark_prune(struct my *q, int64_t now, int64_t *removed, pgal_err *e);
int my_upload_put(struct my *q, pgal_id user_id, const pgal_upload *u, pgal_err *e);
int my_upload_touch(struct my *q, pgal_id user_id, const char *holder, int64_t until,
    pgal_err *e);
int my_upload_delete(struct my *q, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e);
int my_upload_list(struct my *q, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e);
int my_pref_list(struct my *q, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e);
int my_pref_set(struct my *q, pgal_id user_id, const char *name, const char *value,
    pgal_err *e);

#endif
