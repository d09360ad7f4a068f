/* MySQL store: the text of every statement prepared once per connection
 * (stmt.c prepares them on first use, by their MS_ number). */

#include "store/mysql/mysql-int.h"

const char *const my_sql[MS_COUNT] = {
	[MS_USER_INSERT] = "INSERT INTO users (name, email, pwhash, confirmed, "
	    "created_at, code_hash, code_expires_at, code_tries, failed_logins, "
	    "locked_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[MS_USER_BY_NAME] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE name = ?",
	[MS_USER_BY_ID] = "SELECT " PGAL_SQL_USER_COLS " FROM users WHERE id = ?",
	[MS_USER_UPDATE] = "UPDATE users SET email = ?, pwhash = ?, confirmed = ?, "
	    "code_hash = ?, code_expires_at = ?, code_tries = ?, "
	    "failed_logins = ?, locked_until = ? WHERE id = ?",
	/* the foreign keys cascade to sessions, albums, photos, tags, keys */
	[MS_USER_DELETE] = "DELETE FROM users WHERE id = ?",

	[MS_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, "
	    "created_at, last_seen) VALUES (?, ?, ?, ?)",
	[MS_SESSION_GET] = "SELECT token_hash, user_id, created_at, last_seen "
	    "FROM sessions WHERE token_hash = ?",
	[MS_SESSION_TOUCH] = "UPDATE sessions SET last_seen = ? WHERE token_hash = ?",
	[MS_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?",
	[MS_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?",
	[MS_SESSION_DELETE_USER_KEEP] = "DELETE FROM sessions WHERE user_id = ? "
	    "AND token_hash <> ?",

	[MS_ALBUM_INSERT] = "INSERT INTO albums (user_id, name, title, "
	    "description, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
	[MS_ALBUM_GET] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
	    "WHERE user_id = ? AND name = ?",
	[MS_ALBUM_LIST] = "SELECT " PGAL_SQL_ALBUM_COLS " FROM albums "
	    "WHERE user_id = ? ORDER BY name",
	[MS_ALBUM_UPDATE] = "UPDATE albums SET name = ?, title = ?, "
	    "description = ?, updated_at = ? WHERE id = ?",
	/* photos, tags cascade */
	[MS_ALBUM_DELETE] = "DELETE FROM albums WHERE id = ?",
	[MS_ALBUM_TOUCH] = "UPDATE albums SET updated_at = ? WHERE id = ?",
	[MS_ALBUM_ADD] = "UPDATE albums SET photo_count = photo_count + ?, "
	    "bytes = bytes + ?, updated_at = ? WHERE id = ?",

	[MS_PHOTO_INSERT] = "INSERT INTO photos (album_id, user_id, name, "
	    "title, description, tags, mime, width, height, bytes, sha256, "
	    "blob_id, added_at, sort_taken, exif_make, exif_model, exif_lens, "
	    "exif_exposure_time, exif_f_number, exif_iso, exif_focal_length, "
	    "exif_orientation, exif_taken_at, gps_present, gps_lat, gps_lon, "
	    "gps_alt, md5, sha1, mtime) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[MS_PHOTO_GET] = "SELECT " PGAL_SQL_PHOTO_COLS MY_PHOTO_FROM
	    "WHERE p.album_id = ? AND p.name = ?",
	[MS_PHOTO_LOCK] = "SELECT album_id, bytes FROM photos WHERE id = ? FOR UPDATE",
	[MS_PHOTO_UPDATE] = "UPDATE photos SET name = ?, album_id = ?, "
	    "title = ?, description = ?, tags = ?, mtime = ? WHERE id = ?",
	[MS_PHOTO_DELETE] = "DELETE FROM photos WHERE id = ?",
	[MS_PHOTO_SET_DIGESTS] = "UPDATE photos SET md5 = ?, sha1 = ? WHERE id = ?",
	[MS_PHOTO_SHA] = "SELECT " PGAL_SQL_PHOTO_COLS MY_PHOTO_FROM
	    "WHERE p.user_id = ? AND p.sha256 = ? ORDER BY p.id LIMIT 1",

	[MS_TAGS_CLEAR] = "DELETE FROM photo_tags WHERE photo_id = ?",
	/* not INSERT IGNORE: that would also swallow real errors */
	[MS_TAG_INSERT] = "INSERT INTO photo_tags (photo_id, tag) VALUES (?, ?) "
	    "ON DUPLICATE KEY UPDATE tag = tag",

	[MS_BLOBS_USER] = "SELECT blob_id FROM photos WHERE user_id = ?",
	[MS_BLOBS_ALBUM] = "SELECT blob_id FROM photos WHERE album_id = ?",
	[MS_BLOB_USED] = "SELECT 1 FROM photos WHERE blob_id = ? LIMIT 1",

	[MS_KEY_INSERT] = "INSERT INTO ssh_keys (user_id, algo, key_base64, "
	    "comment, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)",
	[MS_KEY_LIST] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys WHERE user_id = ? "
	    "ORDER BY created_at, id",
	[MS_KEY_FIND] = "SELECT " PGAL_SQL_KEY_COLS " FROM ssh_keys "
	    "WHERE user_id = ? AND fingerprint = ?",
	[MS_KEY_DELETE] = "DELETE FROM ssh_keys WHERE user_id = ? AND fingerprint = ?",

	[MS_USERS_UNCONFIRMED] = "SELECT id FROM users WHERE confirmed = 0 "
	    "AND created_at < ? ORDER BY id",
	[MS_MARK_GET] = "SELECT until_at FROM marks WHERE name = ? AND until_at > ?",
	/* the row stays locked until the transaction's MS_MARK_READ */
	[MS_MARK_ADD] = "INSERT INTO marks (name, until_at) VALUES (?, ? + ?) "
	    "ON DUPLICATE KEY UPDATE until_at = GREATEST(until_at, ?) + ?",
	[MS_MARK_READ] = "SELECT until_at FROM marks WHERE name = ?",
	[MS_MARK_INSERT] = "INSERT IGNORE INTO marks (name, until_at) VALUES (?, ?)",
	[MS_MARK_TAKE] = "UPDATE marks SET until_at = ? WHERE name = ? AND until_at <= ?",
	[MS_MARK_DELETE] = "DELETE FROM marks WHERE name = ?",
	[MS_MARK_PRUNE] = "DELETE FROM marks WHERE until_at <= ?",
	[MS_UPLOAD_PUT] = "INSERT INTO uploads (user_id, album, name, holder, bytes, queued_at, "
	    "mtime, sha256, until_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE bytes = VALUES(bytes), queued_at = VALUES(queued_at), "
	    "mtime = VALUES(mtime), sha256 = VALUES(sha256), until_at = VALUES(until_at)",
	[MS_UPLOAD_TOUCH] = "UPDATE uploads SET until_at = ? WHERE user_id = ? AND holder = ?",
	[MS_UPLOAD_DELETE] = "DELETE FROM uploads WHERE user_id = ? AND "
	    "((album = ? AND name = ? AND holder = ?) OR until_at <= ?)",
	[MS_UPLOAD_LIST] = "SELECT " PGAL_SQL_UPLOAD_COLS " FROM uploads WHERE user_id = ? "
	    "AND (? IS NULL OR album = ?) AND until_at > ? ORDER BY album, name, holder",
	[MS_PREF_LIST] = "SELECT name, value FROM user_prefs WHERE user_id = ? ORDER BY name",
	[MS_PREF_SET] = "INSERT INTO user_prefs (user_id, name, value) VALUES (?, ?, ?) "
	    "ON DUPLICATE KEY UPDATE value = VALUES(value)",
};
