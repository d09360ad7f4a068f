#!/bin/sh
# SFTP (also what OpenSSH 9's scp speaks by default): the virtual tree
# /ALBUM/PHOTO, uploads ingested on close, byte-identical downloads,
# refusals with a reason, and users kept apart.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 2M" "ssh_spool_max = 4M"
PW='alice password 1'
PWB='bobby password 2'
make_user alice "$PW"
make_user bob "$PWB"
# sftp -b never prompts (BatchMode): batches log in with keys
for u in alice bob; do
	ssh-keygen -q -t ed25519 -N '' -f "$T/id_$u"
	pw=$PW; [ $u = bob ] && pw=$PWB
	PGAL_PASSWORD=$pw "$PGAL" login $u >/dev/null 2>&1 && "$PGAL" key add $(cat "$T/id_$u.pub") >/dev/null
done
k_sftp() {
	u=$1; shift
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_$u" "$@" $u@$HOST
}
make_jpegs "$T/all" 15 || echo "Bail out! cannot make test photos"
# stored_now ALBUM N: alice's ALBUM holds N photos
stored_now() {
	c=$(pw_ssh alice "$PW" ls "$1" --json 2>/dev/null |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)))' 2>/dev/null)
	[ "${c:-0}" -eq "$2" ]
}
# stored ALBUM N: until alice's ALBUM holds N photos (300 tries). A put
# is answered after the quick checks; the connection's ingest queue stores
# it meanwhile, so another connection sees it a moment later.
stored() {
	wait_until 60 stored_now "$1" "$2"
}

mkdir -p "$T/many" "$T/few"
for i in 000 001 002 003 004 005 006 007 008 009 010 011; do mv "$T/all/p$i.jpg" "$T/many/"; done
mv "$T/all"/*.jpg "$T/few/"
# scp in its default (SFTP) mode
ok "scp (sftp) into an album fails without the album" sh -c "! pw_scp '$PW' '$FIX/orient-1.jpg' alice@$HOST:trip/ 2>/dev/null"
b=$(batch <<'B'
mkdir trip
B
)
ok "mkdir over sftp makes an album" k_sftp alice -b "$b"
ok "scp uploads one photo" pw_scp "$PW" "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/
ok "scp uploads many photos" pw_scp "$PW" "$T"/few/*.jpg alice@$HOST:trip/
ok "scp -r uploads a folder as a new album" pw_scp "$PW" -r "$T/many" alice@$HOST:
ok "the queue stores them" stored many 12
ok "and the ones before" stored trip 4
ok "ls shows the album" pw_ssh alice "$PW" ls many --json
jcheck "with all 12 photos" "len(j) == 12"
mkdir -p "$T/down"
ok "scp downloads one" pw_scp "$PW" alice@$HOST:trip/nikon-d2h-gps.jpg "$T/down/"
check "byte-identical" "cmp -s '$FIX/nikon-d2h-gps.jpg' '$T/down/nikon-d2h-gps.jpg'"
ok "scp -r downloads an album" pw_scp "$PW" -r alice@$HOST:many "$T/down/"
check "every file byte-identical" "for f in '$T'/many/*.jpg; do cmp -s \"\$f\" '$T'/down/many/\$(basename \"\$f\") || exit 1; done"

# an sftp batch: mkdir, put, ls, rename, get, rm, rmdir
cat > "$T/batch" <<B
mkdir batch
cd batch
put $FIX/iphone4s-lens.jpg
put $FIX/orient-3.jpg p003.jpg
put $FIX/orient-4.jpg p004.jpg
ls -l
rename iphone4s-lens.jpg phone.jpg
rename p004.jpg /trip/moved.jpg
get phone.jpg $T/down/phone.jpg
rm p003.jpg
ls
B
ok "sftp -b batch runs" k_sftp alice -b "$T/batch"
check "ls -l shows names and sizes" "grep -Eq 'p003.jpg' '$T/out' && grep -Eq \"\$(stat -c %s '$FIX/iphone4s-lens.jpg') .*iphone4s-lens.jpg\" '$T/out'"
check "get after rename is byte-identical" "cmp -s '$FIX/iphone4s-lens.jpg' '$T/down/phone.jpg'"
ok "ls batch" pw_ssh alice "$PW" ls batch --json
jcheck "the album holds what the batch left" "[p['name'] for p in j] == ['phone.jpg']"
ok "moved across albums" pw_ssh alice "$PW" info trip/moved.jpg
b=$(batch <<'B'
rmdir batch
B
)
fails "rmdir of a non-empty album is refused" k_sftp alice -b "$b"
b=$(batch <<'B'
rm batch/phone.jpg
rmdir batch
rename many renamed
B
)
ok "rm then rmdir" k_sftp alice -b "$b"
ok "albums after" pw_ssh alice "$PW" albums --json
jcheck "batch is gone, many renamed" "sorted(a['name'] for a in j) == ['renamed', 'trip']"

# refusals
printf 'not an image' > "$T/notes.jpg"
b=$(batch <<B
put $T/notes.jpg /trip/notes.jpg
B
)
fails "a non-image is refused" k_sftp alice -b "$b"
check "the log says why" "grep -q 'notes.jpg refused' '$T/sshd.log'"
head -c 3000000 /dev/urandom > "$T/huge.jpg"
fails "a file over max_upload_bytes is refused" pw_scp "$PW" "$T/huge.jpg" alice@$HOST:trip/
fails "photos at the root are refused" pw_scp "$PW" "$FIX/orient-2.jpg" alice@$HOST:/
fails "'..' is refused" pw_scp "$PW" "$FIX/orient-2.jpg" "alice@$HOST:trip/../../etc/x.jpg"
b=$(batch <<'B'
mkdir trip/sub
B
)
fails "deep paths are refused" k_sftp alice -b "$b"
cp "$FIX/orient-2.jpg" "$T/$(printf 'bad\033[31mname.jpg')"
b=$(batch <<B
put "$T/$(printf 'bad\033[31mname.jpg')" /trip/
B
)
fails "control characters in a name are refused" k_sftp alice -b "$b"
ok "nothing of that was stored" pw_ssh alice "$PW" ls trip --json
jcheck "trip holds only what was put on purpose" \
	"sorted(p['name'] for p in j) == ['moved.jpg', 'nikon-d2h-gps.jpg', 'p012.jpg', 'p013.jpg', 'p014.jpg']"
check "nothing outside the virtual tree was written" "[ ! -e /tmp/x.jpg ] && [ ! -e '$PGAL_HOME/etc' ]"
check "the spool is empty" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"

# raw SFTP packets (what OpenSSH's sftp never sends): NULs inside paths,
# handles past libssh's table, and many handles held open at once
cat > "$T/raw.py" <<'PY'
import struct, sys

from sftpwire import close, connect, req, s, status

scen, args = sys.argv[2], sys.argv[3:]

def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)

def open_read(path):
    return req(3, s(path) + struct.pack(">II", 1, 0))

if not connect(sys.argv[1]):
    fail("no VERSION")

if scen == "nul":
    # a control first: the client itself works
    if status(req(14, s("/rawok") + struct.pack(">I", 0)))[0] != 0:
        fail("plain mkdir refused")
    if status(req(15, s("/rawok")))[0] != 0:
        fail("plain rmdir refused")
    for what, r in [
        ("mkdir", req(14, s(b"/nul\0b") + struct.pack(">I", 0))),
        ("open", open_read(b"/trip/nikon-d2h-gps.jpg\0x")),
        ("stat", req(17, s(b"/trip\0x"))),
        ("opendir", req(11, s(b"/trip\0x"))),
        ("rename from", req(18, s(b"/trip\0x") + s("/other"))),
        ("rename to", req(18, s("/trip") + s(b"/tr\0ip"))),
        ("posix-rename to", req(200, s("posix-rename@openssh.com") +
                                s("/trip/moved.jpg") + s(b"/trip/m\0x.jpg"))),
        ("remove", req(13, s(b"/trip/moved.jpg\0x"))),
    ]:
        code, msg = status(r)
        if code in (None, 0) or "NUL" not in msg:
            fail("%s with a NUL in the path: %r %r" % (what, r[0], msg))
        print("refused:", what, msg)
elif scen == "handles":
    path, size = args[0], int(args[1])
    hs = []
    for i in range(16):
        t, b = open_read(path)
        if t != 102:
            fail("open %d refused: %r" % (i, status((t, b))))
        hs.append(b[4:4 + struct.unpack(">I", b[:4])[0]])
    code, msg = status(open_read(path))
    if code != 4 or "too many open files" not in msg:
        fail("17th open: %r %r" % (code, msg))
    code, msg = status(req(11, s("/")))
    if code != 4 or "too many open files" not in msg:
        fail("17th opendir: %r %r" % (code, msg))
    if status(req(4, s(hs.pop())))[0] != 0:
        fail("close")
    t, b = open_read(path)
    if t != 102:
        fail("open after a close refused")
    hs.append(b[4:4 + struct.unpack(">I", b[:4])[0]])
    # handles libssh would look up past its table, or not at all
    for bad in [struct.pack("<I", 256), struct.pack("<I", 0xffffffff),
                struct.pack("<I", 255), b"\0\0\0\0\0", b""]:
        code, msg = status(req(5, s(bad) + struct.pack(">QI", 0, 16)))
        if code in (None, 0):
            fail("read with a bogus handle %r: %r" % (bad, code))
    t, b = req(5, s(hs[0]) + struct.pack(">QI", 0, 65536))
    want = open(args[2], "rb").read()[:65536]
    if t != 103 or b[4:] != want:
        fail("read on a good handle after bogus ones")
    for h in hs:
        if status(req(4, s(h)))[0] != 0:
            fail("close")
    print("ok: 16 handles, 17th refused, bogus handles refused")
elif scen == "spool":
    path, size, cap = args[0], int(args[1]), int(args[2])
    # the first open is always allowed; then while the total fits the cap
    want, used = 0, 0
    while want < 16 and (used == 0 or used + size <= cap):
        want += 1
        used += size
    hs = []
    while True:
        t, b = open_read(path)
        if t != 102:
            code, msg = status((t, b))
            break
        hs.append(b[4:4 + struct.unpack(">I", b[:4])[0]])
        if len(hs) > 16:
            fail("no limit at all")
    if len(hs) != want or code != 4 or "too many open files" not in msg:
        fail("opened %d (wanted %d), then %r %r" % (len(hs), want, code, msg))
    for h in hs:
        if status(req(4, s(h)))[0] != 0:
            fail("close")
    t, b = open_read(path)
    if t != 102:
        fail("closing did not give the spool back")
    print("ok: %d opens of %d bytes fit, then refused" % (want, size))
close()
PY
raw_sftp() {
	raw_sftp_py "$T/raw.py" alice "$@"
}
ok "a NUL inside a path is refused by every request" raw_sftp nul
ok "after it" pw_ssh alice "$PW" albums --json
jcheck "no album was cut short at the NUL" "sorted(a['name'] for a in j) == ['renamed', 'trip']"
ok "and" pw_ssh alice "$PW" ls trip --json
jcheck "trip is untouched" \
	"sorted(p['name'] for p in j) == ['moved.jpg', 'nikon-d2h-gps.jpg', 'p012.jpg', 'p013.jpg', 'p014.jpg']"
ok "16 handles at once, the 17th refused; bogus handles refused" \
	raw_sftp handles /trip/nikon-d2h-gps.jpg "$(stat -c %s "$FIX/nikon-d2h-gps.jpg")" "$FIX/nikon-d2h-gps.jpg"
# a photo of about 1.5 MB: two copies fit the spool budget (ssh_spool_max = 4M), three do not
vips crop "$FIX/big-24mp.jpg" "$T/big.jpg[Q=95]" 100 100 1000 900
ok "mkalbum big" pw_ssh alice "$PW" mkalbum big
ok "a large photo uploads" pw_scp "$PW" "$T/big.jpg" alice@$HOST:big/
ok "and is stored" stored big 1
ok "read handles stop at the spool budget (ssh_spool_max)" \
	raw_sftp spool /big/big.jpg "$(stat -c %s "$T/big.jpg")" $((2 * 2 * 1024 * 1024))
check "the spool is empty again" "[ -z \"\$(ls -A '$PGAL_HOME/spool')\" ]"

# bob sees none of alice's albums through any door
b=$(batch <<'B'
ls /
B
)
ok "bob lists his (empty) root" k_sftp bob -b "$b"
check "no album of alice shows" "! grep -q trip '$T/out'"
fails "bob cannot read alice's photo" pw_scp "$PWB" bob@$HOST:trip/nikon-d2h-gps.jpg "$T/down/stolen.jpg"
b=$(batch <<'B'
rm /trip/nikon-d2h-gps.jpg
B
)
fails "bob cannot remove it" k_sftp bob -b "$b"
b=$(batch <<'B'
rename /trip /mine
B
)
fails "nor rename alice's album" k_sftp bob -b "$b"
fails "nor upload into it" pw_scp "$PWB" "$FIX/orient-5.jpg" bob@$HOST:trip/
fails "nor see it with exec" pw_ssh bob "$PWB" ls trip
ok "alice's photo is intact" pw_ssh alice "$PW" info trip/nikon-d2h-gps.jpg --json
jcheck "and hers" "j['album'] == 'trip'"
done_testing
