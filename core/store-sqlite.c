/* Metadata store on SQLite: one file, WAL, foreign keys, compiled-in
 * migrations, every statement prepared once per handle and bound.
 *
 * Each process opens its own handle (the SSH server forks per connection);
 * nothing here is global. Writes that touch more than one row run in a short
 * BEGIN IMMEDIATE transaction so a busy writer waits (busy_timeout) instead
 * of failing halfway through an upgrade from read to write. */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "migrations.h"
#include "sshkey.h"
#include "store.h"
#include "store-sqlite.h"

#define SQ_BUSY_MS 5000
/* search statements are cached for up to this many words; more are rare and
 * get a statement of their own that is finalized after use */
#define SQ_SEARCH_CACHED 8

enum {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_USER_INSERT,
	ST_USER_BY_NAME,
	ST_USER_BY_ID,
	ST_USER_UPDATE,
	ST_USER_DELETE,
	ST_SESSION_INSERT,
	ST_SESSION_GET,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_USER,
	ST_ALBUM_INSERT,
	ST_ALBUM_GET,
	ST_ALBUM_LIST,
	ST_ALBUM_UPDATE,
	ST_ALBUM_DELETE,
	ST_ALBUM_TOUCH,
	ST_PHOTO_INSERT,
	ST_PHOTO_GET,
	ST_PHOTO_ALBUM_OF,
	ST_PHOTO_UPDATE,
	ST_PHOTO_DELETE,
	ST_PHOTO_SHA,
	ST_PHOTO_LIST_TAKEN,
	ST_PHOTO_LIST_ADDED,
	ST_PHOTO_LIST_TITLE,
	ST_TAGS_CLEAR,
	ST_TAG_INSERT,
	ST_BLOBS_USER,
	ST_BLOBS_ALBUM,
	ST_BLOB_USED,
	ST_KEY_INSERT,
	ST_KEY_LIST,
	ST_KEY_FIND,
	ST_KEY_DELETE,
	ST_COUNT
};

#define USER_COLS "id, name, email, pwhash, confirmed, created_at, code_hash, " \
	"code_expires_at, code_tries, failed_logins, locked_until"
#define ALBUM_COLS "id, user_id, name, title, description, created_at, " \
	"updated_at, photo_count, bytes"
#define KEY_COLS "id, algo, fingerprint, comment, created_at"
/* column order read by photo_read() */
#define PHOTO_COLS "p.id, p.album_id, p.user_id, a.name, p.name, p.title, " \
	"p.description, p.tags, p.mime, p.width, p.height, p.bytes, p.sha256, " \
	"p.blob_id, p.added_at, p.sort_taken, p.exif_make, p.exif_model, " \
	"p.exif_lens, p.exif_exposure_time, p.exif_f_number, p.exif_iso, " \
	"p.exif_focal_length, p.exif_orientation, p.exif_taken_at, " \
	"p.gps_present, p.gps_lat, p.gps_lon, p.gps_alt"
#define PHOTO_FROM " FROM photos p JOIN albums a ON a.id = p.album_id "
/* keyset page: strictly after (?2, ?3) in (key, id) order */
#define PHOTO_PAGE(key) "SELECT " PHOTO_COLS PHOTO_FROM \
	"WHERE p.album_id = ?1 AND (p." key ", p.id) > (?2, ?3) " \
	"ORDER BY p." key ", p.id LIMIT ?4"

static const char *const sq_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",

	[ST_USER_INSERT] = "INSERT INTO users (name, email, pwhash, confirmed, "
	    "created_at, code_hash, code_expires_at, code_tries, failed_logins, "
	    "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_USER_BY_NAME] = "SELECT " USER_COLS " FROM users WHERE name = ?1",
	[ST_USER_BY_ID] = "SELECT " USER_COLS " FROM users WHERE id = ?1",
	[ST_USER_UPDATE] = "UPDATE users SET email = ?2, pwhash = ?3, "
	    "confirmed = ?4, code_hash = ?5, code_expires_at = ?6, "
	    "code_tries = ?7, failed_logins = ?8, locked_until = ?9 WHERE id = ?1",
	[ST_USER_DELETE] = "DELETE FROM users WHERE id = ?1",

	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, "
	    "created_at, last_seen) VALUES (?1, ?2, ?3, ?4)",
	[ST_SESSION_GET] = "SELECT token_hash, user_id, created_at, last_seen "
	    "FROM sessions WHERE token_hash = ?1",
	[ST_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ?2 "
	    "WHERE token_hash = ?1",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[ST_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1 "
	    "AND (?2 IS NULL OR token_hash <> ?2)",

	[ST_ALBUM_INSERT] = "INSERT INTO albums (user_id, name, title, "
	    "description, created_at, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_ALBUM_GET] = "SELECT " ALBUM_COLS " FROM albums "
	    "WHERE user_id = ?1 AND name = ?2",
	[ST_ALBUM_LIST] = "SELECT " ALBUM_COLS " FROM albums "
	    "WHERE user_id = ?1 ORDER BY name",
	[ST_ALBUM_UPDATE] = "UPDATE albums SET name = ?2, title = ?3, "
	    "description = ?4, updated_at = ?5 WHERE id = ?1",
	[ST_ALBUM_DELETE] = "DELETE FROM albums WHERE id = ?1",
	[ST_ALBUM_TOUCH] = "UPDATE albums SET updated_at = ?2 WHERE id = ?1",

	[ST_PHOTO_INSERT] = "INSERT INTO photos (album_id, user_id, name, "
	    "title, description, tags, mime, width, height, bytes, sha256, "
	    "blob_id, added_at, sort_taken, exif_make, exif_model, exif_lens, "
	    "exif_exposure_time, exif_f_number, exif_iso, exif_focal_length, "
	    "exif_orientation, exif_taken_at, gps_present, gps_lat, gps_lon, "
	    "gps_alt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
	    "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
	    "?25, ?26, ?27)",
	[ST_PHOTO_GET] = "SELECT " PHOTO_COLS PHOTO_FROM
	    "WHERE p.album_id = ?1 AND p.name = ?2",
	[ST_PHOTO_ALBUM_OF] = "SELECT album_id FROM photos WHERE id = ?1",
	[ST_PHOTO_UPDATE] = "UPDATE photos SET name = ?2, album_id = ?3, "
	    "title = ?4, description = ?5, tags = ?6 WHERE id = ?1",
	[ST_PHOTO_DELETE] = "DELETE FROM photos WHERE id = ?1",
	[ST_PHOTO_SHA] = "SELECT " PHOTO_COLS PHOTO_FROM
	    "WHERE p.user_id = ?1 AND p.sha256 = ?2 ORDER BY p.id LIMIT 1",
	[ST_PHOTO_LIST_TAKEN] = PHOTO_PAGE("sort_taken"),
	[ST_PHOTO_LIST_ADDED] = PHOTO_PAGE("added_at"),
	[ST_PHOTO_LIST_TITLE] = PHOTO_PAGE("title"),

	[ST_TAGS_CLEAR] = "DELETE FROM photo_tags WHERE photo_id = ?1",
	[ST_TAG_INSERT] = "INSERT OR IGNORE INTO photo_tags (photo_id, tag) "
	    "VALUES (?1, ?2)",

	[ST_BLOBS_USER] = "SELECT blob_id FROM photos WHERE user_id = ?1",
	[ST_BLOBS_ALBUM] = "SELECT blob_id FROM photos WHERE album_id = ?1",
	[ST_BLOB_USED] = "SELECT 1 FROM photos WHERE blob_id = ?1",

	[ST_KEY_INSERT] = "INSERT INTO ssh_keys (user_id, algo, key_base64, "
	    "comment, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_KEY_LIST] = "SELECT " KEY_COLS " FROM ssh_keys WHERE user_id = ?1 "
	    "ORDER BY created_at, id",
	[ST_KEY_FIND] = "SELECT " KEY_COLS " FROM ssh_keys "
	    "WHERE user_id = ?1 AND fingerprint = ?2",
	[ST_KEY_DELETE] = "DELETE FROM ssh_keys WHERE user_id = ?1 AND fingerprint = ?2",
};

struct sq {
	pgal_store base; /* first: the core sees a pgal_store */
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	/* [has tag][number of words] */
	sqlite3_stmt *search[2][SQ_SEARCH_CACHED + 1];
};

static struct sq *
sq_of(pgal_store *s)
{
	return (struct sq *)s;
}

/* ---- errors ---- */

/* Maps a failed step. `thing` names what a uniqueness conflict is about
 * ("album 'x'"); `parent` what a failed foreign key points at ("album"). */
static int
sq_fail(struct sq *q, int rc, pgal_err *e, const char *thing, const char *parent)
{
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		if (thing != NULL)
			return pgal_fail(e, PGAL_EINPUT, "%s already exists", thing);
	}
	if (rc == SQLITE_CONSTRAINT_FOREIGNKEY && parent != NULL)
		return pgal_fail(e, PGAL_ENOTFOUND, "no such %s", parent);
	return pgal_fail(e, PGAL_EBACKEND, "sqlite: %s", sqlite3_errmsg(q->db));
}

/* ---- statements ---- */

/* The cached statement, reset and cleared for fresh bindings. */
static sqlite3_stmt *
sq_st(struct sq *q, int id)
{
	sqlite3_stmt *st = q->st[id];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Binds a NUL-terminated string of at most max bytes (a record field). */
static int
bind_text(sqlite3_stmt *st, int i, const char *s, size_t max)
{
	return sqlite3_bind_text(st, i, s, (int)strnlen(s, max), SQLITE_STATIC);
}
#define BIND_FIELD(st, i, field) bind_text(st, i, field, sizeof(field))

static int
bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

static sqlite3_int64
limit_i64(size_t n)
{
	return n > (size_t)INT64_MAX ? INT64_MAX : (sqlite3_int64)n;
}

/* Copies column i into a fixed buffer, cut at a UTF-8 boundary if the stored
 * text is longer than the buffer (a row written by something else). */
static void
col_text(sqlite3_stmt *st, int i, char *buf, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t len;

	if (t == NULL) {
		buf[0] = '\0';
		return;
	}
	len = (size_t)sqlite3_column_bytes(st, i);
	if (len >= size) {
		len = size - 1;
		while (len > 0 && (t[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(buf, t, len);
	buf[len] = '\0';
}
#define COL_FIELD(st, i, field) col_text(st, i, field, sizeof(field))

static double
col_double(sqlite3_stmt *st, int i, double null_value)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return null_value;
	return sqlite3_column_double(st, i);
}

/* Steps a statement that returns no row, then resets it. */
static int
sq_exec(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing, const char *parent)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = sq_fail(q, rc, e, thing, parent);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_begin(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_BEGIN), e, NULL, NULL);
}

static int
sq_commit(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_COMMIT), e, NULL, NULL);
}

/* Undoes an open transaction; the error already in e is kept. */
static void
sq_rollback(struct sq *q)
{
	if (!sqlite3_get_autocommit(q->db)) {
		sqlite3_step(sq_st(q, ST_ROLLBACK));
		sqlite3_reset(q->st[ST_ROLLBACK]);
	}
}

/* ---- open, migrate, close ---- */

/* mkdir -p of the directory holding path, new directories private. */
static int
make_parents(const char *path, pgal_err *e)
{
	char buf[PATH_MAX];
	char *p;
	size_t len = strnlen(path, sizeof buf);

	if (len == sizeof buf)
		return pgal_fail(e, PGAL_EBACKEND, "sqlite path too long");
	memcpy(buf, path, len + 1);
	for (p = buf + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(buf, 0700) == -1 && errno != EEXIST) {
			int saved = errno;
			return pgal_fail(e, PGAL_EBACKEND, "%s: %s", buf, strerror(saved));
		}
		*p = '/';
	}
	return PGAL_OK;
}

/* Runs a one-off constant statement and returns its first column as text. */
static int
sq_pragma(struct sq *q, const char *sql, char *out, size_t outlen, pgal_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
		return sq_fail(q, SQLITE_ERROR, e, NULL, NULL);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_finalize(st);
		return rc;
	}
	if (out != NULL) {
		if (rc == SQLITE_ROW)
			col_text(st, 0, out, outlen);
		else
			out[0] = '\0';
	}
	sqlite3_finalize(st);
	return PGAL_OK;
}

/* Switching a new file to WAL takes an exclusive lock without calling the
 * busy handler, so processes opening a fresh database together get
 * SQLITE_BUSY here; retry for as long as the busy timeout would wait. */
static int
sq_wal(struct sq *q, const char *path, pgal_err *e)
{
	static const struct timespec tick = { 0, 10 * 1000 * 1000 };
	sqlite3_stmt *st;
	char mode[16];
	int rc, waited_ms = 0;

	if ((rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st, NULL)) != SQLITE_OK)
		return sq_fail(q, rc, e, NULL, NULL);
	while ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		if ((rc & 0xff) != SQLITE_BUSY || waited_ms >= SQ_BUSY_MS) {
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: cannot use WAL: %s",
			    path, sqlite3_errmsg(q->db));
			sqlite3_finalize(st);
			return rc;
		}
		sqlite3_reset(st);
		nanosleep(&tick, NULL);
		waited_ms += 10;
	}
	col_text(st, 0, mode, sizeof mode);
	sqlite3_finalize(st);
	if (strcmp(mode, "wal") != 0)
		return pgal_fail(e, PGAL_EBACKEND, "%s: cannot use WAL (journal mode %s)",
		    path, mode);
	return PGAL_OK;
}

static int
sq_user_version(struct sq *q, int *v, pgal_err *e)
{
	char buf[32];
	int rc;

	if ((rc = sq_pragma(q, "PRAGMA user_version", buf, sizeof buf, e)) != PGAL_OK)
		return rc;
	*v = atoi(buf);
	return PGAL_OK;
}

/* Applies each compiled-in migration above PRAGMA user_version in its own
 * transaction. The version is read again inside the transaction, so two
 * processes opening a fresh file at once do not both apply it. */
static int
sq_migrate(struct sq *q, pgal_err *e)
{
	const pgal_migration *m;
	char setv[64];
	char *msg = NULL;
	int have, newest = 0, rc;

	for (m = pgal_migrations_sqlite; m->sql != NULL; m++)
		newest = m->version;
	if ((rc = sq_user_version(q, &have, e)) != PGAL_OK)
		return rc;
	if (have > newest)
		return pgal_fail(e, PGAL_EBACKEND, "database schema version %d is "
		    "newer than this pgal knows (%d)", have, newest);
	for (m = pgal_migrations_sqlite; m->sql != NULL; m++) {
		if (m->version <= have)
			continue;
		if (sqlite3_exec(q->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
			return sq_fail(q, SQLITE_ERROR, e, NULL, NULL);
		if ((rc = sq_user_version(q, &have, e)) != PGAL_OK)
			goto fail;
		if (m->version <= have) {
			sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL);
			continue;
		}
		snprintf(setv, sizeof setv, "PRAGMA user_version = %d", m->version);
		if (sqlite3_exec(q->db, m->sql, NULL, NULL, &msg) != SQLITE_OK) {
			rc = pgal_fail(e, PGAL_EBACKEND, "migration %s: %s", m->file,
			    msg != NULL ? msg : "failed");
			sqlite3_free(msg);
			goto fail;
		}
		if (sqlite3_exec(q->db, setv, NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
			rc = sq_fail(q, SQLITE_ERROR, e, NULL, NULL);
			goto fail;
		}
		have = m->version;
	}
	return PGAL_OK;
fail:
	sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void
sq_close(pgal_store *s)
{
	struct sq *q = sq_of(s);
	size_t i, j;

	if (q == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	for (i = 0; i < 2; i++)
		for (j = 0; j <= SQ_SEARCH_CACHED; j++)
			sqlite3_finalize(q->search[i][j]);
	sqlite3_close_v2(q->db);
	free(q);
}

static int
sq_open(pgal_store **out, const pgal_config *cfg, pgal_err *e)
{
	struct sq *q;
	const char *path = cfg->sqlite_path;
	char fk[16];
	size_t i;
	int fd, rc;

	*out = NULL;
	if (strnlen(path, sizeof cfg->sqlite_path) == 0)
		return pgal_fail(e, PGAL_EBACKEND, "sqlite_path is not set");
	if ((rc = make_parents(path, e)) != PGAL_OK)
		return rc;
	/* create the file ourselves so it is private; SQLite gives the -wal
	 * and -shm files the same mode */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd == -1) {
		int saved = errno;
		return pgal_fail(e, PGAL_EBACKEND, "%s: %s", path, strerror(saved));
	}
	close(fd);

	if ((q = calloc(1, sizeof *q)) == NULL)
		return pgal_fail(e, PGAL_EBACKEND, "out of memory");
	q->base.ops = &pgal_store_sqlite;
	if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL) != SQLITE_OK) {
		if (q->db == NULL)
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: out of memory", path);
		else
			rc = pgal_fail(e, PGAL_EBACKEND, "%s: %s", path, sqlite3_errmsg(q->db));
		goto fail;
	}
	sqlite3_extended_result_codes(q->db, 1);
	sqlite3_busy_timeout(q->db, SQ_BUSY_MS);
	sqlite3_db_config(q->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	if ((rc = sq_wal(q, path, e)) != PGAL_OK)
		goto fail;
	if ((rc = sq_pragma(q, "PRAGMA synchronous = NORMAL", NULL, 0, e)) != PGAL_OK ||
	    (rc = sq_pragma(q, "PRAGMA foreign_keys = ON", NULL, 0, e)) != PGAL_OK ||
	    (rc = sq_pragma(q, "PRAGMA foreign_keys", fk, sizeof fk, e)) != PGAL_OK)
		goto fail;
	/* a build without foreign keys would silently keep orphans */
	if (strcmp(fk, "1") != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "sqlite: foreign keys unavailable");
		goto fail;
	}
	if ((rc = sq_migrate(q, e)) != PGAL_OK)
		goto fail;
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(q->db, sq_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		    &q->st[i], NULL) != SQLITE_OK) {
			rc = pgal_fail(e, PGAL_EBACKEND, "sqlite: %s", sqlite3_errmsg(q->db));
			goto fail;
		}
	}
	*out = &q->base;
	return PGAL_OK;
fail:
	sq_close(&q->base);
	return rc;
}

/* ---- users ---- */

static void
user_read(sqlite3_stmt *st, pgal_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	COL_FIELD(st, 1, u->name);
	COL_FIELD(st, 2, u->email);
	COL_FIELD(st, 3, u->pwhash);
	u->confirmed = sqlite3_column_int(st, 4);
	u->created_at = sqlite3_column_int64(st, 5);
	COL_FIELD(st, 6, u->code_hash);
	u->code_expires_at = sqlite3_column_int64(st, 7);
	u->code_tries = sqlite3_column_int(st, 8);
	u->failed_logins = sqlite3_column_int(st, 9);
	u->locked_until = sqlite3_column_int64(st, 10);
}

/* Steps a single-row query: PGAL_OK with the row ready to read (the caller
 * resets), or `what` as the not-found message. */
static int
sq_get_row(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *what)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return PGAL_OK;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", what);
	}
	rc = sq_fail(q, rc, e, NULL, NULL);
	sqlite3_reset(st);
	return rc;
}

static int
sq_user_create(pgal_store *s, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_INSERT);
	char thing[PGAL_USER_MAX + 16];
	int rc;

	BIND_FIELD(st, 1, u->name);
	BIND_FIELD(st, 2, u->email);
	BIND_FIELD(st, 3, u->pwhash);
	sqlite3_bind_int(st, 4, u->confirmed);
	bind_i64(st, 5, u->created_at);
	BIND_FIELD(st, 6, u->code_hash);
	bind_i64(st, 7, u->code_expires_at);
	sqlite3_bind_int(st, 8, u->code_tries);
	sqlite3_bind_int(st, 9, u->failed_logins);
	bind_i64(st, 10, u->locked_until);
	snprintf(thing, sizeof thing, "user '%.*s'", PGAL_USER_MAX, u->name);
	if ((rc = sq_exec(q, st, e, thing, NULL)) != PGAL_OK)
		return rc;
	u->id = sqlite3_last_insert_rowid(q->db);
	return PGAL_OK;
}

static int
sq_user_get_by_name(pgal_store *s, const char *name, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_BY_NAME);
	char what[PGAL_USER_MAX + 32];
	int rc;

	bind_text(st, 1, name, PGAL_USER_MAX + 1);
	snprintf(what, sizeof what, "no such user '%.*s'", PGAL_USER_MAX, name);
	if ((rc = sq_get_row(q, st, e, what)) != PGAL_OK)
		return rc;
	user_read(st, u);
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_user_get(pgal_store *s, pgal_id id, pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_BY_ID);
	int rc;

	bind_i64(st, 1, id);
	if ((rc = sq_get_row(q, st, e, "no such user")) != PGAL_OK)
		return rc;
	user_read(st, u);
	sqlite3_reset(st);
	return PGAL_OK;
}

/* Runs a one-row UPDATE/DELETE; no row changed is `missing`. */
static int
sq_change_one(struct sq *q, sqlite3_stmt *st, pgal_err *e, const char *thing,
    const char *parent, const char *missing)
{
	int rc;

	if ((rc = sq_exec(q, st, e, thing, parent)) != PGAL_OK)
		return rc;
	if (sqlite3_changes(q->db) == 0)
		return pgal_fail(e, PGAL_ENOTFOUND, "%s", missing);
	return PGAL_OK;
}

static int
sq_user_update(pgal_store *s, const pgal_user *u, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_UPDATE);

	bind_i64(st, 1, u->id);
	BIND_FIELD(st, 2, u->email);
	BIND_FIELD(st, 3, u->pwhash);
	sqlite3_bind_int(st, 4, u->confirmed);
	BIND_FIELD(st, 5, u->code_hash);
	bind_i64(st, 6, u->code_expires_at);
	sqlite3_bind_int(st, 7, u->code_tries);
	sqlite3_bind_int(st, 8, u->failed_logins);
	bind_i64(st, 9, u->locked_until);
	return sq_change_one(q, st, e, NULL, NULL, "no such user");
}

/* One statement, so one transaction: the foreign keys cascade to sessions,
 * albums, photos, tags and keys. */
static int
sq_user_delete(pgal_store *s, pgal_id id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_USER_DELETE);

	bind_i64(st, 1, id);
	return sq_change_one(q, st, e, NULL, NULL, "no such user");
}

/* ---- sessions ---- */

static int
sq_session_create(pgal_store *s, const pgal_session_row *r, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_INSERT);

	BIND_FIELD(st, 1, r->token_hash);
	bind_i64(st, 2, r->user_id);
	bind_i64(st, 3, r->created_at);
	bind_i64(st, 4, r->last_seen);
	return sq_exec(q, st, e, "session", "user");
}

static int
sq_session_get(pgal_store *s, const char *token_hash, pgal_session_row *r, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_GET);
	int rc;

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	if ((rc = sq_get_row(q, st, e, "no such session")) != PGAL_OK)
		return rc;
	memset(r, 0, sizeof *r);
	COL_FIELD(st, 0, r->token_hash);
	r->user_id = sqlite3_column_int64(st, 1);
	r->created_at = sqlite3_column_int64(st, 2);
	r->last_seen = sqlite3_column_int64(st, 3);
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_session_touch(pgal_store *s, const char *token_hash, int64_t now, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_TOUCH);

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	bind_i64(st, 2, now);
	return sq_change_one(q, st, e, NULL, NULL, "no such session");
}

static int
sq_session_delete(pgal_store *s, const char *token_hash, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_DELETE);

	bind_text(st, 1, token_hash, PGAL_SHA256_HEX + 1);
	return sq_change_one(q, st, e, NULL, NULL, "no such session");
}

static int
sq_session_delete_user(pgal_store *s, pgal_id user_id, const char *keep_hash, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_SESSION_DELETE_USER);

	bind_i64(st, 1, user_id);
	if (keep_hash != NULL)
		bind_text(st, 2, keep_hash, PGAL_SHA256_HEX + 1);
	return sq_exec(q, st, e, NULL, NULL);
}

/* ---- albums ---- */

static void
album_read(sqlite3_stmt *st, pgal_album *a)
{
	memset(a, 0, sizeof *a);
	a->id = sqlite3_column_int64(st, 0);
	a->user_id = sqlite3_column_int64(st, 1);
	COL_FIELD(st, 2, a->name);
	COL_FIELD(st, 3, a->title);
	COL_FIELD(st, 4, a->description);
	a->created_at = sqlite3_column_int64(st, 5);
	a->updated_at = sqlite3_column_int64(st, 6);
	a->photo_count = sqlite3_column_int64(st, 7);
	a->bytes = sqlite3_column_int64(st, 8);
}

static void
album_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "album '%.*s'", PGAL_ALBUM_MAX, name);
}

static int
sq_album_create(pgal_store *s, pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_INSERT);
	char thing[PGAL_ALBUM_MAX + 16];
	int rc;

	bind_i64(st, 1, a->user_id);
	BIND_FIELD(st, 2, a->name);
	BIND_FIELD(st, 3, a->title);
	BIND_FIELD(st, 4, a->description);
	bind_i64(st, 5, a->created_at);
	bind_i64(st, 6, a->updated_at);
	album_thing(thing, sizeof thing, a->name);
	if ((rc = sq_exec(q, st, e, thing, "user")) != PGAL_OK)
		return rc;
	a->id = sqlite3_last_insert_rowid(q->db);
	a->photo_count = 0;
	a->bytes = 0;
	return PGAL_OK;
}

static int
sq_album_get(pgal_store *s, pgal_id user_id, const char *name, pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_GET);
	char what[PGAL_ALBUM_MAX + 32];
	int rc;

	bind_i64(st, 1, user_id);
	bind_text(st, 2, name, PGAL_ALBUM_MAX + 1);
	snprintf(what, sizeof what, "no such album '%.*s'", PGAL_ALBUM_MAX, name);
	if ((rc = sq_get_row(q, st, e, what)) != PGAL_OK)
		return rc;
	album_read(st, a);
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_album_list(pgal_store *s, pgal_id user_id, pgal_album **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_LIST);
	pgal_album *v = NULL, *nv;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	bind_i64(st, 1, user_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 8 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof *v)) == NULL) {
				sqlite3_reset(st);
				free(v);
				return pgal_fail(e, PGAL_EBACKEND, "out of memory");
			}
			v = nv;
		}
		album_read(st, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		free(v);
		return rc;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return PGAL_OK;
}

static int
sq_album_update(pgal_store *s, const pgal_album *a, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_UPDATE);
	char thing[PGAL_ALBUM_MAX + 16];

	bind_i64(st, 1, a->id);
	BIND_FIELD(st, 2, a->name);
	BIND_FIELD(st, 3, a->title);
	BIND_FIELD(st, 4, a->description);
	bind_i64(st, 5, a->updated_at);
	album_thing(thing, sizeof thing, a->name);
	return sq_change_one(q, st, e, thing, NULL, "no such album");
}

static int
sq_album_delete(pgal_store *s, pgal_id album_id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_DELETE);

	bind_i64(st, 1, album_id);
	return sq_change_one(q, st, e, NULL, NULL, "no such album");
}

/* ---- photos ---- */

static void
photo_read(sqlite3_stmt *st, pgal_photo *p)
{
	pgal_exif *x = &p->exif;

	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	p->album_id = sqlite3_column_int64(st, 1);
	p->user_id = sqlite3_column_int64(st, 2);
	COL_FIELD(st, 3, p->album);
	COL_FIELD(st, 4, p->name);
	COL_FIELD(st, 5, p->title);
	COL_FIELD(st, 6, p->description);
	COL_FIELD(st, 7, p->tags);
	COL_FIELD(st, 8, p->mime);
	p->width = sqlite3_column_int(st, 9);
	p->height = sqlite3_column_int(st, 10);
	p->bytes = sqlite3_column_int64(st, 11);
	COL_FIELD(st, 12, p->sha256);
	COL_FIELD(st, 13, p->blob_id);
	p->added_at = sqlite3_column_int64(st, 14);
	p->sort_taken = sqlite3_column_int64(st, 15);
	COL_FIELD(st, 16, x->make);
	COL_FIELD(st, 17, x->model);
	COL_FIELD(st, 18, x->lens);
	COL_FIELD(st, 19, x->exposure_time);
	x->f_number = col_double(st, 20, 0);
	x->iso = sqlite3_column_int(st, 21);
	x->focal_length = col_double(st, 22, 0);
	x->orientation = sqlite3_column_int(st, 23);
	if (sqlite3_column_type(st, 24) == SQLITE_NULL)
		x->taken_at = -1;
	else
		x->taken_at = sqlite3_column_int64(st, 24);
	x->gps.present = sqlite3_column_int(st, 25) != 0;
	if (x->gps.present) {
		x->gps.lat = col_double(st, 26, 0);
		x->gps.lon = col_double(st, 27, 0);
	}
	x->gps.alt = col_double(st, 28, NAN);
}

static void
photo_thing(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "photo '%.*s' in this album", PGAL_PHOTO_NAME_MAX, name);
}

/* A unique conflict on blob_id is not about the name the user chose. */
static int
photo_fail(struct sq *q, int code, pgal_err *e)
{
	if (code == PGAL_EINPUT && strstr(sqlite3_errmsg(q->db), "blob_id") != NULL)
		return pgal_fail(e, PGAL_EINPUT, "blob id already exists");
	return code;
}

/* Makes photo_tags hold exactly the tags of the ','-joined list. */
static int
tags_sync(struct sq *q, pgal_id photo_id, const char *tags, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_TAGS_CLEAR);
	const char *p, *end, *comma;
	size_t len = strnlen(tags, PGAL_TAGS_MAX + 1);
	int rc;

	bind_i64(st, 1, photo_id);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK)
		return rc;
	for (p = tags, end = tags + len; p < end; p = comma + 1) {
		if ((comma = memchr(p, ',', (size_t)(end - p))) == NULL)
			comma = end;
		if (comma == p)
			continue;
		st = sq_st(q, ST_TAG_INSERT);
		bind_i64(st, 1, photo_id);
		sqlite3_bind_text(st, 2, p, (int)(comma - p), SQLITE_STATIC);
		if ((rc = sq_exec(q, st, e, NULL, "photo")) != PGAL_OK)
			return rc;
	}
	return PGAL_OK;
}

static int
album_touch(struct sq *q, pgal_id album_id, int64_t now, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_ALBUM_TOUCH);

	bind_i64(st, 1, album_id);
	bind_i64(st, 2, now);
	return sq_exec(q, st, e, NULL, NULL);
}

static int
sq_photo_insert(pgal_store *s, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	const pgal_exif *x = &p->exif;
	sqlite3_stmt *st;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id id;
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	st = sq_st(q, ST_PHOTO_INSERT);
	bind_i64(st, 1, p->album_id);
	bind_i64(st, 2, p->user_id);
	BIND_FIELD(st, 3, p->name);
	BIND_FIELD(st, 4, p->title);
	BIND_FIELD(st, 5, p->description);
	BIND_FIELD(st, 6, p->tags);
	BIND_FIELD(st, 7, p->mime);
	sqlite3_bind_int(st, 8, p->width);
	sqlite3_bind_int(st, 9, p->height);
	bind_i64(st, 10, p->bytes);
	BIND_FIELD(st, 11, p->sha256);
	BIND_FIELD(st, 12, p->blob_id);
	bind_i64(st, 13, p->added_at);
	bind_i64(st, 14, p->sort_taken);
	BIND_FIELD(st, 15, x->make);
	BIND_FIELD(st, 16, x->model);
	BIND_FIELD(st, 17, x->lens);
	BIND_FIELD(st, 18, x->exposure_time);
	/* a NaN binds as NULL */
	sqlite3_bind_double(st, 19, x->f_number);
	sqlite3_bind_int(st, 20, x->iso);
	sqlite3_bind_double(st, 21, x->focal_length);
	sqlite3_bind_int(st, 22, x->orientation);
	if (x->taken_at != -1)
		bind_i64(st, 23, x->taken_at);
	sqlite3_bind_int(st, 24, x->gps.present != 0);
	if (x->gps.present) {
		sqlite3_bind_double(st, 25, x->gps.lat);
		sqlite3_bind_double(st, 26, x->gps.lon);
		sqlite3_bind_double(st, 27, x->gps.alt);
	}
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = sq_exec(q, st, e, thing, "album or user")) != PGAL_OK) {
		rc = photo_fail(q, rc, e);
		goto fail;
	}
	id = sqlite3_last_insert_rowid(q->db);
	if ((rc = tags_sync(q, id, p->tags, e)) != PGAL_OK ||
	    (rc = album_touch(q, p->album_id, p->added_at, e)) != PGAL_OK ||
	    (rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	p->id = id;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

static int
sq_photo_get(pgal_store *s, pgal_id album_id, const char *name, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_GET);
	char what[PGAL_PHOTO_NAME_MAX + 32];
	int rc;

	bind_i64(st, 1, album_id);
	bind_text(st, 2, name, PGAL_PHOTO_NAME_MAX + 1);
	snprintf(what, sizeof what, "no such photo '%.*s'", PGAL_PHOTO_NAME_MAX, name);
	if ((rc = sq_get_row(q, st, e, what)) != PGAL_OK)
		return rc;
	photo_read(st, p);
	sqlite3_reset(st);
	return PGAL_OK;
}

/* The album a photo is in, inside the caller's transaction. */
static int
photo_album_of(struct sq *q, pgal_id photo_id, pgal_id *album_id, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_ALBUM_OF);
	int rc;

	bind_i64(st, 1, photo_id);
	if ((rc = sq_get_row(q, st, e, "no such photo")) != PGAL_OK)
		return rc;
	*album_id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_photo_update(pgal_store *s, const pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	char thing[PGAL_PHOTO_NAME_MAX + 32];
	pgal_id old_album;
	int64_t now = time(NULL);
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_album_of(q, p->id, &old_album, e)) != PGAL_OK)
		goto fail;
	st = sq_st(q, ST_PHOTO_UPDATE);
	bind_i64(st, 1, p->id);
	BIND_FIELD(st, 2, p->name);
	bind_i64(st, 3, p->album_id);
	BIND_FIELD(st, 4, p->title);
	BIND_FIELD(st, 5, p->description);
	BIND_FIELD(st, 6, p->tags);
	photo_thing(thing, sizeof thing, p->name);
	if ((rc = sq_exec(q, st, e, thing, "album")) != PGAL_OK)
		goto fail;
	if ((rc = tags_sync(q, p->id, p->tags, e)) != PGAL_OK ||
	    (rc = album_touch(q, old_album, now, e)) != PGAL_OK)
		goto fail;
	if (p->album_id != old_album &&
	    (rc = album_touch(q, p->album_id, now, e)) != PGAL_OK)
		goto fail;
	if ((rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

static int
sq_photo_delete(pgal_store *s, pgal_id photo_id, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	pgal_id album_id;
	int rc;

	if ((rc = sq_begin(q, e)) != PGAL_OK)
		return rc;
	if ((rc = photo_album_of(q, photo_id, &album_id, e)) != PGAL_OK)
		goto fail;
	st = sq_st(q, ST_PHOTO_DELETE);
	bind_i64(st, 1, photo_id);
	if ((rc = sq_exec(q, st, e, NULL, NULL)) != PGAL_OK ||
	    (rc = album_touch(q, album_id, time(NULL), e)) != PGAL_OK ||
	    (rc = sq_commit(q, e)) != PGAL_OK)
		goto fail;
	return PGAL_OK;
fail:
	sq_rollback(q);
	return rc;
}

static int
sq_photo_find_sha(pgal_store *s, pgal_id user_id, const char *sha256, pgal_photo *p, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_PHOTO_SHA);
	int rc;

	bind_i64(st, 1, user_id);
	bind_text(st, 2, sha256, PGAL_SHA256_HEX + 1);
	if ((rc = sq_get_row(q, st, e, "no photo with this content")) != PGAL_OK)
		return rc;
	photo_read(st, p);
	sqlite3_reset(st);
	return PGAL_OK;
}

/* Steps a photo query into out[0..limit). */
static int
photo_rows(struct sq *q, sqlite3_stmt *st, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	size_t len = 0;
	int rc = SQLITE_DONE;

	while (len < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		photo_read(st, &out[len++]);
	if (len < limit && rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	*n = len;
	return PGAL_OK;
}

static int
sq_photo_list(pgal_store *s, pgal_id album_id, pgal_sort sort, const pgal_cursor *after,
    size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int id;

	*n = 0;
	switch (sort) {
	case PGAL_SORT_TAKEN:
		id = ST_PHOTO_LIST_TAKEN;
		break;
	case PGAL_SORT_ADDED:
		id = ST_PHOTO_LIST_ADDED;
		break;
	case PGAL_SORT_TITLE:
		id = ST_PHOTO_LIST_TITLE;
		break;
	default:
		return pgal_fail(e, PGAL_EUSAGE, "unknown sort order");
	}
	if (limit == 0)
		return PGAL_OK;
	st = sq_st(q, id);
	bind_i64(st, 1, album_id);
	/* no cursor: before every row (every text sorts at or after '', and
	 * ids are positive) */
	if (after != NULL && after->valid) {
		if (sort == PGAL_SORT_TITLE)
			BIND_FIELD(st, 2, after->text);
		else
			bind_i64(st, 2, after->num);
		bind_i64(st, 3, after->id);
	} else {
		if (sort == PGAL_SORT_TITLE)
			sqlite3_bind_text(st, 2, "", 0, SQLITE_STATIC);
		else
			bind_i64(st, 2, INT64_MIN);
		bind_i64(st, 3, INT64_MIN);
	}
	sqlite3_bind_int64(st, 4, limit_i64(limit));
	return photo_rows(q, st, limit, out, n, e);
}

/* ---- search ---- */

/* SQL for a search with or without a tag and nwords words: ?1 user, ?2
 * limit, ?3 tag, ?4.. one LIKE pattern per word. Only the shape depends on
 * the arguments; every value is bound. */
static char *
search_sql(int has_tag, size_t nwords)
{
	static const char head[] = "SELECT " PHOTO_COLS PHOTO_FROM
	    "WHERE p.user_id = ?1";
	static const char tag[] = " AND EXISTS (SELECT 1 FROM photo_tags t "
	    "WHERE t.photo_id = p.id AND t.tag = ?3)";
	static const char word[] = " AND (p.title LIKE ?%zu ESCAPE '\\' OR "
	    "p.description LIKE ?%zu ESCAPE '\\' OR p.name LIKE ?%zu ESCAPE '\\')";
	static const char tail[] = " ORDER BY p.added_at DESC, p.id DESC LIMIT ?2";
	size_t cap = sizeof head + sizeof tag + sizeof tail +
	    nwords * (sizeof word + 3 * 20);
	size_t off, i;
	char *sql;

	if ((sql = malloc(cap)) == NULL)
		return NULL;
	off = (size_t)snprintf(sql, cap, "%s%s", head, has_tag ? tag : "");
	for (i = 0; i < nwords; i++)
		off += (size_t)snprintf(sql + off, cap - off, word, i + 4, i + 4, i + 4);
	snprintf(sql + off, cap - off, "%s", tail);
	return sql;
}

/* "%word%" with the LIKE wildcards and the escape character escaped. */
static char *
like_pattern(const char *w)
{
	size_t len = strlen(w), i, o = 0;
	char *pat;

	if (len > (SIZE_MAX - 3) / 2 || (pat = malloc(2 * len + 3)) == NULL)
		return NULL;
	pat[o++] = '%';
	for (i = 0; i < len; i++) {
		if (w[i] == '%' || w[i] == '_' || w[i] == '\\')
			pat[o++] = '\\';
		pat[o++] = w[i];
	}
	pat[o++] = '%';
	pat[o] = '\0';
	return pat;
}

static int
sq_photo_search(pgal_store *s, pgal_id user_id, const char *const *words, size_t nwords,
    const char *tag, size_t limit, pgal_photo *out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = NULL, **slot = NULL;
	char *sql, **pats = NULL;
	size_t i;
	int has_tag = tag != NULL, rc;

	*n = 0;
	if (limit == 0)
		return PGAL_OK;
	if (nwords > 999 - 4)
		return pgal_fail(e, PGAL_EINPUT, "too many search words");
	if (nwords <= SQ_SEARCH_CACHED) {
		slot = &q->search[has_tag][nwords];
		st = *slot;
	}
	if (st == NULL) {
		if ((sql = search_sql(has_tag, nwords)) == NULL)
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		rc = sqlite3_prepare_v3(q->db, sql, -1,
		    slot != NULL ? SQLITE_PREPARE_PERSISTENT : 0, &st, NULL);
		free(sql);
		if (rc != SQLITE_OK)
			return sq_fail(q, rc, e, NULL, NULL);
		if (slot != NULL)
			*slot = st;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);

	if (nwords > 0 && (pats = calloc(nwords, sizeof *pats)) == NULL) {
		rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
		goto out;
	}
	bind_i64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, limit_i64(limit));
	if (has_tag)
		bind_text(st, 3, tag, PGAL_TAG_MAX + 1);
	for (i = 0; i < nwords; i++) {
		if ((pats[i] = like_pattern(words[i])) == NULL) {
			rc = pgal_fail(e, PGAL_EBACKEND, "out of memory");
			goto out;
		}
		sqlite3_bind_text(st, (int)i + 4, pats[i], -1, SQLITE_STATIC);
	}
	rc = photo_rows(q, st, limit, out, n, e);
out:
	/* the patterns are bound SQLITE_STATIC: unbind before freeing */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (slot == NULL)
		sqlite3_finalize(st);
	if (pats != NULL)
		for (i = 0; i < nwords; i++)
			free(pats[i]);
	free(pats);
	return rc;
}

/* ---- blob ids ---- */

static int
blob_ids(struct sq *q, int which, pgal_id id, char ***ids, size_t *n, pgal_err *e)
{
	sqlite3_stmt *st = sq_st(q, which);
	char **v = NULL, **nv;
	size_t len = 0, cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	bind_i64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		if (len == cap) {
			cap = cap == 0 ? 16 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof *v)) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[len] = strdup(t != NULL ? t : "")) == NULL)
			goto nomem;
		len++;
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		pgal_store_free_ids(v, len);
		return rc;
	}
	sqlite3_reset(st);
	*ids = v;
	*n = len;
	return PGAL_OK;
nomem:
	sqlite3_reset(st);
	pgal_store_free_ids(v, len);
	return pgal_fail(e, PGAL_EBACKEND, "out of memory");
}

static int
sq_blob_ids_user(pgal_store *s, pgal_id user_id, char ***ids, size_t *n, pgal_err *e)
{
	return blob_ids(sq_of(s), ST_BLOBS_USER, user_id, ids, n, e);
}

static int
sq_blob_ids_album(pgal_store *s, pgal_id album_id, char ***ids, size_t *n, pgal_err *e)
{
	return blob_ids(sq_of(s), ST_BLOBS_ALBUM, album_id, ids, n, e);
}

static int
sq_blob_id_used(pgal_store *s, const char *blob_id, int *used, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_BLOB_USED);
	int rc;

	bind_text(st, 1, blob_id, PGAL_BLOB_ID_HEX + 1);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		return rc;
	}
	*used = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return PGAL_OK;
}

/* ---- SSH keys ---- */

static void
key_read(sqlite3_stmt *st, pgal_ssh_key *k)
{
	memset(k, 0, sizeof *k);
	k->id = sqlite3_column_int64(st, 0);
	COL_FIELD(st, 1, k->algo);
	COL_FIELD(st, 2, k->fingerprint);
	COL_FIELD(st, 3, k->comment);
	k->created_at = sqlite3_column_int64(st, 4);
}

/* created_at is the caller's clock if given, else now */
static int
sq_key_add(pgal_store *s, pgal_id user_id, pgal_ssh_key *k, const char *key_base64, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_INSERT);
	char thing[sizeof k->fingerprint + 16];
	int64_t created = k->created_at != 0 ? k->created_at : (int64_t)time(NULL);
	int rc;

	bind_i64(st, 1, user_id);
	BIND_FIELD(st, 2, k->algo);
	bind_text(st, 3, key_base64, PGAL_SSHKEY_B64_MAX + 1);
	BIND_FIELD(st, 4, k->comment);
	BIND_FIELD(st, 5, k->fingerprint);
	bind_i64(st, 6, created);
	snprintf(thing, sizeof thing, "key %.*s", (int)sizeof k->fingerprint, k->fingerprint);
	if ((rc = sq_exec(q, st, e, thing, "user")) != PGAL_OK)
		return rc;
	k->id = sqlite3_last_insert_rowid(q->db);
	k->created_at = created;
	return PGAL_OK;
}

static int
sq_key_list(pgal_store *s, pgal_id user_id, pgal_ssh_key **out, size_t *n, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_LIST);
	pgal_ssh_key *v = NULL, *nv;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	bind_i64(st, 1, user_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (len == cap) {
			cap = cap == 0 ? 4 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof *v)) == NULL) {
				sqlite3_reset(st);
				free(v);
				return pgal_fail(e, PGAL_EBACKEND, "out of memory");
			}
			v = nv;
		}
		key_read(st, &v[len++]);
	}
	if (rc != SQLITE_DONE) {
		rc = sq_fail(q, rc, e, NULL, NULL);
		sqlite3_reset(st);
		free(v);
		return rc;
	}
	sqlite3_reset(st);
	*out = v;
	*n = len;
	return PGAL_OK;
}

static int
sq_key_find(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_ssh_key *k, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_FIND);
	int rc;

	bind_i64(st, 1, user_id);
	bind_text(st, 2, fingerprint, sizeof k->fingerprint);
	if ((rc = sq_get_row(q, st, e, "no such key")) != PGAL_OK)
		return rc;
	key_read(st, k);
	sqlite3_reset(st);
	return PGAL_OK;
}

static int
sq_key_delete(pgal_store *s, pgal_id user_id, const char *fingerprint, pgal_err *e)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st = sq_st(q, ST_KEY_DELETE);

	bind_i64(st, 1, user_id);
	bind_text(st, 2, fingerprint, sizeof((pgal_ssh_key *)0)->fingerprint);
	return sq_change_one(q, st, e, NULL, NULL, "no such key");
}

sqlite3 *
pgal_store_sqlite_db(pgal_store *s)
{
	return s != NULL && s->ops == &pgal_store_sqlite ? sq_of(s)->db : NULL;
}

const pgal_store_ops pgal_store_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.user_create = sq_user_create,
	.user_get_by_name = sq_user_get_by_name,
	.user_get = sq_user_get,
	.user_update = sq_user_update,
	.user_delete = sq_user_delete,
	.session_create = sq_session_create,
	.session_get = sq_session_get,
	.session_touch = sq_session_touch,
	.session_delete = sq_session_delete,
	.session_delete_user = sq_session_delete_user,
	.album_create = sq_album_create,
	.album_get = sq_album_get,
	.album_list = sq_album_list,
	.album_update = sq_album_update,
	.album_delete = sq_album_delete,
	.photo_insert = sq_photo_insert,
	.photo_get = sq_photo_get,
	.photo_update = sq_photo_update,
	.photo_delete = sq_photo_delete,
	.photo_find_sha = sq_photo_find_sha,
	.photo_list = sq_photo_list,
	.photo_search = sq_photo_search,
	.blob_ids_user = sq_blob_ids_user,
	.blob_ids_album = sq_blob_ids_album,
	.blob_id_used = sq_blob_id_used,
	.key_add = sq_key_add,
	.key_list = sq_key_list,
	.key_find = sq_key_find,
	.key_delete = sq_key_delete,
};
