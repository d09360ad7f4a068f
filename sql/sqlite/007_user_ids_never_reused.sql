-- Version 7: a deleted account's id is never given again. Marks (mail
-- limits, live codes, tries) are named by the account id, so an account
-- that got a cancelled one's id would inherit them, its still-live reset
-- codes included. A plain INTEGER PRIMARY KEY hands out max(id) + 1, the id
-- of the newest account once it is deleted; AUTOINCREMENT never does.
-- SQLite adds it only by rebuilding the table (its documented ALTER
-- procedure): the store runs migrations with foreign keys off and checks
-- them before the commit, so the rows that reference users stay as they are.
CREATE TABLE users_new (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO users_new (id, name, email, pwhash, confirmed, created_at, code_hash,
	code_expires_at, code_tries, failed_logins, locked_until)
    SELECT id, name, email, pwhash, confirmed, created_at, code_hash,
	code_expires_at, code_tries, failed_logins, locked_until FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_unconfirmed ON users(confirmed, created_at);

-- An account deleted before this version may have held the highest id and
-- left marks that still run: the first new id comes after every id a mark
-- names too ("mail-acct:ID", "mail-acct-day:ID", "pw-alert:ID",
-- "code-PURPOSE:ID:...", "code-tries:ID:..."; core/limits).
INSERT INTO sqlite_sequence (name, seq)
    SELECT 'users', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
-- Upload notes (uploads.user_id, no foreign key: they expire by
-- themselves) name an account too.
UPDATE sqlite_sequence SET seq = max(seq, coalesce((
	SELECT max(CAST(substr(name, instr(name, ':') + 1) AS INTEGER)) FROM marks
	    WHERE substr(name, 1, 10) = 'mail-acct:' OR substr(name, 1, 14) = 'mail-acct-day:'
		OR substr(name, 1, 9) = 'pw-alert:' OR substr(name, 1, 5) = 'code-'), 0),
	coalesce((SELECT max(user_id) FROM uploads), 0))
    WHERE name = 'users';
