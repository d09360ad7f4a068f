-- Version 6: uploads some host has accepted and is still storing (its
-- ingest queue), so that the user's commands on every host wait for them
-- and every host lists them with their size. holder names the process
-- that stores it; a row whose until_at has passed counts as absent (the
-- holder refreshes it while it works, so a dead host holds nothing past it).
CREATE TABLE uploads (
	user_id INTEGER NOT NULL,
	album TEXT NOT NULL,
	name TEXT NOT NULL,
	holder TEXT NOT NULL,
	bytes INTEGER NOT NULL,
	queued_at INTEGER NOT NULL,
	mtime INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	until_at INTEGER NOT NULL,
	PRIMARY KEY (user_id, album, name, holder)
) STRICT, WITHOUT ROWID;
CREATE INDEX uploads_holder ON uploads(user_id, holder);
