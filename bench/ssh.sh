#!/bin/sh
# bench/ssh.sh BUILD: pgal-sshd side by side with a throwaway OpenSSH sshd
# (own config, loopback, same key exchange forced on both):
#   1. connect -> first complete welcome screen  vs  ssh host true
#   2. bulk upload with sftp -b: (a) until the client is done, vs OpenSSH's
#      sftp-server; (b) until every photo is listed with its thumbnail, vs
#      OpenSSH upload then vipsthumbnail on each file
#   3. PSS per idle TUI session with many open vs sshd + a shell per session
# Sizes: BENCH_SSH_PHOTOS (200), BENCH_SSH_SESSIONS (500), BENCH_SSH_ROUNDS (10).
set -u
cd "$(dirname "$0")/.."
B=${1:-build}
top=$(pwd)
NPHOTOS=${BENCH_SSH_PHOTOS:-200}
NSESS=${BENCH_SSH_SESSIONS:-500}
ROUNDS=${BENCH_SSH_ROUNDS:-10}
KEX=curve25519-sha256
W=$(mktemp -d /tmp/pgal-bench-ssh.XXXXXX)
SPID= OPID=
cleanup() {
	[ -n "$SPID" ] && kill "$SPID" 2>/dev/null && sleep 0.3 && kill "$SPID" 2>/dev/null
	[ -n "$OPID" ] && kill "$OPID" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
port() { python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

echo "== ssh: pgal-sshd vs OpenSSH sshd ($KEX on both)"
export PGAL_HOME="$W/home" XDG_CONFIG_HOME="$W/xdg"
mkdir -p "$PGAL_HOME" "$XDG_CONFIG_HOME" "$W/osshd/up"
PPORT=$(port); OPORT=$(port)
cat > "$W/pgal.conf" <<C
home = $PGAL_HOME
ssh_port = $PPORT
ssh_per_addr_max = $((NSESS + 50))
ssh_max_startups = $((NSESS + 50))
ssh_max_sessions = $((NSESS + 50))
max_upload_bytes = 64M
C
"$top/$B/pgal-sshd" -D -f "$W/pgal.conf" > "$W/pgal-sshd.log" 2>&1 &
SPID=$!
ssh-keygen -q -t ed25519 -N '' -f "$W/osshd/hostkey"
ssh-keygen -q -t ed25519 -N '' -f "$W/id"
cp "$W/id.pub" "$W/osshd/authorized_keys"
cat > "$W/osshd/sshd_config" <<C
Port $OPORT
ListenAddress 127.0.0.1
HostKey $W/osshd/hostkey
AuthorizedKeysFile $W/osshd/authorized_keys
PermitRootLogin yes
StrictModes no
UsePAM no
PasswordAuthentication no
KexAlgorithms $KEX
Subsystem sftp /usr/lib/openssh/sftp-server
PidFile none
MaxStartups $((NSESS + 50))
MaxSessions 10
C
# OpenSSH needs its privilege separation directory
[ -d /run/sshd ] || mkdir -p -m 0755 /run/sshd
/usr/sbin/sshd -D -f "$W/osshd/sshd_config" -E "$W/osshd/log" &
OPID=$!
sleep 1
SO="-F /dev/null -o UserKnownHostsFile=$W/kh -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR -o KexAlgorithms=$KEX -o IdentitiesOnly=yes -i $W/id"
PGAL="$top/$B/pgal"
PW='bench password 1'
PGAL_PASSWORD=$PW "$PGAL" signup bench bench@example.org >/dev/null
code=$(tr -d '\r' < "$(ls -t "$PGAL_HOME"/outbox/*.eml | head -1)" | grep -E '^[A-Z2-9]{10}$' | tail -1)
"$PGAL" confirm bench "$code" >/dev/null
PGAL_PASSWORD=$PW "$PGAL" login bench >/dev/null
"$PGAL" key add $(cat "$W/id.pub") >/dev/null
"$PGAL" mkalbum up >/dev/null

# 1. connect to a complete welcome screen vs ssh true (median of ROUNDS)
python3 - "$ROUNDS" "$PPORT" "$OPORT" $SO <<'PY'
import os, pty, re, select, statistics, subprocess, sys, time
rounds, pport, oport, so = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4:]
def welcome():
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp("ssh", ["ssh", "-tt", *so, "-o", "PubkeyAuthentication=no", "-p", pport, "gallery@127.0.0.1"])
    buf = b""
    # complete: the menu and then the key bar (drawn last); escape
    # sequences may split words, so look at the text without them
    def done(b):
        t = re.sub(rb"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Z]|\x1b.", b"", b)
        i = t.find(b"Sign up")
        return i >= 0 and t.find(b"help", i) >= 0
    while not done(buf):
        r, _, _ = select.select([fd], [], [], 10)
        if not r: break
        try: buf += os.read(fd, 65536)
        except OSError: break
    t = time.monotonic() - t0
    os.kill(pid, 9); os.waitpid(pid, 0); os.close(fd)
    return t
def true():
    t0 = time.monotonic()
    subprocess.run(["ssh", *so, "-o", "BatchMode=yes", "-p", oport, "root@127.0.0.1", "true"], check=True)
    return time.monotonic() - t0
welcome(); true()
a = statistics.median(welcome() for _ in range(rounds))
b = statistics.median(true() for _ in range(rounds))
print(f"connect: pgal welcome screen {a*1000:.0f} ms, openssh 'ssh host true' {b*1000:.0f} ms, ratio {a/b:.2f}x (target <= 1.0x)")
PY

# 2. bulk upload of camera-size JPEGs (distinct crops of the 24 MP fixture)
mkdir -p "$W/photos"
echo "making $NPHOTOS camera-size JPEGs..."
python3 - "$top/build/fixtures/big-24mp.jpg" "$W/photos" "$NPHOTOS" <<'PY'
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
src, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def one(i):
    subprocess.run(["vips", "crop", src, f"{d}/IMG_{i:04d}.jpg[Q=80]", str(i % 97), str(i % 53), "4000", "3000"], check=True)
with ThreadPoolExecutor(4) as ex: list(ex.map(one, range(n)))
PY
total=$(du -sb "$W/photos" | cut -f1)
{ echo "cd /up"; for f in "$W"/photos/*.jpg; do echo "put $f"; done; } > "$W/batch.pgal"
{ echo "cd $W/osshd/up"; for f in "$W"/photos/*.jpg; do echo "put $f"; done; } > "$W/batch.ossh"
t0=$(date +%s%N)
sftp $SO -P "$PPORT" -b "$W/batch.pgal" bench@127.0.0.1 > /dev/null
t1=$(date +%s%N)
# every photo listed, each with its thumbnail
listed=$("$PGAL" ls up --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$PGAL" ls up --json | python3 -c '
import json, subprocess, sys
for p in json.load(sys.stdin):
    subprocess.run([sys.argv[1], "get", "up/" + p["name"], "--thumb"], stdout=subprocess.DEVNULL, check=True)' "$PGAL"
t2=$(date +%s%N)
sftp $SO -P "$OPORT" -b "$W/batch.ossh" root@127.0.0.1 > /dev/null
t3=$(date +%s%N)
mkdir -p "$W/osshd/thumbs"
for f in "$W"/osshd/up/*.jpg; do vipsthumbnail "$f" -s 256 -o "$W/osshd/thumbs/%s.jpg"; done
t4=$(date +%s%N)
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$total" "$listed" "$NPHOTOS" <<'PY'
import sys
t0, t1, t2, t3, t4, total, listed, n = map(int, sys.argv[1:])
pa, pb = (t1 - t0) / 1e9, (t2 - t0) / 1e9
oa, ob = (t3 - t2) / 1e9, (t4 - t2) / 1e9
mib = total / 2**20
print(f"upload {n} photos ({mib:.0f} MiB, {listed} listed):")
print(f"  (a) client done: pgal {pa:.1f} s ({mib/pa:.0f} MiB/s), openssh sftp-server {oa:.1f} s ({mib/oa:.0f} MiB/s); speed ratio {oa/pa:.2f}x (target >= 0.9x)")
print(f"  (b) listed with thumbnails: pgal {pb:.1f} s, openssh + vipsthumbnail {ob:.1f} s; speed ratio {ob/pb:.2f}x (target >= 1.0x)")
PY

# 3. memory per idle session: NSESS TUIs vs NSESS OpenSSH shells
pss_tree() {
	python3 - "$1" <<'PY'
import os, sys
root = int(sys.argv[1])
kids = {}
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            pp = int(open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()[1])
            kids.setdefault(pp, []).append(int(p))
        except OSError: pass
tot, todo = 0, list(kids.get(root, []))
while todo:
    p = todo.pop()
    todo += kids.get(p, [])
    try:
        for l in open(f"/proc/{p}/smaps_rollup"):
            if l.startswith("Pss:"): tot += int(l.split()[1])
    except OSError: pass
print(tot)
PY
}
hold() {
	i=0
	while [ $i -lt "$NSESS" ]; do
		sleep 600 | ssh -tt $SO "$@" > /dev/null 2>&1 &
		echo $! >> "$W/holders"
		i=$((i + 1))
	done
}
: > "$W/holders"
n0=$(grep -c 'tui: user gallery' "$W/pgal-sshd.log")
hold -o PubkeyAuthentication=no -p "$PPORT" gallery@127.0.0.1
sleep $((NSESS / 25 + 5))
pk=$(pss_tree "$SPID"); np=$(( $(grep -c 'tui: user gallery' "$W/pgal-sshd.log") - n0 ))
kill $(cat "$W/holders") 2>/dev/null; sleep 3; : > "$W/holders"
hold -o BatchMode=yes -p "$OPORT" root@127.0.0.1
sleep $((NSESS / 25 + 5))
ok=$(pss_tree "$OPID"); no=$(pgrep -P "$OPID" | wc -l)
kill $(cat "$W/holders") 2>/dev/null
python3 -c "
import sys
pk, np, ok, no = $pk, $np, $ok, $no
a = pk / max(np, 1) / 1024; b = ok / max(no, 1) / 1024
print(f'memory: PSS per idle session, pgal TUI {a:.2f} MiB ({np} sessions), openssh sshd + shell {b:.2f} MiB ({no} sessions); ratio {a/b:.2f}x (target <= 1.0x)')
"
