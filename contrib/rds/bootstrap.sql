-- pgal on RDS MySQL 8 (or MariaDB): the database and a least-privilege
-- account, run once as the RDS master user:
--   mysql -h HOST -u admin -p --ssl-mode=VERIFY_IDENTITY \
--       --ssl-ca=/etc/pgal/rds-global-bundle.pem < contrib/rds/bootstrap.sql
-- Replace CHANGE-ME-PASSWORD first (and the names, if you change
-- mysql_database / mysql_user in pgal.conf). The tables come from
-- `pgal init` (migrations in sql/mysql/, compiled into pgal), not from here.
--
-- The account gets data rights plus the DDL the migrations use (CREATE,
-- ALTER, INDEX, REFERENCES for foreign keys) on this database only: no
-- DROP, no FILE, no SUPER, nothing on other databases. GET_LOCK, which
-- serializes migrations between hosts, needs no privilege.

CREATE DATABASE IF NOT EXISTS `pgal` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

CREATE USER IF NOT EXISTS 'pgal'@'%' IDENTIFIED BY 'CHANGE-ME-PASSWORD';

GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, REFERENCES
    ON `pgal`.* TO 'pgal'@'%';

-- Only over TLS (pgal.conf: mysql_ssl_ca makes pgal verify the server too).
ALTER USER 'pgal'@'%' REQUIRE SSL;
