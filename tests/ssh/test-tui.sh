#!/bin/sh
# The TUI over SSH in a real terminal (tmux): the guest signs up and
# confirms, a key user lands logged in, resizes reach the TUI, q ends the
# session with exit status 0, and SIGTERM lets a running session finish.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='correct horse battery'

tmux_start 100 30 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST
step "the guest gets the welcome screen with no password" "Sign up"
tmux_keys s
step "sign up asks for the password twice" "Password again"
tmux_type carol; tmux_keys Enter
tmux_type carol@example.org; tmux_keys Enter
tmux_type "$PW"; tmux_keys Enter
tmux_type "$PW"; tmux_keys Enter
step "sign up leads to the code screen" "Code"
check "the password was not echoed" "! grep -q 'correct horse' '$T/screen'"
code=$(outbox_code)
check "a code was mailed to the outbox" "[ -n '$code' ]"
tmux_type "$code"; tmux_keys Enter
step "the code confirms the account" "account confirmed"
tmux_type "$PW"; tmux_keys Enter
step "logging in inside the guest TUI works" "[Nn]o albums|albums"
tmux_keys q
tmux_keys q
tmux_keys Q
step "q leaves with exit status 0" "SSH-EXIT=0" 10
check "the session end is logged" "grep -q 'tui done: user gallery status 0' '$T/sshd.log'"
tmux -S "$TMUX_SOCK" kill-server 2>/dev/null

# a user with a key lands logged in
add_key carol "$PW"
"$PGAL" mkalbum holidays >/dev/null
tmux_start 80 24 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_carol" carol@$HOST
step "a key login opens the albums screen, logged in" "holidays"
check "not the welcome screen" "! grep -q 'Sign up' '$T/screen'"
tmux -S "$TMUX_SOCK" resize-window -x 132 -y 40
sleep 0.5
tmux_screen > "$T/screen"
w=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$T/screen")
check "a resize reaches the TUI (screen now $w columns wide)" "[ $w -gt 100 ]"
check "and its rows ($(wc -l < "$T/screen"))" "[ \$(wc -l < '$T/screen') -ge 39 ]"

# SIGTERM: no new connections, this session continues
kill -TERM "$SSHD_PID"
sleep 0.3
fails "new connections are refused while draining" key_ssh "$T/id_carol" carol whoami
tmux_keys '?'
step "the running session still answers" "help|Help|keys"
tmux_keys q
tmux_keys Q
step "and ends normally" "SSH-EXIT=0" 10
i=0; while kill -0 "$SSHD_PID" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
check "then the server exits" "! kill -0 $SSHD_PID 2>/dev/null"
SSHD_PID=
done_testing
