#!/bin/sh
# A rolling restart under load: a client loop sends a photo and lists the
# album through HAProxy, again and again, while each of three hosts in
# turn gets SIGTERM (it stops listening, finishes its sessions and the
# uploads it accepted, and exits) and is started again. Every command
# succeeds, at most after a retry of the ones a client must retry: a
# connection that failed before the command ran (ssh's own status 255,
# "connection refused/reset/closed": one that reached a host as it closed
# its listener). A listing never misses a photo sent before it, whichever
# hosts the two reached.
# pgal-test: plain build only (the sanitizer build runs the shared upload notes in
# tests/ssh/test-read-own-uploads.sh and the store contract)
. "$(dirname "$0")/lib.sh"
PW='alice password 1'
ROUNDS=40
make_jpegs "$T/p" "$ROUNDS" || fleet_bail "cannot make test photos"
fleet_start mysql 3 "max_upload_bytes = 16M" "ssh_ingest_workers = 1"
make_user alice "$PW" || fleet_bail "cannot make the user"
add_key alice "$PW" || fleet_bail "cannot add the key"
"$PGAL" mkalbum roll > /dev/null

# retried NAME COMMAND...: COMMAND, tried again (at most 5 times in all)
# while it fails with ssh's own status 255; each try is a line of
# $T/client.log, the last one's status is the result
retried() {
	rt_name=$1
	shift
	rt_try=1
	while :; do
		"$@" > "$T/client.out" 2> "$T/client.err" < /dev/null
		rt_rc=$?
		echo "$rt_name try $rt_try status $rt_rc $(head -c 200 "$T/client.err" | tr '\n' ' ')" >> "$T/client.log"
		[ "$rt_rc" = 255 ] && [ "$rt_try" -lt 5 ] || return "$rt_rc"
		rt_try=$((rt_try + 1))
	done
}

# the client: round i sends p<i> and lists; stops at $T/stop or after
# ROUNDS rounds (or 50 s)
client() {
	i=0
	end=$(( $(date +%s) + 50 ))
	while [ "$i" -lt "$ROUNDS" ] && [ ! -e "$T/stop" ] && [ "$(date +%s)" -lt "$end" ]; do
		f=$(printf 'p%03d.jpg' "$i")
		if ! retried "scp $f" at 0 key_scp "$T/id_alice" "$T/p/$f" alice@$HOST:roll/; then
			echo "FAILED scp $f" >> "$T/client.log"
		elif ! retried "ls after $f" at 0 key_ssh "$T/id_alice" alice ls roll --json; then
			echo "FAILED ls after $f" >> "$T/client.log"
		else
			python3 -c 'import json, sys
got = {p["name"] for p in json.load(open(sys.argv[1]))}
want = {"p%03d.jpg" % k for k in range(int(sys.argv[2]) + 1)}
sys.exit(0 if want <= got else 1)' "$T/client.out" "$i" ||
			    echo "MISSED in ls after $f" >> "$T/client.log"
		fi
		i=$((i + 1))
		echo "$i" > "$T/rounds"
	done
	echo done >> "$T/client.log"
}
rounds() {
	cat "$T/rounds" 2>/dev/null || echo 0
}

: > "$T/client.log"
client &
CLIENT=$!
for h in 1 2 3; do
	r=$(rounds)
	wait_until 20 eval '[ "$(rounds)" -ge $((r + 3)) ]'
	host_stop "$h"
	check "host $h drained and stopped on SIGTERM" "grep -q 'stopped' '$T/host$h/sshd.log'"
	host_start "$h"
done
r=$(rounds)
wait_until 20 eval '[ "$(rounds)" -ge $((r + 3)) ]'
: > "$T/stop"
wait_until 30 pid_gone "$CLIENT"
wait "$CLIENT" 2>/dev/null

check "the client ran $(rounds) rounds across the three restarts" "[ $(rounds) -ge 12 ]"
check "no command failed after its retries" "! grep -q '^FAILED' '$T/client.log'"
check "no listing missed a photo sent before it" "! grep -q '^MISSED' '$T/client.log'"
retries=$(grep -c 'try [2-9]' "$T/client.log")
echo "# $retries command(s) retried after a connection failure (status 255)"
grep 'status [1-9]' "$T/client.log" | sed 's/^/# /' | head -10
check "every failed try was a connection failure, never a command's answer" \
    "! grep 'status [1-9]' '$T/client.log' | grep -vq 'status 255'"
ok "ls roll --json through HAProxy" at 0 key_ssh "$T/id_alice" alice ls roll --json
jcheck "holds every photo sent, once" "sorted(p['name'] for p in j) == ['p%03d.jpg' % k for k in range($(rounds))]"
done_testing
