#!/bin/sh
# A forgotten password in pgal-tui: the login screen's Ctrl-R mails a
# reset code (the status line says where mail is kept), the code (pasted
# with trailing spaces) and a new password typed twice set it; a refused
# try empties the password fields only. Other sessions end; the login
# screen comes back with the name filled in.
. "$(dirname "$0")/lib.sh"
setup_home
# a reset mails right after the sign-up mail here; the mail limits' cool-down
# (tested in test-signup-abuse) would hold it back
export PGAL_MAIL_COOLDOWN_SECS=0
PW=first-password-1
NEW=second-password-2
ok "an account made with the CLI" signup_user alice "$PW"
# a CLI session of its own, which the reset must end
ok "a CLI session" env XDG_CONFIG_HOME="$T/xdg-cli" PGAL_PASSWORD=$PW "$PGAL" login alice
cli_token=$(cat "$T/xdg-cli/pgal/session")

# wide: the status line names the outbox folder (a long scratch path)
tui_start 200 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the welcome screen" "Sign up"
keys l
step "the login screen offers a reset" "Ctrl-R.*forgot password"
type_text alice
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
keys C-r
step "Ctrl-R mails a code to alice and names the outbox folder" "a code was mailed to the address of alice \\(mail is kept as files in .*outbox"
check "one more mail" "[ \$(ls '$PGAL_HOME/outbox' | wc -l) -eq $((nmail + 1)) ]"
check "the reset form, with the name filled in" "grep -qE 'User name +alice' '$T/screen' && grep -q 'New password again' '$T/screen'"
code=$(outbox_code)
type_text "$code  "; keys Enter
type_text short; keys Enter
type_text short; keys Enter
step "a short password is refused" "password too short"
check "the code stays, the password fields are emptied" "grep -qE 'Code +$code' '$T/screen' && ! grep -q '\\*' '$T/screen'"
type_text "$NEW"; keys Enter
type_text "$NEW"; keys Enter
step "the code sets the new password" "password changed and every session ended"
check "on the login screen with the name filled in" "grep -qE 'User name +alice' '$T/screen'"
type_text "$NEW"; keys Enter
step "the new password logs in" "No albums yet"
tui_quit "Q quits"
expect_rc 3 "the CLI session has ended" env PGAL_TOKEN="$cli_token" "$PGAL" whoami
expect_rc 3 "the old password no longer logs in" env XDG_CONFIG_HOME="$T/xdg-cli" PGAL_PASSWORD=$PW "$PGAL" login alice

# The reset form's other ways, as they are: opened without a name it mails
# nothing and asks for the name; its key bar and help from its key table;
# Ctrl-R without a name or for no such account; a submit for no such
# account, without the code, with a wrong or an expired code, or with two
# passwords that differ puts the cursor on the field to fix; Ctrl-R puts it
# on the code; Esc goes back to the login screen. None of it changes the
# password. (A config folder of its own: the one above holds a session.)
tui_start 200 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME="$T/xdg-forms"
step "the welcome screen again" "Sign up"
keys l
wait_for "forgot password" >/dev/null
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
keys C-r
step "Ctrl-R without a name opens the reset form and asks for the name" "enter your user name, then Ctrl-R mails a code"
check "mailing nothing" "[ \$(ls '$PGAL_HOME/outbox' | wc -l) -eq $nmail ]"
check "titled and explained" "grep -q 'pgal reset password' '$T/screen' && grep -q 'Forgot your password? Ctrl-R mails a code' '$T/screen'"
check "its key bar from its key table" "tail -1 '$T/screen' | grep -q '^Enter next field / submit Ctrl-R mail a code Esc cancel '"
keys F1
step "F1 lists its keys" "Ctrl-R {2,}mail a code"
check "in a frame titled with the form" "grep -q '─ reset password ─' '$T/screen' && grep -qE 'Esc +cancel' '$T/screen'"
keys Escape
wait_gone "this help" >/dev/null
keys C-r
step "Ctrl-R without a name asks for it" "enter the user name first"
type_text nobody; keys Enter; type_text WRONGCODE9; keys Enter
type_text "$NEW"; keys Enter; type_text "$NEW"; keys Enter
step "no such account is refused" "no such account"
type_text x
step "with the cursor on the user name" "User name +nobodyx( |\$)"
keys Down C-r
step "Ctrl-R for no such account says so" "no such account"
type_text y
step "and puts the cursor on the user name" "User name +nobodyxy( |\$)"
keys C-u; type_text alice; keys Down C-u Enter Enter Enter
step "a submit without the code asks for it" "enter the user name and the code from the mail \\(Ctrl-R mails one\\)"
type_text Z
step "with the cursor on the code" "Code +Z( |\$)"
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
keys Down C-r
step "Ctrl-R mails a code to alice" "a code was mailed to the address of alice"
check "one more mail" "[ \$(ls '$PGAL_HOME/outbox' | wc -l) -eq $((nmail + 1)) ]"
keys C-u; type_text WRONGCODE9
step "and puts the cursor on the code" "Code +WRONGCODE9( |\$)"
keys Enter; type_text "$NEW"; keys Enter; type_text "$NEW"; keys Enter
step "a wrong code is refused" "wrong code \\([0-9]+ tr(y|ies) left\\)"
check "the password fields are emptied" "! grep -q '\\*' '$T/screen'"
type_text Z
step "with the cursor on the code" "Code +WRONGCODE9Z( |\$)"
code=$(outbox_code)
ok "the code expires (in the store)" sqlite3 -cmd ".timeout 5000" "$PGAL_HOME/pgal.db" \
	"UPDATE users SET code_expires_at = 1 WHERE name = 'alice'"
keys C-u; type_text "$code"; keys Enter; type_text "$NEW"; keys Enter; type_text "$NEW"; keys Enter
step "an expired code is refused" "the code has expired"
type_text Z
step "with the cursor on the code" "Code +${code}Z( |\$)"
keys Enter; type_text "$NEW"; keys Enter; type_text other-password-3; keys Enter
step "two passwords that differ are refused" "the two passwords differ; type them again"
type_text abc
step "with the cursor on the first new password" "New password +\\*{3}( |\$)"
keys Escape
step "Esc goes back to the login screen" "Log in with your user name"
keys Escape
step "and Esc again to the welcome screen" "Sign up"
tui_quit "Q quits again"
ok "the password is still the one set above" env XDG_CONFIG_HOME="$T/xdg-cli" PGAL_PASSWORD=$NEW "$PGAL" login alice
done_testing
