#!/bin/sh
# A 10 000-photo album: the album screen opens at once (one page is read,
# not the album), moves by pages and to both ends, and the counter and the
# rows shown agree with the rows the store holds (pgal ls --json, in each
# sort order). G is one reverse read from the end, not a walk over the
# album: the bytes pgal-tui reads while it goes there (/proc/PID/io) stay
# far below the size of the album's rows, which a walk reads all of.
. "$(dirname "$0")/lib.sh"
setup_home
helper_builds seed
login_user bob 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum big --title "Ten thousand"
ok "one real photo" "$PGAL" put big "$FIX/nikon-d2h-gps.jpg"
ok "9 999 more rows through the store" "$T/seed" bob big 9999
# one more match for "copy" in another album, older than every copy
ok "a small album" "$PGAL" mkalbum small
ok "with a photo titled like the copies" "$PGAL" put small "$FIX/orient-1.jpg" --title "one more copy"
for s in taken added title; do
	"$PGAL" ls big --sort "$s" --json > "$T/ls-$s.json" 2> "$T/err" || echo "# ls --sort $s failed"
done
# name_at ORDER INDEX: the name of row INDEX (0-based, -1 the last) in that order
name_at() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))[int(sys.argv[2])]["name"])' "$T/ls-$1.json" "$2"
}
# sel_step DESCRIPTION NAME: the selected photo is NAME (the panel beside
# the list names it, right of column 70)
sel_step() {
	n=$((n + 1))
	if wait_for "$2" > /dev/null && python3 -c 'import sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
sys.exit(0 if any(l.find(sys.argv[2], 70) >= 70 for l in lines) else 1)' "$T/screen" "$2"; then
		echo "ok $n - $1"
	else nfail=$((nfail + 1)); echo "not ok $n - $1"; sed 's/^/# | /' "$T/screen"; fi
}
# what the database holds (the rows a walk would read) and what pgal-tui has read
db_bytes() {
	cat "$PGAL_HOME"/*.db* 2>/dev/null | wc -c | tr -d ' '
}
tui_pid() {
	pgrep -P "$(tm list-panes -t t -F '#{pane_pid}')" | head -1
}
tui_rchar() {
	sed -n 's/^rchar: //p' "/proc/$(tui_pid)/io"
}
# g_reads DESCRIPTION: presses G and checks that the bytes read stay under
# a tenth of the database (a forward walk reads every row of the album)
g_reads() {
	settle
	r0=$(tui_rchar)
	keys G
	wait_for " 10000/10000" > /dev/null
	settle
	r1=$(tui_rchar)
	db=$(db_bytes)
	n=$((n + 1))
	if [ -n "$r0" ] && [ -n "$r1" ] && [ "$db" -gt 1000000 ] && [ $((r1 - r0)) -lt $((db / 10)) ]; then
		echo "ok $n - $1 ($((r1 - r0)) bytes read, the database is $db)"
	else nfail=$((nfail + 1)); echo "not ok $n - $1 (read '$r0' -> '$r1', the database is $db)"; fi
}

tui_start 100 30 PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME
step "the albums screen shows the count" "big +Ten thousand +10000"
keys Enter
step "the album opens with the count and sort" "10000 photos, by taken"
step "the first row is the real photo" "nikon-d2h-gps\.jpg"
check "the counter starts at 1" "grep -q '1/10000' '$T/screen'"
keys C-d
# 30 rows: 27 for the body, 24 of them list rows
step "Ctrl-d moves half a page" " 13/10000"
keys NPage
step "PgDn moves a page" " 37/10000"
g_reads "G reads one page from the end, not the album"
step "G goes to the last photo" "10000/10000"
last=$(name_at taken -1)
sel_step "which is the last by date taken ($last)" "$last"
keys k k k
step "k moves up" "9997/10000"
keys PPage PPage PPage PPage PPage
# 24 rows a page: row 9877 (index 9876), in the second page from the end
step "PgUp from the end reads the page before" " 9877/10000"
row=$(name_at taken 9876)
sel_step "and its row is the one the store has there ($row)" "$row"
keys g
step "g goes back to the first" " 1/10000"
check "the first row is the real photo again" "grep -q 'nikon-d2h-gps\.jpg' '$T/screen'"
i=0
while [ $i -lt 20 ]; do
	keys NPage
	i=$((i + 1))
done
# 20 pages of 24 rows: row 481, which is copy-00480 (row 1 is the original)
step "twenty pages down shows row 481" " 481/10000"
step "and its row is copy-00480" "copy-00480\.jpg"
keys s
step "s sorts by date added" "by added"
g_reads "G by date added: one page from the end"
last=$(name_at added -1)
sel_step "the last by date added ($last)" "$last"
keys s
step "s again sorts by title" "by title"
g_reads "G by title: one page from the end"
last=$(name_at title -1)
sel_step "the last by title ($last)" "$last"
keys k
row=$(name_at title -2)
step "k moves up" " 9999/10000"
sel_step "to the one before it by title ($row)" "$row"
keys PPage PPage PPage PPage PPage
step "PgUp from the end by title" " 9879/10000"
row=$(name_at title 9878)
sel_step "shows the row the store has there by title ($row)" "$row"
keys g
step "g goes back to the first by title" " 1/10000"
row=$(name_at title 0)
sel_step "which is the first by title ($row)" "$row"
keys Enter
step "a copy opens in the photo view" "[0-9]+ of 10000"
keys n
# the first by title was open: the second now
step "n shows the next photo" " 2 of 10000"
# search within an album: the store searches that album alone, so the
# 10 000 newer matches in big do not hide small's one
keys q q
step "back at the albums" "small"
keys /
type_text "copy"; keys Enter
step "a search of every album stops at its first 500" "500 photos found \(the first ones only\)"
keys q
step "back at the albums again" "small"
keys j Enter
step "the small album opens" "1 photo, by"
keys /
step "/ asks what to search in it" "search in album"
type_text "copy"; keys Enter
step "the search in the album finds its photo" "1 photo found"
step "which is small's" "small +orient-1\.jpg"
keys q
tui_quit "pgal-tui exits cleanly"
done_testing
