#!/bin/sh
# Legacy scp's sink and file names longer than a photo name: the field test
# sent a 1000-character name and the photo was stored under its first 120
# characters, without ".jpg". Such a name is refused whole, saying why.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'
make_user alice "$PW"
s() { pw_scp "$PW" -O "$@"; }
ok "mkalbum" pw_ssh alice "$PW" mkalbum trip

# sink FILE NAME: FILE sent into trip/ under NAME by a hand-made scp stream
sink() {
	{ printf 'C0644 %d %s\n' "$(wc -c < "$1")" "$2"; cat "$1"; printf '\0'; } |
		pw_ssh alice "$PW" scp -t trip/ > "$T/sink.out" 2>&1
}
long=$(python3 -c 'print("x" * 996 + ".jpg")')
sink "$FIX/orient-1.jpg" "$long"
check "a 1000-character name is refused" "grep -q 'name too long (1000 bytes; at most 128)' '$T/sink.out'"
check "as an error the client goes on after (level 1)" \
	"python3 -c 'import sys; sys.exit(0 if b\"\\x01scp: xxx\" in open(sys.argv[1], \"rb\").read() else 1)' '$T/sink.out'"

# a real client, with a name the local file system allows (255 bytes)
name200=$(python3 -c 'print("y" * 196 + ".jpg")')
cp "$FIX/orient-2.jpg" "$T/$name200"
fails "scp -O of a 200-byte name is refused" s "$T/$name200" alice@$HOST:trip/
check "saying why" "grep -q 'name too long (200 bytes; at most 128)' '$T/err'"
# the longest name that fits is stored, with its extension
name128=$(python3 -c 'print("z" * 124 + ".jpg")')
cp "$FIX/orient-3.jpg" "$T/$name128"
ok "scp -O of a 128-byte name is stored" s "$T/$name128" alice@$HOST:trip/
stored() { pw_ssh alice "$PW" ls trip 2>/dev/null | grep -q 'z\.jpg'; }
wait_until 30 stored
ok "ls trip" pw_ssh alice "$PW" ls trip --json
jcheck "only that one, still a .jpg" "len(j) == 1 and j[0]['name'].endswith('.jpg')"
check "the refusals are logged" "grep -q 'scp: user alice: x*\.\.\.: name too long' '$T/sshd.log'"
done_testing
