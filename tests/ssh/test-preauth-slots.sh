#!/bin/sh
# Pre-authentication slots against a flood of silent connections from many
# source addresses (127.0.x.y on loopback): when every unauthenticated slot
# is taken a new connection takes the slot of the one that made the least
# progress (no version string, then no key exchange, ...), under pressure
# a connection that has not finished its key exchange in
# ssh_kex_grace_secs is ended, and a real client (OpenSSH) logs in while
# the flood goes on.
. "$(dirname "$0")/lib.sh"
setup_home
RAW="python3 $(dirname "$0")/rawconn.py"
PW='alice slots password 4'
make_user alice "$PW"
add_key alice "$PW"
HELPERS=
trap 'kill $HELPERS 2>/dev/null; cleanup_ssh' EXIT

# ---- at full, the least progress goes first ----
# 6 unauthenticated slots; the login grace time is far away
start_sshd "ssh_max_startups = 6" "ssh_login_grace_secs = 120"
$RAW order "$PORT" > "$T/order.json"
cp "$T/order.json" "$T/out"
jcheck "at full, each newcomer is admitted (6 of 6)" "j['letters'] == 'AAAAAA'"
jcheck "the first five take the slots of the silent ones, oldest first" \
	"j['closed'][:5] == [1, 2, 3, 4, 5]"
jcheck "the one that sent its version string goes last" "j['closed'][5] == 0"
check "each eviction is logged with what the evicted client lacked" \
	"grep -q 'all slots taken: ending connection from 127.0.3.2 after [0-9]*s (no version string) for one from 127.0.3.10' '$T/sshd.log' &&
	 grep -q 'ending connection from 127.0.3.1 after [0-9]*s (no key exchange) for one from 127.0.3.15' '$T/sshd.log'"

# ---- the attack: silent connections from 20 addresses for 16 slots,
# each renewed half a second after the server closed it; a user logs in
# meanwhile ----
stop_sshd
start_sshd "ssh_max_startups = 4:30:16" "ssh_per_addr_max = 3" "ssh_login_grace_secs = 60"
SRCS=$(seq -s, -f 127.0.1.%g 1 20)
$RAW hold "$PORT" 15 0.5 1 "$SRCS" > "$T/hold.json" &
hold=$!
HELPERS="$HELPERS $hold"
# at full its own new connections start taking each other's slots
ok "the flood holds all 16 unauthenticated slots" wait_until 15 log_has "$T/sshd.log" \
	'all slots taken: ending connection from 127\.0\.1\.[0-9]+ .* for one from 127\.0\.1\.'
logins=0 times=
for i in 1 2 3 4 5; do
	a=$(date +%s%N)
	if key_ssh "$T/id_alice" alice whoami > "$T/who" 2> "$T/who.err" &&
	    grep -q '^alice <alice@example.org>$' "$T/who"; then
		logins=$((logins + 1))
	else
		sed 's/^/# /' "$T/who.err"
	fi
	times="$times $(( ($(date +%s%N) - a) / 1000000 ))"
done
check "during the flood 5 of 5 logins succeed ($logins; ms:$times)" "[ $logins -eq 5 ]"
wait "$hold"
cp "$T/hold.json" "$T/out"
jcheck "the flood kept trying: more connections admitted than slots" "j['admitted'] > 16"
check "the logins took the slots of silent connections" \
	"[ \$(grep -c 'all slots taken: ending connection from 127.0.1.[0-9]* after [0-9]*s (no version string) for one from 127.0.0.1' '$T/sshd.log') -ge 1 ]"
check "and logged in" "[ \$(grep -c 'auth ok: user alice method publickey from 127.0.0.1' '$T/sshd.log') -ge 5 ]"

# ---- under pressure the key exchange has ssh_kex_grace_secs ----
stop_sshd
start_sshd "ssh_max_startups = 2:100:20" "ssh_kex_grace_secs = 2" "ssh_login_grace_secs = 30"
$RAW lifetimes "$PORT" 4 127.0.2.1 > "$T/out"
jcheck "one silent connection is no pressure: it outlives the key exchange grace (4 s)" \
	"j['lived'] == [None]"
wait_until 10 no_children "$SSHD_PID"
$RAW lifetimes "$PORT" 10 127.0.2.1 127.0.2.2 > "$T/out"
jcheck "two are (start = 2): silent connections end after it (2 s)" \
	"all(x is not None and 1.9 <= x <= 5 for x in j['lived'])"
check "logged as such" \
	"grep -q 'many unauthenticated connections: ending connection from 127.0.2.2 after [0-9]*s (no version string)' '$T/sshd.log'"
ok "a user still logs in" key_ssh "$T/id_alice" alice whoami
done_testing
