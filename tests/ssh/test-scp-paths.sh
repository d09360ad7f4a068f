#!/bin/sh
# Legacy scp's remote paths read the way SFTP reads them (one parser,
# sshd/vpath.c) and the way a file system would: "./a/b", "a/./b", "a//b",
# "//a/b", "a/." and a trailing '/' name the same place as "a/b" or "a";
# ".." is refused wherever it stands, saying so. OpenSSH's scp -O sends
# the remote path as typed.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'
make_user alice "$PW"
s() { pw_scp "$PW" -O "$@"; }
names() { pw_ssh alice "$PW" ls trip --json > "$T/ls.json" && cat "$T/ls.json"; }
# has NAME: the album trip holds a photo of that name
has() { names | python3 -c 'import json, sys; sys.exit(0 if sys.argv[1] in [p["name"] for p in json.load(sys.stdin)] else 1)' "$1"; }
ok "mkalbum" pw_ssh alice "$PW" mkalbum trip

for f in 1 2 3 4 5 6 7 8; do cp "$FIX/orient-$f.jpg" "$T/p$f.jpg"; done

ok "upload to ./trip/" s "$T/p1.jpg" "alice@$HOST:./trip/"
check "stored in trip" "has p1.jpg"
ok "upload to trip/./one.jpg" s "$T/p2.jpg" "alice@$HOST:trip/./one.jpg"
check "stored as trip/one.jpg" "has one.jpg"
ok "upload to trip//two.jpg" s "$T/p3.jpg" "alice@$HOST:trip//two.jpg"
check "stored as trip/two.jpg" "has two.jpg"
ok "upload to //trip/three.jpg" s "$T/p4.jpg" "alice@$HOST://trip/three.jpg"
check "stored as trip/three.jpg" "has three.jpg"
ok "upload to trip/./ (a trailing slash after a dot)" s "$T/p5.jpg" "alice@$HOST:trip/./"
check "stored in trip" "has p5.jpg"
ok "upload to trip/." s "$T/p6.jpg" "alice@$HOST:trip/."
check "stored in trip" "has p6.jpg"
ok "upload to ~/trip/ (the home is the root)" s "$T/p7.jpg" "alice@$HOST:~/trip/"
check "stored in trip" "has p7.jpg"

fails "upload to trip/../trip/x.jpg is refused" s "$T/p8.jpg" "alice@$HOST:trip/../trip/x.jpg"
check "saying '..' is not allowed" "grep -q \"'..' is not allowed\" '$T/err'"
fails "upload to trip/.. is refused" s "$T/p8.jpg" "alice@$HOST:trip/.."
check "saying '..' is not allowed" "grep -q \"'..' is not allowed\" '$T/err'"
fails "a folder below an album is refused" s "$T/p8.jpg" "alice@$HOST:trip/sub/x.jpg"
check "saying albums hold photos" "grep -q 'albums hold photos' '$T/err'"
check "nothing else was stored" "names > /dev/null && python3 -c 'import json, sys; sys.exit(0 if len(json.load(open(sys.argv[1]))) == 7 else 1)' '$T/ls.json'"

mkdir -p "$T/down"
ok "download trip/./one.jpg" s "alice@$HOST:trip/./one.jpg" "$T/down/"
check "byte-identical" "cmp -s '$T/p2.jpg' '$T/down/one.jpg'"
ok "download ./trip//two.jpg" s "alice@$HOST:./trip//two.jpg" "$T/down/"
check "byte-identical" "cmp -s '$T/p3.jpg' '$T/down/two.jpg'"
fails "download trip/../trip/one.jpg is refused" s "alice@$HOST:trip/../trip/one.jpg" "$T/down/x.jpg"
check "saying '..' is not allowed" "grep -q \"'..' is not allowed\" '$T/err'"
check "nothing written" "[ ! -e '$T/down/x.jpg' ]"
done_testing
