/* Metadata store on SQLite: one file, WAL, foreign keys, compiled-in
 * migrations, every statement prepared once per handle and bound.
 *
 * Each process opens its own handle (the SSH server forks per connection);
 * nothing here is global. Writes that touch more than one row run in a short
 * BEGIN IMMEDIATE transaction so a busy writer waits (busy_timeout) instead
 * of failing halfway through an upgrade from read to write.
 *
 * This file opens (WAL, pragmas, migrations), describes and closes a
 * handle and holds the operations table; the rest lives one concept a
 * file, as in core/store/mysql/:
 *   sql.c       the statements' text
 *   stmt.c      running them: steps, transactions, rows, errors
 *   accounts.c, albums.c, photos.c, marks.c, uploads.c, prefs.c
 *               the operations */

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
 * processes opening a fresh file at once do not both apply it. Foreign
 * keys are off meanwhile, as SQLite's procedure for rebuilding a table
 * asks (dropping the old table would delete every row referencing it),
 * and checked before each commit; the caller turns them on again. */
static int
sq_migrate(struct sq *q, pgal_err *e)
{
	const pgal_migration *m;
	char setv[64], orphan[128];
	char *msg = NULL;
	int have, newest = pgal_migrations_newest(pgal_migrations_sqlite), rc;

	if ((rc = sq_pragma(q, "PRAGMA foreign_keys = OFF", NULL, 0, e)) != PGAL_OK ||
	    (rc = sq_user_version(q, &have, e)) != PGAL_OK)
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
		if ((rc = sq_pragma(q, "PRAGMA foreign_key_check", orphan, sizeof orphan,
		    e)) != PGAL_OK)
			goto fail;
		if (orphan[0] != '\0') {
			rc = pgal_fail(e, PGAL_EBACKEND, "migration %s: rows of %s reference "
			    "nothing", m->file, orphan);
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
	    (rc = sq_migrate(q, e)) != PGAL_OK ||
	    (rc = sq_pragma(q, "PRAGMA foreign_keys = ON", NULL, 0, e)) != PGAL_OK ||
	    (rc = sq_pragma(q, "PRAGMA foreign_keys", fk, sizeof fk, e)) != PGAL_OK)
		goto fail;
	/* a build without foreign keys would silently keep orphans */
	if (strcmp(fk, "1") != 0) {
		rc = pgal_fail(e, PGAL_EBACKEND, "sqlite: foreign keys unavailable");
		goto fail;
	}
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
