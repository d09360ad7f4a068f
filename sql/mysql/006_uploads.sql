-- Version 6: uploads some host has accepted and is still storing (its
-- ingest queue), so that the user's commands on every host wait for them
-- and every host lists them with their size. holder names the process
-- that stores it; a row whose until_at has passed counts as absent (the
-- holder refreshes it while it works, so a dead host holds nothing past it).
CREATE TABLE IF NOT EXISTS uploads (
	user_id BIGINT NOT NULL,
	album VARBINARY(255) NOT NULL,
	name VARBINARY(255) NOT NULL,
	holder VARBINARY(128) NOT NULL,
	bytes BIGINT NOT NULL,
	queued_at BIGINT NOT NULL,
	mtime BIGINT NOT NULL,
	sha256 VARBINARY(64) NOT NULL,
	until_at BIGINT NOT NULL,
	PRIMARY KEY (user_id, album, name, holder),
	KEY uploads_holder (user_id, holder)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
