#!/bin/sh
# Read your own uploads: photos sent over SFTP or scp are stored in the
# background, yet a command run right after the client is done (another
# connection, as a script does) sees them: the user's commands on this host
# wait until the user's upload queues are empty. whoami and an scp sink do
# not wait; a queue that does not empty in time (ssh_ingest_timeout_secs)
# makes the command say so and show what is stored so far.
. "$(dirname "$0")/lib.sh"
setup_home
PW='alice password 1'
start_sshd "max_upload_bytes = 16M" "ssh_ingest_timeout_secs = 4" "max_pixels = 1000000000"
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null
"$PGAL" mkalbum slow >/dev/null
"$PGAL" mkalbum fz >/dev/null
k() { key_ssh "$T/id_alice" alice "$@"; }
stored_count() {
	"$PGAL" ls "$1" --json 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

# camera-size photos: each takes far longer to store than to send
make_camera_jpegs "$T/cam" 16 || echo "Bail out! cannot make test photos"
check "16 camera photos made" "[ \$(ls '$T'/cam/*.jpg | wc -l) -eq 16 ]"

# 1. sftp -b of eight, then at once ls over ssh (a new connection)
{ echo "cd /trip"; for i in 00 01 02 03 04 05 06 07; do echo "put $T/cam/c$i.jpg"; done; } > "$T/batch1"
ok "sftp -b of 8 camera photos" sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/batch1" alice@$HOST
before=$(stored_count trip)
ok "ls trip --json right after" k ls trip --json
jcheck "lists all 8" "sorted(p['name'] for p in j) == ['c%02d.jpg' % i for i in range(8)]"
check "not by luck: only $before of 8 were stored when the client was done" "[ $before -lt 8 ]"
check "and it said nothing on stderr" "[ ! -s '$T/err' ]"

# 1b. the same over SFTP (FileZilla uploads on one connection and lists on
# another): scp of six, then at once a listing and a download in sftp
ok "scp (SFTP) of 6 camera photos" scp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" $(for i in 10 11 12 13 14 15; do echo "$T/cam/c$i.jpg"; done) alice@$HOST:fz/
before=$(stored_count fz)
printf 'ls -1 /fz\nget /fz/c15.jpg %s\n' "$T/back15.jpg" > "$T/batch1b"
ok "sftp -b: ls and get right after" sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/batch1b" alice@$HOST
check "the listing has all 6" "[ \$(grep -c '^/fz/c1[0-5].jpg\$' '$T/out') -eq 6 ]"
check "the last one comes back byte for byte" "cmp -s '$T/back15.jpg' '$T/cam/c15.jpg'"
check "not by luck: only $before of 6 were stored when scp was done" "[ $before -lt 6 ]"

# 2. a download right after an upload: scp -O -f reads the stored original
ok "scp (SFTP) of one more" scp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" "$T/cam/c08.jpg" alice@$HOST:trip/
ok "scp -O gets it back at once" scp -O $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST:trip/c08.jpg "$T/back.jpg"
check "byte for byte" "cmp -s '$T/back.jpg' '$T/cam/c08.jpg'"

# 3. a queue that does not empty in time: a photo whose decode takes
# seconds, its worker stopped dead; ls waits ssh_ingest_timeout_secs
# (4 s), says so, shows what is stored; whoami does not wait
make_huge_png "$T/huge.png" || echo "Bail out! cannot make the PNG"
# the earlier connections are gone (their workers too)
wait_until 10 no_children "$SSHD_PID"
# an sftp session that puts the PNG and stays open until its commands end:
# they come through a fifo this shell holds open (fd 6)
mkfifo "$T/sftp3.in"
sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST < "$T/sftp3.in" > "$T/sftp3" 2>&1 &
SFTP=$!
exec 6> "$T/sftp3.in"
echo "put $T/huge.png /slow/huge.png" >&6
# the server's descendants at ssh_ingest_nice (10): the ingest worker and
# any decoder it started
niced() {
	ps -eo pid=,ppid=,ni= | python3 -c '
import sys
root = sys.argv[1]
rows = [l.split() for l in sys.stdin]
kids = {}
for pid, ppid, ni in rows:
    kids.setdefault(ppid, []).append((pid, ni))
out, todo = [], [root]
while todo:
    for pid, ni in kids.get(todo.pop(), []):
        todo.append(pid)
        if ni == "10":
            out.append(pid)
print(" ".join(out))' "$SSHD_PID"
}
# worker_found: niced processes run; their pids in $W
worker_found() {
	W=$(niced)
	[ -n "$W" ]
}
W=
wait_until 10 worker_found
[ -n "$W" ] && kill -STOP $W 2>/dev/null
check "an ingest worker was found and stopped ($W)" "[ -n '$W' ]"
# ls starts at once, beside whoami: the server ends the stopped worker 2 s
# after its limit, so an ls that started later than that would find the
# queue gone and answer without waiting
t0=$(date +%s%N)
( k ls slow --json > "$T/ls.out" 2> "$T/ls.err" < /dev/null; echo $? > "$T/ls.rc"
  date +%s%N > "$T/ls.end"
  grep -c 'slow/huge.png accepted but not stored' "$T/sshd.log" > "$T/ls.ended-before" ) &
LS=$!
ok "whoami --json" k whoami --json
t1=$(date +%s%N)
check "whoami did not wait ($(( (t1 - t0) / 1000000 )) ms)" "[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]"
wait $LS
cp "$T/ls.out" "$T/out"; cp "$T/ls.err" "$T/err"
check "ls slow --json" "[ \"\$(cat '$T/ls.rc')\" = 0 ]"
t1=$t0 t2=$(cat "$T/ls.end")
jcheck "shows what is stored so far: nothing" "j == []"
# ls waits out its limit, or (the same race as below: under load the worker
# was found and stopped late, so its own limit came before ls's) until the
# server ended the worker and its note went, which it logged before ls ended
check "after waiting the limit, not much more ($(( (t2 - t1) / 1000000 )) ms), or until the worker was ended" \
	"{ [ $(( (t2 - t1) / 1000000 )) -ge 3900 ] || [ \$(cat '$T/ls.ended-before') -gt 0 ]; } &&
	 [ $(( (t2 - t1) / 1000000 )) -lt 9000 ]"
# saying so on stderr; but under load ls may start late enough that the
# server has already ended the stopped worker (2 s after its limit) when
# ls's own limit comes: then nothing is pending any more, ls rightly says
# nothing, and the worker's end was logged before ls returned
check "saying so on stderr (or the worker was ended, and logged, before ls's limit)" \
	"grep -q 'uploads are still being stored; showing what is stored so far' '$T/err' ||
	 { [ \$(cat '$T/ls.ended-before') -gt 0 ] && [ ! -s '$T/err' ]; }"
kill -CONT $W 2>/dev/null
exec 6>&-
wait $SFTP
# the stopped worker overran its limit and was ended; a new queue starts clean
ok "later uploads are read back at once again" scp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" "$T/cam/c09.jpg" alice@$HOST:slow/again.jpg
ok "ls slow --json" k ls slow --json
jcheck "lists it, and not the stopped one" "[p['name'] for p in j] == ['again.jpg']"
check "the stopped one was logged as not stored" "grep -q 'slow/huge.png accepted but not stored: processing took longer than 4 s' '$T/sshd.log'"
check "without a word on stderr" "[ ! -s '$T/err' ]"

# 4. SFTP waits for nothing: a listing on another connection shows the
# upload still queued (stopped) on the first, with its size, at once
# (interactive clients give up on a silent server: 20 s for FileZilla)
stop_sshd
start_sshd "max_upload_bytes = 16M" "ssh_ingest_timeout_secs = 40" "max_pixels = 1000000000"
"$PGAL" mkalbum slow2 >/dev/null
wait_until 10 no_children "$SSHD_PID"
mkfifo "$T/sftp4.in"
sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST < "$T/sftp4.in" > "$T/sftp4" 2>&1 &
SFTP=$!
exec 6> "$T/sftp4.in"
echo "put $T/huge.png /slow2/huge.png" >&6
W=
wait_until 10 worker_found
[ -n "$W" ] && kill -STOP $W 2>/dev/null
check "an ingest worker was found and stopped ($W)" "[ -n '$W' ]"
printf 'ls -l /slow2\n' > "$T/batch4"
t0=$(date +%s%N)
ok "sftp -b ls of the album on another connection" sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/batch4" alice@$HOST
t1=$(date +%s%N)
check "answered at once, not after 40 s ($(( (t1 - t0) / 1000000 )) ms)" "[ $(( (t1 - t0) / 1000000 )) -lt 5000 ]"
check "listing the queued upload with its size" "grep -Eq ' $(stat -c %s "$T/huge.png") .*huge.png\$' '$T/out'"
# the stopped worker is ended here, not at the 40 s limit
kill -CONT $W 2>/dev/null; kill -9 $W 2>/dev/null
exec 6>&-
wait $SFTP
done_testing
