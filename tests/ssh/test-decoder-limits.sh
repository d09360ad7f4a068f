#!/bin/sh
# Decoders against a memory attack. The field test: an 830 kB 16-bit
# interlaced PNG of 10000x10000 made one pgal-decode peak at 910 MB, and four
# such uploads on four connections took 3.5 GB. Now the header's demand is
# checked against decode_memory_max before any decode, and at most
# decoders_max decoders run at once on the host, SSH connections and the
# CLI together (counted here from outside, in the process table).
. "$(dirname "$0")/lib.sh"
setup_home
# the CLI and the server read the same limit (a variable: old builds ignore it)
export PGAL_DECODERS_MAX=2
start_sshd
PW='alice password 1'
make_user alice "$PW"
PGAL_PASSWORD=$PW "$PGAL" login alice > /dev/null 2>&1
ok "mkalbum" pw_ssh alice "$PW" mkalbum trip
MKPNG="$TESTS_LIB/make-png.py"

# the attack file, and what the server says of it at once
ok "a 16-bit interlaced PNG of 10000x10000" python3 "$MKPNG" "$T/bomb.png" 10000 10000 16 2 1
check "of under a megabyte" "[ \$(wc -c < '$T/bomb.png') -lt 1048576 ]"
# as docs/operators.md counts: 64 MB of decoder and the image held whole at 6
# bytes a pixel, against the default of max_pixels x 4 bytes + 128 MB
MB=1048576
NEED=$(( (64 * MB + 10000 * 10000 * 6 + MB - 1) / MB ))
LIMIT=$(( (100000000 * 4 + 128 * MB) / MB ))
fails "scp -O of it is refused" pw_scp "$PW" -O "$T/bomb.png" alice@$HOST:trip/
check "saying what it needs and the limit" \
	"grep -q 'bomb.png: image needs $NEED MB to decode, limit is $LIMIT MB' '$T/err'"
fails "scp over SFTP of it is refused" pw_scp "$PW" "$T/bomb.png" alice@$HOST:trip/
check "the server says why" "grep 'sftp' '$T/sshd.log' | grep -q 'image needs $NEED MB to decode, limit is $LIMIT MB'"
fails "pgal put of it is refused" "$PGAL" put trip "$T/bomb.png"
check "with the same reason" "grep -q 'image needs $NEED MB to decode, limit is $LIMIT MB' '$T/err'"
fails "a lower decode_memory_max refuses smaller ones" \
	env PGAL_DECODE_MEMORY_MAX=32M "$PGAL" put trip "$FIX/big-24mp.png"
check "naming the limit" "grep -q 'limit is 32 MB (decode_memory_max)' '$T/err'"

# four uploads at once, two over SSH (one connection each) and two from
# the CLI, each a decode of a second or so (a 16-bit interlaced PNG held
# whole, 72 MB): never more than two decoders at once
i=0
while [ $i -lt 4 ]; do
	python3 "$MKPNG" "$T/u$i.png" 4000 $((3000 + i)) 16 2 1 || echo "Bail out! cannot make test images"
	i=$((i + 1))
done
python3 "$TESTS_LIB/decoder-watch.py" "$T/" "$T/watch.stop" "$T/watch.json" &
WATCH=$!
for i in 0 1; do
	pw_scp "$PW" -O "$T/u$i.png" alice@$HOST:trip/ > "$T/scp$i.log" 2>&1 &
done
for i in 2 3; do
	"$PGAL" put trip "$T/u$i.png" > "$T/put$i.log" 2>&1 &
done
# the scp and put clients end; the SSH uploads are then stored in the background
stored() { [ "$("$PGAL" ls trip 2>/dev/null | grep -c 'u[0-3]\.png')" -eq 4 ]; }
wait_until 90 stored
: > "$T/watch.stop"
wait "$WATCH"
ok "all four are stored" stored
cat "$T/watch.json" > "$T/out"
jcheck "decoders were seen running (the watch works)" "j['most'] >= 1 and j['samples'] > 20"
jcheck "never more than decoders_max = 2 at once" "j['most'] <= 2"
jcheck "together within decoders_max x decode_memory_max" "j['most_rss_kb'] * 1024 <= 2 * $LIMIT * $MB"
echo "# decoders at once: $(jget "j['most']"), their memory together at most $(jget "j['most_rss_kb'] // 1024") MB"

# The slots are flock'd files under PGAL_HOME/decoders: here one process
# outside holds the only one, as a decoder's caller would. An upload waits
# for it however long (the wait is not the file's ssh_ingest_timeout_secs),
# and the holder's death frees it at once.
stop_sshd
export PGAL_DECODERS_MAX=1
start_sshd "ssh_ingest_timeout_secs = 2"
mkdir -p "$PGAL_HOME/decoders"
SLOT="$PGAL_HOME/decoders/slot.0"
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
time.sleep(120)' "$SLOT" &
HOLDER=$!
held() { ! flock -n "$SLOT" true; }
wait_until 10 held
# scp -O ends once its files are stored (it reports late failures)
pw_scp "$PW" -O "$FIX/orient-2.jpg" alice@$HOST:trip/ > "$T/scp.log" 2>&1 &
SCP=$!
waiting() { ls "$PGAL_HOME/decoders" | grep -q '^wait\.'; }
check "and waits in the queue" "wait_until 10 waiting"
since=$(date +%s)
past_timeout() { [ $(($(date +%s) - since)) -gt 3 ]; }
wait_until 10 past_timeout
check "still waiting after the 2 s ingest timeout" "waiting && ! grep -q 'orient-2.jpg accepted but not stored' '$T/sshd.log'"
kill -9 "$HOLDER"
orient2() { "$PGAL" ls trip 2>/dev/null | grep -q 'orient-2\.jpg'; }
check "once the holder is killed, the upload is stored" "wait_until 30 orient2"
check "and leaves the queue" "! waiting"
check "scp -O ends well" "wait $SCP"
done_testing
