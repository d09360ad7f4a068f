#!/bin/sh
# PuTTY's pscp and psftp against the SFTP tree. pscp ignores a failure
# reported at CLOSE, so a refusal must come at the first WRITE (a
# non-image's first block tells) to make it exit non-zero, with the
# server's reason printed. Host key given by fingerprint: no prompt.
. "$(dirname "$0")/lib.sh"
need_client pscp psftp
setup_alice "max_upload_bytes = 16M"
FP=$(host_fingerprint)
check "the host key's fingerprint ($FP)" "[ -n '$FP' ]"
make_jpegs "$T/src" 3 || echo "Bail out! cannot make test photos"
putty() { tool=$1; shift; "$tool" -batch -hostkey "$FP" -P "$PORT" -pw "$PW" "$@"; }

ok "pscp uploads a photo" putty pscp "$T/src/p000.jpg" alice@$HOST:trip/
check "it is stored" "wait_until 30 eval '[ \"\$(stored_names trip)\" = p000.jpg ]'"
{ printf 'not a photo at all, but long enough to tell: '; head -c 65536 /dev/zero | tr '\0' x; } > "$T/notes.jpg"
fails "pscp of a non-image exits non-zero" putty pscp "$T/notes.jpg" alice@$HOST:trip/
check "printing the reason" "grep -q 'not a supported image' '$T/out' '$T/err'" || sed 's/^/# /' "$T/out" "$T/err"
check "nothing of it stored" "[ \"\$(stored_names trip)\" = p000.jpg ]"
fails "pscp into an album that does not exist exits non-zero" putty pscp "$T/src/p001.jpg" alice@$HOST:nosuch/
check "printing the reason" "grep -q 'no such album' '$T/out' '$T/err'" || sed 's/^/# /' "$T/out" "$T/err"

printf 'cd trip\nput %s\nput %s\nls\n' "$T/src/p001.jpg" "$T/src/p002.jpg" > "$T/psftp.batch"
ok "psftp -b puts two" putty psftp -b "$T/psftp.batch" -be alice@$HOST
check "both listed right after" "grep -q p001.jpg '$T/out' && grep -q p002.jpg '$T/out'"
printf 'cd trip\nput %s\n' "$T/notes.jpg" > "$T/psftp.batch2"
fails "psftp -b put of a non-image fails" putty psftp -b "$T/psftp.batch2" alice@$HOST
check "printing the reason" "grep -q 'not a supported image' '$T/out' '$T/err'" || sed 's/^/# /' "$T/out" "$T/err"
check "three photos stored, nothing else" "wait_until 30 eval '[ \"\$(stored_names trip | tr \"\\n\" \" \")\" = \"p000.jpg p001.jpg p002.jpg \" ]'"
done_testing
