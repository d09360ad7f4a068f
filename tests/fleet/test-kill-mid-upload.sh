#!/bin/sh
# A host killed (SIGKILL, every process of it, as a lost machine) while it
# stores a user's uploads: its notes in the shared store say the uploads
# are still being stored, so the user's commands on the other host wait,
# but only until the notes expire (ssh_upload_marker_secs, nobody refreshes
# them), never the full ingest limit; then they answer at once. What it
# had half written goes with `pgal gc`: no photo row without its three
# blobs, no blob without its row. On MariaDB and s3rver.
# pgal-test: plain build only (the sanitizer build runs the shared upload notes in
# tests/ssh/test-read-own-uploads.sh and the store contract)
. "$(dirname "$0")/lib.sh"
PW='alice password 1'
TTL=6
make_camera_jpegs "$T/cam" 8 || fleet_bail "cannot make test photos"
fleet_start mysql 2 "max_upload_bytes = 16M" "ssh_ingest_timeout_secs = 40" \
    "max_pixels = 1000000000" "ssh_ingest_workers = 1" "ssh_upload_marker_secs = $TTL"
make_user alice "$PW" || fleet_bail "cannot make the user"
add_key alice "$PW" || fleet_bail "cannot add the key"
"$PGAL" mkalbum trip > /dev/null
k() { key_ssh "$T/id_alice" alice "$@"; }
stored_on_1() {
	grep -c 'stored trip/' "$T/host1/sshd.log"
}

ok "scp of 8 camera photos through host 1" at 1 key_scp "$T/id_alice" "$T"/cam/c0[0-7].jpg \
    alice@$HOST:trip/
# mid-way: one stored, the others queued or being decoded
wait_until 30 eval '[ "$(stored_on_1)" -ge 1 ]'
host_stop 1 KILL
killed_at=$(date +%s)
stored=$(stored_on_1)
check "host 1 was killed with $stored of 8 stored" "[ $stored -ge 1 ] && [ $stored -lt 8 ]"
check "its notes of the rest are in the shared store" \
    "[ \"\$(fleet_sql 'SELECT COUNT(*) FROM uploads WHERE until_at > UNIX_TIMESTAMP()')\" -ge 1 ]"

# the other host waits for them until they expire, not for 40 s
t0=$(date +%s%N)
ok "ls trip --json through host 2" at 2 k ls trip --json
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
check "it answered once the notes expired, within $TTL s of the kill and well before the 40 s limit ($ms ms)" \
    "[ \$(( \$(date +%s) - killed_at )) -le $((TTL + 5)) ]"
check "without a warning" "[ ! -s '$T/err' ]"
jcheck "listing what was stored" "len(j) >= $stored and len(j) < 8"
check "no live note is left" \
    "[ \"\$(fleet_sql 'SELECT COUNT(*) FROM uploads WHERE until_at > UNIX_TIMESTAMP()')\" -eq 0 ]"
t0=$(date +%s%N)
ok "a second ls through host 2" at 2 k ls trip --json
t1=$(date +%s%N)
check "answers at once ($(( (t1 - t0) / 1000000 )) ms)" "[ $(( (t1 - t0) / 1000000 )) -lt 3000 ]"

# what the dead host half wrote
ok "pgal gc --min-age 0" "$PGAL" gc --min-age 0
cp "$T/out" "$T/gc.out"
check "every row has its blobs and every blob its row" rows_match_blobs
sed 's/^/# gc: /' "$T/gc.out"

# the host comes back and works as before
host_start 1
ok "scp of the 8 again through host 1 (the rest are stored now)" at 1 key_scp "$T/id_alice" \
    "$T"/cam/c0[0-7].jpg alice@$HOST:trip/
ok "ls trip --json through host 2" at 2 k ls trip --json
jcheck "lists all 8" "sorted(p['name'] for p in j) == ['c%02d.jpg' % i for i in range(8)]"
check "every row has its blobs and every blob its row" rows_match_blobs
done_testing
