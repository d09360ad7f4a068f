/* SQLite store: photos, keyset pages, search, blob ids. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/sqlite/sqlite-int.h"
#include "validate.h"

/* ---- photos ---- */

static void
photo_read(sqlite3_stmt *st, void *row)
{
	pgal_photo *p = row;
	pgal_exif *x = &p->exif;

	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->album_id = sqlite3_column_int64(st, 1);
	p->user_id = sqlite3_column_int64(st, 2);
	COL_FIELD(st, 3, p->album);
	COL_FIELD(st, 4, p->name);
	COL_FIELD(st, 5, p->title);
	COL_FIELD(st, 6, p->description);
	COL_FIELD(st, 7, p->tags);
	COL_FIELD(st, 8, p->mime);
	p->width = sqlite3_column_int(st, 9);
	p->height = sqlite3_column_int(st, 10);
	p->bytes = sqlite3_column_int64(st, 11);
	COL_FIELD(st, 12, p->sha256);
	COL_FIELD(st, 13, p->blob_id);
	p->added_at = sqlite3_column_int64(st, 14);
	p->sort_taken = sqlite3_column_int64(st, 15);
	COL_FIELD(st, 16, x->make);
	COL_FIELD(st, 17, x->model);
	COL_FIELD(st, 18, x->lens);
	COL_FIELD(st, 19, x->exposure_time);
	x->f_number = col_double(st, 20, 0);
	x->iso = sqlite3_column_int(st, 21);
	x->focal_length = col_double(st, 22, 0);
	x->orientation = sqlite3_column_int(st, 23);
	if (sqlite3_column_type(st, 24) == SQLITE_NULL)
		x->taken_at = -1;
	else
		x->taken_at = sqlite3_column_int64(st, 24);
	x->gps.present = sqlite3_column_int(st, 25) != 0;
	if (x->gps.present) {
		x->gps.lat = col_double(st, 26, 0);
		x->gps.lon = col_double(st, 27, 0);
	}
	x->gps.alt = col_double(st, 28, NAN);
	COL_FIELD(st, 29, p->md5);
	COL_FIELD(st, 30, p->sha1);
	p->mtime = sqlite3_column_int64(st, 31);
}

static void
photo_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "photo '%.*s' in this album", PGAL_PHOTO_NAME_MAX, name);
}

/* A unique conflict on blob_id is not about the name the user chose. */
static int
photo_fail(struct sq *q, int code, pgal_err *e)
{
	if (code == PGAL_EINPUT && strstr(sqlite3_errmsg(q->db), "blob_id") != NULL)
		return pgal_fail(e, PGAL_EINPUT, "blob id already exists");
	return code;
}

/* Makes photo_tags hold exactly the tags of the ','-joined list. */
static int
tags_sync(struct sq *q, pgal_id photo_id, const char *tags, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_TAGS_CLEAR);
	const char *p = tags, *end = tags + strnlen(tags, PGAL_TAGS_MAX + 1), *tag;
	size_t len;
	int rc;

	bind_i64(st, 1, photo_id);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK)
		return rc;
	while (pgal_tags_next(&p, end, &tag, &len)) {
		st = sq_st(q, ST_TAG_INSERT);
		bind_i64(st, 1, photo_id);
		sqlite3_bind_text(st, 2, tag, (int)len, SQLITE_STATIC);
		if ((rc = sq_exec(q, st, e, NULL, "photo")) != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

static int
album_touch(struct sq *q, pgal_id album_id, int64_t now, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_TOUCH);

	bind_i64(st, 1, album_id);
	bind_i64(st, 2, now);
	return sq_exec(q, st, e, NULL, NULL);
}

int
sq_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	const pgal_exif *x = &p->exif;
	sqlite3_stmt *st;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id id;
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	st = sq_st(q, ST_PHOTO_INSERT);
	bind_i64(st, 1, p->album_id);
	bind_i64(st, 2, p->user_id);
	BIND_FIELD(st, 3, p->name);
	BIND_FIELD(st, 4, p->title);
	BIND_FIELD(st, 5, p->description);
	BIND_FIELD(st, 6, p->tags);
	BIND_FIELD(st, 7, p->mime);
	sqlite3_bind_int(st, 8, p->width);
	sqlite3_bind_int(st, 9, p->height);
	bind_i64(st, 10, p->bytes);
	BIND_FIELD(st, 11, p->sha256);
	BIND_FIELD(st, 12, p->blob_id);
	bind_i64(st, 13, p->added_at);
	bind_i64(st, 14, p->sort_taken);
	BIND_FIELD(st, 15, x->make);
	BIND_FIELD(st, 16, x->model);
	BIND_FIELD(st, 17, x->lens);
	BIND_FIELD(st, 18, x->exposure_time);
	/* a NaN binds as NULL */
	sqlite3_bind_double(st, 19, x->f_number);
	sqlite3_bind_int(st, 20, x->iso);
	sqlite3_bind_double(st, 21, x->focal_length);
	sqlite3_bind_int(st, 22, x->orientation);
	if (x->taken_at != -1)
		bind_i64(st, 23, x->taken_at);
	sqlite3_bind_int(st, 24, x->gps.present != 0);
	if (x->gps.present) {
		sqlite3_bind_double(st, 25, x->gps.lat);
		sqlite3_bind_double(st, 26, x->gps.lon);
		sqlite3_bind_double(st, 27, x->gps.alt);
	}
	BIND_FIELD(st, 28, p->md5);
	BIND_FIELD(st, 29, p->sha1);
	bind_i64(st, 30, p->mtime);
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = sq_exec(q, st, e, thing, "album or user")) != PGAL_OK) {
		rc = photo_fail(q, rc, e);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(q->db);
	if ((rc = tags_sync(q, id, p->tags, e)) != PGAL_OK ||
	    (rc = album_touch(q, p->album_id, p->added_at, e)) != PGAL_OK ||
	    (rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	p->id = id;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

int
sq_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_GET);
	char what[PGAL_PHOTO_NAME_MAX + 32];

	bind_i64(st, 1, album_id);
	bind_text(st, 2, name, PGAL_PHOTO_NAME_MAX + 1);
	snprintf(what, sizeof what, "no such photo '%.*s'", PGAL_PHOTO_NAME_MAX, name);
	return sq_get_one(q, st, e, what, photo_read, p);
}

/* The album a photo is in, inside the caller's transaction. */
static int
photo_album_of(struct sq *q, pgal_id photo_id, pgal_id *album_id, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_ALBUM_OF);
	int rc;

	bind_i64(st, 1, photo_id);
	if ((rc = sq_get_row(q, st, e, "no such photo")) != PGAL_OK)
		return rc;
	*album_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return PGAL_OK;
}

int
sq_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id old_album;
	int64_t now = time(NULL);
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_album_of(q, p->id, &old_album, e)) != PGAL_OK)
		goto fail;
	st = sq_st(q, ST_PHOTO_UPDATE);
	bind_i64(st, 1, p->id);
	BIND_FIELD(st, 2, p->name);
	bind_i64(st, 3, p->album_id);
	BIND_FIELD(st, 4, p->title);
	BIND_FIELD(st, 5, p->description);
	BIND_FIELD(st, 6, p->tags);
	bind_i64(st, 7, p->mtime);
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = sq_exec(q, st, e, thing, "album")) != PGAL_OK)
		goto fail;
	if ((rc = tags_sync(q, p->id, p->tags, e)) != PGAL_OK ||
	    (rc = album_touch(q, old_album, now, e)) != PGAL_OK)
		goto fail;
	if (p->album_id != old_album &&
	    (rc = album_touch(q, p->album_id, now, e)) != PGAL_OK)
		goto fail;
	if ((rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

int
sq_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	pgal_id album_id;
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_album_of(q, photo_id, &album_id, e)) != PGAL_OK)
		goto fail;
	st = sq_st(q, ST_PHOTO_DELETE);
	bind_i64(st, 1, photo_id);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK ||
	    (rc = album_touch(q, album_id, time(NULL), e)) != PGAL_OK ||
	    (rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

int
sq_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
		     pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_SET_DIGESTS);
	int rc;

	bind_i64(st, 1, photo_id);
	bind_text(st, 2, md5, PGAL_MD5_HEX + 1);
	bind_text(st, 3, sha1, PGAL_SHA1_HEX + 1);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo");
	return PGAL_OK;
}

int
sq_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_SHA);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, sha256, PGAL_SHA256_HEX + 1);
	return sq_get_one(q, st, e, "no photo with this content", photo_read, p);
}

/* Steps a photo query into out[0..limit). */
static int
photo_rows(struct sq *q, sqlite3_stmt *st, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	size_t len = 0;
	int rc = SQLITE_DONE;

	while (len < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		photo_read(st, &out[len++]);
	if (len < limit && rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	*n = len;
	return PGAL_OK;
}

/* ---- keyset pages and search (core/store/sql-reads.c) ---- */

/* How SQLite spells them: its LIKE folds ASCII case by itself, a backslash
 * escapes its wildcards; 999 parameters in builds before 3.32. */
static const pgal_sql_dialect sq_dialect = {
	.numbered = 1,
	.row_values = 1,
	.photos_from = PHOTO_FROM,
	.no_index = "+",
	.like_escape = '\\',
	.fold = "%s",
	.fold_binary = "%s",
	.max_params = 999,
};

static int
sq_run(void *store, pgal_sql_stmt *s, int keep, const pgal_sql_args *a, size_t limit,
    pgal_photo *out, size_t *n, pgal_err *e)
{
	struct sq *q = store;
	sqlite3_stmt *st = s->st;
	pgal_sql_value v;
	size_t i;
	int rc;

	if (st == NULL) {
		if ((rc = sqlite3_prepare_v3(q->db, s->q.sql, -1,
		    keep ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL)) != SQLITE_OK)
			return sq_fail(q, rc, e, NULL, NULL);
		s->st = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	for (i = 0; i < s->q.nparams; i++) {
		v = pgal_sql_value_of(&s->q, i, a);
		if (v.text != NULL)
			sqlite3_bind_text(st, (int)i + 1, v.text, (int)v.len, SQLITE_STATIC);
		else
			bind_i64(st, (int)i + 1, v.num);
	}
	rc = photo_rows(q, st, limit, out, n, e);
	/* the texts are bound SQLITE_STATIC: unbind before they go */
	sqlite3_clear_bindings(st);
	return rc;
}

static void
sq_release(void *store, pgal_sql_stmt *s)
{
	sqlite3_finalize(s->st);
	s->st = NULL;
}

const pgal_sql_read_ops sq_read_ops = { &sq_dialect, sq_run, sq_release };

int
sq_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_page(&sq_read_ops, sq_of(s), &sq_of(s)->reads, album_id, sort,
	    after, 0, limit, out, n, e);
}

int
sq_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *before,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_page(&sq_read_ops, sq_of(s), &sq_of(s)->reads, album_id, sort,
	    before, 1, limit, out, n, e);
}

int
sq_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_search(&sq_read_ops, sq_of(s), &sq_of(s)->reads, user_id,
	    album_id, words, nwords, tag, limit, out, n, e);
}

/* ---- blob ids ---- */

static int
blob_ids(struct sq *q, int which, pgal_id id, char ***ids, size_t *n, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, which);
	pgal_store_ids l = { NULL, 0, 0 };
	const char *t;
	int rc;

	*ids = NULL;
	*n = 0;
	bind_i64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		t = (const char *)sqlite3_column_text(st, 0);
		if ((rc = pgal_store_ids_add(&l, t != NULL ? t : "", e)) != PGAL_OK)
			goto fail;
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		goto fail;
	}
	sqlite3_reset(st);
	*ids = l.v;
	*n = l.n;
	return PGAL_OK;
fail:
	sqlite3_reset(st);
	pgal_store_free_ids(l.v, l.n);
	return rc;
}

int
sq_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e)
{
	return blob_ids(sq_of(s), ST_BLOBS_USER, user_id, ids, n, e);
}

int
sq_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e)
{
	return blob_ids(sq_of(s), ST_BLOBS_ALBUM, album_id, ids, n, e);
}

int
sq_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_BLOB_USED);
	int rc;

	bind_text(st, 1, blob_id, PGAL_BLOB_ID_HEX + 1);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		return rc;
	}
	*used = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return PGAL_OK;
}
