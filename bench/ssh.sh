#!/bin/sh
# bench/ssh.sh [--smoke] [BUILD]: pgal-sshd side by side with a throwaway
# OpenSSH sshd (own config and host key, loopback, the same key exchange
# forced on both), one line per figure with both sides and the ratio:
#   1. connect: the guest's first complete welcome screen  vs  ssh host true
#   2. bulk upload with sftp -b: (a) until the client is done, vs OpenSSH's
#      sftp-server; (b) until every photo is listed with its thumbnail, vs
#      the OpenSSH upload then vipsthumbnail on each file, one after the other
#   3. PSS per idle session with many open: the guest TUI  vs  sshd + a shell
# Sizes: BENCH_SSH_PHOTOS (200), BENCH_SSH_SESSIONS (500), BENCH_SSH_ROUNDS
# (10); --smoke (or BENCH_SSH_SMOKE=1) is a quick check: 6 photos, 20
# sessions, 3 rounds. The photos are made once into build/bench-photos.
set -eu

# Orphans (a TUI or an ingest worker whose parent ended first) come back to
# this shell, so the cleanup below finds every process the run started.
if [ -z "${PGAL_BENCH_SSH_REAPER:-}" ]; then
	PGAL_BENCH_SSH_REAPER=1 exec python3 -c '
import ctypes, os, sys
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
os.execvp("sh", ["sh"] + sys.argv[1:])' "$0" "$@"
fi

cd "$(dirname "$0")/.."
. bench/setup.sh
. bench/timing.sh
B=build
SMOKE=${BENCH_SSH_SMOKE:-0}
for a in "$@"; do
	case $a in
	--smoke) SMOKE=1 ;;
	-*) echo "usage: sh bench/ssh.sh [--smoke] [BUILD]" >&2; exit 1 ;;
	*) B=$a ;;
	esac
done
if [ "$SMOKE" = 1 ]; then
	NPHOTOS=${BENCH_SSH_PHOTOS:-6} NSESS=${BENCH_SSH_SESSIONS:-20} ROUNDS=${BENCH_SSH_ROUNDS:-3}
else
	NPHOTOS=${BENCH_SSH_PHOTOS:-200} NSESS=${BENCH_SSH_SESSIONS:-500} ROUNDS=${BENCH_SSH_ROUNDS:-10}
fi
bench_dirs "$B"
KEX=curve25519-sha256
PGAL="$build/pgal"
SSHD="$build/pgal-sshd"
HELP="python3 $top/bench/sshbench.py"
PHOTOS="$top/build/bench-photos"
SRC="$top/${FIXTURES:-build/fixtures}/big-24mp.jpg"

fail() { echo "bench/ssh: $*" >&2; exit 1; }
for f in "$PGAL" "$SSHD"; do [ -x "$f" ] || fail "$f missing: make $f"; done
for t in ssh sftp ssh-keygen vips vipsheader vipsthumbnail python3; do
	command -v "$t" >/dev/null || fail "$t missing"
done
[ -x /usr/sbin/sshd ] && [ -x /usr/lib/openssh/sftp-server ] || fail "OpenSSH server missing"

W=$(mktemp -d /tmp/pgal-bench-ssh.XXXXXX)
cleanup() {
	trap - EXIT INT TERM HUP
	# every server, connection, TUI, shell and client this run started
	$HELP killtree --below $$ 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

# 500 sessions: two ptys each (client and server side), a few processes,
# a descriptor or two in every helper
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
need=$((NSESS * 4 + 200))
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((NSESS * 2 + 64)) ] ||
	fail "ulimit -n $(ulimit -n) is too low for $NSESS sessions"
nproc=$(python3 -c 'import resource as r; s = r.getrlimit(r.RLIMIT_NPROC)[0]
print(-1 if s == r.RLIM_INFINITY else s)')
[ "$nproc" = -1 ] || [ "$nproc" -ge "$need" ] || fail "ulimit -u $nproc is too low for $NSESS sessions"
procs=$(ls -d /proc/[0-9]* | wc -l)
[ $(($(cat /proc/sys/kernel/pid_max) - procs)) -ge "$need" ] || fail "pid_max too low for $NSESS sessions"
ptys=$(($(cat /proc/sys/kernel/pty/max) - $(cat /proc/sys/kernel/pty/nr)))
[ "$ptys" -ge $((NSESS * 2 + 32)) ] || fail "only $ptys ptys free for $NSESS sessions"
pids_max=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || echo max)
[ "$pids_max" = max ] || [ "$pids_max" -ge $((procs + need)) ] ||
	fail "the cgroup allows $pids_max processes, $((procs + need)) needed"

# the tests' port picker: below the ephemeral range the clients' own
# connections use, and never the same port twice in this run
port() { TMPDIR_TEST=$W python3 "$top/tests/lib/free-port.py"; }
# a long step runs in the background and is waited for: a signal to this
# shell then ends the run at once, not after the step
run() { "$@" & wait $!; }

# made (once) before anything is measured
run sh "$top/bench/make-photos.sh" "$SRC" "$PHOTOS" "$NPHOTOS"

echo "== ssh: pgal-sshd vs OpenSSH sshd ($KEX forced on both; $NPHOTOS photos, $NSESS sessions, $ROUNDS rounds)"
export PGAL_HOME="$W/home" XDG_CONFIG_HOME="$W/xdg"
unset PGAL_CONFIG 2>/dev/null || true
mkdir -p "$PGAL_HOME" "$XDG_CONFIG_HOME" "$W/osshd/up" "$W/osshd/thumbs"
ssh-keygen -q -t ed25519 -N '' -f "$W/osshd/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$W/id"
cp "$W/id.pub" "$W/osshd/authorized_keys"

# the gallery user (CLI on the same store), before the server starts
bench_user "$PGAL" bench 'bench password 1'
"$PGAL" key add $(cat "$W/id.pub") >/dev/null
"$PGAL" mkalbum up >/dev/null

PPORT=$(port)
OPORT=$(port)
cat > "$W/pgal.conf" <<C
home = $PGAL_HOME
ssh_listen = 127.0.0.1
ssh_port = $PPORT
ssh_per_addr_max = $((NSESS + 50))
ssh_max_startups = $((NSESS + 50))
ssh_max_sessions = $((NSESS + 50))
ssh_max_guests = $((NSESS + 50))
max_upload_bytes = 64M
C
"$SSHD" -D -f "$W/pgal.conf" > "$W/pgal-sshd.log" 2>&1 &
SPID=$!

# OpenSSH as people run it, with only what a throwaway instance needs
cat > "$W/osshd/sshd_config" <<C
Port $OPORT
ListenAddress 127.0.0.1
HostKey $W/osshd/hostkey
AuthorizedKeysFile $W/osshd/authorized_keys
PermitRootLogin yes
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
KexAlgorithms $KEX
Subsystem sftp /usr/lib/openssh/sftp-server
PidFile none
MaxStartups $((NSESS + 50))
ClientAliveInterval 0
C
[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd # privilege separation directory
/usr/sbin/sshd -t -f "$W/osshd/sshd_config" || fail "OpenSSH rejects its config"
/usr/sbin/sshd -D -f "$W/osshd/sshd_config" -E "$W/osshd/log" &
OPID=$!
OUSER=$(id -un)

SO="-F /dev/null -o UserKnownHostsFile=$W/kh -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR -o ConnectTimeout=60 -o KexAlgorithms=$KEX -o IdentitiesOnly=yes -i $W/id"
i=0
until grep -q "listening on" "$W/pgal-sshd.log" 2>/dev/null &&
	ssh $SO -o BatchMode=yes -p "$OPORT" "$OUSER@127.0.0.1" true 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 100 ] || { cat "$W/pgal-sshd.log" "$W/osshd/log" >&2; fail "a server did not start"; }
	kill -0 "$SPID" 2>/dev/null || { cat "$W/pgal-sshd.log" >&2; fail "pgal-sshd exited"; }
	kill -0 "$OPID" 2>/dev/null || { cat "$W/osshd/log" >&2; fail "OpenSSH sshd exited"; }
	sleep 0.1
done
ciphers() {
	ssh $SO -v -o BatchMode=yes "$@" 2>&1 < /dev/null |
		sed -n 's/.*kex: server->client cipher: \([^ ]*\).*/\1/p' | head -1
}
echo "   ciphers negotiated: pgal-sshd $(ciphers -o PubkeyAuthentication=no -p "$PPORT" gallery@127.0.0.1 -T), OpenSSH $(ciphers -p "$OPORT" "$OUSER@127.0.0.1" true)"

# 1. connect -> complete welcome screen vs ssh host true, each connection
# timed by the helper (its own start-up left out)
cmd_pgal_connect() { run $HELP connect pgal "$PPORT" -- $SO; }
cmd_ossh_connect() { run $HELP connect openssh "$OPORT" "$OUSER" -- $SO; }
mkdir -p "$W/connect"
bench_rounds "$W/connect" "$ROUNDS" pgal_connect ossh_connect
pc=$(bench_median "$W/connect/pgal_connect.out")
oc=$(bench_median "$W/connect/ossh_connect.out")
echo "connect, medians of $ROUNDS: pgal guest to complete welcome screen $pc ms | openssh 'ssh host true' $oc ms | pgal/openssh $(bench_ratio "$pc" "$oc" "<=" 1.0)"

# 2. bulk upload of camera-size JPEGs, the same files to both
files=$(i=0; while [ $i -lt "$NPHOTOS" ]; do printf '%s/IMG_%04d.jpg\n' "$PHOTOS" $i; i=$((i + 1)); done)
total=$(echo "$files" | xargs cat | wc -c)
{ echo "cd /up"; echo "$files" | sed 's/.*/put "&"/'; } > "$W/batch.pgal"
{ echo "cd $W/osshd/up"; echo "$files" | sed 's/.*/put "&"/'; } > "$W/batch.ossh"
# both read the photos from the page cache, neither pays for the other's
# write-back
echo "$files" | xargs cat > /dev/null
sync
t0=$(bench_now)
run sftp $SO -P "$PPORT" -b "$W/batch.pgal" bench@127.0.0.1 > "$W/sftp.pgal" 2>&1 ||
	{ tail -5 "$W/sftp.pgal" >&2; fail "sftp upload to pgal-sshd failed"; }
t1=$(bench_now)
# (b) stops when the last photo is listed with its thumbnail: right after
# the client when photos are processed on close, later when they are
# processed in the background. Core writes a photo's row only after its
# thumbnail and preview are stored, so the CLI's ls (the store itself; SFTP
# listings also show queued uploads) lists a photo once it is ready; the
# helper then fetches every thumbnail to prove it.
run $HELP ready "$PGAL" up "$NPHOTOS" "$t0" > "$W/ready" || fail "photos never all ready on pgal-sshd"
set -- $(cat "$W/ready")
pready=$1
shift
pready_how=$*
run $HELP verify "$PGAL" up $files || fail "pgal-sshd did not store the photos as sent"
sync
t2=$(bench_now)
run sftp $SO -P "$OPORT" -b "$W/batch.ossh" "$OUSER@127.0.0.1" > "$W/sftp.ossh" 2>&1 ||
	{ tail -5 "$W/sftp.ossh" >&2; fail "sftp upload to OpenSSH failed"; }
t3=$(bench_now)
# what a user scripts after uploading: a thumbnail of each file, the size
# and quality pgal makes (core: thumb_px 256, Q 82, metadata stripped)
for f in "$W"/osshd/up/*.jpg; do
	vipsthumbnail "$f" -s 256 -o "$W/osshd/thumbs/%s.jpg[Q=82,strip]"
done
t4=$(bench_now)
[ "$(ls "$W/osshd/thumbs" | wc -l)" = "$NPHOTOS" ] || fail "OpenSSH side: thumbnails missing"
[ "$(cat "$W"/osshd/up/*.jpg | wc -c)" = "$total" ] || fail "OpenSSH side: uploads incomplete"
pa=$((t1 - t0)) pb=$pready oa=$((t3 - t2)) ob=$((t4 - t2))
awk -v n="$NPHOTOS" -v total="$total" -v pa="$pa" -v oa="$oa" 'BEGIN {
	mib = total / 1048576
	printf "upload (a) %d photos, %.0f MiB, sftp -b until the client is done: pgal %.1f s (%.1f MiB/s) | openssh sftp-server %.1f s (%.1f MiB/s) | ",
	    n, mib, pa / 1e9, mib / (pa / 1e9), oa / 1e9, mib / (oa / 1e9) }'
echo "speed ratio pgal/openssh $(bench_ratio "$oa" "$pa" ">=" 0.9)"
awk -v pb="$pb" -v ob="$ob" -v th="$((t4 - t3))" 'BEGIN {
	printf "upload (b) until every photo has its thumbnail: pgal %.1f s | openssh upload + vipsthumbnail per file, sequential %.1f s (%.1f s of it thumbnails) | ",
	    pb / 1e9, ob / 1e9, th / 1e9 }'
echo "speed ratio pgal/openssh $(bench_ratio "$ob" "$pb" ">=" 1.0)"
echo "   (b) pgal: $pready_how; client done at $(python3 -c "print(f'{($t1 - $t0) / 1e9:.1f}')") s"

# 3. PSS per idle session with NSESS open on each server
sess() {
	kind=$1 pid=$2 port=$3 user=$4
	shift 4
	run $HELP sessions "$kind" "$NSESS" "$pid" "$port" "$user" -- $SO "$@" > "$W/sess.$kind" ||
		fail "$kind sessions failed"
	python3 - "$W/sess.$kind" "$kind" <<'PY' || exit 1
import json, sys
r = json.load(open(sys.argv[1]))
w = r["wanted"]
if r["clients"] != w or r["server_sessions"] != w:
    sys.exit(f"bench/ssh: {sys.argv[2]}: {w} sessions wanted, {r['clients']} clients up, "
             f"{r['server_sessions']} on the server")
PY
}
sess pgal "$SPID" "$PPORT" gallery
sess openssh "$OPID" "$OPORT" "$OUSER" -o BatchMode=yes
# "PSS_KIB SESSIONS PROCESSES" of a run
sess_figures() {
	python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(r["pss_kib"], r["server_sessions"], r["procs"])' "$1"
}
set -- $(sess_figures "$W/sess.pgal") $(sess_figures "$W/sess.openssh")
# KiB a session on each
pk=$(awk -v k="$1" -v n="$2" 'BEGIN { print k / n }')
ok=$(awk -v k="$4" -v n="$5" 'BEGIN { print k / n }')
awk -v pk="$pk" -v ok="$ok" -v n="$2" -v pp="$3" -v on="$5" -v op="$6" 'BEGIN {
	printf "memory: PSS per idle session, %d open on each: pgal guest TUI %.2f MiB (%g processes each) | openssh sshd + shell %.2f MiB (%g processes each) | ",
	    n, pk / 1024, pp / n, ok / 1024, op / on }'
echo "pgal/openssh $(bench_ratio "$pk" "$ok" "<=" 1.0)"
