-- Version 4: marks, named moments every process and host of a gallery
-- shares (login throttles, mail limits, live confirmation codes). A mark
-- whose until_at has passed counts as absent; gc prunes them.
CREATE TABLE marks (
	name TEXT PRIMARY KEY,
	until_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX marks_until ON marks(until_at);

-- gc finds the accounts that never confirmed
CREATE INDEX users_unconfirmed ON users(confirmed, created_at);
