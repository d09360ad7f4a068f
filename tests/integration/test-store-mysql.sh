#!/bin/sh
# The MySQL store against a throwaway MariaDB on loopback (tests/integration/
# mariadb.sh, a real account with a password): the very contract binary
# every store runs (build/tests/test-store-contract, PGAL_TEST_STORE=mysql),
# with its fault cases (the server killed and restarted under an open
# store, and in the middle of a cascading delete); then what only MySQL
# has: InnoDB, utf8mb4, cascading foreign keys, the version table and its
# lock (hosts migrating at once), pages and search on indexes (EXPLAIN), a
# wrong password or an unreachable server as clear errors without the
# password, a schema newer than this pgal refused, and TLS with a CA file
# (the server's certificate verified; a wrong CA refused).
. "$(dirname "$0")/../cli/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
setup_home
DB="$T/mariadb"
export PEERS_OWNER=$$
export MARIADB_CACHE="$PGAL_BUILD/test-cache/mariadb"
trap 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1' EXIT
t0=$(date +%s%N)
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - MariaDB did not start"; exit 1; }
echo "# MariaDB installed and ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
. "$DB/mariadb.env"
export PGAL_STORE=mysql
sql() {
	sh "$here/mariadb.sh" sql "$DB" "$1"
}
newest=$(ls "$top/sql/mysql" | sed -n 's/^0*\([0-9][0-9]*\)_.*\.sql$/\1/p' | sort -n | tail -n 1)
# what the migrations make (numbers are given out ahead: some may be missing)
migrations=$(ls "$top/sql/mysql"/*.sql | wc -l)
tables=$(cat "$top/sql/mysql"/*.sql | grep -ci '^CREATE TABLE')
names=$(cat "$top/sql/mysql"/*.sql | grep -ci '^[[:space:]]*name VARBINARY')
cascades=$(cat "$top/sql/mysql"/*.sql | grep -ci 'ON DELETE CASCADE')

# ---- the contract, with its fault cases ----
t0=$(date +%s)
PGAL_TEST_STORE=mysql PGAL_TEST_PEER_CTL="sh $here/mariadb.sh ctl $DB" \
    CMOCKA_MESSAGE_OUTPUT=TAP "$PGAL_BUILD/tests/test-store-contract" > "$T/contract" 2>&1
crc=$?
# its ok / not ok lines count as this script's
grep -E '^(ok|not ok) ' "$T/contract" | sed 's/^\(ok\|not ok\) [0-9]* - /\1 - contract mysql: /'
grep -v -E '^(ok|not ok) |^1\.\.' "$T/contract" | sed 's/^/# /' | head -40
check "the contract binary passed against MariaDB ($(( $(date +%s) - t0 )) s)" '[ "$crc" -eq 0 ]'

# ---- the schema ----
ok "pgal init migrates an empty database" "$PGAL" init
check "init names the store and its version" 'grep -qx "store mysql: ok (schema version $newest, database '"'"'pgal_test'"'"' on 127.0.0.1:$PGAL_MYSQL_PORT)" "$T/out"'
sql "SELECT TABLE_NAME, ENGINE, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'pgal_test'" > "$T/tables"
check "$tables tables and the version table" '[ "$(wc -l < "$T/tables")" -eq $((tables + 1)) ]'
check "every table is InnoDB" '! grep -v "	InnoDB	" "$T/tables"'
check "every table of the schema is utf8mb4_bin" '[ "$(grep -v "^schema_migrations" "$T/tables" | grep -c "	utf8mb4_bin$")" -eq $tables ]'
check "$cascades foreign keys, each ON DELETE CASCADE" '[ "$(sql "SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '"'"'pgal_test'"'"' AND DELETE_RULE = '"'"'CASCADE'"'"'")" -eq $cascades ]'
check "names are VARBINARY: compared byte for byte" '[ "$(sql "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '"'"'pgal_test'"'"' AND COLUMN_NAME = '"'"'name'"'"' AND DATA_TYPE = '"'"'varbinary'"'"'")" -eq $names ]'
check "the version table says $newest" '[ "$(sql "SELECT MAX(version) FROM pgal_test.schema_migrations")" = "$newest" ]'
ok "init again" "$PGAL" init
check "applied once" '[ "$(sql "SELECT COUNT(*) FROM pgal_test.schema_migrations")" = "$migrations" ]'

# eight hosts starting at once on an empty database: the lock lets one migrate
sql "CREATE DATABASE pgal_race CHARACTER SET utf8mb4"
pids=""
for i in 1 2 3 4 5 6 7 8; do
	PGAL_MYSQL_DATABASE=pgal_race "$PGAL" init > "$T/race.$i" 2>&1 &
	pids="$pids $!"
done
fails=0
for p in $pids; do
	wait "$p" || fails=$((fails + 1))
done
check "eight inits at once all succeed" '[ "$fails" -eq 0 ] || { cat "$T"/race.* | sed "s/^/# /"; false; }'
check "and the migrations were applied once" '[ "$(sql "SELECT COUNT(*) FROM pgal_race.schema_migrations")" = "$migrations" ] && [ "$(sql "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"'"'pgal_race'"'"'")" -eq $((tables + 1)) ]'

# ---- indexes: pages and search never sort nor scan the table ----
sql "USE pgal_race;
INSERT INTO users (name, email, pwhash, created_at) VALUES ('u', 'e', 'h', 1);
INSERT INTO albums (user_id, name, description, created_at, updated_at) VALUES (1, 'a', '', 1, 1), (1, 'b', '', 1, 1);
INSERT INTO photos (album_id, user_id, name, description, mime, width, height, bytes, sha256, blob_id, added_at, sort_taken)
 WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 900)
 SELECT 1 + (n % 2), 1, CONCAT('p', n), '', 'image/jpeg', 1, 1, 10, LPAD(HEX(n), 64, '0'),
  LPAD(HEX(n), 32, '0'), n % 300, n % 97 FROM seq;
ANALYZE TABLE photos;" > /dev/null
# the statements of core/store/mysql/*.c with their parameters filled in
explain() {
	sql "USE pgal_race; EXPLAIN SELECT p.id FROM photos p STRAIGHT_JOIN albums a ON a.id = p.album_id $1" | awk -F'\t' '$3 == "p" { print $6 "|" $10 }'
}
for k in sort_taken:photos_album_taken added_at:photos_album_added title:photos_album_title; do
	col=${k%%:*}; idx=${k#*:}
	explain "WHERE p.album_id = 1 AND p.$col >= 5 AND (p.$col > 5 OR p.id > 7) ORDER BY p.$col, p.id LIMIT 100" > "$T/plan"
	check "a page by $col runs on $idx without a sort" 'grep -q "^$idx|" "$T/plan" && ! grep -q filesort "$T/plan" || { sed "s/^/# plan: /" "$T/plan"; false; }'
	explain "WHERE p.album_id = 1 AND p.$col <= 5 AND (p.$col < 5 OR p.id < 7) ORDER BY p.$col DESC, p.id DESC LIMIT 100" > "$T/plan"
	check "a page before a cursor by $col reads $idx backward without a sort" 'grep -q "^$idx|" "$T/plan" && ! grep -q filesort "$T/plan" || { sed "s/^/# plan: /" "$T/plan"; false; }'
	explain "WHERE p.album_id = 1 ORDER BY p.$col DESC, p.id DESC LIMIT 100" > "$T/plan"
	check "the last page by $col reads $idx backward without a sort" 'grep -q "^$idx|" "$T/plan" && ! grep -q filesort "$T/plan" || { sed "s/^/# plan: /" "$T/plan"; false; }'
done
explain "WHERE p.user_id = 1 AND (LOWER(p.title) LIKE LOWER('%x%') ESCAPE '!') ORDER BY p.added_at DESC, p.id DESC LIMIT 50" > "$T/plan"
check "a search walks the user's photos newest first on photos_user_added" 'grep -q "^photos_user_added|" "$T/plan" && ! grep -q filesort "$T/plan" || { sed "s/^/# plan: /" "$T/plan"; false; }'
explain "WHERE p.user_id = 1 AND p.album_id = 1 AND (LOWER(p.title) LIKE LOWER('%x%') ESCAPE '!') ORDER BY p.added_at DESC, p.id DESC LIMIT 50" > "$T/plan"
check "a search within an album walks only that album, on photos_album_added" 'grep -q "^photos_album_added|" "$T/plan" && ! grep -q filesort "$T/plan" || { sed "s/^/# plan: /" "$T/plan"; false; }'

# ---- errors that name the problem and never the password ----
expect_rc 4 "a wrong password is a backend error" env PGAL_MYSQL_PASSWORD=wrong-Pw-7731 "$PGAL" init
check "saying access was denied" 'grep -q "^pgal: .*MySQL pgal@127.0.0.1:$PGAL_MYSQL_PORT: cannot connect: Access denied for user" "$T/err"'
check "without either password" '! grep -q -e wrong-Pw-7731 -e "$PGAL_MYSQL_PASSWORD" "$T/out" "$T/err"'
dead=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')
expect_rc 4 "nobody listening is a backend error" env PGAL_MYSQL_PORT="$dead" "$PGAL" init
check "naming where it tried" 'grep -q "MySQL pgal@127.0.0.1:$dead: cannot connect" "$T/err" && ! grep -q "$PGAL_MYSQL_PASSWORD" "$T/err"'
expect_rc 4 "a database that does not exist" env PGAL_MYSQL_DATABASE=pgal_nothere "$PGAL" init
check "is named" 'grep -q "pgal_nothere" "$T/err"'
sql "INSERT INTO pgal_race.schema_migrations VALUES ($((newest + 1)), '999_future.sql', 0)"
expect_rc 4 "a schema newer than this pgal is refused" env PGAL_MYSQL_DATABASE=pgal_race "$PGAL" init
check "saying so" 'grep -q "database schema version $((newest + 1)) is newer than this pgal knows ($newest)" "$T/err"'

# ---- TLS: the server's certificate checked against mysql_ssl_ca ----
C="$T/tls"
mkdir -p "$C" "$C/other"
mkca() {
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$2" \
	    -keyout "$1/ca-key.pem" -out "$1/ca.pem" > /dev/null 2>&1
}
mkca "$C" "pgal test CA" && mkca "$C/other" "some other CA" &&
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$C/server-key.pem" \
    -out "$C/server.csr" > /dev/null 2>&1 &&
printf 'subjectAltName = IP:127.0.0.1\n' > "$C/ext" &&
openssl x509 -req -in "$C/server.csr" -CA "$C/ca.pem" -CAkey "$C/ca-key.pem" \
    -CAcreateserial -days 2 -extfile "$C/ext" -out "$C/server.pem" > /dev/null 2>&1
check "a CA and a server certificate for 127.0.0.1" '[ -s "$C/server.pem" ] && [ -s "$C/other/ca.pem" ]'
sh "$here/mariadb.sh" stop "$DB"
MARIADB_TLS_DIR=$C sh "$here/mariadb.sh" start "$DB" > /dev/null || echo "# MariaDB with TLS did not start"
ok "with mysql_ssl_ca the connection is TLS, verified" env PGAL_MYSQL_SSL_CA="$C/ca.pem" "$PGAL" init
check "init says so" 'grep -q "^store mysql: ok (.*, TLS verified)$" "$T/out"'
expect_rc 4 "without it the server (TLS required) refuses" "$PGAL" init
expect_rc 4 "a certificate from another CA is refused" env PGAL_MYSQL_SSL_CA="$C/other/ca.pem" "$PGAL" init
check "as a certificate problem" 'grep -qi "certificate\|verif\|TLS\|SSL" "$T/err" || { sed "s/^/# /" "$T/err"; false; }'
expect_rc 4 "a CA file that is not there" env PGAL_MYSQL_SSL_CA="$C/none.pem" "$PGAL" init
check "is named" 'grep -q "mysql_ssl_ca $C/none.pem" "$T/err"'

done_testing
