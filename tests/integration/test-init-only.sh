#!/bin/sh
# Only `pgal init` creates or changes tables. Against dynalite and MariaDB:
# before init (or with a typo in a table name) every command, pgal-sshd and
# pgal-tui fail with exit 4 and "table X does not exist; run pgal init" and
# create nothing (asked of the peers themselves: the AWS CLI's list-tables,
# MariaDB's information_schema); a MySQL schema one migration behind is
# named the same way; an init that fails half way takes back what it made;
# after init everything works.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
setup_home
DB="$T/mariadb"
peers_init 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1'
peer_start DDB dynalite dynalite
peer_start FAULTY "fault proxy" proxy ddb-proxy "$DDB"
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - mariadb did not start"; exit 1; }
aws_env AKIDINITONLY init-only-secret-Zq1
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB"
export PGAL_STORE=dynamodb
SSHD="$PGAL_BUILD/pgal-sshd"
TUI="$PGAL_BUILD/pgal-tui"
TOK=$(printf '%064d' 0)

awsc() {
	PATH=/usr/bin:$PATH aws --endpoint-url "$AWS_ENDPOINT_URL_DYNAMODB" "$@"
}
ddb_tables() {
	awsc dynamodb list-tables --query 'TableNames' --output text | tr '\t' ' '
}
sql() {
	sh "$here/mariadb.sh" sql "$DB" "$1"
}
# pgal-sshd on a free port: it must give up at start (or is stopped after
# 20 s, exit 124, when it listens instead)
sshd_start_rc() {
	printf 'home = %s\nssh_listen = 127.0.0.1\nssh_port = %s\n' "$PGAL_HOME" "$(free_port)" > "$T/sshd.conf"
	timeout 20 "$SSHD" -D -f "$T/sshd.conf" > "$T/sshd.out" 2>&1
}
# pgal-tui on a terminal (script gives it one); stopped after 20 s
tui_rc() {
	timeout 20 script -qefc "$TUI" "$T/tui.out" < /dev/null > /dev/null 2>&1
}

# ---- DynamoDB: nothing before init ----
expect_rc 4 "a command before pgal init fails (exit 4)" env PGAL_TOKEN="$TOK" "$PGAL" albums
check "naming the table and the way out" 'grep -q "^pgal: store dynamodb: DynamoDB table PhotoGalleryUsers does not exist; run pgal init$" "$T/err"'
check "no table was created (aws dynamodb list-tables)" '[ -z "$(ddb_tables)" ]'
sshd_start_rc
rc=$?
check "pgal-sshd refuses to start (exit $rc, wanted 4)" '[ "$rc" -eq 4 ]'
check "saying why on stderr" 'grep -q "pgal-sshd: store dynamodb: DynamoDB table PhotoGalleryUsers does not exist; run pgal init" "$T/sshd.out"'
tui_rc
rc=$?
check "pgal-tui refuses to start (exit $rc, wanted 4)" '[ "$rc" -eq 4 ]'
check "saying why" 'grep -q "pgal-tui: store dynamodb: DynamoDB table PhotoGalleryUsers does not exist; run pgal init" "$T/tui.out"'
check "still no table" '[ -z "$(ddb_tables)" ]'

# an init that fails half way (the second CreateTable refused) takes back
# the table it had made
curl -s -X POST "http://127.0.0.1:$FAULTY/__fault/fail?n=1&status=400&format=json&after=4" > /dev/null
expect_rc 4 "init whose second CreateTable fails" env AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$FAULTY" "$PGAL" init
curl -s -X POST "http://127.0.0.1:$FAULTY/__fault/stats" > "$T/stats"
check "the proxy refused exactly that call" 'grep -q "\"failed\": 1" "$T/stats"'
check "and no table is left behind" 'wait_until 20 sh -c "[ -z \"\$(PATH=/usr/bin:\$PATH aws --endpoint-url $AWS_ENDPOINT_URL_DYNAMODB dynamodb list-tables --query TableNames --output text)\" ]"'

# a gallery table made by someone else with other keys: refused before
# the users table is created
awsc dynamodb create-table --table-name Foreign --billing-mode PAY_PER_REQUEST \
    --attribute-definitions AttributeName=id,AttributeType=S \
    --key-schema AttributeName=id,KeyType=HASH > /dev/null
expect_rc 4 "init onto another key schema fails" env PGAL_DYNAMODB_TABLE=Foreign PGAL_DYNAMODB_USERS_TABLE=ForeignUsers "$PGAL" init
check "naming it" 'grep -q "table Foreign has another key schema" "$T/err"'
check "and the users table was not created" '[ "$(ddb_tables)" = Foreign ]'

ok "pgal init creates the tables" "$PGAL" init
check "both are there" '[ "$(ddb_tables)" = "Foreign PhotoGallery PhotoGalleryUsers" ]'
ok "then a user signs up" env PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
expect_rc 3 "a command gets past the store (a token nobody has: exit 3)" env PGAL_TOKEN="$TOK" "$PGAL" albums
expect_rc 4 "a typo in dynamodb_table: exit 4" env PGAL_TOKEN="$TOK" PGAL_DYNAMODB_TABLE=PhotoGalery "$PGAL" albums
check "naming the table" 'grep -q "DynamoDB table PhotoGalery does not exist; run pgal init" "$T/err"'
check "and creating nothing" '[ "$(ddb_tables)" = "Foreign PhotoGallery PhotoGalleryUsers" ]'
expect_rc 3 "the right name works (exit 3: not logged in)" env PGAL_TOKEN="$TOK" "$PGAL" albums

# ---- MySQL: a fresh database ----
. "$DB/mariadb.env"
export PGAL_STORE=mysql PGAL_MYSQL_DATABASE=pgal_fresh
sql "CREATE DATABASE pgal_fresh"
mytables() {
	sql "SELECT COALESCE(GROUP_CONCAT(table_name ORDER BY table_name), '') FROM information_schema.tables WHERE table_schema = '$1'"
}
expect_rc 4 "a command on a fresh MySQL database fails (exit 4)" env PGAL_TOKEN="$TOK" "$PGAL" albums
check "naming what is missing and the way out" 'grep -q "^pgal: store mysql: MySQL database .pgal_fresh.: table schema_migrations does not exist; run pgal init$" "$T/err"'
check "no table was created" '[ -z "$(mytables pgal_fresh)" ]'
sshd_start_rc
rc=$?
check "pgal-sshd refuses to start on it (exit $rc, wanted 4)" '[ "$rc" -eq 4 ] && grep -q "does not exist; run pgal init" "$T/sshd.out"'
check "still no table" '[ -z "$(mytables pgal_fresh)" ]'

# an init whose account may create only some of the tables: it fails on
# the first it may not create and drops what it made
sql "CREATE DATABASE pgal_narrow; CREATE USER 'narrow'@'%' IDENTIFIED BY 'narrow-pw-1';
  GRANT CREATE, DROP, SELECT, INSERT, REFERENCES ON pgal_narrow.schema_migrations TO 'narrow'@'%';
  GRANT CREATE, DROP, SELECT, INSERT, REFERENCES ON pgal_narrow.users TO 'narrow'@'%';
  GRANT CREATE, DROP, SELECT, INSERT, REFERENCES ON pgal_narrow.sessions TO 'narrow'@'%'"
expect_rc 4 "init with an account that cannot create every table fails" env PGAL_MYSQL_DATABASE=pgal_narrow PGAL_MYSQL_USER=narrow PGAL_MYSQL_PASSWORD=narrow-pw-1 "$PGAL" init
check "naming the migration" 'grep -q "MySQL migration 001_init.sql: CREATE command denied" "$T/err"'
check "and leaving the database empty, as it was" '[ -z "$(mytables pgal_narrow)" ]'

ok "pgal init migrates the fresh database" "$PGAL" init
ok "then a command works" env PGAL_PASSWORD=bob-password-1 "$PGAL" signup bob bob@example.org
# a schema one migration behind (a newer pgal installed, init not run):
# the newest migration's table dropped and its version forgotten
newest_sql=$(ls "$here/../../sql/mysql"/*.sql | tail -n 1)
newest_file=$(basename "$newest_sql")
newest_version=$(echo "$newest_file" | sed 's/^0*\([0-9][0-9]*\)_.*/\1/')
newest_table=$(sed -n 's/^CREATE TABLE \(IF NOT EXISTS \)\{0,1\}\([a-z_]*\).*/\2/p' "$newest_sql" | head -n 1)
check "the newest migration ($newest_file) makes a table" '[ -n "$newest_table" ]'
sql "DROP TABLE pgal_fresh.$newest_table; DELETE FROM pgal_fresh.schema_migrations WHERE version = $newest_version"
expect_rc 4 "a schema one migration behind: exit 4" env PGAL_TOKEN="$TOK" "$PGAL" albums
check "naming the migration" 'grep -q "MySQL database .pgal_fresh. needs migration $newest_version ($newest_file); run pgal init" "$T/err"'
check "without applying it" '! mytables pgal_fresh | tr , "\n" | grep -qx "$newest_table"'
ok "pgal init applies it" "$PGAL" init
check "$newest_table is back" 'mytables pgal_fresh | tr , "\n" | grep -qx "$newest_table"'
expect_rc 5 "the user is still there (the name is taken)" env PGAL_PASSWORD=bob-password-1 "$PGAL" signup bob bob@example.org

# ---- SQLite, the zero-config default, needs no init ----
ok "sqlite: a first command makes its own file" env PGAL_STORE=sqlite PGAL_HOME="$T/lite" PGAL_PASSWORD=carol-password-1 "$PGAL" signup carol carol@example.org
done_testing
