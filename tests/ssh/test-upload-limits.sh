#!/bin/sh
# The limits around background ingest: the spool budget (ssh_spool_max)
# makes a close wait once the queued uploads fill it, and every file still
# arrives; with the default budget a bulk upload finishes before ingest
# does. The ingest worker runs at ssh_ingest_nice. A file whose ingest
# overruns ssh_ingest_timeout_secs (a worker stopped dead, or a decode that
# takes too long) is logged as not stored, leaves nothing, and the files
# after it are stored by a new worker. An SFTP client that stops reading
# its replies cannot wedge the connection past the idle timeout.
. "$(dirname "$0")/lib.sh"
setup_home
PW='alice password 1'
start_sshd "max_upload_bytes = 8M" "ssh_spool_max = 13M"
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum b >/dev/null
"$PGAL" mkalbum d >/dev/null
"$PGAL" mkalbum t >/dev/null
"$PGAL" mkalbum p >/dev/null
SPOOL_MAX=$((13 * 1024 * 1024))

# camera-size photos: decoding one takes far longer than sending it
make_camera_jpegs "$T/cam" 24 || echo "Bail out! cannot make test photos"
make_jpegs "$T/small" 5 || echo "Bail out! cannot make small photos"
check "24 camera photos, each within the upload limit and below the budget" \
	"[ \$(ls '$T'/cam/*.jpg | wc -l) -eq 24 ] && [ \$(stat -c %s '$T'/cam/*.jpg | sort -n | tail -1) -lt $SPOOL_MAX ]"

stored_count() {
	"$PGAL" ls "$1" --json 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
# stored_is ALBUM N: ALBUM holds N photos
stored_is() {
	[ "$(stored_count "$1")" -eq "$2" ]
}
# wait_stored ALBUM N: until ALBUM holds N photos (60 s at most)
wait_stored() {
	wait_until 60 stored_is "$1" "$2"
}
# the connection processes of the server, and their children (the workers)
conn_pids() { pgrep -P "$SSHD_PID"; }
worker_pids() { for c in $(conn_pids); do pgrep -P "$c"; done; }
has_worker() { [ -n "$(worker_pids)" ]; }
# workers_seen ALBUM N [ENOUGH]: one sample of the ingest workers (the most
# at once so far in $most); true once ENOUGH were seen at once, or once the
# sftp client ($SFTP) is done and ALBUM holds N
workers_seen() {
	cnt=$(worker_pids | wc -l); [ "$cnt" -gt "$most" ] && most=$cnt
	[ -n "${3:-}" ] && [ "$most" -ge "$3" ] && return 0
	! kill -0 $SFTP 2>/dev/null && [ "$(stored_count "$1")" -ge "$2" ]
}
# $T/wait-t N: (run by the raw client's "sh:" steps) until album t holds N
cat > "$T/wait-t" <<EOF
. '$TESTS_LIB/wait.sh'
t_holds() { [ \$("\$PGAL_CLI" ls t --json | grep -c '"name"') -ge \$1 ]; }
wait_until 30 t_holds "\$1"
EOF

export SSHD_LOG="$T/sshd.log" PGAL_CLI="$PGAL"
# A raw SFTP client on one connection: each put prints its close status and
# how many photos of the album were stored right when the close was
# answered; "sh:CMD" runs a command between steps.
cat > "$T/sftp.py" <<'PY'
import os, re, subprocess, sys, time

import sftpwire

marks = {}

def stored(album):
    out = subprocess.run([os.environ["PGAL_CLI"], "ls", album, "--json"],
                         capture_output=True).stdout
    return out.count(b'"name"')

def put(local, remote):
    for step, code, msg in sftpwire.put(local, remote):
        if step != "close":
            print("%s %s %s %s" % (step, remote, code, msg))
            continue
        marks[remote] = time.monotonic()
        print("close %s %s stored %d %s" % (remote, code, stored(remote.split("/")[1]), msg),
              flush=True)

if not sftpwire.connect(sys.argv[1]):
    sys.exit("no VERSION")
for op in sys.argv[2:]:
    a = op.split(":", 2)
    if a[0] == "put":
        put(a[1], a[2])
    elif a[0] == "sh":
        r = subprocess.run(a[1], shell=True, capture_output=True, text=True)
        print("sh %s" % r.stdout.strip(), flush=True)
    elif a[0] == "waitlog":
        # waitlog:PATTERN:SINCE-REMOTE: seconds from that close to the line
        t0 = time.monotonic()
        while time.monotonic() - t0 < 60:
            if re.search(a[1], open(os.environ["SSHD_LOG"]).read()):
                print("logged after %.1f" % (time.monotonic() - marks[a[2]]), flush=True)
                break
            time.sleep(0.1)
        else:
            print("never logged")
sftpwire.close()
PY
raw() {
	raw_sftp_py "$T/sftp.py" alice "$@"
}

# 1. a small budget: the close waits while the queue fills it, the spool
# (sampled in /proc meanwhile) stays within it, and every file arrives
python3 - "$SSHD_PID" "$T/spool-max" <<'PY' &
import os, sys, time
root, out = int(sys.argv[1]), sys.argv[2]
def kids(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []
top = 0
end = time.monotonic() + 120
while time.monotonic() < end and not os.path.exists(out + ".stop"):
    seen = {}
    todo = kids(root)
    while todo:
        pid = todo.pop()
        todo += kids(pid)
        try:
            fds = os.listdir("/proc/%d/fd" % pid)
        except OSError:
            continue
        for fd in fds:
            path = "/proc/%d/fd/%s" % (pid, fd)
            try:
                if "/spool/" in os.readlink(path):
                    st = os.stat(path)
                    seen[(st.st_dev, st.st_ino)] = st.st_size
            except OSError:
                pass
    top = max(top, sum(seen.values()))
    time.sleep(0.005)
open(out, "w").write("%d\n" % top)
PY
SAMPLER=$!
ops=""
for i in 00 01 02 03 04 05 06 07 08 09 10 11; do ops="$ops put:$T/cam/c$i.jpg:/b/c$i.jpg"; done
raw $ops > "$T/raw1" 2>&1
touch "$T/spool-max.stop"; wait $SAMPLER
cat "$T/raw1" | sed 's/^/# /'
check "all 12 closes answered OK" "[ \$(grep -c '^close /b/c[01][0-9].jpg 0 ' '$T/raw1') -eq 12 ]"
# K: the most files that fit the budget at once (the smallest ones)
K=$(stat -c %s "$T"/cam/c0*.jpg "$T"/cam/c1[01].jpg | sort -n | python3 -c "import sys
t = k = 0
for v in sys.stdin:
    t += int(v)
    if t > $SPOOL_MAX: break
    k += 1
print(k)")
check "each close waited until at most $K uploads were queued (stored >= i - $K)" "python3 - '$T/raw1' $K <<'PY'
import sys
k = int(sys.argv[2])
rows = [l.split() for l in open(sys.argv[1]) if l.startswith('close ')]
sys.exit(0 if len(rows) == 12 and all(int(r[4]) >= i + 1 - k for i, r in enumerate(rows)) else 1)
PY"
check "the spool never held more than the budget ($(cat "$T/spool-max") of $SPOOL_MAX bytes)" \
	"[ \$(cat '$T/spool-max') -le $SPOOL_MAX ] && [ \$(cat '$T/spool-max') -ge \$(stat -c %s '$T/cam/c00.jpg') ]"
ok "all 12 are stored" wait_stored b 12
check "byte for byte" "for i in 00 05 11; do \"\$PGAL\" get b/c\$i.jpg > '$T/back.jpg' && cmp -s '$T/back.jpg' '$T/cam/c'\$i.jpg || exit 1; done"
check "the spool is empty" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"

# 2. the default budget takes the whole batch: the client is done before
# the ingest is
stop_sshd
start_sshd "max_upload_bytes = 8M" "ssh_ingest_nice = 7"
{ echo "cd /d"; for i in 12 13 14 15 16 17 18 19 20 21 22 23; do echo "put $T/cam/c$i.jpg"; done; } > "$T/batch2"
sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/batch2" alice@$HOST > "$T/out2" 2>&1 &
SFTP=$!
# the ingest worker, niced, while the transfer is not
wait_until 15 has_worker
W=$(worker_pids | head -1); C=$(conn_pids | head -1)
WNI=$(ps -o ni= -p "$W" 2>/dev/null | tr -d ' '); CNI=$(ps -o ni= -p "$C" 2>/dev/null | tr -d ' ')
LNI=$(ps -o ni= -p "$SSHD_PID" | tr -d ' ')
# while files wait, a second worker joins (ssh_ingest_workers defaults to
# 2, never more than the CPUs online): the most seen at once
most=0
wait_until 120 workers_seen d 12 2
wait $SFTP; rc=$?
now=$(stored_count d)
check "sftp -b of 12 camera photos succeeds" "[ $rc -eq 0 ]"
check "the ingest worker runs at ssh_ingest_nice 7 (it was $WNI)" "[ '$WNI' = 7 ]"
check "the connection process keeps the server's priority ($CNI, server $LNI)" "[ -n '$CNI' ] && [ '$CNI' = '$LNI' ]"
check "the client was done before the ingest ($now of 12 stored then)" "[ $now -lt 12 ]"
CPUS=$(getconf _NPROCESSORS_ONLN)
want=$((CPUS < 2 ? CPUS : 2))
check "$want ingest workers ran at once on $CPUS CPUs (most seen: $most)" "[ $most -eq $want ]"
ok "all 12 are stored" wait_stored d 12
check "each stored once, byte for byte" "[ \$(\"\$PGAL\" ls d --json | grep -c '\"name\"') -eq 12 ] && for i in 12 17 23; do \"\$PGAL\" get d/c\$i.jpg > '$T/back.jpg' && cmp -s '$T/back.jpg' '$T/cam/c'\$i.jpg || exit 1; done"

# 2b. ssh_ingest_workers = 1: one worker, whatever waits
stop_sshd
start_sshd "max_upload_bytes = 8M" "ssh_ingest_workers = 1"
"$PGAL" mkalbum one >/dev/null
# the same bytes again are refused as duplicates: b's copies go first
for i in 00 01 02 03 04 05; do "$PGAL" rm b/c$i.jpg >/dev/null; done
{ echo "cd /one"; for i in 00 01 02 03 04 05; do echo "put $T/cam/c$i.jpg"; done; } > "$T/batch2b"
sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/batch2b" alice@$HOST > "$T/out2b" 2>&1 &
SFTP=$!
most=0
wait_until 120 workers_seen one 6
wait $SFTP; rc=$?
check "sftp -b of 6 camera photos succeeds" "[ $rc -eq 0 ]"
check "one worker at a time (most seen: $most)" "[ $most -eq 1 ]"
ok "all 6 are stored" wait_stored one 6

# 3. a worker that hangs (stopped dead: its own alarm cannot end it): the
# file it holds overruns ssh_ingest_timeout_secs and is not stored; the
# next file goes to a new worker and is stored; the connection goes on
stop_sshd
start_sshd "ssh_ingest_timeout_secs = 3"
raw "put:$T/small/p000.jpg:/t/a.jpg" "sh:sh '$T/wait-t' 1; for c in \$(pgrep -P $SSHD_PID); do pgrep -P \$c; done > '$T/w3'; kill -STOP \$(cat '$T/w3')" \
	"put:$T/small/p001.jpg:/t/b.jpg" "put:$T/small/p002.jpg:/t/c.jpg" \
	"waitlog:t/b.jpg accepted but not stored:/t/b.jpg" \
	"sh:sh '$T/wait-t' 2; \"\$PGAL_CLI\" ls t --json | grep -c '\"name\"'" \
	"put:$T/small/p003.jpg:/t/d.jpg" > "$T/raw3" 2>&1
cat "$T/raw3" | sed 's/^/# /'
check "one worker was stopped" "[ \$(wc -w < '$T/w3') -eq 1 ]"
check "all four closes answered OK" "[ \$(grep -c '^close /t/[abcd].jpg 0 ' '$T/raw3') -eq 4 ]"
check "b.jpg: logged as not stored after the limit (3 s) and its grace, not much later" \
	"python3 -c 'import sys; t = float(sys.argv[1].split()[-1]); sys.exit(0 if 3 <= t <= 15 else 1)' \"\$(grep '^logged after' '$T/raw3')\""
check "saying it took too long" "grep -q 't/b.jpg accepted but not stored: processing took longer than 3 s' '$T/sshd.log'"
check "c.jpg, queued behind it, was stored meanwhile on the same connection" "grep -q '^sh 2\$' '$T/raw3'"
ok "and d.jpg after it" wait_stored t 3
ok "ls t" "$PGAL" ls t --json
jcheck "a, c and d are stored, b is not" "sorted(p['name'] for p in j) == ['a.jpg', 'c.jpg', 'd.jpg']"
check "the stopped worker was ended" "! kill -0 \$(cat '$T/w3') 2>/dev/null"
check "no row without its blobs" blobs_match_rows

# 4. a decode that takes too long (a 900-megapixel PNG, 2.5 s to ingest on
# the machine this was written on, against a 1 s limit): the worker's own
# alarm ends it; nothing of it stays once gc has run
stop_sshd
start_sshd "ssh_ingest_timeout_secs = 1" "max_pixels = 1000000000"
make_huge_png "$T/huge.png" || echo "Bail out! cannot make the PNG"
check "the PNG is 30000x30000 (vipsheader)" "[ \$(vipsheader -f width '$T/huge.png') -eq 30000 ] && [ \$(vipsheader -f height '$T/huge.png') -eq 30000 ]"
# the photo queued behind it must itself stay within the 1 s limit, also
# under ASan on a loaded machine: a 32x24 crop, not a 640x480 one
vips crop "$FIX/big-24mp.jpg" "$T/after.jpg[Q=85]" 123 77 32 24
raw "put:$T/huge.png:/p/huge.png" "put:$T/after.jpg:/p/after.jpg" \
	"waitlog:p/huge.png accepted but not stored:/p/huge.png" > "$T/raw4" 2>&1
cat "$T/raw4" | sed 's/^/# /'
check "both closes answered OK" "[ \$(grep -c '^close /p/.* 0 ' '$T/raw4') -eq 2 ]"
check "huge.png: not stored, it took longer than 1 s" "grep -q 'p/huge.png accepted but not stored: processing took longer than 1 s' '$T/sshd.log'"
ok "the photo after it is stored" wait_stored p 1
ok "gc removes what the ended worker left" "$PGAL" gc --min-age 0
check "no blob without its row, no row without its blobs" blobs_match_rows
check "the spool is empty" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"

# 5. a client that sends requests but stops reading the replies (its
# window closes): the connection is not stuck in a write, and ends at the
# idle timeout
stop_sshd
start_sshd "ssh_idle_secs = 3"
cat > "$T/stall.py" <<'PY'
import struct, subprocess, sys, threading, time
p = subprocess.Popen(sys.argv[1].split(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                     stderr=subprocess.DEVNULL)
# INIT, then 60000 REALPATH requests: their replies are far more than a
# window (2 MiB for OpenSSH), and nobody reads them
reqs = [struct.pack(">IBI", 5, 1, 3)]
for i in range(60000):
    body = struct.pack(">BI", 16, i + 1) + struct.pack(">I", 1) + b"."
    reqs.append(struct.pack(">I", len(body)) + body)
def writer():
    try:
        p.stdin.write(b"".join(reqs)); p.stdin.flush()
    except OSError:
        pass
threading.Thread(target=writer, daemon=True).start()
t0 = time.monotonic()
while time.monotonic() - t0 < 40:
    if "idle timeout: user alice" in open(sys.argv[2]).read():
        print("ended after %.1f" % (time.monotonic() - t0))
        break
    time.sleep(0.1)
else:
    print("not ended")
p.kill()
PY
python3 "$T/stall.py" "ssh $SSHO -p $PORT -o BatchMode=yes -o IdentitiesOnly=yes -i $T/id_alice -s alice@$HOST sftp" "$T/sshd.log" > "$T/raw5" 2>&1
check "a client that stops reading is ended by the idle timeout ($(cat "$T/raw5"))" \
	"python3 -c 'import sys; t = float(sys.argv[1].split()[-1]); sys.exit(0 if 3 <= t <= 20 else 1)' \"\$(grep '^ended after' '$T/raw5')\""
wait_until 10 no_children "$SSHD_PID"
check "its connection process is gone" "[ -z \"\$(conn_pids)\" ]"
ok "the server still serves" key_ssh "$T/id_alice" alice whoami
done_testing
