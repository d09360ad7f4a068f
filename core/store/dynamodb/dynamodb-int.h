/* Internal to the DynamoDB store (core/store/dynamodb/): the handle, the
 * item layout and the request helpers every part uses.
 *
 * Item kinds. Table PhotoGallery (albumID, photoID), both strings:
 *   album     A#<album id>   #ALBUM        the album: owner, name, title,
 *                                          counters, pending counter intents
 *   photo     A#<album id>   P#<name>      a photo; the key is the name
 *                                          lock (one conditional put)
 *   directory U#<user id>    A#<name>      album name lock and the user's
 *                                          album list, sorted by name
 *   locator   P#<photo id>   #             where photo id lives now (album
 *                                          id + name): the truth for moves
 *   blob ref  B#<blob id>    #             photo id using the blob: gc's
 *                                          strongly consistent "used"
 *   content   H#<user>#<sha> P#<hex pid>   one per photo of the user with
 *   ref                                    this SHA-256: the duplicate check
 *   layout    #LAYOUT        #             v 2: every photo has its refs
 *                                          (absent: a table from before
 *                                          refs, see refs.c)
 * Table PhotoGalleryUsers (pk, sk):
 *   user      U#<user id>    #USER         the account and its
 *                                          preferences (pref_<name>)
 *   name lock N#<user name>  #             user id
 *   session   S#<token hash> #             user id, times
 *   index     U#<user id>    S#<hash>      the user's sessions (for revoking)
 *   key       U#<user id>    K#<fp>        an SSH key
 *   mark      M#<name>       #             a mark (marks.c)
 *   pending   #PENDING       U#<hex id>    an unconfirmed account (marks.c)
 *
 * There is no TransactWriteItems (dynalite, the pinned test peer, lacks it):
 * every change of several items is a sequence of single-item conditional
 * writes ordered so that a crash between two steps leaves items that
 * readers ignore or repair (see dynamodb.c for the rules). */
#ifndef PGAL_STORE_DYNAMODB_INT_H
#define PGAL_STORE_DYNAMODB_INT_H

#include <stdint.h>

#include <jansson.h>

#include "aws/aws.h"
#include "store/rows.h"
#include "store/store.h"

#define DDB_TABLE_MAX 256
/* internal result of a write whose condition failed; never leaves the store */
#define DDB_CONDFAIL 100
/* an intent or a move marker older than this (seconds) is a crash leftover */
#define DDB_STALE_SECS 600
/* the users table's TTL attribute (epoch seconds): marks and sessions */
#define DDB_TTL_ATTR "expires"

struct ddb {
	pgal_store	 base;	/* first: the core sees a pgal_store */
	pgal_aws_client	*c;
	char		 gallery[DDB_TABLE_MAX];
	char		 users[DDB_TABLE_MAX];
	int64_t		 last_id;
	int		 bad;		/* a value could not be encoded */
	int		 attempts;	/* tries the last call took */
	char		 last_code[128];	/* error code of the last failed call, or "" */
	char		 added[256];	/* global indexes pgal init added */
	int		 refs;		/* the layout item says every photo has refs */
	int		 created;	/* this open created the gallery table */
	json_t		*gsi;		/* index name -> IndexStatus, gallery table */
	int64_t		 gsi_at;	/* when gsi was read (seconds) */
	int64_t		 migrated;	/* photos pgal init gave refs */
	char		 said[2048];	/* what pgal init turned on (protect.c) */
	char		 made[520];	/* the tables this process created */
	int		 changed;	/* pgal init changed something */
	int64_t		 session_idle;	/* session_idle_secs, session_max_secs: */
	int64_t		 session_max;	/* when a session item expires */
};

static inline struct ddb *
ddb_of(pgal_store *s)
{
	return (struct ddb *)s;
}

/* ---- requests (request.c) ---- */

/* Sends DynamoDB_20120810.<op> with body req (consumed). *out, if not NULL,
 * gets the parsed answer (the caller decrefs). Every call may be retried on
 * throttling and 5xx: each write is built to be idempotent. A failed
 * condition is DDB_CONDFAIL (e set to "condition failed"); anything else is
 * PGAL_EBACKEND with the service, code and request id. */
/* pgal init: point-in-time recovery, deletion protection, TTL (protect.c) */
int ddb_protect(struct ddb *d, const pgal_config *cfg, pgal_err *e);
int ddb_call(struct ddb *d, const char *op, json_t *req, json_t **out, pgal_err *e);

/* {"TableName": table} */
json_t *rq_new(const char *table);
/* "#attr" -> attr in ExpressionAttributeNames */
void rq_name(json_t *rq, const char *attr);
/* several names at once, NULL-terminated */
void rq_names(json_t *rq, ...) __attribute__((sentinel));
/* placeholder -> value in ExpressionAttributeValues (av consumed) */
void rq_val(json_t *rq, const char *ph, json_t *av);

/* attribute values; NULL marks d->bad when the text is not valid UTF-8 */
json_t *av_s(struct ddb *d, const char *s);
json_t *av_n(int64_t v);
/* an item attribute: strings only when not empty, doubles only when finite */
void it_s(struct ddb *d, json_t *item, const char *name, const char *s);
void it_n(json_t *item, const char *name, int64_t v);
void it_d(json_t *item, const char *name, double v);
/* a two-part key */
json_t *key2(struct ddb *d, const char *hk, const char *hv, const char *rk, const char *rv);

/* reading an item: missing attributes give the default */
void rd_s(const json_t *item, const char *name, char *buf, size_t size);
int64_t rd_n(const json_t *item, const char *name, int64_t dflt);
double rd_d(const json_t *item, const char *name, double dflt);
int rd_has(const json_t *item, const char *name);

/* UpdateExpression builder: empty strings become REMOVE */
struct upd {
	struct ddb *d;
	json_t	*rq;
	char	 set[2048], rem[512], add[512], del[256];
};
void upd_init(struct upd *u, struct ddb *d, json_t *rq);
void upd_set_s(struct upd *u, const char *attr, const char *v);
void upd_set_n(struct upd *u, const char *attr, int64_t v);
void upd_set_av(struct upd *u, const char *attr, json_t *av);
void upd_remove(struct upd *u, const char *attr);
void upd_add_n(struct upd *u, const char *attr, int64_t delta);
void upd_add_ss(struct upd *u, const char *attr, const char *elem);
void upd_del_ss(struct upd *u, const char *attr, const char *elem);
/* puts UpdateExpression into the request */
void upd_done(struct upd *u);
/* upd_done, then UpdateItem only if the item is there (its hash key
 * attribute exists): DDB_CONDFAIL when it is not */
int ddb_update_existing(struct upd *u, const char *hash, pgal_err *e);

/* GetItem, strongly consistent: PGAL_OK with *item (decref), or PGAL_ENOTFOUND
 * with `missing` as the message. */
int ddb_get(struct ddb *d, const char *table, json_t *key, json_t **item,
    const char *missing, pgal_err *e);
/* DeleteItem of key (consumed) only while its attr holds the number v:
 * DDB_CONDFAIL when it holds another (or the item is gone) */
int ddb_delete_if(struct ddb *d, const char *table, json_t *key, const char *attr, int64_t v,
    pgal_err *e);
/* PutItem of an item only where no item has its key yet or the one there is
 * our own (a retried write): the item carries a fresh write token. hash is
 * the table's hash key attribute; another item there is DDB_CONDFAIL.
 * item is consumed. */
int ddb_put_new(struct ddb *d, const char *table, const char *hash, json_t *item,
    pgal_err *e);
/* A strongly consistent Query of the partition hash = pk of table; when
 * prefix is not NULL only its items whose range key begins with prefix.
 * Placeholders :pk and :prefix are taken. */
json_t *rq_partition(struct ddb *d, const char *table, const char *hash, const char *pk,
    const char *range, const char *prefix);
/* Runs a Query to its end (or until fn returns 1), page by page with
 * ExclusiveStartKey. fn returns 0 to go on, 1 to stop, or a pgal code. */
typedef int (*ddb_item_fn)(struct ddb *d, json_t *item, void *arg, pgal_err *e);
int ddb_query(struct ddb *d, json_t *rq, ddb_item_fn fn, void *arg, pgal_err *e);
/* the same for a Scan (pgal init's migration only: nothing else scans) */
int ddb_scan(struct ddb *d, json_t *rq, ddb_item_fn fn, void *arg, pgal_err *e);
/* BatchWriteItem deletes of keys (a JSON array, consumed) in chunks of 25,
 * UnprocessedItems resent with capped exponential backoff. */
int ddb_batch_delete(struct ddb *d, const char *table, json_t *keys, pgal_err *e);
/* BatchWriteItem puts of items (array, consumed), the same way */
int ddb_batch_put(struct ddb *d, const char *table, json_t *items, pgal_err *e);
/* BatchGetItem of keys (array, consumed), consistent; *items gets an array
 * of the items found, in no particular order. */
int ddb_batch_get(struct ddb *d, const char *table, json_t *keys, json_t **items,
    pgal_err *e);

/* ---- keys and ids (dynamodb.c) ---- */

/* A new id: milliseconds since 2024 << 12 | 12 random bits, strictly
 * increasing within a process (dynamodb.c says why). */
#define DDB_ID_TRIES 4
int ddb_new_id(struct ddb *d, pgal_id *id, pgal_err *e);
/* 16 hex digits that sort like the signed value */
void ddb_hex64(char out[17], int64_t v);
/* a random write token for idempotent conditional creates */
int ddb_token(char out[17], pgal_err *e);
/* PGAL_OK if the gallery table's global index can answer now; else a clear
 * PGAL_EBACKEND naming it (missing, or still filling: wait, or pgal init).
 * An index not ready is asked about again at most every few seconds. */
int ddb_need_index(struct ddb *d, const char *index, pgal_err *e);

/* ---- the operations, one file per concept ---- */

int ddb_user_create(pgal_store *s, pgal_user *u, pgal_err *e);
int ddb_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e);
int ddb_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e);
int ddb_user_update(pgal_store *s, const pgal_user *u, pgal_err *e);
int ddb_user_delete(pgal_store *s, pgal_id id, pgal_err *e);
int ddb_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e);
int ddb_session_get(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e);
int ddb_session_touch(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e);
int ddb_session_delete(pgal_store *s, const char *token_hash, pgal_err *e);
int ddb_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e);
int ddb_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e);
int ddb_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e);
int ddb_key_find(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e);
int ddb_key_delete(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e);
/* marks.c: marks and the accounts waiting for confirmation */
int ddb_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e);
int ddb_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e);
int ddb_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e);
int ddb_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e);
int ddb_upload_put(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e);
int ddb_upload_touch(pgal_store *s, pgal_id user_id, const char *holder, int64_t until,
    pgal_err *e);
int ddb_upload_delete(pgal_store *s, pgal_id user_id, const char *album, const char *name,
    const char *holder, int64_t now, pgal_err *e);
int ddb_upload_list(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
    pgal_upload **out, size_t *n, pgal_err *e);
int ddb_mark_delete(pgal_store *s, const char *name, pgal_err *e);
int ddb_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e);
/* prefs.c */
int ddb_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e);
int ddb_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value,
    pgal_err *e);
/* the pending item of an unconfirmed account: put at sign-up, deleted
 * once it is confirmed or gone (both idempotent) */
int ddb_pending_put(struct ddb *d, pgal_id id, int64_t created_at, pgal_err *e);
int ddb_pending_delete(struct ddb *d, pgal_id id, pgal_err *e);

int ddb_album_create(pgal_store *s, pgal_album *a, pgal_err *e);
int ddb_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e);
int ddb_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e);
int ddb_album_update(pgal_store *s, const pgal_album *a, pgal_err *e);
int ddb_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e);
/* accounts: the partition of a user: the user item, its preferences and
 * its album directory ("U#<user id>") */
void ddb_user_pk(char *buf, size_t size, pgal_id user_id);
/* albums: the helpers photos need */
void ddb_album_pk(char *buf, size_t size, pgal_id album_id);
int ddb_album_name(struct ddb *d, pgal_id album_id, char *name, size_t size, pgal_err *e);
/* the ids of a user's albums from the directory, in name order, each once
 * (a leftover entry of a renamed album names it again); *ids malloc'd */
int ddb_album_dir(struct ddb *d, pgal_id user_id, pgal_id **ids, size_t *n, pgal_err *e);
/* counter intents: "i" (insert) or "d" (delete) of photo_id with bytes */
int ddb_intent_begin(struct ddb *d, pgal_id album_id, char kind, pgal_id photo_id,
    int64_t bytes, char *elem, size_t elemsz, pgal_err *e);
/* applies (or, with apply 0, drops) an intent; touches updated_at when now > 0 */
int ddb_intent_end(struct ddb *d, pgal_id album_id, const char *elem, int apply,
    int64_t now, pgal_err *e);
/* 1 if photo_id lives in album_id now (its locator and its item agree) */
int ddb_photo_here(struct ddb *d, pgal_id album_id, pgal_id photo_id, int *here, pgal_err *e);

/* photos: the helpers lists need (photos.c) */
json_t *ddb_photo_key(struct ddb *d, pgal_id album_id, const char *name);
/* the photo item of photo_id where its locator says it is, or PGAL_ENOTFOUND */
int ddb_photo_locate(struct ddb *d, pgal_id photo_id, json_t **item, pgal_err *e);
void ddb_photo_read(const json_t *it, const char *album, pgal_photo *p);
/* 0 in *valid for a copy left behind by a move */
int ddb_photo_valid(struct ddb *d, const json_t *it, int *valid, pgal_err *e);

int ddb_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e);
int ddb_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e);
int ddb_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e);
int ddb_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e);
int ddb_photo_set_digests(pgal_store *s, pgal_id photo_id, const char *md5, const char *sha1,
			  pgal_err *e);
int ddb_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e);
int ddb_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int ddb_photo_list_before(pgal_store *s, pgal_id album_id, pgal_sort sort,
    const pgal_cursor *before, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int ddb_photo_search(pgal_store *s, pgal_id user_id, pgal_id album_id, const char *const *words,
    size_t nwords, const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
int ddb_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e);
int ddb_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e);
int ddb_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e);

/* refs (refs.c): written before a photo item, removed after
 * it. put: the blob ref (a blob id another photo uses is PGAL_EINPUT) and
 * the content ref of photo pid. */
int ddb_refs_put(struct ddb *d, pgal_id user_id, const char *sha256, const char *blob_id,
    pgal_id pid, pgal_err *e);
int ddb_refs_del(struct ddb *d, pgal_id user_id, const char *sha256, const char *blob_id,
    pgal_id pid, pgal_err *e);
/* appends the keys of a photo item's refs to keys (cascades) */
void ddb_refs_keys(struct ddb *d, const json_t *photo, json_t *keys);
/* reads the layout item into d->refs */
int ddb_layout_read(struct ddb *d, pgal_err *e);
/* the layout item for a table that has no photo from before refs */
int ddb_layout_write(struct ddb *d, pgal_err *e);
/* pgal init: refs for every photo of a table from before refs (one Scan),
 * then the layout item; d->migrated counts the photos */
int ddb_refs_migrate(struct ddb *d, pgal_err *e);

#endif
