#!/bin/sh
# A deleted account leaves nothing to the next one: marks of the mail
# limits and live codes are named by the account id, so a new account must
# never get the id of a cancelled one. Otherwise it inherits the old
# account's mail cool-down, and worse, the old account's still-live reset
# code opens it: whoever held the old account takes the new one over.
. "$(dirname "$0")/lib.sh"
PW=alice-password-1
VPW=victim-password-1
XPW=attacker-password-1
CODE_RE='^[A-Z2-9]{10}$'

# ---- the mail cool-down of a cancelled account ----
setup_home
export PGAL_MAIL_COOLDOWN_SECS=60
ok "alice signs up, confirms and logs in" login_user alice $PW
ok "alice cancels her account" env PGAL_PASSWORD=$PW "$PGAL" cancel --yes
nmail=$(ls "$PGAL_HOME/outbox" | wc -l)
ok "carol signs up right after (her sign-up code is mailed)" \
	env PGAL_PASSWORD=$PW "$PGAL" signup carol carol@example.org
check "one more mail, to carol" '[ "$(ls "$PGAL_HOME/outbox" | wc -l)" -eq $((nmail + 1)) ] &&
	grep -qi "^To:.*carol@example.org" "$(ls -t "$PGAL_HOME"/outbox/*.eml | head -1)"'
ok "and her code confirms her account" "$PGAL" confirm carol "$(outbox_code)"

# ---- a reset code of a cancelled account ----
T0=$T
T=$T0/takeover
mkdir -p "$T"
setup_home
# every mail here goes out at once: only the codes are under test
export PGAL_MAIL_COOLDOWN_SECS=0
ok "the attacker signs up, confirms and logs in" login_user mallory $XPW
ok "asks for a reset of their own account" "$PGAL" reset mallory
stale=$(outbox_code)
check "and reads its code from their own mail" 'printf "%s\n" "$stale" | grep -qE "$CODE_RE"'
ok "then cancels the account (the code is still within its lifetime)" \
	env PGAL_PASSWORD=$XPW "$PGAL" cancel --yes
ok "the victim signs up and confirms" signup_user victim $VPW
# anyone may ask for a reset: the new code goes to the victim's mail, but it
# gives the account a pending code for a stale one to be taken for
ok "the attacker asks for a reset of the victim's account" "$PGAL" reset victim
fresh=$(outbox_code)
check "whose code is mailed to the victim, not the stale one" \
	'[ -n "$fresh" ] && [ "$fresh" != "$stale" ] &&
	grep -qi "^To:.*victim@example.org" "$(ls -t "$PGAL_HOME"/outbox/*.eml | head -1)"'
expect_rc 3 "the cancelled account's code does not reset the victim's password" \
	env PGAL_PASSWORD=$XPW "$PGAL" reset victim "$stale"
check "it is a wrong code there" 'grep -q "wrong code" "$T/err"'
expect_rc 3 "the attacker's password does not log in as the victim" \
	env PGAL_PASSWORD=$XPW "$PGAL" login victim
ok "the victim's own password still does" env PGAL_PASSWORD=$VPW "$PGAL" login victim
T=$T0
done_testing
