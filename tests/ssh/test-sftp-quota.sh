#!/bin/sh
# The storage quota over SFTP is checked as the bytes arrive, across every
# open handle of the connection: 16 handles written in turn stop being
# taken once together they pass the quota (a write refused with a status
# that says "over quota"), and nothing of them is kept. Before, each write
# was taken until the close, so a full account could fill the spool. A
# client that gives the size at OPEN is refused there.
. "$(dirname "$0")/lib.sh"
setup_home
PW='alice password 1'
QUOTA=3000000
start_sshd "max_upload_bytes = 16M" "quota_bytes = $QUOTA"
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null

cat > "$T/handles.py" <<'PY'
import struct, sys

import sftpwire
from sftpwire import req, s, status, string

if not sftpwire.connect(sys.argv[1]):
    sys.exit("no VERSION")
head = open(sys.argv[2], "rb").read(32)
handles = []
for i in range(16):
    t, b = req(3, s("/trip/q%02d.jpg" % i) + struct.pack(">II", 0x02 | 0x08 | 0x10, 0))
    if t != 102:
        sys.exit("open %d: %s" % (i, status((t, b))))
    handles.append(string(b, 0)[0])
chunk = 256 * 1024
taken = [0] * 16
refused = []
# each handle gets 2 MB, a chunk at a time, in turn: 32 MB in all
for off in range(0, 2 * 1024 * 1024, chunk):
    for i, h in enumerate(handles):
        if i in [r[0] for r in refused]:
            continue
        data = (head + bytes(chunk - 32)) if off == 0 else bytes(chunk)
        code, msg = status(req(6, s(h) + struct.pack(">Q", off) + s(data)))
        if code == 0:
            taken[i] += chunk
        else:
            refused.append((i, msg))
# what a refused handle had written is dropped: the rest is held
print("held %d" % sum(t for i, t in enumerate(taken) if i not in [r[0] for r in refused]))
print("refused %d" % len(refused))
for i, msg in refused[:1]:
    print("first refusal: %s" % msg)
for h in handles:
    code, msg = status(req(4, s(h)))
    print("close %d %s" % (code, msg))
PY
ok "16 handles written in turn" raw_sftp_py "$T/handles.py" alice "$FIX/nikon-d2h-gps.jpg"
cp "$T/out" "$T/handles.out"
held=$(sed -n 's/^held //p' "$T/handles.out")
refused=$(sed -n 's/^refused //p' "$T/handles.out")
# the store is asked once per MiB arriving: at most that much beyond
check "what the handles hold stays within the quota and a MiB ($held bytes of 32 MiB; quota $QUOTA)" \
	"[ -n '$held' ] && [ $held -le $((QUOTA + 1024 * 1024)) ]"
check "the handles beyond it were refused ($refused of 16)" "[ -n '$refused' ] && [ $refused -ge 14 ]"
check "with a status that says over quota" "grep -q '^first refusal: q[0-9]*.jpg: over quota' '$T/handles.out'"
check "the closes fail too" "[ \$(grep -c '^close 4 ' '$T/handles.out') -eq 16 ]"
check "nothing of them kept: no spool file" "wait_until 10 eval '[ -z \"\$(ls -A \"$PGAL_HOME/spool\")\" ]'"
ok "ls trip" "$PGAL" ls trip --json
jcheck "no photo stored" "j == []"

# a client that gives the size at OPEN is refused there
cat > "$T/opensize.py" <<'PY'
import struct, sys

import sftpwire
from sftpwire import req, s, status

if not sftpwire.connect(sys.argv[1]):
    sys.exit("no VERSION")
for name, size in (("over-limit.jpg", 17 * 1024 * 1024), ("over-quota.jpg", 4000000),
                   ("fits.jpg", 100000)):
    # flags WRITE|CREAT|TRUNC, attributes: SIZE
    t, b = req(3, s("/trip/" + name) + struct.pack(">IIQ", 0x02 | 0x08 | 0x10, 1, size))
    print("open %s %s %s" % (name, *status((t, b))) if t != 102 else "open %s handle" % name)
PY
ok "OPENs that give the size" raw_sftp_py "$T/opensize.py" alice
check "over the upload limit: refused at OPEN, saying so" "grep -q '^open over-limit.jpg 4 over-limit.jpg: larger than the upload limit' '$T/out'"
check "over the quota: refused at OPEN, saying so" "grep -q '^open over-quota.jpg 4 over-quota.jpg: over quota' '$T/out'"
check "within both: a handle" "grep -q '^open fits.jpg handle' '$T/out'"
done_testing
