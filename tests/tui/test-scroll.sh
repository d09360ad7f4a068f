#!/bin/sh
# A 10 000-photo album: the album screen opens at once (one page is read,
# not the album), moves by pages and to both ends, and the counter and the
# rows shown agree with the rows the store holds.
. "$(dirname "$0")/lib.sh"
setup_home
n=$((n + 1))
if build_seed; then echo "ok $n - the seed helper builds"
else nfail=$((nfail + 1)); echo "not ok $n - the seed helper builds"; sed 's/^/# /' "$T/seed.err" | head; fi
login_user bob 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum big --title "Ten thousand"
ok "one real photo" "$PGAL" put big "$FIX/nikon-d2h-gps.jpg"
ok "9 999 more rows through the store" "$T/seed" bob big 9999

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
keys G
step "G goes to the last photo" "10000/10000"
step "which is the last row seeded" "copy-09999\.jpg"
keys k k k
step "k moves up" "9997/10000"
keys g
step "g goes back to the first" " 1/10000"
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
keys s
step "s again sorts by title" "by title"
keys Enter
step "a copy opens in the photo view" "[0-9]+ of 10000"
keys n
step "n shows the next photo" "[0-9]+ of 10000"
tui_quit "pgal-tui exits cleanly"
done_testing
