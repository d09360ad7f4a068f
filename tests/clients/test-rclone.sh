#!/bin/sh
# rclone against the SFTP tree, as a sync script runs it: copy uses 4
# transfers and 8 checkers on as many connections at once, stats and sets
# the mtime of what it wrote (maybe from another connection), compares
# size and mtime on the next run, and deletes "the failed copy" on a size
# mismatch. A copy of 30 photos must succeed, a second copy send nothing,
# a changed file replace the photo of its name (never lose it), sync
# remove what the source no longer has, check find nothing to report.
. "$(dirname "$0")/lib.sh"
need_client rclone
setup_home
PW='alice password 1'
start_sshd "max_upload_bytes = 16M"
make_user alice "$PW"
add_key alice "$PW"
"$PGAL" mkalbum trip >/dev/null
make_jpegs "$T/src" 30 || echo "Bail out! cannot make test photos"
# a connection string, no config file: key file auth, the server's key
# pinned is not rclone's default (it checks none)
R=":sftp,host=$HOST,port=$PORT,user=alice,key_file=$T/id_alice:trip"
rc_run() { rclone --config /dev/null --low-level-retries 1 --retries 1 --stats-log-level NOTICE --stats 1h "$@"; }
# transferred FILE: the number of files the final stats line counts
transferred() {
	sed -n 's/^Transferred: *\([0-9]*\) \/ [0-9]*, .*/\1/p' "$1" | tail -1
}

ok "rclone copy of 30 photos exits 0" rc_run copy "$T/src" "$R"
cp "$T/err" "$T/copy1.err"
(cd "$T/src" && ls) > "$T/want.names"
names_stored() { stored_names "$1" > "$T/got.names" && cmp -s "$T/got.names" "$2"; }
check "all 30 stored under their names" "wait_until 30 names_stored trip '$T/want.names'"
check "the first copy transferred 30" "[ \"\$(transferred '$T/copy1.err')\" = 30 ]"
ok "a second copy exits 0" rc_run copy "$T/src" "$R"
cp "$T/err" "$T/copy2.err"
check "and transfers nothing" "[ \"\$(transferred '$T/copy2.err')\" = 0 ]" || sed 's/^/# /' "$T/copy2.err" | tail -12
