#!/bin/sh
# search --album: only that album's photos, with words and --tag as
# without it; an album of 1000 newer matches does not crowd out the one
# asked for (the cross-album search stops at its first 1000); another
# user's album name is not found.
. "$(dirname "$0")/lib.sh"
REPO=$(cd "$(dirname "$0")/../.." && pwd)
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
names() { jget "sorted((p['album'], p['name']) for p in j)"; }

ok "two albums" sh -c '"$0" mkalbum trip && "$0" mkalbum home' "$PGAL"
ok "trip: a titled photo" "$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" --title "Beijing at dusk" --tags city,night
ok "trip: another" "$PGAL" put trip "$FIX/iphone4s-lens.jpg" --title "Stockholm harbour" --tags sea
ok "home: a photo with the same word" "$PGAL" put home "$FIX/orient-1.jpg" --title "Beijing map, a copy" --tags city
ok "home: one with the same tag" "$PGAL" put home "$FIX/orient-2.jpg" --title "harbour at home" --tags sea

ok "search a word everywhere" "$PGAL" search Beijing --json
jcheck "finds it in both albums" "sorted((p['album'], p['name']) for p in j) == [('home', 'orient-1.jpg'), ('trip', 'nikon-d2h-gps.jpg')]"
ok "search --album trip" "$PGAL" search Beijing --album trip --json
jcheck "only the one in trip" "[(p['album'], p['name']) for p in j] == [('trip', 'nikon-d2h-gps.jpg')]"
ok "search --tag sea --album home" "$PGAL" search --tag sea --album home --json
jcheck "only home's" "[(p['album'], p['name']) for p in j] == [('home', 'orient-2.jpg')]"
ok "words, tag and album together" "$PGAL" search harbour --tag sea --album trip --json
jcheck "only the photo with all three" "[(p['album'], p['name']) for p in j] == [('trip', 'iphone4s-lens.jpg')]"
ok "a tag the album's match lacks" "$PGAL" search Beijing --tag sea --album trip --json
jcheck "finds nothing" "j == []"
ok "as text" "$PGAL" search harbour --album home
check "rows show album/name, one row" 'grep -q "^home/orient-2.jpg " "$T/out" && [ "$(grep -c "^[a-z]*/" "$T/out")" -eq 1 ]'
expect_rc 2 "an album that does not exist" "$PGAL" search Beijing --album nope
check "names it" 'grep -q "nope" "$T/err"'
expect_rc 1 "an album and nothing to look for" "$PGAL" search --album trip
ok "help shows --album" "$PGAL" help search
check "in the usage line" 'grep -q -- "--album A" "$T/out"'

# one syntax in every door: plain words match tags too; #tag and tag:x
# pick a tag; finding nothing is no error
ok "a plain word matches a tag" "$PGAL" search night --json
jcheck "the photo tagged night (no other field has the word)" "sorted((p['album'], p['name']) for p in j) == [('trip', 'nikon-d2h-gps.jpg')]"
ok "#sea picks the tag" "$PGAL" search '#sea' --json
jcheck "both photos tagged sea" "sorted((p['album'], p['name']) for p in j) == [('home', 'orient-2.jpg'), ('trip', 'iphone4s-lens.jpg')]"
ok "tag:sea picks it too" "$PGAL" search tag:sea --json
jcheck "the same two" "sorted((p['album'], p['name']) for p in j) == [('home', 'orient-2.jpg'), ('trip', 'iphone4s-lens.jpg')]"
ok "#TAG, words and --album together" "$PGAL" search Stockholm '#sea' --album trip --json
jcheck "the one photo with all three" "sorted((p['album'], p['name']) for p in j) == [('trip', 'iphone4s-lens.jpg')]"
ok "#sea and --tag sea agree" "$PGAL" search '#sea' --tag sea --json
jcheck "the same two" "len(j) == 2"
expect_rc 5 "two different tags" "$PGAL" search '#sea' tag:city
check "says one tag at a time" 'grep -q "one tag at a time" "$T/err"'
ok "no match exits 0" "$PGAL" search no-such-word-anywhere
check "says 'no photos found' on stderr, nothing on stdout" 'grep -q "no photos found" "$T/err" && [ ! -s "$T/out" ]'
ok "no match with --json exits 0" "$PGAL" search '#no-such-tag' --json
jcheck "prints []" "j == []"

# 1000 newer matches elsewhere: rows straight through the store (the TUI
# tests' seed helper), copies of a photo titled "copy N"
n=$((n + 1))
if cc -std=gnu11 -D_GNU_SOURCE -O1 -I"$REPO/core" -o "$T/seed" "$REPO/tests/tui/seed.c" \
	"$REPO/build/libpgal.a" $(pkg-config --libs vips libexif sqlite3 libcrypt openssl \
	jansson libcurl libmariadb) -lm 2> "$T/seed.err"; then echo "ok $n - the seed helper builds"
else nfail=$((nfail + 1)); echo "not ok $n - the seed helper builds"; sed 's/^/# /' "$T/seed.err" | head; fi
ok "an album for the copies" "$PGAL" mkalbum many
ok "its first photo" "$PGAL" put many "$FIX/orient-3.jpg"
ok "1000 copies, added after home's photos" "$T/seed" alice many 1000
ok "search a word everywhere" "$PGAL" search copy --json
# 1001 photos match: the 1000 copies (added last) and home's (added before)
jcheck "the first 1000 are the copies" "len(j) == 1000 and all(p['album'] == 'many' for p in j)"
check "and it says there are more" 'grep -q "first 1000" "$T/err"'
ok "search --album home" "$PGAL" search copy --album home --json
jcheck "finds home's photo all the same" "[(p['album'], p['name']) for p in j] == [('home', 'orient-1.jpg')]"
ok "search --album many --tag" "$PGAL" search copy --album many --tag city --json
jcheck "the copies have no tag" "j == []"

# another user: alice's album names mean nothing to bob
login_user bob bob-password-1 || echo "# login_user bob failed"
expect_rc 2 "bob cannot search alice's album" "$PGAL" search Beijing --album trip
ok "bob's own album of the same name" "$PGAL" mkalbum trip
ok "search it" "$PGAL" search Beijing --album trip --json
jcheck "finds nothing of alice's" "j == []"
done_testing
