/* The backends the store contract (store-contract.h) runs against: how each
 * makes a fresh empty store for a case, removes it, counts rows and writes
 * a title by hand on its own connection. The environment names the backend
 * and its peer. */

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <mysql.h>
#include <sqlite3.h>

#include "config.h"
#include "store-contract.h"
#include "store/store.h"
#include "testddb.h"
#include "testlib.h"

/* ---- shared ---- */

static int
peer_ctl(pgal_contract_backend *b, const char *action)
{
	const char *ctl = getenv("PGAL_TEST_PEER_CTL");
	char cmd[8192];
	int rc;

	if (ctl == NULL || *ctl == '\0')
		return -1;
	snprintf(cmd, sizeof cmd, "%s %s", ctl, action);
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "# peer control '%s' failed (%d)\n", cmd, rc);
	return rc == 0 ? 0 : -1;
}

static int
env_npage(int dflt)
{
	const char *v = getenv("PGAL_TEST_NPAGE");

	return v != NULL && atoi(v) > 0 ? atoi(v) : dflt;
}

/* ---- sqlite: a file per case in a scratch directory ---- */

static int
sq_fresh(pgal_contract_backend *b, pgal_config *cfg, int n, pgal_err *e)
{
	pgal_config_defaults(cfg);
	snprintf(cfg->home, sizeof cfg->home, "%s", b->scratch);
	/* below directories that do not exist yet: open makes them */
	snprintf(cfg->sqlite_path, sizeof cfg->sqlite_path, "%s/db%d/sub/pgal.db",
	    b->scratch, n);
	return PGAL_OK;
}

static int64_t
sq_count(sqlite3 *db, const char *sql, int64_t id, const char *text)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_parameter_count(st) >= 1) {
		if (text != NULL)
			sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		else
			sqlite3_bind_int64(st, 1, id);
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The same questions in SQL, for both SQL backends (?1 is id or text). */
static const char *
probe_sql(pgal_probe what)
{
	switch (what) {
	case PGAL_PROBE_PHOTOS:
		return "SELECT count(*) FROM photos";
	case PGAL_PROBE_TAG:
		return "SELECT count(*) FROM photo_tags WHERE tag = ?";
	case PGAL_PROBE_TAGS_OF:
		return "SELECT count(*) FROM photo_tags WHERE photo_id = ?";
	case PGAL_PROBE_ORPHAN_TAGS:
		return "SELECT count(*) FROM photo_tags t WHERE NOT EXISTS "
		    "(SELECT 1 FROM photos p WHERE p.id = t.photo_id)";
	case PGAL_PROBE_USERS:
		return "SELECT count(*) FROM users";
	case PGAL_PROBE_USER_ROWS:
		return NULL; /* several parameters: below */
	}
	return NULL;
}

#define USER_ROWS(P) "SELECT (SELECT count(*) FROM users WHERE id = " P ")" \
	" + (SELECT count(*) FROM sessions WHERE user_id = " P ")" \
	" + (SELECT count(*) FROM albums WHERE user_id = " P ")" \
	" + (SELECT count(*) FROM photos WHERE user_id = " P ")" \
	" + (SELECT count(*) FROM photo_tags t JOIN photos p ON p.id = t.photo_id" \
	"    WHERE p.user_id = " P ")" \
	" + (SELECT count(*) FROM ssh_keys WHERE user_id = " P ")" \
	" + (SELECT count(*) FROM user_prefs WHERE user_id = " P ")"

static int64_t
sq_probe(pgal_contract_backend *b, const pgal_config *cfg, pgal_probe what, int64_t id,
    const char *text)
{
	sqlite3 *db = NULL;
	const char *sql = what == PGAL_PROBE_USER_ROWS ? USER_ROWS("?1") : probe_sql(what);
	int64_t v;

	if (sql == NULL)
		return -1;
	if (sqlite3_open_v2(cfg->sqlite_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 5000);
	v = sq_count(db, sql, id, what == PGAL_PROBE_TAG ? text : NULL);
	sqlite3_close(db);
	return v;
}

static int
sq_retitle(pgal_contract_backend *b, const pgal_config *cfg, pgal_id album,
    const char *title)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_open_v2(cfg->sqlite_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
	    sqlite3_busy_timeout(db, 5000) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "UPDATE albums SET title = ?1 WHERE id = ?2", -1, &st,
	    NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 2, album) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE &&
	    sqlite3_changes(db) == 1)
		rc = 0;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return rc;
}

static int
sqlite_init(pgal_contract_backend *b, pgal_err *e)
{
	char dir[PATH_MAX];

	b->ops = &pgal_store_sqlite;
	b->fresh = sq_fresh;
	b->probe = sq_probe;
	b->retitle = sq_retitle;
	b->npage = env_npage(10000);
	pgal_test_mkdtemp(dir);
	if (strlen(dir) >= sizeof b->scratch)
		return pgal_fail(e, PGAL_EUSAGE, "scratch path too long: %s", dir);
	memcpy(b->scratch, dir, strlen(dir) + 1);
	return PGAL_OK;
}

/* ---- mysql: a database per case ---- */

struct mysql_ctx {
	pgal_config base; /* from the environment */
};

/* A connection as the test user, to cfg's database or to none. */
static MYSQL *
my_raw(const pgal_config *c, const char *db, pgal_err *e)
{
	MYSQL *m = mysql_init(NULL);

	if (m == NULL) {
		pgal_fail(e, PGAL_EBACKEND, "out of memory");
		return NULL;
	}
	mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
	if (mysql_real_connect(m, c->mysql_host[0] ? c->mysql_host : NULL,
	    c->mysql_user[0] ? c->mysql_user : NULL, c->mysql_password, db,
	    (unsigned int)c->mysql_port, c->mysql_socket[0] ? c->mysql_socket : NULL,
	    0) == NULL) {
		pgal_fail(e, PGAL_EBACKEND, "test connection to MySQL: %s", mysql_error(m));
		mysql_close(m);
		return NULL;
	}
	return m;
}

static int
my_fresh(pgal_contract_backend *b, pgal_config *cfg, int n, pgal_err *e)
{
	struct mysql_ctx *x = b->ctx;
	char name[65], sql[128];
	MYSQL *m;
	int rc = PGAL_OK;

	*cfg = x->base;
	snprintf(name, sizeof name, "%.40s_%ld_%d", x->base.mysql_database[0] ?
	    x->base.mysql_database : "pgal", (long)getpid(), n);
	if ((m = my_raw(cfg, NULL, e)) == NULL)
		return e->code;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", name);
	if (mysql_query(m, sql) != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", sql, mysql_error(m));
	snprintf(sql, sizeof sql, "CREATE DATABASE `%s` CHARACTER SET utf8mb4", name);
	if (rc == PGAL_OK && mysql_query(m, sql) != 0)
		rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", sql, mysql_error(m));
	mysql_close(m);
	if (rc == PGAL_OK)
		rc = pgal_config_set(cfg, "mysql_database", name, "contract", e);
	return rc;
}

static void
my_dispose(pgal_contract_backend *b, const pgal_config *cfg)
{
	pgal_err e;
	char sql[128];
	MYSQL *m;

	if ((m = my_raw(cfg, NULL, &e)) == NULL)
		return;
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS `%s`", cfg->mysql_database);
	mysql_query(m, sql);
	mysql_close(m);
}

static int64_t
my_probe(pgal_contract_backend *b, const pgal_config *cfg, pgal_probe what, int64_t id,
    const char *text)
{
	char sql[1024], arg[256];
	const char *tmpl;
	MYSQL *m;
	MYSQL_RES *res;
	MYSQL_ROW row;
	pgal_err e;
	int64_t v = -1;

	if ((m = my_raw(cfg, cfg->mysql_database, &e)) == NULL)
		return -1;
	if (what == PGAL_PROBE_TAG) {
		char esc[2 * 64 + 1];

		mysql_real_escape_string(m, esc, text, (unsigned long)strnlen(text, 64));
		snprintf(arg, sizeof arg, "'%s'", esc);
	} else
		snprintf(arg, sizeof arg, "%lld", (long long)id);
	if (what == PGAL_PROBE_USER_ROWS) {
		/* the same text as SQLite's, with the id inlined */
		static const char u[] = USER_ROWS("@u");

		snprintf(sql, sizeof sql, "SET @u = %s", arg);
		if (mysql_query(m, sql) != 0)
			goto out;
		snprintf(sql, sizeof sql, "%s", u);
	} else {
		if ((tmpl = probe_sql(what)) == NULL)
			goto out;
		/* one '?' at most: replace it with the literal */
		const char *qm = strchr(tmpl, '?');

		if (qm != NULL)
			snprintf(sql, sizeof sql, "%.*s%s%s", (int)(qm - tmpl), tmpl, arg, qm + 1);
		else
			snprintf(sql, sizeof sql, "%s", tmpl);
	}
	if (mysql_query(m, sql) != 0 || (res = mysql_store_result(m)) == NULL)
		goto out;
	if ((row = mysql_fetch_row(res)) != NULL && row[0] != NULL)
		v = strtoll(row[0], NULL, 10);
	mysql_free_result(res);
out:
	mysql_close(m);
	return v;
}

static int
my_retitle(pgal_contract_backend *b, const pgal_config *cfg, pgal_id album,
    const char *title)
{
	char esc[2 * 1024 + 1], sql[sizeof esc + 128];
	pgal_err e;
	MYSQL *m;
	int rc = -1;

	if (strlen(title) > 1024 || (m = my_raw(cfg, cfg->mysql_database, &e)) == NULL)
		return -1;
	mysql_real_escape_string(m, esc, title, (unsigned long)strlen(title));
	snprintf(sql, sizeof sql, "UPDATE albums SET title = '%s' WHERE id = %lld", esc,
	    (long long)album);
	if (mysql_query(m, sql) == 0 && mysql_affected_rows(m) == 1)
		rc = 0;
	else
		fprintf(stderr, "# retitle: %s\n", mysql_error(m));
	mysql_close(m);
	return rc;
}

static int
mysql_init_backend(pgal_contract_backend *b, pgal_err *e)
{
	struct mysql_ctx *x;
	int rc;

	if ((x = calloc(1, sizeof *x)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	b->ctx = x;
	if ((rc = pgal_config_load(&x->base, NULL, e)) != PGAL_OK)
		return rc;
	if ((rc = pgal_config_set(&x->base, "store", "mysql", "contract", e)) != PGAL_OK)
		return rc;
	if (x->base.mysql_user[0] == '\0')
		return pgal_fail(e, PGAL_EUSAGE, "PGAL_TEST_STORE=mysql needs PGAL_MYSQL_HOST, "
		    "PGAL_MYSQL_PORT, PGAL_MYSQL_USER, PGAL_MYSQL_PASSWORD and "
		    "PGAL_MYSQL_DATABASE (see tests/integration/mariadb.sh)");
	b->ops = &pgal_store_mysql;
	b->fresh = my_fresh;
	b->dispose = my_dispose;
	b->probe = my_probe;
	b->retitle = my_retitle;
	b->npage = env_npage(10000);
	if (getenv("PGAL_TEST_PEER_CTL") != NULL)
		b->peer = peer_ctl;
	return PGAL_OK;
}

/* ---- dynamodb: tables per case, made by the store's open ---- */

static int
ddb_fresh(pgal_contract_backend *b, pgal_config *cfg, int n, pgal_err *e)
{
	const char *t = getenv("PGAL_DYNAMODB_TABLE");
	const char *u = getenv("PGAL_DYNAMODB_USERS_TABLE");
	char name[256];
	int rc;

	if ((rc = pgal_config_load(cfg, NULL, e)) != PGAL_OK ||
	    (rc = pgal_config_set(cfg, "store", "dynamodb", "contract", e)) != PGAL_OK)
		return rc;
	snprintf(name, sizeof name, "%.200s-%ld-%d", t != NULL && *t ? t : "PhotoGallery",
	    (long)getpid(), n);
	if ((rc = pgal_config_set(cfg, "dynamodb_table", name, "contract", e)) != PGAL_OK)
		return rc;
	snprintf(name, sizeof name, "%.200s-%ld-%d", u != NULL && *u ? u : "PhotoGalleryUsers",
	    (long)getpid(), n);
	return pgal_config_set(cfg, "dynamodb_users_table", name, "contract", e);
}

/* Every item of the album that carries its title (found by a scan, so
 * this knows nothing of the store's keys) gets the new one. */
static int
ddb_retitle(pgal_contract_backend *b, const pgal_config *cfg, pgal_id album,
    const char *title)
{
	struct ddb_fx *fx;
	json_t *r, *it;
	char aid[32];
	size_t i;
	int rc = -1, done = 0;

	if ((fx = calloc(1, sizeof *fx)) == NULL)
		return -1;
	fx->cfg = *cfg;
	snprintf(aid, sizeof aid, "%lld", (long long)album);
	r = ddb_fx_raw(fx, "Scan", "{s:s, s:s, s:{s:{s:s}}}", "TableName",
	    cfg->dynamodb_table, "FilterExpression", "aid = :a AND attribute_exists(title)",
	    "ExpressionAttributeValues", ":a", "N", aid);
	json_array_foreach(json_object_get(r, "Items"), i, it) {
		json_t *u = ddb_fx_raw(fx, "UpdateItem", "{s:s, s:{s:O, s:O}, s:s, s:{s:{s:s}}}",
		    "TableName", cfg->dynamodb_table, "Key", "albumID",
		    json_object_get(it, "albumID"), "photoID", json_object_get(it, "photoID"),
		    "UpdateExpression", "SET title = :t", "ExpressionAttributeValues", ":t",
		    "S", title);

		done += u != NULL && json_object_get(u, "__type") == NULL;
		json_decref(u);
	}
	if (done > 0 && (size_t)done == json_array_size(json_object_get(r, "Items")))
		rc = 0;
	json_decref(r);
	explicit_bzero(fx, sizeof *fx);
	free(fx);
	return rc;
}

static int
dynamodb_init(pgal_contract_backend *b, pgal_err *e)
{
	if ((b->ops = pgal_store_find("dynamodb")) == NULL)
		return pgal_fail(e, PGAL_EUSAGE, "this build has no dynamodb store");
	b->fresh = ddb_fresh;
	b->retitle = ddb_retitle;
	b->npage = env_npage(10000);
	if (getenv("PGAL_TEST_PEER_CTL") != NULL)
		b->peer = peer_ctl;
	return PGAL_OK;
}

/* ---- by name ---- */

int
pgal_contract_backend_init(pgal_contract_backend *b, const char *name, pgal_err *e)
{
	memset(b, 0, sizeof *b);
	if (strcmp(name, "sqlite") == 0)
		b->name = "sqlite";
	else if (strcmp(name, "mysql") == 0)
		b->name = "mysql";
	else if (strcmp(name, "dynamodb") == 0)
		b->name = "dynamodb";
	else
		return pgal_fail(e, PGAL_EUSAGE, "unknown store '%s' (sqlite, mysql, dynamodb)", name);
	if (strcmp(b->name, "sqlite") == 0)
		return sqlite_init(b, e);
	if (strcmp(b->name, "mysql") == 0)
		return mysql_init_backend(b, e);
	return dynamodb_init(b, e);
}

int
pgal_contract_from_env(pgal_contract_backend *b, pgal_err *e)
{
	const char *name = getenv("PGAL_TEST_STORE");

	return pgal_contract_backend_init(b, name != NULL && *name ? name : "sqlite", e);
}

void
pgal_contract_backend_free(pgal_contract_backend *b)
{
	if (b->scratch[0] != '\0')
		pgal_test_rmdir(b->scratch);
	if (b->ctx != NULL) {
		struct mysql_ctx *x = b->ctx;

		explicit_bzero(x->base.mysql_password, sizeof x->base.mysql_password);
		free(b->ctx);
	}
	b->ctx = NULL;
}
