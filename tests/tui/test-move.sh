#!/bin/sh
# Moving and renaming a photo from the TUI, as `pgal mv` does: m in the
# album (and photo) view opens one form naming the photo, with its name and
# album filled in; Tab completes the album from the user's albums; a rename
# keeps it in the album, a move takes it to the other one (the CLI sees
# both); a missing album or a taken name is refused with the cursor on the
# field at fault.
. "$(dirname "$0")/lib.sh"
setup_home
login_user mona 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum trip
ok "another album" "$PGAL" mkalbum winter
ok "two photos" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg"
tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums" "trip +2"
keys Enter
step "the album opens" "2 photos, by taken"
keys '?'
step "help lists m" "m +move/rename"
keys Escape
wait_gone "move/rename +$" >/dev/null

keys m
step "m opens a form naming the photo" "move or rename photo trip/nikon-d2h-gps\.jpg"
check "its name is filled in" "grep -Eq 'Name +nikon-d2h-gps\.jpg' '$T/screen'"
check "and its album" "grep -Eq 'Album +trip' '$T/screen'"
keys Enter Enter
step "unchanged, it says there is nothing to change" "nothing to change"
keys C-u; type_text "harbour.jpg"; keys Enter Enter
step "a new name renames it" "renamed trip/nikon-d2h-gps\.jpg to harbour\.jpg"
step "the album lists the new name" "harbour\.jpg"
ok "the CLI sees the new name" "$PGAL" info trip/harbour.jpg
expect_rc 2 "and not the old one" "$PGAL" info trip/nikon-d2h-gps.jpg

keys m
step "the form again, for the renamed photo" "move or rename photo trip/harbour\.jpg"
keys C-u; type_text "iphone4s-lens.jpg"; keys Enter Enter
step "a name the album already has is refused" "already exists"
keys C-u; type_text "harbour.jpg"; keys Enter C-u; type_text "nope"; keys Enter
step "a missing album is refused" "cannot move the photo"
# the cursor is on the album field now: what is typed goes there
keys C-u Tab
step "Tab on nothing lists every album" "trip  winter"
type_text "wi"; keys Tab
step "Tab completes the album" "Album +winter"
keys Enter
step "the photo moves" "moved trip/harbour\.jpg to winter/harbour\.jpg"
step "the album counts one photo" "1 photo, by taken"
ok "the CLI finds it in the other album" "$PGAL" info winter/harbour.jpg --json
jcheck "with its own bytes" "j['sha256'] == '$(sha256sum "$FIX/nikon-d2h-gps.jpg" | cut -d' ' -f1)'"

# from the photo view: a move out of the album goes back to the list
keys Enter
step "the photo view" "iPhone 4S"
keys m
step "m in the photo view opens the same form" "move or rename photo trip/iphone4s-lens\.jpg"
keys Enter C-u; type_text "winter"; keys Enter
step "moved from the photo view" "moved trip/iphone4s-lens\.jpg to winter/iphone4s-lens\.jpg"
step "back at the album, now empty" "No photos yet"
ok "the CLI lists both in the other album" "$PGAL" ls winter --json
jcheck "both photos" "sorted(p['name'] for p in j) == ['harbour.jpg', 'iphone4s-lens.jpg']"
tui_quit "pgal-tui exits cleanly"
done_testing
