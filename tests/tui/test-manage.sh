#!/bin/sh
# Managing things from the TUI: albums (rename, edit, delete with a
# question that names what is lost), photos (next/previous), the help
# overlay, SSH keys (add a pasted line, list with the fingerprint
# ssh-keygen computes, refuse garbage, remove), log out.
. "$(dirname "$0")/lib.sh"
setup_home
login_user frank 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum trip --title "Old title"
ok "two photos" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg"
tui_start 110 32 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the album with two photos" "trip +Old title +2"

keys '?'
# the overlay drawn down to its last line (for the check below); the key
# bar says "new album" too, with one space after the key
wait_for "this help" >/dev/null
step "? lists the keys of the albums screen" "n {2,}new album"
check "and the shared keys" "grep -q 'quit' '$T/screen'"
keys Escape
wait_gone "this help" >/dev/null

keys r
step "r asks for the new name, filled in" "New name +trip"
keys C-u; type_text "voyage"; keys Enter
step "the album is renamed" "voyage +Old title +2"
keys e
step "e edits title and description" "Description"
keys C-u; type_text "New title"; keys Enter
type_text "with a description"; keys Enter
step "the title changed" "voyage +New title +2"

keys Enter
step "the album opens" "2 photos, by taken"
keys Enter
# (the album names the camera too, beside the list)
step "the first photo (taken first: the Nikon, 2003)" "Camera +NIKON D2H"
keys n
step "n shows the next photo (the iPhone)" "iPhone 4S"
check "with its lens" "grep -q 'Lens' '$T/screen'"
keys n
step "the last photo says so" "this is the last photo"
keys p
step "p goes back" "NIKON D2H"
keys q q
# the album's row (the photo view names the album too)
step "back at the albums" "voyage +New title +2"
keys /
step "/ on the albums searches every album" "search every album"
type_text "iphone4s"; keys Enter
step "words find the photo by name" "voyage +iphone4s-lens\.jpg"
check "and only it" "! grep -q 'nikon-d2h' '$T/screen'"
keys q
step "back at the albums again" "voyage +New title"
keys d
step "delete names the album and what is lost" "delete album 'voyage' and its 2 photos\?"
keys y
step "deleted, with the count" "album 'voyage' deleted with 2 photos"
check "the list is empty" "grep -q 'No albums yet' '$T/screen'"

keys a
step "the account screen" "SSH keys"
check "shows the user" "grep -q 'frank@example.org' '$T/screen'"
keys K
step "no keys yet" "No keys yet"
keys a
step "a asks for a key line" "Public key"
type_text "ssh-ed25519 not-base64!! junk"; keys Enter
step "garbage is refused" "the key was not added"
if command -v ssh-keygen >/dev/null 2>&1; then
	ssh-keygen -q -t ed25519 -N '' -C "frank@laptop" -f "$T/id" >/dev/null
	fp=$(ssh-keygen -lf "$T/id.pub" | awk '{ print $2 }')
	fp_re=$(printf '%s' "$fp" | sed 's/[+.]/\\&/g')
	keys C-u; type_text "$(cat "$T/id.pub")"; keys Enter
	step "a real key is added" "key SHA256:.* added"
	step "and listed with the fingerprint ssh-keygen gives" "ssh-ed25519 +$fp_re"
	check "and its comment" "grep -q 'frank@laptop' '$T/screen'"
	keys d
	step "removing asks first" "remove the key"
	check "naming the key" "grep -qF '$fp' '$T/screen' && grep -q 'frank@laptop' '$T/screen'"
	keys y
	step "the key is removed" "No keys yet"
else
	keys Escape
	echo "ok $((n + 1)) # SKIP no ssh-keygen"; n=$((n + 1))
fi
keys q
step "back to the account" "Cancel account"
keys L
step "L logs out to the welcome screen" "logged out"
check "and forgets the saved session" "[ ! -e '$XDG_CONFIG_HOME/pgal/session' ]"
# an account that was never confirmed: log in leads to the code screen
PGAL_PASSWORD='another long one' "$PGAL" signup hank hank@example.org >/dev/null 2>&1
keys l
step "l opens the login form" "Log in with your user name"
type_text hank; keys Enter; type_text 'another long one'; keys Enter
step "an unconfirmed account is told so" "not confirmed yet"
check "and is on the code screen with its name" "grep -q 'Code' '$T/screen' && grep -q 'User name  *hank' '$T/screen'"
keys Escape
step "Esc goes back to the welcome screen" "Sign up"
tui_quit "pgal-tui exits cleanly"
done_testing
