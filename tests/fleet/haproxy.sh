# HAProxy (Debian's /usr/sbin/haproxy) in TCP mode for the fleet tests.
# Source it after tests/cli/lib.sh (or tests/ssh/lib.sh).
#   start_haproxy NAME LINE...   writes $T/NAME.cfg (a global section with an
#                                admin socket $T/NAME.sock, TCP defaults,
#                                then the LINEs: frontends, backends...),
#                                starts HAProxy and waits until every
#                                "bind 127.0.0.1:PORT" of the LINEs accepts
#   haproxy_cmd NAME COMMAND     one command on the admin socket, its answer
#                                on stdout ("show stat", "set server ...")
#   stop_haproxy NAME
# HAProxy that cannot start fails the test with its log, never a skip; it
# is stopped when the test's shell ends, however it ends.
HAPROXY=${HAPROXY:-/usr/sbin/haproxy}

start_haproxy() {
	hp_name=$1
	shift
	[ -x "$HAPROXY" ] || { echo "Bail out! $HAPROXY is not installed (tools/deps.sh)"; exit 1; }
	{
		echo "global"
		echo "	stats socket $T/$hp_name.sock level admin"
		echo "	maxconn 1000"
		echo "defaults"
		echo "	mode tcp"
		echo "	timeout connect 5s"
		echo "	timeout client 60s"
		echo "	timeout server 60s"
		for l in "$@"; do echo "$l"; done
	} > "$T/$hp_name.cfg"
	"$HAPROXY" -c -q -f "$T/$hp_name.cfg" > "$T/$hp_name.log" 2>&1 ||
	    { echo "Bail out! HAProxy refuses its config:"; sed 's/^/# /' "$T/$hp_name.log"; exit 1; }
	# -db: in the foreground, logs to stderr
	setsid "$HAPROXY" -db -f "$T/$hp_name.cfg" >> "$T/$hp_name.log" 2>&1 < /dev/null &
	echo $! > "$T/$hp_name.pid"
	# the test shell gone (a crash, a timeout), HAProxy goes too
	setsid sh -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null
do sleep 1; done; kill "$2" 2>/dev/null' watchdog $$ "$(cat "$T/$hp_name.pid")" \
	    > /dev/null 2>&1 < /dev/null &
	for hp_port in $(printf '%s\n' "$@" | sed -n 's/.*bind 127\.0\.0\.1:\([0-9]*\).*/\1/p'); do
		if ! wait_until 10 haproxy_listens "$hp_port"; then
			echo "Bail out! HAProxy $hp_name does not listen on $hp_port:"
			sed 's/^/# /' "$T/$hp_name.log"
			exit 1
		fi
	done
}

# haproxy_listens PORT: a connection to 127.0.0.1:PORT is accepted
haproxy_listens() {
	python3 -c 'import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$1"
}

haproxy_cmd() {
	python3 - "$T/$1.sock" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
sys.stdout.write(out.decode())
PY
}

stop_haproxy() {
	[ -f "$T/$1.pid" ] || return 0
	hp_pid=$(cat "$T/$1.pid")
	kill "$hp_pid" 2>/dev/null
	wait_until 5 pid_gone "$hp_pid" > /dev/null || kill -9 "$hp_pid" 2>/dev/null
	rm -f "$T/$1.pid"
}
