#!/bin/sh
# The album view sorted by title (s, s): the titled photos A to Z, then the
# untitled ones, as `pgal ls --sort title` lists them.
. "$(dirname "$0")/lib.sh"
setup_home
login_user tara 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum trip
ok "two photos" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg"
# the photo taken last gets a title; the first one stays untitled
ok "a title for one" "$PGAL" edit trip/iphone4s-lens.jpg --title Zebra
tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums" "trip +2"
keys Enter
step "the album, by the time taken" "2 photos, by taken"
# row of a photo's name on the screen
row_of() {
	grep -n "^ $1 " "$T/screen" | head -1 | cut -d: -f1
}
check "the untitled photo (taken first) above" '[ "$(row_of nikon-d2h-gps.jpg)" -lt "$(row_of iphone4s-lens.jpg)" ]'
keys s s
step "s s sorts by title" "2 photos, by title"
check "the titled photo first, the untitled one last" '[ "$(row_of iphone4s-lens.jpg)" -lt "$(row_of nikon-d2h-gps.jpg)" ]'
ok "the CLI lists the same order" "$PGAL" ls trip --sort title --json
jcheck "titled first" "[p['name'] for p in j] == ['iphone4s-lens.jpg', 'nikon-d2h-gps.jpg']"
tui_quit "pgal-tui exits cleanly"
done_testing
