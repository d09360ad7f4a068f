/* The DynamoDB store's test fixture (test-store-dynamodb*.c): a
 * dynalite-gsi peer started per test binary, a pair of fresh tables per
 * test, and raw calls on the peer for what the store would never write. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "aws/aws.h"
#include "crypto.h"
#include "testddb.h"
#include "testlib.h"
#include "testpeers.h"

int ddb_fx_port;
pgal_config ddb_fx_base;
static char peers[PATH_MAX];

int
ddb_fx_setup(void **state)
{
	char args[PATH_MAX + 32];

	pgal_peers_init(peers);
	snprintf(args, sizeof args, "dynalite-gsi '%s'", peers);
	if ((ddb_fx_port = pgal_peer_start(peers, args, "dynalite-gsi")) <= 0) {
		print_error("dynalite could not be started (see above)\n");
		return -1;
	}
	pgal_test_aws_env("AKIDDYNALITE", DDB_FX_SECRET);
	pgal_test_endpoint("AWS_ENDPOINT_URL_DYNAMODB", ddb_fx_port);
	pgal_test_config(&ddb_fx_base);
	strcpy(ddb_fx_base.store, "dynamodb");
	/* dynalite has no PITR, deletion protection or TTL calls: prepare asks
	 * for none (tests/integration/test-init-aws-settings.sh covers them) */
	ddb_fx_base.dynamodb_pitr = 0;
	ddb_fx_base.dynamodb_deletion_protection = 0;
	ddb_fx_base.dynamodb_ttl = 0;
	return 0;
}

int
ddb_fx_teardown(void **state)
{
	if (pgal_peers_stop(peers) != 0)
		print_error("stopping dynalite failed\n");
	pgal_test_rmdir(ddb_fx_base.home);
	return 0;
}

/* A call of service.op on the peer with the body fmt packs; the answer or
 * NULL. */
static json_t *
vraw(struct ddb_fx *f, const char *service, const char *op, const char *fmt, va_list ap)
{
	char target[64];
	pgal_aws_client *c;
	pgal_aws_response r;
	pgal_err e;
	char *body;
	json_t *j, *out = NULL;
	json_error_t jerr;

	snprintf(target, sizeof target, "%s.%s", service, op);
	j = json_vpack_ex(&jerr, 0, fmt, ap);
	if (j == NULL)
		fail_msg("raw %s: %s", target, jerr.text);
	body = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_int_equal(pgal_aws_client_open(&c, &f->cfg, "dynamodb", NULL, &e), PGAL_OK);
	if (pgal_aws_json_call(c, target, body, strlen(body), 1, &r, &e) == PGAL_OK)
		out = json_loadb(r.body, r.body_len, 0, &jerr);
	else
		print_message("# raw %s: %s\n", target, e.msg);
	pgal_aws_response_free(&r);
	pgal_aws_client_close(c);
	free(body);
	return out;
}

/* A raw DynamoDB call on the same peer (for fixtures the store would never
 * write itself); returns the answer or NULL. */
json_t *
ddb_fx_raw(struct ddb_fx *f, const char *op, const char *fmt, ...)
{
	va_list ap;
	json_t *out;

	va_start(ap, fmt);
	out = vraw(f, "DynamoDB_20120810", op, fmt, ap);
	va_end(ap);
	return out;
}

/* A test control of dynalite-gsi.js (Backfill, Stale, Log). */
json_t *
ddb_fx_ctl(struct ddb_fx *f, const char *op, const char *fmt, ...)
{
	va_list ap;
	json_t *out;

	va_start(ap, fmt);
	out = vraw(f, "PgalTest", op, fmt, ap);
	va_end(ap);
	if (out == NULL)
		fail_msg("control %s failed", op);
	return out;
}

void
ddb_fx_open(struct ddb_fx *f)
{
	char rnd[9];
	pgal_err e;

	memset(f, 0, sizeof *f);
	f->cfg = ddb_fx_base;
	assert_int_equal(pgal_random_hex(rnd, 4, NULL), PGAL_OK);
	snprintf(f->cfg.dynamodb_table, sizeof f->cfg.dynamodb_table, "G-%s", rnd);
	snprintf(f->cfg.dynamodb_users_table, sizeof f->cfg.dynamodb_users_table, "U-%s", rnd);
	f->o = pgal_store_find("dynamodb");
	assert_non_null(f->o);
	/* a test that failed half-way may have left the peer's controls set */
	json_decref(ddb_fx_ctl(f, "Stale", "{s:[]}", "IndexNames"));
	if (f->o->open(&f->s, &f->cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
		fail_msg("open: %s", e.msg);
}

pgal_id
ddb_fx_user(struct ddb_fx *f, const char *name)
{
	pgal_user u;
	pgal_err e;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.email, sizeof u.email, "%s@example.org", name);
	strcpy(u.pwhash, "$y$hash");
	u.created_at = 1000;
	if (f->o->user_create(f->s, &u, &e) != PGAL_OK)
		fail_msg("user_create: %s", e.msg);
	assert_true(u.id > 0);
	return u.id;
}

pgal_id
ddb_fx_album(struct ddb_fx *f, pgal_id user, const char *name)
{
	pgal_album a;
	pgal_err e;

	memset(&a, 0, sizeof a);
	a.user_id = user;
	snprintf(a.name, sizeof a.name, "%s", name);
	a.created_at = a.updated_at = 2000;
	if (f->o->album_create(f->s, &a, &e) != PGAL_OK)
		fail_msg("album_create: %s", e.msg);
	return a.id;
}

void
ddb_fx_photo(pgal_photo *p, pgal_id album, pgal_id user, const char *name, int64_t bytes)
{
	memset(p, 0, sizeof *p);
	p->album_id = album;
	p->user_id = user;
	snprintf(p->name, sizeof p->name, "%s", name);
	strcpy(p->mime, "image/jpeg");
	p->width = 640;
	p->height = 480;
	p->bytes = bytes;
	pgal_sha256_hex(name, strlen(name), p->sha256);
	pgal_random_hex(p->blob_id, 16, NULL);
	p->added_at = 5000;
	p->sort_taken = 5000;
	p->exif.taken_at = -1;
	p->exif.gps.alt = NAN;
}

pgal_id
ddb_fx_insert(struct ddb_fx *f, pgal_photo *p)
{
	pgal_err e;

	if (f->o->photo_insert(f->s, p, &e) != PGAL_OK)
		fail_msg("photo_insert %s: %s", p->name, e.msg);
	return p->id;
}

void
ddb_fx_close(struct ddb_fx *f)
{
	json_decref(ddb_fx_raw(f, "DeleteTable", "{s:s}", "TableName", f->cfg.dynamodb_table));
	json_decref(ddb_fx_raw(f, "DeleteTable", "{s:s}", "TableName",
	    f->cfg.dynamodb_users_table));
	f->o->close(f->s);
}
