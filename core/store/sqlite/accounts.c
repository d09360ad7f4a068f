/* SQLite store: users, sessions and SSH keys. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sshkey.h"
#include "store/sqlite/sqlite-int.h"

/* ---- users ---- */

static void
user_read(sqlite3_stmt *st, void *row)
{
	pgal_user *u = row;

	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	COL_FIELD(st, 1, u->name);
	COL_FIELD(st, 2, u->email);
	COL_FIELD(st, 3, u->pwhash);
	u->confirmed = sqlite3_column_int(st, 4);
	u->created_at = sqlite3_column_int64(st, 5);
	COL_FIELD(st, 6, u->code_hash);
	u->code_expires_at = sqlite3_column_int64(st, 7);
	u->code_tries = sqlite3_column_int(st, 8);
	u->failed_logins = sqlite3_column_int(st, 9);
	u->locked_until = sqlite3_column_int64(st, 10);
}


int
sq_user_create(pgal_store *s, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_INSERT);
	char thing[PGAL_USER_MAX + 16];
	int rc;

	BIND_FIELD(st, 1, u->name);
	BIND_FIELD(st, 2, u->email);
	BIND_FIELD(st, 3, u->pwhash);
	sqlite3_bind_int(st, 4, u->confirmed);
	bind_i64(st, 5, u->created_at);
	BIND_FIELD(st, 6, u->code_hash);
	bind_i64(st, 7, u->code_expires_at);
	sqlite3_bind_int(st, 8, u->code_tries);
	sqlite3_bind_int(st, 9, u->failed_logins);
	bind_i64(st, 10, u->locked_until);
	snprintf(thing, sizeof thing, "user '%.*s'", PGAL_USER_MAX, u->name);
	if ((rc = sq_exec(q, st, e, thing, NULL)) != PGAL_OK)
		return rc;
	u->id = sqlite3_last_insert_rowid(q->db);
	return PGAL_OK;
}

int
sq_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_BY_NAME);
	char what[PGAL_USER_MAX + 32];

	bind_text(st, 1, name, PGAL_USER_MAX + 1);
	snprintf(what, sizeof what, "no such user '%.*s'", PGAL_USER_MAX, name);
	return sq_get_one(q, st, e, what, user_read, u);
}

int
sq_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_BY_ID);

	bind_i64(st, 1, id);
	return sq_get_one(q, st, e, "no such user", user_read, u);
}


int
sq_user_update(pgal_store *s, const pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_UPDATE);

	bind_i64(st, 1, u->id);
	BIND_FIELD(st, 2, u->email);
	BIND_FIELD(st, 3, u->pwhash);
	sqlite3_bind_int(st, 4, u->confirmed);
	BIND_FIELD(st, 5, u->code_hash);
	bind_i64(st, 6, u->code_expires_at);
	sqlite3_bind_int(st, 7, u->code_tries);
	sqlite3_bind_int(st, 8, u->failed_logins);
	bind_i64(st, 9, u->locked_until);
	return sq_change_one(q, st, e, NULL, NULL, "no such user");
}

/* One statement, so one transaction: the foreign keys cascade to sessions,
 * albums, photos, tags and keys. */
int
sq_user_delete(pgal_store *s, pgal_id id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_DELETE);

	bind_i64(st, 1, id);
	return sq_change_one(q, st, e, NULL, NULL, "no such user");
}

/* ---- sessions ---- */

int
sq_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_INSERT);

	BIND_FIELD(st, 1, r->token_hash);
	bind_i64(st, 2, r->user_id);
	bind_i64(st, 3, r->created_at);
	bind_i64(st, 4, r->last_seen);
	return sq_exec(q, st, e, "session", "user");
}

int
sq_session_get(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_GET);
	int rc;

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	if ((rc = sq_get_row(q, st, e, "no such session")) != PGAL_OK)
		return rc;
	memset(r, 0, sizeof *r);
	COL_FIELD(st, 0, r->token_hash);
	r->user_id = sqlite3_column_int64(st, 1);
	r->created_at = sqlite3_column_int64(st, 2);
	r->last_seen = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return PGAL_OK;
}

int
sq_session_touch(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_TOUCH);

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	bind_i64(st, 2, now);
	return sq_change_one(q, st, e, NULL, NULL, "no such session");
}

int
sq_session_delete(pgal_store *s, const char *token_hash, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_DELETE);

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	return sq_change_one(q, st, e, NULL, NULL, "no such session");
}

int
sq_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_DELETE_USER);

	bind_i64(st, 1, user_id);
	if (keep_hash != NULL)
		bind_text(st, 2, keep_hash, PGAL_SHA256_HEX + 1);
	return sq_exec(q, st, e, NULL, NULL);
}

/* ---- SSH keys ---- */

static void
key_read(sqlite3_stmt *st, void *row)
{
	pgal_ssh_key *k = row;

	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(st, 0);
	COL_FIELD(st, 1, k->algo);
	COL_FIELD(st, 2, k->fingerprint);
	COL_FIELD(st, 3, k->comment);
	k->created_at = sqlite3_column_int64(st, 4);
}

/* created_at is the caller's clock if given, else now */
int
sq_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_INSERT);
	char thing[sizeof k->fingerprint + 16];
	int64_t created = k->created_at != 0 ? k->created_at : (int64_t)time(NULL);
	int rc;

	bind_i64(st, 1, user_id);
	BIND_FIELD(st, 2, k->algo);
	bind_text(st, 3, key_base64, PGAL_SSHKEY_B64_MAX + 1);
	BIND_FIELD(st, 4, k->comment);
	BIND_FIELD(st, 5, k->fingerprint);
	bind_i64(st, 6, created);
	snprintf(thing, sizeof thing, "key %.*s", (int)sizeof k->fingerprint, k->fingerprint);
	if ((rc = sq_exec(q, st, e, thing, "user")) != PGAL_OK)
		return rc;
	k->id = sqlite3_last_insert_rowid(q->db);
	k->created_at = created;
	return PGAL_OK;
}

int
sq_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_LIST);

	bind_i64(st, 1, user_id);
	return sq_collect(q, st, sizeof **out, key_read, (void **)out, n, e);
}

int
sq_key_find(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_FIND);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, fingerprint, sizeof k->fingerprint);
	return sq_get_one(q, st, e, "no such key", key_read, k);
}

int
sq_key_delete(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_DELETE);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, fingerprint, sizeof((pgal_ssh_key *)0)->fingerprint);
	return sq_change_one(q, st, e, NULL, NULL, "no such key");
}
