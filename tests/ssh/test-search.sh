#!/bin/sh
# search over SSH: the same syntax (#tag, tag:x, words that match tags),
# --album, results and exit codes as the pgal CLI (one command table), run
# as the logged-in user.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='alice password 1'
make_user alice "$PW"
r() { pw_ssh alice "$PW" "$@"; }

ok "two albums" r mkalbum trip
ok "and another" r mkalbum home
ok "a photo in each (scp)" pw_scp "$PW" "$FIX/nikon-d2h-gps.jpg" alice@$HOST:trip/
ok "the other" pw_scp "$PW" "$FIX/iphone4s-lens.jpg" alice@$HOST:home/
ok "the same word in both titles" r edit trip/nikon-d2h-gps.jpg --title "'Harbour at night'" --tags sea
ok "and the other" r edit home/iphone4s-lens.jpg --title "'Harbour by day'" --tags sea
ok "search everywhere" r search harbour --json
jcheck "finds both" "sorted(p['album'] for p in j) == ['home', 'trip']"
ok "search --album home" r search harbour --album home --json
jcheck "finds home's only" "[(p['album'], p['name']) for p in j] == [('home', 'iphone4s-lens.jpg')]"
ok "search --tag --album trip" r search harbour --tag sea --album trip --json
jcheck "finds trip's only" "[(p['album'], p['name']) for p in j] == [('trip', 'nikon-d2h-gps.jpg')]"
expect_rc 2 "an album that does not exist" r search harbour --album nope
expect_rc 1 "--album with nothing to look for" r search --album trip
ok "#sea over SSH (quoted for the remote shell-like split)" r search "'#sea'" --album trip --json
jcheck "picks the tag" "[(p['album'], p['name']) for p in j] == [('trip', 'nikon-d2h-gps.jpg')]"
ok "tag:sea" r search tag:sea --json
jcheck "finds both" "len(j) == 2"
ok "a plain word matches a tag" r search sea --json
jcheck "finds both (their titles lack it)" "len(j) == 2"
ok "no match exits 0" r search no-such-word-anywhere
check "says 'no photos found' on stderr" 'grep -q "no photos found" "$T/err" && [ ! -s "$T/out" ]'
ok "no match with --json" r search "'#no-such-tag'" --json
jcheck "prints []" "j == []"
done_testing
