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

#include "clock.h"
#include "sanitize.h"
#include "sshkey.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite-int.h"
#include "store/sqlite/sqlite.h"
#include "store/store.h"

const char *const sq_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",

	[ST_USER_INSERT] = "INSERT INTO users (name, email, pwhash, confirmed, "
	    "created_at, code_hash, code_expires_at, code_tries, failed_logins, "
	    "locked_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[ST_USER_BY_NAME] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE name = ?1",
	[ST_USER_BY_ID] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE id = ?1",
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
	[ST_ALBUM_GET] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
	    "WHERE user_id = ?1 AND name = ?2",
	[ST_ALBUM_LIST] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
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
	    "gps_alt, md5, sha1, mtime) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
	    "?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, "
	    "?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
	[ST_PHOTO_GET] = "SELECT " PGAL_SQL_PHOTO_COLS PHOTO_FROM
	    "WHERE p.album_id = ?1 AND p.name = ?2",
	[ST_PHOTO_ALBUM_OF] = "SELECT album_id FROM photos WHERE id = ?1",
	[ST_PHOTO_UPDATE] = "UPDATE photos SET name = ?2, album_id = ?3, "
	    "title = ?4, description = ?5, tags = ?6, mtime = ?7 WHERE id = ?1",
	[ST_PHOTO_DELETE] = "DELETE FROM photos WHERE id = ?1",
	[ST_PHOTO_SET_DIGESTS] = "UPDATE photos SET md5 = ?2, sha1 = ?3 WHERE id = ?1",
	[ST_PHOTO_SHA] = "SELECT " PGAL_SQL_PHOTO_COLS PHOTO_FROM
	    "WHERE p.user_id = ?1 AND p.sha256 = ?2 ORDER BY p.id LIMIT 1",

	[ST_TAGS_CLEAR] = "DELETE FROM photo_tags WHERE photo_id = ?1",
	[ST_TAG_INSERT] = "INSERT OR IGNORE INTO photo_tags (photo_id, tag) "
	    "VALUES (?1, ?2)",

	[ST_BLOBS_USER] = "SELECT blob_id FROM photos WHERE user_id = ?1",
	[ST_BLOBS_ALBUM] = "SELECT blob_id FROM photos WHERE album_id = ?1",
	[ST_BLOB_USED] = "SELECT 1 FROM photos WHERE blob_id = ?1",

	[ST_KEY_INSERT] = "INSERT INTO ssh_keys (user_id, algo, key_base64, "
	    "comment, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_KEY_LIST] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys WHERE user_id = ?1 "
	    "ORDER BY created_at, id",
	[ST_KEY_FIND] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys "
	    "WHERE user_id = ?1 AND fingerprint = ?2",
	[ST_KEY_DELETE] = "DELETE FROM ssh_keys WHERE user_id = ?1 AND fingerprint = ?2",

	[ST_USERS_UNCONFIRMED] = "SELECT id FROM users WHERE confirmed = 0 "
	    "AND created_at < ?1 ORDER BY id",
	[ST_MARK_GET] = "SELECT until_at FROM marks WHERE name = ?1 AND until_at > ?2",
	/* one statement: atomic against every other process */
	[ST_MARK_ADD] = "INSERT INTO marks (name, until_at) VALUES (?1, ?2 + ?3) "
	    "ON CONFLICT (name) DO UPDATE SET until_at = max(until_at, ?2) + ?3 "
	    "RETURNING until_at",
	[ST_MARK_CLAIM] = "INSERT INTO marks (name, until_at) VALUES (?1, ?3) "
	    "ON CONFLICT (name) DO UPDATE SET until_at = ?3 WHERE until_at <= ?2",
	[ST_MARK_DELETE] = "DELETE FROM marks WHERE name = ?1",
	[ST_MARK_PRUNE] = "DELETE FROM marks WHERE until_at <= ?1",
	[ST_UPLOAD_PUT] = "INSERT INTO uploads (user_id, album, name, holder, bytes, queued_at, "
	    "mtime, sha256, until_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
	    "ON CONFLICT (user_id, album, name, holder) DO UPDATE SET bytes = ?5, "
	    "queued_at = ?6, mtime = ?7, sha256 = ?8, until_at = ?9",
	[ST_UPLOAD_TOUCH] = "UPDATE uploads SET until_at = ?3 WHERE user_id = ?1 AND holder = ?2",
	[ST_UPLOAD_DELETE] = "DELETE FROM uploads WHERE user_id = ?1 AND "
	    "((album = ?2 AND name = ?3 AND holder = ?4) OR until_at <= ?5)",
	[ST_UPLOAD_LIST] = "SELECT " PGAL_SQL_UPLOAD_COLS " FROM uploads WHERE user_id = ?1 "
	    "AND (?2 IS NULL OR album = ?2) AND until_at > ?3 ORDER BY album, name, holder",

	[ST_PREF_LIST] = "SELECT name, value FROM user_prefs WHERE user_id = ?1 ORDER BY name",
	[ST_PREF_SET] = "INSERT INTO user_prefs (user_id, name, value) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (user_id, name) DO UPDATE SET value = excluded.value",
};

/* ---- errors ---- */

/* Maps a failed step. `thing` names what a uniqueness conflict is about
 * ("album 'x'"); `parent` what a failed foreign key points at ("album"). */
int
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

/* ---- shared steps ---- */

/* Steps a statement that returns no row, then resets it. */
int
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

int
sq_begin(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_BEGIN), e, NULL, NULL);
}

int
sq_commit(struct sq *q, pgal_err *e)
{
	return sq_exec(q, sq_st(q, ST_COMMIT), e, NULL, NULL);
}

/* Undoes an open transaction; the error already in e is kept. */
void
sq_rollback(struct sq *q)
{
	if (!sqlite3_get_autocommit(q->db)) {
		sqlite3_step(sq_st(q, ST_ROLLBACK));
		sqlite3_reset(q->st[ST_ROLLBACK]);
	}
}

/* Steps a single-row query: PGAL_OK with the row ready to read (the caller
 * resets), or `what` as the not-found message. */
int
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

/* Runs a one-row UPDATE/DELETE; no row changed is `missing`. */
int
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

/* Steps a bound statement to its end, reading each row with `read` into a
 * growing malloc'd array of `size`-byte elements (*out, *n). */
int
sq_collect(struct sq *q, sqlite3_stmt *st, size_t size, sq_row_reader read, void **out,
    size_t *n, pgal_err *e)
{
	void *v = NULL, *slot;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((slot = pgal_store_rows_slot(&v, &cap, len, size)) == NULL) {
			sqlite3_reset(st);
			free(v);
			return pgal_fail(e, PGAL_EBACKEND, "out of memory");
		}
		read(st, slot);
		len++;
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
		pgal_sleep_ms(10);
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
	int have, newest = pgal_migrations_newest(pgal_migrations_sqlite), rc;

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
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	pgal_sql_reads_free(&sq_read_ops, q, &q->reads);
	sqlite3_close_v2(q->db);
	free(q);
}

/* Both modes make and migrate the file: it is pgal's own, and the
 * zero-config default works without a `pgal init`. */
static int
sq_open(pgal_store **out, const pgal_config *cfg, pgal_store_mode mode, pgal_err *e)
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

/* open has migrated the schema to the newest version */
static void
sq_describe(pgal_store *s, const pgal_config *cfg, char *out, size_t size)
{
	char where[600];

	pgal_sanitize(where, sizeof where, cfg->sqlite_path, 0);
	snprintf(out, size, "ok (schema version %d, %s)",
	    pgal_migrations_newest(pgal_migrations_sqlite), where);
}

sqlite3 *
pgal_store_sqlite_db(pgal_store *s)
{
	return s != NULL && s->ops == &pgal_store_sqlite ? sq_of(s)->db : NULL;
}

const pgal_store_ops pgal_store_sqlite = {
	.name = "sqlite",
	.describe = sq_describe,
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
	.photo_set_digests = sq_photo_set_digests,
	.photo_list = sq_photo_list,
	.photo_list_before = sq_photo_list_before,
	.photo_search = sq_photo_search,
	.blob_ids_user = sq_blob_ids_user,
	.blob_ids_album = sq_blob_ids_album,
	.blob_id_used = sq_blob_id_used,
	.key_add = sq_key_add,
	.key_list = sq_key_list,
	.key_find = sq_key_find,
	.key_delete = sq_key_delete,
	.user_ids_unconfirmed = sq_user_ids_unconfirmed,
	.mark_get = sq_mark_get,
	.mark_add = sq_mark_add,
	.mark_claim = sq_mark_claim,
	.mark_delete = sq_mark_delete,
	.mark_prune = sq_mark_prune,
	.upload_put = sq_upload_put,
	.upload_touch = sq_upload_touch,
	.upload_delete = sq_upload_delete,
	.upload_list = sq_upload_list,
	.pref_list = sq_pref_list,
	.pref_set = sq_pref_set,
};
