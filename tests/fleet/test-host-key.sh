#!/bin/sh
# One host key for a fleet (issue 17): `pgal init --host-key` puts an
# ed25519 key in S3 (s3rver) once and never replaces it; two pgal-sshd with
# the same ssh_host_key = s3://... present the same key (ssh-keyscan of
# both is identical) and write it nowhere on disk; after the object is
# replaced, SIGHUP switches a host to the new key. A key file readable by
# others is refused.
. "$(dirname "$0")/../ssh/lib.sh"
. "$(dirname "$0")/../integration/lib.sh"
setup_home
PIDB=
cleanup_all() {
	[ -n "$PIDB" ] && kill "$PIDB" 2>/dev/null
	cleanup_ssh
}
peers_init cleanup_all
peer_start S3 s3rver s3rver
aws_env S3RVER s3-secret-hk1
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
KEY=s3://pgal-test/fleet/ssh_host_key
export PGAL_SSH_HOST_KEY=$KEY PGAL_S3_PATH_STYLE=yes

# the object, straight from s3rver (200 when it is there)
object_status() {
	curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$S3/pgal-test/fleet/ssh_host_key"
}
# the public key a server presents, without the host name
scan() {
	ssh-keyscan -p "$1" -t ed25519 127.0.0.1 2>/dev/null | awk '{ print $2, $3 }'
}

check "no key in the bucket yet" '[ "$(object_status)" = 404 ]'
ok "pgal init --host-key makes it" "$PGAL" init --host-key
check "it says where" 'grep -q "^host key $KEY: created" "$T/out"'
check "the object is there" '[ "$(object_status)" = 200 ]'
curl -s "http://127.0.0.1:$S3/pgal-test/fleet/ssh_host_key" > "$T/key1"
expect_rc 5 "a second init --host-key does not replace it" "$PGAL" init --host-key
check "and says so" 'grep -q "exists already; it is not replaced" "$T/err"'
check "the object is unchanged" '[ "$(curl -s "http://127.0.0.1:$S3/pgal-test/fleet/ssh_host_key" | cksum)" = "$(cksum < "$T/key1")" ]'

# two hosts, each with its own PGAL_HOME, one key
start_sshd
HOME_B="$T/home-b"
PORTB=$(free_port)
mkdir -p "$HOME_B"
printf 'home = %s\nssh_listen = 127.0.0.1\nssh_port = %s\n' "$HOME_B" "$PORTB" > "$T/b.conf"
"$SSHD" -D -f "$T/b.conf" > "$T/sshd-b.log" 2>&1 &
PIDB=$!
wait_until 10 log_has "$T/sshd-b.log" "listening on" || { echo "Bail out! host b did not start"; cat "$T/sshd-b.log"; exit 1; }
scan "$PORT" > "$T/scan-a"
scan "$PORTB" > "$T/scan-b"
check "host a presents an ed25519 key" 'grep -q "^ssh-ed25519 AAAA" "$T/scan-a"'
check "ssh-keyscan of both hosts is identical" '[ -s "$T/scan-a" ] && cmp -s "$T/scan-a" "$T/scan-b"'
check "no host key file on either host" '[ -z "$(find "$PGAL_HOME" "$HOME_B" -name "*host*key*")" ]'
make_user alice 'alice pw 1'
sed "s/^/[127.0.0.1]:$PORTB /" "$T/scan-a" > "$T/known_a"
ok "a client that knows only host a's key logs in on host b" eval \
	'sshpass -p "alice pw 1" ssh $SSHO -p "$PORTB" -o StrictHostKeyChecking=yes \
	-o "UserKnownHostsFile=$T/known_a" -o PubkeyAuthentication=no alice@127.0.0.1 whoami'

# the fleet's key replaced: SIGHUP switches a host to it
PATH=/usr/bin:$PATH aws --endpoint-url "http://127.0.0.1:$S3" s3 rm "$KEY" > /dev/null 2>&1
ok "a new key after the old one was removed" "$PGAL" init --host-key
kill -HUP "$SSHD_PID"
ok "host a reloads it" wait_until 30 log_has "$T/sshd.log" "host key reloaded: a new key"
scan "$PORT" > "$T/scan-a2"
check "host a presents the new key" '[ -s "$T/scan-a2" ] && ! cmp -s "$T/scan-a" "$T/scan-a2"'
check "host b still the old one until its SIGHUP" 'cmp -s "$T/scan-b" "$(scan "$PORTB" > "$T/scan-b2"; echo "$T/scan-b2")"'
kill -HUP "$PIDB"
ok "host b reloads it" wait_until 30 log_has "$T/sshd-b.log" "host key reloaded: a new key"
check "both present the new key" 'scan "$PORTB" > "$T/scan-b3"; cmp -s "$T/scan-a2" "$T/scan-b3"'

# a key file: made 0600 once; readable by others, refused
unset PGAL_SSH_HOST_KEY
printf 'home = %s\nssh_host_key = %s\n' "$PGAL_HOME" "$T/fleet_key" > "$T/f.conf"
ok "init --host-key makes a key file" "$PGAL" -f "$T/f.conf" init --host-key
check "mode 600" '[ "$(stat -c %a "$T/fleet_key")" = 600 ]'
chmod 644 "$T/fleet_key"
expect_rc 1 "pgal-sshd refuses a key readable by others" "$SSHD" -D -f "$T/f.conf" -p "$(free_port)"
check "saying so" 'grep -q "is readable by others; chmod 600 it" "$T/err"'
done_testing
