/* The SQLite metadata store: every op, conflicts, cascades, keyset pagination
 * (order, completeness, index use), search with LIKE wildcards taken
 * literally, several handles and processes on one file, migrations. Row
 * counts are checked through a second, independent connection. */

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <math.h>
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
#include "migrations.h"
#include "store.h"
#include "store-sqlite.h"

static char tmpdir[1024]; /* short enough that paths below it fit PATH_MAX */
static int dbcounter;

struct fx {
	pgal_config cfg;
	const pgal_store_ops *ops;
	pgal_store *s;
	sqlite3 *raw; /* independent connection for checks */
	pgal_id alice, bob;
	pgal_id a1, a2, b1; /* albums */
	unsigned serial;  /* makes blob ids and hashes unique */
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

static pgal_id
new_user(struct fx *f, const char *name)
{
	pgal_user u;
	pgal_err e;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.email, sizeof u.email, "%s@example.org", name);
	snprintf(u.pwhash, sizeof u.pwhash, "$y$j9T$salt$hash-of-%s", name);
	u.created_at = 1700000000;
	assert_int_equal(f->ops->user_create(f->s, &u, &e), PGAL_OK);
	assert_true(u.id > 0);
	return u.id;
}

static pgal_id
new_album(struct fx *f, pgal_id user, const char *name)
{
	pgal_album a;
	pgal_err e;

	memset(&a, 0, sizeof a);
	a.user_id = user;
	snprintf(a.name, sizeof a.name, "%s", name);
	snprintf(a.title, sizeof a.title, "Title of %s", name);
	a.created_at = a.updated_at = 1700000100;
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_OK);
	assert_true(a.id > 0);
	return a.id;
}

/* A photo with every field set to something recognisable. */
static void
fill_photo(struct fx *f, pgal_photo *p, pgal_id user, pgal_id album, const char *name)
{
	unsigned n = ++f->serial;

	memset(p, 0, sizeof *p);
	p->album_id = album;
	p->user_id = user;
	snprintf(p->name, sizeof p->name, "%s", name);
	snprintf(p->mime, sizeof p->mime, "image/jpeg");
	p->width = 4000;
	p->height = 3000;
	p->bytes = 1000 + n;
	snprintf(p->sha256, sizeof p->sha256, "%064x", n);
	snprintf(p->blob_id, sizeof p->blob_id, "%032x", n * 7u + 3u);
	p->added_at = 1700001000 + n;
	p->sort_taken = p->added_at;
	p->exif.taken_at = -1;
	p->exif.gps.alt = NAN;
}

static pgal_id
insert_photo(struct fx *f, pgal_photo *p)
{
	pgal_err e;

	if (f->ops->photo_insert(f->s, p, &e) != PGAL_OK)
		fail_msg("photo_insert %s: %s", p->name, e.msg);
	assert_true(p->id > 0);
	return p->id;
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
	config_for(&f->cfg, path);
	assert_string_equal(f->cfg.store, "sqlite"); /* the default backend */
	f->ops = pgal_store_find(f->cfg.store);
	assert_non_null(f->ops);
	if (f->ops->open(&f->s, &f->cfg, &e) != PGAL_OK)
		fail_msg("open: %s", e.msg);
	f->raw = raw_open(path);
	f->alice = new_user(f, "alice");
	f->bob = new_user(f, "bob");
	f->a1 = new_album(f, f->alice, "Holiday");
	f->a2 = new_album(f, f->alice, "Cats");
	f->b1 = new_album(f, f->bob, "Holiday");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	sqlite3_close(f->raw);
	f->ops->close(f->s);
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
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_OK);
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
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_EBACKEND);
	assert_null(s);

	/* a regular file where a directory should be */
	snprintf(path, sizeof path, "%s/plainfile", tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	fclose(fp);
	snprintf(path, sizeof path, "%s/plainfile/pgal.db", tmpdir);
	config_for(&cfg, path);
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_EBACKEND);
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
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_EBACKEND);
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
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_OK);
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "keeper");
	assert_int_equal(pgal_store_sqlite.user_create(s, &u, &e), PGAL_OK);
	pgal_store_sqlite.close(s);

	raw = raw_open(path);
	objects = raw_int(raw, "SELECT count(*) FROM sqlite_schema", 0);
	sqlite3_close(raw);

	/* second and third open: nothing re-applied, data kept */
	for (i = 0; i < 2; i++) {
		assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_OK);
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
	assert_int_equal(pgal_store_sqlite.open(&s, &cfg, &e), PGAL_EBACKEND);
	assert_null(s);
	assert_non_null(strstr(e.msg, "newer"));
}

/* ---- users ---- */

static void
test_users(void **state)
{
	struct fx *f = *state;
	pgal_user u, got;
	pgal_err e;

	assert_int_equal(f->ops->user_get_by_name(f->s, "alice", &got, &e), PGAL_OK);
	assert_int_equal(got.id, f->alice);
	assert_string_equal(got.email, "alice@example.org");
	assert_string_equal(got.pwhash, "$y$j9T$salt$hash-of-alice");
	assert_int_equal(got.created_at, 1700000000);
	assert_int_equal(got.confirmed, 0);
	assert_string_equal(got.code_hash, "");
	assert_true(f->alice != f->bob);

	/* every mutable field round-trips */
	u = got;
	snprintf(u.email, sizeof u.email, "alice2@example.net");
	snprintf(u.pwhash, sizeof u.pwhash, "$y$new");
	u.confirmed = 1;
	snprintf(u.code_hash, sizeof u.code_hash, "%064d", 7);
	u.code_expires_at = 1800000000;
	u.code_tries = 3;
	u.failed_logins = 4;
	u.locked_until = 1700009999;
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_OK);
	assert_int_equal(f->ops->user_get(f->s, f->alice, &got, &e), PGAL_OK);
	assert_int_equal(got.id, u.id);
	assert_string_equal(got.name, "alice");
	assert_string_equal(got.email, u.email);
	assert_string_equal(got.pwhash, u.pwhash);
	assert_int_equal(got.confirmed, 1);
	assert_int_equal(got.created_at, 1700000000);
	assert_string_equal(got.code_hash, u.code_hash);
	assert_int_equal(got.code_expires_at, 1800000000);
	assert_int_equal(got.code_tries, 3);
	assert_int_equal(got.failed_logins, 4);
	assert_int_equal(got.locked_until, 1700009999);
	/* bob untouched */
	assert_int_equal(f->ops->user_get(f->s, f->bob, &got, &e), PGAL_OK);
	assert_string_equal(got.email, "bob@example.org");
	assert_int_equal(got.confirmed, 0);

	/* name is unique */
	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "alice");
	assert_int_equal(f->ops->user_create(f->s, &u, &e), PGAL_EINPUT);
	assert_int_equal(e.code, PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "alice"));

	/* not found */
	assert_int_equal(f->ops->user_get_by_name(f->s, "carol", &got, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "carol"));
	assert_int_equal(f->ops->user_get(f->s, 999999, &got, &e), PGAL_ENOTFOUND);
	u.id = 999999;
	assert_int_equal(f->ops->user_update(f->s, &u, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->user_delete(f->s, 999999, &e), PGAL_ENOTFOUND);

	/* hostile-looking names are just data */
	assert_int_equal(f->ops->user_get_by_name(f->s, "x' OR '1'='1", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM users", 0), 2);
}

/* ---- sessions ---- */

static void
session_row(pgal_session_row *r, pgal_id user, int n)
{
	memset(r, 0, sizeof *r);
	snprintf(r->token_hash, sizeof r->token_hash, "%064x", 0xabc000 + n);
	r->user_id = user;
	r->created_at = 1700000000 + n;
	r->last_seen = r->created_at;
}

static void
test_sessions(void **state)
{
	struct fx *f = *state;
	pgal_session_row r[4], got;
	pgal_err e;
	int i;

	for (i = 0; i < 4; i++) {
		session_row(&r[i], i < 3 ? f->alice : f->bob, i);
		assert_int_equal(f->ops->session_create(f->s, &r[i], &e), PGAL_OK);
	}
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_OK);
	assert_memory_equal(&got, &r[1], sizeof got);

	assert_int_equal(f->ops->session_touch(f->s, r[1].token_hash, 1750000000, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(got.last_seen, 1750000000);
	assert_int_equal(got.created_at, r[1].created_at);

	/* duplicates and unknown users */
	assert_int_equal(f->ops->session_create(f->s, &r[1], &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	session_row(&got, 424242, 9);
	assert_int_equal(f->ops->session_create(f->s, &got, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "user"));

	/* delete one */
	assert_int_equal(f->ops->session_delete(f->s, r[0].token_hash, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[0].token_hash, &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_delete(f->s, r[0].token_hash, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_touch(f->s, r[0].token_hash, 1, &e), PGAL_ENOTFOUND);

	/* all of alice's but one, then all */
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, r[2].token_hash, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[1].token_hash, &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->session_get(f->s, r[2].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, NULL, &e), PGAL_OK);
	assert_int_equal(f->ops->session_get(f->s, r[2].token_hash, &got, &e), PGAL_ENOTFOUND);
	/* none left is fine */
	assert_int_equal(f->ops->session_delete_user(f->s, f->alice, NULL, &e), PGAL_OK);
	/* bob's stays */
	assert_int_equal(f->ops->session_get(f->s, r[3].token_hash, &got, &e), PGAL_OK);
	assert_int_equal(got.user_id, f->bob);
}

/* ---- albums ---- */

static int
cmp_album_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void
test_albums(void **state)
{
	struct fx *f = *state;
	const char *names[] = { "zeta", "Alpha", "beta 2", "beta", "Cats", "Holiday", "0.start" };
	const char *expect[7];
	pgal_album a, *list;
	pgal_err e;
	size_t n, i;

	/* setup made Holiday and Cats; add the rest */
	for (i = 0; i < 7; i++) {
		expect[i] = names[i];
		if (strcmp(names[i], "Cats") != 0 && strcmp(names[i], "Holiday") != 0)
			new_album(f, f->alice, names[i]);
	}
	qsort(expect, 7, sizeof expect[0], cmp_album_name);
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 7);
	for (i = 0; i < n; i++) {
		assert_string_equal(list[i].name, expect[i]);
		assert_int_equal(list[i].user_id, f->alice);
		assert_int_equal(list[i].photo_count, 0);
		assert_int_equal(list[i].bytes, 0);
	}
	free(list);

	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->a1);
	assert_string_equal(a.title, "Title of Holiday");
	assert_int_equal(a.created_at, 1700000100);
	/* same name, other user: a different album */
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->b1);
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Cats", &a, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "Cats"));

	/* unique per user */
	memset(&a, 0, sizeof a);
	a.user_id = f->alice;
	snprintf(a.name, sizeof a.name, "Cats");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "Cats"));
	a.user_id = 987654;
	snprintf(a.name, sizeof a.name, "Orphan");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_ENOTFOUND);

	/* update: rename, title, description, updated_at */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	snprintf(a.name, sizeof a.name, "Kittens");
	snprintf(a.title, sizeof a.title, "Small cats");
	snprintf(a.description, sizeof a.description, "All of them, \"quoted\" and 'single'");
	a.updated_at = 1710000000;
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_OK);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Kittens", &a, &e), PGAL_OK);
	assert_int_equal(a.id, f->a2);
	assert_string_equal(a.title, "Small cats");
	assert_string_equal(a.description, "All of them, \"quoted\" and 'single'");
	assert_int_equal(a.updated_at, 1710000000);
	assert_int_equal(a.created_at, 1700000100);
	/* rename onto an existing name */
	snprintf(a.name, sizeof a.name, "zeta");
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "zeta"));
	a.id = 999999;
	snprintf(a.name, sizeof a.name, "nothing");
	assert_int_equal(f->ops->album_update(f->s, &a, &e), PGAL_ENOTFOUND);

	/* delete */
	assert_int_equal(f->ops->album_delete(f->s, f->a2, &e), PGAL_OK);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Kittens", &a, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_delete(f->s, f->a2, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 6);
	free(list);

	/* a user without albums */
	assert_int_equal(f->ops->album_list(f->s, 555555, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(list);
}

/* ---- photos ---- */

static void
test_photo_roundtrip(void **state)
{
	struct fx *f = *state;
	pgal_photo p, got;
	pgal_album a;
	pgal_err e;

	fill_photo(f, &p, f->alice, f->a1, "DSC_0001.JPG");
	snprintf(p.title, sizeof p.title, "Über den Wolken");
	snprintf(p.description, sizeof p.description, "line one\nline two");
	snprintf(p.tags, sizeof p.tags, "alps,mountain,snow");
	snprintf(p.exif.make, sizeof p.exif.make, "NIKON CORPORATION");
	snprintf(p.exif.model, sizeof p.exif.model, "NIKON D2H");
	snprintf(p.exif.lens, sizeof p.exif.lens, "iPhone 4S back camera 4.28mm f/2.4");
	snprintf(p.exif.exposure_time, sizeof p.exif.exposure_time, "1/250");
	p.exif.f_number = 2.4;
	p.exif.iso = 800;
	p.exif.focal_length = 4.28;
	p.exif.orientation = 6;
	p.exif.taken_at = 1117622400;
	p.sort_taken = p.exif.taken_at;
	p.exif.gps.present = 1;
	p.exif.gps.lat = -33.8568;
	p.exif.gps.lon = 151.2153;
	p.exif.gps.alt = 12.5;
	insert_photo(f, &p);

	assert_int_equal(f->ops->photo_get(f->s, f->a1, "DSC_0001.JPG", &got, &e), PGAL_OK);
	/* reads fill the album name; everything else is what was written */
	assert_string_equal(got.album, "Holiday");
	snprintf(p.album, sizeof p.album, "Holiday");
	assert_int_equal(got.id, p.id);
	assert_string_equal(got.title, p.title);
	assert_string_equal(got.description, p.description);
	assert_string_equal(got.tags, p.tags);
	assert_string_equal(got.exif.lens, p.exif.lens);
	assert_true(got.exif.f_number == 2.4);
	assert_true(got.exif.gps.lat == -33.8568);
	assert_true(got.exif.gps.alt == 12.5);
	assert_memory_equal(&got, &p, sizeof p);

	/* unknowns: no taken_at, no GPS, unknown altitude */
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	p.exif.gps.present = 1;
	p.exif.gps.lat = 10;
	p.exif.gps.lon = 20; /* alt stays NAN */
	insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "plain.png", &got, &e), PGAL_OK);
	assert_int_equal(got.exif.taken_at, -1);
	assert_int_equal(got.exif.gps.present, 1);
	assert_true(isnan(got.exif.gps.alt));
	assert_true(got.exif.f_number == 0);
	assert_int_equal(got.exif.orientation, 0);
	fill_photo(f, &p, f->alice, f->a1, "nogps.png");
	insert_photo(f, &p);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "nogps.png", &got, &e), PGAL_OK);
	assert_int_equal(got.exif.gps.present, 0);
	assert_true(got.exif.gps.lat == 0 && got.exif.gps.lon == 0);
	assert_true(isnan(got.exif.gps.alt));

	/* the insert bumped the album's updated_at to the photo's added_at */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.updated_at, p.added_at);

	/* conflicts: same name in the album; same blob id anywhere */
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	assert_non_null(strstr(e.msg, "plain.png"));
	fill_photo(f, &p, f->alice, f->a2, "plain.png"); /* other album: fine */
	insert_photo(f, &p);
	fill_photo(f, &p, f->alice, f->a2, "other.png");
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "DSC_0001.JPG", &got, &e), PGAL_OK);
	snprintf(p.blob_id, sizeof p.blob_id, "%s", got.blob_id);
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "blob"));
	/* no album */
	fill_photo(f, &p, f->alice, 777777, "x.png");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_ENOTFOUND);
	/* failed inserts leave nothing behind, not even tags */
	fill_photo(f, &p, f->alice, f->a1, "plain.png");
	snprintf(p.tags, sizeof p.tags, "ghost");
	assert_int_equal(f->ops->photo_insert(f->s, &p, &e), PGAL_EINPUT);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photos", 0), 4);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags WHERE tag = 'ghost'", 0), 0);

	assert_int_equal(f->ops->photo_get(f->s, f->a1, "missing.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_non_null(strstr(e.msg, "missing.jpg"));
	/* album ids are a namespace: alice's photo is not in bob's album */
	assert_int_equal(f->ops->photo_get(f->s, f->b1, "DSC_0001.JPG", &got, &e), PGAL_ENOTFOUND);
}

static void
photo_tags_of(struct fx *f, pgal_id id, char *out, size_t len)
{
	raw_text(f->raw, "SELECT group_concat(tag, ',') FROM "
	    "(SELECT tag FROM photo_tags WHERE photo_id = ?1 ORDER BY tag)", id, out, len);
}

static void
test_photo_update_delete(void **state)
{
	struct fx *f = *state;
	pgal_photo p, q, got;
	pgal_album a;
	pgal_err e;
	char tags[PGAL_TAGS_MAX + 1];
	int64_t before;

	fill_photo(f, &p, f->alice, f->a1, "a.jpg");
	snprintf(p.tags, sizeof p.tags, "one,two");
	insert_photo(f, &p);
	fill_photo(f, &q, f->alice, f->a1, "b.jpg");
	snprintf(q.tags, sizeof q.tags, "two");
	insert_photo(f, &q);
	photo_tags_of(f, p.id, tags, sizeof tags);
	assert_string_equal(tags, "one,two");

	/* metadata and tags */
	before = time(NULL);
	snprintf(p.title, sizeof p.title, "new title");
	snprintf(p.description, sizeof p.description, "new description");
	snprintf(p.tags, sizeof p.tags, "three,two");
	snprintf(p.name, sizeof p.name, "renamed.jpg");
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "a.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "renamed.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.title, "new title");
	assert_string_equal(got.description, "new description");
	assert_string_equal(got.tags, "three,two");
	assert_int_equal(got.bytes, p.bytes);
	photo_tags_of(f, p.id, tags, sizeof tags);
	assert_string_equal(tags, "three,two");
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_true(a.updated_at >= before && a.updated_at <= time(NULL));

	/* tags cleared */
	p.tags[0] = '\0';
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags WHERE photo_id = ?1", p.id), 0);

	/* name conflict within the album; nothing changes */
	snprintf(p.name, sizeof p.name, "b.jpg");
	snprintf(p.title, sizeof p.title, "should not stick");
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "b.jpg"));
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "renamed.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.title, "new title");

	/* move to another album: both albums bumped, counts follow */
	snprintf(p.name, sizeof p.name, "moved.jpg");
	p.album_id = f->a2;
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 0);
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a2, "moved.jpg", &got, &e), PGAL_OK);
	assert_string_equal(got.album, "Cats");
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, p.bytes);
	assert_true(a.updated_at >= before);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	assert_int_equal(a.bytes, q.bytes);

	/* into an album that does not exist; unknown photo */
	p.album_id = 888888;
	assert_int_equal(f->ops->photo_update(f->s, &p, &e), PGAL_ENOTFOUND);
	p.album_id = f->a2;
	got = p;
	got.id = 999999;
	assert_int_equal(f->ops->photo_update(f->s, &got, &e), PGAL_ENOTFOUND);

	/* delete: row and tags gone, album bumped */
	snprintf(q.tags, sizeof q.tags, "x,y");
	assert_int_equal(f->ops->photo_update(f->s, &q, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_delete(f->s, q.id, &e), PGAL_OK);
	assert_int_equal(f->ops->photo_get(f->s, f->a1, "b.jpg", &got, &e), PGAL_ENOTFOUND);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags WHERE photo_id = ?1", q.id), 0);
	assert_int_equal(f->ops->photo_delete(f->s, q.id, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 0);
	assert_int_equal(a.bytes, 0);
	assert_true(a.updated_at >= before);
}

/* photo_count and bytes equal an independent count(*) and sum(bytes) */
static void
test_album_counts(void **state)
{
	struct fx *f = *state;
	pgal_photo p;
	pgal_album *list;
	pgal_id ids[40];
	pgal_err e;
	int64_t want_n[2] = { 0, 0 }, want_b[2] = { 0, 0 };
	size_t n, i;
	char name[32];

	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "p%zu.jpg", i);
		fill_photo(f, &p, f->alice, i % 3 ? f->a1 : f->a2, name);
		p.bytes = (int64_t)i * 1000003;
		ids[i] = insert_photo(f, &p);
		want_n[i % 3 ? 0 : 1]++;
		want_b[i % 3 ? 0 : 1] += p.bytes;
	}
	for (i = 0; i < 40; i += 4) {
		assert_int_equal(f->ops->photo_delete(f->s, ids[i], &e), PGAL_OK);
		want_n[i % 3 ? 0 : 1]--;
		want_b[i % 3 ? 0 : 1] -= (int64_t)i * 1000003;
	}
	assert_int_equal(f->ops->album_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++) {
		int k = list[i].id == f->a1 ? 0 : 1;

		assert_int_equal(list[i].photo_count, want_n[k]);
		assert_int_equal(list[i].bytes, want_b[k]);
		assert_int_equal(list[i].photo_count,
		    raw_int(f->raw, "SELECT count(*) FROM photos WHERE album_id = ?1", list[i].id));
		assert_int_equal(list[i].bytes,
		    raw_int(f->raw, "SELECT total(bytes) FROM photos WHERE album_id = ?1", list[i].id));
	}
	free(list);
}

static void
test_sha_and_blobs(void **state)
{
	struct fx *f = *state;
	pgal_photo p, got;
	pgal_err e;
	char **ids;
	size_t n, i;
	char want_a1[3][PGAL_BLOB_ID_HEX + 1], bob_blob[PGAL_BLOB_ID_HEX + 1], sha[65];
	int used, seen[3] = { 0, 0, 0 }, j;

	for (i = 0; i < 3; i++) {
		char name[16];

		snprintf(name, sizeof name, "h%zu.jpg", i);
		fill_photo(f, &p, f->alice, f->a1, name);
		insert_photo(f, &p);
		snprintf(want_a1[i], sizeof want_a1[i], "%s", p.blob_id);
		if (i == 1)
			snprintf(sha, sizeof sha, "%s", p.sha256);
	}
	fill_photo(f, &p, f->alice, f->a2, "c.jpg");
	insert_photo(f, &p);
	/* bob has a photo with the same content as alice's h1 */
	fill_photo(f, &p, f->bob, f->b1, "same.jpg");
	snprintf(p.sha256, sizeof p.sha256, "%s", sha);
	insert_photo(f, &p);
	snprintf(bob_blob, sizeof bob_blob, "%s", p.blob_id);

	assert_int_equal(f->ops->photo_find_sha(f->s, f->alice, sha, &got, &e), PGAL_OK);
	assert_string_equal(got.name, "h1.jpg");
	assert_string_equal(got.album, "Holiday");
	assert_int_equal(got.user_id, f->alice);
	assert_int_equal(f->ops->photo_find_sha(f->s, f->bob, sha, &got, &e), PGAL_OK);
	assert_string_equal(got.name, "same.jpg");
	assert_int_equal(f->ops->photo_find_sha(f->s, f->bob, want_a1[0], &got, &e), PGAL_ENOTFOUND);

	assert_int_equal(f->ops->blob_ids_album(f->s, f->a1, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		for (j = 0; j < 3; j++)
			if (strcmp(ids[i], want_a1[j]) == 0)
				seen[j]++;
	assert_int_equal(seen[0] + seen[1] + seen[2], 3);
	assert_true(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->alice, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < n; i++)
		assert_string_not_equal(ids[i], bob_blob);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_user(f->s, f->bob, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], bob_blob);
	pgal_store_free_ids(ids, n);
	assert_int_equal(f->ops->blob_ids_album(f->s, 123456, &ids, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	pgal_store_free_ids(ids, n);

	assert_int_equal(f->ops->blob_id_used(f->s, bob_blob, &used, &e), PGAL_OK);
	assert_int_equal(used, 1);
	assert_int_equal(f->ops->blob_id_used(f->s, "0123456789abcdef0123456789abcdef", &used, &e), PGAL_OK);
	assert_int_equal(used, 0);
}

/* ---- cascades ---- */

static void
populate(struct fx *f, pgal_id user, pgal_id album, const char *prefix, int n)
{
	pgal_photo p;
	pgal_session_row r;
	pgal_ssh_key k;
	pgal_err e;
	char name[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof name, "%s-%d.jpg", prefix, i);
		fill_photo(f, &p, user, album, name);
		snprintf(p.tags, sizeof p.tags, "common,%s", prefix);
		insert_photo(f, &p);
	}
	session_row(&r, user, (int)(user * 1000 + album));
	assert_int_equal(f->ops->session_create(f->s, &r, &e), PGAL_OK);
	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "SHA256:%s", prefix);
	assert_int_equal(f->ops->key_add(f->s, user, &k, "AAAAC3NzaC1lZDI1NTE5", &e), PGAL_OK);
}

static int64_t
rows_of_user(struct fx *f, pgal_id u)
{
	return raw_int(f->raw, "SELECT (SELECT count(*) FROM users WHERE id = ?1)"
	    " + (SELECT count(*) FROM sessions WHERE user_id = ?1)"
	    " + (SELECT count(*) FROM albums WHERE user_id = ?1)"
	    " + (SELECT count(*) FROM photos WHERE user_id = ?1)"
	    " + (SELECT count(*) FROM photo_tags t JOIN photos p ON p.id = t.photo_id"
	    "    WHERE p.user_id = ?1)"
	    " + (SELECT count(*) FROM ssh_keys WHERE user_id = ?1)", u);
}

static void
test_user_delete_cascades(void **state)
{
	struct fx *f = *state;
	pgal_user u;
	pgal_album a;
	pgal_err e;
	int64_t bob_rows;

	populate(f, f->alice, f->a1, "ah", 5);
	populate(f, f->alice, f->a2, "ac", 3);
	populate(f, f->bob, f->b1, "bh", 4);
	/* user + 2 sessions + 2 albums + 8 photos + 16 tags + 2 keys */
	assert_int_equal(rows_of_user(f, f->alice), 1 + 2 + 2 + 8 + 16 + 2);
	bob_rows = rows_of_user(f, f->bob);
	assert_int_equal(bob_rows, 1 + 1 + 1 + 4 + 8 + 1);

	assert_int_equal(f->ops->user_delete(f->s, f->alice, &e), PGAL_OK);
	assert_int_equal(rows_of_user(f, f->alice), 0);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags t WHERE NOT EXISTS "
	    "(SELECT 1 FROM photos p WHERE p.id = t.photo_id)", 0), 0);
	assert_int_equal(f->ops->user_get(f->s, f->alice, &u, &e), PGAL_ENOTFOUND);
	/* bob untouched, counters too */
	assert_int_equal(rows_of_user(f, f->bob), bob_rows);
	assert_int_equal(f->ops->album_get(f->s, f->bob, "Holiday", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 4);
	/* the name is free again */
	new_user(f, "alice");
}

static void
test_album_delete_cascades(void **state)
{
	struct fx *f = *state;
	pgal_album a;
	pgal_err e;
	int64_t tags_before;

	populate(f, f->alice, f->a1, "ah", 6);
	populate(f, f->alice, f->a2, "ac", 2);
	populate(f, f->bob, f->b1, "bh", 3);
	tags_before = raw_int(f->raw, "SELECT count(*) FROM photo_tags", 0);
	assert_int_equal(f->ops->album_delete(f->s, f->a1, &e), PGAL_OK);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photos WHERE album_id = ?1", f->a1), 0);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags", 0), tags_before - 12);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photos WHERE album_id = ?1", f->a2), 2);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photos WHERE album_id = ?1", f->b1), 3);
	/* the user, sessions and keys stay */
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM sessions WHERE user_id = ?1", f->alice), 2);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM ssh_keys WHERE user_id = ?1", f->alice), 2);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 2);
}

/* ---- pagination ---- */

#define NPAGE 10000

struct key {
	pgal_id id;
	int64_t num;
	char text[PGAL_TITLE_MAX + 1];
};

static int
cmp_key_num(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int
cmp_key_text(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	int c = strcmp(x->text, y->text); /* bytes, as BINARY collation */

	if (c != 0)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Every statement the store ran used an index for both search and order. */
static void
assert_no_scans_or_sorts(struct fx *f)
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
assert_plan_uses(struct fx *f, const char *order, const char *index)
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

static void
walk_pages(struct fx *f, pgal_sort sort, const struct key *want, size_t nwant)
{
	static const size_t sizes[] = { 1, 7, 100, 999, 1000, 3 };
	pgal_photo *page;
	pgal_cursor cur;
	pgal_err e;
	size_t pos = 0, n, i, k = 0;

	page = calloc(1000, sizeof *page);
	assert_non_null(page);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		size_t limit = sizes[k++ % (sizeof sizes / sizeof sizes[0])];

		assert_int_equal(f->ops->photo_list(f->s, f->a1, sort, &cur, limit, page, &n, &e), PGAL_OK);
		assert_true(n <= limit);
		if (n == 0)
			break;
		for (i = 0; i < n; i++, pos++) {
			assert_true(pos < nwant);
			if (page[i].id != want[pos].id)
				fail_msg("sort %d: row %zu is id %lld, want %lld", (int)sort,
				    pos, (long long)page[i].id, (long long)want[pos].id);
			assert_int_equal(page[i].album_id, f->a1);
			assert_string_equal(page[i].album, "Holiday");
		}
		/* the cursor is the last row of this page */
		cur.valid = 1;
		cur.id = page[n - 1].id;
		cur.num = sort == PGAL_SORT_TAKEN ? page[n - 1].sort_taken : page[n - 1].added_at;
		snprintf(cur.text, sizeof cur.text, "%s", page[n - 1].title);
	}
	assert_int_equal(pos, nwant);
	free(page);
}

static void
test_pagination(void **state)
{
	struct fx *f = *state;
	static const char *const words[] = {
		"", "Zebra", "apple", "Apple", "éclair", "eclair", "a", "a b", "a", "",
		"日本", "100%", "Ωmega", "zz",
	};
	struct key *kt, *ka, *kx;
	pgal_photo p, few[4];
	pgal_err e;
	size_t i, n;
	char name[64];

	kt = calloc(NPAGE, sizeof *kt);
	ka = calloc(NPAGE, sizeof *ka);
	kx = calloc(NPAGE, sizeof *kx);
	assert_true(kt != NULL && ka != NULL && kx != NULL);
	for (i = 0; i < NPAGE; i++) {
		/* keys with many ties, unrelated to insertion order */
		unsigned h = (unsigned)(i * 2654435761u);

		snprintf(name, sizeof name, "img-%05zu.jpg", i);
		fill_photo(f, &p, f->alice, f->a1, name);
		p.sort_taken = (int64_t)(h % 997) * 60 - 3600; /* some negative */
		p.added_at = 1700000000 + (int64_t)((h >> 8) % 1500);
		snprintf(p.title, sizeof p.title, "%s%s", words[h % 14],
		    (h >> 4) % 3 ? "" : " (2)");
		insert_photo(f, &p);
		kt[i].id = ka[i].id = kx[i].id = p.id;
		kt[i].num = p.sort_taken;
		ka[i].num = p.added_at;
		snprintf(kx[i].text, sizeof kx[i].text, "%s", p.title);
		/* noise in other albums must never show up */
		if (i % 1000 == 0) {
			snprintf(name, sizeof name, "other-%05zu.jpg", i);
			fill_photo(f, &p, f->alice, f->a2, name);
			insert_photo(f, &p);
			fill_photo(f, &p, f->bob, f->b1, name);
			insert_photo(f, &p);
		}
	}
	qsort(kt, NPAGE, sizeof *kt, cmp_key_num);
	qsort(ka, NPAGE, sizeof *ka, cmp_key_num);
	qsort(kx, NPAGE, sizeof *kx, cmp_key_text);

	walk_pages(f, PGAL_SORT_TAKEN, kt, NPAGE);
	walk_pages(f, PGAL_SORT_ADDED, ka, NPAGE);
	walk_pages(f, PGAL_SORT_TITLE, kx, NPAGE);

	/* NULL cursor is the start; limit 0 returns nothing; bad sort refused */
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TITLE, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(few[i].id, kx[i].id);
	assert_int_equal(f->ops->photo_list(f->s, f->a1, PGAL_SORT_TAKEN, NULL, 0, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	assert_int_not_equal(f->ops->photo_list(f->s, f->a1, (pgal_sort)42, NULL, 4, few, &n, &e), PGAL_OK);
	/* an empty album */
	assert_int_equal(f->ops->photo_list(f->s, 424242, PGAL_SORT_ADDED, NULL, 4, few, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);

	assert_no_scans_or_sorts(f);
	assert_plan_uses(f, "ORDER BY p.sort_taken", "photos_album_taken");
	assert_plan_uses(f, "ORDER BY p.added_at, p.id LIMIT", "photos_album_added");
	assert_plan_uses(f, "ORDER BY p.title", "photos_album_title");
	free(kt);
	free(ka);
	free(kx);
}

/* ---- search ---- */

static pgal_id
search_photo(struct fx *f, pgal_id user, pgal_id album, const char *name,
    const char *title, const char *desc, const char *tags, int64_t added)
{
	pgal_photo p;

	fill_photo(f, &p, user, album, name);
	snprintf(p.title, sizeof p.title, "%s", title);
	snprintf(p.description, sizeof p.description, "%s", desc);
	snprintf(p.tags, sizeof p.tags, "%s", tags);
	p.added_at = added;
	return insert_photo(f, &p);
}

/* Runs a search and compares the ids with want[] (in order). */
static void
expect_search(struct fx *f, const char *const *words, size_t nwords, const char *tag,
    size_t limit, const pgal_id *want, size_t nwant)
{
	pgal_photo out[32];
	pgal_err e;
	size_t n, i;

	assert_true(limit <= 32);
	assert_int_equal(f->ops->photo_search(f->s, f->alice, words, nwords, tag, limit,
	    out, &n, &e), PGAL_OK);
	if (n != nwant)
		fail_msg("search '%s'... tag %s: %zu results, want %zu",
		    nwords ? words[0] : "", tag ? tag : "-", n, nwant);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].id, want[i]);
		assert_int_equal(out[i].user_id, f->alice);
		assert_true(out[i].album[0] != '\0');
	}
}

#define W(...) (const char *const[]){ __VA_ARGS__ }, \
	sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *)
#define IDS(...) (const pgal_id[]){ __VA_ARGS__ }, \
	sizeof((const pgal_id[]){ __VA_ARGS__ }) / sizeof(pgal_id)

static void
test_search(void **state)
{
	struct fx *f = *state;
	pgal_id pct, plain, snake, snakex, sunset, hills, fname, bslash, bx;
	pgal_photo out[4];
	pgal_err e;
	size_t n;

	pct = search_photo(f, f->alice, f->a1, "p1.jpg", "100% cotton", "", "", 10);
	plain = search_photo(f, f->alice, f->a1, "p2.jpg", "100 cotton", "", "", 20);
	snake = search_photo(f, f->alice, f->a1, "p3.jpg", "snake_case title", "", "", 30);
	snakex = search_photo(f, f->alice, f->a1, "p4.jpg", "snakeXcase", "", "", 40);
	sunset = search_photo(f, f->alice, f->a1, "p5.jpg", "Sunset over sea", "", "beach,sunset", 50);
	hills = search_photo(f, f->alice, f->a2, "p6.jpg", "", "a SUNSET in the hills", "hills", 50);
	fname = search_photo(f, f->alice, f->a2, "sunset.jpg", "", "", "", 45);
	bslash = search_photo(f, f->alice, f->a2, "p8.jpg", "back\\slash", "", "", 5);
	bx = search_photo(f, f->alice, f->a2, "p9.jpg", "backXslash", "", "", 6);
	/* bob's photos never show up in alice's search */
	search_photo(f, f->bob, f->b1, "sunset.jpg", "sunset 100% snake_case", "", "sunset", 99);
	assert_true(hills > sunset);

	/* wildcards are literal */
	expect_search(f, W("100%"), NULL, 10, IDS(pct));
	expect_search(f, W("%"), NULL, 10, IDS(pct));
	expect_search(f, W("e_c"), NULL, 10, IDS(snake));
	expect_search(f, W("_"), NULL, 10, IDS(snake));
	expect_search(f, W("\\"), NULL, 10, IDS(bslash));
	expect_search(f, W("k\\s"), NULL, 10, IDS(bslash));
	expect_search(f, W("snake"), NULL, 10, IDS(snakex, snake));
	expect_search(f, W("100"), NULL, 10, IDS(plain, pct));
	/* title, description or name; case-insensitive; newest first, ties by id desc */
	expect_search(f, W("sunset"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("SuNsEt"), NULL, 10, IDS(hills, sunset, fname));
	expect_search(f, W("sunset"), NULL, 2, IDS(hills, sunset));
	/* every word must match */
	expect_search(f, W("SUNSET", "hills"), NULL, 10, IDS(hills));
	expect_search(f, W("sunset", "nowhere"), NULL, 10, NULL, 0);
	/* more words than the statement cache holds */
	expect_search(f, W("a", "sunset", "in", "the", "hills", "A", "SUN", "set", "hil", "ls"),
	    NULL, 10, IDS(hills));
	/* tags */
	expect_search(f, NULL, 0, "sunset", 10, IDS(sunset));
	expect_search(f, W("over"), "beach", 10, IDS(sunset));
	expect_search(f, W("hills"), "beach", 10, NULL, 0);
	expect_search(f, NULL, 0, "sun", 10, NULL, 0); /* whole tags only */
	expect_search(f, NULL, 0, "%", 10, NULL, 0);
	/* nothing asked: all of alice's, newest first */
	expect_search(f, NULL, 0, NULL, 10,
	    IDS(hills, sunset, fname, snakex, snake, plain, pct, bx, bslash));
	/* limit 0 */
	assert_int_equal(f->ops->photo_search(f->s, f->alice, NULL, 0, NULL, 0, out, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	/* an injection attempt is only a word */
	expect_search(f, W("' OR 1=1 --"), NULL, 10, NULL, 0);
}

/* ---- SSH keys ---- */

static void
test_keys(void **state)
{
	struct fx *f = *state;
	static const char *const fps[] = {
		"SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s",
		"SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
		"SHA256:n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg",
	};
	static const int64_t when[] = { 1700000300, 1700000100, 1700000200 };
	pgal_ssh_key k, *list;
	pgal_err e;
	size_t n, i;
	int64_t before;
	char b64[65];

	for (i = 0; i < 3; i++) {
		memset(&k, 0, sizeof k);
		snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
		snprintf(k.fingerprint, sizeof k.fingerprint, "%s", fps[i]);
		snprintf(k.comment, sizeof k.comment, "key %zu", i);
		k.created_at = when[i];
		assert_int_equal(f->ops->key_add(f->s, f->alice, &k, "AAAAC3NzaC1lZDI1NTE5AAAA", &e), PGAL_OK);
		assert_true(k.id > 0);
		assert_int_equal(k.created_at, when[i]);
	}
	/* the key itself is stored */
	raw_text(f->raw, "SELECT key_base64 FROM ssh_keys WHERE id = ?1", k.id, b64, sizeof b64);
	assert_string_equal(b64, "AAAAC3NzaC1lZDI1NTE5AAAA");

	/* oldest first: created 100, 200, 300 are keys 1, 2, 0 */
	assert_int_equal(f->ops->key_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].fingerprint, fps[1]);
	assert_string_equal(list[1].fingerprint, fps[2]);
	assert_string_equal(list[2].fingerprint, fps[0]);
	assert_string_equal(list[2].comment, "key 0");
	assert_string_equal(list[2].algo, "ssh-ed25519");
	assert_int_equal(list[2].created_at, 1700000300);
	free(list);

	/* unique per user, not across users */
	memset(&k, 0, sizeof k);
	snprintf(k.algo, sizeof k.algo, "ssh-ed25519");
	snprintf(k.fingerprint, sizeof k.fingerprint, "%s", fps[0]);
	assert_int_equal(f->ops->key_add(f->s, f->alice, &k, "AAAA", &e), PGAL_EINPUT);
	assert_non_null(strstr(e.msg, "already exists"));
	before = time(NULL);
	assert_int_equal(f->ops->key_add(f->s, f->bob, &k, "AAAA", &e), PGAL_OK);
	/* no time given: now */
	assert_true(k.created_at >= before && k.created_at <= time(NULL));
	assert_int_equal(f->ops->key_add(f->s, 313131, &k, "AAAA", &e), PGAL_ENOTFOUND);

	/* find is per user */
	assert_int_equal(f->ops->key_find(f->s, f->alice, fps[2], &k, &e), PGAL_OK);
	assert_string_equal(k.comment, "key 2");
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[2], &k, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[0], &k, &e), PGAL_OK);

	/* delete is per user */
	assert_int_equal(f->ops->key_delete(f->s, f->alice, fps[0], &e), PGAL_OK);
	assert_int_equal(f->ops->key_delete(f->s, f->alice, fps[0], &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->alice, fps[0], &k, &e), PGAL_ENOTFOUND);
	assert_int_equal(f->ops->key_find(f->s, f->bob, fps[0], &k, &e), PGAL_OK);
	assert_int_equal(f->ops->key_list(f->s, f->alice, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 2);
	free(list);
	assert_int_equal(f->ops->key_list(f->s, 313131, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 0);
	free(list);
}

/* Every op of the vtable is there (a NULL would crash the core). */
static void
test_ops_complete(void **state)
{
	const void *const *fn = (const void *const *)&pgal_store_sqlite.open;
	size_t i, nfn = (sizeof pgal_store_sqlite - offsetof(pgal_store_ops, open)) / sizeof(void *);

	for (i = 0; i < nfn; i++)
		if (fn[i] == NULL)
			fail_msg("pgal_store_sqlite op number %zu is NULL", i);
}

/* ---- several handles, several processes ---- */

static void
test_two_handles(void **state)
{
	struct fx *f = *state;
	pgal_store *s2;
	pgal_user u;
	pgal_album a, *list;
	pgal_photo p;
	pgal_err e;
	size_t n;

	assert_int_equal(f->ops->open(&s2, &f->cfg, &e), PGAL_OK);
	/* s2 opened after setup wrote: sees alice */
	assert_int_equal(f->ops->user_get_by_name(s2, "alice", &u, &e), PGAL_OK);
	/* writes on one show on the other, both ways */
	new_user(f, "carol");
	assert_int_equal(f->ops->user_get_by_name(s2, "carol", &u, &e), PGAL_OK);
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "Carol's");
	assert_int_equal(f->ops->album_create(s2, &a, &e), PGAL_OK);
	assert_int_equal(f->ops->album_list(f->s, u.id, &list, &n, &e), PGAL_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].name, "Carol's");
	free(list);
	fill_photo(f, &p, u.id, a.id, "c.jpg");
	insert_photo(f, &p);
	assert_int_equal(f->ops->album_get(s2, u.id, "Carol's", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, 1);
	/* a conflict seen across handles */
	memset(&a, 0, sizeof a);
	a.user_id = u.id;
	snprintf(a.name, sizeof a.name, "Carol's");
	assert_int_equal(f->ops->album_create(f->s, &a, &e), PGAL_EINPUT);
	f->ops->close(s2);
}

#define NCHILD 4
#define PER_CHILD 150

/* A child process: its own handle, its own writes, no cmocka. */
static int
child_work(const pgal_config *cfg, pgal_id user, pgal_id album, int k)
{
	pgal_store *s;
	pgal_photo p;
	pgal_session_row r;
	pgal_err e;
	int i;

	if (pgal_store_sqlite.open(&s, cfg, &e) != PGAL_OK)
		return 1;
	for (i = 0; i < PER_CHILD; i++) {
		memset(&p, 0, sizeof p);
		p.album_id = album;
		p.user_id = user;
		snprintf(p.name, sizeof p.name, "child%d-%d.jpg", k, i);
		snprintf(p.mime, sizeof p.mime, "image/png");
		p.bytes = 10;
		snprintf(p.sha256, sizeof p.sha256, "%064d", k * 100000 + i);
		snprintf(p.blob_id, sizeof p.blob_id, "c%031d", k * 100000 + i);
		snprintf(p.tags, sizeof p.tags, "child%d", k);
		p.added_at = p.sort_taken = i;
		p.exif.taken_at = -1;
		if (pgal_store_sqlite.photo_insert(s, &p, &e) != PGAL_OK)
			return 2;
		session_row(&r, user, 100 + k * PER_CHILD + i);
		if (pgal_store_sqlite.session_create(s, &r, &e) != PGAL_OK)
			return 3;
	}
	pgal_store_sqlite.close(s);
	return 0;
}

static void
test_processes(void **state)
{
	struct fx *f = *state;
	pid_t pids[NCHILD];
	pgal_album a;
	pgal_err e;
	int k, status;

	/* like the SSH server: no handle is open across fork */
	f->ops->close(f->s);
	sqlite3_close(f->raw);
	/* children write at the same time through their own handles */
	for (k = 0; k < NCHILD; k++) {
		pids[k] = fork();
		assert_true(pids[k] >= 0);
		if (pids[k] == 0)
			_exit(child_work(&f->cfg, f->alice, f->a2, k));
	}
	/* the parent opens its own handle meanwhile and reads while they write */
	assert_int_equal(f->ops->open(&f->s, &f->cfg, &e), PGAL_OK);
	f->raw = raw_open(f->cfg.sqlite_path);
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_true(a.photo_count <= NCHILD * PER_CHILD);
	for (k = 0; k < NCHILD; k++) {
		assert_int_equal(waitpid(pids[k], &status, 0), pids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	/* the parent's handle, open during the writes, sees everything */
	assert_int_equal(f->ops->album_get(f->s, f->alice, "Cats", &a, &e), PGAL_OK);
	assert_int_equal(a.photo_count, NCHILD * PER_CHILD);
	assert_int_equal(a.bytes, NCHILD * PER_CHILD * 10);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM photo_tags", 0), NCHILD * PER_CHILD);
	assert_int_equal(raw_int(f->raw, "SELECT count(*) FROM sessions", 0), NCHILD * PER_CHILD);
}

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
			if (pgal_store_sqlite.open(&s, &cfg, &e) != PGAL_OK) {
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
		cmocka_unit_test(test_ops_complete),
		cmocka_unit_test(test_open_creates_private_wal_db),
		cmocka_unit_test(test_open_bad_paths),
		cmocka_unit_test(test_migrations_idempotent),
		cmocka_unit_test(test_concurrent_first_open),
		cmocka_unit_test_setup_teardown(test_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_albums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_photo_update_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sha_and_blobs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_album_delete_cascades, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pagination, setup, teardown),
		cmocka_unit_test_setup_teardown(test_search, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_handles, setup, teardown),
		cmocka_unit_test_setup_teardown(test_processes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
