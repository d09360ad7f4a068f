/* DynamoDB store: the JSON requests. Building attribute values, items,
 * keys and expressions with jansson, sending them through the AWS layer
 * (signed for service "dynamodb"), reading answers, and the paging and
 * batching loops. Every number goes over the wire as a string ({"N": "12"}),
 * so 64-bit ids never pass through a double. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clock.h"
#include "crypto.h"
#include "sanitize.h"
#include "store/dynamodb/dynamodb-int.h"

#define BATCH_WRITE_MAX 25
#define BATCH_GET_MAX 100
#define BATCH_ROUNDS 12
#define BACKOFF_BASE_MS 50
#define BACKOFF_CAP_MS 2000

int
ddb_call(struct ddb *d, const char *op, json_t *req, json_t **out, pgal_err *e)
{
	pgal_aws_response resp;
	json_error_t	  jerr;
	char		  target[64], *body;
	int		  rc;

	if (out != NULL)
		*out = NULL;
	d->attempts = 0;
	d->last_code[0] = '\0';
	if (req == NULL || d->bad) {
		d->bad = 0;
		json_decref(req);
		return pgal_fail(e, PGAL_EINPUT, "text is not valid UTF-8 or out of memory");
	}
	body = json_dumps(req, JSON_COMPACT);
	json_decref(req);
	if (body == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	snprintf(target, sizeof target, "DynamoDB_20120810.%s", op);
	/* every write is idempotent by construction (conditions on our own
	 * ids and write tokens), so throttling and 5xx may always be retried */
	rc = pgal_aws_json_call(d->c, target, body, strlen(body), 1, &resp, e);
	free(body);
	d->attempts = resp.attempts;
	snprintf(d->last_code, sizeof d->last_code, "%s", rc != PGAL_OK ? resp.error_code : "");
	if (rc != PGAL_OK) {
		if (strcmp(resp.error_code, "ConditionalCheckFailedException") == 0) {
			pgal_aws_response_free(&resp);
			pgal_fail(e, PGAL_EINPUT, "condition failed");
			return DDB_CONDFAIL;
		}
		pgal_aws_response_free(&resp);
		/* the AWS layer's message names service, operation, code and
		 * request id; every failure of the store is a backend failure */
		if (e != NULL)
			e->code = PGAL_EBACKEND;
		return PGAL_EBACKEND;
	}
	if (out != NULL) {
		*out = json_loadb(resp.body ? resp.body : "{}",
		    resp.body ? resp.body_len : 2, 0, &jerr);
		if (*out == NULL || !json_is_object(*out)) {
			json_decref(*out);
			*out = NULL;
			pgal_aws_response_free(&resp);
			return pgal_fail(e, PGAL_EBACKEND,
			    "DynamoDB %s: the answer is not a JSON object", op);
		}
	}
	pgal_aws_response_free(&resp);
	return PGAL_OK;
}

/* ---- building ---- */

json_t *
rq_new(const char *table)
{
	return json_pack("{s:s}", "TableName", table);
}

static json_t *
sub(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (v == NULL) {
		v = json_object();
		json_object_set_new(o, name, v);
	}
	return v;
}

void
rq_name(json_t *rq, const char *attr)
{
	char ph[64];

	snprintf(ph, sizeof ph, "#%s", attr);
	json_object_set_new(sub(rq, "ExpressionAttributeNames"), ph, json_string(attr));
}

void
rq_names(json_t *rq, ...)
{
	va_list ap;
	const char *a;

	va_start(ap, rq);
	while ((a = va_arg(ap, const char *)) != NULL)
		rq_name(rq, a);
	va_end(ap);
}

void
rq_val(json_t *rq, const char *ph, json_t *av)
{
	json_object_set_new(sub(rq, "ExpressionAttributeValues"), ph, av);
}

json_t *
av_s(struct ddb *d, const char *s)
{
	json_t *v = json_string(s);

	if (v == NULL) {
		d->bad = 1;
		return NULL;
	}
	return json_pack("{s:o}", "S", v);
}

json_t *
av_n(int64_t v)
{
	char buf[32];

	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return json_pack("{s:s}", "N", buf);
}

void
it_s(struct ddb *d, json_t *item, const char *name, const char *s)
{
	json_t *v;

	if (s == NULL || *s == '\0')
		return;
	if ((v = av_s(d, s)) != NULL)
		json_object_set_new(item, name, v);
}

void
it_n(json_t *item, const char *name, int64_t v)
{
	json_object_set_new(item, name, av_n(v));
}

void
it_d(json_t *item, const char *name, double v)
{
	char buf[40];

	if (!isfinite(v))
		return;
	snprintf(buf, sizeof buf, "%.17g", v);
	json_object_set_new(item, name, json_pack("{s:s}", "N", buf));
}

json_t *
key2(struct ddb *d, const char *hk, const char *hv, const char *rk, const char *rv)
{
	json_t *k = json_object(), *a = av_s(d, hv), *b = av_s(d, rv);

	if (k == NULL || a == NULL || b == NULL) {
		d->bad = 1;
		json_decref(k);
		json_decref(a);
		json_decref(b);
		return NULL;
	}
	json_object_set_new(k, hk, a);
	json_object_set_new(k, rk, b);
	return k;
}

/* ---- reading ---- */

static const char *
attr_text(const json_t *item, const char *name, const char *type)
{
	json_t *a = json_object_get(item, name), *v;

	if (!json_is_object(a) || !json_is_string(v = json_object_get(a, type)))
		return NULL;
	return json_string_value(v);
}

int
rd_has(const json_t *item, const char *name)
{
	return json_object_get(item, name) != NULL;
}

/* Copies a string attribute, cut at a UTF-8 boundary if longer than buf. */
void
rd_s(const json_t *item, const char *name, char *buf, size_t size)
{
	const char *t = attr_text(item, name, "S");

	pgal_utf8_copy(buf, size, t, t != NULL ? strlen(t) : 0);
}

int64_t
rd_n(const json_t *item, const char *name, int64_t dflt)
{
	const char *t = attr_text(item, name, "N");
	char *end;
	long long v;
	double f;

	if (t == NULL || *t == '\0')
		return dflt;
	v = strtoll(t, &end, 10);
	if (*end == '\0')
		return v;
	/* written by something else: "1.5e3" */
	f = strtod(t, &end);
	if (*end != '\0' || !isfinite(f) || f < -9.2e18 || f > 9.2e18)
		return dflt;
	return (int64_t)f;
}

double
rd_d(const json_t *item, const char *name, double dflt)
{
	const char *t = attr_text(item, name, "N");
	char *end;
	double f;

	if (t == NULL || *t == '\0')
		return dflt;
	f = strtod(t, &end);
	return *end == '\0' ? f : dflt;
}

/* ---- update expressions ---- */

void
upd_init(struct upd *u, struct ddb *d, json_t *rq)
{
	memset(u, 0, sizeof *u);
	u->d = d;
	u->rq = rq;
}

static void
clause(char *buf, size_t size, const char *fmt, const char *attr)
{
	size_t len = strlen(buf);

	if (len > 0 && len < size)
		buf[len++] = ',';
	if (len < size)
		snprintf(buf + len, size - len, fmt, attr, attr);
}

/* One term of a clause with a value: #attr named, the value under
 * :attr<suffix>, the term written by fmt (attr twice). */
static void
term(struct upd *u, char *buf, size_t size, const char *fmt, const char *attr,
    const char *suffix, json_t *av)
{
	char ph[64];

	snprintf(ph, sizeof ph, ":%s%s", attr, suffix);
	rq_name(u->rq, attr);
	rq_val(u->rq, ph, av);
	clause(buf, size, fmt, attr);
}

void
upd_set_av(struct upd *u, const char *attr, json_t *av)
{
	if (av == NULL) {
		u->d->bad = 1;
		return;
	}
	term(u, u->set, sizeof u->set, "#%s = :%s", attr, "", av);
}

void
upd_set_s(struct upd *u, const char *attr, const char *v)
{
	if (v == NULL || *v == '\0')
		upd_remove(u, attr);
	else
		upd_set_av(u, attr, av_s(u->d, v));
}

void
upd_set_n(struct upd *u, const char *attr, int64_t v)
{
	upd_set_av(u, attr, av_n(v));
}

void
upd_remove(struct upd *u, const char *attr)
{
	rq_name(u->rq, attr);
	clause(u->rem, sizeof u->rem, "#%s", attr);
}

void
upd_add_n(struct upd *u, const char *attr, int64_t delta)
{
	term(u, u->add, sizeof u->add, "#%s :%s", attr, "", av_n(delta));
}

static json_t *
av_ss1(struct ddb *d, const char *elem)
{
	json_t *s = json_string(elem);

	if (s == NULL) {
		d->bad = 1;
		return NULL;
	}
	return json_pack("{s:[o]}", "SS", s);
}

void
upd_add_ss(struct upd *u, const char *attr, const char *elem)
{
	term(u, u->add, sizeof u->add, "#%s :%s", attr, "", av_ss1(u->d, elem));
}

void
upd_del_ss(struct upd *u, const char *attr, const char *elem)
{
	term(u, u->del, sizeof u->del, "#%s :%s_del", attr, "_del", av_ss1(u->d, elem));
}

void
upd_done(struct upd *u)
{
	char expr[4096];
	size_t len = 0;

	expr[0] = '\0';
	if (u->set[0])
		len += (size_t)snprintf(expr + len, sizeof expr - len, "SET %s ", u->set);
	if (u->rem[0] && len < sizeof expr)
		len += (size_t)snprintf(expr + len, sizeof expr - len, "REMOVE %s ", u->rem);
	if (u->add[0] && len < sizeof expr)
		len += (size_t)snprintf(expr + len, sizeof expr - len, "ADD %s ", u->add);
	if (u->del[0] && len < sizeof expr)
		len += (size_t)snprintf(expr + len, sizeof expr - len, "DELETE %s ", u->del);
	if (len >= sizeof expr) {
		u->d->bad = 1;
		return;
	}
	json_object_set_new(u->rq, "UpdateExpression", json_string(expr));
}

int
ddb_update_existing(struct upd *u, const char *hash, pgal_err *e)
{
	upd_done(u);
	rq_name(u->rq, hash);
	json_object_set_new(u->rq, "ConditionExpression", json_sprintf(
	    "attribute_exists(#%s)", hash));
	return ddb_call(u->d, "UpdateItem", u->rq, NULL, e);
}

/* ---- get, delete, query, batches ---- */

int
ddb_get(struct ddb *d, const char *table, json_t *key, json_t **item,
    const char *missing, pgal_err *e)
{
	json_t *rq = rq_new(table), *out, *it;
	int rc;

	*item = NULL;
	if (rq == NULL || key == NULL) {
		json_decref(rq);
		json_decref(key);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory or bad key");
	}
	json_object_set_new(rq, "Key", key);
	json_object_set_new(rq, "ConsistentRead", json_true());
	if ((rc = ddb_call(d, "GetItem", rq, &out, e)) != PGAL_OK)
		return rc;
	it = json_object_get(out, "Item");
	if (!json_is_object(it)) {
		json_decref(out);
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", missing);
	}
	*item = json_incref(it);
	json_decref(out);
	return PGAL_OK;
}

int
ddb_delete_if(struct ddb *d, const char *table, json_t *key, const char *attr, int64_t v,
    pgal_err *e)
{
	json_t *rq = rq_new(table);

	json_object_set_new(rq, "Key", key);
	rq_name(rq, attr);
	rq_val(rq, ":v", av_n(v));
	json_object_set_new(rq, "ConditionExpression", json_sprintf("#%s = :v", attr));
	return ddb_call(d, "DeleteItem", rq, NULL, e);
}

int
ddb_put_new(struct ddb *d, const char *table, const char *hash, json_t *item, pgal_err *e)
{
	json_t *rq = rq_new(table);
	char tok[17];
	int rc;

	if ((rc = ddb_token(tok, e)) != PGAL_OK) {
		json_decref(item);
		json_decref(rq);
		return rc;
	}
	it_s(d, item, "wtok", tok);
	json_object_set_new(rq, "Item", item);
	json_object_set_new(rq, "ConditionExpression", json_sprintf(
	    "attribute_not_exists(#%s) OR #wtok = :w", hash));
	rq_names(rq, hash, "wtok", NULL);
	rq_val(rq, ":w", av_s(d, tok));
	return ddb_call(d, "PutItem", rq, NULL, e);
}

json_t *
rq_partition(struct ddb *d, const char *table, const char *hash, const char *pk,
    const char *range, const char *prefix)
{
	json_t *rq = rq_new(table);

	json_object_set_new(rq, "ConsistentRead", json_true());
	rq_name(rq, hash);
	rq_val(rq, ":pk", av_s(d, pk));
	if (prefix == NULL) {
		json_object_set_new(rq, "KeyConditionExpression", json_sprintf(
		    "#%s = :pk", hash));
		return rq;
	}
	json_object_set_new(rq, "KeyConditionExpression", json_sprintf(
	    "#%s = :pk AND begins_with(#%s, :prefix)", hash, range));
	rq_name(rq, range);
	rq_val(rq, ":prefix", av_s(d, prefix));
	return rq;
}

/* Query (or Scan), page by page */
static int
pages(struct ddb *d, int scan, json_t *rq, ddb_item_fn fn, void *arg, pgal_err *e)
{
	json_t *out, *items, *last;
	size_t i;
	int rc = PGAL_OK, stop = 0;

	if (rq == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	while (!stop) {
		/* the operation named plainly: contrib's IAM check greps for it */
		rc = scan ? ddb_call(d, "Scan", json_incref(rq), &out, e) :
		    ddb_call(d, "Query", json_incref(rq), &out, e);
		if (rc != PGAL_OK)
			break;
		items = json_object_get(out, "Items");
		for (i = 0; json_is_array(items) && i < json_array_size(items); i++) {
			rc = fn(d, json_array_get(items, i), arg, e);
			if (rc == 1) {
				stop = 1;
				rc = PGAL_OK;
				break;
			}
			if (rc != PGAL_OK)
				break;
		}
		last = json_object_get(out, "LastEvaluatedKey");
		if (rc != PGAL_OK || stop || !json_is_object(last)) {
			json_decref(out);
			break;
		}
		json_object_set(rq, "ExclusiveStartKey", last);
		json_decref(out);
	}
	json_decref(rq);
	return rc;
}

int
ddb_query(struct ddb *d, json_t *rq, ddb_item_fn fn, void *arg, pgal_err *e)
{
	return pages(d, 0, rq, fn, arg, e);
}

int
ddb_scan(struct ddb *d, json_t *rq, ddb_item_fn fn, void *arg, pgal_err *e)
{
	return pages(d, 1, rq, fn, arg, e);
}

/* A batch that came back partly unprocessed waits before resending the
 * rest (AWS's retry wait). */
static void
backoff(int round)
{
	unsigned char r[2] = { 0, 0 };

	pgal_random_bytes(r, sizeof r, NULL);
	pgal_sleep_ms(pgal_aws_backoff_ms(BACKOFF_BASE_MS, BACKOFF_CAP_MS, round,
	    (uint64_t)r[0] << 8 | r[1]));
}

static int
batch_write_chunk(struct ddb *d, const char *table, json_t *reqs, pgal_err *e)
{
	json_t *rq, *out, *left;
	int rc, round;

	for (round = 0; round < BATCH_ROUNDS; round++) {
		if (round > 0)
			backoff(round - 1);
		rq = json_pack("{s:{s:O}}", "RequestItems", table, reqs);
		if ((rc = ddb_call(d, "BatchWriteItem", rq, &out, e)) != PGAL_OK)
			return rc;
		left = json_object_get(json_object_get(out, "UnprocessedItems"), table);
		if (!json_is_array(left) || json_array_size(left) == 0) {
			json_decref(out);
			return PGAL_OK;
		}
		json_array_clear(reqs);
		json_array_extend(reqs, left);
		json_decref(out);
	}
	return pgal_fail(e, PGAL_EBACKEND, "DynamoDB BatchWriteItem: %zu items "
	    "still unprocessed after %d rounds", json_array_size(reqs), BATCH_ROUNDS);
}

/* DeleteRequest of each key, or PutRequest of each item */
static int
batch_write(struct ddb *d, const char *table, json_t *keys, int put, pgal_err *e)
{
	json_t *chunk = NULL;
	size_t i;
	int rc = PGAL_OK;

	if (keys == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	for (i = 0; i < json_array_size(keys) && rc == PGAL_OK; i++) {
		if (chunk == NULL && (chunk = json_array()) == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			break;
		}
		json_array_append_new(chunk, put ?
		    json_pack("{s:{s:O}}", "PutRequest", "Item", json_array_get(keys, i)) :
		    json_pack("{s:{s:O}}", "DeleteRequest", "Key", json_array_get(keys, i)));
		if (json_array_size(chunk) == BATCH_WRITE_MAX ||
		    i + 1 == json_array_size(keys)) {
			rc = batch_write_chunk(d, table, chunk, e);
			json_decref(chunk);
			chunk = NULL;
		}
	}
	json_decref(chunk);
	json_decref(keys);
	return rc;
}

int
ddb_batch_delete(struct ddb *d, const char *table, json_t *keys, pgal_err *e)
{
	return batch_write(d, table, keys, 0, e);
}

int
ddb_batch_put(struct ddb *d, const char *table, json_t *items, pgal_err *e)
{
	return batch_write(d, table, items, 1, e);
}

static int
batch_get_chunk(struct ddb *d, const char *table, json_t *keys, json_t *found,
    pgal_err *e)
{
	json_t *rq, *out, *got, *left;
	int rc, round;

	for (round = 0; round < BATCH_ROUNDS; round++) {
		if (round > 0)
			backoff(round - 1);
		rq = json_pack("{s:{s:{s:O, s:b}}}", "RequestItems", table,
		    "Keys", keys, "ConsistentRead", 1);
		if ((rc = ddb_call(d, "BatchGetItem", rq, &out, e)) != PGAL_OK)
			return rc;
		got = json_object_get(json_object_get(out, "Responses"), table);
		if (json_is_array(got))
			json_array_extend(found, got);
		left = json_object_get(json_object_get(json_object_get(out,
		    "UnprocessedKeys"), table), "Keys");
		if (!json_is_array(left) || json_array_size(left) == 0) {
			json_decref(out);
			return PGAL_OK;
		}
		json_array_clear(keys);
		json_array_extend(keys, left);
		json_decref(out);
	}
	return pgal_fail(e, PGAL_EBACKEND, "DynamoDB BatchGetItem: %zu keys "
	    "still unprocessed after %d rounds", json_array_size(keys), BATCH_ROUNDS);
}

int
ddb_batch_get(struct ddb *d, const char *table, json_t *keys, json_t **items,
    pgal_err *e)
{
	json_t *chunk = NULL, *found = json_array();
	size_t i;
	int rc = PGAL_OK;

	*items = NULL;
	if (keys == NULL || found == NULL) {
		json_decref(keys);
		json_decref(found);
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	}
	for (i = 0; i < json_array_size(keys) && rc == PGAL_OK; i++) {
		if (chunk == NULL && (chunk = json_array()) == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			break;
		}
		json_array_append(chunk, json_array_get(keys, i));
		if (json_array_size(chunk) == BATCH_GET_MAX ||
		    i + 1 == json_array_size(keys)) {
			rc = batch_get_chunk(d, table, chunk, found, e);
			json_decref(chunk);
			chunk = NULL;
		}
	}
	json_decref(chunk);
	json_decref(keys);
	if (rc != PGAL_OK) {
		json_decref(found);
		return rc;
	}
	*items = found;
	return PGAL_OK;
}
