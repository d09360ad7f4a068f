#!/bin/sh
# Preferences over SSH: Debian's ssh passes no COLORTERM, and tmux
# answers no true-colour query, so a preview over SSH inside tmux is in
# 256 colours; `ssh dana@host prefs colors=truecolor` makes it true colour
# on every host of the gallery (a second pgal-sshd on the same store), the
# account screen changes it on the spot, and the preview follows.
. "$(dirname "$0")/../ssh/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
start_sshd
PORT_A=$PORT
make_user dana 'a long password'
add_key dana 'a long password'
"$PGAL" mkalbum pics >/dev/null
"$PGAL" put pics "$FIX/nikon-d2h-gps.jpg" >/dev/null

# a second host of the same gallery: its own port, the same store
PORT_B=$(free_port)
sed "s/^ssh_port = .*/ssh_port = $PORT_B/" "$T/pgal.conf" > "$T/pgal-b.conf"
: > "$T/sshd-b.log"
"$SSHD" -D -f "$T/pgal-b.conf" >> "$T/sshd-b.log" 2>&1 &
SSHD_B=$!
trap 'kill $SSHD_B 2>/dev/null; cleanup_ssh' EXIT
wait_until 10 log_has "$T/sshd-b.log" "listening on" || { echo "Bail out! the second pgal-sshd did not start"; cat "$T/sshd-b.log"; exit 1; }

# ssh_tui PORT: dana's TUI over SSH, no COLORTERM anywhere
ssh_tui() {
	ssh_term 100 30 env -u COLORTERM ssh -tt $SSHO -p "$1" -o BatchMode=yes \
		-o IdentitiesOnly=yes -i "$T/id_dana" dana@$HOST
}
# open_photo: from the albums screen into the photo; the pane with its
# colours in $T/screen-e
open_photo() {
	wait_for "pics" >/dev/null && keys Enter &&
	wait_for "nikon-d2h-gps\.jpg" >/dev/null && keys Enter &&
	wait_for "Camera +NIKON D2H" >/dev/null && settle && screen_e > "$T/screen-e"
}
rgb() { grep -q '48;2;' "$T/screen-e"; }
indexed() { grep -q '48;5;' "$T/screen-e" && ! grep -q '48;2;' "$T/screen-e"; }

ssh_tui "$PORT_A"
open_photo
check "no COLORTERM, tmux answers no true-colour query: 256 colours" indexed
keys q; keys q; keys Q
ssh_exits "the session ends" 0

expect_rc 0 "ssh dana@host prefs colors=truecolor" key_ssh "$T/id_dana" dana prefs colors=truecolor
check "it says what was set" 'grep -qx "colors=truecolor" "$T/out"'
expect_rc 1 "a bad value over SSH is a usage error" key_ssh "$T/id_dana" dana prefs colors=millions
check "naming the values" 'grep -q "colors is one of auto, truecolor, 256, 16" "$T/err"'

ssh_tui "$PORT_A"
open_photo
check "after prefs colors=truecolor: true colour (38;2 / 48;2)" rgb
cells=$(coloured_cells 2 27 60 < "$T/screen-e")
check "the whole preview is drawn ($cells cells)" "[ $cells -ge 1000 ]"
keys q; keys q; keys Q
ssh_exits "the session ends" 0

ssh_tui "$PORT_B"
open_photo
check "on a second host of the same store: true colour too" rgb
# the account screen: rows Change password, SSH keys, colors, graphics...
keys q; keys q
wait_for "pics" >/dev/null; keys a
step "the account screen lists the preferences" "colors +truecolor"
keys Down; keys Down; keys Enter
step "Enter steps colors to the next value, saved and in force" "colors=256 saved"
check "the screen shows it" "grep -Eq 'colors +256 +now 256' '$T/screen'"
keys Escape
open_photo
check "the preview is in 256 colours again, without reconnecting" indexed
keys q; keys q; keys a
wait_for "colors +256" >/dev/null
keys Down; keys Down; keys Enter
step "and on through 16" "colors=16 saved"
keys Enter
step "back to auto" "colors=auto saved"
keys Enter
step "and to truecolor" "colors=truecolor saved"
keys Escape
open_photo
check "true colour again in the same session" rgb
keys q; keys q; keys Q
ssh_exits "the session ends" 0
expect_rc 0 "the preference as the CLI reads it" "$PGAL" prefs --json
jcheck "the store holds what the account screen set" 'j["colors"] == "truecolor"'

check "no sanitizer report from either server" \
	"! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error' '$T/sshd.log' '$T/sshd-b.log'"
done_testing
