#!/bin/sh
# MySQL over the network is TLS or nothing unless the operator says so:
# with no mysql_ssl_ca, pgal talks plaintext only to a server on this host
# (the socket, a loopback address) and refuses any other host before
# connecting, naming the two ways out; mysql_tls = off allows plaintext and
# `pgal init` then says so. The "remote" server is a throwaway MariaDB
# listening on this machine's own non-loopback address.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
setup_home
IP=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -n 1)
[ -n "$IP" ] || { echo "not ok 1 - this machine has no non-loopback IPv4 address to play a remote MySQL server"; exit 1; }
DB="$T/mariadb"
export MARIADB_CACHE="$PGAL_BUILD/test-cache/mariadb" MARIADB_BIND=0.0.0.0
peers_init 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1'
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - MariaDB did not start"; exit 1; }
. "$DB/mariadb.env"
export PGAL_STORE=mysql
connections() {
	sh "$here/mariadb.sh" sql "$DB" "SHOW GLOBAL STATUS LIKE 'Connections'" | cut -f2
}

ok "loopback (127.0.0.1) without TLS: as before" "$PGAL" init
check "init says nothing about plaintext" '! grep -qi plaintext "$T/out"'

before=$(connections)
expect_rc 4 "$IP (another host, as far as pgal knows) without mysql_ssl_ca: refused" \
	env PGAL_MYSQL_HOST="$IP" "$PGAL" init
check "before connecting: the server saw no connection" '[ "$(connections)" = "$((before + 1))" ]'
check "saying why and the two ways out" 'grep -q "not sending the password in plaintext to another host: set mysql_ssl_ca .*or mysql_tls = off" "$T/err"'
check "the password is not in the message" '! grep -q "$PGAL_MYSQL_PASSWORD" "$T/out" "$T/err"'
expect_rc 4 "a command other than init (login): the same" env PGAL_MYSQL_HOST="$IP" PGAL_PASSWORD=some-password-1 "$PGAL" login alice
check "with the same reason" 'grep -q "not sending the password in plaintext" "$T/err"'

ok "mysql_tls = off: plaintext to $IP, because the operator said so" \
	env PGAL_MYSQL_HOST="$IP" PGAL_MYSQL_TLS=off "$PGAL" init
check "init says the link is plaintext" 'grep -q "^store mysql: ok .*PLAINTEXT over the network (mysql_tls = off)" "$T/out"'
expect_rc 5 "mysql_tls takes yes/no/on/off only" env PGAL_MYSQL_TLS=maybe "$PGAL" init
done_testing
