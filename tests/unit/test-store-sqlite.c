/* The SQLite store beyond the contract every backend passes (store-contract.c,
 * which main() runs too): a private file and directory, WAL, the schema
 * version in user_version, migrations applied once and a newer schema
 * refused, bad paths, the key text stored, and that pages and searches run
 * on indexes (query plans). Row checks use a second, independent connection. */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "config.h"
#include "store-contract.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite.h"
#include "store/store.h"

static char tmpdir[1024]; /* short enough that paths below it fit PATH_MAX */
static int dbcounter;

/* the contract's fixture, opened on a path of our own */
struct fx {
	pgal_contract_fx c;
	sqlite3 *raw; /* independent connection for checks */
};

/* ---- helpers ---- */

static void
config_for(pgal_config *c, const char *path)
{
	pgal_config_defaults(c);
	snprintf(c->sqlite_path, sizeof c->sqlite_path, "%s", path);
}

/* A fresh database path below a directory that does not exist yet. */
static void
fresh_path(char *buf, size_t len)
{
	snprintf(buf, len, "%s/db%d/sub/pgal.db", tmpdir, ++dbcounter);
}

static sqlite3 *
raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* First column of a query with up to one integer parameter. */
static int64_t
raw_int(sqlite3 *db, const char *sql, int64_t arg)
{
	sqlite3_stmt *st;
	int64_t v = -12345;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void
raw_text(sqlite3 *db, const char *sql, int64_t arg, char *out, size_t len)
{
	sqlite3_stmt *st;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) != NULL)
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

static int
rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

static int
group_setup(void **state)
{
	const char *base = getenv("TMPDIR_TEST");

	snprintf(tmpdir, sizeof tmpdir, "%s/store-sqlite.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
group_teardown(void **state)
{
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	char path[PATH_MAX];
	pgal_err e;

	if (f == NULL)
		return -1;
	fresh_path(path, sizeof path);
	config_for(&f->c.cfg, path);
	assert_string_equal(f->c.cfg.store, "sqlite"); /* the default backend */
	f->c.ops = pgal_store_find(f->c.cfg.store);
	assert_non_null(f->c.ops);
	if (f->c.ops->open(&f->c.s, &f->c.cfg, PGAL_STORE_INIT, &e) != PGAL_OK)
		fail_msg("open: %s", e.msg);
	f->raw = raw_open(path);
	pgal_contract_people(&f->c);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sqlite3_close(f->raw);
	f->c.ops->close(f->c.s);
	free(f);
	return 0;
}

/* ---- backend table ---- */

static void
test_find(void **state)
{
	char **ids = calloc(2, sizeof *ids);

	assert_ptr_equal(pgal_store_find("sqlite"), &pgal_store_sqlite);
	assert_string_equal(pgal_store_sqlite.name, "sqlite");
	assert_null(pgal_store_find("mysql-not-yet"));
	assert_null(pgal_store_find(""));
	assert_null(pgal_store_find(NULL));
	/* free_ids frees strings and array; NULL is fine */
	assert_non_null(ids);
	ids[0] = strdup("a");
	ids[1] = strdup("b");
	pgal_store_free_ids(ids, 2);
	pgal_store_free_ids(NULL, 0);
}

/* ---- open and migrations ---- */

static int
newest_migration(void)
{
	const pgal_migration *m;
	int v = 0;

	for (m = pgal_migrations_sqlite; m->sql != NULL; m++) {
		assert_true(m->version > v); /* strictly increasing */
		v = m->version;
	}
	return v;
}

static void
test_open_creates_private_wal_db(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_err e;
	char path[PATH_MAX], dir[PATH_MAX], mode[16];
	struct stat sb;
	sqlite3 *raw;

	fresh_path(path, sizeof path);
	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(S_ISREG(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = '\0';
	assert_int_equal(stat(dir, &sb), 0);
	assert_true(S_ISDIR(sb.st_mode));
	assert_int_equal(sb.st_mode & 0777, 0700);

	raw = raw_open(path);
	raw_text(raw, "PRAGMA journal_mode", 0, mode, sizeof mode);
	assert_string_equal(mode, "wal");
	assert_int_equal(raw_int(raw, "PRAGMA user_version", 0), newest_migration());
	sqlite3_close(raw);
	pgal_store_sqlite.close(s);
}

static void
test_open_bad_paths(void **state)
{
	pgal_config cfg;
	pgal_store *s = (pgal_store *)&cfg; /* must be reset to NULL */
	pgal_err e;
	char path[PATH_MAX];
	FILE *fp;

	config_for(&cfg, "");
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_EBACKEND);
	assert_null(s);

	/* a regular file where a directory should be */
	snprintf(path, sizeof path, "%s/plainfile", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/plainfile/pgal.db", tmpdir);
	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_EBACKEND);
	assert_null(s);
	assert_non_null(strstr(e.msg, "plainfile"));

	/* not a database */
	snprintf(path, sizeof path, "%s/garbage.db", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("this is not an sqlite database, just text that is long enough "
	    "to fill a header page and then some more text", fp);
	fclose(fp);
	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_EBACKEND);
	assert_null(s);
}

static void
test_migrations_idempotent(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_err e;
	pgal_user u;
	char path[PATH_MAX];
	sqlite3 *raw;
	static const char *const tables[] = {
		"users", "sessions", "albums", "photos", "photo_tags", "ssh_keys",
	};
	size_t i;
	int64_t objects;

	fresh_path(path, sizeof path);
	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_OK);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "keeper");
	assert_int_equal(pgal_store_sqlite.user_create(s, &u, &e), PGAL_OK);
	pgal_store_sqlite.close(s);

	raw = raw_open(path);
	objects = raw_int(raw, "SELECT count(*) FROM sqlite_schema", 0);
	sqlite3_close(raw);

	/* second and third open: nothing re-applied, data kept */
	for (i = 0; i < 2; i++) {
		assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_OK);
		assert_int_equal(pgal_store_sqlite.user_get_by_name(s, "keeper", &u, &e), PGAL_OK);
		pgal_store_sqlite.close(s);
	}
	raw = raw_open(path);
	assert_int_equal(raw_int(raw, "PRAGMA user_version", 0), newest_migration());
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM sqlite_schema", 0), objects);
	for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		char sql[128];

		snprintf(sql, sizeof sql, "SELECT count(*) FROM sqlite_schema "
		    "WHERE type = 'table' AND name = '%s'", tables[i]);
		assert_int_equal(raw_int(raw, sql, 0), 1);
	}

	/* a schema from a newer pgal is refused, not scribbled on */
	{
		char sql[64];

		snprintf(sql, sizeof sql, "PRAGMA user_version = %d", newest_migration() + 1);
		assert_int_equal(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(raw);
	s = NULL;
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_EBACKEND);
	assert_null(s);
	assert_non_null(strstr(e.msg, "newer"));
}

/* Every row of a query as text, one line each (malloc'd; "" for none). */
static char *
raw_rows(sqlite3 *db, const char *sql)
{
	sqlite3_str *out = sqlite3_str_new(db);
	sqlite3_stmt *st;
	char *text, *copy;
	int i;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare %s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (i = 0; i < sqlite3_column_count(st); i++)
			sqlite3_str_appendf(out, "%s|", sqlite3_column_type(st, i) == SQLITE_NULL ?
			    "NULL" : (const char *)sqlite3_column_text(st, i));
		sqlite3_str_appendchar(out, 1, '\n');
	}
	sqlite3_finalize(st);
	text = sqlite3_str_finish(out);
	copy = strdup(text != NULL ? text : "");
	sqlite3_free(text);
	assert_non_null(copy);
	return copy;
}

static void
raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg);
}

/* A gallery at schema version 6 (plain INTEGER PRIMARY KEY ids) whose
 * newest account was deleted while a reset code of it was still live:
 * version 7 keeps every row and never gives a deleted id again. */
static void
test_migration_7_retires_ids(void **state)
{
	static const char *const tables[] = {
		"SELECT * FROM users ORDER BY id",
		"SELECT * FROM sessions ORDER BY token_hash",
		"SELECT * FROM albums ORDER BY id",
		"SELECT * FROM photos ORDER BY id",
		"SELECT * FROM photo_tags ORDER BY photo_id, tag",
		"SELECT * FROM ssh_keys ORDER BY id",
		"SELECT * FROM user_prefs ORDER BY user_id, name",
		"SELECT * FROM marks ORDER BY name",
	};
	const pgal_migration *m;
	char path[PATH_MAX], *before[8], *after;
	pgal_config cfg;
	pgal_store *s;
	pgal_user u;
	pgal_err e;
	int64_t gone, next;
	sqlite3 *raw;
	size_t i;

	snprintf(path, sizeof path, "%s/v6-%d.db", tmpdir, ++dbcounter);
	assert_int_equal(sqlite3_open_v2(path, &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
	    NULL), SQLITE_OK);
	for (m = pgal_migrations_sqlite; m->sql != NULL && m->version <= 6; m++)
		raw_exec(raw, m->sql);
	raw_exec(raw, "PRAGMA user_version = 6; PRAGMA foreign_keys = ON;"
	    "INSERT INTO users (name, email, pwhash, confirmed, created_at) VALUES"
	    " ('ann', 'ann@example.org', '$y$a', 1, 1700000000),"
	    " ('ben', 'ben@example.org', '$y$b', 0, 1700000001),"
	    " ('cid', 'cid@example.org', '$y$c', 1, 1700000002);"
	    "INSERT INTO albums (user_id, name, created_at, updated_at) VALUES"
	    " (1, 'Holiday', 1700000100, 1700000100), (2, 'Cats', 1700000101, 1700000101),"
	    " (3, 'Gone', 1700000102, 1700000102);"
	    "INSERT INTO photos (album_id, user_id, name, tags, mime, width, height, bytes,"
	    " sha256, blob_id, added_at, sort_taken) VALUES"
	    " (1, 1, 'a.jpg', 'sea', 'image/jpeg', 40, 30, 1000, 'aa', 'b1', 1700000200, 1),"
	    " (1, 1, 'b.jpg', '', 'image/jpeg', 40, 30, 2000, 'bb', 'b2', 1700000201, 2),"
	    " (2, 2, 'c.jpg', 'cat', 'image/png', 40, 30, 3000, 'cc', 'b3', 1700000202, 3);"
	    "INSERT INTO photo_tags VALUES (1, 'sea'), (3, 'cat');"
	    "INSERT INTO sessions VALUES ('t1', 1, 1700000300, 1700000301),"
	    " ('t2', 2, 1700000302, 1700000303);"
	    "INSERT INTO ssh_keys (user_id, algo, key_base64, fingerprint, created_at) VALUES"
	    " (1, 'ssh-ed25519', 'AAAA', 'SHA256:x', 1700000400);"
	    "INSERT INTO user_prefs VALUES (1, 'preview', 'sixel');"
	    "INSERT INTO marks VALUES ('mail-src:local', 1700000500);");
	/* cid, the newest, cancels with a reset code still live */
	gone = raw_int(raw, "SELECT id FROM users WHERE name = 'cid'", 0);
	assert_int_equal(gone, raw_int(raw, "SELECT max(id) FROM users", 0));
	raw_exec(raw, "INSERT INTO marks SELECT 'code-reset:' || id || ':' || hex(zeroblob(32)),"
	    " 1900000000 FROM users WHERE name = 'cid'; DELETE FROM users WHERE name = 'cid'");
	for (i = 0; i < 8; i++)
		before[i] = raw_rows(raw, tables[i]);
	sqlite3_close(raw);

	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e), PGAL_OK);
	raw = raw_open(path);
	assert_int_equal(raw_int(raw, "PRAGMA user_version", 0), newest_migration());
	for (i = 0; i < 8; i++) {
		after = raw_rows(raw, tables[i]);
		assert_string_equal(after, before[i]);
		free(after);
		free(before[i]);
	}
	after = raw_rows(raw, "PRAGMA foreign_key_check");
	assert_string_equal(after, "");
	free(after);
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
	    " AND name = 'users_unconfirmed'", 0), 1);
	/* the counters the photo triggers keep still hold */
	assert_int_equal(raw_int(raw, "SELECT photo_count FROM albums WHERE id = 1", 0), 2);

	/* the next account comes after the deleted one, and after itself once
	 * deleted too */
	assert_int_equal(pgal_store_sqlite.user_get_by_name(s, "ann", &u, &e), PGAL_OK);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "dan");
	assert_int_equal(pgal_store_sqlite.user_create(s, &u, &e), PGAL_OK);
	assert_true(u.id > gone);
	next = u.id;
	assert_int_equal(pgal_store_sqlite.user_delete(s, next, &e), PGAL_OK);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "eve");
	assert_int_equal(pgal_store_sqlite.user_create(s, &u, &e), PGAL_OK);
	assert_true(u.id > next);

	/* foreign keys are on again: deleting ann takes her rows along */
	assert_int_equal(pgal_store_sqlite.user_delete(s, 1, &e), PGAL_OK);
	assert_int_equal(raw_int(raw, "SELECT (SELECT count(*) FROM albums WHERE user_id = 1) +"
	    " (SELECT count(*) FROM photos WHERE user_id = 1) +"
	    " (SELECT count(*) FROM photo_tags WHERE photo_id IN (1, 2)) +"
	    " (SELECT count(*) FROM sessions WHERE user_id = 1) +"
	    " (SELECT count(*) FROM ssh_keys WHERE user_id = 1) +"
	    " (SELECT count(*) FROM user_prefs WHERE user_id = 1)", 0), 0);
	assert_int_equal(raw_int(raw, "SELECT count(*) FROM photos WHERE user_id = 2", 0), 1);
	sqlite3_close(raw);
	pgal_store_sqlite.close(s);
}

/* ---- query plans ---- */

/* Every statement the store ran used an index for both search and order. */
static void
assert_no_scans_or_sorts(pgal_contract_fx *f)
{
	sqlite3 *db = pgal_store_sqlite_db(f->s);
	sqlite3_stmt *st = NULL;

	assert_non_null(db);
	while ((st = sqlite3_next_stmt(db, st)) != NULL) {
		if (sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) != 0 ||
		    sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0) != 0)
			fail_msg("statement scans or sorts: %s", sqlite3_sql(st));
	}
}

/* The query plan of the cached page statement ordered by `key`. */
static void
assert_plan_uses(pgal_contract_fx *f, const char *order, const char *index)
{
	sqlite3 *db = pgal_store_sqlite_db(f->s);
	sqlite3_stmt *st = NULL, *eqp;
	char sql[4096], plan[1024] = "";
	int found = 0;

	while ((st = sqlite3_next_stmt(db, st)) != NULL) {
		if (strstr(sqlite3_sql(st), order) == NULL)
			continue;
		found = 1;
		snprintf(sql, sizeof sql, "EXPLAIN QUERY PLAN %s", sqlite3_sql(st));
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &eqp, NULL), SQLITE_OK);
		while (sqlite3_step(eqp) == SQLITE_ROW) {
			size_t l = strlen(plan);

			snprintf(plan + l, sizeof plan - l, "%s; ", sqlite3_column_text(eqp, 3));
		}
		sqlite3_finalize(eqp);
	}
	assert_true(found);
	if (strstr(plan, index) == NULL || strstr(plan, "TEMP B-TREE") != NULL ||
	    strstr(plan, "SCAN p") != NULL)
		fail_msg("plan for %s: %s", order, plan);
}


/* Pages in every order and a search, then every statement the store ran
 * must have used an index for both the lookup and the order. */
static void
test_plans(void **state)
{
	pgal_contract_fx *f = &((struct fx *)*state)->c;
	static const pgal_sort sorts[] = { PGAL_SORT_TAKEN, PGAL_SORT_ADDED, PGAL_SORT_TITLE };
	const char *const words[] = { "x" };
	pgal_photo p, page[50];
	pgal_cursor cur;
	pgal_err e;
	size_t i, n, seen;
	char name[32];

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof name, "img-%03zu.jpg", i);
		pgal_contract_fill_photo(f, &p, f->alice, f->a1, name);
		snprintf(p.title, sizeof p.title, "t%zu", i % 17);
		snprintf(p.tags, sizeof p.tags, "t%zu", i % 5);
		pgal_contract_insert_photo(f, &p);
	}
	for (i = 0; i < 3; i++) {
		memset(&cur, 0, sizeof cur);
		seen = 0;
		for (;;) {
			assert_int_equal(f->ops->photo_list(f->s, f->a1, sorts[i], &cur, 50,
			    page, &n, &e), PGAL_OK);
			if (n == 0)
				break;
			seen += n;
			cur.valid = 1;
			cur.id = page[n - 1].id;
			cur.num = sorts[i] == PGAL_SORT_TAKEN ? page[n - 1].sort_taken :
			    page[n - 1].added_at;
			snprintf(cur.text, sizeof cur.text, "%s", page[n - 1].title);
		}
		assert_int_equal(seen, 300);
	}
	/* the reverse read, from the end back to the start */
	for (i = 0; i < 3; i++) {
		memset(&cur, 0, sizeof cur);
		seen = 0;
		for (;;) {
			assert_int_equal(f->ops->photo_list_before(f->s, f->a1, sorts[i], &cur,
			    50, page, &n, &e), PGAL_OK);
			if (n == 0)
				break;
			seen += n;
			cur.valid = 1;
			cur.id = page[0].id;
			cur.num = sorts[i] == PGAL_SORT_TAKEN ? page[0].sort_taken :
			    page[0].added_at;
			snprintf(cur.text, sizeof cur.text, "%s", page[0].title);
		}
		assert_int_equal(seen, 300);
	}
	assert_no_scans_or_sorts(f);
	assert_plan_uses(f, "ORDER BY p.sort_taken,", "photos_album_taken");
	assert_plan_uses(f, "ORDER BY p.added_at, p.id LIMIT", "photos_album_added");
	assert_plan_uses(f, "ORDER BY p.title,", "photos_album_title");
	assert_plan_uses(f, "ORDER BY p.sort_taken DESC", "photos_album_taken");
	assert_plan_uses(f, "(?2, ?3) ORDER BY p.added_at DESC", "photos_album_added");
	assert_plan_uses(f, "p.album_id = ?1 ORDER BY p.added_at DESC", "photos_album_added");
	assert_plan_uses(f, "ORDER BY p.title DESC", "photos_album_title");
	/* search walks the user's photos newest first on its index, and an
	 * album search that album's */
	assert_int_equal(f->ops->photo_search(f->s, f->alice, 0, words, 1, "t1", 50, page, &n, &e),
	    PGAL_OK);
	assert_plan_uses(f, "WHERE p.user_id = ?1 AND EXISTS", "photos_user_added");
	assert_int_equal(f->ops->photo_search(f->s, f->alice, f->a1, words, 1, "t1", 50, page, &n,
	    &e), PGAL_OK);
	assert_plan_uses(f, "+p.user_id = ?1 AND p.album_id = ?2", "photos_album_added");
}

/* The key text itself is kept (the API returns only its fingerprint). */
static void
test_key_stored(void **state)
{
	struct fx *x = *state;
	pgal_contract_fx *f = &x->c;
	pgal_ssh_key k;
	pgal_err e;
	char b64[65];

	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
	assert_int_equal(f->ops->key_add(f->s, f->alice, &k, "AAAAC3NzaC1lZDI1NTE5AAAA", &e), PGAL_OK);
	raw_text(x->raw, "SELECT key_base64 FROM ssh_keys WHERE id = ?1", k.id, b64, sizeof b64);
	assert_string_equal(b64, "AAAAC3NzaC1lZDI1NTE5AAAA");
}

/* ---- several processes ---- */

#define NCHILD 4

/* A second process opening a brand-new file at the same moment. */
static void
test_concurrent_first_open(void **state)
{
	pgal_config cfg;
	pgal_store *s;
	pgal_err e;
	char path[PATH_MAX];
	pid_t pids[NCHILD];
	int k, status;
	sqlite3 *raw;

	fresh_path(path, sizeof path);
	config_for(&cfg, path);
	for (k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0) {
			if (pgal_store_sqlite.open(&s, &cfg, PGAL_STORE_USE, &e) != PGAL_OK) {
				fprintf(stderr, "child open: %s\n", e.msg);
				_exit(1);
			}
			pgal_store_sqlite.close(s);
			_exit(0);
		}
	}
	for (k = 0; k < NCHILD; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	raw = raw_open(path);
	assert_int_equal(raw_int(raw, "PRAGMA user_version", 0), newest_migration());
	sqlite3_close(raw);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_open_creates_private_wal_db),
		cmocka_unit_test(test_open_bad_paths),
		cmocka_unit_test(test_migrations_idempotent),
		cmocka_unit_test(test_migration_7_retires_ids),
		cmocka_unit_test(test_concurrent_first_open),
		cmocka_unit_test_setup_teardown(test_plans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_stored, setup, teardown),
	};
	pgal_contract_backend b;
	pgal_err e;
	int rc;

	rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
	/* and the contract every store passes */
	if (pgal_contract_backend_init(&b, "sqlite", &e) != PGAL_OK) {
		printf("not ok - contract backend: %s\n", e.msg);
		return 1;
	}
	rc += pgal_store_contract_run(&b);
	pgal_contract_backend_free(&b);
	return rc;
}
