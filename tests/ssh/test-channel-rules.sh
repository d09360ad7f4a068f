#!/bin/sh
# What a connection may bring and the settings that shape it: only TERM,
# LANG and COLORTERM reach the TUI (no agent, no X11, no other variable);
# -p overrides the configured port; SIGHUP reloads the config for new
# connections while an open one keeps what it started with; SFTP mtimes are
# when a photo was added (the time taken is in info); ssh_rmdir_nonempty
# lets rmdir delete an album with its photos, leaving gc nothing to miss.
. "$(dirname "$0")/lib.sh"
setup_home
# what only the client has must not reach the server another way
unset SSH_AUTH_SOCK SSH_AGENT_PID DISPLAY FOO BAR COLORTERM
export TERM=dumb LANG=C.UTF-8
AGENT_PID= P2= HOLD=
trap 'kill $AGENT_PID $P2 $HOLD 2>/dev/null; cleanup_ssh' EXIT
start_sshd
PW='alice password 1'
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum shown >/dev/null
k() { key_ssh "$T/id_alice" alice "$@"; }

# an agent holding alice's key and a display, on the client's side only
eval "$(ssh-agent -a "$T/agent.sock" -s)" >/dev/null
AGENT_SOCK=$SSH_AUTH_SOCK AGENT_PID=$SSH_AGENT_PID
unset SSH_AUTH_SOCK SSH_AGENT_PID
check "a client-side agent runs ($AGENT_PID)" "[ -S '$AGENT_SOCK' ] && kill -0 $AGENT_PID"
SSH_AUTH_SOCK=$AGENT_SOCK ssh-add -q "$T/id_alice" 2>/dev/null
check "it holds alice's key" "SSH_AUTH_SOCK='$AGENT_SOCK' ssh-add -l | grep -q ED25519"

# tui_found: the TUI process (the child of the one connection process) runs;
# its pid in $tui
tui_found() {
	c=$(pgrep -P "$SSHD_PID" | head -1)
	tui=
	[ -n "$c" ] && tui=$(pgrep -P "$c" | head -1)
	[ -n "$tui" ]
}
# listeners PID...: the listening sockets these processes hold (unix ones
# by path, TCP ones by port) from /proc, but the server's own port
listeners() {
	python3 - "$PORT" "$@" <<'PY'
import os, sys
port, pids = int(sys.argv[1]), sys.argv[2:]
inodes = set()
for pid in pids:
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                l = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if l.startswith("socket:["):
                inodes.add(l[8:-1])
    except OSError:
        pass
found = []
for line in open("/proc/net/unix").read().splitlines()[1:]:
    f = line.split()
    # Flags 00010000: __SO_ACCEPTCON, a listening socket
    if f[6] in inodes and int(f[3], 16) & 0x10000:
        found.append("unix " + (f[7] if len(f) > 7 else "(unnamed)"))
for name in ("tcp", "tcp6"):
    for line in open(f"/proc/net/{name}").read().splitlines()[1:]:
        f = line.split()
        lport = int(f[1].split(":")[1], 16)
        if f[9] in inodes and f[3] == "0A" and lport != port:
            found.append(f"{name} port {lport}")
for f in found:
    print(f)
PY
}
# live_env PID: the environment a process has now, one NAME=VALUE a line.
# /proc/PID/environ holds only what the process was exec'd with: the TUI is
# forked from the server and sets its variables after, so read the environ
# array out of /proc/PID/mem, found through the dynamic symbol tables (the
# executable's own copy first, as the dynamic linker resolves it, then libc's)
live_env() {
	python3 - "$1" <<'PY'
import os, struct, subprocess, sys
pid = sys.argv[1]
exe = os.readlink(f"/proc/{pid}/exe")
bases = {}
for line in open(f"/proc/{pid}/maps"):
    f = line.split()
    if len(f) >= 6 and int(f[2], 16) == 0 and f[5] not in bases:
        bases[f[5]] = int(f[0].split("-")[0], 16)
libc = [p for p in bases if os.path.basename(p).startswith("libc.so")]
addr = None
for path in [exe] + libc:
    out = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True).stdout
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3 and f[2].split("@")[0] in ("__environ", "environ"):
            addr = bases[path] + int(f[0], 16)
            break
    if addr is not None:
        break
if addr is None:
    sys.exit("no environ symbol found for " + pid)
with open(f"/proc/{pid}/mem", "rb", 0) as m:
    def rd(a, n):
        m.seek(a)
        return m.read(n)
    arr = struct.unpack("<Q", rd(addr, 8))[0]
    for i in range(4096):
        p = struct.unpack("<Q", rd(arr + 8 * i, 8))[0]
        if p == 0:
            break
        print(rd(p, 4096).split(b"\0")[0].decode(errors="replace"))
PY
}
# tui_env_checks WHO: the TUI of the one open connection got the client's
# TERM, LANG and COLORTERM and nothing else the client sent or forwarded
tui_env_checks() {
	who=$1
	wait_until 15 tui_found
	check "$who: the TUI process is found ($tui)" "[ -n '$tui' ] && [ -r /proc/$tui/environ ]"
	live_env "$tui" > "$T/env.$who" 2> "$T/env.err"
	check "$who: its live environment is read" "[ -s '$T/env.$who' ] && grep -q '^PATH=' '$T/env.$who'"
	sed 's/^/# /' "$T/env.err"
	tr '\0' '\n' < /proc/$tui/environ > "$T/env0.$who" 2>/dev/null
	conn=$(ps -o ppid= -p "$tui" | tr -d ' ')
	check "$who: TERM is the client's (xterm-256color)" "grep -qx 'TERM=xterm-256color' '$T/env.$who'"
	check "$who: COLORTERM is the client's (truecolor)" "grep -qx 'COLORTERM=truecolor' '$T/env.$who'"
	check "$who: LANG is the client's (en_GB.UTF-8; got $(grep '^LANG=' "$T/env.$who"))" \
		"grep -qx 'LANG=en_GB.UTF-8' '$T/env.$who'"
	check "$who: FOO (SetEnv) and BAR (SendEnv) do not reach it" \
		"! grep -Eq '^(FOO|BAR)=' '$T/env.$who' '$T/env0.$who'"
	check "$who: no agent socket in its environment" "! grep -q '^SSH_AUTH_SOCK=' '$T/env.$who' '$T/env0.$who'"
	check "$who: no X11 display in its environment" "! grep -q '^DISPLAY=' '$T/env.$who' '$T/env0.$who'"
	listeners "$SSHD_PID" "$conn" "$tui" > "$T/listen.$who"
	check "$who: no server process listens on anything new (agent or X11)" "[ ! -s '$T/listen.$who' ]"
	sed 's/^/# listening: /' "$T/listen.$who"
	check "$who: no socket file under PGAL_HOME" "[ -z \"\$(find '$PGAL_HOME' -type s)\" ]"
	check "$who: the client did send and ask for all of it" \
		"grep -q 'setting env BAR = \"baz\"' '$T/client.$who' &&
		 grep -q 'setting env FOO = \"bar\"' '$T/client.$who' &&
		 grep -q 'setting env LANG = \"en_GB.UTF-8\"' '$T/client.$who' &&
		 grep -q 'Requesting authentication agent forwarding' '$T/client.$who' &&
		 grep -q 'Requesting X11 forwarding' '$T/client.$who'"
}
# tui_with_everything USER-ARGS...: ssh -tt in tmux asking for all of it;
# the client's debug log in $T/client.log
tui_with_everything() {
	: > "$T/client.log"
	ssh_term 100 30 "env TERM=xterm-256color BAR=baz SSH_AUTH_SOCK='$AGENT_SOCK' DISPLAY=127.0.0.1:97" \
		ssh -tt -v -E "$T/client.log" $SSHO -p "$PORT" -o BatchMode=yes -A -X -o SendEnv=BAR \
		"-o 'SetEnv=FOO=bar LANG=en_GB.UTF-8 COLORTERM=truecolor'" "$@"
}

# 1. the user's TUI
tui_with_everything -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST
step "alice's TUI opens at her albums" "shown"
cp "$T/client.log" "$T/client.alice"
tui_env_checks alice
term_cleanup
check "alice's connection ended" "wait_until 10 no_children $SSHD_PID"

# the guest's TUI
tui_with_everything -o PubkeyAuthentication=no gallery@$HOST
step "the guest's TUI opens at the welcome screen" "Sign up"
cp "$T/client.log" "$T/client.guest"
tui_env_checks guest
term_cleanup
check "the guest's connection ended" "wait_until 10 no_children $SSHD_PID"

# X11 for a command: refused, and the OpenSSH client says so
DISPLAY=127.0.0.1:97 key_ssh "$T/id_alice" alice -X whoami --json > "$T/out" 2> "$T/err"; rc=$?
check "a command with -X still runs (exit $rc)" "[ $rc -eq 0 ]"
jcheck "as alice" "j['user'] == 'alice'"
check "the client reports the X11 request failed" "grep -q 'X11 forwarding request failed' '$T/err'"
# and -o ForwardAgent=yes for a command
SSH_AUTH_SOCK=$AGENT_SOCK key_ssh "$T/id_alice" alice -o ForwardAgent=yes whoami > "$T/out" 2> "$T/err"; rc=$?
check "a command with ForwardAgent=yes runs (exit $rc)" "[ $rc -eq 0 ] && grep -q '^alice' '$T/out'"
check "and leaves no socket under PGAL_HOME" "[ -z \"\$(find '$PGAL_HOME' -type s)\" ]"

# 4. SFTP mtimes: the time added (or what the client set); the time taken
# (EXIF DateTimeOriginal) is the CLI's taken_at
cat > "$T/wire.py" <<'PY'
import os, struct, sys, time

import sftpwire
from sftpwire import attrs, connect, put, req, s, status

def fail(msg):
    print("FAIL:", msg, flush=True)
    sys.exit(1)

def readdir(path):
    """{name: mtime} of a directory listing"""
    entries, err = sftpwire.readdir(path)
    if entries is None:
        fail("opendir %s: %r" % (path, err))
    return {name: mtime for name, _, mtime in entries}

if not connect(sys.argv[1]):
    fail("no VERSION")
scen, args = sys.argv[2], sys.argv[3:]
if scen == "stat":
    # stat each path, then list the album of the first: path mtime-by-stat mtime-by-readdir
    listing = readdir(os.path.dirname(args[0]))
    for path in args:
        t, b = req(17, s(path))
        if t != 105:
            fail("stat %s: %r" % (path, status((t, b))))
        _, mtime, _ = attrs(b, 0)
        print(path, mtime, listing.get(os.path.basename(path)), flush=True)
elif scen == "putls":
    # a put, then at once the listing of the same connection
    local, remote = args
    t0 = time.time()
    st = put(local, remote)
    if any(c != 0 for _, c, _ in st):
        fail("put: %r" % st)
    listing = readdir(os.path.dirname(remote))
    t1 = time.time()
    print(int(t0), listing.get(os.path.basename(remote)), int(t1) + 1, flush=True)
elif scen == "put":
    st = put(args[0], args[1])
    bad = [m for _, c, m in st if c != 0]
    print(("refused: " + bad[0]) if bad else "stored", flush=True)
elif scen == "hold":
    # open now, upload once the test closes this script's input
    print("ready", flush=True)
    sys.stdin.read()
    st = put(args[0], args[1])
    print("statuses", st, flush=True)
    sys.exit(0 if all(c == 0 for _, c, _ in st) else 1)
PY
vips crop "$FIX/big-24mp.jpg" "$T/noexif.jpg[Q=85,strip]" 100 100 320 240
# the taken times as another tool reads them (vipsheader), as UTC seconds
exif_time() {
	vipsheader -f exif-ifd2-DateTimeOriginal "$1" 2>/dev/null | python3 -c '
import calendar, sys, time
v = sys.stdin.read().split(" (")[0].strip()
print(calendar.timegm(time.strptime(v, "%Y:%m:%d %H:%M:%S")))'
}
NIKON_T=$(exif_time "$FIX/nikon-d2h-gps.jpg")
PHONE_T=$(exif_time "$FIX/iphone4s-lens.jpg")
check "vipsheader reads the two DateTimeOriginal tags ($NIKON_T, $PHONE_T)" \
	"[ '$NIKON_T' = 1069610857 ] && [ '$PHONE_T' = 1409583827 ]"
check "and no date at all in the third photo" "! vipsheader -a '$T/noexif.jpg' | grep -qi date"
"$PGAL" mkalbum times >/dev/null
t0=$(date +%s)
ok "three photos are put over sftp" scp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" \
	"$FIX/nikon-d2h-gps.jpg" "$FIX/iphone4s-lens.jpg" "$T/noexif.jpg" alice@$HOST:times/
ok "ls over ssh waits for them to be stored" k ls times --json
t1=$(( $(date +%s) + 1 ))
jcheck "all three are stored" "len(j) == 3"
ok "a raw SFTP stat and readdir of each" raw_sftp_py "$T/wire.py" alice stat \
	/times/nikon-d2h-gps.jpg /times/iphone4s-lens.jpg /times/noexif.jpg
cp "$T/out" "$T/stat"
# taken_at / added_at from the CLI, as UTC seconds
cli_time() {
	"$PGAL" info "times/$1" --json | python3 -c '
import calendar, json, sys, time
v = json.load(sys.stdin)[sys.argv[1]]
print(calendar.timegm(time.strptime(v.rstrip("Z"), "%Y-%m-%dT%H:%M:%S")) if v else "none")' "$2"
}
mt() { awk -v p="/times/$1" '$1 == p { print $2 }' "$T/stat"; }
md() { awk -v p="/times/$1" '$1 == p { print $3 }' "$T/stat"; }
for f in nikon-d2h-gps.jpg iphone4s-lens.jpg; do
	want=$(cli_time $f taken_at)
	[ $f = nikon-d2h-gps.jpg ] && tag=$NIKON_T || tag=$PHONE_T
	check "$f: the CLI's taken_at is the EXIF tag ($want = $tag)" "[ '$want' = '$tag' ]"
	# the file time is the upload's, stable (sync tools compare it with
	# what they sent); the time taken stays in info
	added=$(cli_time $f added_at)
	check "$f: stat's mtime is the time added, not taken ($(mt $f) = $added)" "[ '$(mt $f)' = '$added' ] && [ '$(mt $f)' != '$tag' ]"
	check "$f: so is readdir's ($(md $f))" "[ '$(md $f)' = '$added' ]"
done
added=$(cli_time noexif.jpg added_at)
check "noexif.jpg: the CLI has no taken_at" "[ '$(cli_time noexif.jpg taken_at)' = none ]"
check "noexif.jpg: added_at is within the upload ($t0 <= $added <= $t1)" \
	"[ $t0 -le $added ] && [ $added -le $t1 ]"
check "noexif.jpg: stat's mtime is added_at ($(mt noexif.jpg))" "[ '$(mt noexif.jpg)' = '$added' ]"
check "noexif.jpg: so is readdir's ($(md noexif.jpg))" "[ '$(md noexif.jpg)' = '$added' ]"
# the same connection lists a photo it has just put, stored or queued
vips crop "$FIX/big-24mp.jpg" "$T/noexif2.jpg[Q=85,strip]" 500 300 320 240
ok "a raw put then readdir on one connection" raw_sftp_py "$T/wire.py" alice putls "$T/noexif2.jpg" /times/queued.jpg
read lo got hi < "$T/out"
check "lists it with a time within the put ($lo <= $got <= $hi)" \
	"[ '$got' != None ] && [ $lo -le $got ] && [ $got -le $hi ]"

# the default: rmdir of an album with photos is refused (one check)
printf 'rmdir /times\n' > "$T/b.rmdir"
fails "rmdir of a non-empty album is refused by default" \
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/b.rmdir" alice@$HOST
ok "the album keeps its photos" k ls times --json
jcheck "all four" "len(j) == 4"

# 2. -p overrides ssh_port of the config file
PA=$(free_port)
PB=$(free_port)
while [ "$PB" = "$PA" ]; do PB=$(free_port); done
sed "s/^ssh_port = .*/ssh_port = $PA/" "$T/pgal.conf" > "$T/port.conf"
: > "$T/port.log"
"$SSHD" -D -f "$T/port.conf" -p "$PB" > "$T/port.log" 2>&1 &
P2=$!
wait_until 10 log_has "$T/port.log" "listening on"
check "the second server starts" "kill -0 $P2"
ssh-keyscan -t ed25519 -p "$PB" $HOST > "$T/scan" 2>/dev/null
check "port $PB (-p) answers with the host key" \
	"[ \"\$(awk '{ print \$3 }' '$T/scan')\" = \"\$(ssh-keygen -y -f '$PGAL_HOME/ssh_host_ed25519_key' | awk '{ print \$2 }')\" ]"
ok "and serves alice" ssh $SSHO -p "$PB" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST whoami
check "port $PA (the file's) refuses connections" "python3 -c '
import socket, sys
try:
    socket.create_connection((\"127.0.0.1\", $PA), 3)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)'"
kill "$P2"; wait "$P2" 2>/dev/null; P2=

# 3. SIGHUP: a lower upload limit for new connections; one already open
# keeps the limit it started with
"$PGAL" mkalbum hup >/dev/null
"$PGAL" mkalbum held >/dev/null
# its input is a fifo this shell holds open (fd 4) until the upload is due
mkfifo "$T/go"
raw_sftp_py "$T/wire.py" alice hold "$FIX/small.gif" /held/before.gif < "$T/go" > "$T/hold.out" 2>&1 &
HOLD=$!
exec 4> "$T/go"
wait_until 20 log_has "$T/hold.out" ready
check "an sftp connection is open before the reload" "grep -q ready '$T/hold.out'"
reloads=$(grep -c 'config reloaded' "$T/sshd.log")
echo "max_upload_bytes = 1K" >> "$T/pgal.conf"
kill -HUP "$SSHD_PID"
wait_until 10 log_count_above "$T/sshd.log" 'config reloaded' "$reloads"
check "the server reloaded" "[ \"\$(grep -c 'config reloaded' '$T/sshd.log')\" -gt $reloads ]"
check "the photo is bigger than 1 KiB ($(stat -c %s "$FIX/nikon-d2h-gps.jpg") bytes)" \
	"[ $(stat -c %s "$FIX/nikon-d2h-gps.jpg") -gt 1024 ]"
fails "scp -O of it is refused" scp -O $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes \
	-i "$T/id_alice" "$FIX/nikon-d2h-gps.jpg" alice@$HOST:hup/
check "naming the limit of 1 KiB" "grep -Eiq 'limit.*(1024|1(\.0+)? ?(k|kb|kib)\b)' '$T/err'"
sed 's/^/# scp: /' "$T/err"
# OpenSSH's sftp and scp print "Failure" alone: the status from a raw client
ok "a raw SFTP put on a new connection" raw_sftp_py "$T/wire.py" alice put "$FIX/medium.webp" /hup/medium.webp
check "is refused, naming the limit: $(head -1 "$T/out")" \
	"grep -q '^refused' '$T/out' && grep -Eiq 'limit.*(1024|1(\.0+)? ?(k|kb|kib)\b)' '$T/out'"
ok "the CLI lists the album" "$PGAL" ls hup --json
jcheck "empty" "j == []"
exec 4>&-
wait "$HOLD"; rc=$?; HOLD=
check "the connection opened before the reload still takes the photo (exit $rc)" "[ $rc -eq 0 ]"
sed 's/^/# held: /' "$T/hold.out"
grep 'held' "$T/sshd.log" | sed 's/^/# log: /'
ok "ls held (waits for the queue)" k ls held --json
jcheck "it was stored" "[p['name'] for p in j] == ['before.gif'] and j[0]['bytes'] == $(stat -c %s "$FIX/small.gif")"

# 5. ssh_rmdir_nonempty = yes: rmdir deletes the album and its photos
stop_sshd
cp "$T/sshd.log" "$T/sshd.1.log"
start_sshd "ssh_rmdir_nonempty = yes"
make_jpegs "$T/rm" 3 || echo "Bail out! cannot make test photos"
printf 'mkdir /gone\ncd /gone\nput %s\nput %s\nput %s\n' "$T"/rm/p000.jpg "$T"/rm/p001.jpg "$T"/rm/p002.jpg > "$T/b.gone"
ok "an album of three photos over sftp" \
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/b.gone" alice@$HOST
ok "ls gone (waits for the queue)" k ls gone --json
jcheck "holds the three" "len(j) == 3"
rows=$(count_rows)
blobs=$(count_blobs)
check "before: every row has its 3 blobs and no other blob ($rows rows, $blobs blobs)" blobs_match_rows
printf 'rmdir /gone\n' > "$T/b.rmdir"
ok "rmdir of the non-empty album succeeds" \
	sftp $SSHO -P "$PORT" -o IdentitiesOnly=yes -i "$T/id_alice" -b "$T/b.rmdir" alice@$HOST
ok "the CLI lists the albums" "$PGAL" albums --json
jcheck "without it" "'gone' not in [a['name'] for a in j] and 'times' in [a['name'] for a in j]"
fails "its photos are gone (CLI info)" "$PGAL" info gone/p000.jpg
check "the other albums keep theirs ($(count_rows) of $rows rows)" "[ \$(count_rows) -eq $((rows - 3)) ]"
ok "gc --min-age 0" "$PGAL" gc --min-age 0
check "no blob without its row: 3 blobs fewer each ($(count_blobs) of $blobs)" \
	"blobs_match_rows && [ \$(count_blobs) -eq $((blobs - 9)) ]"
done_testing
