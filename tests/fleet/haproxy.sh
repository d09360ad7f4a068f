# HAProxy (Debian's /usr/sbin/haproxy) in TCP mode for the fleet tests.
# Source it after tests/cli/lib.sh (or tests/ssh/lib.sh).
#   start_haproxy NAME LINE...   writes $T/NAME.cfg (a global section with an
#                                admin socket $T/NAME.sock, TCP defaults,
#                                then the LINEs: frontends, backends...),
#                                starts HAProxy and waits until it answers
#                                on its admin socket (its binds are done)
#   haproxy_cmd NAME COMMAND     one command on the admin socket, its answer
#                                on stdout ("show stat", "set server ...")
#   haproxy_server NAME BACKEND SERVER STATUS [CHECK_STATUS]
#                                HAProxy sees the server UP (DOWN...)
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
	stop_with_owner $$ "$(cat "$T/$hp_name.pid")" "$(cat "$T/$hp_name.pid")"
	# its admin socket answers once every listener is bound; no probe
	# connection goes through a frontend to the servers behind it
	if ! wait_until 10 haproxy_cmd "$hp_name" "show info"; then
		echo "Bail out! HAProxy $hp_name did not start:"
		sed 's/^/# /' "$T/$hp_name.log"
		exit 1
	fi
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

# haproxy_server NAME BACKEND SERVER STATUS [CHECK_STATUS]: HAProxy NAME
# sees SERVER of BACKEND as STATUS ("UP", "DOWN"), its last check ended
# with CHECK_STATUS ("L7OK", "L7STS"...) if given
haproxy_server() {
	haproxy_cmd "$1" "show stat" | python3 -c 'import csv, sys
b, s, want, check = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
for r in csv.DictReader(l.lstrip("# ") for l in sys.stdin):
    if r["pxname"] == b and r["svname"] == s:
        sys.exit(0 if r["status"] == want and (not check or r["check_status"] == check[0]) else 1)
sys.exit(1)' "$2" "$3" "$4" ${5:+"$5"}
}

stop_haproxy() {
	[ -f "$T/$1.pid" ] || return 0
	hp_pid=$(cat "$T/$1.pid")
	kill "$hp_pid" 2>/dev/null
	wait_until 5 pid_gone "$hp_pid" > /dev/null || kill -9 "$hp_pid" 2>/dev/null
	rm -f "$T/$1.pid"
}
