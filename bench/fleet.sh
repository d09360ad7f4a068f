#!/bin/sh
# bench/fleet.sh [BUILD]: the cost of the load balancer. Three pgal-sshd
# on loopback sharing a MariaDB and s3rver (the fleet of tests/fleet/lib.sh),
# HAProxy (TCP mode, roundrobin) in front of one, two and three of them;
# the same client goes through each balancer and straight to host 1, in
# interleaved rounds, and each figure is printed with its ratio to the
# direct one (target: at most 1.1x):
#   1. connections per second: `ssh alice@host whoami`, BENCH_FLEET_CONNS
#      (24) of them, 4 at a time
#   2. upload throughput: sftp -b of BENCH_FLEET_PHOTOS (4) camera-size
#      photos into a fresh album, MiB/s until the client is done
# BENCH_FLEET_ROUNDS (3) timed rounds after a warm-up. The balanced
# connections carry a PROXY v2 header (FLEET_PROXY, see tests/fleet/lib.sh).
set -eu
if [ -z "${PGAL_BENCH_FLEET:-}" ]; then
	# the fleet's helpers find their files beside the script that sources
	# them: this script runs again as if it lived in tests/fleet
	cd "$(dirname "$0")/.."
	. bench/setup.sh
	bench_dirs "${1:-}"
	PGAL_BENCH_FLEET=1 PGAL_BUILD=$build PGAL_FIXTURES=${PGAL_FIXTURES:-$top/build/fixtures} \
	    TMPDIR_TEST=$(mktemp -d /tmp/pgal-bench-fleet.XXXXXX) \
	    exec sh -c '. "$1"' "$top/tests/fleet/bench" "$top/bench/fleet.sh"
fi
set +eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../bench/timing.sh"
CONNS=${BENCH_FLEET_CONNS:-24}
PHOTOS=${BENCH_FLEET_PHOTOS:-4}
RUNS=$(bench_runs "${BENCH_FLEET_ROUNDS:-3}" 1)
PW='alice password 1'
trap 'fleet_cleanup; rm -rf "$T"' EXIT

make_camera_jpegs "$T/cam" "$PHOTOS" > /dev/null 2>&1 || fleet_bail "cannot make the photos"
bytes=$(cat "$T"/cam/*.jpg | wc -c)
fleet_start mysql 3 "max_upload_bytes = 16M" "ssh_max_sessions = 200" > /dev/null
make_user alice "$PW" || fleet_bail "cannot make the user"
add_key alice "$PW" || fleet_bail "cannot add the key"
PORT_direct=$(host_port 1)
for n in 1 2 3; do
	lb_start "$n"
	eval "PORT_lb$n=\$LB_PORT"
done

# CONNS connections, 4 at a time, each its whole life: key exchange,
# authentication, the command, the end
conns() {
	PORT=$1
	i=0
	while [ "$i" -lt "$CONNS" ]; do
		echo "$i"
		i=$((i + 1))
	done | xargs -P 4 -I{} sh -c "$(command -v ssh) $SSHO -p $PORT -o BatchMode=yes \
	    -o IdentitiesOnly=yes -o PasswordAuthentication=no -i '$T/id_alice' alice@$HOST whoami > /dev/null"
}
seq_no=0
upload() {
	PORT=$1
	seq_no=$((seq_no + 1))
	album=b$seq_no
	"$PGAL" mkalbum "$album" > /dev/null || return 1
	{ echo "cd /$album"; for f in "$T"/cam/*.jpg; do echo "put $f"; done; } > "$T/batch"
	sftp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" \
	    -b "$T/batch" alice@$HOST > /dev/null || return 1
	# outside the timed part: the photos stored, then gone again (the
	# next round sends the same bytes)
	echo "$album" > "$T/last_album"
}
settle() {
	[ -s "$T/last_album" ] || return 0
	a=$(cat "$T/last_album")
	PORT=$PORT_direct key_ssh "$T/id_alice" alice ls "$a" > /dev/null &&
	    "$PGAL" rmalbum "$a" --yes > /dev/null ||
	    { echo "the photos of the last upload were not stored" >&2; return 1; }
	rm -f "$T/last_album"
}
# uploads: each after the previous one's photos are stored and removed
# (untimed: the ingest would load the next)
for t in direct lb1 lb2 lb3; do
	eval "cmd_conn_$t() { conns \$PORT_$t; }"
	eval "before_up_$t() { settle; }"
	eval "cmd_up_$t() { upload \$PORT_$t; }"
done
bench_rounds "$T" "$RUNS" conn_direct conn_lb1 conn_lb2 conn_lb3
bench_rounds "$T" "$RUNS" up_direct up_lb1 up_lb2 up_lb3
settle || fleet_bail "the photos of the last upload were not stored"

echo "fleet: $(nproc) CPUs, 3 pgal-sshd on MariaDB + s3rver, HAProxy $("$HAPROXY" -v | head -1 | awk '{print $3}') with PROXY ${FLEET_PROXY:-v2}; medians of $RUNS rounds"
dc=$(bench_median "$T/conn_direct.us")
du=$(bench_median "$T/up_direct.us")
# each ratio: the time through the balancer over the time straight to host 1
for t in direct lb1 lb2 lb3; do
	c=$(bench_median "$T/conn_$t.us")
	u=$(bench_median "$T/up_$t.us")
	case $t in
	direct) what="straight to host 1" ;;
	*) what="through HAProxy to ${t#lb} host(s)" ;;
	esac
	awk -v w="$what" -v c="$c" -v n="$CONNS" 'BEGIN { printf "  %-34s %6.1f conn/s", w, n / (c / 1e6) }'
	[ "$t" = direct ] || printf ', time %s' "$(bench_ratio "$c" "$dc" "<=" 1.1)"
	awk -v u="$u" -v b="$bytes" 'BEGIN { printf "   upload %6.1f MiB/s", b / 1048576 / (u / 1e6) }'
	[ "$t" = direct ] || printf ', time %s' "$(bench_ratio "$u" "$du" "<=" 1.1)"
	echo
done
