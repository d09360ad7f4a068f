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
setup_alice "max_upload_bytes = 16M"
make_jpegs "$T/src" 30 || echo "Bail out! cannot make test photos"
# a connection string, no config file: key file auth, the server's key
# pinned is not rclone's default (it checks none)
R=":sftp,host=$HOST,port=$PORT,user=alice,key_file=$T/id_alice:trip"
rc_run() { rclone --config /dev/null --low-level-retries 1 --retries 1 --stats-log-level NOTICE --stats 1h "$@"; }
# transferred FILE: the number of files the final stats count (rclone
# prints no count line when it transferred none)
transferred() {
	tf=$(sed -n 's/^Transferred: *\([0-9][0-9]*\) \/ [0-9][0-9]*, [0-9-].*/\1/p' "$1" | tail -1)
	echo "${tf:-0}"
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

# a changed file: the photo of its name gets the new content (rclone saw
# the old size and deleted "the failed copy" when it was stored as -2)
vips crop "$FIX/big-24mp.jpg" "$T/src/p005.jpg[Q=80]" 900 700 640 480 || echo "Bail out! vips"
sha_new=$(sha256sum "$T/src/p005.jpg" | cut -d' ' -f1)
ok "a copy with one file changed exits 0" rc_run copy "$T/src" "$R"
cp "$T/err" "$T/copy3.err"
check "it transferred that one" "[ \"\$(transferred '$T/copy3.err')\" = 1 ]"
sha_is() { [ "$(photo_field trip "$1" sha256)" = "$2" ]; }
check "p005.jpg holds the new bytes" "wait_until 30 sha_is p005.jpg $sha_new"
check "under its name only: still 30 photos, no p005-2.jpg" "stored_names trip > '$T/got.names' && cmp -s '$T/got.names' '$T/want.names'"
check "the old blobs were freed: each row has its 3 blobs" blobs_match_rows

# sync: what the source no longer has goes
rm "$T/src/p029.jpg"
(cd "$T/src" && ls) > "$T/want.names"
ok "rclone sync exits 0" rc_run sync "$T/src" "$R"
check "p029.jpg is gone, the 29 others stay" "wait_until 30 names_stored trip '$T/want.names'"
ok "rclone check finds the two sides the same" rc_run check "$T/src" "$R"
ok "a copy after the sync exits 0" rc_run copy "$T/src" "$R"
check "and transfers nothing" "[ \"\$(transferred '$T/err')\" = 0 ]"
# albums hold photos, not folders: "rclone mkdir a/b" makes a, then fails
# on a/b, and must not leave a behind
R0=":sftp,host=$HOST,port=$PORT,user=alice,key_file=$T/id_alice:"
fails "rclone mkdir newalbum/sub fails" rc_run mkdir "${R0}newalbum/sub"
ok "albums over exec" key_ssh "$T/id_alice" alice albums --json
jcheck "newalbum was not left behind" "'newalbum' not in [a['name'] for a in j]"
ok "rclone mkdir of an album works" rc_run mkdir "${R0}other"
ok "albums over exec" key_ssh "$T/id_alice" alice albums --json
jcheck "it is there" "'other' in [a['name'] for a in j]"
check "no spool file left behind" "[ -z \"\$(ls -A '$PGAL_HOME/spool' 2>/dev/null)\" ]"
done_testing
