#!/bin/sh
# Guests (the guest name, "none" authentication) have a pool of their own:
# guest connections never hold a user's slot (ssh_per_addr_max,
# ssh_max_sessions), at most ssh_max_guests are in at once, a guest
# connection without a channel ends after ssh_guest_open_secs, and a guest's
# TUI idles out after ssh_guest_idle_secs while a user's keeps ssh_idle_secs.
# Many addresses are played by binding OpenSSH to 127.0.x.y.
. "$(dirname "$0")/lib.sh"
setup_home
PW='alice guest pool password 2'
make_user alice "$PW"
add_key alice "$PW"
HELPERS=
trap 'kill $HELPERS 2>/dev/null; exec 3>&-; cleanup_ssh' EXIT

# guest_from SOURCE: a guest connection with no channel (-N), in the
# background; its stderr in $T/guest.SOURCE
guest_from() {
	ssh $SSHO -p "$PORT" -b "$1" -o BatchMode=yes -o PubkeyAuthentication=no -N \
		gallery@$HOST > /dev/null 2> "$T/guest.$1" &
	LAST=$!
	HELPERS="$HELPERS $LAST"
}
guests_in() {
	log_count_above "$T/sshd.log" 'auth ok: user gallery method none' $(($1 - 1))
}
# alice_from SOURCE: alice's key login runs whoami
alice_from() {
	ssh $SSHO -p "$PORT" -b "$1" -o BatchMode=yes -o IdentitiesOnly=yes \
		-o PasswordAuthentication=no -i "$T/id_alice" alice@$HOST whoami > "$T/who" 2> "$T/who.err" &&
	grep -q '^alice <alice@example.org>$' "$T/who"
}

# ---- guests take no user's slot ----
start_sshd "ssh_per_addr_max = 3" "ssh_max_sessions = 6"
for i in 1 2 3; do guest_from 127.0.4.1; done
ok "three guest connections without a channel from 127.0.4.1" wait_until 15 guests_in 3
ok "alice still logs in from that address (ssh_per_addr_max = 3)" alice_from 127.0.4.1
for i in 2 3 4; do guest_from 127.0.4.$i; done
ok "three more guests from other addresses: 6 in all" wait_until 15 guests_in 6
ok "alice still logs in (ssh_max_sessions = 6)" alice_from 127.0.4.5
check "no connection was refused" "! grep -q 'refused connection' '$T/sshd.log'"
kill $HELPERS 2>/dev/null
HELPERS=

# ---- the pool, the channel limit and the guest's idle limit ----
stop_sshd
start_sshd "ssh_max_guests = 2" "ssh_guest_open_secs = 4" "ssh_guest_idle_secs = 7"
t0=$(date +%s)
guest_from 127.0.5.1; g1=$LAST
guest_from 127.0.5.2; g2=$LAST
ok "two guests are in" wait_until 15 guests_in 2
guest_from 127.0.5.3; g3=$LAST
check "a third is closed at once (ssh_max_guests = 2)" "wait_until 10 pid_gone $g3"
check "logged as too many guests" \
	"grep -q 'refused connection from 127.0.5.3: too many guests$' '$T/sshd.log'"
check "and the guest is told so" "grep -q 'too many guests right now; try again later' '$T/guest.127.0.5.3'"
check "the two without a channel are closed after ssh_guest_open_secs" \
	"wait_until 15 pid_gone $g1 && wait_until 5 pid_gone $g2"
t1=$(date +%s)
check "not before it (4 s; took $((t1 - t0)) s)" "[ $((t1 - t0)) -ge 4 ]"
check "logged as such" "grep -q 'no channel: guest gallery from 127.0.5.1 for 4s' '$T/sshd.log'"
# a guest's TUI and alice's, both with no input (fd 3 holds the fifo open)
mkfifo "$T/in"
exec 3<> "$T/in"
ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@$HOST \
	< "$T/in" > "$T/guest.out" 2>&1 &
gt=$!
ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
	-i "$T/id_alice" alice@$HOST < "$T/in" > "$T/alice.out" 2>&1 &
at=$!
HELPERS="$HELPERS $gt $at"
check "the guest's idle TUI is closed after ssh_guest_idle_secs" "wait_until 20 pid_gone $gt"
check "it had drawn its welcome screen" "grep -q 'Sign up' '$T/guest.out'"
check "logged as the idle timeout" "grep -q 'idle timeout: user gallery from 127.0.0.1' '$T/sshd.log'"
check "alice's TUI, as idle, is still open (ssh_idle_secs)" \
	"kill -0 $at && grep -q 'tui: user alice' '$T/sshd.log'"
kill $at 2>/dev/null
ok "and a user logs in" key_ssh "$T/id_alice" alice whoami
done_testing
