#!/bin/sh
# Who gets in and with what: the guest with "none" (TUI only), gallery
# users with a password or a registered key; wrong password and unknown
# user look the same; forwarding, agent and foreign subsystems refused.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'

make_user alice "$PW"
check "the host key was made with mode 0600" \
	"[ \"\$(stat -c %a '$PGAL_HOME/ssh_host_ed25519_key')\" = 600 ]"
ok "a password login runs a command" pw_ssh alice "$PW" whoami --json
jcheck "it runs as that user" "j['user'] == 'alice'"

# the same failure for a wrong password and for nobody, in similar time
t0=$(date +%s%N)
pw_ssh alice 'wrong password 9' whoami > "$T/wrong.out" 2> "$T/wrong.err"; rc1=$?
t1=$(date +%s%N)
pw_ssh nosuchuser 'wrong password 9' whoami > "$T/none.out" 2> "$T/none.err"; rc2=$?
t2=$(date +%s%N)
check "a wrong password is refused" "[ $rc1 -ne 0 ]"
check "an unknown user is refused the same way (exit $rc1 vs $rc2)" "[ $rc1 -eq $rc2 ]"
sed -i 's/nosuchuser@/alice@/' "$T/none.err"
check "with the same message" "cmp -s '$T/wrong.err' '$T/none.err'"
d1=$(( (t1 - t0) / 1000000 )); d2=$(( (t2 - t1) / 1000000 ))
check "in similar time (${d1} ms vs ${d2} ms)" \
	"[ $d1 -lt $((d2 * 3 + 300)) ] && [ $d2 -lt $((d1 * 3 + 300)) ]"
check "the log names the failure but not the password" \
	"grep -q 'password login: user alice from 127.0.0.1 (ssh): refused: wrong password' '$T/sshd.log' && ! grep -q 'wrong password 9' '$T/sshd.log'"

# public key: registered through the CLI, then used over SSH
ssh-keygen -q -t ed25519 -N '' -C 'alice@laptop' -f "$T/id_alice"
ssh-keygen -q -t ed25519 -N '' -f "$T/id_other"
PGAL_PASSWORD=$PW "$PGAL" login alice >/dev/null 2>&1
ok "the key is registered with pgal key add" "$PGAL" key add $(cat "$T/id_alice.pub")
expect_rc 255 "an unregistered key is refused" key_ssh "$T/id_other" alice whoami
ok "the registered key logs in" key_ssh "$T/id_alice" alice whoami --json
jcheck "as alice" "j['user'] == 'alice'"
expect_rc 255 "the key does not open another account" key_ssh "$T/id_alice" bob whoami
check "the key and its token never reach the log" \
	"! grep -q \"\$(cut -d' ' -f2 '$T/id_alice.pub' | cut -c1-30)\" '$T/sshd.log'"

# the guest: no password, the TUI only
guest_ssh -T > "$T/out" 2> "$T/err" < /dev/null; rc=$?
check "the guest without a pty is told to use ssh -t (exit $rc)" \
	"[ $rc -ne 0 ] && grep -q 'ssh -t' '$T/err'"
expect_rc 1 "the guest cannot run commands (and is told why)" guest_ssh whoami
check "the refusal is logged" "grep -q 'exec refused for gallery (guest)' '$T/sshd.log'"
expect_rc 255 "the guest has no sftp" guest_ssh -s sftp
fails "the guest name with a password is not an account" pw_ssh gallery 'any password 1' whoami
expect_rc 255 "port forwarding (-W) is refused" \
	ssh $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no -W 127.0.0.1:22 gallery@$HOST
expect_rc 255 "remote forwarding is refused" sshpass -p "$PW" ssh $SSHO -p "$PORT" \
	-o PubkeyAuthentication=no -o ExitOnForwardFailure=yes -R 0:127.0.0.1:22 alice@$HOST true
expect_rc 255 "other subsystems are refused" pw_ssh alice "$PW" -s netconf
fails "a user without a pty and no command gets an error" pw_ssh alice "$PW" -T
check "telling to use ssh -t" "grep -q 'ssh -t' '$T/err'"

# a session ends with its connection. pgal-sshd logs in at each
# authentication (a row in the store's sessions table) and logs out when
# the connection ends; the "auth ok" lines only say that logins happened,
# so the rows themselves are counted. ssh_sessions: the rows other than
# the CLI's own (pgal login above), whose token is in its session file.
ssh_sessions() {
	python3 - "$PGAL_HOME/pgal.db" "$XDG_CONFIG_HOME/pgal/session" <<'PY'
import hashlib, sqlite3, sys
cli = hashlib.sha256(open(sys.argv[2]).read().strip().encode()).hexdigest()
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM sessions WHERE token_hash != ?", (cli,)).fetchone()[0])
PY
}
sessions_are() {
	[ "$(ssh_sessions)" = "$1" ]
}
logins=$(grep -c 'auth ok: user alice' "$T/sshd.log")
# the server logs out after the client has its exit status: a short wait
wait_until 5 sessions_are 0
check "each connection's session was logged out ($logins logins, $(ssh_sessions) sessions left)" \
	"[ $logins -ge 3 ] && sessions_are 0"
# and the end of the connection is what does it: one held open (-N, no
# channel) has its session row until its client goes
before=$(ssh_sessions)
ssh $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
	-i "$T/id_alice" -N alice@$HOST < /dev/null > /dev/null 2>&1 &
hold=$!
wait_until 10 sessions_are $((before + 1))
check "an open connection has its session" "sessions_are $((before + 1))"
kill "$hold"
wait "$hold" 2>/dev/null
wait_until 5 sessions_are "$before"
check "which is deleted when the connection ends ($(ssh_sessions) left, wanted $before)" \
	"sessions_are $before"

# SIGHUP reloads the config: a quota shows on the next connection
sed -i '/^quota_bytes/d' "$T/pgal.conf"; echo "ssh_idle_secs = 1234" >> "$T/pgal.conf"
kill -HUP "$SSHD_PID"
wait_until 5 log_has "$T/sshd.log" 'config reloaded'
check "SIGHUP reloads the config" "log_has '$T/sshd.log' 'config reloaded'"
ok "and the server still serves" pw_ssh alice "$PW" whoami

# SIGTERM: no new connections, running ones finish
pw_ssh alice "$PW" "search nothing-here" > /dev/null 2>&1
kill -TERM "$SSHD_PID"
wait_until 5 pid_gone "$SSHD_PID"
check "SIGTERM stops an idle server" "! kill -0 $SSHD_PID 2>/dev/null"
check "and says so" "grep -q 'stopped' '$T/sshd.log'"
SSHD_PID=
done_testing
