# The fleet tier: several pgal-sshd on loopback, each with its own
# PGAL_HOME and port, sharing one store and one bucket, behind HAProxy (TCP
# mode, roundrobin), as a fleet behind a load balancer runs.
#   fleet_start STORE N [CONFIG LINE...]
#       STORE mysql (a throwaway MariaDB, tests/integration/mariadb.sh) or
#       dynamodb (dynalite); blobs in s3rver; mail in the outbox of the
#       admin's PGAL_HOME ($T/home, where the CLI runs). Starts N hosts
#       and HAProxy; the hosts' ports in HOST_PORT_1.., HAProxy's in LB_PORT.
#   at I COMMAND...  runs COMMAND with PORT set to host I's (0: HAProxy),
#       for the ssh/scp/sftp helpers of tests/ssh/lib.sh
#   host_stop I [SIGNAL], host_start I: one host down and up again
# FLEET_PROXY=v2 (the default) or v1 makes HAProxy send the PROXY
# protocol header (send-proxy-v2 / send-proxy) from its own source address
# 127.0.0.2, the only one the hosts trust (ssh_proxy_trusted), so a test's
# direct connections from 127.0.0.1 stay plain SSH; FLEET_PROXY=none: no
# header at all.
. "$(dirname "$0")/../ssh/lib.sh"
. "$(dirname "$0")/../integration/lib.sh"
FLEET_DIR=$(cd "$(dirname "$0")" && pwd)
INTEGRATION="$FLEET_DIR/../integration"
HAPROXY=${HAPROXY:-/usr/sbin/haproxy}
HOSTS=0
LB_PID=
DB=

fleet_cleanup() {
	i=1
	while [ "$i" -le "$HOSTS" ]; do
		host_stop "$i" KILL
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # one pid per HAProxy
	[ -n "$LB_PID" ] && kill $LB_PID 2>/dev/null
	term_cleanup
	[ -n "$DB" ] && sh "$INTEGRATION/mariadb.sh" stop "$DB" > /dev/null 2>&1
	[ -n "${P:-}" ] && sh "$PEERS_SH" stop "$P"
}

# fleet_reset: everything stopped and gone, for a fleet on another store
fleet_reset() {
	fleet_cleanup
	HOSTS=0 LB_PID= DB=
	unset P
	rm -rf "$T/home" "$T/xdg" "$T"/host[0-9]* "$T/mariadb" "$T/peers" "$T"/id_*
}

# fleet_bail MESSAGE: the fleet cannot be built: a loud failure
fleet_bail() {
	echo "Bail out! $1"
	exit 1
}

fleet_store_mysql() {
	DB="$T/mariadb"
	export MARIADB_CACHE="$PGAL_BUILD/test-cache/mariadb"
	sh "$INTEGRATION/mariadb.sh" start "$DB" > /dev/null || fleet_bail "MariaDB did not start"
	. "$DB/mariadb.env"
	export PGAL_STORE=mysql
}

fleet_store_dynamodb() {
	peer_start DDB dynalite dynalite
	export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB"
	export PGAL_STORE=dynamodb
}

fleet_start() {
	fleet_kind=$1 fleet_n=$2
	shift 2
	setup_home
	peers_init
	trap fleet_cleanup EXIT
	[ -x "$HAPROXY" ] || fleet_bail "HAProxy is not installed ($HAPROXY; see tools/deps.sh)"
	aws_env S3RVER fleet-secret-not-logged
	case $fleet_kind in
	mysql) fleet_store_mysql ;;
	dynamodb) fleet_store_dynamodb ;;
	*) fleet_bail "fleet_start: no store '$fleet_kind'" ;;
	esac
	peer_start S3 s3rver s3rver
	export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
	export PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=fleet/ PGAL_S3_PATH_STYLE=yes
	"$PGAL" init > "$T/init.out" 2>&1 || { cat "$T/init.out"; fleet_bail "pgal init failed"; }
	# every host has its own key until the fleet shares one: no pinning
	SSHO="-F /dev/null -o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o LogLevel=ERROR -o ConnectTimeout=20 -o ServerAliveInterval=0"
	HOST_CONFIG=$*
	i=1
	while [ "$i" -le "$fleet_n" ]; do
		eval "HOST_PORT_$i=\$(free_port)"
		mkdir -p "$T/host$i"
		{
			echo "home = $T/host$i"
			echo "ssh_listen = 127.0.0.1"
			echo "ssh_port = $(host_port "$i")"
			echo "ssh_per_addr_max = 200"
			echo "ssh_max_startups = 200"
			case ${FLEET_PROXY:-v2} in
			v1|v2) echo "ssh_proxy_protocol = yes"; echo "ssh_proxy_trusted = 127.0.0.2/32" ;;
			esac
			for l in "$@"; do echo "$l"; done
		} > "$T/host$i/pgal.conf"
		HOSTS=$i
		host_start "$i"
		i=$((i + 1))
	done
	lb_start
}

# host_port I: host I's port, HAProxy's for 0
host_port() {
	if [ "$1" = 0 ]; then echo "$LB_PORT"; else eval "echo \$HOST_PORT_$1"; fi
}

# host I's listener (in its own pid namespace: the first process there)
host_pid() {
	eval "hp_ns=\${HOST_NS_$1:-}"
	[ -n "$hp_ns" ] && pgrep -P "$hp_ns" | head -n 1
}

# host_start I: host I in a pid namespace of its own, as on a machine (or
# in a container) of its own: its pids mean nothing to the other hosts
host_start() {
	hs_log="$T/host$1/sshd.log"
	: > "$hs_log"
	# the home of the config, not the admin's of the environment
	unshare --mount --pid --fork --mount-proc --kill-child \
	    env PGAL_HOME="$T/host$1" "$SSHD" -D -f "$T/host$1/pgal.conf" >> "$hs_log" 2>&1 &
	eval "HOST_NS_$1=$!"
	wait_until 10 log_has "$hs_log" "listening on" ||
	    { cat "$hs_log"; fleet_bail "host $1 did not start (unshare needs root)"; }
}

# host_stop I [SIGNAL]: TERM (the default) drains and waits for the
# host's sessions to end; KILL ends every process of the host at once, as
# a lost machine would
host_stop() {
	eval "hs_ns=\${HOST_NS_$1:-}"
	[ -n "$hs_ns" ] || return 0
	hs_pid=$(host_pid "$1")
	if [ "${2:-TERM}" = KILL ] || [ -z "$hs_pid" ]; then
		host_kill_tree "$hs_ns"
	else
		kill -TERM "$hs_pid" 2>/dev/null
		wait_until 30 pid_gone "$hs_ns" > /dev/null || host_kill_tree "$hs_ns"
	fi
	wait "$hs_ns" 2>/dev/null
	eval "HOST_NS_$1="
}

# host_kill_tree PID: SIGKILL to PID and every descendant (connection
# processes, ingest workers, decoders; some run in sessions of their own)
host_kill_tree() {
	hk_all=$(host_tree "$1")
	kill -STOP $hk_all 2>/dev/null
	kill -KILL $hk_all 2>/dev/null
}

# host_tree PID: PID and its descendants
host_tree() {
	ps -eo pid=,ppid= | python3 -c '
import sys
root = sys.argv[1]
kids = {}
for l in sys.stdin:
    pid, ppid = l.split()
    kids.setdefault(ppid, []).append(pid)
out, todo = [root], [root]
while todo:
    for pid in kids.get(todo.pop(), []):
        out.append(pid)
        todo.append(pid)
print(" ".join(out))' "$1"
}

# lb_start [N]: HAProxy in front of hosts 1..N (all of them), on LB_PORT
# (a second one replaces LB_PORT; its pid is added to LB_PID); a
# connection that cannot be made (a host stopped, its listener closed) is
# dispatched to another one
lb_start() {
	lb_n=${1:-$HOSTS}
	LB_PORT=$(free_port)
	case ${FLEET_PROXY:-v2} in
	v2) lb_send=" source 127.0.0.2 send-proxy-v2" ;;
	v1) lb_send=" source 127.0.0.2 send-proxy" ;;
	*) lb_send="" ;;
	esac
	{
		echo "global"
		echo "	maxconn 2000"
		echo "defaults"
		echo "	mode tcp"
		echo "	timeout connect 2s"
		echo "	timeout client 120s"
		echo "	timeout server 120s"
		echo "	retries 3"
		echo "	option redispatch 1"
		echo "frontend ssh"
		echo "	bind 127.0.0.1:$LB_PORT"
		echo "	default_backend hosts"
		echo "backend hosts"
		echo "	balance roundrobin"
		i=1
		while [ "$i" -le "$lb_n" ]; do
			echo "	server host$i 127.0.0.1:$(host_port "$i")$lb_send"
			i=$((i + 1))
		done
	} > "$T/haproxy-$LB_PORT.cfg"
	"$HAPROXY" -c -q -f "$T/haproxy-$LB_PORT.cfg" > "$T/haproxy.log" 2>&1 ||
	    { cat "$T/haproxy.log"; fleet_bail "HAProxy refused its config"; }
	"$HAPROXY" -db -f "$T/haproxy-$LB_PORT.cfg" >> "$T/haproxy.log" 2>&1 &
	LB_PID="${LB_PID:+$LB_PID }$!"
	# its port, without a connection (that would go to a host)
	wait_until 10 listens "$LB_PORT" ||
	    { cat "$T/haproxy.log"; fleet_bail "HAProxy did not listen on $LB_PORT"; }
}

listens() {
	[ -n "$(ss -Hltn "sport = :$1")" ]
}

# at I COMMAND...: COMMAND with PORT set to host I's (0: through HAProxy)
at() {
	at_saved=${PORT:-}
	PORT=$(host_port "$1")
	shift
	"$@"
	at_rc=$?
	PORT=$at_saved
	return $at_rc
}

# fleet_sql SQL: a query on the fleet's MariaDB (tab-separated rows)
fleet_sql() {
	sh "$INTEGRATION/mariadb.sh" sql "$DB" "USE pgal_test; $1"
}

# bucket_keys: every object key of the fleet in the bucket, one a line
bucket_keys() {
	curl -s -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	    "http://127.0.0.1:$S3/pgal-test?list-type=2&prefix=fleet/&max-keys=1000" |
	    grep -o '<Key>[^<]*</Key>' | sed 's/<[^>]*>//g'
}

# rows_match_blobs: every photo row's blob id names 3 objects (original,
# thumbnail, preview) and every object is of a row's blob id (MariaDB)
rows_match_blobs() {
	bucket_keys > "$T/keys" || return 1
	fleet_sql "SELECT blob_id FROM photos" > "$T/blob_ids" || return 1
	python3 - "$T/keys" "$T/blob_ids" <<'PY'
import sys
keys = open(sys.argv[1]).read().split()
ids = open(sys.argv[2]).read().split()
per = {i: 0 for i in ids}
stray = []
for k in keys:
    hit = [i for i in ids if i in k]
    if len(hit) != 1:
        stray.append(k)
    else:
        per[hit[0]] += 1
short = [i for i, c in per.items() if c != 3]
if stray or short:
    print("# objects without a row:", stray[:5], "rows without 3 objects:", short[:5])
    sys.exit(1)
PY
}

# key_scp KEYFILE ARGS...: scp (SFTP) with that key only, to $PORT
key_scp() {
	ks_key=$1
	shift
	scp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$ks_key" "$@"
}
