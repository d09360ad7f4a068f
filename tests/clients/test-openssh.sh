#!/bin/sh
# OpenSSH's sftp against the SFTP tree, for what its users see: it prints
# only the status code's standard text ("Failure"), so every refusal of a
# change is also written on the channel's stderr, which it shows. Also:
# a write to an existing name replaces (the same bytes: a no-op), put -p
# keeps the file's time, times set on a missing path fail, the quota is
# checked as the bytes arrive; ls -l of an album or of one photo names the
# owner and group (users-groups-by-id@openssh.com).
. "$(dirname "$0")/lib.sh"
setup_alice "max_upload_bytes = 16M"
k_sftp() {
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$1" alice@$HOST
}
b() { printf '%s\n' "$@" > "$T/batch"; echo "$T/batch"; }
cp "$FIX/nikon-d2h-gps.jpg" "$T/a.jpg"
{ printf 'not a photo, but long enough to tell: '; head -c 65536 /dev/zero | tr '\0' x; } > "$T/notes.jpg"

fails "a non-image: sftp -b fails" k_sftp "$(b "put $T/notes.jpg /trip/notes.jpg")"
check "stderr says why" "grep -q 'notes.jpg: not a supported image' '$T/err'"
fails "into a missing album: fails" k_sftp "$(b "put $T/a.jpg /nosuch/a.jpg")"
check "stderr says why" "grep -q 'no such album' '$T/err'"
ok "a photo goes in" k_sftp "$(b "put $T/a.jpg /trip/a.jpg")"
fails "the same bytes under another name: fails" k_sftp "$(b "put $T/a.jpg /trip/copy.jpg")"
check "stderr names the photo that has them" "grep -q 'copy.jpg: already stored as trip/a.jpg' '$T/err'"
ok "the same bytes under the same name: fine" k_sftp "$(b "put $T/a.jpg /trip/a.jpg")"
check "one photo, under its name" "wait_until 20 eval '[ \"\$(stored_names trip)\" = a.jpg ]'"

# put -p: the file's time, kept while queued and once stored
touch -d '2015-03-04 05:06:07 UTC' "$T/a.jpg"
vips crop "$FIX/nikon-d2h-gps.jpg" "$T/b.jpg[Q=90]" 10 10 400 300 || echo "Bail out! vips"
touch -d '2015-03-04 05:06:07 UTC' "$T/b.jpg"
ok "put -p of a new photo, listed at once" k_sftp "$(b "put -p $T/b.jpg /trip/b.jpg" "ls -l /trip" "ls -l /trip/b.jpg")"
check "ls -l shows its time, the owner and its size" \
	"grep -Eq '^-rw-r--r-- +[1?] +alice +alice +$(stat -c %s "$T/b.jpg") Mar +4 +2015 (/trip/)?b.jpg\$' '$T/out'" || sed 's/^/# /' "$T/out"
# ls -l of one file has only the ids: names come from users-groups-by-id
check "ls -l of the queued photo alone names its owner and group" \
	"grep -Eq '^-rw-r--r-- +[1?] +alice +alice +$(stat -c %s "$T/b.jpg") Mar +4 +2015 /trip/b.jpg\$' '$T/out'" || sed 's/^/# /' "$T/out"
check "stored" "wait_until 20 eval '[ \"\$(stored_names trip | tr \"\\n\" \" \")\" = \"a.jpg b.jpg \" ]'"
ok "ls -l once stored" k_sftp "$(b "ls -l /trip/b.jpg")"
check "the same time (not the upload time, not the EXIF time)" "grep -Eq 'Mar +4 +2015 .*b.jpg\$' '$T/out'" || sed 's/^/# /' "$T/out"
check "and its owner and group by name" "grep -Eq '^-rw-r--r-- +[1?] +alice +alice .*/trip/b.jpg\$' '$T/out'"
# the ids behind the names, as paramiko (Debian's) reads them: one non-zero
# id for owner and group, on every connection
ids() {
	/usr/bin/python3 - "$PORT" "$T/id_alice" "$HOST" <<'PY'
import paramiko, sys
c = paramiko.SSHClient()
c.set_missing_host_key_policy(paramiko.AutoAddPolicy())
c.connect(sys.argv[3], port=int(sys.argv[1]), username="alice", key_filename=sys.argv[2],
          look_for_keys=False, allow_agent=False)
f = c.open_sftp()
for a in [f.stat("/trip/b.jpg"), f.stat("/trip"), f.stat("/")] + f.listdir_attr("/"):
    print(a.st_uid, a.st_gid)
c.close()
PY
}
ok "paramiko stats a photo, an album and the root" eval 'ids > "$T/ids1" && ids > "$T/ids2"'
check "one non-zero id for owner and group, the same on each connection" \
	"cmp -s '$T/ids1' '$T/ids2' && [ \$(sort -u '$T/ids1' | wc -l) -eq 1 ] &&
	 sort -u '$T/ids1' | awk '\$1 == \$2 && \$1 > 0' | grep -q ." || sed 's/^/# /' "$T/ids1"
# users-groups-by-id on the wire: the tree's id named, any other id
# unknown (""), a malformed or too long list refused, the channel going on
cat > "$T/ugid.py" <<'PY'
import struct, sys
from sftpwire import connect, req, s, status, string
if not connect(sys.argv[1]):
    sys.exit("no VERSION")
def ask(uids, gids):
    return req(200, s("users-groups-by-id@openssh.com") + s(uids) + s(gids))
def ids(*v):
    return b"".join(struct.pack(">I", x) for x in v)
t, b = req(17, s("/trip"))
fl = struct.unpack(">I", b[:4])[0]
if t != 105 or not fl & 2:
    sys.exit("no uid/gid in STAT: %r" % t)
off = 4 + (8 if fl & 1 else 0)
uid, gid = struct.unpack(">II", b[off:off + 8])
t, b = ask(ids(uid, 0, uid ^ 1), ids(gid))
if t != 201:
    sys.exit("not an EXTENDED_REPLY: %r %r" % (t, status((t, b))))
users, off = string(b, 0)
groups, _ = string(b, off)
def names(blob):
    out, o = [], 0
    while o < len(blob):
        n, o = string(blob, o)
        out.append(n.decode())
    return out
print("users", names(users), "groups", names(groups))
for bad in [(b"\0\0\0", b""), (ids(*range(1, 200)), b"")]:
    code, msg = status(ask(*bad))
    print("refused", code, msg)
t, _ = req(17, s("/"))
print("then stat", t)
PY
ok "users-groups-by-id asked on the wire" raw_sftp_py "$T/ugid.py" alice
check "the owner and group named, other ids unknown" \
	"grep -qx \"users \\['alice', '', ''\\] groups \\['alice'\\]\" '$T/out'" || sed 's/^/# /' "$T/out"
check "a list not of whole ids and a list too long refused with Failure (4)" \
	"[ \$(grep -c '^refused 4 a bad or too long list of ids\$' '$T/out') -eq 2 ]"
check "and the channel goes on" "grep -qx 'then stat 105' '$T/out'"
ok "chmod on a photo is accepted (and means nothing)" k_sftp "$(b "chmod 600 /trip/b.jpg")"
fails "chmod on a missing path fails" k_sftp "$(b "chmod 644 /trip/none.jpg")"
check "saying no such file" "grep -qi 'no such file' '$T/err'"

# a temporary name: kept as written (listed, with its size), a photo only
# once renamed to its final name
vips crop "$FIX/nikon-d2h-gps.jpg" "$T/c.jpg[Q=90]" 20 20 300 200 || echo "Bail out! vips"
ok "put under a temporary name, ls, rename to the final name" \
	k_sftp "$(b "put $T/c.jpg /trip/c.jpg.partial" "ls -l /trip" "rename /trip/c.jpg.partial /trip/c.jpg")"
check "listed under its temporary name with its size" \
	"grep -Eq ' $(stat -c %s "$T/c.jpg") .*[ /]c.jpg.partial\$' '$T/out'"
check "stored under the final name only" "wait_until 20 eval '[ \"\$(stored_names trip | tr \"\\n\" \" \")\" = \"a.jpg b.jpg c.jpg \" ]'"
ok "a temporary file dropped: never a photo" k_sftp "$(b "put $T/c.jpg /trip/.d.jpg" "rm /trip/.d.jpg")"
check "nothing more stored" "[ \"\$(stored_names trip | tr '\\n' ' ')\" = 'a.jpg b.jpg c.jpg ' ]"

# a file still being stored is renamed or removed from another
# connection: the change applies once it is stored (a camera-size photo:
# its decode takes far longer than the next connection)
make_camera_jpegs "$T/cam" 2 || echo "Bail out! cannot make camera photos"
"$PGAL" mkalbum cam >/dev/null
ok "put of two camera photos" k_sftp "$(b "put $T/cam/c00.jpg /cam/c00.jpg" "put $T/cam/c01.jpg /cam/c01.jpg")"
ok "at once, on another connection: rename one, remove the other" \
	k_sftp "$(b "rename /cam/c00.jpg /cam/renamed.jpg" "rm /cam/c01.jpg")"
check "the album then holds the renamed one only" "wait_until 30 eval '[ \"\$(stored_names cam)\" = renamed.jpg ]'"
ok "ls cam --json" "$PGAL" ls cam --json
jcheck "with the bytes of c00.jpg" "[p['bytes'] for p in j] == [$(stat -c %s "$T/cam/c00.jpg")]"

# the quota, checked as the bytes arrive: refused with "over quota",
# nothing of it kept (room for 3 MB more than is stored)
used=$("$PGAL" whoami --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["bytes"])')
stop_sshd
start_sshd "max_upload_bytes = 16M" "quota_bytes = $((used + 3000000))"
{ head -c 32 "$FIX/nikon-d2h-gps.jpg"; head -c 4000000 /dev/urandom; } > "$T/big.jpg"
fails "a file over the quota: fails" k_sftp "$(b "put $T/big.jpg /trip/big.jpg")"
check "stderr says over quota" "grep -q 'big.jpg: over quota' '$T/err'"
check "refused before its last byte arrived" "grep -q 'trip/big.jpg refused: storage quota exceeded' '$T/sshd.log'"
check "nothing of it kept: no spool file" "wait_until 10 eval '[ -z \"\$(ls -A \"$PGAL_HOME/spool\")\" ]'"
check "three photos stored, their blobs only" "[ \"\$(stored_names trip | tr '\\n' ' ')\" = 'a.jpg b.jpg c.jpg ' ] && blobs_match_rows"
check "the refusal was told once" "[ \$(grep -c 'over quota' '$T/err') -eq 1 ]"
done_testing
