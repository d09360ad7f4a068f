# TAP helpers for the TUI tests: pgal-tui runs in a detached tmux session
# on a private server socket; keys go in with send-keys, the screen comes
# back with capture-pane. Builds on the CLI helpers (ok, check, setup_home,
# outbox_code, login_user...). Waits poll the screen, never sleep blindly.
TESTS_DIR=${PGAL_TESTS:-$(dirname "$0")/..}
REPO=$(cd "$TESTS_DIR/.." && pwd)
. "$TESTS_DIR/cli/lib.sh"

TUI="$PGAL_BUILD/pgal-tui"
. "$TESTS_LIB/tmux.sh"
trap term_cleanup EXIT

# tui_start COLS ROWS [VAR=VALUE...]: pgal-tui in a fresh COLSxROWS pane
# (stderr, e.g. sanitizer reports, to $T/tui.err; exit status to $T/tui.rc)
tui_start() {
	cols=$1; rows=$2; shift 2
	rm -f "$T/tui.rc"
	term_start "$cols" "$rows" \
		"env TERM=tmux-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $* '$TUI' ${TUI_ARGS:-} 2>>'$T/tui.err'; echo \$? > '$T/tui.rc'"
}

# coloured_cells FIRST_ROW LAST_ROW LAST_COL < capture-pane -e output:
# how many cells in those rows (1-based) and columns 1..LAST_COL have a
# background colour set (256-colour or RGB)
coloured_cells() {
	python3 -c '
import re, sys
r0, r1, c1 = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
n = 0
for lineno, line in enumerate(sys.stdin.read().split("\n"), 1):
	bg = None; col = 0; i = 0
	while i < len(line):
		m = re.match(r"\x1b\[([0-9;]*)m", line[i:])
		if m:
			p = m.group(1).split(";") if m.group(1) else ["0"]
			j = 0
			while j < len(p):
				if p[j] in ("0", "") or p[j] == "49": bg = None
				elif p[j] == "48" and j + 1 < len(p):
					if p[j + 1] == "5": bg = p[j + 2]; j += 2
					elif p[j + 1] == "2": bg = ",".join(p[j + 2:j + 5]); j += 4
				j += 1
			i += m.end(); continue
		col += 1
		if r0 <= lineno <= r1 and col <= c1 and bg is not None: n += 1
		i += 1
print(n)' "$@"
}

# tui_exit_ok: pgal-tui has exited with 0 and no sanitizer reported anything
tui_wait_exit() {
	wait_until "$WAIT" test -s "$T/tui.rc"
	[ -s "$T/tui.rc" ] && [ "$(cat "$T/tui.rc")" = 0 ]
}
tui_clean_stderr() {
	! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error|SUMMARY' "$T/tui.err" 2>/dev/null
}
# tui_quit DESCRIPTION: Q, then checks the exit status and stderr
tui_quit() {
	keys Q
	n=$((n + 1))
	if tui_wait_exit && tui_clean_stderr; then echo "ok $n - $1"
	else nfail=$((nfail + 1)); echo "not ok $n - $1 (rc $(cat "$T/tui.rc" 2>/dev/null))"
		head -c 3000 "$T/tui.err" 2>/dev/null | sed 's/^/# /'; fi
}

# build_helper NAME: compiles tests/tui/NAME.c against the plain build's
# libpgal.a (and libpgaltui.a) into $T/NAME; the helpers only prepare
# data or start the TUI library the way the SSH server will
build_helper() {
	cc -std=gnu11 -D_GNU_SOURCE -O1 -I"$REPO/core" -I"$REPO/tui" -o "$T/$1" \
		"$REPO/tests/tui/$1.c" "$REPO/build/libpgaltui.a" "$REPO/build/libpgal.a" \
		$(pkg-config --libs vips libexif sqlite3 libcrypt openssl jansson libcurl \
		libmariadb ncursesw chafa 2>/dev/null) -lm 2> "$T/$1.err"
}
# helper_builds NAME: build_helper NAME as a TAP step
helper_builds() {
	n=$((n + 1))
	if build_helper "$1"; then echo "ok $n - the $1 helper builds"
	else nfail=$((nfail + 1)); echo "not ok $n - the $1 helper builds"; sed 's/^/# /' "$T/$1.err" | head; fi
}

# only_sgr FILE: a capture-pane -e dump holds no escape sequence but SGR
# (colours and attributes): nothing that moves, clears or retitles
only_sgr() {
	perl -ne '$bad = 1 if /\e(?!\[[0-9;:]*m)/; END { exit($bad ? 1 : 0) }' "$1"
}

# tmux_direct_terminfo: compiles a test copy of tmux-direct (true colour:
# ncurses takes colours as RGB values) into $T/terminfo
tmux_direct_terminfo() {
	cat > "$T/tmux-direct.src" <<'TI'
tmux-direct|tmux with direct colour (test copy),
	colors#0x1000000, pairs#0x10000, RGB,
	setaf=\E[%?%p1%{8}%<%t3%p1%d%e38;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	setab=\E[%?%p1%{8}%<%t4%p1%d%e48;2;%p1%{65536}%/%d;%p1%{256}%/%{255}%&%d;%p1%{255}%&%d%;m,
	use=tmux-256color,
TI
	tic -x -o "$T/terminfo" "$T/tmux-direct.src"
}
