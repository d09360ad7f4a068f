#!/bin/sh
# The password throttle from loopback, many addresses played by binding
# OpenSSH clients to 127.x.y.z: strangers' failures from many addresses
# never lock the owner out of a login from a clean address (they slow it
# and mail the owner once), one address is refused after its burst, the
# guest TUI's login form is throttled and logged like SSH auth, the
# refusal reads the same for an account and an unknown name, and passwd
# and cancel with a session count the same way. Every check is one log
# line with the address and why it was refused. (One address across many
# names, the source's rate, is in tests/unit/test-throttle.c: here the
# listener's own penalty would make it slow.)
. "$(dirname "$0")/lib.sh"
setup_home
PW='carol throttle password 1'
WRONG='not carols password 2'
make_user carol "$PW"
start_sshd
LOG="$T/sshd.log"

# bssh SOURCE USER PASSWORD COMMAND: one password attempt from SOURCE
bssh() {
	sshpass -p "$3" ssh $SSHO -p "$PORT" -b "$1" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "$2@$HOST" "$4"
}
# tries_logged SOURCE USER DOOR N: at least N checks of that kind logged
tries_logged() {
	[ "$(grep -c "password login: user $2 from $1 ($3)" "$LOG")" -ge "$4" ]
}
ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
# lines SOURCE USER DOOR OUTCOME: log lines of that kind
lines() {
	grep -c "password login: user $2 from $1 ($3): $4" "$LOG"
}

# ---- right passwords cost no room: a sync tool's 12 connections at once ----
i=0 pids=
while [ $i -lt 12 ]; do
	bssh 127.0.2.1 carol "$PW" whoami > "$T/many.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
nok=0
for p in $pids; do wait $p && nok=$((nok + 1)); done
check "12 password logins at once from one address all get in ($nok)" "[ $nok -eq 12 ]"

# ---- passwd and cancel with a session (CLI: the local source) ----
PGAL_PASSWORD="$PW" "$PGAL" login carol > /dev/null 2>&1
for k in 1 2 3 4 5; do
	PGAL_PASSWORD="$WRONG" PGAL_NEW_PASSWORD='another password 3' "$PGAL" passwd > /dev/null 2>&1
done
expect_rc 3 "a 6th current password for passwd is refused" \
	env PGAL_PASSWORD="$PW" PGAL_NEW_PASSWORD='another password 3' "$PGAL" passwd
check "as throttled" "grep -q 'too many failed logins' '$T/err'"
expect_rc 3 "cancel counts the same way" env PGAL_PASSWORD="$PW" "$PGAL" cancel --yes
check "as throttled" "grep -q 'too many failed logins' '$T/err'"
ok "the account is still there" bssh 127.0.4.2 carol "$PW" whoami

# ---- the guest TUI's login form: throttled and logged like SSH auth ----
# tui_login SOURCE USER: the guest TUI from SOURCE, at its login form
tui_login() {
	ssh_term 100 30 ssh -tt $SSHO -p "$PORT" -b "$1" -o BatchMode=yes \
		-o PubkeyAuthentication=no gallery@$HOST
	step "the guest TUI from $1 shows the welcome screen" "Sign up"
	keys l
	step "its login form opens" "User name"
	type_text "$2"; keys Enter
}
# tui_try SOURCE USER PASSWORD K: the K-th try in the form (the user name
# stays), until its log line is there
tui_try() {
	type_text "$3"; keys Enter
	wait_until 20 tries_logged "$1" "$2" tui "$4" || echo "# try $4 from $1 was not logged"
}
tui_login 127.0.6.1 carol
for k in 1 2 3 4 5; do tui_try 127.0.6.1 carol "$WRONG" $k; done
step "the form says the password was wrong" "wrong user name or password"
check "the form's 5 failures are logged with the address, as the TUI's" \
	"[ \$(lines 127.0.6.1 carol tui 'refused: wrong password') -eq 5 ]"
type_text "$PW"; keys Enter
step "the 6th try in the form is throttled" "too many failed logins"
screen | grep -o "too many failed logins[^│]*s" | head -1 | sed 's/[0-9][0-9]* s/N s/' > "$T/known.msg"
check "and logged as throttled" "[ \$(lines 127.0.6.1 carol tui 'refused: throttled') -eq 1 ]"
term_cleanup

# the same for a name that does not exist: the same words
tui_login 127.0.7.1 nobody
for k in 1 2 3 4 5; do tui_try 127.0.7.1 nobody "$WRONG" $k; done
type_text "$WRONG"; keys Enter
step "an unknown name is throttled too" "too many failed logins"
screen | grep -o "too many failed logins[^│]*s" | head -1 | sed 's/[0-9][0-9]* s/N s/' > "$T/unknown.msg"
check "with the same answer as an account ($(cat "$T/known.msg"))" \
	"[ -s '$T/known.msg' ] && cmp -s '$T/known.msg' '$T/unknown.msg'"
term_cleanup

# ---- strangers: 4 addresses, 5 wrong passwords each, side by side ----
PAIR_BURST=5
for a in 1 2 3 4; do
	(for k in 1 2 3 4 5; do bssh 127.0.3.$a carol "$WRONG" whoami; done) > /dev/null 2>&1 &
	eval "s$a=\$!"
done
for a in 1 2 3 4; do eval "wait \$s$a"; done
check "each stranger's 5 failures are logged as wrong passwords" \
	"[ \$(lines 127.0.3.1 carol ssh 'refused: wrong password') -eq $PAIR_BURST ] &&
	 [ \$(lines 127.0.3.4 carol ssh 'refused: wrong password') -eq $PAIR_BURST ]"
fails "a 6th try from one of them is refused, even with the right password" \
	bssh 127.0.3.1 carol "$PW" whoami
check "and logged as throttled, not judged" \
	"[ \$(lines 127.0.3.1 carol ssh 'refused: throttled') -eq 1 ] &&
	 [ \$(lines 127.0.3.1 carol ssh 'right password') -eq 0 ]"

# 30 failures from elsewhere: the owner at a clean address gets in, slowed
a=$(ms)
ok "the owner logs in from a clean address after 30 failures from elsewhere" \
	bssh 127.0.4.1 carol "$PW" whoami
b=$(ms)
check "the right user" "grep -q carol '$T/out'"
check "slowed down while the name is under attack ($((b - a)) ms, at least 2000)" \
	"[ $((b - a)) -ge 1950 ]"
check "logged with its address" "[ \$(lines 127.0.4.1 carol ssh 'right password') -eq 1 ]"
alerts() {
	grep -l "Subject: pgal: failed logins" "$PGAL_HOME/outbox"/*.eml 2>/dev/null | wc -l
}
check "the owner was mailed once" \
	"[ \$(alerts) -eq 1 ] && grep -l 'Subject: pgal: failed logins' '$PGAL_HOME'/outbox/*.eml |
	 xargs grep -q 'To: carol@example.org'"
bssh 127.0.3.6 carol "$WRONG" whoami > /dev/null 2>&1
check "and not again for more failures" "[ \$(alerts) -eq 1 ]"

done_testing
