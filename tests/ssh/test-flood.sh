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
j=0; while ! "$PGAL" info trip/x.jpg >/dev/null 2>&1 && [ $j -lt 300 ]; do sleep 0.1; j=$((j + 1)); done
KSSH="ssh $SSHO -p $PORT -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no -i $T/id_alice"

# wait_conns: until the server has no connection process left (0), or 10 s
wait_conns() {
	j=0
	while [ -n "$(pgrep -P "$SSHD_PID")" ] && [ $j -lt 100 ]; do sleep 0.1; j=$((j + 1)); done
	[ -z "$(pgrep -P "$SSHD_PID")" ]
}

# (a) endless stdin to a command that never reads it
timeout 60 $KSSH alice@$HOST get trip/x.jpg < /dev/zero > "$T/got.jpg" 2> "$T/get.err"
rc=$?
check "get with endless stdin finishes (exit $rc)" "[ $rc -eq 0 ]"
check "and the download is byte for byte the original" "cmp -s '$FIX/big-24mp.jpg' '$T/got.jpg'"
check "the connection process exits afterwards" wait_conns
check "and logs its end" "grep -q 'exec done: user alice status 0' '$T/sshd.log'"

# (b) a guest TUI flooded with keys while it draws
mkfifo "$T/keys"
timeout 60 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST \
	< "$T/keys" > "$T/tui.out" 2>&1 &
spid=$!
# s opens the sign-up form: every letter then is echoed and redrawn
{ printf s; sleep 1; yes abcdefghijklmnopqrstuvwxyz | tr -d '\n'; } > "$T/keys" 2>/dev/null &
gpid=$!
sleep 4
check "the flooded TUI keeps drawing" "grep -q 'Sign up\|Password\|Username\|username' '$T/tui.out'"
check "the client is still connected" "kill -0 $spid 2>/dev/null"
check "a connection process serves it" "[ -n \"\$(pgrep -P $SSHD_PID)\" ]"
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
kill "$gpid" 2>/dev/null
wait "$gpid" 2>/dev/null
check "killing the client ends the connection process" wait_conns
check "and logs the guest's disconnection" "grep -q 'disconnected: user gallery' '$T/sshd.log'"
done_testing
