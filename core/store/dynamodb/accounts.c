/* DynamoDB store: users, sessions and SSH keys (the users table). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "sshkey.h"
#include "store/dynamodb/dynamodb-int.h"

static json_t *
ukey(struct ddb *d, const char *pk, const char *sk)
{
	return key2(d, "pk", pk, "sk", sk);
}

void
ddb_user_pk(char *buf, size_t size, pgal_id user_id)
{
	snprintf(buf, size, "U#%lld", (long long)user_id);
}

/* A conditional create in the users table that a retry of our own write
 * passes. */
static int
put_new(struct ddb *d, json_t *item, pgal_err *e)
{
	return ddb_put_new(d, d->users, "pk", item, e);
}

/* DeleteItem returning the old item: PGAL_OK, or `missing` when there was
 * nothing (a retry of a delete that went through counts as done). */
static int
delete_old(struct ddb *d, const char *table, json_t *key, json_t **old,
    const char *missing, pgal_err *e)
{
	json_t *rq = rq_new(table), *out, *a;
	int rc;

	if (old != NULL)
		*old = NULL;
	json_object_set_new(rq, "Key", key);
	json_object_set_new(rq, "ReturnValues", json_string("ALL_OLD"));
	if ((rc = ddb_call(d, "DeleteItem", rq, &out, e)) != PGAL_OK)
		return rc;
	a = json_object_get(out, "Attributes");
	if (!json_is_object(a)) {
		json_decref(out);
		if (d->attempts > 1)
			return PGAL_OK;
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", missing);
	}
	if (old != NULL)
		*old = json_incref(a);
	json_decref(out);
	return PGAL_OK;
}

/* ---- users ---- */

static void
user_read(const json_t *it, pgal_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = rd_n(it, "uid", 0);
	rd_s(it, "name", u->name, sizeof u->name);
	rd_s(it, "email", u->email, sizeof u->email);
	rd_s(it, "pwhash", u->pwhash, sizeof u->pwhash);
	u->confirmed = (int)rd_n(it, "confirmed", 0);
	u->created_at = rd_n(it, "created_at", 0);
	rd_s(it, "code_hash", u->code_hash, sizeof u->code_hash);
	u->code_expires_at = rd_n(it, "code_expires_at", 0);
	u->code_tries = (int)rd_n(it, "code_tries", 0);
	u->failed_logins = (int)rd_n(it, "failed_logins", 0);
	u->locked_until = rd_n(it, "locked_until", 0);
}

static int
user_exists(struct ddb *d, pgal_id id, pgal_err *e)
{
	char pk[32];
	json_t *it;
	int rc;

	ddb_user_pk(pk, sizeof pk, id);
	rc = ddb_get(d, d->users, ukey(d, pk, "#USER"), &it, "no such user", e);
	json_decref(it);
	return rc;
}

int
ddb_user_create(pgal_store *s, pgal_user *u, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char pk[32], lock[PGAL_USER_MAX + 8];
	json_t *it;
	pgal_id id;
	int rc, tries;

	/* the user item first (invisible without its name lock) */
	for (tries = 0; tries < DDB_ID_TRIES; tries++) {
		if ((rc = ddb_new_id(d, &id, e)) != PGAL_OK)
			return rc;
		ddb_user_pk(pk, sizeof pk, id);
		it = ukey(d, pk, "#USER");
		it_n(it, "uid", id);
		it_s(d, it, "name", u->name);
		it_s(d, it, "email", u->email);
		it_s(d, it, "pwhash", u->pwhash);
		it_n(it, "confirmed", u->confirmed);
		it_n(it, "created_at", u->created_at);
		it_s(d, it, "code_hash", u->code_hash);
		it_n(it, "code_expires_at", u->code_expires_at);
		it_n(it, "code_tries", u->code_tries);
		it_n(it, "failed_logins", u->failed_logins);
		it_n(it, "locked_until", u->locked_until);
		if ((rc = put_new(d, it, e)) != DDB_CONDFAIL)
			break;
	}
	if (rc != PGAL_OK)
		return rc == DDB_CONDFAIL ? pgal_fail(e, PGAL_EBACKEND, "user id collision") : rc;
	/* the name lock makes it visible */
	snprintf(lock, sizeof lock, "N#%.*s", PGAL_USER_MAX, u->name);
	it = ukey(d, lock, "#");
	it_n(it, "uid", id);
	if ((rc = put_new(d, it, e)) != PGAL_OK) {
		pgal_err ignored;

		delete_old(d, d->users, ukey(d, pk, "#USER"), NULL, "", &ignored);
		if (rc == DDB_CONDFAIL)
			return pgal_fail(e, PGAL_EINPUT, "user '%.*s' already exists",
			    PGAL_USER_MAX, u->name);
		return rc;
	}
	u->id = id;
	/* listed for gc until confirmed; a crash before this leaves an
	 * account gc does not see, whose name a later sign-up reclaims */
	if (!u->confirmed) {
		pgal_err ignored;

		(void)ddb_pending_put(d, id, u->created_at, &ignored);
	}
	return PGAL_OK;
}

int
ddb_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char pk[32];
	json_t *it;
	int rc;

	ddb_user_pk(pk, sizeof pk, id);
	if ((rc = ddb_get(d, d->users, ukey(d, pk, "#USER"), &it, "no such user", e)) != PGAL_OK)
		return rc;
	user_read(it, u);
	json_decref(it);
	return PGAL_OK;
}

int
ddb_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char lock[PGAL_USER_MAX + 8], what[PGAL_USER_MAX + 32];
	json_t *it;
	int rc;

	snprintf(what, sizeof what, "no such user '%.*s'", PGAL_USER_MAX, name);
	if (strlen(name) > PGAL_USER_MAX || *name == '\0')
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	snprintf(lock, sizeof lock, "N#%s", name);
	if ((rc = ddb_get(d, d->users, ukey(d, lock, "#"), &it, what, e)) != PGAL_OK)
		return rc;
	rc = ddb_user_get(s, rd_n(it, "uid", 0), u, e);
	json_decref(it);
	/* a lock whose user is being deleted */
	if (rc == PGAL_ENOTFOUND || (rc == PGAL_OK && strcmp(u->name, name) != 0))
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	return rc;
}

int
ddb_user_update(pgal_store *s, const pgal_user *u, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct upd up;
	char pk[32];
	json_t *rq = rq_new(d->users);
	int rc;

	ddb_user_pk(pk, sizeof pk, u->id);
	json_object_set_new(rq, "Key", ukey(d, pk, "#USER"));
	upd_init(&up, d, rq);
	upd_set_s(&up, "email", u->email);
	upd_set_s(&up, "pwhash", u->pwhash);
	upd_set_n(&up, "confirmed", u->confirmed);
	upd_set_s(&up, "code_hash", u->code_hash);
	upd_set_n(&up, "code_expires_at", u->code_expires_at);
	upd_set_n(&up, "code_tries", u->code_tries);
	upd_set_n(&up, "failed_logins", u->failed_logins);
	upd_set_n(&up, "locked_until", u->locked_until);
	rc = ddb_update_existing(&up, "pk", e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such user");
	if (rc == PGAL_OK && u->confirmed) {
		pgal_err ignored;

		(void)ddb_pending_delete(d, u->id, &ignored);
	}
	return rc;
}

struct user_parts {
	struct ddb *d;
	json_t *sessions;	/* keys of session items */
	json_t *own;		/* keys in the user's partition but the user item */
};

static int
user_part(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct user_parts *p = arg;
	char pk[PGAL_SHA256_HEX + 8], sk[256];

	rd_s(it, "pk", pk, sizeof pk);
	rd_s(it, "sk", sk, sizeof sk);
	if (strcmp(sk, "#USER") == 0)
		return 0;
	json_array_append_new(p->own, ukey(d, pk, sk));
	if (strncmp(sk, "S#", 2) == 0) {
		char spk[PGAL_SHA256_HEX + 8];

		snprintf(spk, sizeof spk, "S#%.*s", PGAL_SHA256_HEX, sk + 2);
		json_array_append_new(p->sessions, ukey(d, spk, "#"));
	}
	return 0;
}

/* Sessions go first (every open session of the user ends at once), then
 * albums and photos, keys, the user item, and the name lock last: until the
 * lock is gone the name cannot be taken again, and a cancel interrupted by
 * a crash can simply be run again. */
int
ddb_user_delete(pgal_store *s, pgal_id id, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct user_parts parts = { d, json_array(), json_array() };
	pgal_id *albums = NULL;
	pgal_user u;
	char pk[32], lock[PGAL_USER_MAX + 8];
	json_t *rq;
	size_t i, nalbums;
	int rc;

	if ((rc = ddb_user_get(s, id, &u, e)) != PGAL_OK)
		goto out;
	ddb_user_pk(pk, sizeof pk, id);
	rq = rq_partition(d, d->users, "pk", pk, "sk", NULL);
	if ((rc = ddb_query(d, rq, user_part, &parts, e)) != PGAL_OK)
		goto out;
	rc = ddb_batch_delete(d, d->users, parts.sessions, e);
	parts.sessions = NULL;
	if (rc != PGAL_OK)
		goto out;

	if ((rc = ddb_album_dir(d, id, &albums, &nalbums, e)) != PGAL_OK)
		goto out;
	for (i = 0; i < nalbums; i++) {
		rc = ddb_album_delete(s, albums[i], e);
		if (rc != PGAL_OK && rc != PGAL_ENOTFOUND)
			goto out;
	}
	rc = ddb_batch_delete(d, d->users, parts.own, e);
	parts.own = NULL;
	if (rc != PGAL_OK)
		goto out;
	if ((rc = delete_old(d, d->users, ukey(d, pk, "#USER"), NULL, "no such user",
	    e)) != PGAL_OK)
		goto out;
	snprintf(lock, sizeof lock, "N#%s", u.name);
	rc = ddb_delete_if(d, d->users, ukey(d, lock, "#"), "uid", id, e);
	/* a lock that is not ours any more (or already gone) stays */
	if (rc == DDB_CONDFAIL)
		rc = PGAL_OK;
	if (rc == PGAL_OK)
		rc = ddb_pending_delete(d, id, e);
out:
	json_decref(parts.sessions);
	json_decref(parts.own);
	free(albums);
	return rc;
}

/* ---- sessions ---- */

static void
session_pk(char *buf, size_t size, const char *hash)
{
	snprintf(buf, size, "S#%.*s", PGAL_SHA256_HEX, hash);
}

/* The user's index entry first, so revoking all sessions always finds a
 * session that exists. */
int
ddb_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char upk[32], spk[PGAL_SHA256_HEX + 8];
	json_t *it, *rq;
	int rc;

	if ((rc = user_exists(d, r->user_id, e)) != PGAL_OK)
		return rc;
	ddb_user_pk(upk, sizeof upk, r->user_id);
	session_pk(spk, sizeof spk, r->token_hash);
	/* both carry the session's end for the table's TTL (DDB_TTL_ATTR):
	 * DynamoDB deletes them itself once it has passed */
	rq = rq_new(d->users);
	it = ukey(d, upk, spk);
	it_n(it, DDB_TTL_ATTR, r->created_at + d->session_max);
	json_object_set_new(rq, "Item", it);
	if ((rc = ddb_call(d, "PutItem", rq, NULL, e)) != PGAL_OK)
		return rc;
	it = ukey(d, spk, "#");
	it_n(it, "uid", r->user_id);
	it_n(it, "created_at", r->created_at);
	it_n(it, "last_seen", r->last_seen);
	it_n(it, DDB_TTL_ATTR, r->last_seen + d->session_idle < r->created_at + d->session_max ?
	    r->last_seen + d->session_idle : r->created_at + d->session_max);
	rc = put_new(d, it, e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_EINPUT, "session already exists");
	return rc;
}

int
ddb_session_get(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char spk[PGAL_SHA256_HEX + 8];
	json_t *it;
	int rc;

	if (*token_hash == '\0')
		return pgal_fail(e, PGAL_ENOTFOUND, "no such session");
	session_pk(spk, sizeof spk, token_hash);
	if ((rc = ddb_get(d, d->users, ukey(d, spk, "#"), &it, "no such session", e)) != PGAL_OK)
		return rc;
	memset(r, 0, sizeof *r);
	snprintf(r->token_hash, sizeof r->token_hash, "%.*s", PGAL_SHA256_HEX, token_hash);
	r->user_id = rd_n(it, "uid", 0);
	r->created_at = rd_n(it, "created_at", 0);
	r->last_seen = rd_n(it, "last_seen", 0);
	json_decref(it);
	return PGAL_OK;
}

int
ddb_session_touch(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char spk[PGAL_SHA256_HEX + 8];
	json_t *rq = rq_new(d->users);
	struct upd up;
	int rc;

	session_pk(spk, sizeof spk, token_hash);
	json_object_set_new(rq, "Key", ukey(d, spk, "#"));
	upd_init(&up, d, rq);
	upd_set_n(&up, "last_seen", now);
	/* a used session lives on: at most session_idle past its absolute end */
	upd_set_n(&up, DDB_TTL_ATTR, now + d->session_idle);
	rc = ddb_update_existing(&up, "pk", e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such session");
	return rc;
}

int
ddb_session_delete(pgal_store *s, const char *token_hash, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char spk[PGAL_SHA256_HEX + 8], upk[32];
	json_t *old;
	int rc;

	session_pk(spk, sizeof spk, token_hash);
	if ((rc = delete_old(d, d->users, ukey(d, spk, "#"), &old, "no such session",
	    e)) != PGAL_OK)
		return rc;
	if (old == NULL)
		return PGAL_OK;
	ddb_user_pk(upk, sizeof upk, rd_n(old, "uid", 0));
	json_decref(old);
	/* the index entry goes after the session; a leftover one is harmless */
	return delete_old(d, d->users, ukey(d, upk, spk), NULL, "", e) == PGAL_EBACKEND ?
	    PGAL_EBACKEND : PGAL_OK;
}

struct revoke {
	const char *keep;
	json_t *sessions, *entries;
	const char *upk;
};

static int
revoke_one(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct revoke *r = arg;
	char sk[PGAL_SHA256_HEX + 8];

	rd_s(it, "sk", sk, sizeof sk);
	if (r->keep != NULL && strcmp(sk + 2, r->keep) == 0)
		return 0;
	json_array_append_new(r->sessions, ukey(d, sk, "#"));
	json_array_append_new(r->entries, ukey(d, r->upk, sk));
	return 0;
}

int
ddb_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char upk[32];
	struct revoke r;
	json_t *rq;
	int rc;

	ddb_user_pk(upk, sizeof upk, user_id);
	r.keep = keep_hash;
	r.upk = upk;
	r.sessions = json_array();
	r.entries = json_array();
	rq = rq_partition(d, d->users, "pk", upk, "sk", "S#");
	if ((rc = ddb_query(d, rq, revoke_one, &r, e)) != PGAL_OK) {
		json_decref(r.sessions);
		json_decref(r.entries);
		return rc;
	}
	if ((rc = ddb_batch_delete(d, d->users, r.sessions, e)) != PGAL_OK) {
		json_decref(r.entries);
		return rc;
	}
	return ddb_batch_delete(d, d->users, r.entries, e);
}

/* ---- SSH keys ---- */

static void
key_read(const json_t *it, pgal_ssh_key *k)
{
	memset(k, 0, sizeof *k);
	k->id = rd_n(it, "kid", 0);
	rd_s(it, "algo", k->algo, sizeof k->algo);
	rd_s(it, "fingerprint", k->fingerprint, sizeof k->fingerprint);
	rd_s(it, "comment", k->comment, sizeof k->comment);
	k->created_at = rd_n(it, "created_at", 0);
}

static int
key_sk(char *buf, size_t size, const char *fp, pgal_err *e)
{
	if (*fp == '\0' || strlen(fp) >= sizeof((pgal_ssh_key *)0)->fingerprint)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such key");
	snprintf(buf, size, "K#%s", fp);
	return PGAL_OK;
}

int
ddb_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char upk[32], sk[80];
	int64_t created = k->created_at != 0 ? k->created_at : (int64_t)time(NULL);
	pgal_id id;
	json_t *it;
	int rc;

	if (strnlen(key_base64, PGAL_SSHKEY_B64_MAX + 1) > PGAL_SSHKEY_B64_MAX)
		return pgal_fail(e, PGAL_EINPUT, "key too long");
	if ((rc = key_sk(sk, sizeof sk, k->fingerprint, e)) != PGAL_OK)
		return pgal_fail(e, PGAL_EINPUT, "bad key fingerprint");
	if ((rc = user_exists(d, user_id, e)) != PGAL_OK ||
	    (rc = ddb_new_id(d, &id, e)) != PGAL_OK)
		return rc;
	ddb_user_pk(upk, sizeof upk, user_id);
	it = ukey(d, upk, sk);
	it_n(it, "kid", id);
	it_s(d, it, "algo", k->algo);
	it_s(d, it, "key_base64", key_base64);
	it_s(d, it, "comment", k->comment);
	it_s(d, it, "fingerprint", k->fingerprint);
	it_n(it, "created_at", created);
	rc = put_new(d, it, e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_EINPUT, "key %.*s already exists",
		    (int)sizeof k->fingerprint, k->fingerprint);
	if (rc != PGAL_OK)
		return rc;
	k->id = id;
	k->created_at = created;
	return PGAL_OK;
}

struct keys {
	pgal_ssh_key *v;
	size_t n, cap;
};

static int
key_collect(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct keys *k = arg;
	pgal_ssh_key *slot;

	if ((slot = pgal_store_rows_slot((void **)&k->v, &k->cap, k->n, sizeof *k->v)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	key_read(it, slot);
	k->n++;
	return 0;
}

static int
key_cmp(const void *a, const void *b)
{
	const pgal_ssh_key *x = a, *y = b;

	if (x->created_at != y->created_at)
		return x->created_at < y->created_at ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int
ddb_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct keys k = { NULL, 0, 0 };
	char upk[32];
	int rc;

	*out = NULL;
	*n = 0;
	ddb_user_pk(upk, sizeof upk, user_id);
	if ((rc = ddb_query(d, rq_partition(d, d->users, "pk", upk, "sk", "K#"), key_collect,
	    &k, e)) != PGAL_OK) {
		free(k.v);
		return rc;
	}
	if (k.n > 1)
		qsort(k.v, k.n, sizeof *k.v, key_cmp);
	*out = k.v;
	*n = k.n;
	return PGAL_OK;
}

int
ddb_key_find(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char upk[32], sk[80];
	json_t *it;
	int rc;

	if ((rc = key_sk(sk, sizeof sk, fingerprint, e)) != PGAL_OK)
		return rc;
	ddb_user_pk(upk, sizeof upk, user_id);
	if ((rc = ddb_get(d, d->users, ukey(d, upk, sk), &it, "no such key", e)) != PGAL_OK)
		return rc;
	key_read(it, k);
	json_decref(it);
	return PGAL_OK;
}

int
ddb_key_delete(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char upk[32], sk[80];
	int rc;

	if ((rc = key_sk(sk, sizeof sk, fingerprint, e)) != PGAL_OK)
		return rc;
	ddb_user_pk(upk, sizeof upk, user_id);
	return delete_old(d, d->users, ukey(d, upk, sk), NULL, "no such key", e);
}
