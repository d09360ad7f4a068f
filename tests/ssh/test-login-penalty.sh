#!/bin/sh
# The failed-login penalty of a source address ends with a user's
# successful login from it (issue 15, item 8), but not with a guest's
# (anyone may log in as the guest). Sources are 127.0.0.x.
. "$(dirname "$0")/lib.sh"
setup_home
PW='alice penalty password 5'
WRONG='not alices password 6'
make_user alice "$PW"
start_sshd
# bssh SOURCE PASSWORD USER: one password attempt running whoami
bssh() {
	sshpass -p "$2" ssh $SSHO -p "$PORT" -b "$1" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "$3@$HOST" whoami
}
ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}
# took SOURCE: ms a right password takes from SOURCE (in $TOOK; 1 if it failed)
took() {
	a=$(ms)
	bssh "$1" "$PW" alice > /dev/null 2>&1 || return 1
	TOOK=$(($(ms) - a))
}
# fail5 SOURCE: five failures from SOURCE (400 ms of penalty each, so 2 s)
fail5() {
	for i in 1 2 3 4 5; do bssh "$1" "$WRONG" nobody > /dev/null 2>&1; done
	[ "$(grep -c "password login: user nobody from $1 (ssh): refused: wrong password" "$T/sshd.log")" -eq 5 ]
}
# the clean source's fastest of three is the baseline (load slows logins)
base=999999
for i in 1 2 3; do
	took 127.0.0.6 && [ $TOOK -lt $base ] && base=$TOOK
done
check "logins from a clean source work (fastest $base ms)" "[ $base -lt 999999 ]"

ok "five failed logins from 127.0.0.5" fail5 127.0.0.5
took 127.0.0.5; first=$TOOK
check "the next right password waits the penalty ($first ms, at least 2000)" "[ $first -ge 1950 ]"
# (a login here takes 0.1 s or 1.2 s at random: the faster of two)
took 127.0.0.5; second=$TOOK
took 127.0.0.5; [ $TOOK -lt $second ] && second=$TOOK
check "after that login the penalty is gone ($second ms vs $base ms clean)" \
	"[ $((second - base)) -lt 1500 ]"

ok "five failed logins from 127.0.0.7" fail5 127.0.0.7
ssh $SSHO -p "$PORT" -b 127.0.0.7 -o BatchMode=yes -o PubkeyAuthentication=no -T \
	gallery@$HOST true > /dev/null 2>&1
check "a guest logs in from it" "grep -q 'auth ok: user gallery method none from 127.0.0.7' '$T/sshd.log'"
took 127.0.0.7; after_guest=$TOOK
check "which leaves the penalty in force ($after_guest ms)" "[ $after_guest -ge 1950 ]"
done_testing
