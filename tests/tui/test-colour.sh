#!/bin/sh
# Colour modes: 256 colours by default; true colour when COLORTERM says
# so and a *-direct terminfo exists (ncurses then takes colours as RGB
# values: a test copy of tmux-direct is compiled here with tic); 256
# again when COLORTERM asks but no such terminfo is there; NO_COLOR gives
# a monochrome screen that is still readable (attributes, symbols).
. "$(dirname "$0")/lib.sh"
setup_home
login_user erin 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum pics
ok "a photo" "$PGAL" put pics "$FIX/nikon-d2h-gps.jpg"
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"

ok "a tmux-direct terminfo compiles" tmux_direct_terminfo

# open_photo: from the albums screen into the photo, leaves -e capture in
# $T/screen-e (the album names the camera too, beside the list: the photo
# view's Camera line)
open_photo() {
	wait_for "pics" >/dev/null && keys Enter &&
	wait_for "nikon-d2h-gps\.jpg" >/dev/null && keys Enter &&
	wait_for "Camera +NIKON D2H" >/dev/null && settle && screen_e > "$T/screen-e"
}

tui_start 100 30 $ENVS
open_photo
check "256 colours by default" "grep -q '48;5;' '$T/screen-e' && ! grep -q '48;2;' '$T/screen-e'"
cells=$(coloured_cells 2 27 60 < "$T/screen-e")
check "256: the preview is coloured ($cells cells)" "[ $cells -ge 1000 ]"
tui_quit "256: exits cleanly"

tui_start 100 30 $ENVS COLORTERM=truecolor TERMINFO="$T/terminfo"
open_photo
check "true colour: RGB backgrounds in the preview" "grep -q '48;2;' '$T/screen-e'"
check "true colour: the theme in RGB (title bar #1f4e79)" "grep -q '48;2;31;78;121' '$T/screen-e'"
cells=$(coloured_cells 2 27 60 < "$T/screen-e")
check "true colour: the preview is coloured ($cells cells)" "[ $cells -ge 1000 ]"
ncol=$(grep -o '48;2;[0-9;]*' "$T/screen-e" | sort -u | wc -l)
check "true colour: many distinct colours ($ncol)" "[ $ncol -ge 50 ]"
tui_quit "true colour: exits cleanly"

# screen-256color has no -direct sibling in any terminfo package
tui_start 100 30 $ENVS COLORTERM=24bit TERM=screen-256color
open_photo
check "COLORTERM without a direct terminfo falls back to 256" \
	"grep -q '48;5;' '$T/screen-e' && ! grep -q '48;2;' '$T/screen-e'"
tui_quit "fallback: exits cleanly"

tui_start 100 30 $ENVS NO_COLOR=1 COLORTERM=truecolor TERMINFO="$T/terminfo"
open_photo
# (39 and 49, "default colour", are tmux's own resets)
check "NO_COLOR: no colour at all" "! grep -Eq '\[([0-9;]*;)?(3[0-7]|4[0-7]|38;|48;|9[0-7]|10[0-7])[;m]' '$T/screen-e'"
sym=$(sed -n 2,27p "$T/screen" | cut -c1-60 | tr -d ' \n' | wc -m)
check "NO_COLOR: the preview still draws as symbols ($sym)" "[ $sym -ge 300 ]"
check "NO_COLOR: the EXIF is readable" "grep -q 'Aperture *f/4.5' '$T/screen'"
keys q
# the album's column header (the photo view names the photo too)
wait_for "NAME +TITLE" >/dev/null; settle; screen_e > "$T/screen-e"
# the photo's row (the title bar is in reverse video on every screen)
check "NO_COLOR: the selection shows in reverse video" "grep 'nikon-d2h-gps' '$T/screen-e' | grep -Eq '\[7m|;7m'"
tui_quit "monochrome: exits cleanly"

# sixel and kitty, forced by the setting: tmux does not show them, so the
# bytes pgal-tui writes are read with pipe-pane instead
for gfx in sixel kitty; do
	tui_start 100 30 $ENVS PGAL_TUI_GRAPHICS=$gfx
	wait_for "pics" >/dev/null
	: > "$T/raw-$gfx"
	tm pipe-pane -o -t t "cat >> '$T/raw-$gfx'"
	keys Enter; wait_for "nikon-d2h-gps\.jpg" >/dev/null; keys Enter
	step "$gfx: the photo view" "Camera +NIKON D2H"
	settle
	# until an image (DCS or APC) has come through the pipe
	wait_until "$WAIT" log_has "$T/raw-$gfx" "$(printf '\033')[P_]"
	case $gfx in
	sixel) check "sixel: a sixel image (DCS ... q) was sent" \
		"perl -0ne 'exit(/\eP[0-9;]*q/ ? 0 : 1)' '$T/raw-$gfx'" ;;
	kitty) check "kitty: a kitty graphics image (APC G) was sent" \
		"perl -0ne 'exit(/\e_Ga=/ ? 0 : 1)' '$T/raw-$gfx'" ;;
	esac
	check "$gfx: no symbol cells were drawn for it" "[ \$(screen_e | coloured_cells 2 27 60) -lt 100 ]"
	tm pipe-pane -t t
	tui_quit "$gfx: exits cleanly"
done
done_testing
