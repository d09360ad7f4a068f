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
done_testing
