/* DynamoDB store: an account's preferences, kept as attributes
 * "pref_<name>" of the user item, so setting one is one conditional
 * UpdateItem and deleting the user takes them along. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/dynamodb/dynamodb-int.h"

#define PREF_ATTR "pref_"

static json_t *
user_key(struct ddb *d, pgal_id id)
{
	char pk[32];

	ddb_user_pk(pk, sizeof pk, id);
	return key2(d, "pk", pk, "sk", "#USER");
}

static int
pref_cmp(const void *a, const void *b)
{
	return strcmp(((const pgal_pref *)a)->name, ((const pgal_pref *)b)->name);
}

int
ddb_pref_list(pgal_store *s, pgal_id user_id, pgal_pref **out, size_t *n, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	pgal_pref *v = NULL, *slot;
	size_t len = 0, cap = 0;
	const char *attr;
	json_t *it, *val;
	int rc;

	*out = NULL;
	*n = 0;
	rc = ddb_get(d, d->users, user_key(d, user_id), &it, "no such user", e);
	if (rc == PGAL_ENOTFOUND)
		return PGAL_OK;
	if (rc != PGAL_OK)
		return rc;
	json_object_foreach(it, attr, val) {
		const char *name = attr + strlen(PREF_ATTR);

		if (strncmp(attr, PREF_ATTR, strlen(PREF_ATTR)) != 0 || *name == '\0' ||
		    strlen(name) > PGAL_PREF_NAME_MAX)
			continue;
		if ((slot = pgal_store_rows_slot((void **)&v, &cap, len, sizeof *v)) == NULL) {
			json_decref(it);
			free(v);
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		}
		memset(slot, 0, sizeof *slot);
		snprintf(slot->name, sizeof slot->name, "%s", name);
		rd_s(it, attr, slot->value, sizeof slot->value);
		len++;
	}
	json_decref(it);
	if (len > 1)
		qsort(v, len, sizeof *v, pref_cmp);
	*out = v;
	*n = len;
	return PGAL_OK;
}

int
ddb_pref_set(pgal_store *s, pgal_id user_id, const char *name, const char *value, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	char attr[sizeof PREF_ATTR + PGAL_PREF_NAME_MAX];
	struct upd up;
	json_t *rq;
	int rc;

	if (*name == '\0' || strlen(name) > PGAL_PREF_NAME_MAX || *value == '\0' ||
	    strlen(value) > PGAL_PREF_VALUE_MAX)
		return pgal_fail(e, PGAL_EINPUT, "bad preference");
	snprintf(attr, sizeof attr, PREF_ATTR "%s", name);
	rq = rq_new(d->users);
	json_object_set_new(rq, "Key", user_key(d, user_id));
	upd_init(&up, d, rq);
	upd_set_s(&up, attr, value);
	rc = ddb_update_existing(&up, "pk", e);
	if (rc == DDB_CONDFAIL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such user");
	return rc;
}
