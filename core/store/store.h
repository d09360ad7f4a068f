/* Metadata store: a vtable chosen once from the config. Backends (sqlite,
 * mysql, dynamodb) implement exactly these operations; the core does
 * every check (validation, ownership) before calling them, so a backend only
 * stores and fetches. All functions return PGAL_OK or a pgal_code and fill e.
 *
 * Conventions every backend follows:
 * - "not found" is PGAL_ENOTFOUND with a message naming the thing;
 * - a uniqueness conflict (user name, album name per user, photo name per
 *   album) is PGAL_EINPUT with a message saying it already exists;
 * - anything else going wrong is PGAL_EBACKEND.
 */
#ifndef PGAL_STORE_H
#define PGAL_STORE_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "records.h"

typedef struct pgal_store pgal_store;

/* How a process opens the store. Only `pgal init` creates or changes
 * tables (INIT); every other command, the SSH server and the TUI open in
 * USE mode and fail with PGAL_EBACKEND naming what is missing ("table X
 * does not exist; run pgal init"), so a typo in a table name never gives
 * an empty gallery. SQLite, a file of pgal's own and the zero-config
 * default, is made and migrated in both modes. */
typedef enum pgal_store_mode { PGAL_STORE_USE, PGAL_STORE_INIT } pgal_store_mode;

typedef struct pgal_store_ops {
	const char *name;	/* first: the registry finds the table by it */
	/* `pgal init`: prepare does what open leaves out because every command
	 * and connection opens the store and must not wait (NULL: nothing to
	 * do); describe then says where the data lives, the text after
	 * "store <name>: " ("ok (schema version 1, /var/pgal/pgal.db)"; NULL:
	 * "ok"), never a secret. */
	int (*prepare)(pgal_store *s, const pgal_config *cfg, pgal_err *e);
	void (*describe)(pgal_store *s, const pgal_config *cfg, char *out, size_t size);
	/* called once per process; with PGAL_STORE_INIT it creates/migrates
	 * the schema, with PGAL_STORE_USE it refuses a missing or older one */
	int (*open)(pgal_store **s, const pgal_config *cfg, pgal_store_mode mode,
		    pgal_err *e);
	void (*close)(pgal_store *s);

	/* users; u->id is set by user_create */
	int (*user_create)(pgal_store *s, pgal_user *u, pgal_err *e);
	int (*user_get_by_name)(pgal_store *s, const char *name, pgal_user *u, pgal_err *e);
	int (*user_get)(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e);
	/* writes every mutable field: email, pwhash, confirmed, code_*, failed_logins, locked_until */
	int (*user_update)(pgal_store *s, const pgal_user *u, pgal_err *e);
	/* deletes the user and, in one transaction, every album, photo, tag, key and session */
	int (*user_delete)(pgal_store *s, pgal_id id, pgal_err *e);

	/* sessions, keyed by the SHA-256 of the token */
	int (*session_create)(pgal_store *s, const pgal_session_row *r, pgal_err *e);
	int (*session_get)(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e);
	int (*session_touch)(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e);
	int (*session_delete)(pgal_store *s, const char *token_hash, pgal_err *e);
	/* every session of the user except `keep_hash` (NULL: all) */
	int (*session_delete_user)(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e);

	/* albums; a->id set by album_create. album_get/list fill photo_count and bytes. */
	int (*album_create)(pgal_store *s, pgal_album *a, pgal_err *e);
	int (*album_get)(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e);
	/* all albums of a user sorted by name; *out is malloc'd (free with free()) */
	int (*album_list)(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e);
	/* writes name, title, description, updated_at of album a->id */
	int (*album_update)(pgal_store *s, const pgal_album *a, pgal_err *e);
	/* deletes the album row and its photo rows (blobs are the core's job) */
	int (*album_delete)(pgal_store *s, pgal_id album_id, pgal_err *e);

	/* photos; p->id set by photo_insert (conflict on album+name is PGAL_EINPUT).
	 * Also bumps the album's updated_at. */
	int (*photo_insert)(pgal_store *s, pgal_photo *p, pgal_err *e);
	int (*photo_get)(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e);
	/* writes name, album_id, title, description, tags, mtime of photo p->id */
	int (*photo_update)(pgal_store *s, const pgal_photo *p, pgal_err *e);
	int (*photo_delete)(pgal_store *s, pgal_id photo_id, pgal_err *e);
	/* writes the MD5 and SHA-1 (hex) of photo photo_id's original, for a
	 * row stored before they were kept; PGAL_ENOTFOUND if it is gone */
	int (*photo_set_digests)(pgal_store *s, pgal_id photo_id, const char *md5,
				 const char *sha1, pgal_err *e);
	/* a photo of this user with this SHA-256, if any (PGAL_ENOTFOUND if none) */
	int (*photo_find_sha)(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e);
	/* one page, keyset-paginated after `after` in the given order; out has room for `limit` */
	int (*photo_list)(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
			  size_t limit, pgal_photo *out, size_t *n, pgal_err *e);
	/* the reverse read: the (at most) limit rows just before `before` in the
	 * same order as photo_list, ties by id the same way; `before` NULL or not
	 * valid: the last rows of the album. Rows come in forward order, so
	 * reading back from the end gives photo_list's sequence page by page. */
	int (*photo_list_before)(pgal_store *s, pgal_id album_id, pgal_sort sort,
				 const pgal_cursor *before, size_t limit, pgal_photo *out,
				 size_t *n, pgal_err *e);
	/* photos of the user whose title, description or name contain every word
	 * (case-insensitive) and, if tag is not NULL, carry that tag; only those
	 * in album album_id when it is not 0 (an album of another user: none).
	 * Newest added first (ties: higher id first); at most limit */
	int (*photo_search)(pgal_store *s, pgal_id user_id, pgal_id album_id,
			    const char *const *words, size_t nwords, const char *tag, size_t limit,
			    pgal_photo *out, size_t *n, pgal_err *e);
	/* blob ids of the user's photos (for cancel) or of an album (for rmalbum);
	 * *ids is an array of malloc'd strings, free with pgal_store_free_ids */
	int (*blob_ids_user)(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e);
	int (*blob_ids_album)(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e);
	/* 1 if some photo row references this blob id, else 0 (for gc) */
	int (*blob_id_used)(pgal_store *s, const char *blob_id, int *used, pgal_err *e);

	/* SSH public keys of a user, identified by fingerprint (unique per user:
	 * a second add is PGAL_EINPUT). k->id and k->created_at set by key_add. */
	int (*key_add)(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e);
	/* oldest first; *out malloc'd */
	int (*key_list)(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e);
	int (*key_find)(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e);
	int (*key_delete)(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e);

	/* ids of the accounts still unconfirmed that were created before
	 * `before` (for gc); *ids malloc'd */
	int (*user_ids_unconfirmed)(pgal_store *s, int64_t before, pgal_id **ids, size_t *n,
				    pgal_err *e);

	/* Marks: named moments that every process and host of the gallery
	 * shares (login throttles, mail limits, live codes: core/limits/).
	 * A name is 1..PGAL_MARK_NAME_MAX printable ASCII bytes; a mark whose
	 * moment is at or before `now` counts as absent. */
	/* the live mark's moment in *until, PGAL_ENOTFOUND if there is none */
	int (*mark_get)(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e);
	/* atomically until = max(until, now) + step (an absent mark is now),
	 * the new moment in *until; step may be negative (a refund) */
	int (*mark_add)(pgal_store *s, const char *name, int64_t now, int64_t step,
			int64_t *until, pgal_err *e);
	/* sets the moment to until only if no live mark exists; *claimed 1 then */
	int (*mark_claim)(pgal_store *s, const char *name, int64_t now, int64_t until,
			  int *claimed, pgal_err *e);
	/* removes the mark, live or not (none is not an error) */
	int (*mark_delete)(pgal_store *s, const char *name, pgal_err *e);
	/* removes the marks at or before now; *removed (may be NULL) counts them.
	 * A backend that expires items itself may remove nothing here. */
	int (*mark_prune)(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e);

	/* Uploads still being stored (records.h pgal_upload), keyed by user,
	 * album, name and holder; a row whose until is at or before `now`
	 * counts as absent. */
	/* writes the row (a new one, or the same key's again with new facts) */
	int (*upload_put)(pgal_store *s, pgal_id user_id, const pgal_upload *u, pgal_err *e);
	/* sets until on every row of the user's that holder holds */
	int (*upload_touch)(pgal_store *s, pgal_id user_id, const char *holder, int64_t until,
			    pgal_err *e);
	/* removes one row (none is not an error) and the user's rows that
	 * expired at or before now */
	int (*upload_delete)(pgal_store *s, pgal_id user_id, const char *album, const char *name,
			     const char *holder, int64_t now, pgal_err *e);
	/* the user's live rows, in album (NULL: every album), by album and
	 * name; *out malloc'd */
	int (*upload_list)(pgal_store *s, pgal_id user_id, const char *album, int64_t now,
			   pgal_upload **out, size_t *n, pgal_err *e);
	/* Preferences of an account: name -> value, both checked by the core
	 * (core/prefs.c) before they get here; they go with the user. */
	/* every one the user has set, sorted by name (no such user: none);
	 * *out malloc'd */
	int (*pref_list)(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e);
	/* sets one, replacing its value; PGAL_ENOTFOUND if there is no such user */
	int (*pref_set)(pgal_store *s, pgal_id user_id, const char *name, const char *value,
			pgal_err *e);
} pgal_store_ops;

#define PGAL_MARK_NAME_MAX 200

struct pgal_store {
	const pgal_store_ops *ops;
};

/* The backend named by cfg->store ("sqlite"), or NULL. */
const pgal_store_ops *pgal_store_find(const char *name);
void pgal_store_free_ids(char **ids, size_t n);

extern const pgal_store_ops pgal_store_sqlite;
extern const pgal_store_ops pgal_store_mysql;
extern const pgal_store_ops pgal_store_dynamodb;

#endif
