#!/bin/sh
# A photo taken before 1970 (a scan that carries its EXIF date, 1954) has
# its date like any other: shown by info, in the JSON, and sorted by it.
# Found by fuzzing the EXIF reader: it gives such a date as a negative
# time, and only -1 means unknown.
. "$(dirname "$0")/lib.sh"
setup_home
login_user ann ann-password-1 || echo "# login_user failed"
# with_date IN OUT DATE: IN (a JPEG) with its APP1 segments replaced by
# EXIF that holds DateTime = DATE and nothing else
with_date() {
	python3 - "$@" <<'PY'
import struct, sys
src, dst, date = sys.argv[1], sys.argv[2], sys.argv[3].encode() + b"\0"
b = open(src, "rb").read()
# IFD0 with one ASCII entry, DateTime (0x0132), its value after the IFD
ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0x0132, 2, len(date), 8 + 2 + 12 + 4) \
    + struct.pack("<I", 0)
tiff = b"II*\0" + struct.pack("<I", 8) + ifd + date
app1 = b"\xff\xe1" + struct.pack(">H", 2 + 6 + len(tiff)) + b"Exif\0\0" + tiff
out, i = [b[:2], app1], 2
while b[i] == 0xff and b[i + 1] != 0xda:
    n = struct.unpack(">H", b[i + 2:i + 4])[0]
    if b[i + 1] != 0xe1:
        out.append(b[i:i + 2 + n])
    i += 2 + n
open(dst, "wb").write(b"".join(out) + b[i:])
PY
}
with_date "$FIX/orient-1.jpg" "$T/scan.jpg" "1954:06:01 12:30:00"
ok "mkalbum" "$PGAL" mkalbum family
ok "put a 1954 scan and a 2003 photo" "$PGAL" put family "$T/scan.jpg" "$FIX/nikon-d2h-gps.jpg"
ok "info --json of the scan" "$PGAL" info family/scan.jpg --json
jcheck "taken_at 1954-06-01T12:30:00" "j['taken_at'] == '1954-06-01T12:30:00'"
ok "info as text" "$PGAL" info family/scan.jpg
check "taken 1954-06-01 12:30" 'grep -qx "taken  *1954-06-01 12:30" "$T/out"'
ok "ls --json, by taken" "$PGAL" ls family --json
jcheck "the 1954 scan first, then 2003" "[p['name'] for p in j] == ['scan.jpg', 'nikon-d2h-gps.jpg']"
echo "1..$n"
[ "$nfail" -eq 0 ]
