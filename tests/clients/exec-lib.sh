# Helpers of the client tier's exec, hash, quota and flow-control tests
# (test-paramiko.sh, test-asyncssh.sh, test-dropbear.sh,
# test-rclone-hash.sh): the SSH tier's server and TAP helpers
# (tests/ssh/lib.sh), a user with a key and an album, and the Python that
# has Debian's paramiko and asyncssh.
. "$(dirname "$0")/../ssh/lib.sh"
CLIENTS_DIR=$(cd "$(dirname "$0")" && pwd)

# Debian's python3 carries python3-paramiko and python3-asyncssh (see
# tools/deps.sh); a python3 earlier on PATH may lack them
client_python() {
	for py in /usr/bin/python3 python3; do
		if "$py" -c 'import paramiko, asyncssh' 2>/dev/null; then
			echo "$py"
			return 0
		fi
	done
	return 1
}

# need_client NAME COMMAND...: bails out (a failure, never a skip) when
# COMMAND, a probe of an installed client, fails
need_client() {
	nc_name=$1
	shift
	if ! "$@" > /dev/null 2>&1; then
		echo "Bail out! $nc_name is not installed (tools/deps.sh lists it)"
		exit 1
	fi
}

# start_gallery [CONFIG LINE...]: the server, user alice (password $PW, key
# $T/id_alice) and her album trip
PW='alice password 1'
start_gallery() {
	setup_home
	start_sshd "$@"
	if ! make_user alice "$PW" || ! add_key alice "$PW" ||
	    ! "$PGAL" mkalbum trip > /dev/null; then
		echo "Bail out! cannot make the user"
		exit 1
	fi
}

# one_thread_script USER: writes a script that passes while the newest
# connection process of USER runs a single thread, and prints its path
one_thread_script() {
	cat > "$T/one-thread.sh" <<OTS
pid=\$(sed -n 's/.*pgal-sshd\[\([0-9]*\)\]: auth ok: user $1 .*/\1/p' '$T/sshd.log' | tail -1)
[ -n "\$pid" ] && [ "\$(ls /proc/\$pid/task | wc -l)" -eq 1 ]
OTS
	echo "sh $T/one-thread.sh"
}

# key_sftp BATCH: OpenSSH's sftp as alice with her key, commands from BATCH
key_sftp() {
	timeout 60 sftp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes \
		-i "$T/id_alice" -b "$1" alice@"$HOST"
}
