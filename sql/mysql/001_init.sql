-- pgal metadata, MySQL 8 / MariaDB dialect, version 1.
-- Applied by core/store/mysql/migrate.c while holding GET_LOCK, so hosts starting
-- together do not race; the table schema_migrations records it. DDL commits
-- on its own in MySQL, so every statement is IF NOT EXISTS: a migration cut
-- short is finished by the next start. The store splits this file at lines
-- ending in ';'. Times are unix seconds.
--
-- Identifiers the core compares exactly (user, album and photo names, tags,
-- hashes, blob ids, fingerprints) are VARBINARY: byte for byte, no collation
-- and no PAD SPACE ('a' and 'a ' differ), the same as SQLite. Display text
-- is utf8mb4_bin, which sorts by code point (the bytes' order, like
-- SQLite's BINARY) for keyset pages by title; search lowercases both sides.
--
-- albums.photo_count and bytes are kept by the store in the transaction that
-- changes the photo: InnoDB fires no trigger for cascaded deletes, and RDS
-- with binary logging refuses CREATE TRIGGER to users without SUPER.

CREATE TABLE IF NOT EXISTS users (
	id BIGINT NOT NULL AUTO_INCREMENT,
	name VARBINARY(32) NOT NULL,
	email VARCHAR(254) NOT NULL,
	pwhash VARBINARY(160) NOT NULL,
	confirmed TINYINT NOT NULL DEFAULT 0,
	created_at BIGINT NOT NULL,
	code_hash VARBINARY(64) NOT NULL DEFAULT '',
	code_expires_at BIGINT NOT NULL DEFAULT 0,
	code_tries INT NOT NULL DEFAULT 0,
	failed_logins INT NOT NULL DEFAULT 0,
	locked_until BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (id),
	UNIQUE KEY users_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- token_hash is the SHA-256 (hex) of the token; the token itself is never stored.
CREATE TABLE IF NOT EXISTS sessions (
	token_hash VARBINARY(64) NOT NULL,
	user_id BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	last_seen BIGINT NOT NULL,
	PRIMARY KEY (token_hash),
	KEY sessions_user (user_id),
	CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS albums (
	id BIGINT NOT NULL AUTO_INCREMENT,
	user_id BIGINT NOT NULL,
	name VARBINARY(64) NOT NULL,
	title VARCHAR(200) NOT NULL DEFAULT '',
	description TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	photo_count BIGINT NOT NULL DEFAULT 0,
	bytes BIGINT NOT NULL DEFAULT 0,
	PRIMARY KEY (id),
	UNIQUE KEY albums_user_name (user_id, name),
	CONSTRAINT albums_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- exif_taken_at is NULL when unknown; gps_* only mean something when
-- gps_present is 1 (gps_alt NULL: unknown altitude). The unique key on
-- blob_id is named so that a conflict's message says "blob_id".
CREATE TABLE IF NOT EXISTS photos (
	id BIGINT NOT NULL AUTO_INCREMENT,
	album_id BIGINT NOT NULL,
	user_id BIGINT NOT NULL,
	name VARBINARY(128) NOT NULL,
	title VARCHAR(200) NOT NULL DEFAULT '',
	description TEXT NOT NULL,
	tags VARBINARY(512) NOT NULL DEFAULT '',
	mime VARBINARY(32) NOT NULL,
	width INT NOT NULL,
	height INT NOT NULL,
	bytes BIGINT NOT NULL,
	sha256 VARBINARY(64) NOT NULL,
	blob_id VARBINARY(32) NOT NULL,
	added_at BIGINT NOT NULL,
	sort_taken BIGINT NOT NULL,
	exif_make VARCHAR(64) NOT NULL DEFAULT '',
	exif_model VARCHAR(64) NOT NULL DEFAULT '',
	exif_lens VARCHAR(128) NOT NULL DEFAULT '',
	exif_exposure_time VARCHAR(24) NOT NULL DEFAULT '',
	exif_f_number DOUBLE NULL,
	exif_iso INT NOT NULL DEFAULT 0,
	exif_focal_length DOUBLE NULL,
	exif_orientation INT NOT NULL DEFAULT 0,
	exif_taken_at BIGINT NULL,
	gps_present TINYINT NOT NULL DEFAULT 0,
	gps_lat DOUBLE NULL,
	gps_lon DOUBLE NULL,
	gps_alt DOUBLE NULL,
	PRIMARY KEY (id),
	UNIQUE KEY photos_album_name (album_id, name),
	UNIQUE KEY blob_id (blob_id),
	-- keyset pagination: one index per sort order, id breaks ties
	KEY photos_album_taken (album_id, sort_taken, id),
	KEY photos_album_added (album_id, added_at, id),
	KEY photos_album_title (album_id, title, id),
	-- duplicate check, and the user's photos newest first for search
	KEY photos_user_sha (user_id, sha256),
	KEY photos_user_added (user_id, added_at, id),
	CONSTRAINT photos_album_fk FOREIGN KEY (album_id) REFERENCES albums (id)
	    ON DELETE CASCADE,
	CONSTRAINT photos_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- one row per tag of a photo, mirroring photos.tags for lookups by tag
CREATE TABLE IF NOT EXISTS photo_tags (
	photo_id BIGINT NOT NULL,
	tag VARBINARY(40) NOT NULL,
	PRIMARY KEY (photo_id, tag),
	KEY photo_tags_tag (tag),
	CONSTRAINT photo_tags_photo_fk FOREIGN KEY (photo_id) REFERENCES photos (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS ssh_keys (
	id BIGINT NOT NULL AUTO_INCREMENT,
	user_id BIGINT NOT NULL,
	algo VARBINARY(32) NOT NULL,
	key_base64 TEXT NOT NULL,
	comment VARCHAR(128) NOT NULL DEFAULT '',
	fingerprint VARBINARY(64) NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (id),
	UNIQUE KEY ssh_keys_user_fp (user_id, fingerprint),
	CONSTRAINT ssh_keys_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
