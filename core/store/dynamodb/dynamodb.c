/* Metadata store on Amazon DynamoDB: albums and photos in the PhotoGallery
 * table (partition key albumID, sort key photoID), users, sessions and SSH
 * keys in a second table. Table definitions are the JSON files in sql/dynamodb/,
 * compiled in. Only `pgal init` (open in INIT mode) creates a missing
 * table, and waits until it is ACTIVE (seconds: a new table is empty); in
 * USE mode a missing table fails the open naming it. open refuses a table
 * without our keys and
 * local indexes, but never waits for a global index: adding one to a big
 * table takes DynamoDB a long while, and every command and SSH connection
 * opens the store. It notes each global index's state; a call that needs
 * one that cannot answer yet fails at once naming it (ddb_need_index), the
 * rest works. Only `pgal init` (ddb_prepare) adds missing global indexes,
 * waits until they are ACTIVE, and gives the photos of a table from before
 * refs their refs (refs.c).
 *
 * Rules every part follows (the layout is in dynamodb-int.h):
 * - Reads of items are GetItem/BatchGetItem with ConsistentRead, lists are
 *   Query on a partition or an index; nothing scans a table but pgal
 *   init's one-time migration to refs.
 * - Answers that must be strongly consistent (gc's "blob used", the
 *   duplicate check) come from items, never from a global index.
 * - IDs: milliseconds since 2024-01-01 shifted left 12 bits plus 12 random
 *   bits, strictly increasing within a process: below 2^53 (safe in any
 *   JSON reader) for 70 years, sorted by creation time (ties between
 *   processes in one millisecond break randomly), which is what "oldest
 *   first" and id tie-breaks need, at no counter round trip. Two processes
 *   may draw the same id (1 in 4096 within one millisecond): every item
 *   keyed by an id (user, album, photo locator) is created with
 *   attribute_not_exists, and a collision draws a new id and tries again.
 * - Uniqueness (user name, album name per user, photo name per album, key
 *   per user) is a conditional put of an item whose key IS the name; a
 *   failed condition is PGAL_EINPUT "... already exists".
 * - No TransactWriteItems (dynalite 4, the pinned test peer, has none).
 *   Multi-item changes are ordered: the item that makes a thing visible is
 *   written last and removed first, so a crash leaves invisible leftovers.
 *   Album counters (photo_count, bytes) change through intents: the album
 *   item first records "i:<photo>:<bytes>:<time>" (or "d:"), then the
 *   photo is written or deleted, then one conditional update applies the
 *   counter and removes the intent (condition: the intent is still there,
 *   so the delta is applied exactly once). A reader finding an intent older
 *   than DDB_STALE_SECS settles it by looking at the photo.
 * - A photo's locator item is the truth about where a photo id lives;
 *   moves mark both copies ("mv") until the old one is gone, and readers
 *   check marked items against the locator.
 * - Retries: the AWS layer retries throttling and 5xx for every call. That
 *   is safe because every write is idempotent: creates carry a random write
 *   token and their condition is "absent OR written by us"; counter updates
 *   are conditional on their intent; plain puts/deletes repeat harmlessly. A
 *   conditional delete that fails after a retry is taken as done (the first
 *   try deleted it).
 * - Empty strings are never written (reads give "" for a missing string),
 *   so key and index attributes are never empty whatever the peer allows.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "clock.h"
#include "crypto.h"
#include "store/dynamodb/dynamodb-int.h"

/* The table definitions, as the JSON files are, NUL-terminated. The
 * assembler reads them relative to the directory make runs in (the top). */
__asm__(
    ".section .rodata\n"
    ".balign 16\n"
    ".type pgal_ddb_def_gallery, @object\n"
    "pgal_ddb_def_gallery:\n"
    ".incbin \"sql/dynamodb/PhotoGallery.json\"\n"
    ".byte 0\n"
    ".balign 16\n"
    ".type pgal_ddb_def_users, @object\n"
    "pgal_ddb_def_users:\n"
    ".incbin \"sql/dynamodb/PhotoGalleryUsers.json\"\n"
    ".byte 0\n"
    ".previous\n");
extern const char pgal_ddb_def_gallery[] __asm__("pgal_ddb_def_gallery");
extern const char pgal_ddb_def_users[] __asm__("pgal_ddb_def_users");

#define WAIT_ACTIVE_MS (5 * 60 * 1000)
/* an index that could not answer is asked about again after this long */
#define GSI_RECHECK_SECS 2
/* ids count milliseconds from 2024-01-01 */
#define DDB_EPOCH_MS INT64_C(1704067200000)

/* ---- ids and small helpers ---- */

int
ddb_new_id(struct ddb *d, pgal_id *id, pgal_err *e)
{
	struct timespec now;
	unsigned char r[4];
	int64_t ms, v;
	int rc;

	if ((rc = pgal_random_bytes(r, sizeof r, e)) != PGAL_OK)
		return rc;
	clock_gettime(CLOCK_REALTIME, &now);
	ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 - DDB_EPOCH_MS;
	if (ms < 0)
		ms = 0;
	v = (ms & ((INT64_C(1) << 41) - 1)) << 12 | ((int64_t)r[0] << 8 | r[1]) >> 4;
	if (v <= d->last_id)
		v = d->last_id + 1;
	if (v <= 0)
		v = 1;
	d->last_id = v;
	*id = v;
	return PGAL_OK;
}

void
ddb_hex64(char out[17], int64_t v)
{
	snprintf(out, 17, "%016llx",
	    (unsigned long long)((uint64_t)v ^ (UINT64_C(1) << 63)));
}

int
ddb_token(char out[17], pgal_err *e)
{
	return pgal_random_hex(out, 8, e);
}

/* ---- tables ---- */

static int
valid_table_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n < 3 || n > 255)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
		    s[i] == '.'))
			return 0;
	return 1;
}

static int
describe(struct ddb *d, const char *name, json_t **table, pgal_err *e)
{
	json_t *out;
	int rc;

	*table = NULL;
	if ((rc = ddb_call(d, "DescribeTable", rq_new(name), &out, e)) != PGAL_OK)
		return rc;
	*table = json_incref(json_object_get(out, "Table"));
	json_decref(out);
	if (!json_is_object(*table)) {
		json_decref(*table);
		*table = NULL;
		return pgal_fail(e, PGAL_EBACKEND, "DynamoDB DescribeTable %s: no table "
		    "in the answer", name);
	}
	return PGAL_OK;
}

static const char *
table_status(const json_t *t)
{
	const char *st = json_string_value(json_object_get(t, "TableStatus"));

	return st != NULL ? st : "";
}

/* ACTIVE, and every global index ACTIVE too */
static int
table_active(const json_t *t)
{
	json_t *g = json_object_get(t, "GlobalSecondaryIndexes"), *x;
	size_t i;

	if (strcmp(table_status(t), "ACTIVE") != 0)
		return 0;
	json_array_foreach(g, i, x) {
		const char *st = json_string_value(json_object_get(x, "IndexStatus"));

		if (st != NULL && strcmp(st, "ACTIVE") != 0)
			return 0;
	}
	return 1;
}

static int
has_index(const json_t *t, const char *list, const char *name)
{
	json_t *x;
	size_t i;

	json_array_foreach(json_object_get(t, list), i, x) {
		const char *n = json_string_value(json_object_get(x, "IndexName"));

		if (n != NULL && strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

/* A table made by someone else must have our keys and indexes: LSIs cannot
 * be added later, so say what to do instead of failing on each query.
 * nlists 1: keys and local indexes only; 2: global ones too. */
static int
check_table(const json_t *t, const json_t *def, const char *name, size_t nlists,
    pgal_err *e)
{
	static const char *const lists[] = { "LocalSecondaryIndexes", "GlobalSecondaryIndexes" };
	json_t *x, *k, *tk;
	size_t i, j;

	tk = json_object_get(t, "KeySchema");
	json_array_foreach(json_object_get(def, "KeySchema"), i, k) {
		const char *want = json_string_value(json_object_get(k, "AttributeName"));
		const char *have = json_string_value(json_object_get(
		    json_array_get(tk, i), "AttributeName"));

		if (want == NULL || have == NULL || strcmp(want, have) != 0)
			return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s has another "
			    "key schema than pgal's (sql/dynamodb/)", name);
	}
	for (j = 0; j < nlists; j++)
		json_array_foreach(json_object_get(def, lists[j]), i, x) {
			const char *n = json_string_value(json_object_get(x, "IndexName"));

			if (n != NULL && !has_index(t, lists[j], n))
				return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s lacks "
				    "index %s; create the table from sql/dynamodb/ (local "
				    "indexes cannot be added to an existing table)", name, n);
		}
	return PGAL_OK;
}

/* Until the table and all its global indexes are ACTIVE; *t is refreshed. */
static int
wait_active(struct ddb *d, const char *name, json_t **t, pgal_err *e)
{
	long waited = 0, step = 50;
	int rc = PGAL_OK;

	while (!table_active(*t)) {
		if (waited >= WAIT_ACTIVE_MS)
			return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s (or one of "
			    "its indexes) is not ACTIVE after %ld s; DynamoDB may still "
			    "be filling a new index: run pgal init again later", name,
			    waited / 1000);
		pgal_sleep_ms(step);
		waited += step;
		if (step < 2000)
			step *= 2;
		json_decref(*t);
		if ((rc = describe(d, name, t, e)) != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

/* The attribute definitions of def that the index x keys on. */
static json_t *
index_attrs(const json_t *def, const json_t *x)
{
	json_t *out = json_array(), *k, *a;
	size_t i, j;

	json_array_foreach(json_object_get(x, "KeySchema"), i, k) {
		const char *n = json_string_value(json_object_get(k, "AttributeName"));

		json_array_foreach(json_object_get(def, "AttributeDefinitions"), j, a)
			if (n != NULL && json_equal(json_object_get(a, "AttributeName"),
			    json_object_get(k, "AttributeName")))
				json_array_append(out, a);
	}
	return out;
}

/* Adds a global index of def that an existing table lacks (a table from an
 * older pgal, or made by hand): UpdateTable, one index per call as DynamoDB
 * wants, then waits until DynamoDB has filled it from the items. */
static int
add_index(struct ddb *d, const json_t *def, const json_t *x, const char *name,
    json_t **t, pgal_err *e)
{
	const char *iname = json_string_value(json_object_get(x, "IndexName"));
	const char *mode = json_string_value(json_object_get(json_object_get(*t,
	    "BillingModeSummary"), "BillingMode"));
	json_t *rq = rq_new(name), *c, *pt;
	pgal_err why;
	int rc;

	c = json_pack("{s:O, s:O, s:O}", "IndexName", json_object_get(x, "IndexName"),
	    "KeySchema", json_object_get(x, "KeySchema"),
	    "Projection", json_object_get(x, "Projection"));
	/* a provisioned table (made by hand) needs capacity for the index too:
	 * the table's own */
	if (c != NULL && (mode == NULL || strcmp(mode, "PAY_PER_REQUEST") != 0)) {
		pt = json_object_get(*t, "ProvisionedThroughput");
		json_object_set_new(c, "ProvisionedThroughput", json_pack("{s:O, s:O}",
		    "ReadCapacityUnits", json_object_get(pt, "ReadCapacityUnits"),
		    "WriteCapacityUnits", json_object_get(pt, "WriteCapacityUnits")));
	}
	if (c == NULL) {
		json_decref(rq);
		return pgal_fail(e, PGAL_EBACKEND, "DynamoDB index %s: bad definition", iname);
	}
	json_object_set_new(rq, "AttributeDefinitions", index_attrs(def, x));
	json_object_set_new(rq, "GlobalSecondaryIndexUpdates",
	    json_pack("[{s:o}]", "Create", c));
	pgal_err_clear(&why);
	rc = ddb_call(d, "UpdateTable", rq, NULL, &why);
	/* another pgal init got there first: wait for its index like ours */
	if (rc != PGAL_OK && (strcmp(d->last_code, "ResourceInUseException") == 0 ||
	    strstr(why.msg, "already exists") != NULL))
		rc = PGAL_OK;
	if (rc != PGAL_OK)
		return pgal_fail(e, rc, "DynamoDB table %s lacks index %s and adding it "
		    "failed: %s", name, iname, why.msg);
	json_decref(*t);
	if ((rc = describe(d, name, t, e)) != PGAL_OK ||
	    (rc = wait_active(d, name, t, e)) != PGAL_OK)
		return rc;
	if (!has_index(*t, "GlobalSecondaryIndexes", iname))
		return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s: UpdateTable "
		    "accepted index %s but the table does not have it", name, iname);
	if (d->added[0] != '\0')
		strncat(d->added, ", ", sizeof d->added - strlen(d->added) - 1);
	strncat(d->added, iname, sizeof d->added - strlen(d->added) - 1);
	return PGAL_OK;
}

/* Index name -> IndexStatus of the gallery table, for ddb_need_index. */
static void
gsi_record(struct ddb *d, const json_t *t)
{
	json_t *x;
	size_t i;

	json_decref(d->gsi);
	d->gsi = json_object();
	json_array_foreach(json_object_get(t, "GlobalSecondaryIndexes"), i, x) {
		const char *n = json_string_value(json_object_get(x, "IndexName"));
		const char *st = json_string_value(json_object_get(x, "IndexStatus"));

		if (n != NULL)
			json_object_set_new(d->gsi, n, json_string(st != NULL ? st : "ACTIVE"));
	}
	d->gsi_at = time(NULL);
}

/* UPDATING is a capacity change of a live index: it answers */
static int
gsi_usable(const char *st)
{
	return st != NULL && (strcmp(st, "ACTIVE") == 0 || strcmp(st, "UPDATING") == 0);
}

int
ddb_need_index(struct ddb *d, const char *index, pgal_err *e)
{
	const char *st = json_string_value(json_object_get(d->gsi, index));
	json_t *t;
	int rc;

	if (gsi_usable(st))
		return PGAL_OK;
	if (time(NULL) - d->gsi_at >= GSI_RECHECK_SECS) {
		if ((rc = describe(d, d->gallery, &t, e)) != PGAL_OK)
			return rc;
		gsi_record(d, t);
		json_decref(t);
		st = json_string_value(json_object_get(d->gsi, index));
		if (gsi_usable(st))
			return PGAL_OK;
	}
	if (st == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s lacks the global "
		    "index %s this needs: run pgal init to add it", d->gallery, index);
	return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s: the global index %s "
	    "this needs is %s (DynamoDB is still filling it); try again when it is "
	    "ACTIVE, or run pgal init, which waits for it", d->gallery, index, st);
}

/* One of the two tables: its definition (sql/dynamodb/, named as the
 * config says), its last description (NULL: it does not exist), and
 * whether this open created it. */
struct want {
	const char *defjson, *name;
	json_t *def, *t;
	int created;
};

/* Fills w->def and w->t (NULL when DynamoDB has no such table). */
static int
lookup(struct ddb *d, struct want *w, pgal_err *e)
{
	json_error_t jerr;
	int rc;

	if ((w->def = json_loads(w->defjson, 0, &jerr)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "DynamoDB table definition: %s", jerr.text);
	json_object_set_new(w->def, "TableName", json_string(w->name));
	rc = describe(d, w->name, &w->t, e);
	if (rc != PGAL_OK && strcmp(d->last_code, "ResourceNotFoundException") == 0) {
		pgal_err_clear(e);
		return PGAL_OK;
	}
	return rc;
}

static int
create(struct ddb *d, struct want *w, pgal_err *e)
{
	int rc = ddb_call(d, "CreateTable", json_deep_copy(w->def), NULL, e);

	/* another process created it first: wait for it like ours */
	if (rc != PGAL_OK && strcmp(d->last_code, "ResourceInUseException") == 0)
		rc = PGAL_OK;
	else if (rc == PGAL_OK)
		w->created = 1;
	if (rc == PGAL_OK)
		rc = describe(d, w->name, &w->t, e);
	return rc;
}

/* A table this open created when a later step failed: deleted again (once
 * ACTIVE: DynamoDB deletes no table that is still CREATING), so a failed
 * pgal init leaves nothing behind. The error already in e is kept. */
static void
undo_create(struct ddb *d, struct want *w, pgal_err *e)
{
	pgal_err why;

	pgal_err_clear(&why);
	if (wait_active(d, w->name, &w->t, &why) != PGAL_OK ||
	    ddb_call(d, "DeleteTable", rq_new(w->name), NULL, &why) != PGAL_OK) {
		if (strlen(e->msg) + strlen(w->name) + 60 < sizeof e->msg) {
			strcat(e->msg, "; deleting the new table ");
			strcat(e->msg, w->name);
			strcat(e->msg, " failed too: delete it by hand");
		}
	}
}

/* An existing table usable; with init also every global index, added when
 * missing and waited for. */
static int
ready(struct ddb *d, struct want *w, int init, pgal_err *e)
{
	const char *st = table_status(w->t);
	json_t *x;
	size_t i;
	int rc = PGAL_OK;

	/* a new table's indexes come with it: ready when it is */
	if (init || strcmp(st, "CREATING") == 0)
		rc = wait_active(d, w->name, &w->t, e);
	else if (strcmp(st, "ACTIVE") != 0 && strcmp(st, "UPDATING") != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s is %s, not "
		    "usable", w->name, st);
	json_array_foreach(json_object_get(w->def, "GlobalSecondaryIndexes"), i, x) {
		const char *n = json_string_value(json_object_get(x, "IndexName"));

		if (rc != PGAL_OK || !init)
			break;
		if (n != NULL && !has_index(w->t, "GlobalSecondaryIndexes", n))
			rc = add_index(d, w->def, x, w->name, &w->t, e);
	}
	if (rc == PGAL_OK && init)
		rc = check_table(w->t, w->def, w->name, 2, e);
	return rc;
}

/* What open does: both tables looked up and checked before anything is
 * made (a table of someone else's is refused with nothing created); in
 * INIT mode the missing ones created, in USE mode a missing one is an
 * error; the state of the global indexes noted, the layout read. init
 * (pgal init's prepare): everything made ready. */
static int
tables(struct ddb *d, pgal_store_mode mode, int init, pgal_err *e)
{
	struct want w[2] = {
		{ pgal_ddb_def_users, d->users, NULL, NULL, 0 },
		{ pgal_ddb_def_gallery, d->gallery, NULL, NULL, 0 },
	};
	size_t i;
	int rc = PGAL_OK;

	/* global indexes can be added to a live table; local ones cannot, so
	 * a table without them is refused before anything is added */
	for (i = 0; i < 2 && rc == PGAL_OK; i++) {
		if ((rc = lookup(d, &w[i], e)) != PGAL_OK)
			break;
		if (w[i].t != NULL)
			rc = check_table(w[i].t, w[i].def, w[i].name, 1, e);
		else if (mode != PGAL_STORE_INIT)
			rc = pgal_fail(e, PGAL_EBACKEND, "DynamoDB table %s does not "
			    "exist; run pgal init", w[i].name);
	}
	for (i = 0; i < 2 && rc == PGAL_OK; i++)
		if (w[i].t == NULL)
			rc = create(d, &w[i], e);
	for (i = 0; i < 2 && rc == PGAL_OK; i++)
		rc = ready(d, &w[i], init, e);
	if (rc != PGAL_OK)
		for (i = 0; i < 2; i++)
			if (w[i].created)
				undo_create(d, &w[i], e);
	if (rc == PGAL_OK) {
		gsi_record(d, w[1].t);
		/* a table this open made holds no photo from before refs */
		d->created |= w[1].created;
		for (i = 0; i < 2; i++)
			if (w[i].created && strlen(d->made) + strlen(w[i].name) + 3 <
			    sizeof d->made)
				snprintf(d->made + strlen(d->made), sizeof d->made -
				    strlen(d->made), "%s%s", d->made[0] != '\0' ? ", " : "",
				    w[i].name);
	}
	for (i = 0; i < 2; i++) {
		json_decref(w[i].t);
		json_decref(w[i].def);
	}
	if (rc != PGAL_OK)
		return rc;
	if (d->created)
		return ddb_layout_write(d, e);
	if ((rc = ddb_layout_read(d, e)) != PGAL_OK)
		return rc;
	if (init && !d->refs)
		return ddb_refs_migrate(d, e);
	return PGAL_OK;
}

/* `pgal init`'s work beyond open, which never waits for an index: adds
 * missing global indexes and waits until they are ACTIVE, gives the items
 * of an older layout what they lack */
static int
ddb_prepare(pgal_store *s, const pgal_config *cfg, pgal_err *e)
{
	struct ddb *d = ddb_of(s);
	int rc;

	if ((rc = tables(d, PGAL_STORE_INIT, 1, e)) != PGAL_OK)
		return rc;
	return ddb_protect(d, cfg, e);
}

static void
ddb_close(pgal_store *s)
{
	struct ddb *d = ddb_of(s);

	if (d == NULL)
		return;
	pgal_aws_client_close(d->c);
	json_decref(d->gsi);
	free(d);
}

static int
ddb_open(pgal_store **out, const pgal_config *cfg, pgal_store_mode mode, pgal_err *e)
{
	struct ddb *d;
	int rc;

	*out = NULL;
	if (!valid_table_name(cfg->dynamodb_table))
		return pgal_fail(e, PGAL_EUSAGE, "dynamodb_table: '%.64s' is not a "
		    "DynamoDB table name", cfg->dynamodb_table);
	if (!valid_table_name(cfg->dynamodb_users_table))
		return pgal_fail(e, PGAL_EUSAGE, "dynamodb_users_table: '%.64s' is not "
		    "a DynamoDB table name", cfg->dynamodb_users_table);
	if (strcmp(cfg->dynamodb_table, cfg->dynamodb_users_table) == 0)
		return pgal_fail(e, PGAL_EUSAGE, "dynamodb_table and "
		    "dynamodb_users_table must differ");
	if ((d = calloc(1, sizeof *d)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	d->base.ops = &pgal_store_dynamodb;
	snprintf(d->gallery, sizeof d->gallery, "%s", cfg->dynamodb_table);
	snprintf(d->users, sizeof d->users, "%s", cfg->dynamodb_users_table);
	d->session_idle = cfg->session_idle_secs;
	d->session_max = cfg->session_max_secs;
	if ((rc = pgal_aws_client_open(&d->c, cfg, "dynamodb", NULL, e)) != PGAL_OK) {
		free(d);
		return rc;
	}
	if ((rc = tables(d, mode, 0, e)) != PGAL_OK) {
		ddb_close(&d->base);
		return rc;
	}
	*out = &d->base;
	return PGAL_OK;
}

/* after prepare: what it created, added and turned on, or that it changed
 * nothing */
static void
ddb_describe(pgal_store *s, const pgal_config *cfg, char *out, size_t size)
{
	struct ddb *d = ddb_of(s);
	const char *added = d->added;

	snprintf(out, size, "ok (tables '%s' and '%s' active%s%s%s%s%s; %s%s)",
	    cfg->dynamodb_table, cfg->dynamodb_users_table,
	    d->made[0] != '\0' ? "; created " : "", d->made,
	    added[0] != '\0' ? "; added missing global index " : "", added,
	    added[0] != '\0' ? ", now ACTIVE" : "", d->said,
	    d->made[0] != '\0' || added[0] != '\0' || d->migrated > 0 || d->changed ?
	    "" : "; nothing changed");
}

const pgal_store_ops pgal_store_dynamodb = {
	.name = "dynamodb",
	.prepare = ddb_prepare,
	.describe = ddb_describe,
	.open = ddb_open,
	.close = ddb_close,
	.user_create = ddb_user_create,
	.user_get_by_name = ddb_user_get_by_name,
	.user_get = ddb_user_get,
	.user_update = ddb_user_update,
	.user_delete = ddb_user_delete,
	.session_create = ddb_session_create,
	.session_get = ddb_session_get,
	.session_touch = ddb_session_touch,
	.session_delete = ddb_session_delete,
	.session_delete_user = ddb_session_delete_user,
	.album_create = ddb_album_create,
	.album_get = ddb_album_get,
	.album_list = ddb_album_list,
	.album_update = ddb_album_update,
	.album_delete = ddb_album_delete,
	.photo_insert = ddb_photo_insert,
	.photo_get = ddb_photo_get,
	.photo_update = ddb_photo_update,
	.photo_delete = ddb_photo_delete,
	.photo_find_sha = ddb_photo_find_sha,
	.photo_set_digests = ddb_photo_set_digests,
	.photo_list = ddb_photo_list,
	.photo_list_before = ddb_photo_list_before,
	.photo_search = ddb_photo_search,
	.blob_ids_user = ddb_blob_ids_user,
	.blob_ids_album = ddb_blob_ids_album,
	.blob_id_used = ddb_blob_id_used,
	.key_add = ddb_key_add,
	.key_list = ddb_key_list,
	.key_find = ddb_key_find,
	.key_delete = ddb_key_delete,
	.user_ids_unconfirmed = ddb_user_ids_unconfirmed,
	.mark_get = ddb_mark_get,
	.mark_add = ddb_mark_add,
	.mark_claim = ddb_mark_claim,
	.mark_delete = ddb_mark_delete,
	.mark_prune = ddb_mark_prune,
	.upload_put = ddb_upload_put,
	.upload_touch = ddb_upload_touch,
	.upload_delete = ddb_upload_delete,
	.upload_list = ddb_upload_list,
	.pref_list = ddb_pref_list,
	.pref_set = ddb_pref_set,
};
