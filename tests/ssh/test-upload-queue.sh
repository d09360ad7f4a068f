#!/bin/sh
# Uploads are answered after the quick checks (type, header, limits, quota,
# name) and stored by the connection's ingest queue while the client goes
# on: listings show queued files at once, a name queued twice is a
# conflict like a stored one, refusals still come at close with a reason, a
# file the full decode refuses leaves nothing and one log line, the queue
# is finished when the client leaves and when the server is told to stop;
# and an SFTP session idle (or stalled inside a packet) for ssh_idle_secs is
# closed.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 8M"
PW='alice password 1'
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum q >/dev/null
k_sftp() {
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" "$@" alice@$HOST
}

# camera-size photos (12 MP crops of the 24 MP fixture, each different):
# decoding one takes far longer than sending it over loopback
make_camera_jpegs "$T/cam" 24 || echo "Bail out! cannot make test photos"
size() { stat -c %s "$1"; }
check "the photos fit the upload limit" "[ \$(cat '$T'/cam/*.jpg | wc -c) -lt \$((24 * 8 * 1024 * 1024)) ] && [ \$(ls '$T'/cam | wc -l) -eq 24 ]"

# A raw SFTP client (the wire from sftpwire.py): shows the status message
# of every close, and listings with sizes (OpenSSH's sftp prints neither
# exactly)
cat > "$T/sftp.py" <<'PY'
import json, os, struct, subprocess, sys, time

import sftpwire
from sftpwire import attrs, req, s, status

def put(local, remote):
    for step, code, msg in sftpwire.put(local, remote):
        print("%s %s %s %s" % (step, remote, code, msg))

def ls(d):
    entries, _ = sftpwire.readdir(d)
    for name, size, _ in entries or []:
        print("entry %s %s" % (name, size))

def stat(path):
    t, b = req(17, s(path))
    if t == 105:
        print("stat %s %s" % (path, attrs(b, 0)[0]))
    else:
        print("stat %s failed %s" % (path, status((t, b))))

if not sftpwire.connect(sys.argv[1]):
    sys.exit("no VERSION")
ops = sys.argv[2:]
for op in ops:
    a = op.split(":")
    if a[0] == "put":
        put(a[1], a[2])
    elif a[0] == "ls":
        ls(a[1])
    elif a[0] == "stat":
        stat(a[1])
    elif a[0] == "cli":
        # the store itself, right now (the CLI on the same PGAL_HOME)
        out = subprocess.run([os.environ["PGAL_CLI"], "ls", a[1], "--json"],
                             capture_output=True, check=True).stdout
        names = [x["name"] for x in json.loads(out)]
        print("cli %s %s" % (a[2], "stored" if a[2] in names else "absent"))
    elif a[0] == "term":
        # the server told to stop while this session is open, then told
        # again (which reaches the connection process): wait for the end
        # (it counts TERMs: the second only once it logged the first)
        os.kill(int(a[1]), 15)
        t0 = time.monotonic()
        while "stopping:" not in open(os.environ["SSHD_LOG"]).read() and time.monotonic() - t0 < 10:
            time.sleep(0.05)
        os.kill(int(a[1]), 15)
        sftpwire.wait_eof()
        print("closed")
        sys.exit(0)
    elif a[0] in ("idle", "partial"):
        # nothing more (or 3 bytes of a packet): how long until closed
        if a[0] == "partial":
            sftpwire.write_raw(b"\0\0\0")
        t0 = time.monotonic()
        sftpwire.wait_eof()
        print("closed after %.1f" % (time.monotonic() - t0))
sftpwire.close()
PY
# the client's "cli" step runs this; its "term" step reads the log
export PGAL_CLI="$PGAL" SSHD_LOG="$T/sshd.log"
raw() {
	raw_sftp_py "$T/sftp.py" alice "$@"
}
# stored_count ALBUM: photos with a row (the CLI on the same PGAL_HOME)
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

# 1. a batch of puts: answered at once, listed at once, stored meanwhile
{ echo "cd /q"; for i in 00 01 02 03 04 05 06 07; do echo "put $T/cam/c$i.jpg"; done; echo "ls -l"; } > "$T/batch1"
ok "sftp -b puts 8 camera-size photos" k_sftp -b "$T/batch1"
now=$(stored_count q)
cp "$T/out" "$T/batch1.out"
echo "# $now of 8 stored when the client was done"
check "ls right after the puts lists all 8 with their sizes" \
	"for i in 00 01 02 03 04 05 06 07; do grep -Eq \" \$(size \"$T/cam/c\$i.jpg\") .*c\$i.jpg\$\" '$T/batch1.out' || exit 1; done"
ok "every photo gets stored" wait_stored q 8
mkdir -p "$T/thumbs"
check "each with its thumbnail (a JPEG within 256 px)" \
	"for i in 00 01 02 03 04 05 06 07; do \"\$PGAL\" get q/c\$i.jpg --thumb > '$T/thumbs/'\$i.jpg && [ \$(vipsheader -f width '$T/thumbs/'\$i.jpg) -le 256 ] && [ \$(vipsheader -f height '$T/thumbs/'\$i.jpg) -le 256 ] || exit 1; done"
check "one log line per stored photo" "[ \$(grep -c 'sftp: user alice stored q/c0[0-7].jpg' '$T/sshd.log') -eq 8 ]"

# 2. the close is answered before the photo is processed; ls and stat
# right after show it (raw client: one connection, no wait)
raw "put:$T/cam/c08.jpg:/q/c08.jpg" "cli:q:c08.jpg" "ls:/q" "stat:/q/c08.jpg" > "$T/raw2" 2>&1
check "the close is answered OK" "grep -q '^close /q/c08.jpg 0 ' '$T/raw2'"
check "before the photo was stored (no row yet right after)" "grep -q '^cli c08.jpg absent' '$T/raw2'"
check "ls right after lists it with its size" "grep -q '^entry c08.jpg $(size "$T/cam/c08.jpg")\$' '$T/raw2'"
check "stat right after gives its size" "grep -q '^stat /q/c08.jpg $(size "$T/cam/c08.jpg")\$' '$T/raw2'"
check "listed once" "[ \$(grep -c '^entry c08.jpg ' '$T/raw2') -eq 1 ]"
ok "it is stored" wait_stored q 9

# 3. the same name twice while the first is queued: the second is the
# photo's new content, as on a file system (listed at once with its size,
# stored in place of the first); a third time once stored replaces again
dup_bytes() {
	"$PGAL" info q/dup.jpg --json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["bytes"])'
}
dup_is() { [ "$(dup_bytes)" = "$1" ]; }
raw "put:$T/cam/c09.jpg:/q/dup.jpg" "put:$T/cam/c10.jpg:/q/dup.jpg" "ls:/q" > "$T/raw3" 2>&1
check "both puts are answered OK" "[ \$(grep -c '^close /q/dup.jpg 0 ' '$T/raw3') -eq 2 ]"
check "ls lists dup.jpg once, with the second's size" \
	"[ \$(grep -c '^entry dup' '$T/raw3') -eq 1 ] && grep -q '^entry dup.jpg $(size "$T/cam/c10.jpg")\$' '$T/raw3'"
ok "it is stored" wait_until 60 dup_is "$(size "$T/cam/c10.jpg")"
ok "ls q" "$PGAL" ls q --json
jcheck "once, with the second's bytes" \
	"{p['name']: p['bytes'] for p in j if p['name'].startswith('dup')} == {'dup.jpg': $(size "$T/cam/c10.jpg")} and len(j) == 10"
raw "put:$T/cam/c11.jpg:/q/dup.jpg" > "$T/raw3b" 2>&1
ok "a third dup.jpg replaces the stored one" wait_until 60 dup_is "$(size "$T/cam/c11.jpg")"
ok "ls q" "$PGAL" ls q --json
jcheck "still 10 photos, one dup.jpg" "len(j) == 10 and [p['name'] for p in j].count('dup.jpg') == 1"
check "the replaced photos' blobs are gone: each row has its 3 blobs" blobs_match_rows

# 4. refused at close, with the reason in the status message
printf 'not an image at all' > "$T/notes.jpg"
# a JPEG's first bytes, then more than the limit
{ head -c 32 "$FIX/nikon-d2h-gps.jpg"; head -c 9000000 /dev/urandom; } > "$T/huge.jpg"
head -c 64 "$FIX/nikon-d2h-gps.jpg" > "$T/cut.jpg"
raw "put:$T/notes.jpg:/q/notes.jpg" "put:$T/huge.jpg:/q/huge.jpg" "put:$FIX/bomb.png:/q/bomb.png" \
	"put:$T/cut.jpg:/q/cut.jpg" "ls:/q" > "$T/raw4" 2>&1
check "a non-image: refused at close, saying so" "grep -q '^close /q/notes.jpg 4 .*not a supported image' '$T/raw4'"
check "over the upload limit: refused, saying so" "grep -q '^close /q/huge.jpg 4 .*upload limit' '$T/raw4'"
check "a pixel bomb: refused by its header, without decoding" "grep -q '^close /q/bomb.png 4 .*too many pixels' '$T/raw4'"
check "a header cut short: refused" "grep -q '^close /q/cut.jpg 4 .*header' '$T/raw4'"
check "none of them listed" "! grep -Eq '^entry (notes|huge|bomb|cut)' '$T/raw4'"

# 5. a truncated JPEG has a whole header: accepted at close, refused by
# the full decode, which leaves nothing and says so in one log line
raw "put:$FIX/truncated.jpg:/q/truncated.jpg" > "$T/raw5" 2>&1
check "accepted at close" "grep -q '^close /q/truncated.jpg 0 ' '$T/raw5'"
wait_until 30 log_has "$T/sshd.log" 'q/truncated.jpg accepted but not stored'
check "the log says it was not stored, once" "[ \$(grep -c 'truncated.jpg' '$T/sshd.log') -eq 1 ] && grep -q 'sftp: user alice: q/truncated.jpg accepted but not stored: ' '$T/sshd.log'"
check "no token or key in the log" "! grep -Eq '[0-9a-f]{64}|BEGIN|PRIVATE' '$T/sshd.log'"
expect_rc 2 "no row for it" "$PGAL" info q/truncated.jpg
check "no orphan blob either: each row has its 3 blobs" blobs_match_rows
check "the spool is empty" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"

# 6. legacy scp: the same queue, and a late refusal on stderr and in the
# exit status (the client reads no replies after its last file)
"$PGAL" mkalbum s >/dev/null
ok "scp -O uploads 4" pw_scp "$PW" -O "$T/cam/c12.jpg" "$T/cam/c13.jpg" "$T/cam/c14.jpg" "$T/cam/c15.jpg" alice@$HOST:s/
check "all 4 stored when the client returns (the sink waits for its queue)" "[ \$(stored_count s) -eq 4 ]"
check "logged as scp" "[ \$(grep -c 'scp: user alice stored s/c1[2-5].jpg' '$T/sshd.log') -eq 4 ]"
fails "scp -O of a truncated JPEG fails" pw_scp "$PW" -O "$FIX/truncated.jpg" alice@$HOST:s/
check "saying it was not stored" "grep -q 'truncated.jpg: not stored' '$T/err'"
fails "scp -O of a non-image fails" pw_scp "$PW" -O "$T/notes.jpg" alice@$HOST:s/
check "with the reason from the quick check" "grep -q 'not a supported image' '$T/err'"
check "s holds the 4 only" "[ \$(stored_count s) -eq 4 ]"

# 7. the server is told to stop while a session has uploads queued (twice:
# the second TERM ends the connection process): what was accepted is
# stored before the connection process, and so the server, exits
before=$(stored_count q)
raw "put:$T/cam/c16.jpg:/q/c16.jpg" "put:$T/cam/c17.jpg:/q/c17.jpg" "put:$T/cam/c18.jpg:/q/c18.jpg" \
	"cli:q:c18.jpg" "term:$SSHD_PID" > "$T/raw7" 2>&1
check "3 accepted, the last not yet stored when the server was told to stop" \
	"[ \$(grep -c '^close /q/c1[678].jpg 0 ' '$T/raw7') -eq 3 ] && grep -q '^cli c18.jpg absent' '$T/raw7'"
wait_until 120 pid_gone "$SSHD_PID"
check "the server stopped" "! kill -0 $SSHD_PID 2>/dev/null"
wait "$SSHD_PID" 2>/dev/null; SSHD_PID=
check "every accepted photo was stored by then" "[ \$(stored_count q) -eq $((before + 3)) ]"
check "stored before the connection process ended" "python3 - '$T/sshd.log' <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
last = max(i for i, l in enumerate(lines) if 'stored q/c18.jpg' in l)
bye = [i for i, l in enumerate(lines) if 'disconnected: user alice' in l]
sys.exit(0 if bye and bye[-1] > last else 1)
PY"
check "and nothing lost on the way" "! grep -q 'process ended' '$T/sshd.log'"

# 8. quota: files accepted but still queued count
start_sshd "max_upload_bytes = 8M" "quota_bytes = $(( $(size "$T/cam/c22.jpg") + $(size "$T/cam/c23.jpg") + $(size "$T/cam/c08.jpg") / 2 ))"
make_user carol 'carol password 3'
ssh-keygen -q -t ed25519 -N '' -f "$T/id_carol"
PGAL_PASSWORD='carol password 3' "$PGAL" login carol >/dev/null 2>&1 && "$PGAL" key add $(cat "$T/id_carol.pub") >/dev/null
"$PGAL" mkalbum c >/dev/null
raw_sftp_py "$T/sftp.py" carol \
	"put:$T/cam/c22.jpg:/c/a.jpg" "put:$T/cam/c23.jpg:/c/b.jpg" "put:$T/cam/c08.jpg:/c/x.jpg" > "$T/raw8" 2>&1
check "two fit the quota" "grep -q '^close /c/a.jpg 0 ' '$T/raw8' && grep -q '^close /c/b.jpg 0 ' '$T/raw8'"
check "the third is refused at close, the queued two counted" "grep -q '^close /c/x.jpg 4 .*quota' '$T/raw8'"
ok "the two are stored" wait_stored c 2

# 9. idle SFTP sessions end after ssh_idle_secs, also one stalled inside a
# packet (libssh would wait for the rest of it forever)
stop_sshd
start_sshd "ssh_idle_secs = 3"
raw idle > "$T/raw9" 2>&1
check "an idle sftp session is closed after 3 s ($(cat "$T/raw9"))" \
	"python3 -c 'import sys; t = float(sys.argv[1].split()[-1]); sys.exit(0 if 3 <= t <= 10 else 1)' \"\$(grep '^closed after' '$T/raw9')\""
raw partial > "$T/raw9b" 2>&1
check "one stalled inside a packet too ($(cat "$T/raw9b"))" \
	"python3 -c 'import sys; t = float(sys.argv[1].split()[-1]); sys.exit(0 if 3 <= t <= 10 else 1)' \"\$(grep '^closed after' '$T/raw9b')\""
check "logged as idle timeouts" "[ \$(grep -c 'idle timeout: user alice' '$T/sshd.log') -ge 2 ]"
done_testing
