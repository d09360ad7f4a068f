#!/bin/sh
# The terminal side, on a pseudo-terminal made by script(1): passwords are
# read without echo (and ^C puts the echo back), destructive commands ask,
# put draws a progress bar on stderr.
. "$(dirname "$0")/lib.sh"
setup_home
# a reset mails right after the sign-up mail here; the mail limits' cool-down
# (tested in test-signup-abuse) would hold it back
export PGAL_MAIL_COOLDOWN_SECS=0
if ! command -v script > /dev/null 2>&1; then
	echo "ok 1 - # SKIP script(1) not installed"
	done_testing
	exit 0
fi
TTY=$T/tty
# on_tty "COMMAND" [PATTERN ANSWER]...: runs COMMAND on a pty; types each
# ANSWER once PATTERN (grep -E) shows on the terminal (pgal shows a
# password prompt only once echo is off); the output is in $TTY. script's
# input stays open until COMMAND has ended; notes of a timeout go to the
# test's output (fd 3), not to the terminal.
on_tty() {
	cmd=$1; shift
	: > "$TTY"
	{
		{
			while [ $# -ge 2 ]; do
				wait_until 15 log_has "$TTY" "$1" >&3
				printf '%s\n' "$2"
				shift 2
			done
			wait_until 30 log_has "$TTY" "rc=[0-9]" >&3
		} | script -qfec "$cmd; echo rc=\$?" /dev/null > "$TTY" 2>&1
	} 3>&1
}
rc_is() {
	grep -q "rc=$1" "$TTY"
}
PW=typed-secret-password

on_tty "$PGAL signup carol carol@example.org" "Password" "$PW" "again" "$PW"
check "signup on a terminal asks twice and succeeds" 'rc_is 0 && grep -q "signed up carol" "$TTY"'
check "the password is never echoed" '! grep -q "$PW" "$TTY"'
on_tty "$PGAL signup dave dave@example.org" "Password" "$PW" "again" "another-password"
check "two different passwords are refused (exit 5)" 'rc_is 5 && grep -q "do not match" "$TTY"'
"$PGAL" confirm carol "$(outbox_code)" > /dev/null 2>&1 < /dev/null
on_tty "$PGAL login carol" "Password for carol" "$PW"
check "login on a terminal" 'rc_is 0 && grep -q "logged in as carol" "$TTY" && ! grep -q "$PW" "$TTY"'

"$PGAL" reset carol > /dev/null 2>&1 < /dev/null
PW2=another-typed-password
on_tty "$PGAL reset carol $(outbox_code)" "New password" "$PW2" "again" "$PW2"
check "reset on a terminal asks for the new password twice" 'rc_is 0 && grep -q "password of carol changed" "$TTY" && ! grep -q "$PW2" "$TTY"'
on_tty "$PGAL login carol" "Password for carol" "$PW2"
check "the new password logs in" 'rc_is 0 && grep -q "logged in as carol" "$TTY"'
PW=$PW2

# ^C at the password prompt: pgal dies of SIGINT, the terminal echoes again
on_tty "trap '' INT; $PGAL login carol; echo status=\$?; stty -a | tr ' ' '\n' | grep -x -- '-\?echo'" "Password for carol" "$(printf '\003')"
check "^C ends the prompt" 'grep -q "status=130" "$TTY"'
check "and echo is back on" 'grep -qx "echo.\?" "$TTY"'

"$PGAL" mkalbum trip > /dev/null 2>&1 < /dev/null
"$PGAL" put trip "$FIX/orient-1.jpg" > /dev/null 2>&1 < /dev/null
on_tty "$PGAL rmalbum trip" "\[y/N\]" "n"
check "rmalbum asks about the album and its photos" "grep -q \"delete album 'trip' and its 1 photo?\" \"\$TTY\""
check "answering no keeps it (exit 1)" 'rc_is 1'
ok "the album is still there" "$PGAL" ls trip
on_tty "$PGAL rmalbum trip" "\[y/N\]" "y"
check "answering yes deletes it" 'rc_is 0 && grep -q "deleted album trip" "$TTY"'

"$PGAL" mkalbum pics > /dev/null 2>&1 < /dev/null
on_tty "$PGAL put pics $FIX/orient-2.jpg $FIX/orient-3.jpg > $T/put.out" 
check "put draws a progress bar on a terminal" 'rc_is 0 && grep -q "\[[#.]*\] 1/2 orient-3.jpg" "$TTY"'
check "results still go to stdout" '[ "$(grep -c "^added pics/" "$T/put.out")" -eq 2 ]'
check "no bar in the redirected output" '! grep -q "\[#" "$T/put.out"'

on_tty "$PGAL cancel" "Type the user name" "notcarol"
check "cancel wants the user name typed" 'rc_is 1 && grep -q "nothing was deleted" "$TTY"'
on_tty "$PGAL cancel" "Type the user name" "carol" "Password" "$PW"
check "cancel on a terminal" 'rc_is 0 && grep -q "deleted account carol" "$TTY"'

done_testing
