-- Version 4: marks, named moments every process and host of a gallery
-- shares (login throttles, mail limits, live confirmation codes). A mark
-- whose until_at has passed counts as absent; gc prunes them. (MySQL 8 has
-- no CREATE INDEX IF NOT EXISTS: the index is part of the table.)
CREATE TABLE IF NOT EXISTS marks (
	name VARBINARY(200) NOT NULL,
	until_at BIGINT NOT NULL,
	PRIMARY KEY (name),
	KEY marks_until (until_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
