#!/bin/sh
# Symbol previews written straight to the terminal (preview-blit.c) must
# leave exactly what ncurses itself would draw: flip between two cached
# photos, capture the pane with colours, then make ncurses repaint the
# whole screen from its own idea of it (Ctrl-L) and capture again; the two
# must be the same, in 256 colours and in true colour. Also: the flip was
# written the direct way (cursor saved and restored around it), the
# preview is made of chafa's block symbols in many colours, and an overlay
# over the preview comes and goes without a trace.
. "$(dirname "$0")/lib.sh"
setup_home
login_user erin 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum pics
ok "photo 1" "$PGAL" put pics "$FIX/nikon-d2h-gps.jpg"
ok "photo 2" "$PGAL" put pics "$FIX/iphone4s-lens.jpg"
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"

ok "a tmux-direct terminfo compiles" tmux_direct_terminfo
# and one with few colour pairs: flipping between the photos runs out of
# them, so pairs are recycled (cached rows must look theirs up again)
cat > "$T/tmux-fewpairs.src" <<'TI'
tmux-fewpairs|tmux with 256 colours and few pairs (test copy),
	pairs#500, use=tmux-256color,
TI
ok "a tmux-fewpairs terminfo compiles" tic -x -o "$T/terminfo" "$T/tmux-fewpairs.src"

# grab FILE: the pane with colours, trailing spaces kept (a line's
# coloured blanks may be written as spaces or cleared with a colour);
# cells tmux leaves out at a line's end are default blanks
grab() {
	tm capture-pane -p -e -N -t t > "$1"
}

# same_cells A B: two grabs show the same character, colours and
# attributes in every cell (the SGR sequences tmux picks may differ)
same_cells() {
	python3 -c '
import re, sys
def cells(path):
	out = []; st = {} # tmux carries the colours from one line to the next
	for line in open(path, encoding="utf-8", errors="replace").read().split("\n"):
		row = []; i = 0
		while i < len(line):
			m = re.match(r"\x1b\[([0-9;:]*)m", line[i:])
			if not m:
				row.append((line[i], tuple(sorted(st.items())))); i += 1; continue
			p = m.group(1).split(";") if m.group(1) else ["0"]
			j = 0
			while j < len(p):
				v = p[j]
				if v in ("0", ""): st = {}
				elif v in ("39", "49"): st.pop("c" + v[0], None)
				elif v in ("38", "48") and j + 1 < len(p):
					n = 3 if p[j + 1] == "5" else 5
					st["c" + v[0]] = ",".join(p[j + 1:j + n]); j += n - 1
				else: st["a" + v] = 1
				j += 1
			i += m.end()
		out.append(row)
	return out
a, b = cells(sys.argv[1]), cells(sys.argv[2])
blank = (" ", ())
def at(g, y, x):
	return g[y][x] if y < len(g) and x < len(g[y]) else blank
h = max(len(a), len(b))
bad = [(y + 1, x + 1) for y in range(h)
	for x in range(max(len(a[y]) if y < len(a) else 0, len(b[y]) if y < len(b) else 0))
	if at(a, y, x) != at(b, y, x)]
for y, x in bad[:5]:
	print("# cell %d,%d differs" % (y, x))
sys.exit(1 if bad else 0)' "$1" "$2"
}

# blocks DUMP: how many of the preview's cells (rows 2..37, columns 1..75)
# hold a block or box symbol (U+2580..U+259F, U+2500..U+257F)
blocks() {
	python3 -c '
import sys
n = 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8", errors="replace")):
	if 1 <= i <= 36:
		n += sum(1 for ch in line[:75] if 0x2500 <= ord(ch) <= 0x259f)
print(n)' "$1"
}

# cleared RAW: the pane's output in RAW clears the whole screen
cleared() {
	perl -0ne 'exit(/\e\[H\e\[J|\e\[2J/ ? 0 : 1)' "$1"
}

for mode in 256 truecolor fewpairs; do
	case $mode in
	256) tui_start 120 40 $ENVS ;;
	truecolor) tui_start 120 40 $ENVS COLORTERM=truecolor TERMINFO="$T/terminfo" ;;
	fewpairs) tui_start 120 40 $ENVS TERM=tmux-fewpairs TERMINFO="$T/terminfo" ;;
	esac
	wait_for "pics" >/dev/null && keys Enter
	wait_for "iphone4s-lens\.jpg" >/dev/null && keys Enter
	step "$mode: the photo view" "Camera"
	settle
	keys n; step "$mode: the next photo" "2 of 2"; settle
	keys p; step "$mode: back to the first" "1 of 2"; settle
	# from here both are cached: record what the flips write
	: > "$T/raw"
	tm pipe-pane -o -t t "cat >> '$T/raw'"
	keys n; wait_for "2 of 2" >/dev/null; settle
	keys p; wait_for "1 of 2" >/dev/null; settle
	tm pipe-pane -t t
	grab "$T/direct-$mode"
	screen > "$T/text-$mode"
	if [ $mode = fewpairs ]; then
		check "$mode: the pairs ran out (the screen was cleared and repainted)" \
			"perl -0ne 'exit(/\e\[H\e\[J|\e\[2J/ ? 0 : 1)' '$T/raw'"
	else
		check "$mode: the flip wrote the cells directly (cursor saved and restored)" \
			"perl -0ne 'exit(/\e7.*\e8/s ? 0 : 1)' '$T/raw'"
	fi
	bl=$(blocks "$T/text-$mode")
	check "$mode: the preview is drawn in block symbols ($bl cells)" "[ $bl -ge 300 ]"
	cells=$(coloured_cells 2 37 75 < "$T/direct-$mode")
	check "$mode: the preview is coloured ($cells cells)" "[ $cells -ge 1500 ]"
	case $mode in
	256|fewpairs) ncol=$(grep -o '48;5;[0-9]*' "$T/direct-$mode" | sort -u | wc -l) ;;
	truecolor) ncol=$(grep -o '48;2;[0-9;]*' "$T/direct-$mode" | sort -u | wc -l) ;;
	esac
	check "$mode: many distinct background colours ($ncol)" "[ $ncol -ge 30 ]"

	# ncurses repaints everything from its own screen image: the repaint
	# starts by clearing the screen, then the frame settles
	: > "$T/raw-repaint"
	tm pipe-pane -o -t t "cat >> '$T/raw-repaint'"
	keys C-l
	wait_until "$WAIT" cleared "$T/raw-repaint"
	settle
	tm pipe-pane -t t
	grab "$T/repaint-$mode"
	check "$mode: a full ncurses repaint changes nothing (ncurses knows the screen)" \
		"same_cells '$T/direct-$mode' '$T/repaint-$mode'"

	# the help overlay covers part of the preview, then goes
	keys '?'; step "$mode: the help overlay" "next photo"; settle
	keys Escape; wait_gone "next photo" >/dev/null; settle
	grab "$T/after-$mode"
	check "$mode: after the overlay the screen is as before" \
		"same_cells '$T/direct-$mode' '$T/after-$mode'"
	tui_quit "$mode: exits cleanly"
done
check "256 and true colour differ (true colour reached the pane)" \
	"! same_cells '$T/direct-256' '$T/direct-truecolor' >/dev/null"
# the comparison can fail: one changed cell is found
sed '5s/\(.*\)./\1X/' "$T/direct-256" > "$T/changed"
check "the cell comparison sees a changed cell" "! same_cells '$T/direct-256' '$T/changed' >/dev/null"
done_testing
