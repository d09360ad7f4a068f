/* MySQL store: users, sessions and SSH keys. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sshkey.h"
#include "store/mysql/mysql-int.h"

/* ---- users ---- */

static void
user_cols(struct my_cols *c, pgal_user *u)
{
	memset(u, 0, sizeof *u);
	col_i64(c, &u->id);
	COL_FIELD(c, u->name);
	COL_FIELD(c, u->email);
	COL_FIELD(c, u->pwhash);
	col_int(c, &u->confirmed);
	col_i64(c, &u->created_at);
	COL_FIELD(c, u->code_hash);
	col_i64(c, &u->code_expires_at);
	col_int(c, &u->code_tries);
	col_int(c, &u->failed_logins);
	col_i64(c, &u->locked_until);
}

int
my_user_create(struct my *q, pgal_user *u, pgal_err *e)
{
	struct my_args a;
	char thing[PGAL_USER_MAX + 16];
	int rc;

	my_args_init(&a);
	ARG_FIELD(&a, u->name);
	ARG_FIELD(&a, u->email);
	ARG_FIELD(&a, u->pwhash);
	arg_i64(&a, u->confirmed);
	arg_i64(&a, u->created_at);
	ARG_FIELD(&a, u->code_hash);
	arg_i64(&a, u->code_expires_at);
	arg_i64(&a, u->code_tries);
	arg_i64(&a, u->failed_logins);
	arg_i64(&a, u->locked_until);
	snprintf(thing, sizeof thing, "user '%.*s'", PGAL_USER_MAX, u->name);
	if ((rc = my_exec(q, MS_USER_INSERT, &a, e, thing, NULL)) != PGAL_OK)
		return rc;
	u->id = (pgal_id)my_insert_id(q, MS_USER_INSERT);
	return PGAL_OK;
}

static int
user_get(struct my *q, int id, struct my_args *a, pgal_user *u, pgal_err *e, const char *what)
{
	struct my_cols c;
	pgal_user tmp;
	int rc;

	my_cols_init(&c);
	user_cols(&c, &tmp);
	if ((rc = my_get_row(q, id, a, &c, e, what)) != PGAL_OK)
		return rc;
	*u = tmp;
	return PGAL_OK;
}

int
my_user_get_by_name(struct my *q, const char *name, pgal_user *u, pgal_err *e)
{
	struct my_args a;
	char what[PGAL_USER_MAX + 32];

	my_args_init(&a);
	arg_text(&a, name, PGAL_USER_MAX + 1);
	snprintf(what, sizeof what, "no such user '%.*s'", PGAL_USER_MAX, name);
	return user_get(q, MS_USER_BY_NAME, &a, u, e, what);
}

int
my_user_get(struct my *q, pgal_id id, pgal_user *u, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, id);
	return user_get(q, MS_USER_BY_ID, &a, u, e, "no such user");
}

int
my_user_update(struct my *q, const pgal_user *u, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	ARG_FIELD(&a, u->email);
	ARG_FIELD(&a, u->pwhash);
	arg_i64(&a, u->confirmed);
	ARG_FIELD(&a, u->code_hash);
	arg_i64(&a, u->code_expires_at);
	arg_i64(&a, u->code_tries);
	arg_i64(&a, u->failed_logins);
	arg_i64(&a, u->locked_until);
	arg_i64(&a, u->id);
	return my_change_one(q, MS_USER_UPDATE, &a, e, NULL, NULL, "no such user");
}

/* One statement, so one transaction: InnoDB deletes the user and every row
 * that cascades from it, or nothing. */
int
my_user_delete(struct my *q, pgal_id id, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, id);
	return my_change_one(q, MS_USER_DELETE, &a, e, NULL, NULL, "no such user");
}

/* ---- sessions ---- */

int
my_session_create(struct my *q, const pgal_session_row *r, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	ARG_FIELD(&a, r->token_hash);
	arg_i64(&a, r->user_id);
	arg_i64(&a, r->created_at);
	arg_i64(&a, r->last_seen);
	return my_exec(q, MS_SESSION_INSERT, &a, e, "session", "user");
}

int
my_session_get(struct my *q, const char *token_hash, pgal_session_row *r, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	pgal_session_row tmp;
	int rc;

	my_args_init(&a);
	arg_text(&a, token_hash, PGAL_SHA256_HEX + 1);
	memset(&tmp, 0, sizeof tmp);
	my_cols_init(&c);
	COL_FIELD(&c, tmp.token_hash);
	col_i64(&c, &tmp.user_id);
	col_i64(&c, &tmp.created_at);
	col_i64(&c, &tmp.last_seen);
	if ((rc = my_get_row(q, MS_SESSION_GET, &a, &c, e, "no such session")) != PGAL_OK)
		return rc;
	*r = tmp;
	return PGAL_OK;
}

int
my_session_touch(struct my *q, const char *token_hash, int64_t now, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, now);
	arg_text(&a, token_hash, PGAL_SHA256_HEX + 1);
	return my_change_one(q, MS_SESSION_TOUCH, &a, e, NULL, NULL, "no such session");
}

int
my_session_delete(struct my *q, const char *token_hash, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_text(&a, token_hash, PGAL_SHA256_HEX + 1);
	return my_change_one(q, MS_SESSION_DELETE, &a, e, NULL, NULL, "no such session");
}

int
my_session_delete_user(struct my *q, pgal_id user_id, const char *keep_hash, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	if (keep_hash == NULL)
		return my_exec(q, MS_SESSION_DELETE_USER, &a, e, NULL, NULL);
	arg_text(&a, keep_hash, PGAL_SHA256_HEX + 1);
	return my_exec(q, MS_SESSION_DELETE_USER_KEEP, &a, e, NULL, NULL);
}

/* ---- SSH keys ---- */

static void
key_cols(struct my_cols *c, void *row)
{
	pgal_ssh_key *k = row;

	memset(k, 0, sizeof *k);
	col_i64(c, &k->id);
	COL_FIELD(c, k->algo);
	COL_FIELD(c, k->fingerprint);
	COL_FIELD(c, k->comment);
	col_i64(c, &k->created_at);
}

/* created_at is the caller's clock if given, else now */
int
my_key_add(struct my *q, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e)
{
	struct my_args a;
	char thing[sizeof k->fingerprint + 16];
	int64_t created = k->created_at != 0 ? k->created_at : (int64_t)time(NULL);
	int rc;

	my_args_init(&a);
	arg_i64(&a, user_id);
	ARG_FIELD(&a, k->algo);
	arg_text(&a, key_base64, PGAL_SSHKEY_B64_MAX + 1);
	ARG_FIELD(&a, k->comment);
	ARG_FIELD(&a, k->fingerprint);
	arg_i64(&a, created);
	snprintf(thing, sizeof thing, "key %.*s", (int)sizeof k->fingerprint, k->fingerprint);
	if ((rc = my_exec(q, MS_KEY_INSERT, &a, e, thing, "user")) != PGAL_OK)
		return rc;
	k->id = (pgal_id)my_insert_id(q, MS_KEY_INSERT);
	k->created_at = created;
	return PGAL_OK;
}

int
my_key_list(struct my *q, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	return my_collect(q, MS_KEY_LIST, &a, sizeof **out, key_cols, (void **)out, n, e);
}

int
my_key_find(struct my *q, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e)
{
	struct my_args a;
	struct my_cols c;
	pgal_ssh_key tmp;
	int rc;

	my_args_init(&a);
	arg_i64(&a, user_id);
	arg_text(&a, fingerprint, sizeof k->fingerprint);
	my_cols_init(&c);
	key_cols(&c, &tmp);
	if ((rc = my_get_row(q, MS_KEY_FIND, &a, &c, e, "no such key")) != PGAL_OK)
		return rc;
	*k = tmp;
	return PGAL_OK;
}

int
my_key_delete(struct my *q, pgal_id user_id, const char *fingerprint, pgal_err *e)
{
	struct my_args a;

	my_args_init(&a);
	arg_i64(&a, user_id);
	arg_text(&a, fingerprint, sizeof((pgal_ssh_key *)0)->fingerprint);
	return my_change_one(q, MS_KEY_DELETE, &a, e, NULL, NULL, "no such key");
}
