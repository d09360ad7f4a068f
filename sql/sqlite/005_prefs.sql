-- Version 5: an account's preferences (how its previews are drawn...),
-- one row each, kept with the account so they follow the user to every
-- host. The core checks names and values (core/prefs.c).
CREATE TABLE user_prefs (
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (user_id, name)
) STRICT, WITHOUT ROWID;
