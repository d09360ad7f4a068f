-- A photo's file time over SFTP as the client set it (put -p, rclone's
-- modtime), stable from then on; 0: the time it was added.
ALTER TABLE photos ADD COLUMN mtime INTEGER NOT NULL DEFAULT 0;
