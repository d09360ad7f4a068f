#!/bin/sh
# Exec commands over SSH: the same commands, options, JSON and exit codes
# as the pgal CLI, run as the logged-in user; local-only ones not offered.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'
make_user alice "$PW"
r() { pw_ssh alice "$PW" "$@"; }

ok "mkalbum" r mkalbum trip --title "'Summer trip'"
ok "albums --json" r albums --json
jcheck "lists the album with its title" "[a['name'] for a in j] == ['trip'] and j[0]['title'] == 'Summer trip'"
ok "photos go in with scp" pw_scp "$PW" "$FIX/iphone4s-lens.jpg" "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/
ok "ls --json" r ls trip --json
jcheck "lists both photos" "sorted(p['name'] for p in j) == ['iphone4s-lens.jpg', 'nikon-d2h-gps.jpg']"
ok "info --json" r info trip/iphone4s-lens.jpg --json
# the fixture: an iPhone 4S photo stored rotated (orientation 6)
jcheck "EXIF camera and the displayed (rotated) size" \
	"j['exif']['model'] == 'iPhone 4S' and j['exif']['orientation'] == 6 and j['height'] > j['width']"
ok "edit --tags" r edit trip/nikon-d2h-gps.jpg --tags night,beijing --title "'Night street'"
ok "info shows the edit" r info trip/nikon-d2h-gps.jpg --json
jcheck "title and tags saved" "j['title'] == 'Night street' and sorted(j['tags']) == ['beijing', 'night']"
ok "search --json" r search street --json
jcheck "finds the titled photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
ok "search --tag" r search --tag beijing --json
jcheck "finds it by tag" "len(j) == 1"
ok "whoami --json" r whoami --json
jcheck "counts the photos" "j['user'] == 'alice' and j['photos'] == 2 and j['albums'] == 1"
r get trip/nikon-d2h-gps.jpg > "$T/got.jpg" 2> "$T/err"
check "get writes the original byte for byte" "cmp -s '$FIX/nikon-d2h-gps.jpg' '$T/got.jpg'"
expect_rc 1 "get -o is refused remotely (a server path)" r get trip/nikon-d2h-gps.jpg -o /tmp/x.jpg
ok "mv renames a photo" r mv trip/iphone4s-lens.jpg trip/phone.jpg
expect_rc 2 "the old name is gone (exit 2, not found)" r info trip/iphone4s-lens.jpg
ok "rm deletes a photo" r rm trip/phone.jpg
expect_rc 2 "rm of a missing photo: exit 2" r rm trip/phone.jpg
expect_rc 2 "ls of a missing album: exit 2" r ls nowhere --json
expect_rc 1 "a bad option: exit 1" r ls trip --bogus
expect_rc 1 "an unknown command: exit 1" r frobnicate
check "with a message on stderr" "grep -q 'unknown command' '$T/err'"
expect_rc 1 "local-only commands are not offered (signup)" r signup bob bob@example.org
expect_rc 1 "nor gc" r gc
expect_rc 1 "nor put (paths would be on the server)" r put trip /etc/passwd
expect_rc 1 "shell syntax is refused, nothing runs" r "whoami; rm trip/nikon-d2h-gps.jpg"
ok "the photo is still there" r info trip/nikon-d2h-gps.jpg
ok "quoted arguments reach the command as one word" r mkalbum "'two words'"
ok "help lists the commands" r help
check "but not the local-only ones" "grep -q albums '$T/out' && ! grep -qw signup '$T/out'"
expect_rc 1 "rmalbum without --yes does not ask over SSH" r rmalbum "'two words'"
ok "rmalbum --yes" r rmalbum "'two words'" --yes
ok "albums after rmalbum" r albums --json
jcheck "only trip is left" "[a['name'] for a in j] == ['trip']"
ok "commands may start with pgal" r pgal whoami
check "each command is logged" "grep -q 'exec: user alice: mkalbum trip' '$T/sshd.log'"
done_testing
