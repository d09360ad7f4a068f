-- Version 5: an account's preferences (how its previews are drawn...),
-- one row each, kept with the account so they follow the user to every
-- host. The core checks names and values (core/prefs.c).
CREATE TABLE IF NOT EXISTS user_prefs (
	user_id BIGINT NOT NULL,
	name VARBINARY(32) NOT NULL,
	value VARBINARY(32) NOT NULL,
	PRIMARY KEY (user_id, name),
	CONSTRAINT user_prefs_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
	    ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
