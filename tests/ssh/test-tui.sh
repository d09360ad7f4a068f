#!/bin/sh
# The TUI over SSH in a real terminal (tmux): the guest signs up and
# confirms, a key user lands logged in, resizes reach the TUI, q ends the
# session with exit status 0, and SIGTERM lets a running session finish.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='correct horse battery'

ssh_term 100 30 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST
step "the guest gets the welcome screen with no password" "Sign up"
keys s
step "sign up asks for the password twice" "Password again"
type_text carol; keys Enter
type_text carol@example.org; keys Enter
type_text "$PW"; keys Enter
type_text "$PW"; keys Enter
step "sign up leads to the code screen" "Code"
check "the password was not echoed" "! grep -q 'correct horse' '$T/screen'"
code=$(outbox_code)
check "a code was mailed to the outbox" "[ -n '$code' ]"
wait_until 5 log_has "$T/sshd.log" "mail for carol: "
check "the server's log says where it was written" "grep -qF 'mail for carol: mail is kept as files in $PGAL_HOME/outbox' '$T/sshd.log'"
type_text "$code"; keys Enter
step "the code confirms the account" "account confirmed"
type_text "$PW"; keys Enter
step "logging in inside the guest TUI works" "[Nn]o albums|albums"
keys q
keys q
keys Q
ssh_exits "q leaves with exit status 0" 0
check "the session end is logged" "grep -q 'tui done: user gallery status 0' '$T/sshd.log'"
term_cleanup

# a user with a key lands logged in
add_key carol "$PW"
"$PGAL" mkalbum holidays >/dev/null
ssh_term 80 24 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_carol" carol@$HOST
step "a key login opens the albums screen, logged in" "holidays"
check "not the welcome screen" "! grep -q 'Sign up' '$T/screen'"
# the TUI redraws at the new size: something is drawn past column 100 and
# on row 40
screen_width() {
	screen > "$T/screen" && awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/screen"
}
redrawn_wide() {
	[ "$(screen_width)" -gt 100 ] && [ -n "$(sed -n 40p "$T/screen" | tr -d ' ')" ]
}
term_resize 132 40
wait_until 10 redrawn_wide
w=$(screen_width)
check "a resize reaches the TUI (screen now $w columns wide)" "[ $w -gt 100 ]"
check "and its rows ($(wc -l < "$T/screen"))" "[ \$(wc -l < '$T/screen') -ge 39 ]"

# SIGTERM: no new connections, this session continues
kill -TERM "$SSHD_PID"
wait_until 10 log_has "$T/sshd.log" "stopping: no new connections"
fails "new connections are refused while draining" key_ssh "$T/id_carol" carol whoami
keys '?'
step "the running session still answers" "help|Help|keys"
keys q
keys Q
ssh_exits "and ends normally" 0
wait_until 5 pid_gone "$SSHD_PID"
check "then the server exits" "! kill -0 $SSHD_PID 2>/dev/null"
SSHD_PID=
done_testing
