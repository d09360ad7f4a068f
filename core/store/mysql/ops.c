/* MySQL store: the operations table. Each operation's body (accounts.c,
 * photos.c, ...) runs inside a retry: a connection the server dropped is
 * reopened and the call run again once, and so is a transaction InnoDB
 * rolled back on a deadlock; a change that may already have been made
 * inside a transaction is reported, never replayed blindly. */

#include <stdint.h>
#include <string.h>

#include "store/mysql/mysql-int.h"
#include "store/store.h"

static void
my_op_start(struct my *q)
{
	q->lost = 0;
	q->deadlock = 0;
	q->tx_work = 0;
}

/* After a failed attempt: 1 if the operation is to run once more. A lost
 * connection is reopened (statements are prepared again on use). */
static int
my_again(struct my *q, int rc, pgal_err *e)
{
	pgal_err ce;
	char first[sizeof e->msg];
	int tx_work = q->tx_work;

	if (rc == PGAL_OK)
		return 0;
	if (q->deadlock && !q->lost) {
		/* InnoDB rolled the whole transaction back: safe to rerun */
		my_rollback(q);
		return 1;
	}
	if (!q->lost)
		return 0;
	q->reconnects++;
	if (my_connect(q, &ce) != PGAL_OK) {
		memcpy(first, e->msg, sizeof first);
		pgal_fail(e, PGAL_EBACKEND, "%.200s; reconnecting failed: %.280s", first, ce.msg);
		return 0;
	}
	if (tx_work) {
		pgal_fail(e, PGAL_EBACKEND, "MySQL: the connection was lost in the "
		    "middle of a change, which may not have been saved; it was not "
		    "retried (reconnected for the next call)");
		return 0;
	}
	return 1;
}

#define MY_CALL(s, call) do {						\
	struct my *q_ = my_of(s);					\
	int rc_;							\
	my_op_start(q_);						\
	rc_ = (call);							\
	if (my_again(q_, rc_, e)) {					\
		my_op_start(q_);					\
		rc_ = (call);						\
	}								\
	return rc_;							\
} while (0)

static int
w_user_create(pgal_store *s, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_create(q_, u, e));
}

static int
w_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_get_by_name(q_, name, u, e));
}

static int
w_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_get(q_, id, u, e));
}

static int
w_user_update(pgal_store *s, const pgal_user *u, pgal_err *e)
{
	MY_CALL(s, my_user_update(q_, u, e));
}

static int
w_user_delete(pgal_store *s, pgal_id id, pgal_err *e)
{
	MY_CALL(s, my_user_delete(q_, id, e));
}

static int
w_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e)
{
	MY_CALL(s, my_session_create(q_, r, e));
}

static int
w_session_get(pgal_store *s, const char *h, pgal_session_row *r, pgal_err *e)
{
	MY_CALL(s, my_session_get(q_, h, r, e));
}

static int
w_session_touch(pgal_store *s, const char *h, int64_t now, pgal_err *e)
{
	MY_CALL(s, my_session_touch(q_, h, now, e));
}

static int
w_session_delete(pgal_store *s, const char *h, pgal_err *e)
{
	MY_CALL(s, my_session_delete(q_, h, e));
}

static int
w_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep, pgal_err *e)
{
	MY_CALL(s, my_session_delete_user(q_, user_id, keep, e));
}

static int
w_album_create(pgal_store *s, pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_create(q_, a, e));
}

static int
w_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_get(q_, user_id, name, a, e));
}

static int
w_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_album_list(q_, user_id, out, n, e));
}

static int
w_album_update(pgal_store *s, const pgal_album *a, pgal_err *e)
{
	MY_CALL(s, my_album_update(q_, a, e));
}

static int
w_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e)
{
	MY_CALL(s, my_album_delete(q_, album_id, e));
}

static int
w_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_insert(q_, p, e));
}

static int
w_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_get(q_, album_id, name, p, e));
}

static int
w_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_update(q_, p, e));
}

static int
w_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e)
{
	MY_CALL(s, my_photo_delete(q_, photo_id, e));
}

static int
w_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
    pgal_err *e)
{
	MY_CALL(s, my_photo_set_digests(q_, photo_id, md5, sha1, e));
}

static int
w_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha, pgal_photo *p, pgal_err *e)
{
	MY_CALL(s, my_photo_find_sha(q_, user_id, sha, p, e));
}

static int
w_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_list(q_, album_id, sort, after, limit, out, n, e));
}

static int
w_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *before,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_list_before(q_, album_id, sort, before, limit, out, n, e));
}

static int
w_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_photo_search(q_, user_id, album_id, words, nwords, tag, limit, out, n, e));
}

static int
w_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_blob_ids(q_, MS_BLOBS_USER, user_id, ids, n, e));
}

static int
w_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_blob_ids(q_, MS_BLOBS_ALBUM, album_id, ids, n, e));
}

static int
w_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e)
{
	MY_CALL(s, my_blob_id_used(q_, blob_id, used, e));
}

static int
w_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *b64, pgal_err *e)
{
	MY_CALL(s, my_key_add(q_, user_id, k, b64, e));
}

static int
w_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_key_list(q_, user_id, out, n, e));
}

static int
w_key_find(pgal_store *s, pgal_id user_id, const char *fp, pgal_ssh_key *k, pgal_err *e)
{
	MY_CALL(s, my_key_find(q_, user_id, fp, k, e));
}

static int
w_key_delete(pgal_store *s, pgal_id user_id, const char *fp, pgal_err *e)
{
	MY_CALL(s, my_key_delete(q_, user_id, fp, e));
}

static int
w_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_user_ids_unconfirmed(q_, before, ids, n, e));
}

static int
w_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e)
{
	MY_CALL(s, my_mark_get(q_, name, now, until, e));
}

static int
w_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e)
{
	MY_CALL(s, my_mark_add(q_, name, now, step, until, e));
}

static int
w_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e)
{
	MY_CALL(s, my_mark_claim(q_, name, now, until, claimed, e));
}

static int
w_mark_delete(pgal_store *s, const char *name, pgal_err *e)
{
	MY_CALL(s, my_mark_delete(q_, name, e));
}

static int
w_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e)
{
	MY_CALL(s, my_mark_prune(q_, now, removed, e));
}

static int
w_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e)
{
	MY_CALL(s, my_upload_put(q_, user_id, u, e));
}

static int
w_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until, pgal_err *e)
{
	MY_CALL(s, my_upload_touch(q_, user_id, holder, until, e));
}

static int
w_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e)
{
	MY_CALL(s, my_upload_delete(q_, user_id, album, name, holder, now, e));
}

static int
w_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_upload_list(q_, user_id, album, now, out, n, e));
}

static int
w_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e)
{
	MY_CALL(s, my_pref_list(q_, user_id, out, n, e));
}

static int
w_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value, pgal_err *e)
{
	MY_CALL(s, my_pref_set(q_, user_id, name, value, e));
}

const pgal_store_ops pgal_store_mysql = {
	.name = "mysql",
	.describe = my_describe,
	.open = my_open,
	.close = my_close,
	.user_create = w_user_create,
	.user_get_by_name = w_user_get_by_name,
	.user_get = w_user_get,
	.user_update = w_user_update,
	.user_delete = w_user_delete,
	.session_create = w_session_create,
	.session_get = w_session_get,
	.session_touch = w_session_touch,
	.session_delete = w_session_delete,
	.session_delete_user = w_session_delete_user,
	.album_create = w_album_create,
	.album_get = w_album_get,
	.album_list = w_album_list,
	.album_update = w_album_update,
	.album_delete = w_album_delete,
	.photo_insert = w_photo_insert,
	.photo_get = w_photo_get,
	.photo_update = w_photo_update,
	.photo_delete = w_photo_delete,
	.photo_find_sha = w_photo_find_sha,
	.photo_set_digests = w_photo_set_digests,
	.photo_list = w_photo_list,
	.photo_list_before = w_photo_list_before,
	.photo_search = w_photo_search,
	.blob_ids_user = w_blob_ids_user,
	.blob_ids_album = w_blob_ids_album,
	.blob_id_used = w_blob_id_used,
	.key_add = w_key_add,
	.key_list = w_key_list,
	.key_find = w_key_find,
	.key_delete = w_key_delete,
	.user_ids_unconfirmed = w_user_ids_unconfirmed,
	.mark_get = w_mark_get,
	.mark_add = w_mark_add,
	.mark_claim = w_mark_claim,
	.mark_delete = w_mark_delete,
	.mark_prune = w_mark_prune,
	.upload_put = w_upload_put,
	.upload_touch = w_upload_touch,
	.upload_delete = w_upload_delete,
	.upload_list = w_upload_list,
	.pref_list = w_pref_list,
	.pref_set = w_pref_set,
};
