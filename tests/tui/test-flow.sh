#!/bin/sh
# The whole life of a user in pgal-tui, as a person would drive it: sign
# up, confirm with the mailed code, log in, make an album, add a real
# camera JPEG through the path prompt, look at it (a coloured preview and
# its EXIF), tag it, find it by tag, delete it, cancel the account. Then
# the code screen's other ways.
. "$(dirname "$0")/lib.sh"
setup_home
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
PW='correct horse battery'
# cursor_on PATTERN: the terminal's cursor is on the first line matching
# PATTERN (the screen, saved to $T/screen)
cursor_on() {
	screen > "$T/screen" 2>/dev/null || return 1
	cl=$(grep -nE -- "$1" "$T/screen" | head -1 | cut -d: -f1)
	[ -n "$cl" ] && [ "$(tm display -p -t t '#{cursor_y}')" = $((cl - 1)) ]
}

tui_start 120 40 $ENVS
step "starts at the welcome screen without a session" "Sign up"
check "with the banner and its tagline (assets/banner.txt, compiled in)" "grep -qF '|_|   |___/' '$T/screen' && grep -qF 'a photo gallery for your terminal' '$T/screen'"
keys s
step "sign up asks for the password twice" "Password again"
type_text alice; keys Enter
type_text alice@example.org; keys Enter
type_text "$PW"; keys Enter
# the password taken (the cursor on the next field), its field still on
# the screen: the code screen after the form has no password to show
wait_until "$WAIT" cursor_on "Password again"
check "the password was not echoed" "cursor_on 'Password again' && ! grep -q 'correct horse' '$T/screen'"
type_text "$PW"; keys Enter
step "sign up leads to the code screen" "Code"
code=$(tr -d '\r' < "$(ls -t "$PGAL_HOME/outbox"/*.eml | head -1)" | grep -E '^[2-9A-HJ-NP-Z]{10}$' | tail -1)
check "a 10-character code was mailed" "[ -n '$code' ]"
type_text "WRONGCODE9"; keys Enter
step "a wrong code is refused" "wrong code"
keys C-r
step "Ctrl-R inside the mail cool-down sends nothing and says when" "next can be sent in"
check "no second mail" "[ \$(ls '$PGAL_HOME'/outbox/*.eml | wc -l) -eq 1 ]"
keys C-u; type_text "$code"; keys Enter
step "the right code confirms and asks to log in" "account confirmed"
type_text "not the password"; keys Enter
step "a wrong password is refused" "wrong user name or password|wrong password|denied"
type_text "$PW"; keys Enter
step "login opens the albums screen" "No albums yet"
ok "the session was saved for pgal" "$PGAL" whoami

keys n
# the form's title (the key bar says "new album" too)
step "n asks for a new album" "pgal +new album"
type_text trip; keys Enter; type_text "Summer trip"; keys Enter; type_text "Where we went"; keys Enter
step "the album is listed with its title" "trip +Summer trip +0"

# a second start reuses the saved session
tui_quit "Q quits cleanly"
tui_start 120 40 $ENVS
step "a saved session opens at the albums screen" "trip +Summer trip"

keys Enter
step "the empty album says how to add photos" "No photos yet"
keys a
step "a opens the path prompt" "Path"
type_text "$FIX/nikon-d2h"; keys Tab
step "Tab completes the file name" "Path +.*nikon-d2h-gps\.jpg"
keys Enter
step "the photo is added with a progress screen" "Done\. Press Enter"
check "the progress counted it" "grep -q 'added 1, failed 0' '$T/screen'"
keys Enter
step "the album lists the photo" "nikon-d2h-gps\.jpg"
keys Enter
# (the album names the camera too, beside the list)
step "the photo view shows the EXIF camera model" "Camera +NIKON D2H"
settle
check "and the aperture and GPS" "grep -q 'f/4.5' '$T/screen' && grep -q '39.9' '$T/screen'"
# the preview: rows 3..30, left of the info pane, full of coloured cells
screen_e > "$T/screen-e"
ncol=$(sed -n 3,30p "$T/screen-e" | grep -o '48;5;[0-9]*' | sort -u | wc -l)
check "the preview is drawn in many colours ($ncol backgrounds)" "[ $ncol -ge 8 ]"
filled=$(coloured_cells 3 30 78 < "$T/screen-e")
check "the preview area is filled with coloured cells ($filled)" "[ $filled -ge 1500 ]"

keys e
# the form's title (the photo view has a Tags line too)
step "e opens the edit form" "pgal +edit photo"
keys Down Down
type_text "beijing,night"; keys Enter
# the form shows the typed tags before Enter: saved, it says so, and the
# photo view shows them
step "the tags are saved" "photo 'nikon-d2h-gps\.jpg' changed"
settle
check "and the photo view shows them" "grep -q 'Tags  *beijing,night' '$T/screen'"
keys q
step "back in the album" "nikon-d2h-gps\.jpg +.*beijing,night"
keys /
step "/ asks what to search" "Search"
type_text "#nowhere"; keys Enter
step "a tag nobody has finds nothing" "Nothing found"
check "and the status line says so, as the CLI does" "grep -q 'no photos found' '$T/screen'"
keys /
type_text "night"; keys Enter
step "a plain word finds the photo by its tag (as in the CLI)" "trip +nikon-d2h-gps\.jpg"
keys /
type_text "#beijing"; keys Enter
step "search by tag finds the photo" "trip +nikon-d2h-gps\.jpg"
keys Enter
step "a result opens the photo" "NIKON D2H"
keys d
step "delete asks first, naming the photo" "delete photo 'nikon-d2h-gps\.jpg'"
keys n
step "n keeps it" "nothing deleted"
keys d
wait_for "delete photo" >/dev/null
keys y
step "y deletes it" "photo 'nikon-d2h-gps\.jpg' deleted"
"$PGAL" ls trip > "$T/ls" 2>&1
check "the photo is gone for pgal too" "! grep -q nikon '$T/ls'"

keys q q
step "back at the albums" "trip +Summer trip +0"
keys a
step "a opens the account" "Cancel account"
keys C
step "cancel says what is lost" "deletes the account 'alice'"
type_text "$PW"; keys Enter
type_text "bob"; keys Enter
step "the user name must be typed exactly" "type your user name"
# a failed try empties the password: it is typed again, then the name
type_text "$PW"; keys Enter
keys C-u; type_text alice; keys Enter
step "the account is cancelled" "account cancelled"
check "the session file is gone" "[ ! -e '$XDG_CONFIG_HOME/pgal/session' ]"
expect_rc 3 "alice can no longer log in" env PGAL_PASSWORD="$PW" "$PGAL" login alice
tui_quit "pgal-tui exits 0 with nothing from the sanitizers"

# The code screen's other ways, as they are: opened from the welcome
# screen without a name; its key bar and help from its key table; Esc goes
# back; a submit without the name, a wrong code, no such account and an
# expired code are refused, the cursor staying where it was; Ctrl-R asks
# for the name first, then mails a new code (no cool-down in this session)
# and the newest code confirms.
export PGAL_MAIL_COOLDOWN_SECS=0
ok "an account signed up with pgal, not confirmed yet" \
	env PGAL_PASSWORD="$PW" "$PGAL" signup carol carol@example.org
tui_start 120 40 $ENVS PGAL_MAIL_COOLDOWN_SECS=0
step "the welcome screen again" "Sign up"
keys c
step "c opens the code screen, explained" "Enter the 10-character code from the confirmation mail\\. Ctrl-R mails a new"
check "titled" "grep -q 'pgal confirm email' '$T/screen'"
check "its key bar from its key table" "tail -1 '$T/screen' | grep -q '^Enter next field / submit Ctrl-R mail a new code Esc cancel '"
keys F1
step "F1 lists its keys" "Ctrl-R {2,}mail a new code"
check "in a frame titled with the screen" "grep -q '─ confirm email ─' '$T/screen' && grep -qE 'Esc +cancel' '$T/screen'"
keys Escape
wait_gone "this help" >/dev/null
keys Escape
step "Esc goes back to the welcome screen" "Sign up"
keys c
wait_for "confirmation mail" >/dev/null
keys Enter Enter
step "a submit without the name asks for the name and the code" "enter the user name and the code from the mail"
check "in the code screen's words" "! grep -q 'Ctrl-R mails one' '$T/screen'"
type_text Z
step "the cursor stays on the code" "Code +Z( |\$)"
keys C-r
step "Ctrl-R without a name asks for it" "enter the user name first"
type_text carol
step "with the cursor on the user name" "User name +carol( |\$)"
keys Down C-u; type_text WRONGCODE9; keys Enter
step "a wrong code is refused" "wrong code \\([0-9]+ tr(y|ies) left\\)"
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
keys Up C-r
step "Ctrl-R mails a new code" "a new code was mailed \\(an earlier one works too until it expires\\)"
check "one more mail" "[ \$(ls '$PGAL_HOME/outbox' | wc -l) -eq $((nmail + 1)) ]"
type_text Z
step "the cursor stays where it was" "User name +carolZ( |\$)"
keys C-u; type_text nobody; keys Down C-u; type_text WRONGCODE9; keys Enter
step "no such account is refused" "no such account waiting for confirmation"
type_text Z
step "the cursor stays on the code" "Code +WRONGCODE9Z( |\$)"
code=$(outbox_code)
ok "the code expires (in the store)" sqlite3 -cmd ".timeout 5000" "$PGAL_HOME/pgal.db" \
	"UPDATE users SET code_expires_at = 1 WHERE name = 'carol'"
keys Up C-u; type_text carol; keys Down C-u; type_text "$code"; keys Enter
step "an expired code is refused" "the code has expired"
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
keys C-r
step "Ctrl-R mails a new code again" "a new code was mailed"
check "one more mail" "[ \$(ls '$PGAL_HOME/outbox' | wc -l) -eq $((nmail + 1)) ]"
code=$(outbox_code)
keys C-u; type_text "$code"; keys Enter
step "the newest code confirms and asks to log in" "account confirmed; log in"
check "on the login screen with the name filled in" "grep -q 'Log in with your user name' '$T/screen' && grep -qE 'User name +carol' '$T/screen'"
keys Escape
step "Esc goes back to the welcome screen" "Sign up"
tui_quit "pgal-tui exits 0 again"
done_testing
