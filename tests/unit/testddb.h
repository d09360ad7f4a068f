/* The DynamoDB store's test fixture, shared by test-store-dynamodb*.c:
 * each binary starts its own dynalite behind dynalite-gsi.js
 * (tests/integration/peers.sh) in its group setup, and each test uses its
 * own pair of tables. */
#ifndef PGAL_TESTDDB_H
#define PGAL_TESTDDB_H

#include <stdint.h>

#include <jansson.h>

#include "config.h"
#include "store/store.h"

/* the peer's credentials: no message may show the secret */
#define DDB_FX_SECRET "ddb-test-secret-Hq2Zr"

/* set by ddb_fx_setup: the peer's port and the config every test starts from */
extern int ddb_fx_port;
extern pgal_config ddb_fx_base;

/* cmocka group setup and teardown: the peer and the AWS environment */
int ddb_fx_setup(void **state);
int ddb_fx_teardown(void **state);

struct ddb_fx {
	pgal_config cfg;
	pgal_store *s;
	const pgal_store_ops *o;
	pgal_id alice, bob;
};

/* Fresh tables (random names), the peer's test controls reset, the store
 * open on them; ddb_fx_close deletes the tables. */
void ddb_fx_open(struct ddb_fx *f);
void ddb_fx_close(struct ddb_fx *f);
/* A user, an album, a photo row: fail the test when the store refuses. */
pgal_id ddb_fx_user(struct ddb_fx *f, const char *name);
pgal_id ddb_fx_album(struct ddb_fx *f, pgal_id user, const char *name);
/* A photo of bytes bytes named name, whose SHA-256 is that of the name. */
void ddb_fx_photo(pgal_photo *p, pgal_id album, pgal_id user, const char *name,
    int64_t bytes);
pgal_id ddb_fx_insert(struct ddb_fx *f, pgal_photo *p);
/* A raw DynamoDB call on the same peer (json_pack fmt); the answer or NULL. */
json_t *ddb_fx_raw(struct ddb_fx *f, const char *op, const char *fmt, ...);
/* A test control of dynalite-gsi.js (Backfill, Stale, Log); fails the
 * test when it fails. */
json_t *ddb_fx_ctl(struct ddb_fx *f, const char *op, const char *fmt, ...);

#endif
