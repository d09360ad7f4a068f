/* SQLite store: the text of every statement, prepared once per handle
 * when it opens (sqlite.c), by its ST_ number. */

#include "store/sqlite/sqlite-int.h"

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
