#!/bin/sh
# The limits of pgal-sshd, with OpenSSH and raw silent TCP clients as the
# peers: ssh_max_startups (start:rate:full, random early drop of a source
# that holds an unauthenticated connection already), the login
# grace time for clients that never send a byte, per source limits (IPv4
# address, IPv6 /64, in a network namespace of our own), ssh_max_sessions,
# the guest's single session and ssh_max_channels, the failed-login penalty,
# the idle timeout of a guest's TUI, the storage quota over scp and SFTP, syslog
# through a throwaway receiver, and no secret in any log.
. "$(dirname "$0")/lib.sh"
setup_home
RAW="python3 $(dirname "$0")/rawconn.py"
PW='alice limits password 7'
WRONG='not alices password 3'
LOGS="$T/logs"
mkdir -p "$LOGS"
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null

# background helpers of this test, ended with it
HELPERS=
trap 'kill $HELPERS 2>/dev/null; cleanup_ssh' EXIT
# silent [KEYS]: $SILENT is a fifo for a client's input that stays silent
# until `release $SILENT`; then it ends (EOF), or with KEYS it sends them
# and stays open (the keys end the client) until the test ends
nfifo=0
silent() {
	nfifo=$((nfifo + 1))
	SILENT="$T/fifo.$nfifo"
	mkfifo "$SILENT" "$SILENT.go"
	{ read _ < "$SILENT.go"; printf '%s' "${1:-}"; [ -z "${1:-}" ] || read _ < "$SILENT.go"; } > "$SILENT" &
	HELPERS="$HELPERS $!"
}
release() {
	: > "$1.go"
}
# gone PID: until that process has ended (0), or 10 s (1)
gone() {
	wait_until 10 pid_gone "$1"
}

# keep each server's log for the secrets check at the end
save_log() {
	cp "$T/sshd.log" "$LOGS/$1.log"
}
# jfile FILE DESCRIPTION PYTHON-EXPR: jcheck on another file than $T/out
jfile() {
	cp "$1" "$T/out"
	shift
	jcheck "$@"
}

# ---- configuration: ssh_max_startups is start:rate:full or one number ----
bad_startups() {
	printf 'home = %s\nssh_max_startups = %s\n' "$PGAL_HOME" "$1" > "$T/bad.conf"
	"$SSHD" -D -f "$T/bad.conf" > "$T/bad.out" 2>&1 &
	bpid=$!
	wait_until 5 pid_gone $bpid
	if kill -0 $bpid 2>/dev/null; then kill $bpid; wait $bpid; return 1; fi
	wait $bpid
	rc=$?
	[ $rc -eq 5 ] && grep -q "ssh_max_startups" "$T/bad.out" && grep -q "$2" "$T/bad.out"
}
check "full below start is refused" "bad_startups 10:30:5 'full is below start'"
check "a rate of 0 is refused" "bad_startups 10:0:100 'percentage'"
check "a rate above 100 is refused" "bad_startups 10:101:100 'percentage'"
check "two fields are refused" "bad_startups 10:30 'start:rate:full'"
check "four fields are refused" "bad_startups 1:2:3:4 'start:rate:full'"
check "a negative start is refused" "bad_startups -1:30:100 'start:rate:full'"
check "words are refused" "bad_startups ten 'start:rate:full'"

# ---- MaxStartups: 3 always, then dropped with rising odds, none past 8
# (all from one source; the key exchange grace is beyond the login's) ----
start_sshd "ssh_max_startups = 3:70:8" "ssh_login_grace_secs = 10" "ssh_kex_grace_secs = 30"
t0=$(date +%s)
$RAW fill "$PORT" 3 8 20 10 > "$T/fill.json"
t1=$(date +%s)
jfile "$T/fill.json" "below start every silent connection is admitted" "j['seq'][:3] == 'AAA'"
jfile "$T/fill.json" "exactly full (8) are held, never more" \
	"j['held'] == 8 and j['seq'].count('A') == 8"
jfile "$T/fill.json" "between start and full some are dropped at random" "'D' in j['seq'][3:]"
jfile "$T/fill.json" "every attempt got an answer" "'T' not in j['seq'] + j['after']"
jfile "$T/fill.json" "at full every new connection is dropped (20 of 20)" "j['after'] == 'D' * 20"
jfile "$T/fill.json" "the login grace time (10 s) ends connections that never send a byte" \
	"all(x is not None and 9 <= x <= 12.5 for x in j['lived'])"
check "drops are logged as random early drop" \
	"grep -q 'refused connection from 127.0.0.1: too many unauthenticated connections (random early drop)' '$T/sshd.log'"
check "and the grace time as such" \
	"[ \$(grep -c 'login grace time over: connection from 127.0.0.1 closed unauthenticated' '$T/sshd.log') -eq 8 ]"
ok "once they are gone a user gets in" key_ssh "$T/id_alice" alice whoami
check "a flood of refusals is summed up, not logged line by line" \
	"grep -q 'more connections refused (last: too many unauthenticated connections)' '$T/sshd.log'"

# the drop rate at start: 30 % (full far away, so the ramp adds < 1 %)
stop_sshd
save_log startups
start_sshd "ssh_max_startups = 1:30:1000"
$RAW rate "$PORT" 1 100 > "$T/rate.json"
jfile "$T/rate.json" "one silent connection is held" "j['held'] == 1"
jfile "$T/rate.json" "30 % of the next 100 are dropped (binomial: 12 to 50 allowed)" \
	"12 <= j['res'].count('D') <= 50 and j['res'].count('T') == 0"
# one number is a hard limit, as in OpenSSH
stop_sshd
save_log rate
start_sshd "ssh_max_startups = 2"
check "one number N is N:100:N: the third silent connection is dropped" \
	"[ \"\$($RAW steps $PORT 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1)\" = AADD ]"

# ---- per source limits and ssh_max_sessions (IPv4: the whole address) ----
stop_sshd
save_log hard
start_sshd "ssh_per_addr_max = 3" "ssh_max_sessions = 5"
check "3 connections from 127.0.0.1, the 4th refused, 127.0.0.2 counts apart" \
	"[ \"\$($RAW steps $PORT 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1,127.0.0.2)\" = AAADA ]"
check "the refusal names the address" \
	"grep -q 'refused connection from 127.0.0.1: too many connections from this address' '$T/sshd.log'"
# the connections of those steps are gone, so they no longer count
wait_until 10 no_children "$SSHD_PID"
# (a new source takes the slot of a silent connection, test-preauth-slots.sh;
# a source that holds one already is refused)
check "ssh_max_sessions (5) caps connections from all sources" \
	"[ \"\$($RAW steps $PORT 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.1,127.0.0.2 127.0.0.1,127.0.0.2 127.0.0.1,127.0.0.3 127.0.0.1,127.0.0.2)\" = AAAAAAD ]"
check "logged as too many connections" \
	"grep -q 'refused connection from 127.0.0.2: too many connections$' '$T/sshd.log'"

# ---- IPv6: a /64 is one source; IPv4 on a dual-stack listener stays IPv4 ----
cat > "$T/netns.sh" <<EOF
set -e
. "$TESTS_LIB/wait.sh"
ip link set lo up
for a in fd00:1::1 fd00:1::2 fd00:1::3 fd00:2::1; do ip -6 addr add \$a/64 dev lo nodad; done
printf 'home = %s\nssh_listen = ::\nssh_port = 2222\nssh_per_addr_max = 2\n' "$PGAL_HOME" > "$T/v6.conf"
"$SSHD" -D -f "$T/v6.conf" > "$T/v6.log" 2>&1 &
spid=\$!
wait_until 10 log_has "$T/v6.log" 'listening on'
$RAW steps 2222 fd00:1::1,fd00:1::1 fd00:1::1,fd00:1::2 fd00:1::1,fd00:1::3 fd00:1::1,fd00:2::1 > "$T/v6.a"
$RAW steps 2222 127.0.0.1,127.0.0.1 127.0.0.1,127.0.0.1 127.0.0.1,127.0.0.1 127.0.0.1,127.0.0.2 > "$T/v6.b"
kill \$spid
wait \$spid || true
EOF
: > "$T/v6.a"; : > "$T/v6.b"
# (-r: a user namespace too, so this needs no root where those are allowed)
ok "a network namespace with IPv6 addresses of our own" unshare -rn sh "$T/netns.sh"
check "two addresses of one /64 fill its 2 slots, a third of it is refused, another /64 is not" \
	"[ \"\$(cat '$T/v6.a')\" = AADA ]"
check "the refusal names the /64" \
	"grep -q 'refused connection from fd00:1::3: too many connections from this address' '$T/v6.log'"
check "IPv4 through the dual-stack listener: per address, not one shared mapped /64" \
	"[ \"\$(cat '$T/v6.b')\" = AADA ]"
check "and logged as plain IPv4" \
	"grep -q 'connection from 127.0.0.2$' '$T/v6.log' && ! grep -q 'ffff' '$T/v6.log'"
cp "$T/v6.log" "$LOGS/v6.log"

# ---- the guest: one session per connection; users: ssh_max_channels ----
stop_sshd
save_log peraddr
start_sshd "ssh_max_channels = 2"
CM="$T/cm"
ssh $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no -o ControlMaster=yes \
	-o ControlPath="$CM-guest" -N gallery@$HOST > /dev/null 2>&1 &
gm=$!
HELPERS="$HELPERS $gm"
ssh $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
	-i "$T/id_alice" -o ControlMaster=yes -o ControlPath="$CM-alice" -N alice@$HOST > /dev/null 2>&1 &
am=$!
HELPERS="$HELPERS $am"
wait_master() {
	wait_until 10 ssh -o ControlPath="$1" -O check x
}
mux() {
	m=$1; shift
	timeout 30 ssh $SSHO -o ControlMaster=no -o ControlPath="$m" "$@"
}
ok "a guest connection is up (multiplexing master)" wait_master "$CM-guest"
ok "a user connection is up (multiplexing master)" wait_master "$CM-alice"
# the guest's first session: the TUI, held open by a silent input
silent q
tui_in=$SILENT
mux "$CM-guest" -tt gallery@$HOST < "$SILENT" > "$T/tui1.out" 2>&1 &
g1=$!
wait_until 10 log_has "$T/sshd.log" 'tui: user gallery'
check "the guest's first session runs the TUI" "grep -q 'tui: user gallery (guest)' '$T/sshd.log'"
mux "$CM-guest" -T gallery@$HOST > "$T/out" 2> "$T/err" < /dev/null
rc=$?
# OpenSSH's multiplexing client words the channel-open failure this way
check "a second guest session on that connection fails to open (exit $rc)" \
	"[ $rc -ne 0 ] && grep -q 'open refused by peer' '$T/err' && ! grep -q 'ssh -t' '$T/err'"
check "the refusal is logged" \
	"grep -q 'session channel refused for gallery (guest): 1 open, at most 1 per connection' '$T/sshd.log'"
# q ends the TUI: the channel closes
release "$tui_in"
check "q ends the guest's TUI session" "gone $g1 && grep -q 'tui done: user gallery status 0' '$T/sshd.log'"
mux "$CM-guest" -T gallery@$HOST > "$T/out" 2> "$T/err" < /dev/null
check "after the first one closed a new guest session opens (and says to use ssh -t)" \
	"grep -q 'ssh -t' '$T/err'"
# alice: two scp sinks waiting for their input hold both channels
silent
mux "$CM-alice" alice@$HOST scp -t trip/ < "$SILENT" > /dev/null 2>&1 &
h1=$!
sink_in=$SILENT
silent
mux "$CM-alice" alice@$HOST scp -t trip/ < "$SILENT" > /dev/null 2>&1 &
h2=$!
wait_until 10 log_count_above "$T/sshd.log" 'exec: user alice: scp -t trip/' 1
check "a user holds two sessions on one connection" \
	"[ \$(grep -c 'exec: user alice: scp -t trip/' '$T/sshd.log') -eq 2 ]"
mux "$CM-alice" alice@$HOST whoami > "$T/out" 2> "$T/err" < /dev/null
rc=$?
check "a third fails to open with ssh_max_channels = 2 (exit $rc)" \
	"[ $rc -ne 0 ] && grep -q 'open refused by peer' '$T/err'"
check "logged with the limit" \
	"grep -q 'session channel refused for alice: 2 open, at most 2 per connection' '$T/sshd.log'"
# the end of its input ends one sink, and its channel
release "$sink_in"
check "one session ends with its input" "gone $h1"
ok "then the next command opens" mux "$CM-alice" alice@$HOST whoami
kill $h2 2>/dev/null; gone $h2
kill $gm $am 2>/dev/null; gone $gm; gone $am

# ---- failed logins: a penalty for that source before every attempt ----
# bssh SOURCE PASSWORD COMMAND [USER]
bssh() {
	sshpass -p "$2" ssh $SSHO -p "$PORT" -b "$1" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "${4:-alice}@$HOST" "$3"
}
ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
# (as nobody: the core throttles a name per source, test-login-throttle.sh)
for i in 1 2 3 4 5; do bssh 127.0.0.5 "$WRONG" whoami nobody > /dev/null 2>&1; done
check "five failures from 127.0.0.5 are logged" \
	"[ \$(grep -c 'password login: user nobody from 127.0.0.5 (ssh): refused' '$T/sshd.log') -eq 5 ]"
# the clean source's fastest of three is the baseline: a busy machine
# slows single logins by a second or more
base=999999 rc6=0
for i in 1 2 3; do
	a=$(ms); bssh 127.0.0.6 "$PW" whoami > /dev/null 2>&1 || rc6=$?; b=$(ms)
	[ $((b - a)) -lt $base ] && base=$((b - a))
done
b=$(ms); bssh 127.0.0.5 "$PW" whoami > /dev/null 2>&1; rc5=$?; c=$(ms)
# and two more after it: a load spike during the first three must not
# make the clean source look as slow as the penalized one
for i in 1 2; do
	a=$(ms); bssh 127.0.0.6 "$PW" whoami > /dev/null 2>&1 || rc6=$?; d=$(ms)
	[ $((d - a)) -lt $base ] && base=$((d - a))
done
check "the right password still works from both sources" "[ $rc5 -eq 0 ] && [ $rc6 -eq 0 ]"
# 400 ms per failure (design): 5 failures wait 2 s, which load can only
# lengthen; the clean source does not wait it (half of it, for noise)
check "but from the failing source only after the penalty ($((c - b)) ms, at least 2000)" \
	"[ $((c - b)) -ge 1950 ]"
check "which the clean source does not wait ($((c - b)) ms vs $base ms)" \
	"[ $((c - b - base)) -ge 1000 ]"

# ---- idle timeout of a guest's TUI session (ssh_guest_idle_secs) ----
stop_sshd
save_log channels
start_sshd "ssh_guest_idle_secs = 3"
s0=$(ms)
silent
ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST \
	< "$SILENT" > "$T/idle.out" 2>&1 &
ip=$!
wait_until 20 pid_gone $ip
s1=$(ms)
check "an idle guest TUI is closed ($((s1 - s0)) ms)" "! kill -0 $ip 2>/dev/null"
check "after the idle time (3 s), not before" "[ $((s1 - s0)) -ge 3000 ] && [ $((s1 - s0)) -lt 12000 ]"
check "the TUI had drawn its welcome screen" "grep -q 'Sign up' '$T/idle.out'"
check "the idle timeout is logged" "grep -q 'idle timeout: user gallery from 127.0.0.1' '$T/sshd.log'"
kill $ip 2>/dev/null; wait $ip 2>/dev/null

# ---- the storage quota over legacy scp (exec) and SFTP ----
stop_sshd
save_log idle
nikon=$(stat -c %s "$FIX/nikon-d2h-gps.jpg")
iphone=$(stat -c %s "$FIX/iphone4s-lens.jpg")
# room for the Nikon photo but not for the iPhone one as well
start_sshd "quota_bytes = $((nikon + iphone - 1))"
ok "a photo within the quota goes in with scp -O" pw_scp "$PW" -O "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/
fails "the next one would pass the quota: scp -O refuses it" \
	pw_scp "$PW" -O "$FIX/iphone4s-lens.jpg" alice@$HOST:trip/
check "saying quota" "grep -qi quota '$T/err'"
fails "and so does scp over SFTP" pw_scp "$PW" "$FIX/iphone4s-lens.jpg" alice@$HOST:trip/
# OpenSSH's scp shows no SFTP status text for a failed close: the log has it
check "the log says the quota refused it" \
	"grep -q 'sftp: user alice: trip/iphone4s-lens.jpg refused: storage quota exceeded' '$T/sshd.log'"
ok "the album lists its photos over exec" pw_ssh alice "$PW" ls trip --json
jcheck "only the photo within the quota is stored" \
	"len(j) == 1 and j[0]['bytes'] == $nikon"
check "and no blob of the refused ones" "[ \$(count_blobs) -eq 3 ]"

# ---- syslog: lines go to the socket in ssh_syslog_socket ----
cat > "$T/syslogd.py" <<'PY'
import os, socket, sys
path, out = sys.argv[1], sys.argv[2]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "ab", buffering=0) as f:
    f.write(b"")
    while True:
        d = s.recv(65536)
        f.write(d.replace(b"\n", b" ") + b"\n")
PY
python3 "$T/syslogd.py" "$T/log.sock" "$T/syslog.txt" &
sl=$!
HELPERS="$HELPERS $sl"
wait_until 5 test -S "$T/log.sock"
sed -i '/^quota_bytes/d' "$T/pgal.conf"
printf 'ssh_syslog = yes\nssh_syslog_socket = %s\n' "$T/log.sock" >> "$T/pgal.conf"
kill -HUP "$SSHD_PID"
wait_until 5 log_has "$T/syslog.txt" 'config reloaded'
stderr_lines=$(wc -l < "$T/sshd.log")
check "after SIGHUP with ssh_syslog the log goes to the syslog socket" \
	"grep -q 'pgal-sshd\[$SSHD_PID\]: config reloaded' '$T/syslog.txt'"
check "as RFC 3164 lines at auth.info (<38>)" "grep -Eq '^<38>[A-Z][a-z]{2} [ 0-9][0-9] [0-9:]{8} pgal-sshd' '$T/syslog.txt'"
ok "a password login" pw_ssh alice "$PW" whoami
fails "a wrong password" pw_ssh alice "$WRONG" whoami
ok "a key login with an upload over legacy scp" \
	scp $SSHO -P "$PORT" -O -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" \
	"$FIX/big-24mp.jpg" alice@$HOST:trip/
# the scp process logs last: once its line is in, the earlier ones are
wait_until 5 log_has "$T/syslog.txt" 'scp: user alice stored trip/'
check "the connection, auth and command lines reach syslog" \
	"grep -q 'auth ok: user alice method password from 127.0.0.1' '$T/syslog.txt' &&
	 grep -q 'password login: user alice from 127.0.0.1 (ssh): refused: wrong password' '$T/syslog.txt' &&
	 grep -q 'exec: user alice: whoami' '$T/syslog.txt'"
check "so do the lines of a command's own process (scp)" \
	"grep -q 'scp: user alice stored trip/' '$T/syslog.txt'"
check "and none of them the stderr log" "! tail -n +$((stderr_lines + 1)) '$T/sshd.log' | grep -q 'auth'"
# a restarted syslog daemon: the server connects again
kill $sl; wait $sl 2>/dev/null
python3 "$T/syslogd.py" "$T/log.sock" "$T/syslog2.txt" &
sl=$!
HELPERS="$HELPERS $sl"
# (it binds the socket before it opens its output file)
wait_until 5 test -f "$T/syslog2.txt"
ok "a login after the syslog daemon restarted" pw_ssh alice "$PW" whoami
wait_until 5 log_has "$T/syslog2.txt" 'auth ok: user alice'
check "logs to the new daemon" "grep -q 'auth ok: user alice' '$T/syslog2.txt'"
# no daemon at all: the lines are not lost
kill $sl; wait $sl 2>/dev/null
rm -f "$T/log.sock"
ok "a login with no syslog daemon" pw_ssh alice "$PW" whoami
check "is logged to stderr instead" "grep -q 'auth ok: user alice method password' '$T/sshd.log'"
stop_sshd
save_log syslog
cp "$T/syslog.txt" "$T/syslog2.txt" "$LOGS/"

# ---- no password, token or key material in any log of this test ----
all="$LOGS/all.txt"
cat "$LOGS"/*.log "$LOGS"/syslog*.txt > "$all"
check "the logs are not empty ($(wc -l < "$all") lines)" "[ \$(wc -l < '$all') -gt 100 ]"
check "the password is in no log" "! grep -qF '$PW' '$all'"
check "nor the wrong password" "! grep -qF '$WRONG' '$all'"
check "nor the public key" "! grep -qF \"\$(cut -d' ' -f2 '$T/id_alice.pub' | cut -c1-24)\" '$all'"
check "nor a line of the private key" \
	"! grep -v -- '-----' '$T/id_alice' | cut -c1-24 | grep -qF -f - '$all'"
check "nor the CLI's session token" "! grep -qF \"\$(saved_token)\" '$all'"
check "nor anything shaped like a token or hash (32+ hex digits)" "! grep -Eq '[0-9a-fA-F]{32}' '$all'"
done_testing
