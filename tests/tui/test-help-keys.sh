#!/bin/sh
# The help overlay names every key a screen reacts to, and each key does
# what its row says: on the albums, album and photo screens ? lists the
# keys as the key table binds them (PgDn and Ctrl-F with "a page down",
# → and l with "open", PgDn with "next photo"), and every key listed for
# the list movement and the photo walk, pressed, moves the counter the way
# its row says. The pane is the smallest the TUI draws in (80x24), where
# the help is tallest for its room.
. "$(dirname "$0")/lib.sh"
setup_home
helper_builds seed
login_user hana 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum pics
ok "one real photo" "$PGAL" put pics "$FIX/orient-1.jpg"
ok "59 more rows through the store" "$T/seed" hana pics 59
PHOTOS=60
i=1
while [ $i -le 30 ]; do
	"$PGAL" mkalbum "$(printf 'a%02d' $i)" > /dev/null 2> "$T/err" || echo "# mkalbum $i failed: $(cat "$T/err")"
	i=$((i + 1))
done
ALBUMS=31

# help_rows: the rows of the help overlay on screen as "WHAT<tab>KEYS"
help_rows() {
	screen | python3 -c '
import re, sys
for line in sys.stdin:
	if line.count("│") < 2:
		continue
	inner = line[line.index("│") + 1:line.rindex("│")]
	m = re.match(r"\s*(\S.*?)\s{2,}(\S.*?)\s*$", inner)
	if m:
		print(m.group(2) + "\t" + m.group(1))'
}
# keys_for WHAT: the keys help lists for the row saying WHAT (saved rows)
keys_for() {
	awk -F '\t' -v what="$1" '$1 == what { print $2 }' "$T/help"
}
# tmux_key NAME: the tmux key that sends the key help calls NAME
tmux_key() {
	case $1 in
	↓) echo Down ;; ↑) echo Up ;; ←) echo Left ;; →) echo Right ;;
	PgDn) echo NPage ;; PgUp) echo PPage ;; Home) echo Home ;; End) echo End ;;
	Space) echo Space ;; Backspace) echo BSpace ;; Enter) echo Enter ;;
	Esc) echo Escape ;; Delete) echo DC ;;
	Ctrl-?) echo "C-$(echo "${1#Ctrl-}" | tr 'A-Z' 'a-z')" ;;
	?) echo "$1" ;;
	*) echo "# no tmux key for $1" >&2; echo "" ;;
	esac
}
# open_help SCREEN: ? on it, the rows saved to $T/help
open_help() {
	rm -f "$T/help"
	keys '?'
	wait_for "this help" > /dev/null && settle && help_rows > "$T/help"
	check "help opened on $1" '[ -s "$T/help" ]'
	keys Escape
	wait_gone "this help" > /dev/null
}
# help_has DESCRIPTION WHAT KEYS: help lists KEYS (exactly) for WHAT
help_has() {
	n=$((n + 1))
	got=$(keys_for "$2")
	if [ "$got" = "$3" ]; then echo "ok $n - $1"
	else nfail=$((nfail + 1)); echo "not ok $n - $1 (help lists '$got' for '$2')"
		sed 's/^/# help: /' "$T/help"; fi
}

# moves WHAT FROM_KEY FROM TO TOTAL UNIT: from position FROM (reached
# with tmux key FROM_KEY) every key help lists for WHAT goes to TO, as
# the counter "TO/TOTAL" (UNIT "/") or "TO of TOTAL" (UNIT " of ") shows
moves() {
	ks=$(keys_for "$1")
	n=$((n + 1))
	if [ -z "$ks" ]; then
		nfail=$((nfail + 1)); echo "not ok $n - help lists a row '$1'"; return
	fi
	bad=
	for k in $ks; do
		tk=$(tmux_key "$k")
		keys "$2"
		wait_for "(^|[^0-9])$3$6$5( |$)" > /dev/null || bad="$bad $2?"
		[ -n "$tk" ] && keys "$tk"
		wait_for "(^|[^0-9])$4$6$5( |$)" > /dev/null || bad="$bad $k"
	done
	if [ -z "$bad" ]; then echo "ok $n - '$1': $ks go from $3 to $4 of $5"
	else nfail=$((nfail + 1)); echo "not ok $n - '$1': from $3, keys that did not go to $4:$bad"; fi
}

# list_keys TOTAL PAGE: the list movement rows, each key from a known place
list_keys() {
	half=$(( $2 > 2 ? $2 / 2 : 1 ))
	moves "down" Home 1 2 "$1" /
	moves "up" End "$1" $(($1 - 1)) "$1" /
	moves "a page down" Home 1 $((1 + $2)) "$1" /
	moves "a page up" End "$1" $(($1 - $2)) "$1" /
	moves "half a page down" Home 1 $((1 + half)) "$1" /
	moves "half a page up" End "$1" $(($1 - half)) "$1" /
	moves "to the first" End "$1" 1 "$1" /
	moves "to the last" Home 1 "$1" "$1" /
}

tui_start 80 24 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums screen" "a01"

# ---- albums ----
open_help albums
help_has "albums help: PgDn and Ctrl-F go a page down" "a page down" "PgDn Ctrl-F"
help_has "albums help: PgUp and Ctrl-B a page up" "a page up" "PgUp Ctrl-B"
help_has "albums help: Enter, → and l open" "open" "Enter → l"
keys Home
wait_for " 1/$ALBUMS" > /dev/null
page=$(screen | grep -cE '^ (a[0-9]{2}|pics) ')
check "a page of the albums list is the rows shown ($page)" "[ '$page' -gt 2 ] && [ '$page' -lt $ALBUMS ]"
list_keys $ALBUMS "$page"

# ---- one album ----
# pics is at one end of the albums list (made first): open it from there
for end in End Home; do
	keys "$end"
	wait_for " [0-9]+/$ALBUMS" > /dev/null
	keys Enter
	wait_for "photos?, by taken" > /dev/null
	screen_has "^ *pics " && break
	keys q
	wait_for " [0-9]+/$ALBUMS" > /dev/null
done
step "it holds the photos" "$PHOTOS photos, by taken"
open_help album
help_has "album help: Enter, → and l open" "open" "Enter → l"
help_has "album help: PgDn and Ctrl-F go a page down" "a page down" "PgDn Ctrl-F"
help_has "album help: ↓ and j go down" "down" "↓ j"
keys Home
wait_for " 1/$PHOTOS" > /dev/null
page=$(screen | grep -cE '^ (copy-[0-9]+|orient-1)\.jpg')
check "a page of the album is the rows shown ($page)" "[ '$page' -gt 2 ] && [ '$page' -lt $PHOTOS ]"
list_keys $PHOTOS "$page"
# each key of "open" opens the selected photo
for k in $(keys_for "open"); do
	keys Home; wait_for " 1/$PHOTOS" > /dev/null
	keys "$(tmux_key "$k")"
	step "$k opens the photo" "1 of $PHOTOS"
	keys q
	wait_for " 1/$PHOTOS" > /dev/null
done

# ---- one photo ----
keys Home; wait_for " 1/$PHOTOS" > /dev/null
keys Enter
step "the photo screen" "1 of $PHOTOS"
open_help photo
help_has "photo help: Space, ↓ and PgDn show the next photo" "next photo" "Space ↓ PgDn"
help_has "photo help: Backspace, ↑ and PgUp the previous one" "previous photo" "Backspace ↑ PgUp"
help_has "photo help: n, j and → the next" "next" "n j →"
help_has "photo help: the shared back is Esc and h here (q and ← are its own)" \
	"back (q on the first screen quits)" "Esc h"
moves "next photo" g 1 2 $PHOTOS " of "
moves "next" g 1 2 $PHOTOS " of "
moves "previous photo" G $PHOTOS $((PHOTOS - 1)) $PHOTOS " of "
moves "previous" G $PHOTOS $((PHOTOS - 1)) $PHOTOS " of "
moves "first photo" G $PHOTOS 1 $PHOTOS " of "
moves "last photo" g 1 $PHOTOS $PHOTOS " of "
tui_quit "pgal-tui exits cleanly"
done_testing
