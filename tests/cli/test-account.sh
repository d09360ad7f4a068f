#!/bin/sh
# Accounts as a user runs them: signup, the mailed code (tries, resend),
# login, sessions (logout and passwd revoke), and cancel deleting everything.
. "$(dirname "$0")/lib.sh"
setup_home
# a resend waits for its cool-down (test-signup-abuse.sh has the default)
export PGAL_MAIL_COOLDOWN_SECS=1
PW=correct-horse-battery
PW2=staple-staple-staple

# ---- signup and confirmation ----
expect_rc 0 "signup" env PGAL_PASSWORD=$PW "$PGAL" signup alice alice@example.org
check "signup says to confirm" 'grep -q "pgal confirm alice" "$T/out"'
code=$(outbox_code)
check "a code was mailed" '[ -n "$code" ]'
check "the mail goes to alice" 'grep -qi "^To:.*alice@example.org" "$(ls -t "$PGAL_HOME"/outbox/*.eml | head -1)"'
expect_rc 5 "the same user name again" env PGAL_PASSWORD=$PW "$PGAL" signup alice other@example.org
expect_rc 3 "login before confirming" env PGAL_PASSWORD=$PW "$PGAL" login alice
check "says the account is not confirmed" 'grep -q "not confirmed" "$T/err"'
check "no session was saved" '[ ! -e "$XDG_CONFIG_HOME/pgal/session" ]'

# a wrong code that cannot be the real one
wrong=2222222222
[ "$code" = "$wrong" ] && wrong=3333333333
i=1
while [ $i -le 5 ]; do
	expect_rc 3 "wrong code, try $i" "$PGAL" confirm alice $wrong
	i=$((i + 1))
done
expect_rc 3 "after 5 wrong codes even the right one fails" "$PGAL" confirm alice "$code"
check "and it says to resend" 'grep -q resend "$T/err"'
expect_rc 2 "resend for an unknown user" "$PGAL" resend nobody
check "resend, once its cool-down is over" 'wait_until 10 "$PGAL" resend alice'
code2=$(outbox_code)
check "a new code was mailed" '[ -n "$code2" ] && [ "$code2" != "$code" ]'
ok "the old code still works (a resend takes no code back)" "$PGAL" confirm alice "$code"
expect_rc 5 "confirming twice" "$PGAL" confirm alice "$code2"

# ---- login ----
expect_rc 3 "wrong password" env PGAL_PASSWORD=wrong-password-x "$PGAL" login alice
cp "$T/err" "$T/err.wrongpw"
expect_rc 3 "unknown user" env PGAL_PASSWORD=wrong-password-x "$PGAL" login mallory
check "wrong password and unknown user read the same" 'cmp -s "$T/err" "$T/err.wrongpw"'
ok "login" env PGAL_PASSWORD=$PW "$PGAL" login alice
check "login says who" 'grep -q "logged in as alice" "$T/out"'
sess="$XDG_CONFIG_HOME/pgal/session"
check "session file is 0600" '[ "$(stat -c %a "$sess")" = 600 ]'
check "its directory is 0700" '[ "$(stat -c %a "$XDG_CONFIG_HOME/pgal")" = 700 ]'
check "it holds a 64-hex token" 'grep -qE "^[0-9a-f]{64}$" "$sess"'
ok "whoami" "$PGAL" whoami
check "whoami names alice" 'grep -q "^alice <alice@example.org>" "$T/out"'
ok "whoami --json" "$PGAL" whoami --json
jcheck "whoami --json fields" 'j["user"] == "alice" and j["email"] == "alice@example.org" and j["albums"] == 0 and j["photos"] == 0 and j["created_at"].endswith("Z")'

# an unsafe session file is not used
chmod 644 "$sess"
expect_rc 3 "a session file others can read is refused" "$PGAL" whoami
check "with a warning naming it" 'grep -q "chmod 600" "$T/err"'
chmod 600 "$sess"

# ---- sessions: logout and passwd revoke ----
tok1=$(saved_token)
ok "a second login" env PGAL_PASSWORD=$PW "$PGAL" login alice
tok2=$(saved_token)
check "a new token" '[ "$tok1" != "$tok2" ]'
ok "the first session still works" env PGAL_TOKEN=$tok1 "$PGAL" whoami
ok "logout" "$PGAL" logout
check "logout removes the session file" '[ ! -e "$sess" ]'
expect_rc 3 "the logged-out token is refused" env PGAL_TOKEN=$tok2 "$PGAL" whoami
check "with the login hint" 'grep -q "pgal login USER" "$T/err"'
ok "the other session is untouched" env PGAL_TOKEN=$tok1 "$PGAL" whoami
expect_rc 3 "whoami after logout" "$PGAL" whoami

ok "login again" env PGAL_PASSWORD=$PW "$PGAL" login alice
tok3=$(saved_token)
expect_rc 3 "passwd with a wrong current password" env PGAL_TOKEN=$tok1 PGAL_PASSWORD=not-the-password PGAL_NEW_PASSWORD=$PW2 "$PGAL" passwd
expect_rc 5 "passwd to a short password" env PGAL_TOKEN=$tok1 PGAL_PASSWORD=$PW PGAL_NEW_PASSWORD=short "$PGAL" passwd
expect_rc 1 "passwd without a new password and no terminal" env PGAL_TOKEN=$tok1 PGAL_PASSWORD=$PW "$PGAL" passwd
ok "passwd" env PGAL_TOKEN=$tok1 PGAL_PASSWORD=$PW PGAL_NEW_PASSWORD=$PW2 "$PGAL" passwd
ok "the session that changed it lives on" env PGAL_TOKEN=$tok1 "$PGAL" whoami
expect_rc 3 "every other session ended" env PGAL_TOKEN=$tok3 "$PGAL" whoami
expect_rc 3 "the old password fails" env PGAL_PASSWORD=$PW "$PGAL" login alice
ok "the new password works" env PGAL_PASSWORD=$PW2 "$PGAL" login alice

# ---- cancel deletes everything, and only alice's ----
login_user bob bob-password-123
tokb=$(saved_token)
ok "bob makes an album" env PGAL_TOKEN=$tokb "$PGAL" mkalbum keep
ok "bob adds a photo" env PGAL_TOKEN=$tokb "$PGAL" put keep "$FIX/iphone4s-lens.jpg"
ok "alice logs in" env PGAL_PASSWORD=$PW2 "$PGAL" login alice
toka=$(saved_token)
ok "alice makes an album" "$PGAL" mkalbum trip
ok "alice makes another" "$PGAL" mkalbum empty
ok "alice adds photos" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" "$FIX/orient-3.jpg"
check "9 blob files for 3 photos" '[ "$(count_blobs)" -eq 9 ]'
expect_rc 1 "cancel without --yes and no terminal" env PGAL_PASSWORD=$PW2 "$PGAL" cancel
check "nothing was deleted" '[ "$(count_blobs)" -eq 9 ]'
expect_rc 3 "cancel with a wrong password" env PGAL_PASSWORD=$PW "$PGAL" cancel --yes
check "still nothing deleted" '[ "$(count_blobs)" -eq 9 ]'
ok "cancel" env PGAL_PASSWORD=$PW2 "$PGAL" cancel --yes
check "cancel says what was deleted" 'grep -q "deleted account alice: 2 albums, 2 photos" "$T/out"'
check "the session file is gone" '[ ! -e "$sess" ]'
check "alice's blob files are gone, bob's remain" '[ "$(count_blobs)" -eq 3 ]'
expect_rc 3 "alice's token is dead" env PGAL_TOKEN=$toka "$PGAL" albums
expect_rc 3 "alice cannot log in" env PGAL_PASSWORD=$PW2 "$PGAL" login alice
check "same message as for an unknown user" 'cmp -s "$T/err" "$T/err.wrongpw"'
ok "bob still has his album" env PGAL_TOKEN=$tokb "$PGAL" ls keep --json
jcheck "and his photo" 'len(j) == 1 and j[0]["name"] == "iphone4s-lens.jpg"'
ok "the name alice is free again" env PGAL_PASSWORD=$PW "$PGAL" signup alice alice2@example.org

done_testing
