-- version 2: the MD5 and SHA-1 of each original, which sync tools check
-- files by (rclone runs md5sum and sha1sum over SSH). Rows stored before
-- keep '' until the digests are first asked for: the core then hashes the
-- original once and saves them (core/photo-digests.c). One statement, so
-- it is applied whole or not at all (ADD COLUMN has no IF NOT EXISTS in
-- MySQL 8).
ALTER TABLE photos ADD COLUMN md5 VARBINARY(32) NOT NULL DEFAULT '', ADD COLUMN sha1 VARBINARY(40) NOT NULL DEFAULT '';
