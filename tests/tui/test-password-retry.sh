#!/bin/sh
# Password fields after a form error: every password field is emptied and
# the cursor goes to the first field at fault, so what the user types next
# is the whole password (not appended to the refused one); a password field
# shows one mask character per character typed and its cursor moves.
# Sign up (too short, then the two differ), change password (too short,
# then a wrong current one); the CLI then logs in with what was typed last.
. "$(dirname "$0")/lib.sh"
setup_home
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"

# row LABEL: the 0-based screen row of the first line starting (after
# spaces) with LABEL, then two spaces or the end (an empty field)
row() {
	screen > "$T/screen" 2>/dev/null || return 1
	r=$(grep -nE -- "^ *$1( {2}|\$)" "$T/screen" | head -1 | cut -d: -f1)
	[ -n "$r" ] && echo $((r - 1))
}
cursor_y() { tm display -p -t t '#{cursor_y}'; }
cursor_x() { tm display -p -t t '#{cursor_x}'; }
# cursor_on LABEL: the terminal's cursor is on LABEL's field
cursor_on() {
	r=$(row "$1") && [ "$(cursor_y)" = "$r" ]
}
# mask_of LABEL: the run of '*' on LABEL's row (empty if none)
mask_of() {
	r=$(row "$1") || return 1
	sed -n "$((r + 1))p" "$T/screen" | grep -oE '\*+' | head -1
}
# mask_is LABEL N: LABEL's field shows exactly N mask characters
mask_is() {
	m=$(mask_of "$1")
	[ "${#m}" -eq "$2" ]
}

tui_start 100 30 $ENVS
step "the welcome screen" "Sign up"
keys s
step "the sign-up form" "Password again"
type_text alice; keys Enter
type_text alice@example.org; keys Enter
# the field's first column, once the cursor is there
wait_until "$WAIT" cursor_on Password
x0=$(cursor_x)
# cursor_at N: the cursor is N columns right of where the field starts
cursor_at() { [ $(($(cursor_x) - x0)) -eq "$1" ]; }
type_text hunter22
wait_until "$WAIT" mask_is Password 8
check "the password field shows one mask character per character typed" "mask_is Password 8"
check "and the cursor moved past them" "wait_until $WAIT cursor_at 8"
check "what was typed is not on the screen" "! grep -q hunter22 '$T/screen'"
keys Left Left
check "Left moves the cursor within the mask" "wait_until $WAIT cursor_at 6"
keys End Enter
type_text hunter22; keys Enter
step "a short password is refused" "password too short"
check "both password fields are emptied" "[ -z \"\$(mask_of Password)\" ] && [ -z \"\$(mask_of 'Password again')\" ]"
check "the cursor is on the first password field" "cursor_on Password"
check "at its start" "[ \"\$(cursor_x)\" = '$x0' ]"
check "the user name and email stay" "grep -q 'alice@example.org' '$T/screen'"
type_text hunter2-longer; keys Enter
type_text hunter2-lnoger; keys Enter
step "two different passwords are refused" "the two passwords differ"
check "both password fields are emptied again" "[ -z \"\$(mask_of Password)\" ] && [ -z \"\$(mask_of 'Password again')\" ]"
check "the cursor is on the first password field again" "cursor_on Password"
type_text hunter2-longer; keys Enter
type_text hunter2-longer; keys Enter
step "the third try signs up" "Code"
step "the status line says where the code went (the outbox folder here)" "a code was mailed to alice@example.org \\(mail is kept as files in /"
code=$(outbox_code)
ok "the code confirms the account" "$PGAL" confirm alice "$code"
ok "the password is what was typed last (not appended to the refused one)" \
	env PGAL_PASSWORD=hunter2-longer "$PGAL" login alice
keys Escape
wait_for "Sign up" >/dev/null
tui_quit "Q quits"

# change password, from a session the CLI saved (an account of its own,
# so this half stands alone)
ok "a second account, logged in by the CLI" login_user bob hunter2-longer
tui_start 100 30 $ENVS
step "the saved session opens the albums" "No albums yet"
keys a
step "the account screen" "Change password"
keys p
step "the change password form" "New password again"
type_text hunter2-longer; keys Enter
type_text short; keys Enter
type_text short; keys Enter
step "a short new password is refused" "password too short"
check "every password field is emptied" "[ -z \"\$(mask_of 'Current password')\" ] && [ -z \"\$(mask_of 'New password')\" ] && [ -z \"\$(mask_of 'New password again')\" ]"
check "the cursor is on the first field (emptied, needed again)" "cursor_on 'Current password'"
type_text wrong-password; keys Enter
type_text new-password-1; keys Enter
type_text new-password-1; keys Enter
step "a wrong current password is refused" "wrong password"
check "every password field is emptied" "[ -z \"\$(mask_of 'Current password')\" ] && [ -z \"\$(mask_of 'New password')\" ]"
check "the cursor is on the current password" "cursor_on 'Current password'"
type_text hunter2-longer; keys Enter
type_text new-password-1; keys Enter
type_text new-password-1; keys Enter
step "the third try changes the password" "password changed"
tui_quit "Q quits after the change"
expect_rc 3 "the old password no longer logs in" env PGAL_PASSWORD=hunter2-longer "$PGAL" login bob
ok "the new one, as typed, does" env PGAL_PASSWORD=new-password-1 "$PGAL" login bob
done_testing
