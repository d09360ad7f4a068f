#!/bin/sh
# The client's real address behind a load balancer (issue 17): HAProxy in
# TCP mode puts a PROXY header (v2 on one frontend, v1 on another) before
# each connection to pgal-sshd, which trusts it from 127.0.0.1 only. A
# client bound to 127.0.5.5 is 127.0.5.5 in the log and to the
# per-source limits; a header from an untrusted address is refused; a
# trusted connection without one is dropped; HAProxy's own health checks
# (a v2 LOCAL header, or a bare connect) and a LOCAL connection leave no
# log line.
. "$(dirname "$0")/../ssh/lib.sh"
. "$(dirname "$0")/haproxy.sh"
FLEET=$(cd "$(dirname "$0")" && pwd)
setup_home
make_user alice 'alice pw 1'

start_sshd "ssh_proxy_protocol = yes" "ssh_proxy_trusted = 127.0.0.1/32, ::1" \
	"ssh_per_addr_max = 2"
HP2=$(free_port) HP1=$(free_port)
start_haproxy lb \
	"frontend v2" "	bind 127.0.0.1:$HP2" "	default_backend be_v2" \
	"frontend v1" "	bind 127.0.0.1:$HP1" "	default_backend be_v1" \
	"backend be_v2" "	option tcp-check" "	tcp-check expect string SSH-2.0" \
	"	server s1 127.0.0.1:$PORT send-proxy-v2 check check-send-proxy inter 100 rise 3 fall 3" \
	"backend be_v1" \
	"	server s1 127.0.0.1:$PORT send-proxy check inter 100 rise 3 fall 3"

# server_up BACKEND [CHECK_STATUS]: HAProxy sees its server s1 UP (and its
# last check ended with CHECK_STATUS)
server_up() {
	haproxy_server lb "$1" s1 UP ${2:+"$2"}
}
# the log lines after the start's
log_lines() {
	grep -vEc "listening on|created host key" "$T/sshd.log"
}

# Health checks: forced down, each server is UP again only after 3
# checks in a row passed (rise 3); the v2 LOCAL ones are answered with
# the server's SSH line (tcp-check expect), the bare connects are fine
ok "haproxy: v2 check (LOCAL header) sees the server up" wait_until 15 server_up be_v2 L7OK
ok "haproxy: connect-only check sees the server up" wait_until 15 server_up be_v1
haproxy_cmd lb "set server be_v2/s1 health down" > /dev/null
haproxy_cmd lb "set server be_v1/s1 health down" > /dev/null
ok "three more LOCAL checks pass" wait_until 15 server_up be_v2 L7OK
ok "three more connect checks pass" wait_until 15 server_up be_v1
# a v2 LOCAL connection of our own: answered, not logged
# (ok runs its command with no input: a script goes in a file)
cat > "$T/local.py" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.sendall(b"\r\n\r\n\0\r\nQUIT\n\x20\x00\x00\x00")
assert s.recv(64).startswith(b"SSH-2.0-")
PY
ok "a v2 LOCAL connection gets the server's line" python3 "$T/local.py" "$PORT"
check "health checks and LOCAL connections left no log line" '[ "$(log_lines)" -eq 0 ]'
[ "$(log_lines)" -eq 0 ] || sed 's/^/# log: /' "$T/sshd.log" | head -20

# a real client through each frontend, bound to an address of its own
lb_ssh() {
	sshpass -p 'alice pw 1' ssh $SSHO -b "$1" -p "$2" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 alice@127.0.0.1 whoami
}
ok "ssh -b 127.0.5.5 through PROXY v2" lb_ssh 127.0.5.5 "$HP2"
ok "log names 127.0.5.5 (v2)" log_has "$T/sshd.log" "auth ok: user alice method password from 127\.0\.5\.5( |$)"
ok "the login throttle (core/limits/throttle.c) saw 127.0.5.5" log_has "$T/sshd.log" \
	"password login: user alice from 127\.0\.5\.5 \(ssh\): right password"
ok "ssh -b 127.0.5.6 through PROXY v1" lb_ssh 127.0.5.6 "$HP1"
ok "log names 127.0.5.6 (v1)" log_has "$T/sshd.log" "auth ok: user alice method password from 127\.0\.5\.6( |$)"
check "no connection is logged as the balancer's" '! grep -q "from 127\.0\.0\.1" "$T/sshd.log"'

# per-source limits count the client: two held from 127.0.5.7 through the
# balancer, a third from it is refused, one from 127.0.5.8 is not
python3 "$FLEET/sshconn.py" 127.0.0.1 "$HP2" 127.0.5.7 2 30 > "$T/held" &
held=$!
ok "two connections from 127.0.5.7 are in" wait_until 15 eval '[ "$(grep -c ok "$T/held")" -eq 2 ]'
ok "a third from 127.0.5.7 is refused" eval \
	'[ "$(python3 "$FLEET/sshconn.py" 127.0.0.1 "$HP2" 127.0.5.7 1 0)" = closed ]'
ok "the refusal names 127.0.5.7" log_has "$T/sshd.log" \
	"refused connection from 127\.0\.5\.7: too many connections from this address"
ok "one from 127.0.5.8 is in" eval \
	'[ "$(python3 "$FLEET/sshconn.py" 127.0.0.1 "$HP2" 127.0.5.8 1 0)" = ok ]'
kill "$held" 2>/dev/null
wait "$held" 2>/dev/null

# an untrusted address that sends a header is lying: refused, and the
# address it claims is nowhere
for v in v1 v2; do
	ok "PROXY $v header from untrusted 127.0.5.9 is refused" eval \
		'[ "$(python3 "$FLEET/sshconn.py" 127.0.0.1 "$PORT" 127.0.5.9 1 0 "$v 10.9.9.9")" = closed ]'
done
ok "the refusal is logged with the real address" wait_until 5 log_count_above "$T/sshd.log" \
	"refused connection from 127\.0\.5\.9: a PROXY header from an address not in ssh_proxy_trusted" 1
check "the claimed address is not believed" '! grep -q "10\.9\.9\.9" "$T/sshd.log"'
# an untrusted plain client is served as before
ok "a plain client from untrusted 127.0.5.10 gets in" eval \
	'[ "$(python3 "$FLEET/sshconn.py" 127.0.0.1 "$PORT" 127.0.5.10 1 0)" = ok ]'

# the trusted balancer's address without a header: dropped
ok "a trusted connection without a header is dropped" eval \
	'[ "$(python3 "$FLEET/sshconn.py" 127.0.0.1 "$PORT" 127.0.0.1 1 0)" = closed ]'
ok "the drop is logged" log_has "$T/sshd.log" \
	"refused connection from 127\.0\.0\.1: no valid PROXY header from a trusted balancer"

# a trusted connection that sends nothing is let go after 3 s, logged
cat > "$T/silent.py" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 5)
s.settimeout(10)
t = time.monotonic()
assert s.recv(64) == b"" and 2 < time.monotonic() - t < 8
PY
ok "a silent trusted connection is closed after 3 s" python3 "$T/silent.py" "$PORT"
ok "and logged" wait_until 5 log_has "$T/sshd.log" \
	"refused connection from 127\.0\.0\.1: no PROXY header in time from a trusted balancer"

# a bad list is refused at start, saying which entry
printf 'home = %s\nssh_proxy_protocol = yes\nssh_proxy_trusted = 10.0.0.0/33\n' "$PGAL_HOME" \
	> "$T/bad.conf"
expect_rc 1 "a bad ssh_proxy_trusted stops the server" "$SSHD" -D -f "$T/bad.conf" -p "$(free_port)"
check "the error names the entry" 'grep -q "ssh_proxy_trusted: not an address or address/bits: .10.0.0.0/33." "$T/err"'
done_testing
