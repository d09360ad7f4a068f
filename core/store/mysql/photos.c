/* MySQL store: photos, keyset pages, search, blob ids.
 *
 * An album's photo_count and bytes change in the same transaction as its
 * photos, and the album row is locked first (UPDATE before INSERT) so two
 * hosts adding to one album queue on that row instead of deadlocking on the
 * foreign key's shared lock. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/mysql/mysql-int.h"
#include "validate.h"

/* ---- album counters ---- */

/* Adds n photos of `bytes` to an album's counters and sets updated_at. */
static int
album_add(struct my *q, pgal_id album_id, int64_t n, int64_t bytes, int64_t now, pgal_err *e)
{
	struct my_args args;

	my_args_init(&args);
	arg_i64(&args, n);
	arg_i64(&args, bytes);
	arg_i64(&args, now);
	arg_i64(&args, album_id);
	return my_change_one(q, MS_ALBUM_ADD, &args, e, NULL, NULL, "no such album");
}

/* ---- photos ---- */

/* column indexes of the NULL-able ones, for photo_fix */
struct photo_nulls {
	int f_number, focal, taken, lat, lon, alt;
};

static void
photo_cols(struct my_cols *c, pgal_photo *p, struct photo_nulls *nl)
{
	pgal_exif *x = &p->exif;

	memset(p, 0, sizeof *p);
	col_i64(c, &p->id);
	col_i64(c, &p->album_id);
	col_i64(c, &p->user_id);
	COL_FIELD(c, p->album);
	COL_FIELD(c, p->name);
	COL_FIELD(c, p->title);
	COL_FIELD(c, p->description);
	COL_FIELD(c, p->tags);
	COL_FIELD(c, p->mime);
	col_int(c, &p->width);
	col_int(c, &p->height);
	col_i64(c, &p->bytes);
	COL_FIELD(c, p->sha256);
	COL_FIELD(c, p->blob_id);
	col_i64(c, &p->added_at);
	col_i64(c, &p->sort_taken);
	COL_FIELD(c, x->make);
	COL_FIELD(c, x->model);
	COL_FIELD(c, x->lens);
	COL_FIELD(c, x->exposure_time);
	nl->f_number = col_double(c, &x->f_number);
	col_int(c, &x->iso);
	nl->focal = col_double(c, &x->focal_length);
	col_int(c, &x->orientation);
	nl->taken = col_i64(c, &x->taken_at);
	col_int(c, &x->gps.present);
	nl->lat = col_double(c, &x->gps.lat);
	nl->lon = col_double(c, &x->gps.lon);
	nl->alt = col_double(c, &x->gps.alt);
	COL_FIELD(c, p->md5);
	COL_FIELD(c, p->sha1);
	col_i64(c, &p->mtime);
}

/* What SQLite's reader makes of NULLs: unknown taken_at -1, altitude NaN,
 * coordinates only with gps present. */
static void
photo_fix(const struct my_cols *c, const struct photo_nulls *nl, pgal_photo *p)
{
	pgal_exif *x = &p->exif;

	if (col_was_null(c, nl->taken))
		x->taken_at = -1;
	x->gps.present = x->gps.present != 0;
	if (!x->gps.present)
		x->gps.lat = x->gps.lon = 0;
	if (col_was_null(c, nl->alt))
		x->gps.alt = NAN;
}

static void
photo_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "photo '%.*s' in this album", PGAL_PHOTO_NAME_MAX, name);
}

/* Makes photo_tags hold exactly the tags of the ','-joined list; a new
 * photo has none to clear (one round trip less per upload). */
static int
tags_sync(struct my *q, pgal_id photo_id, const char *tags, int is_new, pgal_err *e)
{
	struct my_args a;
	const char *p = tags, *end = tags + strnlen(tags, PGAL_TAGS_MAX + 1), *tag;
	size_t len;
	int rc;

	my_args_init(&a);
	arg_i64(&a, photo_id);
	if (!is_new && (rc = my_exec(q, MS_TAGS_CLEAR, &a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	while (pgal_tags_next(&p, end, &tag, &len)) {
		my_args_init(&a);
		arg_i64(&a, photo_id);
		arg_bytes(&a, tag, len);
		if ((rc = my_exec(q, MS_TAG_INSERT, &a, e, NULL, "photo")) != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

static void
photo_args(struct my_args *a, const pgal_photo *p)
{
	const pgal_exif *x = &p->exif;

	my_args_init(a);
	arg_i64(a, p->album_id);
	arg_i64(a, p->user_id);
	ARG_FIELD(a, p->name);
	ARG_FIELD(a, p->title);
	ARG_FIELD(a, p->description);
	ARG_FIELD(a, p->tags);
	ARG_FIELD(a, p->mime);
	arg_i64(a, p->width);
	arg_i64(a, p->height);
	arg_i64(a, p->bytes);
	ARG_FIELD(a, p->sha256);
	ARG_FIELD(a, p->blob_id);
	arg_i64(a, p->added_at);
	arg_i64(a, p->sort_taken);
	ARG_FIELD(a, x->make);
	ARG_FIELD(a, x->model);
	ARG_FIELD(a, x->lens);
	ARG_FIELD(a, x->exposure_time);
	arg_double(a, x->f_number);
	arg_i64(a, x->iso);
	arg_double(a, x->focal_length);
	arg_i64(a, x->orientation);
	if (x->taken_at != -1)
		arg_i64(a, x->taken_at);
	else
		arg_null(a);
	arg_i64(a, x->gps.present != 0);
	if (x->gps.present) {
		arg_double(a, x->gps.lat);
		arg_double(a, x->gps.lon);
		arg_double(a, x->gps.alt);
	} else {
		arg_null(a);
		arg_null(a);
		arg_null(a);
	}
	ARG_FIELD(a, p->md5);
	ARG_FIELD(a, p->sha1);
	arg_i64(a, p->mtime);
}

int
my_photo_insert(struct my *q, pgal_photo *p, pgal_err *e)
{
	struct my_args a;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id id;
	int rc;

	if ((rc = my_begin(q, e)) != PGAL_OK)
		return rc;
	/* the album row first: it is the lock every writer to it queues on */
	if ((rc = album_add(q, p->album_id, 1, p->bytes, p->added_at, e)) != PGAL_OK)
		goto fail;
	photo_args(&a, p);
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = my_exec(q, MS_PHOTO_INSERT, &a, e, thing, "album or user")) != PGAL_OK) {
		/* a conflict on blob_id is not about the name the user chose */
		if (rc == PGAL_EINPUT && q->st[MS_PHOTO_INSERT] != NULL &&
		    strstr(mysql_stmt_error(q->st[MS_PHOTO_INSERT]), "blob_id") != NULL)
			rc = pgal_fail(e, PGAL_EINPUT, "blob id already exists");
		goto fail;
	}
	id = (pgal_id)my_insert_id(q, MS_PHOTO_INSERT);
	if ((rc = tags_sync(q, id, p->tags, 1, e)) != PGAL_OK ||
	    (rc = my_commit(q, e)) != PGAL_OK)
		goto fail;
	p->id = id;
	return PGAL_OK;
fail:
	my_rollback(q);
	return rc;
}

static int
photo_get(struct my *q, int id, struct my_args *a, pgal_photo *p, pgal_err *e, const char *what)
{
	struct my_cols c;
	struct photo_nulls nl;
	pgal_photo tmp;
	int rc;

	my_cols_init(&c);
	photo_cols(&c, &tmp, &nl);
	if ((rc = my_get_row(q, id, a, &c, e, what)) != PGAL_OK)
		return rc;
	photo_fix(&c, &nl, &tmp);
	*p = tmp;
	return PGAL_OK;
}

int
my_photo_get(struct my *q, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	struct my_args a;
	char what[PGAL_PHOTO_NAME_MAX + 32];

	my_args_init(&a);
	arg_i64(&a, album_id);
	arg_text(&a, name, PGAL_PHOTO_NAME_MAX + 1);
	snprintf(what, sizeof what, "no such photo '%.*s'", PGAL_PHOTO_NAME_MAX, name);
	return photo_get(q, MS_PHOTO_GET, &a, p, e, what);
}

/* The album and size of a photo, its row locked for the caller's transaction. */
static int
photo_lock(struct my *q, pgal_id photo_id, pgal_id *album_id, int64_t *bytes, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	int rc;

	my_args_init(&a);
	arg_i64(&a, photo_id);
	my_cols_init(&c);
	col_i64(&c, album_id);
	col_i64(&c, bytes);
	rc = my_get_row(q, MS_PHOTO_LOCK, &a, &c, e, "no such photo");
	return rc;
}

int
my_photo_update(struct my *q, const pgal_photo *p, pgal_err *e)
{
	struct my_args a;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id old_album;
	int64_t bytes, now = time(NULL);
	int rc;

	if ((rc = my_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_lock(q, p->id, &old_album, &bytes, e)) != PGAL_OK)
		goto fail;
	my_args_init(&a);
	ARG_FIELD(&a, p->name);
	arg_i64(&a, p->album_id);
	ARG_FIELD(&a, p->title);
	ARG_FIELD(&a, p->description);
	ARG_FIELD(&a, p->tags);
	arg_i64(&a, p->mtime);
	arg_i64(&a, p->id);
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = my_exec(q, MS_PHOTO_UPDATE, &a, e, thing, "album")) != PGAL_OK ||
	    (rc = tags_sync(q, p->id, p->tags, 0, e)) != PGAL_OK)
		goto fail;
	if (p->album_id == old_album) {
		my_args_init(&a);
		arg_i64(&a, now);
		arg_i64(&a, old_album);
		rc = my_exec(q, MS_ALBUM_TOUCH, &a, e, NULL, NULL);
	} else if ((rc = album_add(q, old_album, -1, -bytes, now, e)) == PGAL_OK)
		rc = album_add(q, p->album_id, 1, bytes, now, e);
	if (rc != PGAL_OK || (rc = my_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	my_rollback(q);
	return rc;
}

int
my_photo_delete(struct my *q, pgal_id photo_id, pgal_err *e)
{
	struct my_args a;
	pgal_id album_id;
	int64_t bytes;
	int rc;

	if ((rc = my_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_lock(q, photo_id, &album_id, &bytes, e)) != PGAL_OK)
		goto fail;
	my_args_init(&a);
	arg_i64(&a, photo_id);
	if ((rc = my_exec(q, MS_PHOTO_DELETE, &a, e, NULL, NULL)) != PGAL_OK ||
	    (rc = album_add(q, album_id, -1, -bytes, time(NULL), e)) != PGAL_OK ||
	    (rc = my_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	my_rollback(q);
	return rc;
}

int
my_photo_set_digests(struct my *q, pgal_id photo_id, const char *md5, const char *sha1,
		     pgal_err *e)
{
	struct my_args a;
	int rc;

	my_args_init(&a);
	arg_text(&a, md5, PGAL_MD5_HEX + 1);
	arg_text(&a, sha1, PGAL_SHA1_HEX + 1);
	arg_i64(&a, photo_id);
	if ((rc = my_exec(q, MS_PHOTO_SET_DIGESTS, &a, e, NULL, NULL)) != PGAL_OK)
		return rc;
	/* rows matched (CLIENT_FOUND_ROWS), also when the digests were there */
	if (my_changes(q, MS_PHOTO_SET_DIGESTS) == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such photo");
	return PGAL_OK;
}

int
my_photo_find_sha(struct my *q, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	arg_text(&a, sha256, PGAL_SHA256_HEX + 1);
	return photo_get(q, MS_PHOTO_SHA, &a, p, e, "no photo with this content");
}

/* Executes a photo query and reads up to limit rows into out. */
static int
photo_rows(struct my *q, MYSQL_STMT *st, struct my_args *a, size_t limit, pgal_photo *out,
    size_t *n, pgal_err *e)
{
	struct my_cols c;
	struct photo_nulls nl;
	pgal_photo *tmp;
	size_t len = 0;
	int rc;

	*n = 0;
	if ((tmp = malloc(sizeof *tmp)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	my_cols_init(&c);
	photo_cols(&c, tmp, &nl);
	if ((rc = my_query_st(q, st, a, &c, e)) != PGAL_OK) {
		free(tmp);
		return rc;
	}
	while (len < limit && (rc = my_fetch(q, st, &c, e)) == 1) {
		photo_fix(&c, &nl, tmp);
		out[len++] = *tmp;
	}
	free(tmp);
	if (len == limit)
		my_done(st);
	else if (rc < 0)
		return e->code;
	*n = len;
	return PGAL_OK;
}

/* ---- keyset pages and search (core/store/sql-reads.c) ---- */

/* How MySQL spells them. Both sides of a LIKE are lowercased (the columns
 * compare as utf8mb4_bin, names are binary and made text first), so search
 * is case-insensitive, not accent-insensitive; '!' escapes LIKE's
 * wildcards (a backslash is an escape in MySQL's string literals); a
 * statement has at most MY_MAXP parameters (struct my_args). */
static const pgal_sql_dialect my_dialect = {
	.numbered = 0,
	.row_values = 0,
	.photos_from = MY_PHOTO_FROM,
	.no_index = "",
	.like_escape = '!',
	.fold = "LOWER(%s)",
	.fold_binary = "LOWER(CONVERT(%s USING utf8mb4) COLLATE utf8mb4_bin)",
	.max_params = MY_MAXP,
};

/* A statement is prepared on the connection it runs on: a reconnect drops
 * them all (my_drop_statements), the texts stay. */
static int
my_run(void *store, pgal_sql_stmt *s, int keep, const pgal_sql_args *a, size_t limit,
    pgal_photo *out, size_t *n, pgal_err *e)
{
	struct my *q = store;
	struct my_args args;
	pgal_sql_value v;
	size_t i;

	if (q->db == NULL || s->st == NULL)
		s->st = my_prepare(q, s->q.sql, e);
	if (s->st == NULL)
		return e->code;
	my_args_init(&args);
	for (i = 0; i < s->q.nparams; i++) {
		v = pgal_sql_value_of(&s->q, i, a);
		if (v.text != NULL)
			arg_bytes(&args, v.text, v.len);
		else
			arg_i64(&args, v.num);
	}
	return photo_rows(q, s->st, &args, limit, out, n, e);
}

static void
my_release(void *store, pgal_sql_stmt *s)
{
	mysql_stmt_close(s->st);
	s->st = NULL;
}

const pgal_sql_read_ops my_read_ops = { &my_dialect, my_run, my_release };

int
my_photo_list(struct my *q, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_page(&my_read_ops, q, &q->reads, album_id, sort, after, 0,
	    limit, out, n, e);
}

int
my_photo_list_before(struct my *q, pgal_id album_id, pgal_sort sort, const pgal_cursor *before,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_page(&my_read_ops, q, &q->reads, album_id, sort, before, 1,
	    limit, out, n, e);
}

int
my_photo_search(struct my *q, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	return pgal_sql_read_search(&my_read_ops, q, &q->reads, user_id, album_id, words,
	    nwords, tag, limit, out, n, e);
}

/* ---- blob ids ---- */

int
my_blob_ids(struct my *q, int id, pgal_id key, char ***ids, size_t *n, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	pgal_store_ids l = { NULL, 0, 0 };
	char blob[PGAL_BLOB_ID_HEX + 1];
	int rc;

	*ids = NULL;
	*n = 0;
	my_args_init(&a);
	arg_i64(&a, key);
	my_cols_init(&c);
	COL_FIELD(&c, blob);
	if ((rc = my_query(q, id, &a, &c, e)) != PGAL_OK)
		return rc;
	while ((rc = my_fetch(q, q->st[id], &c, e)) == 1) {
		if (pgal_store_ids_add(&l, blob, e) != PGAL_OK) {
			my_done(q->st[id]);
			break;
		}
	}
	if (rc != 0) {
		pgal_store_free_ids(l.v, l.n);
		return e->code;
	}
	*ids = l.v;
	*n = l.n;
	return PGAL_OK;
}

int
my_blob_id_used(struct my *q, const char *blob_id, int *used, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	int64_t one;
	int rc;

	my_args_init(&a);
	arg_text(&a, blob_id, PGAL_BLOB_ID_HEX + 1);
	my_cols_init(&c);
	col_i64(&c, &one);
	rc = my_get_row(q, MS_BLOB_USED, &a, &c, e, "unused");
	if (rc == PGAL_ENOTFOUND) {
		*used = 0;
		return PGAL_OK;
	}
	if (rc != PGAL_OK)
		return rc;
	*used = 1;
	return PGAL_OK;
}
