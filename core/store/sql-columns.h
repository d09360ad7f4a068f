/* The column lists both SQL stores select (sql/sqlite/ and sql/mysql/ have
 * the same tables and columns), in the order their row readers take them:
 * one list, so the SQLite and the MySQL reader cannot drift apart. */
#ifndef PGAL_SQL_COLUMNS_H
#define PGAL_SQL_COLUMNS_H

#define PGAL_SQL_USER_COLS "id, name, email, pwhash, confirmed, created_at, " \
	"code_hash, code_expires_at, code_tries, failed_logins, locked_until"
#define PGAL_SQL_ALBUM_COLS "id, user_id, name, title, description, " \
	"created_at, updated_at, photo_count, bytes"
#define PGAL_SQL_KEY_COLS "id, algo, fingerprint, comment, created_at"
/* an upload still being stored (records.h pgal_upload) */
#define PGAL_SQL_UPLOAD_COLS "album, name, holder, bytes, queued_at, mtime, sha256, until_at"
/* a photo (p) with the name of its album (a) */
#define PGAL_SQL_PHOTO_COLS "p.id, p.album_id, p.user_id, a.name, p.name, " \
	"p.title, p.description, p.tags, p.mime, p.width, p.height, p.bytes, " \
	"p.sha256, p.blob_id, p.added_at, p.sort_taken, p.exif_make, " \
	"p.exif_model, p.exif_lens, p.exif_exposure_time, p.exif_f_number, " \
	"p.exif_iso, p.exif_focal_length, p.exif_orientation, " \
	"p.exif_taken_at, p.gps_present, p.gps_lat, p.gps_lon, p.gps_alt, " \
	"p.md5, p.sha1, p.mtime"

#endif
