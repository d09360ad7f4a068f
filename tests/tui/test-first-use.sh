#!/bin/sh
# What a new user meets in pgal-tui beyond the forms: ←/→ step through the
# photos and the album's cursor comes back on the photo last shown; a new
# album is selected once made; the album shows its description; text cut
# to fit ends with an ellipsis; the edit form names the photo it edits;
# help in a form lists only keys that work in a text field; adding a
# folder draws a closed progress bar and ends with the true counts.
. "$(dirname "$0")/lib.sh"
setup_home
login_user erin erin-password-1 || echo "# login_user failed"
ok "an album with a description" "$PGAL" mkalbum trip --title "Trip" --description "Where we went in the summer"
ok "three photos" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg" "$FIX/orient-1.jpg"
ok "one with a title longer than its column" "$PGAL" edit trip/orient-1.jpg --title "A very long title that goes on and on well past the width of its column in the list"
ok "the order the album lists them in" "$PGAL" ls trip --sort taken --json
first=$(jget "j[0]['name']"); second=$(jget "j[1]['name']"); third=$(jget "j[2]['name']")
# name_shown NAME: the photo view's Name line shows NAME
name_shown() { screen_has "Name +$1"; }

tui_start 110 32 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums" "trip +Trip"
keys Enter
step "the album shows its description" "3 photos, by taken .*Where we went in the summer"
check "a cut title ends with an ellipsis" "grep -q 'A very long[^ ]* [^ ]*…' '$T/screen'"
keys Enter
step "the first photo" "Name +$first"
keys Right
step "→ shows the next photo" "Name +$second"
keys Right
step "→ again the third" "Name +$third"
keys Left
step "← the previous one (not back to the album)" "Name +$second"
keys e
step "the edit form names the photo it edits" "edit photo trip/$second"
keys F1
step "F1 opens help in the form" "Ctrl-W"
check "it lists F1 and the editing keys" "grep -q 'F1 ' '$T/screen' && grep -q 'Ctrl-U' '$T/screen'"
check "not the letter keys, which type text there" "! grep -qE '^ *│? *(Q|q Esc h|\\?) {2,}' '$T/screen'"
keys Escape
wait_gone "Ctrl-W" >/dev/null
keys Escape
step "the form closes" "Name +$second"
keys q
step "back in the album" "3 photos, by taken"
keys Enter
step "Enter opens the photo last shown: the cursor came back on it" "Name +$second"
# adding a folder: a new photo and a copy of one already stored
mkdir -p "$T/more"
cp "$FIX/orient-2.jpg" "$T/more/new.jpg"
cp "$FIX/nikon-d2h-gps.jpg" "$T/more/copy.jpg"
keys q
step "back in the album again" "3 photos, by taken"
keys a
step "the path prompt" "Path"
type_text "$T/more"; keys Enter
step "the copy is asked about, naming what it is stored as" "already stored as"
check "in full" "tr -d '\\n│ ' < '$T/screen' | grep -q 'copy.jpgisalreadystoredastrip/nikon-d2h-gps.jpg'"
keys n
step "the folder is added" "Done\\. Press Enter"
check "the progress bar is closed" "grep -qE '\\[#+\\] +100%' '$T/screen'"
check "the status line gives the true counts" "grep -q 'added 1 photo, 1 already stored (skipped)' '$T/screen'"
keys Enter
step "the album has the new photo" "4 photos, by taken"
tui_quit "Q quits"

# a fresh start, so this part stands alone
tui_start 110 32 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums" "trip +Trip"
keys n
step "a new album" "Name"
type_text zeta; keys Enter; keys Enter; keys Enter
step "is made" "album 'zeta' created"
keys Enter
step "and selected: Enter opens it" "album zeta"
tui_quit "Q quits again"
done_testing
