#!/bin/sh
# Changing the password or cancelling the account elsewhere ends the rights
# of that user's open SSH sessions: a TUI session falls back to the welcome
# screen saying why, an open SFTP session gets "permission denied" on its
# next request, and new connections need the new password (or fail once the
# account is gone).
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
OLD='old-password-for-alice'
NEW='new-password-for-alice'

make_user alice "$OLD" || echo "# make_user failed"
ssh-keygen -q -t ed25519 -N '' -f "$T/id_alice"
PGAL_PASSWORD=$OLD "$PGAL" login alice >/dev/null 2>&1 &&
    "$PGAL" key add $(cat "$T/id_alice.pub") >/dev/null &&
    "$PGAL" mkalbum trip >/dev/null && "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" >/dev/null ||
    echo "# setup of alice failed"

# an interactive sftp session fed through a fifo, one command at a time
mkfifo "$T/sftp.in"
sftp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" \
    -b - "alice@$HOST" < "$T/sftp.in" > "$T/sftp.out" 2> "$T/sftp.err" &
SFTP_PID=$!
exec 3> "$T/sftp.in"
# sftp_has REGEX: the sftp output matches
sftp_has() {
	cat "$T/sftp.out" "$T/sftp.err" 2>/dev/null | grep -Eq "$1"
}
# sftp_wait REGEX: until the sftp output matches (0) or 15 s pass (1)
sftp_wait() {
	wait_until 30 sftp_has "$1"
}
echo "ls -1 /trip" >&3
check "the open sftp session lists the album" "sftp_wait nikon-d2h-gps.jpg"

ssh_term 100 30 ssh -tt $SSHO -p "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" alice@$HOST
step "a key login opens the albums screen" "trip"

ok "the password is changed elsewhere" env PGAL_PASSWORD="$OLD" PGAL_NEW_PASSWORD="$NEW" "$PGAL" passwd

keys Enter
step "the TUI's next action says the session has ended" "session has ended"
step "and shows the welcome screen" "Sign up"

echo "mkdir /after" >&3
check "the open sftp session is refused on its next request" "sftp_wait '[Pp]ermission denied'"
exec 3>&-
wait $SFTP_PID
check "sftp ends with a failure status" "[ $? -ne 0 ]"

fails "the old password no longer logs in over ssh" pw_ssh alice "$OLD" whoami
ok "the new password does" pw_ssh alice "$NEW" whoami
check "as alice" "grep -q alice '$T/out'"
ok "albums with the new password" pw_ssh alice "$NEW" albums
check "the refused mkdir created nothing" "grep -q trip '$T/out' && ! grep -q after '$T/out'"
ok "a key still does (keys are not passwords)" key_ssh "$T/id_alice" alice whoami

# cancel: a session open before it can no longer do anything
mkfifo "$T/sftp2.in"
sftp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" \
    -b - "alice@$HOST" < "$T/sftp2.in" > "$T/sftp.out" 2> "$T/sftp.err" &
SFTP_PID=$!
exec 3> "$T/sftp2.in"
echo "ls -1 /" >&3
check "a second sftp session lists the albums" "sftp_wait trip"
PGAL_PASSWORD=$NEW "$PGAL" login alice >/dev/null 2>&1
ok "the account is cancelled elsewhere" env PGAL_PASSWORD="$NEW" "$PGAL" cancel --yes
echo "mkdir /after" >&3
check "the open sftp session is refused after cancel" "sftp_wait '[Pp]ermission denied'"
exec 3>&-
wait $SFTP_PID
fails "the key no longer logs in" key_ssh "$T/id_alice" alice whoami
fails "nor the password" pw_ssh alice "$NEW" whoami
check "the log never shows either password" "! grep -qe '$OLD' -e '$NEW' '$T/sshd.log'"
done_testing
