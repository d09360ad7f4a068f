#!/bin/sh
# paramiko (Debian's python3-paramiko) against pgal-sshd: any number of
# exec channels on one connection, in a row and at once up to the channel
# limit, every time; exec on a connection that has SFTP open; put with
# confirm (a stat right after the close).
. "$(dirname "$0")/exec-lib.sh"
PY=$(client_python) || { echo "Bail out! no python3 with paramiko and asyncssh"; exit 1; }
start_gallery
pk() { "$PY" "$CLIENTS_DIR/paramiko-exec.py" "$PORT" alice "$T/id_alice" "$@"; }

ok "200 commands in a row on one connection all end with their output and status 0" pk seq 200
# ssh_max_channels (8 by default) channels at once, again and again
ok "8 commands at once, 15 times, on one connection" pk par 8 15
check "the server logs the end of every command it started" \
	"[ \$(grep -c 'exec: user alice' '$T/sshd.log') -eq \$(grep -c 'exec done: user alice status 0' '$T/sshd.log') ]"

# the connection process ran an upload: it must still have no thread of
# its own (libvips runs in the ingest workers), as its commands are forks
ok "put with confirm, then commands on the connection that has SFTP open" \
	pk after-sftp "$FIX/iphone4s-lens.jpg" "$(one_thread_script alice)"
done_testing
