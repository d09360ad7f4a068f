#!/bin/sh
# SFTP (also what OpenSSH 9's scp speaks by default): the virtual tree
# /ALBUM/PHOTO, uploads ingested on close, byte-identical downloads,
# refusals with a reason, and users kept apart.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 2M"
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
