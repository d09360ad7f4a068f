#!/bin/sh
# A client that floods its input cannot wedge its connection: a command
# that never reads stdin still sends all its output, a TUI flooded with
# keys keeps drawing, and either ends with its client. The connection
# process writes a child's input only when it would not block; the rest
# waits in the SSH window.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 64M"
PW='alice password 1'
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null
# 28 MB: far more than a pipe and the input buffer hold. The upload is
# itself input to a command (the scp sink): the download below compares it.
ok "a big photo goes in" pw_scp "$PW" "$FIX/big-24mp.jpg" alice@$HOST:trip/x.jpg
# the upload is answered before the ingest queue has stored it
wait_until 30 "$PGAL" info trip/x.jpg
KSSH="ssh $SSHO -p $PORT -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no -i $T/id_alice"

# (a) endless stdin to a command that never reads it
timeout 60 $KSSH alice@$HOST get trip/x.jpg < /dev/zero > "$T/got.jpg" 2> "$T/get.err"
rc=$?
check "get with endless stdin finishes (exit $rc)" "[ $rc -eq 0 ]"
check "and the download is byte for byte the original" "cmp -s '$FIX/big-24mp.jpg' '$T/got.jpg'"
check "the connection process exits afterwards" "wait_until 10 no_children $SSHD_PID"
check "and logs its end" "grep -q 'exec done: user alice status 0' '$T/sshd.log'"

# (b) a guest TUI flooded with keys while it draws. The client runs in the
# tmux harness, so the checks read its screen; its keys come from a fifo
# that this shell holds open (fd 3), so the flood ends without an EOF.
mkfifo "$T/keys"
ssh_term 80 24 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no \
	gallery@$HOST "< '$T/keys'"
exec 3<> "$T/keys"
check "the guest gets the welcome screen" "wait_for 'Sign up'"
printf s >&3
check "s opens the sign-up form" "wait_for 'User name'"
# 100 KB of keys: more than the pty and the connection's input buffer
# (CONN_IN_MAX) hold, so the rest waits in the SSH window while the TUI
# draws. Each word is typed and erased (DEL) again, so every key redraws
# the field, and the field ends empty only if no key was lost or
# reordered; 10 bytes a word, so a lost buffer-sized chunk shows.
# (The writers are bounded by timeout: a fifo nobody drains would block.)
timeout 60 python3 -c 'import sys; sys.stdout.buffer.write((b"flood" + b"\x7f" * 5) * 10000)' >&3 &
fpid=$!
check "the flooded keys are drawn" "wait_for 'User name +f'"
wait "$fpid"
# what is typed after the flood shows alone in the field once the TUI has
# taken every key before it: a wedged connection draws nothing more, and
# one that dropped input leaves a stray part of a word or loses the marker
timeout 10 printf after-flood >&3
check "the TUI takes the whole flood and still answers" "wait_for 'User name +after-flood *\$' 120"
check "the client is still connected" "! test -s '$T/ssh.rc'"
check "a connection process serves it" "[ -n \"\$(pgrep -P $SSHD_PID)\" ]"
# the client goes (its terminal is closed under it)
term_cleanup
exec 3>&-
check "killing the client ends the connection process" "wait_until 10 no_children $SSHD_PID"
check "and logs the guest's disconnection" "grep -q 'disconnected: user gallery' '$T/sshd.log'"
done_testing
