#!/bin/sh
# A forgotten password: `pgal reset USER` mails a code (the sign-up code's
# length, lifetime and tries), `pgal reset USER CODE` sets a new password
# and ends every session. A code pasted with a trailing CR or spaces is
# accepted; what cannot be a code, or a password the rules refuse, costs
# no try. Neither code opens the other's door.
. "$(dirname "$0")/lib.sh"
setup_home
# a reset mails right after the sign-up mail here; the mail limits' cool-down
# (tested in test-signup-abuse) would hold it back
export PGAL_MAIL_COOLDOWN_SECS=0
PW=first-password-1
NEW=second-password-2
CR=$(printf '\r')
newest_mail() {
	ls -t "$PGAL_HOME/outbox"/*.eml | head -1
}

# ---- the sign-up code, pasted with a CR and spaces ----
ok "sign up" env PGAL_PASSWORD=$PW "$PGAL" signup alice alice@example.org
code=$(outbox_code)
ok "the sign-up code with a trailing CR and spaces confirms" "$PGAL" confirm alice "$code$CR  "
ok "log in" env PGAL_PASSWORD=$PW "$PGAL" login alice
tok1=$(saved_token)
ok "a second session" env PGAL_PASSWORD=$PW "$PGAL" login alice
tok2=$(saved_token)

# ---- asking for a code ----
expect_rc 2 "reset of an unknown account" "$PGAL" reset nobody
check "says so" 'grep -q "no such account" "$T/err"'
expect_rc 3 "a code before any was asked for" env PGAL_PASSWORD=$NEW "$PGAL" reset alice 2222222222
check "says to ask for one" 'grep -q "reset USER" "$T/err"'
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
ok "reset alice mails a code" "$PGAL" reset alice
check "and says where mail is kept, and what to run next" 'grep -q "$PGAL_HOME/outbox" "$T/out" && grep -q "pgal reset alice CODE" "$T/out"'
check "one more mail" '[ "$(ls "$PGAL_HOME/outbox" | wc -l)" -eq $((nmail + 1)) ]'
mail=$(newest_mail)
check "to alice, about a password reset" 'grep -qi "^To:.*alice@example.org" "$mail" && grep -qi "^Subject:.*password reset" "$mail"'
rcode=$(outbox_code)
check "with a 10-character code and the command that takes it" '[ ${#rcode} -eq 10 ] && tr -d "\r" < "$mail" | grep -q "pgal reset alice $rcode"'
ok "the session still works meanwhile" env PGAL_TOKEN=$tok1 "$PGAL" whoami

# ---- using it ----
expect_rc 5 "a password the rules refuse" env PGAL_PASSWORD=short "$PGAL" reset alice "$rcode"
check "says why" 'grep -q "too short" "$T/err"'
expect_rc 5 "what cannot be a code" env PGAL_PASSWORD=$NEW "$PGAL" reset alice "12-34"
check "says what a code looks like" 'grep -q "10 letters and digits" "$T/err"'
wrong=2222222222
[ "$rcode" = "$wrong" ] && wrong=3333333333
expect_rc 3 "a wrong code" env PGAL_PASSWORD=$NEW "$PGAL" reset alice $wrong
check "costs the first try only (4 left of 5)" 'grep -q "4 tries left" "$T/err"'
expect_rc 5 "the reset code cannot confirm (the account is confirmed)" "$PGAL" confirm alice "$rcode"
ok "the right code, pasted with a CR and spaces, sets the new password" \
	env PGAL_PASSWORD=$NEW "$PGAL" reset alice "$rcode$CR "
check "says every session ended and what to run next" 'grep -q "every session" "$T/out" && grep -q "pgal login alice" "$T/out"'
expect_rc 3 "the first session has ended" env PGAL_TOKEN=$tok1 "$PGAL" whoami
expect_rc 3 "and the second" env PGAL_TOKEN=$tok2 "$PGAL" whoami
expect_rc 3 "the old password no longer logs in" env PGAL_PASSWORD=$PW "$PGAL" login alice
ok "the new one does" env PGAL_PASSWORD=$NEW "$PGAL" login alice
expect_rc 3 "the code works once" env PGAL_PASSWORD=$PW "$PGAL" reset alice "$rcode"

# ---- tries and renewal ----
ok "a new code" "$PGAL" reset alice
c1=$(outbox_code)
ok "another one" "$PGAL" reset alice
c2=$(outbox_code)
# (a new code does not take back the older one: test-signup-limits)
check "two codes mailed" '[ -n "$c1" ] && [ -n "$c2" ]'
i=1
while [ $i -le 5 ]; do
	env PGAL_PASSWORD=$NEW "$PGAL" reset alice $wrong > /dev/null 2>&1 < /dev/null
	i=$((i + 1))
done
expect_rc 3 "after the tries are spent even the right code fails" env PGAL_PASSWORD=$PW "$PGAL" reset alice "$c2"
check "and says to ask for a new one" 'grep -q "too many wrong codes" "$T/err"'

# ---- a lock from guessing ends with a reset ----
i=1
while [ $i -le 6 ]; do
	env PGAL_PASSWORD=wrong-password-x "$PGAL" login alice > /dev/null 2>&1 < /dev/null
	i=$((i + 1))
done
expect_rc 3 "after failed logins this source is throttled for the account" env PGAL_PASSWORD=$NEW "$PGAL" login alice
check "says so" 'grep -q "too many failed logins" "$T/err"'
ok "reset mails a code" "$PGAL" reset alice
ok "and the code sets a password" env PGAL_PASSWORD=$PW "$PGAL" reset alice "$(outbox_code)"
ok "which logs in at once" env PGAL_PASSWORD=$PW "$PGAL" login alice

# ---- an account waiting for its sign-up code ----
ok "bob signs up (not confirmed)" env PGAL_PASSWORD=$PW "$PGAL" signup bob bob@example.org
bcode=$(outbox_code)
expect_rc 5 "reset of an unconfirmed account" "$PGAL" reset bob
check "says to confirm" 'grep -q "not confirmed" "$T/err"'
expect_rc 5 "the sign-up code cannot reset the password" env PGAL_PASSWORD=$NEW "$PGAL" reset bob "$bcode"
ok "and still confirms" "$PGAL" confirm bob "$bcode"
done_testing
