#!/bin/sh
# A real photo's preview in 256 colours, compared with the photo cell by
# cell (tests/tui/colour-error.py: the photo averaged over each cell's
# area with PIL, against the colour each cell shows, as CIE76 delta E).
# With 240 palette colours each cell's colours are the nearest the
# palette has; error diffusion carries what they miss into the
# neighbours, so cells and small areas keep the photo's colour. Measured
# on this photo: without diffusion (chafa's defaults, 4x8 pixels a cell)
# 21.4 a cell and 18.5 over 2x2 cells; with it 20.9 and 15.4; in true
# colour 13.0 and 11.8 (what the symbols alone cost).
. "$(dirname "$0")/lib.sh"
setup_home
login_user erin 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum pics
ok "a photo" "$PGAL" put pics "$FIX/nikon-d2h-gps.jpg"

tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
wait_for "pics" >/dev/null && keys Enter &&
wait_for "nikon-d2h-gps\.jpg" >/dev/null && keys Enter &&
wait_for "Camera +NIKON D2H" >/dev/null && settle && screen_e > "$T/screen-e"
check "the preview is in 256 colours" "grep -q '48;5;' '$T/screen-e' && ! grep -q '48;2;' '$T/screen-e'"
/usr/bin/python3 "$(dirname "$0")/colour-error.py" "$T/screen-e" "$FIX/nikon-d2h-gps.jpg" 2 27 60 \
	> "$T/error" 2>&1
read -r cell ncells size area < "$T/error"
echo "# mean delta E: $cell a cell over $ncells cells ($size), $area over 2x2 cells"
check "the whole photo was measured ($ncells cells)" "[ '${ncells:-0}' -ge 1400 ]"
check "a cell's colour is near the photo's there (delta E $cell < 21.2)" \
	"python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 21.2 else 1)' '${cell:-99}'"
check "2x2 cells keep the photo's colour (delta E $area < 17)" \
	"python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 17 else 1)' '${area:-99}'"
tui_quit "exits cleanly"
done_testing
