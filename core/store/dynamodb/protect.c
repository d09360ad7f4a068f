/* What `pgal init` turns on for the two tables once they are ready, each
 * unless its config key says no:
 *   point-in-time recovery  UpdateContinuousBackups, both tables
 *   deletion protection     UpdateTable DeletionProtectionEnabled, both
 *   TTL on `expires`        UpdateTimeToLive, the users table: marks and
 *                           sessions carry `expires` (epoch seconds), so
 *                           DynamoDB deletes them once they are over
 * Each setting is read first (DescribeContinuousBackups, DescribeTable,
 * DescribeTimeToLive) and changed only when off, so a second init changes
 * nothing and says "already on". The outcome of each goes into d->said for
 * init's report; one that fails does not stop the others, and init then
 * fails naming it and why. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

/* the tables a setting turned on, found on, or failed for */
struct outcome {
	char on[600], already[600], failed[900];
	int changed;
};

/* appends to list, after sep when it is not empty */
static void
add(char *list, size_t size, const char *sep, const char *fmt, ...)
{
	size_t n = strlen(list);
	va_list ap;

	if (n > 0 && n + strlen(sep) < size) {
		strcpy(list + n, sep);
		n += strlen(sep);
	}
	va_start(ap, fmt);
	vsnprintf(list + n, size - n, fmt, ap);
	va_end(ap);
}

/* one table's answer: 1 turned on, 0 already on, -1 failed (why in e) */
static void
tally(struct outcome *o, const char *table, int r, const pgal_err *why)
{
	if (r == 1) {
		add(o->on, sizeof o->on, ", ", "%s", table);
		o->changed = 1;
	} else if (r == 0)
		add(o->already, sizeof o->already, ", ", "%s", table);
	else
		add(o->failed, sizeof o->failed, ", ", "%s (%s)", table, why->msg);
}

/* "; <what>: turned on for A; already on for B; FAILED for C (why)" */
static int
say(struct ddb *d, const char *what, const struct outcome *o)
{
	d->changed |= o->changed;
	add(d->said, sizeof d->said, "; ", "%s:%s%s%s%s%s%s", what,
	    o->on[0] != '\0' ? " turned on for " : "", o->on,
	    o->already[0] != '\0' ? (o->on[0] != '\0' ? "; already on for " :
	    " already on for ") : "", o->already,
	    o->failed[0] != '\0' ? " FAILED for " : "", o->failed);
	return o->failed[0] != '\0' ? PGAL_EBACKEND : PGAL_OK;
}

static int
pitr(struct ddb *d, const char *table, pgal_err *e)
{
	json_t *out, *rq;
	const char *st;
	int on;

	if (ddb_call(d, "DescribeContinuousBackups", rq_new(table), &out, e) != PGAL_OK)
		return -1;
	st = json_string_value(json_object_get(json_object_get(json_object_get(out,
	    "ContinuousBackupsDescription"), "PointInTimeRecoveryDescription"),
	    "PointInTimeRecoveryStatus"));
	on = st != NULL && (strcmp(st, "ENABLED") == 0 || strcmp(st, "ENABLING") == 0);
	json_decref(out);
	if (on)
		return 0;
	rq = rq_new(table);
	json_object_set_new(rq, "PointInTimeRecoverySpecification",
	    json_pack("{s:b}", "PointInTimeRecoveryEnabled", 1));
	return ddb_call(d, "UpdateContinuousBackups", rq, NULL, e) == PGAL_OK ? 1 : -1;
}

static int
deletion_protection(struct ddb *d, const char *table, pgal_err *e)
{
	json_t *out, *rq;
	int on;

	if (ddb_call(d, "DescribeTable", rq_new(table), &out, e) != PGAL_OK)
		return -1;
	on = json_is_true(json_object_get(json_object_get(out, "Table"),
	    "DeletionProtectionEnabled"));
	json_decref(out);
	if (on)
		return 0;
	rq = rq_new(table);
	json_object_set_new(rq, "DeletionProtectionEnabled", json_true());
	return ddb_call(d, "UpdateTable", rq, NULL, e) == PGAL_OK ? 1 : -1;
}

static int
ttl(struct ddb *d, const char *table, pgal_err *e)
{
	json_t *out, *rq, *desc;
	const char *st, *attr;
	char have[256] = "";
	int on;

	if (ddb_call(d, "DescribeTimeToLive", rq_new(table), &out, e) != PGAL_OK)
		return -1;
	desc = json_object_get(out, "TimeToLiveDescription");
	st = json_string_value(json_object_get(desc, "TimeToLiveStatus"));
	attr = json_string_value(json_object_get(desc, "AttributeName"));
	on = st != NULL && (strcmp(st, "ENABLED") == 0 || strcmp(st, "ENABLING") == 0);
	if (on && attr != NULL)
		snprintf(have, sizeof have, "%s", attr);
	json_decref(out);
	if (on && strcmp(have, DDB_TTL_ATTR) == 0)
		return 0;
	/* a table has one TTL attribute; someone else's is not replaced */
	if (on) {
		pgal_fail(e, PGAL_EBACKEND, "TTL is on for attribute '%.64s', pgal's "
		    "is '%s'", have, DDB_TTL_ATTR);
		return -1;
	}
	rq = rq_new(table);
	json_object_set_new(rq, "TimeToLiveSpecification", json_pack("{s:b, s:s}",
	    "Enabled", 1, "AttributeName", DDB_TTL_ATTR));
	return ddb_call(d, "UpdateTimeToLive", rq, NULL, e) == PGAL_OK ? 1 : -1;
}

/* One setting: what the report calls it, the key that turns it off (and
 * "not asked" text), whether it is on in cfg, the call that makes sure of
 * it on one table, and whether it is for the users table alone. */
struct setting {
	const char *what, *off;
	int wanted;
	int (*ensure)(struct ddb *d, const char *table, pgal_err *e);
	int users_only;
};

int
ddb_protect(struct ddb *d, const pgal_config *cfg, pgal_err *e)
{
	const struct setting settings[] = {
		{ "point-in-time recovery", "point-in-time recovery: not asked "
		    "(dynamodb_pitr = no)", cfg->dynamodb_pitr, pitr, 0 },
		{ "deletion protection", "deletion protection: not asked "
		    "(dynamodb_deletion_protection = no)",
		    cfg->dynamodb_deletion_protection, deletion_protection, 0 },
		{ "TTL on '" DDB_TTL_ATTR "' (expired sessions and marks)",
		    "TTL: not asked (dynamodb_ttl = no)", cfg->dynamodb_ttl, ttl, 1 },
	};
	const char *tables[2] = { d->gallery, d->users };
	const struct setting *st;
	struct outcome o;
	pgal_err why;
	size_t i, k;
	int rc = PGAL_OK;

	d->said[0] = '\0';
	for (k = 0; k < sizeof settings / sizeof settings[0]; k++) {
		st = &settings[k];
		if (!st->wanted) {
			add(d->said, sizeof d->said, "; ", "%s", st->off);
			continue;
		}
		memset(&o, 0, sizeof o);
		for (i = st->users_only ? 1 : 0; i < 2; i++) {
			pgal_err_clear(&why);
			tally(&o, tables[i], st->ensure(d, tables[i], &why), &why);
		}
		if (say(d, st->what, &o) != PGAL_OK)
			rc = PGAL_EBACKEND;
	}
	if (rc != PGAL_OK)
		return pgal_fail(e, rc, "DynamoDB tables '%s' and '%s' active, but: %s",
		    d->gallery, d->users, d->said);
	return PGAL_OK;
}
