#!/bin/sh
# Health checks that cost nothing (issue 17): ssh_health_port is plain HTTP
# answered by pgal-sshd's listener, with no process and no log line per
# request. GET /health is 200 "ok" with MariaDB up, 503 with the reason
# when MariaDB is stopped (HAProxy's httpchk takes the host out), 200
# again once it is back (and HAProxy puts it back), 503 again while the
# server drains after SIGTERM; anything else is 404 or 400; a silent or
# endless request is cut off.
. "$(dirname "$0")/../ssh/lib.sh"
. "$(dirname "$0")/haproxy.sh"
setup_home
MDB_SH="$(cd "$(dirname "$0")/../integration" && pwd)/mariadb.sh"
export PEERS_OWNER=$$
cleanup_all() {
	sh "$MDB_SH" stop "$T/db" > /dev/null 2>&1
	cleanup_ssh
}
trap cleanup_all EXIT
if ! sh "$MDB_SH" start "$T/db" > /dev/null; then
	echo "not ok 1 - MariaDB did not start"
	# mariadb.sh shows the end of install.log; its first lines say why
	head -n 15 "$T/db/install.log" 2>/dev/null | sed 's/^/# install.log: /'
	exit 1
fi
. "$T/db/mariadb.env"
export PGAL_STORE=mysql

# only pgal init makes the tables; pgal-sshd refuses a store without them
"$PGAL" init > "$T/init.out" 2>&1 || { sed 's/^/# /' "$T/init.out"; echo "Bail out! pgal init failed"; exit 1; }

HPORT=$(free_port)
start_sshd "ssh_health_port = $HPORT"

# status PATH: the HTTP status of a GET (000 when no answer)
status() {
	curl -s -o "$T/body" -w '%{http_code}' -m 5 "http://127.0.0.1:$HPORT$1"
}
is_status() {
	[ "$(status "$1")" = "$2" ]
}
# raw BYTES: what the port answers to BYTES sent as they are
raw() {
	python3 - "$HPORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(5)
s.sendall(sys.argv[2].encode().decode("unicode_escape").encode("latin-1"))
out = b""
while True:
    try:
        b = s.recv(4096)
    except socket.timeout:
        break
    if not b:
        break
    out += b
print(out.split(b"\r\n")[0].decode() if out else "closed")
PY
}

ok "GET /health is 200 with the store up" wait_until 20 is_status /health 200
check "the body is ok" '[ "$(cat "$T/body")" = ok ]'
check "404 for another path" '[ "$(status /other)" = 404 ]'
check "400 for another method" '[ "$(curl -s -o /dev/null -w "%{http_code}" -m 5 -X POST "http://127.0.0.1:$HPORT/health")" = 400 ]'
check "400 for a line that is no request" '[ "$(raw "hello\\r\\n\\r\\n")" = "HTTP/1.0 400 Bad Request" ]'
check "400 for a request over 1 KiB" '[ "$(raw "GET /$(head -c 2000 /dev/zero | tr "\\0" a) HTTP/1.0\\r\\n\\r\\n")" = "HTTP/1.0 400 Bad Request" ]'
check "a silent client is cut off" '[ "$(raw "")" = closed ]'

# many requests: not one log line, not one connection process
lines=$(wc -l < "$T/sshd.log")
i=0
while [ "$i" -lt 50 ]; do status /health > /dev/null; i=$((i + 1)); done
check "50 requests left no log line" '[ "$(wc -l < "$T/sshd.log")" -eq "$lines" ]'
check "and made no connection process" '! grep -q "connection from" "$T/sshd.log"'
t0=$(date +%s%N)
i=0
while [ "$i" -lt 20 ]; do status /health > /dev/null; i=$((i + 1)); done
echo "# 20 requests in $(( ($(date +%s%N) - t0) / 1000000 )) ms (curl started 20 times)"

# HAProxy checks the port with HTTP (option httpchk) every 200 ms
LBP=$(free_port)
start_haproxy lb "frontend f" "	bind 127.0.0.1:$LBP" "	default_backend b" \
	"backend b" "	option httpchk GET /health" "	http-check expect status 200" \
	"	server s1 127.0.0.1:$PORT check port $HPORT inter 200 fall 2 rise 2"
ok "HAProxy's HTTP check sees the host up" wait_until 15 haproxy_server lb b s1 UP L7OK

sh "$MDB_SH" stop "$T/db" > /dev/null
ok "503 once MariaDB is stopped" wait_until 20 is_status /health 503
ok "HAProxy takes the host out" wait_until 20 haproxy_server lb b s1 DOWN
check "the body says why" 'grep -q "^store or blobs unreachable: " "$T/body"'
sed 's/^/# 503 body: /' "$T/body"
sh "$MDB_SH" start "$T/db" > /dev/null || echo "# MariaDB did not start again"
ok "200 again once it is back" wait_until 20 is_status /health 200
ok "HAProxy puts the host back" wait_until 20 haproxy_server lb b s1 UP
check "still no log line from health requests" '[ "$(grep -c "health\\|connection from" "$T/sshd.log")" -eq 0 ]'
grep "health\|connection from" "$T/sshd.log" | sed "s/^/# log: /"

# draining after SIGTERM: 503, so the balancer sends new clients elsewhere
python3 "$(dirname "$0")/sshconn.py" 127.0.0.1 "$PORT" 127.0.0.1 1 30 > "$T/held" &
held=$!
ok "a session is open" wait_until 15 eval '[ "$(cat "$T/held")" = ok ]'
kill "$SSHD_PID"
ok "503 while the server drains" wait_until 10 is_status /health 503
check "saying it is stopping" 'grep -q "^stopping" "$T/body"'
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null
done_testing
