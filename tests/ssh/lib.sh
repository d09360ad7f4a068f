# TAP helpers for the SSH tier: OpenSSH's ssh/scp/sftp against a pgal-sshd
# started here on a free loopback port, with a throwaway PGAL_HOME and
# known_hosts. Builds on tests/cli/lib.sh (ok, expect_rc, check, jcheck...).
. "$(dirname "$0")/../cli/lib.sh"
SSHD="$PGAL_BUILD/pgal-sshd"
HOST=127.0.0.1
SSHD_PID=
. "$TESTS_LIB/tmux.sh"

# start_sshd [CONFIG LINE...]: writes $T/pgal.conf and starts the server
# (under $SSHD_WRAP, a command and its arguments, if set)
start_sshd() {
	PORT=$(free_port)
	{
		echo "home = $PGAL_HOME"
		echo "ssh_listen = 127.0.0.1"
		echo "ssh_port = $PORT"
		echo "ssh_per_addr_max = 200"
		echo "ssh_max_startups = 200"
		for l in "$@"; do echo "$l"; done
	} > "$T/pgal.conf"
	: > "$T/sshd.log"
	${SSHD_WRAP:-} "$SSHD" -D -f "$T/pgal.conf" >> "$T/sshd.log" 2>&1 &
	SSHD_PID=$!
	if ! wait_until 10 log_has "$T/sshd.log" "listening on"; then
		echo "Bail out! pgal-sshd did not start"; cat "$T/sshd.log"; exit 1
	fi
	SSHO="-F /dev/null -o UserKnownHostsFile=$T/known_hosts -o StrictHostKeyChecking=accept-new -o LogLevel=ERROR -o ConnectTimeout=20 -o ServerAliveInterval=0"
}

stop_sshd() {
	[ -n "$SSHD_PID" ] || return 0
	kill "$SSHD_PID" 2>/dev/null
	wait_until 5 pid_gone "$SSHD_PID" > /dev/null
	kill -9 "$SSHD_PID" 2>/dev/null
	wait "$SSHD_PID" 2>/dev/null
	SSHD_PID=
}

cleanup_ssh() {
	term_cleanup
	# a second TERM ends sessions still running (the first starts draining)
	[ -n "$SSHD_PID" ] && kill "$SSHD_PID" 2>/dev/null &&
		wait_until 2 log_has "$T/sshd.log" "stopping" && kill "$SSHD_PID" 2>/dev/null
	stop_sshd
}
trap cleanup_ssh EXIT

# pw_ssh USER PASSWORD ARGS...: ssh with a password (no keys tried)
pw_ssh() {
	u=$1; p=$2; shift 2
	sshpass -p "$p" ssh $SSHO -p "$PORT" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "$u@$HOST" "$@"
}
pw_scp() {
	p=$1; shift
	sshpass -p "$p" scp $SSHO -P "$PORT" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "$@"
}
pw_sftp() {
	p=$1; shift
	sshpass -p "$p" sftp $SSHO -P "$PORT" -o PubkeyAuthentication=no \
		-o PreferredAuthentications=password -o NumberOfPasswordPrompts=1 "$@"
}
# key_ssh KEYFILE USER ARGS...: public key only, never a prompt
key_ssh() {
	k=$1; u=$2; shift 2
	ssh $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
		-i "$k" "$u@$HOST" "$@"
}
# guest_ssh ARGS...: the guest name, "none" authentication
guest_ssh() {
	ssh $SSHO -p "$PORT" -o BatchMode=yes -o PubkeyAuthentication=no gallery@"$HOST" "$@"
}

# a user with a confirmed account (CLI against the same PGAL_HOME)
make_user() {
	PGAL_PASSWORD=$2 "$PGAL" signup "$1" "$1@example.org" >/dev/null 2>&1 || return 1
	"$PGAL" confirm "$1" "$(outbox_code)" >/dev/null 2>&1
}

# add_key USER PASSWORD: a key pair $T/id_USER registered for USER; the
# CLI stays logged in as USER
add_key() {
	ssh-keygen -q -t ed25519 -N '' -f "$T/id_$1" &&
	PGAL_PASSWORD=$2 "$PGAL" login "$1" >/dev/null 2>&1 &&
	"$PGAL" key add $(cat "$T/id_$1.pub") >/dev/null
}

# make_jpegs DIR COUNT [FIRST]: distinct JPEGs p000.jpg...: a crop of a
# fixture at a different offset each (FIRST: start at that one's offset,
# for a second set with other bytes under the same names)
make_jpegs() {
	dir=$1; count=$2
	mkdir -p "$dir"
	python3 - "$FIX/big-24mp.jpg" "$dir" "$count" "${3:-0}" <<'PY' || return 1
import subprocess, sys
src, d, n, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(n):
    subprocess.run(["vips", "crop", src, f"{d}/p{i:03d}.jpg[Q=85]",
                    str(17 * (first + i)), str(11 * (first + i)), "640", "480"], check=True)
PY
}

# make_camera_jpegs DIR COUNT: distinct camera-size JPEGs (12 MP crops of
# the 24 MP fixture at a different offset each, c00.jpg ...): decoding one
# takes far longer than sending it over loopback
make_camera_jpegs() {
	mkdir -p "$1"
	python3 - "$FIX/big-24mp.jpg" "$1" "$2" <<'PY'
import subprocess, sys
from concurrent.futures import ThreadPoolExecutor
src, d, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
def one(i):
    subprocess.run(["vips", "crop", src, f"{d}/c{i:02d}.jpg[Q=85]", str(7 * i), str(5 * i), "4000", "3000"], check=True)
with ThreadPoolExecutor(2) as ex: list(ex.map(one, range(n)))
PY
}

# make_huge_png FILE: a 30000x30000 one-bit PNG of a few hundred KB whose
# decode takes seconds: an upload that stays in the ingest queue a while
make_huge_png() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
w = h = 30000
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
data = zlib.compress((b"\0" + bytes((w + 7) // 8)) * h, 6)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 1, 0, 0, 0, 0))
                              + chunk(b"IDAT", data) + chunk(b"IEND", b""))
PY
}

# ssh_term COLS ROWS COMMAND...: an interactive ssh in the tmux harness
# (tests/lib/tmux.sh); its exit status goes to $T/ssh.rc when it ends
ssh_term() {
	st_cols=$1; st_rows=$2; shift 2
	rm -f "$T/ssh.rc"
	term_start "$st_cols" "$st_rows" "$*; echo \$? > '$T/ssh.rc'"
}
# ssh_exits DESCRIPTION STATUS: a TAP line for "the ssh of ssh_term ended
# with STATUS" (within 10 s)
ssh_exits() {
	n=$((n + 1))
	if wait_until 10 test -s "$T/ssh.rc" && [ "$(cat "$T/ssh.rc")" = "$2" ]; then echo "ok $n - $1"
	else nfail=$((nfail + 1)); echo "not ok $n - $1 (status $(cat "$T/ssh.rc" 2>/dev/null))"
		screen | sed 's/^/# | /'; fi
}
# fails DESCRIPTION COMMAND...: passes if COMMAND exits non-zero
fails() {
	d=$1; shift
	n=$((n + 1))
	if "$@" > "$T/out" 2> "$T/err" < /dev/null; then nfail=$((nfail + 1)); echo "not ok $n - $d (it succeeded)"
	else echo "ok $n - $d"; fi
}
# batch < COMMANDS: writes an sftp batch file, prints its path
batch() {
	cat > "$T/batch.$n"
	echo "$T/batch.$n"
}

# raw_sftp_py SCRIPT USER [ARG...]: a raw SFTP client in python (SCRIPT,
# importing sftpwire.py of this folder) as USER with the key $T/id_USER;
# it gets the ssh command that opens the subsystem, then the ARGs.
SSH_TESTS=$(cd "$(dirname "$0")/../ssh" && pwd)
raw_sftp_py() {
	rs_script=$1 rs_user=$2
	shift 2
	PYTHONPATH="$SSH_TESTS${PYTHONPATH:+:$PYTHONPATH}" python3 "$rs_script" \
	    "ssh $SSHO -p $PORT -o BatchMode=yes -o IdentitiesOnly=yes -i $T/id_$rs_user -s $rs_user@$HOST sftp" "$@"
}

