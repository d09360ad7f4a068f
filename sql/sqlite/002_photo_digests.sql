-- version 2: the MD5 and SHA-1 of each original, which sync tools check
-- files by (rclone runs md5sum and sha1sum over SSH). Rows stored before
-- keep '' until the digests are first asked for: the core then hashes the
-- original once and saves them (core/photo-digests.c).
ALTER TABLE photos ADD COLUMN md5 TEXT NOT NULL DEFAULT '';
ALTER TABLE photos ADD COLUMN sha1 TEXT NOT NULL DEFAULT '';
