#!/bin/sh
# Sign-up abuse through the guest TUI over SSH (the field finding: Ctrl-R
# mailed 11 codes to one address in 4 s, each killing the one before):
# inside the cool-down Ctrl-R mails nothing and says when the next can go,
# the code already mailed still confirms, and a second sign-up to the same
# inbox from elsewhere is refused without a mail. The limits' arithmetic,
# the per-source limit and the removal of accounts never confirmed (pgal gc,
# with the clock moved) are in tests/unit/test-signup-limits.c.
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PW='dave signup password 1'
mails() {
	ls "$PGAL_HOME"/outbox/*.eml 2>/dev/null | wc -l
}

ssh_term 100 30 ssh -tt $SSHO -p "$PORT" -b 127.0.11.1 -o BatchMode=yes \
	-o PubkeyAuthentication=no gallery@$HOST
step "the guest gets the welcome screen" "Sign up"
keys s
step "sign up asks for the password twice" "Password again"
type_text dave; keys Enter
type_text dave@example.org; keys Enter
type_text "$PW"; keys Enter
type_text "$PW"; keys Enter
step "sign up leads to the code screen" "Code"
code=$(outbox_code)
check "one code was mailed" "[ -n '$code' ] && [ \$(mails) -eq 1 ]"
for k in 1 2 3 4 5; do keys C-r; done
step "Ctrl-R inside the cool-down says when the next code can be sent" "next can be sent in [0-9]+ s"
check "and mailed nothing ($(mails) mails)" "[ \$(mails) -eq 1 ]"

# another sign-up to the same inbox, from another address, at once
expect_rc 3 "a second sign-up to the same inbox is refused" \
	env PGAL_PASSWORD="$PW" "$PGAL" signup mallory DAVE@example.org
check "without a mail, saying when" \
	"[ \$(mails) -eq 1 ] && grep -q 'no mail sent' '$T/err' && grep -q 'next can be sent in' '$T/err'"
expect_rc 2 "and without an account" "$PGAL" resend mallory

keys C-u; type_text "$code"; keys Enter
step "the code mailed first confirms" "account confirmed"
term_cleanup
done_testing
