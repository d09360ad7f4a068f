#!/bin/sh
# lftp against the SFTP tree: mirror -R compares size and mtime with the
# remote listing and sets the time of what it sent, so a second run sends
# nothing; with xfer:use-temp-file it writes ".in.NAME" and renames it to
# NAME, which must store NAME (never a photo under the temporary name).
. "$(dirname "$0")/lib.sh"
need_client lftp
setup_alice "max_upload_bytes = 16M"
"$PGAL" mkalbum tmp >/dev/null
# camera photos (EXIF time 2003): their mtime must not become that time
make_exif_jpegs "$T/src" 10 || echo "Bail out! cannot make test photos"
# other bytes under the same names (the same bytes would be duplicates)
make_exif_jpegs "$T/src2" 10 20 || echo "Bail out! cannot make test photos"
(cd "$T/src" && ls) > "$T/want.names"
# lftp runs ssh itself: our options, the key, never a prompt
lf() {
	lftp -c "set cmd:fail-exit yes; set net:max-retries 1; set net:timeout 20;
set sftp:connect-program 'ssh -a -x $SSHO -o BatchMode=yes -o IdentitiesOnly=yes -i $T/id_alice';
open -u alice, -p $PORT sftp://$HOST; $1"
}
# sent FILE: how many files lftp's mirror says it transferred
sent() {
	grep -c "^Transferring file" "$1"
}
names_stored() { stored_names "$1" > "$T/got.names" && cmp -s "$T/got.names" "$2"; }

ok "mirror -R of 10 photos" lf "mirror -R --verbose=1 $T/src /trip"
cp "$T/out" "$T/m1.out"
check "it sent 10" "[ \$(sent '$T/m1.out') -eq 10 ]"
check "all 10 stored under their names" "wait_until 30 names_stored trip '$T/want.names'"
ok "mirror -R again" lf "mirror -R --verbose=1 $T/src /trip"
cp "$T/out" "$T/m2.out"
check "sends nothing" "[ \$(sent '$T/m2.out') -eq 0 ]" || sed 's/^/# /' "$T/m2.out" | head -5

# temporary names: ".in.p000.jpg" written, then renamed
ok "mirror -R with xfer:use-temp-file" lf "set xfer:use-temp-file yes; mirror -R --verbose=1 $T/src2 /tmp"
cp "$T/out" "$T/m3.out"; cp "$T/err" "$T/m3.err"
check "it sent 10" "[ \$(sent '$T/m3.out') -eq 10 ]"
check "all 10 stored under their final names" "wait_until 30 names_stored tmp '$T/want.names'"
check "none under a temporary name" "! grep -q '^\\.in\\.\\|^in\\.' '$T/got.names'"
ok "mirror -R with temp files again" lf "set xfer:use-temp-file yes; mirror -R --verbose=1 $T/src2 /tmp"
check "sends nothing" "[ \$(sent '$T/out') -eq 0 ]"
check "no spool file left behind" "wait_until 10 eval '[ -z \"\$(ls -A \"$PGAL_HOME/spool\")\" ]'"
done_testing
