#!/bin/sh
# The TUI as the SSH server runs it (remote = 1, through the library, a
# helper standing in for pgal-sshd): adding photos shows the exact scp and
# sftp commands for this user, host, port and album instead of a local
# path prompt, and the local session file is never touched.
. "$(dirname "$0")/lib.sh"
setup_home
helper_builds remote
login_user gina 'a long password' || echo "# login failed"
ok "an album whose name has a space" "$PGAL" mkalbum "My trip"
cp "$XDG_CONFIG_HOME/pgal/session" "$T/session.before"

TUI="$T/remote"
TUI_ARGS="gina gallery.example.org 2222"
tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
wait_for "ssh" >/dev/null
step "the session opens at the albums, marked as ssh" "gina \(ssh\)"
keys Enter
step "the album" "No photos yet"
keys a
step "adding shows the scp command for this user, host and port" \
	"scp -P 2222 photo\.jpg 'gina@gallery\.example\.org:/My trip/'"
step "and the sftp commands" "sftp -P 2222 gina@gallery\.example\.org"
check "and the cd into the album" "grep -q \"cd '/My trip'\" '$T/screen'"
check "no local path prompt" "! grep -q 'Path' '$T/screen'"
keys q q L
step "logging out returns to the welcome screen" "logged out"
check "the local session file was not touched" "cmp -s '$T/session.before' '$XDG_CONFIG_HOME/pgal/session'"
tui_quit "the library returns cleanly"
done_testing
