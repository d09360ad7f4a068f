#!/bin/sh
# Many sessions at once, each in its own process; and a client killed in
# the middle of an upload (SFTP and legacy scp) leaves nothing behind: no
# row, and after gc no orphan blob.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 64M"
PW='alice password 1'
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null
ok "a photo for the counts" pw_scp "$PW" "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/

# 50 at once: 44 holding an scp sink open, 6 guest TUIs
pids=
i=0
while [ $i -lt 44 ]; do
	sleep 25 | key_ssh "$T/id_alice" alice scp -t trip/ > "$T/hold.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
while [ $i -lt 50 ]; do
	sleep 25 | ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST > "$T/hold.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
j=0
while [ $j -lt 300 ]; do
	a=$(grep -c 'auth ok' "$T/sshd.log")
	s=$(grep -l 'Sign up' "$T"/hold.4[4-9] 2>/dev/null | wc -l)
	r=0; for f in "$T"/hold.[0-9] "$T"/hold.[1-3][0-9] "$T"/hold.4[0-3]; do [ -s "$f" ] && r=$((r + 1)); done
	[ "$a" -ge 51 ] && [ "$s" -eq 6 ] && [ "$r" -eq 44 ] && break
	sleep 0.2; j=$((j + 1))
done
check "50 sessions authenticated ($a logins counting the first)" "[ $a -ge 51 ]"
check "44 scp sinks answered at once ($r)" "[ $r -eq 44 ]"
check "6 guest TUIs drew their welcome screen ($s)" "[ $s -eq 6 ]"
nconn=$(pgrep -P "$SSHD_PID" | wc -l)
check "one connection process each ($nconn)" "[ $nconn -ge 50 ]"
ok "one more still gets in" key_ssh "$T/id_alice" alice whoami
kill $pids 2>/dev/null
# not a bare wait: the server is a child of this shell too
for p in $pids; do wait $p 2>/dev/null; done
j=0; while [ "$(pgrep -P "$SSHD_PID" | wc -l)" -gt 0 ] && [ $j -lt 100 ]; do sleep 0.1; j=$((j + 1)); done
check "every connection process ended with its client" "[ \$(pgrep -P $SSHD_PID | wc -l) -eq 0 ]"
check "no connection process crashed" "! grep -q 'killed by signal' '$T/sshd.log'"

# killed mid-upload: the 28 MB fixture at 2 Mbit/s takes minutes
rows_before=$(count_rows)
# setsid: the whole client (sshpass, scp, ssh) is killed, as by a crash
for mode in "" -O; do
	setsid sshpass -p "$PW" scp $SSHO -P "$PORT" -o PubkeyAuthentication=no $mode -l 2000 \
		"$FIX/big-24mp.jpg" alice@$HOST:trip/ > /dev/null 2>&1 &
	p=$!
	sleep 3
	kill -9 -$p 2>/dev/null; wait $p 2>/dev/null
done
sleep 2
check "the uploads were under way when killed" "[ \$(grep -c 'auth ok: user alice method password' '$T/sshd.log') -ge 3 ]"
check "neither door stored the file" "! grep -q 'stored trip/big-24mp.jpg' '$T/sshd.log'"
check "no row for the killed uploads" "[ \$(count_rows) -eq $rows_before ]"
check "the spool holds nothing" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"
ok "gc" "$PGAL" gc --min-age 0
check "no orphan blob: each row has its 3 blobs, nothing else" blobs_match_rows
ok "the server still serves" key_ssh "$T/id_alice" alice ls trip --json
jcheck "with the one photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
done_testing
