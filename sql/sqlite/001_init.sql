-- pgal metadata, SQLite dialect, version 1.
-- Applied by core/store/sqlite/sqlite.c inside one transaction; PRAGMA
-- user_version records it. Times are unix seconds. STRICT so a column never
-- holds a value of another type.

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	email TEXT NOT NULL,
	pwhash TEXT NOT NULL,
	confirmed INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	code_hash TEXT NOT NULL DEFAULT '',
	code_expires_at INTEGER NOT NULL DEFAULT 0,
	code_tries INTEGER NOT NULL DEFAULT 0,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;

-- token_hash is the SHA-256 (hex) of the token; the token itself is never stored.
CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- photo_count and bytes are kept by the triggers below, so listing albums
-- costs one row read per album whatever their size.
CREATE TABLE albums (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	photo_count INTEGER NOT NULL DEFAULT 0,
	bytes INTEGER NOT NULL DEFAULT 0,
	UNIQUE (user_id, name)
) STRICT;

-- exif_taken_at is NULL when unknown; gps_* only mean something when
-- gps_present is 1 (gps_alt NULL: unknown altitude).
CREATE TABLE photos (
	id INTEGER PRIMARY KEY,
	album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	tags TEXT NOT NULL DEFAULT '',
	mime TEXT NOT NULL,
	width INTEGER NOT NULL,
	height INTEGER NOT NULL,
	bytes INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	blob_id TEXT NOT NULL UNIQUE,
	added_at INTEGER NOT NULL,
	sort_taken INTEGER NOT NULL,
	exif_make TEXT NOT NULL DEFAULT '',
	exif_model TEXT NOT NULL DEFAULT '',
	exif_lens TEXT NOT NULL DEFAULT '',
	exif_exposure_time TEXT NOT NULL DEFAULT '',
	exif_f_number REAL,
	exif_iso INTEGER NOT NULL DEFAULT 0,
	exif_focal_length REAL,
	exif_orientation INTEGER NOT NULL DEFAULT 0,
	exif_taken_at INTEGER,
	gps_present INTEGER NOT NULL DEFAULT 0,
	gps_lat REAL,
	gps_lon REAL,
	gps_alt REAL,
	UNIQUE (album_id, name)
) STRICT;
-- keyset pagination: one index per sort order, id breaks ties
CREATE INDEX photos_album_taken ON photos(album_id, sort_taken, id);
CREATE INDEX photos_album_added ON photos(album_id, added_at, id);
CREATE INDEX photos_album_title ON photos(album_id, title, id);
-- duplicate check, and the user's photos newest first for search
CREATE INDEX photos_user_sha ON photos(user_id, sha256);
CREATE INDEX photos_user_added ON photos(user_id, added_at, id);

-- one row per tag of a photo, mirroring photos.tags for lookups by tag
CREATE TABLE photo_tags (
	photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	PRIMARY KEY (photo_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX photo_tags_tag ON photo_tags(tag);

CREATE TABLE ssh_keys (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	algo TEXT NOT NULL,
	key_base64 TEXT NOT NULL,
	comment TEXT NOT NULL DEFAULT '',
	fingerprint TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	UNIQUE (user_id, fingerprint)
) STRICT;

CREATE TRIGGER photos_count_insert AFTER INSERT ON photos
BEGIN
	UPDATE albums SET photo_count = photo_count + 1, bytes = bytes + new.bytes
	    WHERE id = new.album_id;
END;

CREATE TRIGGER photos_count_delete AFTER DELETE ON photos
BEGIN
	UPDATE albums SET photo_count = photo_count - 1, bytes = bytes - old.bytes
	    WHERE id = old.album_id;
END;

CREATE TRIGGER photos_count_update AFTER UPDATE OF album_id, bytes ON photos
BEGIN
	UPDATE albums SET photo_count = photo_count - 1, bytes = bytes - old.bytes
	    WHERE id = old.album_id;
	UPDATE albums SET photo_count = photo_count + 1, bytes = bytes + new.bytes
	    WHERE id = new.album_id;
END;
