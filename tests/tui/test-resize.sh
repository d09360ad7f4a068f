#!/bin/sh
# Resizing at any moment: in the middle of a form the typed text and the
# focus survive 120x40 -> 80x24 -> 60x15 (too small: a message, and keys
# are not taken blindly) -> 100x30.
. "$(dirname "$0")/lib.sh"
setup_home

# resize COLS ROWS: from a settled screen, the window changes size and
# pgal-tui answers it (writes to the pane again); tmux crops the old
# screen at once, so a pattern seen before the resize proves nothing
resize() {
	settle
	: > "$T/raw"
	tm pipe-pane -o -t t "cat >> '$T/raw'"
	tm resize-window -t t -x "$1" -y "$2"
	wait_until "$WAIT" test -s "$T/raw"
	tm pipe-pane -t t
}
# the bytes pgal-tui has read in all (/proc/PID/io); read_above N: more than N
tui_pid() {
	pgrep -P "$(tm list-panes -t t -F '#{pane_pid}')" | head -1
}
tui_rchar() {
	sed -n 's/^rchar: //p' "/proc/$(tui_pid)/io"
}
read_above() {
	[ "$(tui_rchar)" -gt "$1" ]
}

tui_start 120 40 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "welcome at 120x40" "Sign up"
keys s
step "the sign-up form" "Password again"
type_text carol; keys Enter
type_text "carol@exa"
step "typed text shows" "Email +carol@exa"

resize 80 24
# centred in 80 columns the form starts at column 5 (at 23 on the old
# screen, cropped)
step "at 80x24 the form is redrawn with its input" "^ {4}User name +carol"
check "the email typed so far is still there" "grep -q 'Email  *carol@exa' '$T/screen'"
settle
check "the key bar is on the last line" "[ \"\$(sed -n 24p '$T/screen' | grep -c 'help')\" = 1 ]"
check "nothing is drawn past 80 columns" "[ \$(awk '{ if (length(\$0) > m) m = length(\$0) } END { print m }' '$T/screen') -le 80 ]"

resize 60 15
step "at 60x15 the screen says it is too small" "terminal too small: 60x15, need 80x24"
check "and shows no form" "! grep -q 'Email' '$T/screen'"
r0=$(tui_rchar)
type_text "zzz"
# until pgal-tui has read the three keys, before the window grows
wait_until "$WAIT" read_above $((${r0:-0} + 2))

resize 100 30
step "grown again, the form is back" "Email +carol@exa"
check "keys typed while too small were not taken" "! grep -q 'zzz' '$T/screen'"
type_text "mple.org"
step "typing continues in the same field" "Email +carol@example\.org"
check "the user name is intact" "grep -q 'User name  *carol' '$T/screen'"

# a resize on every screen type: album list, help overlay
keys Escape
step "Esc leaves the form" "Log in"
keys '?'
step "? shows the help" "this help"
resize 80 24
# centred in 80 columns the overlay starts at column 8 (at 18 on the old
# screen, cropped)
step "the help survives a resize" "^ {7}│ +\? F1 +this help"
keys q
resize 120 40
step "back to the welcome screen" "Sign up"
tui_quit "pgal-tui exits cleanly after resizes"
done_testing
