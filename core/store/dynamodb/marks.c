/* DynamoDB store: marks (named moments shared by every host, store.h) and
 * the list of accounts still waiting for confirmation, both in the users
 * table:
 *   mark      M#<name>       #             until, and expires (the same
 *                                          number, for the table's TTL)
 *   pending   #PENDING       U#<hex id>    uid, created_at: an account
 *                                          that is not confirmed yet
 * There is no max() in an update expression, so adding to a mark is a
 * conditional add to a live mark, else a conditional reset of an absent
 * or expired one, tried again if another host got in between. A retried
 * request (5xx, throttling) may count an event twice: the throttle errs
 * on the strict side. Expired marks are left to DynamoDB's TTL on
 * `expires` (pgal init turns it on); mark_prune removes nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

#define MARK_TRIES 8

static json_t *
mark_key(struct ddb *d, const char *name)
{
	char pk[PGAL_MARK_NAME_MAX + 3];

	snprintf(pk, sizeof pk, "M#%s", name);
	return key2(d, "pk", pk, "sk", "#");
}

int
ddb_mark_get(pgal_store *s, const char *name, int64_t now, int64_t *until, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	json_t *it;
	int64_t v;
	int rc;

	if ((rc = ddb_get(d, d->users, mark_key(d, name), &it, "no such mark", e)) != PGAL_OK)
		return rc;
	v = rd_n(it, "until", 0);
	json_decref(it);
	if (v <= now)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such mark");
	*until = v;
	return PGAL_OK;
}

/* UpdateItem of the mark: SET until and expires to `value` (an
 * expression over :v and :now), only when `cond` holds; the new until in
 * *until. */
static int
mark_update(struct ddb *d, const char *name, const char *value, const char *cond,
    int64_t v, int64_t now, int64_t *until, pgal_err *e)
{
	json_t *rq = rq_new(d->users), *out, *a;
	int rc;

	json_object_set_new(rq, "Key", mark_key(d, name));
	rq_names(rq, "until", "expires", NULL);
	rq_val(rq, ":v", av_n(v));
	rq_val(rq, ":now", av_n(now));
	json_object_set_new(rq, "UpdateExpression", json_sprintf(
	    "SET #until = %s, #expires = %s", value, value));
	json_object_set_new(rq, "ConditionExpression", json_string(cond));
	json_object_set_new(rq, "ReturnValues", json_string("UPDATED_NEW"));
	if ((rc = ddb_call(d, "UpdateItem", rq, &out, e)) != PGAL_OK)
		return rc;
	a = json_object_get(out, "Attributes");
	if (until != NULL)
		*until = rd_n(a, "until", v);
	json_decref(out);
	return PGAL_OK;
}

static const char absent[] = "attribute_not_exists(#until) OR #until <= :now";

int
ddb_mark_add(pgal_store *s, const char *name, int64_t now, int64_t step, int64_t *until,
    pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	int tries, rc;

	for (tries = 0; tries < MARK_TRIES; tries++) {
		rc = mark_update(d, name, "#until + :v", "#until > :now", step, now, until, e);
		if (rc != DDB_CONDFAIL)
			return rc;
		rc = mark_update(d, name, ":v", absent, now + step, now, until, e);
		if (rc != DDB_CONDFAIL)
			return rc;
	}
	return pgal_fail(e, PGAL_EBACKEND, "DynamoDB: mark '%s' changed under every try", name);
}

int
ddb_mark_claim(pgal_store *s, const char *name, int64_t now, int64_t until, int *claimed,
    pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	int rc;

	rc = mark_update(d, name, ":v", absent, until, now, NULL, e);
	*claimed = rc == PGAL_OK;
	return rc == DDB_CONDFAIL ? PGAL_OK : rc;
}

int
ddb_mark_delete(pgal_store *s, const char *name, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	json_t *rq = rq_new(d->users);

	json_object_set_new(rq, "Key", mark_key(d, name));
	return ddb_call(d, "DeleteItem", rq, NULL, e);
}

int
ddb_mark_prune(pgal_store *s, int64_t now, int64_t *removed, pgal_err *e)
{
	if (removed != NULL)
		*removed = 0;
	return PGAL_OK;
}

/* ---- accounts waiting for confirmation ---- */

static json_t *
pending_key(struct ddb *d, pgal_id id)
{
	char sk[24], hex[17];

	ddb_hex64(hex, id);
	snprintf(sk, sizeof sk, "U#%s", hex);
	return key2(d, "pk", "#PENDING", "sk", sk);
}

int
ddb_pending_put(struct ddb *d, pgal_id id, int64_t created_at, pgal_err *e)
{
	json_t *rq = rq_new(d->users), *it = pending_key(d, id);

	it_n(it, "uid", id);
	it_n(it, "created_at", created_at);
	json_object_set_new(rq, "Item", it);
	return ddb_call(d, "PutItem", rq, NULL, e);
}

int
ddb_pending_delete(struct ddb *d, pgal_id id, pgal_err *e)
{
	json_t *rq = rq_new(d->users);

	json_object_set_new(rq, "Key", pending_key(d, id));
	return ddb_call(d, "DeleteItem", rq, NULL, e);
}

struct pending_list {
	int64_t before;
	pgal_id *ids;
	size_t n, cap;
};

static int
pending_one(struct ddb *d, json_t *it, void *arg, pgal_err *e)
{
	struct pending_list *l = arg;
	void *v = l->ids;

	if (rd_n(it, "created_at", 0) >= l->before)
		return 0;
	if (pgal_store_rows_slot(&v, &l->cap, l->n, sizeof *l->ids) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	l->ids = v;
	l->ids[l->n++] = rd_n(it, "uid", 0);
	return 0;
}

int
ddb_user_ids_unconfirmed(pgal_store *s, int64_t before, pgal_id **ids, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	struct pending_list l = { before, NULL, 0, 0 };
	json_t *rq = rq_partition(d, d->users, "pk", "#PENDING", "sk", NULL);
	int rc;

	if ((rc = ddb_query(d, rq, pending_one, &l, e)) != PGAL_OK) {
		free(l.ids);
		return rc;
	}
	*ids = l.ids;
	*n = l.n;
	return PGAL_OK;
}
