#!/bin/sh
# Adding files already stored, from the TUI's add screen: the other files
# are added first, then one question for all the copies ("store again?",
# the CLI's put --force): n skips them, y stores them under new names; the
# status line gives the true counts (added, stored again, skipped, failed
# with the reason), which the CLI confirms.
. "$(dirname "$0")/lib.sh"
setup_home
login_user gina 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum trip
ok "a photo stored from the CLI" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg"
mkdir -p "$T/pics"
cp "$FIX/nikon-d2h-gps.jpg" "$T/pics/copy.jpg"
cp "$FIX/iphone4s-lens.jpg" "$T/pics/new.jpg"
cp "$FIX/text.jpg" "$T/pics/zbad.jpg"
tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums" "trip +1"
keys Enter
step "the album opens" "1 photo, by taken"
keys a
step "the path prompt" "Path"
type_text "$T/pics"; keys Enter
step "one question for the copy, naming what it is stored as" "Store it again\\?"
check "the file and the stored photo" "tr -d '\\n│ ' < '$T/screen' | grep -q 'copy.jpgisalreadystoredastrip/nikon-d2h-gps.jpg'"
check "asked once every other file was tried" "grep -q 'added 1, failed 1, already stored 1' '$T/screen'"
keys n
step "n skips it" "Done\\. Press Enter"
check "the true counts and the reason of the failure" "grep -q 'added 1 photo, 1 already stored (skipped), 1 failed (.*zbad.jpg' '$T/screen'"
ok "ls --json" "$PGAL" ls trip --json
jcheck "the new photo was added, the copy not" "sorted(p['name'] for p in j) == ['new.jpg', 'nikon-d2h-gps.jpg']"
keys Enter
step "back in the album" "2 photos, by taken"

keys a
step "the path prompt again" "Path"
type_text "$T/pics"; keys Enter
step "both copies now, asked about at once" "2 files are already stored"
keys y
step "y stores them again" "Done\\. Press Enter"
check "the true counts" "grep -q 'added 0 photos, 2 stored again, 1 failed (.*zbad.jpg' '$T/screen'"
ok "ls --json" "$PGAL" ls trip --json
jcheck "four photos, two of each" "len(j) == 4 and len(set(p['sha256'] for p in j)) == 2"
jcheck "the copies under new names" "sorted(p['name'] for p in j) == ['copy.jpg', 'new-2.jpg', 'new.jpg', 'nikon-d2h-gps.jpg']"
keys Enter
step "the album counts them" "4 photos, by taken"
tui_quit "pgal-tui exits cleanly"
done_testing
