#!/bin/sh
# asyncssh (Debian's python3-asyncssh) against pgal-sshd: commands at once
# beside an open SFTP channel, statvfs@openssh.com with the user's quota,
# no hard links, and SFTP and exec at a 4 KiB window.
. "$(dirname "$0")/exec-lib.sh"
PY=$(client_python) || { echo "Bail out! no python3 with paramiko and asyncssh"; exit 1; }
start_gallery "quota_bytes = 10M"
"$PGAL" put trip "$FIX/small.tif" > /dev/null || { echo "Bail out! pgal put failed"; exit 1; }
# its own TAP lines, numbered on from here
TAP_N=$n timeout 120 "$PY" -W ignore "$CLIENTS_DIR/asyncssh-checks.py" "$PORT" alice "$T/id_alice" \
	"$FIX/nikon-d2h-gps.jpg" "$FIX/small.tif" 10485760 2> "$T/asyncssh.err"
rc=$?
n=$(sed -n 's/^N=//p' "$T/asyncssh.err")
if [ "$rc" -ne 0 ]; then
	nfail=$((nfail + 1))
	[ -n "$n" ] || { n=1; echo "not ok 1 - the asyncssh checks ran (status $rc)"; }
	sed 's/^/# /' "$T/asyncssh.err" | tail -20
fi
done_testing
