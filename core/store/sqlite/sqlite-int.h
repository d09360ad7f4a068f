/* Internal to the SQLite store (core/store/sqlite/): the handle, the
 * prepared statement table and the small binding helpers every part uses. */
#ifndef PGAL_STORE_SQLITE_INT_H
#define PGAL_STORE_SQLITE_INT_H

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <sqlite3.h>

#include "sanitize.h"
#include "store/sql-columns.h"
#include "store/sql-reads.h"
#include "store/rows.h"
#include "store/store.h"

#define SQ_BUSY_MS 5000

enum {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_USER_INSERT,
	ST_USER_BY_NAME,
	ST_USER_BY_ID,
	ST_USER_UPDATE,
	ST_USER_DELETE,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_USER,
	ST_ALBUM_INSERT,
	ST_ALBUM_GET,
	ST_ALBUM_LIST,
	ST_ALBUM_UPDATE,
	ST_ALBUM_DELETE,
	ST_ALBUM_TOUCH,
	ST_PHOTO_INSERT,
	ST_PHOTO_GET,
	ST_PHOTO_ALBUM_OF,
	ST_PHOTO_UPDATE,
	ST_PHOTO_DELETE,
	ST_PHOTO_SET_DIGESTS,
	ST_PHOTO_SHA,
	ST_TAGS_CLEAR,
	ST_TAG_INSERT,
	ST_BLOBS_USER,
	ST_BLOBS_ALBUM,
	ST_BLOB_USED,
	ST_KEY_INSERT,
	ST_KEY_LIST,
	ST_KEY_FIND,
	ST_KEY_DELETE,
	ST_USERS_UNCONFIRMED,
	ST_MARK_GET,
	ST_MARK_ADD,
	ST_MARK_CLAIM,
	ST_MARK_DELETE,
	ST_MARK_PRUNE,
	ST_UPLOAD_PUT,
	ST_UPLOAD_TOUCH,
	ST_UPLOAD_DELETE,
	ST_UPLOAD_LIST,
	ST_PREF_LIST,
	ST_PREF_SET,
	ST_COUNT
};

/* photos joined to their album's name (the column list is
 * PGAL_SQL_PHOTO_COLS, read by photo_read()) */
#define PHOTO_FROM " FROM photos p JOIN albums a ON a.id = p.album_id "

/* SQL text of each statement, indexed by the enum above (sql.c) */
extern const char *const sq_sql[ST_COUNT];

/* how the photo reads of core/store/sql-reads.c run here (photos.c) */
extern const pgal_sql_read_ops sq_read_ops;

struct sq {
	pgal_store base; /* first: the core sees a pgal_store */
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	pgal_sql_reads reads; /* keyset pages and search */
};

static inline struct sq *
sq_of(pgal_store *s)
{
	return (struct sq *)s;
}

/* ---- statements ---- */

/* The cached statement, reset and cleared for fresh bindings. */
static inline sqlite3_stmt *
sq_st(struct sq *q, int id)
{
	sqlite3_stmt *st = q->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Binds a NUL-terminated string of at most max bytes (a record field). */
static inline int
bind_text(sqlite3_stmt *st, int i, const char *s, size_t max)
{
	return sqlite3_bind_text(st, i, s, (int)strnlen(s, max), SQLITE_STATIC);
}
#define BIND_FIELD(st, i, field) bind_text(st, i, field, sizeof(field))

static inline int
bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

/* Copies column i into a fixed buffer, cut at a UTF-8 boundary if the stored
 * text is longer than the buffer (a row written by something else). */
static inline void
col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	/* text first, then its length: the order SQLite documents */
	const char *t = (const char *)sqlite3_column_text(st, i);

	pgal_utf8_copy(buf, size, t, t != NULL ? (size_t)sqlite3_column_bytes(st, i) : 0);
}
#define COL_FIELD(st, i, field) col_text(st, i, field, sizeof(field))

static inline double
col_double(sqlite3_stmt *st, int i, double null_value)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return null_value;
	return sqlite3_column_double(st, i);
}

/* Steps a statement that returns no row, then resets it. */
/* ---- running statements (stmt.c) ---- */

int sq_fail(struct sq *q, int rc, pgal_err *e, const char *thing, const char *parent);
int sq_exec(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing, const char *parent);
int sq_begin(struct sq *q, pgal_err *e);
int sq_commit(struct sq *q, pgal_err *e);
void sq_rollback(struct sq *q);
typedef void (*sq_row_reader)(sqlite3_stmt *st, void *row);
int sq_collect(struct sq *q, sqlite3_stmt *st, size_t size, sq_row_reader read, void **out,
    size_t *n, pgal_err *e);
int sq_get_row(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *what);
int sq_get_one(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *what, sq_row_reader read,
    void *row);
int sq_change_one(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing,
    const char *parent, const char *missing);

/* ---- the operations, one file per concept ---- */

int sq_user_create(pgal_store *s, pgal_user *u, pgal_err *e);
int sq_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e);
int sq_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e);
int sq_user_update(pgal_store *s, const pgal_user *u, pgal_err *e);
int sq_user_delete(pgal_store *s, pgal_id id, pgal_err *e);
int sq_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e);
int sq_session_get(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e);
int sq_session_touch(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e);
int sq_session_delete(pgal_store *s, const char *token_hash, pgal_err *e);
int sq_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e);
int sq_album_create(pgal_store *s, pgal_album *a, pgal_err *e);
int sq_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e);
int sq_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e);
int sq_album_update(pgal_store *s, const pgal_album *a, pgal_err *e);
int sq_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e);
int sq_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e);
int sq_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e);
int sq_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e);
int sq_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e);
int sq_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
			 pgal_err *e);
int sq_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e);
int sq_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int sq_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *before, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int sq_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words, size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int sq_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e);
int sq_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e);
int sq_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e);
int sq_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e);
int sq_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e);
int sq_key_find(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e);
int sq_key_delete(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e);
int sq_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e);
int sq_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e);
int sq_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until, pgal_err *e);
int sq_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed, pgal_err *e);
int sq_mark_delete(pgal_store *s, const char *name, pgal_err *e);
int sq_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e);
int sq_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e);
int sq_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until,
    pgal_err *e);
int sq_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e);
int sq_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e);
int sq_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e);
int sq_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value,
    pgal_err *e);

#endif
