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

# 50 at once: 44 holding an scp sink open, 6 guest TUIs; their input is a
# fifo this shell holds open (fd 5, not handed to them) until they are killed
mkfifo "$T/hold.in"
exec 5<> "$T/hold.in"
pids=
i=0
while [ $i -lt 44 ]; do
	key_ssh "$T/id_alice" alice scp -t trip/ < "$T/hold.in" 5>&- > "$T/hold.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
while [ $i -lt 50 ]; do
	ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST \
		< "$T/hold.in" 5>&- > "$T/hold.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
# all_up: the 50 logged in (a), the sinks answered (r), the TUIs drew (s)
all_up() {
	a=$(grep -c 'auth ok' "$T/sshd.log")
	s=$(grep -l 'Sign up' "$T"/hold.4[4-9] 2>/dev/null | wc -l)
	r=0; for f in "$T"/hold.[0-9] "$T"/hold.[1-3][0-9] "$T"/hold.4[0-3]; do [ -s "$f" ] && r=$((r + 1)); done
	[ "$a" -ge 51 ] && [ "$s" -eq 6 ] && [ "$r" -eq 44 ]
}
wait_until 60 all_up
check "50 sessions authenticated ($a logins counting the first)" "[ $a -ge 51 ]"
check "44 scp sinks answered at once ($r)" "[ $r -eq 44 ]"
check "6 guest TUIs drew their welcome screen ($s)" "[ $s -eq 6 ]"
nconn=$(pgrep -P "$SSHD_PID" | wc -l)
check "one connection process each ($nconn)" "[ $nconn -ge 50 ]"
ok "one more still gets in" key_ssh "$T/id_alice" alice whoami
kill $pids 2>/dev/null
# not a bare wait: the server is a child of this shell too
for p in $pids; do wait $p 2>/dev/null; done
exec 5>&-
wait_until 10 no_children "$SSHD_PID"
check "every connection process ended with its client" "[ \$(pgrep -P $SSHD_PID | wc -l) -eq 0 ]"
check "no connection process crashed" "! grep -q 'killed by signal' '$T/sshd.log'"

# killed mid-upload: the 28 MB fixture at 2 Mbit/s takes minutes
rows_before=$(count_rows)
# spooling: a server process (a connection or its scp sink) holds a spool
# file with 100 KB of the upload in it
spooling() {
	for sp_c in $(pgrep -P "$SSHD_PID"); do
		for sp_p in $sp_c $(pgrep -P "$sp_c"); do
			for sp_fd in /proc/$sp_p/fd/*; do
				case $(readlink "$sp_fd" 2>/dev/null) in
				*/spool/*) [ "$(stat -L -c %s "$sp_fd" 2>/dev/null || echo 0)" -gt 100000 ] && return 0 ;;
				esac
			done
		done
	done
	return 1
}
# setsid: the whole client (sshpass, scp, ssh) is killed, as by a crash
under=0
for mode in "" -O; do
	setsid sshpass -p "$PW" scp $SSHO -P "$PORT" -o PubkeyAuthentication=no $mode -l 2000 \
		"$FIX/big-24mp.jpg" alice@$HOST:trip/ > /dev/null 2>&1 &
	p=$!
	wait_until 20 spooling && under=$((under + 1))
	kill -9 -$p 2>/dev/null; wait $p 2>/dev/null
done
# the server has seen both clients go
wait_until 10 no_children "$SSHD_PID"
check "the uploads were under way when killed ($under of 2 spooling)" \
	"[ \$(grep -c 'auth ok: user alice method password' '$T/sshd.log') -ge 3 ] && [ $under -eq 2 ]"
check "neither door stored the file" "! grep -q 'stored trip/big-24mp.jpg' '$T/sshd.log'"
check "no row for the killed uploads" "[ \$(count_rows) -eq $rows_before ]"
check "the spool holds nothing" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"
ok "gc" "$PGAL" gc --min-age 0
check "no orphan blob: each row has its 3 blobs, nothing else" blobs_match_rows
ok "the server still serves" key_ssh "$T/id_alice" alice ls trip --json
jcheck "with the one photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
done_testing
