# The one terminal harness of the TUI and SSH tiers: a program runs in a
# detached tmux session "t" on a private server socket in the test's scratch
# folder; keys go in with send-keys, the screen comes back with
# capture-pane. Every wait polls the screen with a bound and says what it
# waited for. Needs $T (tests/cli/lib.sh) and tests/lib/wait.sh.
TSOCK=${PGAL_TUI_SOCK:-"$T/tmux.sock"}
WAIT=${PGAL_TUI_WAIT:-15}

tm() {
	tmux -S "$TSOCK" "$@"
}

# term_stop: the tmux server is gone (kill-server returns before it has
# exited, and a session started meanwhile fails: "server exited unexpectedly")
term_stop() {
	ts_server=$(tm display -p '#{pid}' 2>/dev/null)
	tm kill-server 2>/dev/null
	[ -z "$ts_server" ] || wait_until 5 pid_gone "$ts_server"
}

term_cleanup() {
	term_stop
	rm -f "$TSOCK"
}

# term_start COLS ROWS COMMAND: COMMAND (one shell string) in a fresh
# COLSxROWS pane that stays on screen after COMMAND ends; TERM inside is
# tmux-256color
term_start() {
	cols=$1; rows=$2; shift 2
	term_stop
	cat > "$T/tmux.conf" <<CONF
set -g default-terminal tmux-256color
set -g remain-on-exit on
set -g status off
set -sg escape-time 0
CONF
	tm -f "$T/tmux.conf" new-session -d -s t -x "$cols" -y "$rows" "$*"
}

# term_resize COLS ROWS: the window (and so the program's pty) changes size
term_resize() {
	tm resize-window -t t -x "$1" -y "$2"
}

# screen / screen_e: the pane as text, and with colour escapes
screen() {
	tm capture-pane -p -t t
}
screen_e() {
	tm capture-pane -p -e -t t
}

# keys KEY...: tmux key names (Enter, Escape, Tab, Down, C-r...)
keys() {
	tm send-keys -t t "$@"
}
# type_text TEXT: literal text
type_text() {
	tm send-keys -t t -l "$1"
}

# screen_has PATTERN: the screen, saved to $T/screen, matches (grep -E)
screen_has() {
	screen > "$T/screen" 2>/dev/null && grep -Eq -- "$1" "$T/screen"
}
screen_lacks() {
	screen > "$T/screen" 2>/dev/null && ! grep -Eq -- "$1" "$T/screen"
}

# wait_for PATTERN [SECONDS]: until the screen matches; on a timeout the
# screen is printed as TAP comments
wait_for() {
	wait_until "${2:-$WAIT}" screen_has "$1" && return 0
	screen | sed 's/^/# | /'
	return 1
}

# wait_gone PATTERN [SECONDS]: until the screen no longer matches
wait_gone() {
	wait_until "${2:-$WAIT}" screen_lacks "$1" && return 0
	screen | sed 's/^/# | /'
	return 1
}

# settle: waits until two captures 0.2 s apart agree (the frame is
# complete), leaving it in $T/screen
settle() {
	i=0
	screen > "$T/screen.a" 2>/dev/null
	while [ $i -lt $((WAIT * 5)) ]; do
		sleep 0.2
		screen > "$T/screen" 2>/dev/null
		cmp -s "$T/screen" "$T/screen.a" && return 0
		cp "$T/screen" "$T/screen.a"
		i=$((i + 1))
	done
	echo "# the screen did not settle within $WAIT s"
	return 1
}

# step DESCRIPTION PATTERN [SECONDS]: a TAP line for "the screen shows PATTERN"
step() {
	n=$((n + 1))
	if wait_for "$2" "${3:-$WAIT}"; then echo "ok $n - $1"
	else nfail=$((nfail + 1)); echo "not ok $n - $1"; echo "# wanted: $2"; fi
}
