#!/bin/sh
# pgal init against real peers: it creates what is missing (SQLite and MySQL
# schemas, DynamoDB tables), checks the bucket, prints one line per backend,
# and is safe to run again. A backend that cannot be reached fails init and
# every other command with exit 4 and a message naming that backend.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
setup_home
DB="$T/mariadb"
peers_init 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1'
peer_start S3 s3rver s3rver
peer_start DDB dynalite dynalite
# SES as a new account has it (sending, sandbox), one with production
# access, and one whose sending AWS paused
peer_start SES aws-ses-v2-local ses
acct() {
	printf '{"DedicatedIpAutoWarmupEnabled":false,"Details":{"AdditionalContactEmailAddresses":[],"ContactLanguage":"EN","MailType":"TRANSACTIONAL","ReviewDetails":{"CaseId":"","Status":"GRANTED"},"UseCaseDescription":"","WebsiteURL":""},"EnforcementStatus":"%s","ProductionAccessEnabled":%s,"SendingEnabled":%s,"SendQuota":{"Max24HourSend":%s,"MaxSendRate":%s,"SentLast24Hours":0},"SuppressionAttributes":{"SuppressedReasons":[]}}' "$@"
}
AWS_SES_ACCOUNT=$(acct HEALTHY true true 50000 14) peer_start SES_PROD "aws-ses-v2-local (production)" ses ses-prod
AWS_SES_ACCOUNT=$(acct SHUTDOWN true false 50000 14) peer_start SES_PAUSED "aws-ses-v2-local (paused)" ses ses-paused
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - mariadb did not start"; exit 1; }
aws_env S3RVER init-secret-P3x
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3" AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB"
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES"

# the newest migration of a SQL backend and its tables, from the files
newest() {
	ls "$top/sql/$1" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1
}
# (less those a table rebuild renames away: 007 makes users_new, then users)
tables() {
	cat "$top/sql/$1"/*.sql | sed -n 's/^CREATE TABLE \(IF NOT EXISTS \)\{0,1\}\([a-z_]*\).*/\2/p' | sort -u |
		grep -vxF "$(cat "$top/sql/$1"/*.sql | sed -n 's/^ALTER TABLE \([a-z_]*\) RENAME TO .*/\1/p')"
}
# a port nothing listens on
dead_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
has_line() {
	grep -qx "$1" "$T/out"
}

# ---- sqlite + fs + outbox (the defaults) ----
ok "init on an empty home" "$PGAL" init
check "three lines, one per backend" '[ "$(wc -l < "$T/out")" -eq 3 ]'
check "store sqlite: ok at the newest schema version" 'has_line "store sqlite: ok (schema version $(newest sqlite), $PGAL_HOME/pgal.db)"'
check "blobs fs: the folder is writable" 'has_line "blobs fs: folder $PGAL_HOME/blobs writable"'
check "mail outbox: the folder is writable" 'grep -q "^mail outbox: folder $PGAL_HOME/outbox writable" "$T/out"'
check "the database has every table of the schema" 'for t in $(tables sqlite); do python3 -c "import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
sys.exit(0 if c.execute(\"SELECT 1 FROM sqlite_master WHERE type = ? AND name = ?\", (\"table\", sys.argv[2])).fetchone() else 1)" "$PGAL_HOME/pgal.db" "$t" || exit 1; done'
ok "init again changes nothing and says the same" "$PGAL" init
check "same three lines" '[ "$(wc -l < "$T/out")" -eq 3 ] && has_line "store sqlite: ok (schema version $(newest sqlite), $PGAL_HOME/pgal.db)"'
expect_rc 4 "a blobs folder that cannot be written" env PGAL_BLOBS_DIR=/proc/pgal-blobs "$PGAL" init
check "names blobs fs" 'grep -q "^pgal: blobs fs: " "$T/err"'

# ---- mysql ----
. "$DB/mariadb.env"
ok "init with store = mysql" env PGAL_STORE=mysql "$PGAL" init
check "store mysql: ok at the newest schema version, naming the database" 'has_line "store mysql: ok (schema version $(newest mysql), database '"'"'pgal_test'"'"' on 127.0.0.1:$PGAL_MYSQL_PORT)"'
check "every table of the schema is in the database" 'have=$(sh "$here/mariadb.sh" sql "$DB" "SHOW TABLES FROM pgal_test"); for t in $(tables mysql); do echo "$have" | grep -qx "$t" || exit 1; done'
check "the password is not shown" '! grep -q "$PGAL_MYSQL_PASSWORD" "$T/out" "$T/err"'
ok "init again on the migrated database" env PGAL_STORE=mysql "$PGAL" init
DEAD=$(dead_port)
# a database the old gallery (the Flask app) already uses: its own albums
# and photos tables, photos pointing at albums
sh "$here/mariadb.sh" sql "$DB" "CREATE DATABASE pgal_flask;
  CREATE TABLE pgal_flask.albums (albumID VARCHAR(36) PRIMARY KEY, name VARCHAR(255) NOT NULL,
    description TEXT, thumbnailURL TEXT, createdAt DATETIME) ENGINE=InnoDB;
  CREATE TABLE pgal_flask.photos (photoID VARCHAR(36) PRIMARY KEY, albumID VARCHAR(36) NOT NULL,
    title VARCHAR(255), description TEXT, tags TEXT, photoURL TEXT, EXIFData TEXT,
    createdAt DATETIME, FOREIGN KEY (albumID) REFERENCES albums(albumID)) ENGINE=InnoDB;
  INSERT INTO pgal_flask.albums VALUES ('a1', 'Holidays', 'the old one', NULL, NOW());
  INSERT INTO pgal_flask.photos VALUES ('p1', 'a1', 'beach', NULL, 'sea', 's3://old/p1.jpg', NULL, NOW())"
flask_state() {
	sh "$here/mariadb.sh" sql "$DB" "SELECT GROUP_CONCAT(table_name ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'pgal_flask';
	  SELECT COUNT(*) FROM pgal_flask.albums; SELECT COUNT(*) FROM pgal_flask.photos; SHOW CREATE TABLE pgal_flask.albums; SHOW CREATE TABLE pgal_flask.photos"
}
flask_state > "$T/flask-before"
expect_rc 4 "init on a database holding the old gallery's tables: refused" env PGAL_STORE=mysql PGAL_MYSQL_DATABASE=pgal_flask "$PGAL" init
check "naming the tables in the way and the way out" 'grep -q "^pgal: store mysql: MySQL: the database already has tables named like pgal.s (albums, photos).*nothing was changed.*database of its own (mysql_database)" "$T/err"'
flask_state > "$T/flask-after"
check "the database is exactly as it was: no table added, none changed, rows kept" 'cmp -s "$T/flask-before" "$T/flask-after"'
expect_rc 4 "again: the same answer (nothing half applied)" env PGAL_STORE=mysql PGAL_MYSQL_DATABASE=pgal_flask "$PGAL" init
check "the same tables named" 'grep -q "(albums, photos)" "$T/err"'
expect_rc 4 "unreachable MySQL: init fails" env PGAL_STORE=mysql PGAL_MYSQL_PORT="$DEAD" "$PGAL" init
check "naming the store and where it tried" 'grep -q "^pgal: store mysql: .*127.0.0.1:$DEAD" "$T/err"'
check "nothing on stdout" '[ ! -s "$T/out" ]'
# a token is there, so the command gets as far as opening the backends
TOK=$(printf '%064d' 0)
expect_rc 4 "unreachable MySQL: any other command fails the same" env PGAL_TOKEN="$TOK" PGAL_STORE=mysql PGAL_MYSQL_PORT="$DEAD" "$PGAL" albums
check "naming the store" 'grep -q "^pgal: store mysql: " "$T/err"'
expect_rc 4 "a wrong MySQL password names the store" env PGAL_STORE=mysql PGAL_MYSQL_PASSWORD=wrong-password "$PGAL" init
check "without the password" 'grep -q "^pgal: store mysql: " "$T/err" && ! grep -q wrong-password "$T/err"'

# ---- contrib/rds/bootstrap.sql: its account is enough to run pgal ----
BOOTPW=boot-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
# another database and account name than the test's own; no TLS here
sed -e "s/CHANGE-ME-PASSWORD/$BOOTPW/" -e 's/`pgal`/`boot_db`/g' -e "s/'pgal'@/'boot_user'@/g" \
    -e '/REQUIRE SSL/d' "$top/contrib/rds/bootstrap.sql" > "$T/boot.sql"
ok "bootstrap.sql runs as the admin" sh "$here/mariadb.sh" sql "$DB" "$(cat "$T/boot.sql")"
ok "bootstrap.sql runs again (idempotent)" sh "$here/mariadb.sh" sql "$DB" "$(cat "$T/boot.sql")"
BOOT="PGAL_STORE=mysql PGAL_MYSQL_USER=boot_user PGAL_MYSQL_PASSWORD=$BOOTPW PGAL_MYSQL_DATABASE=boot_db PGAL_HOME=$T/boot"
ok "its account runs pgal init (the migrations)" env $BOOT "$PGAL" init
check "at the newest schema version" 'grep -q "^store mysql: ok (schema version $(newest mysql), database '"'"'boot_db'"'"'" "$T/out"'
ok "and the whole account flow: signup" env $BOOT PGAL_PASSWORD=boot-password-1 "$PGAL" signup bootie bootie@example.org
ok "confirm" env $BOOT "$PGAL" confirm bootie "$(PGAL_HOME=$T/boot outbox_code)"
ok "login" env $BOOT PGAL_PASSWORD=boot-password-1 XDG_CONFIG_HOME="$T/bootxdg" "$PGAL" login bootie
ok "mkalbum, put, rmalbum (cascades)" env $BOOT XDG_CONFIG_HOME="$T/bootxdg" sh -c '"$0" mkalbum a && "$0" put a "$1" && "$0" rmalbum a --yes' "$PGAL" "$FIX/nikon-d2h-gps.jpg"
check "its grants: no DROP, nothing beyond its database" 'g=$(sh "$here/mariadb.sh" sql "$DB" "SHOW GRANTS FOR '"'"'boot_user'"'"'@'"'"'%'"'"'"); ! echo "$g" | grep -qi "DROP\|ALL PRIVILEGES\|ON \*\.\*.*SELECT"'

# ---- dynamodb: init creates both tables ----
ddb_tables() {
	curl -s --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user "x:y" \
	    -H "X-Amz-Target: DynamoDB_20120810.ListTables" \
	    -H "Content-Type: application/x-amz-json-1.0" -d '{}' "http://127.0.0.1:$DDB/"
}
check "dynalite starts with no table" 'ddb_tables | python3 -c "import json, sys; sys.exit(0 if json.load(sys.stdin)[\"TableNames\"] == [] else 1)"'
ok "init with store = dynamodb" env PGAL_STORE=dynamodb PGAL_DYNAMODB_TABLE=InitGallery PGAL_DYNAMODB_USERS_TABLE=InitUsers "$PGAL" init
check "store dynamodb: both tables active, created now" 'grep -q "^store dynamodb: ok (tables .InitGallery. and .InitUsers. active; created InitUsers, InitGallery; " "$T/out"'
check "and they exist in DynamoDB" 'ddb_tables | python3 -c "import json, sys; sys.exit(0 if sorted(json.load(sys.stdin)[\"TableNames\"]) == [\"InitGallery\", \"InitUsers\"] else 1)"'
ok "init again with the tables there" env PGAL_STORE=dynamodb PGAL_DYNAMODB_TABLE=InitGallery PGAL_DYNAMODB_USERS_TABLE=InitUsers "$PGAL" init
# tables made by contrib/dynamodb/create-tables.sh (AWS CLI) are ones pgal accepts
# (Debian's AWS CLI, first on PATH, as an operator's would be)
aws_cli() {
	PATH=/usr/bin:$PATH "$@"
}
ok "contrib/dynamodb/create-tables.sh makes the tables (AWS CLI)" aws_cli sh "$top/contrib/dynamodb/create-tables.sh" CliGallery CliUsers
check "it created both" 'grep -qx "table CliUsers created" "$T/out" && grep -qx "table CliGallery created" "$T/out"'
ok "pgal init accepts them (keys and indexes checked)" env PGAL_STORE=dynamodb PGAL_DYNAMODB_TABLE=CliGallery PGAL_DYNAMODB_USERS_TABLE=CliUsers "$PGAL" init
ok "the script runs again over existing tables" aws_cli sh "$top/contrib/dynamodb/create-tables.sh" CliGallery CliUsers
expect_rc 4 "unreachable DynamoDB names the store" env PGAL_STORE=dynamodb AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DEAD" "$PGAL" init
check "naming it" 'grep -q "^pgal: store dynamodb: " "$T/err"'

# ---- s3 ----
export PGAL_S3_PATH_STYLE=yes PGAL_S3_PREFIX=init/
ok "init with blobs = s3" env PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test "$PGAL" init
check "blobs s3: the bucket is reachable (the lifecycle rule not asked: s3rver has none)" 'has_line "blobs s3: bucket '"'"'pgal-test'"'"' reachable (prefix '"'"'init/'"'"'); lifecycle rule for unfinished uploads: not asked (s3_abort_incomplete_uploads = no)"'
expect_rc 4 "an unreachable S3 endpoint: init fails" env PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test AWS_ENDPOINT_URL_S3="http://127.0.0.1:$DEAD" "$PGAL" init
check "naming blobs s3 and the endpoint" 'grep -q "^pgal: blobs s3: .*http://127.0.0.1:$DEAD unreachable" "$T/err"'
check "the secret key is not shown" '! grep -q init-secret-P3x "$T/out" "$T/err"'
expect_rc 4 "a missing bucket: init fails" env PGAL_BLOBS=s3 PGAL_S3_BUCKET=no-such-bucket "$PGAL" init
check "naming blobs s3 and the bucket" 'grep -q "^pgal: blobs s3: S3 bucket no-such-bucket does not exist" "$T/err"'
expect_rc 4 "the same for any command" env PGAL_TOKEN="$TOK" PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test AWS_ENDPOINT_URL_S3="http://127.0.0.1:$DEAD" "$PGAL" albums
check "naming blobs s3" 'grep -q "^pgal: blobs s3: " "$T/err"'

# ---- mail ----
ok "init with mail = smtp" env PGAL_MAIL=smtp PGAL_SMTP_URL="smtp://user:pw@mail.example.org:587" PGAL_MAIL_FROM="pgal <noreply@example.org>" "$PGAL" init
check "mail smtp: the server without the login in the URL" 'grep -q "^mail smtp: configured (server mail.example.org:587, from pgal <noreply@example.org>" "$T/out" && ! grep -q "pw@" "$T/out"'
expect_rc 5 "a bad smtp_url names mail smtp" env PGAL_MAIL=smtp PGAL_SMTP_URL="http://x" "$PGAL" init
check "naming it" 'grep -q "^pgal: mail smtp: smtp_url: " "$T/err"'
ok "init with mail = ses" env PGAL_MAIL=ses PGAL_MAIL_FROM="pgal <noreply@example.org>" "$PGAL" init
check "mail ses: configured, from and region" 'grep -q "^mail ses: configured (from pgal <noreply@example.org>, region " "$T/out"'
check "SES was asked: sending enabled, and the sandbox named" 'grep -q "^mail ses: .*sending enabled, but in the SES sandbox: mail reaches verified addresses only, 200 a day" "$T/out"'
ok "an account with production access" env PGAL_MAIL=ses PGAL_MAIL_FROM="pgal <noreply@example.org>" AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES_PROD" "$PGAL" init
check "says its quota, no sandbox" 'grep -q "^mail ses: .*sending enabled, up to 50000 a day, 14 a second)$" "$T/out" && ! grep -q sandbox "$T/out"'
expect_rc 4 "an account whose sending is paused: init fails" env PGAL_MAIL=ses PGAL_MAIL_FROM="pgal <noreply@example.org>" AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES_PAUSED" "$PGAL" init
check "saying so" 'grep -q "^pgal: mail ses: SES: sending is paused for this account" "$T/err"'
expect_rc 4 "an unreachable SES: init fails (it said \"configured\")" env PGAL_MAIL=ses PGAL_MAIL_FROM="pgal <noreply@example.org>" AWS_ENDPOINT_URL_SES="http://127.0.0.1:$(dead_port)" "$PGAL" init
check "naming mail ses" 'grep -q "^pgal: mail ses: SES GetAccount: " "$T/err"'

# ---- the full production combination at once ----
ok "mysql + s3 + ses" env PGAL_STORE=mysql PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_MAIL=ses "$PGAL" init
check "one line each" '[ "$(wc -l < "$T/out")" -eq 3 ] && grep -q "^store mysql: ok" "$T/out" && grep -q "^blobs s3: " "$T/out" && grep -q "^mail ses: " "$T/out"'
done_testing
