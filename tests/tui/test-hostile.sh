#!/bin/sh
# Text from users and from EXIF reaches the terminal only as harmless
# text: titles with OSC (set the window title) and CSI (clear the screen)
# sequences, a C1 control, camera strings with escapes. The core cleans
# what it stores; rows written behind its back through the store (seed
# --raw-title) check that the TUI cleans again at display time.
. "$(dirname "$0")/lib.sh"
setup_home
helper_builds seed
login_user dave 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum evil
ok "a real photo" "$PGAL" put evil "$FIX/nikon-d2h-gps.jpg"
ok "a hostile title through pgal edit" "$PGAL" edit evil/nikon-d2h-gps.jpg \
	--title "$(printf 'A\033]0;pwned\007B\033[2JC')" --tags "$(printf 'x\033[31my')"
ok "a raw hostile title straight into the store" "$T/seed" dave evil 1 \
	--raw-title "$(printf 'X\033]0;pwned\007Y\033[2JZ\302\233')"
ok "a photo whose EXIF make and model carry escapes" "$PGAL" put evil "$FIX/evil-exif.jpg"

# a detector check first: a raw OSC 0 in a pane does change its title
tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
# (cat keeps the window's program running until kill-window ends it)
tm new-window -d -t t:1 "printf '\\033]0;detector\\007'; exec cat"
detector_titled() {
	[ "$(tm display -p -t t:1 '#{pane_title}')" = detector ]
}
wait_until "$WAIT" detector_titled
check "a raw OSC 0 would retitle a pane (the check below can fail)" \
	"[ \"\$(tm display -p -t t:1 '#{pane_title}')\" = detector ]"
tm kill-window -t t:1
tm select-pane -t t:0 -T clean

step "the albums screen" "evil"
keys Enter
step "the album lists the photos" "copy-00001\.jpg"
settle
check "the pgal title shows as its text" "grep -q 'ABC' '$T/screen'"
check "the raw title shows as its text" "grep -q 'XYZ' '$T/screen'"
check "no OSC payload shows" "! grep -q pwned '$T/screen'"
check "the screen was not cleared (the header is there)" "grep -q 'NAME  *TITLE' '$T/screen'"
keys G
# the panel beside the list names the selected photo (the list, left,
# names all three)
step "the EXIF photo" "^ {20,}evil-exif\.jpg"
keys Enter
step "its photo view" "Camera"
settle
check "the camera strings show without their escapes" "grep -q 'Cam' '$T/screen' && ! grep -q pwned '$T/screen'"
screen_e > "$T/screen-e"
check "the pane title was never changed" "[ \"\$(tm display -p -t t:0 '#{pane_title}')\" = clean ]"
check "no escape but colour (SGR) reaches the pane" \
	"only_sgr '$T/screen-e' && grep -q \"\$(printf '\\033')\\[\" '$T/screen-e'"
check "no raw ESC in the text capture" "! grep -q \"\$(printf '\\033')\" '$T/screen'"
# back in the album (by taken: the Nikon, its copy with the raw title,
# the EXIF photo), the second row; the album lists XYZ too, so the photo
# view's Name line, and the title in the check
keys q g j Enter
step "the photo with the raw title" "Name +copy-00001\.jpg"
settle
check "its title shows cleaned in the photo view" "grep -q XYZ '$T/screen' && ! grep -q pwned '$T/screen'"
check "the pane title is still clean" "[ \"\$(tm display -p -t t:0 '#{pane_title}')\" = clean ]"
tui_quit "pgal-tui exits cleanly"
done_testing
