#!/bin/sh
# Legacy scp (scp -O): the hand-written sink (-t) and source (-f) over an
# exec channel, with -r, -p, error replies and strict header checks.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd "max_upload_bytes = 2M"
PW='alice password 1'
PWB='bobby password 2'
make_user alice "$PW"
make_user bob "$PWB"
make_jpegs "$T/all" 8 || echo "Bail out! cannot make test photos"
mkdir -p "$T/dir" "$T/down"
mv "$T/all/p000.jpg" "$T/all/p001.jpg" "$T/all/p002.jpg" "$T/all/p003.jpg" "$T/dir/"
s() { pw_scp "$PW" -O "$@"; }

ok "mkalbum" pw_ssh alice "$PW" mkalbum trip
ok "scp -O uploads one photo" s "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/
ok "scp -O uploads many" s "$T/all/p004.jpg" "$T/all/p005.jpg" "$T/all/p006.jpg" alice@$HOST:trip/
ok "scp -O to ALBUM/NAME names the photo" s "$T/all/p007.jpg" alice@$HOST:trip/named.jpg
ok "scp -O -r -p makes an album of a folder" s -r -p "$T/dir" alice@$HOST:
ok "ls" pw_ssh alice "$PW" ls dir --json
jcheck "with its 4 photos" "sorted(p['name'] for p in j) == ['p000.jpg', 'p001.jpg', 'p002.jpg', 'p003.jpg']"
ok "ls trip" pw_ssh alice "$PW" ls trip --json
jcheck "trip has the single, the many and the named" "len(j) == 5 and 'named.jpg' in [p['name'] for p in j]"
ok "scp -O downloads one" s alice@$HOST:trip/nikon-d2h-gps.jpg "$T/down/"
check "byte-identical" "cmp -s '$FIX/nikon-d2h-gps.jpg' '$T/down/nikon-d2h-gps.jpg'"
ok "scp -O -r -p downloads an album" s -r -p alice@$HOST:dir "$T/down/"
check "every file byte-identical" "for f in '$T'/dir/*.jpg; do cmp -s \"\$f\" '$T'/down/dir/\$(basename \"\$f\") || exit 1; done"
ok "scp -O with a pattern" s "alice@$HOST:trip/p00[45].jpg" "$T/down/"
check "gets what matches" "cmp -s '$T/all/p004.jpg' '$T/down/p004.jpg' && cmp -s '$T/all/p005.jpg' '$T/down/p005.jpg' && [ ! -e '$T/down/p006.jpg' ]"

printf 'plain text' > "$T/notes.jpg"
fails "a non-image is refused" s "$T/notes.jpg" alice@$HOST:trip/
check "with the reason" "grep -q 'not a supported image' '$T/err'"
head -c 3000000 /dev/urandom > "$T/huge.jpg"
fails "over the upload limit is refused before the data" s "$T/huge.jpg" alice@$HOST:trip/
check "saying so" "grep -q 'upload limit' '$T/err'"
fails "into the root is refused" s "$FIX/orient-1.jpg" alice@$HOST:
fails "'..' is refused" s "$FIX/orient-1.jpg" "alice@$HOST:../"
fails "a missing album is refused" s "$FIX/orient-1.jpg" alice@$HOST:nowhere/
fails "a missing photo" s alice@$HOST:trip/nothing.jpg "$T/down/"
check "says no such photo" "grep -q 'no photo' '$T/err'"
fails "an album without -r" s alice@$HOST:trip "$T/down/"

# hand-made protocol streams straight into the sink
sink() { printf "$1" | pw_ssh alice "$PW" scp -t trip/ > "$T/sink.out" 2>&1; }
# reply LEVEL TEXT: the sink answered "\LEVELscp: TEXT" (1 go on, 2 fatal)
reply() {
	python3 -c 'import sys
want = bytes([int(sys.argv[1])]) + b"scp: " + sys.argv[2].encode()
sys.exit(0 if want in open(sys.argv[3], "rb").read() else 1)' "$1" "$2" "$T/sink.out"
}
sink 'C0644 5 a/b.jpg\nhello\0'
check "a name with '/' is refused" "grep -q \"'/' in a name\" '$T/sink.out'"
check "as an error the client goes on after (level 1)" "reply 1 \"'/' in a name\""
sink 'C0644 5 ..\nhello\0'
check "'..' as a name is refused" "grep -q \"'..' are not allowed\" '$T/sink.out'"
sink 'C0644 5 bad\033name.jpg\nhello\0'
check "control characters are refused" "grep -q 'control characters' '$T/sink.out'"
sink 'C06x4 5 x.jpg\nhello\0'
check "a malformed mode is a protocol error" "grep -q 'protocol error' '$T/sink.out'"
check "sent as fatal (level 2)" "reply 2 'protocol error: bad C header'"
sink 'C0644 99999999999999999999 x.jpg\n'
check "an absurd size is a protocol error" "grep -q 'protocol error' '$T/sink.out'"
sink 'D0755 0 sub\nE\n'
check "folders inside an album are refused" "grep -q 'albums hold photos' '$T/sink.out'"
sink 'Q\n'
check "an unknown header is a protocol error" "grep -q 'protocol error' '$T/sink.out'"
check "sent as fatal (level 2)" "reply 2 'protocol error: unknown header'"
sink 'E\n'
check "an E without its D is fatal (level 2)" "reply 2 'protocol error: unexpected E'"
ok "trip is unchanged" pw_ssh alice "$PW" ls trip --json
jcheck "still 5 photos" "len(j) == 5"

# after a folder's E, files go where they went before its D
mkdir -p "$T/dir2"
cp "$FIX/orient-2.jpg" "$T/dir2/"
fails "scp -O -r FOLDER FILE into the root: the file is refused" \
	s -r "$T/dir2" "$FIX/orient-3.jpg" alice@$HOST:
check "photos go into an album" "grep -q 'photos go into an album' '$T/err'"
# scp -O exits on the refusal without waiting for the files it sent before
# to be stored (that happens in the background): until dir2 lists its photo
dir2_listed() {
	pw_ssh alice "$PW" ls dir2 2>/dev/null | grep -q orient-2
}
wait_until 30 dir2_listed
ok "ls dir2" pw_ssh alice "$PW" ls dir2 --json
jcheck "the folder's album holds only the folder's photo" "[p['name'] for p in j] == ['orient-2.jpg']"
mkdir -p "$T/dir3"
cp "$FIX/orient-4.jpg" "$T/dir3/"
ok "scp -O -r FOLDER FILE into an album" s -r "$T/dir3" "$FIX/orient-5.jpg" alice@$HOST:trip/
ok "ls trip" pw_ssh alice "$PW" ls trip --json
jcheck "both went into the album" "len(j) == 7 and {'orient-4.jpg', 'orient-5.jpg'} <= {p['name'] for p in j}"
ok "ls dir2" pw_ssh alice "$PW" ls dir2 --json
jcheck "and dir2 still holds one" "len(j) == 1"

fails "bob cannot fetch alice's photo" pw_scp "$PWB" -O bob@$HOST:trip/nikon-d2h-gps.jpg "$T/down/x.jpg"
fails "nor put into her album" pw_scp "$PWB" -O "$FIX/orient-8.jpg" bob@$HOST:trip/
fails "the guest has no scp" scp -O $SSHO -P "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no "$FIX/orient-8.jpg" gallery@$HOST:trip/
check "transfers are logged" "grep -q 'scp: user alice stored trip/nikon-d2h-gps.jpg' '$T/sshd.log' && grep -q 'scp: user alice sent dir/p000.jpg' '$T/sshd.log'"
done_testing
