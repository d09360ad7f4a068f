#!/bin/sh
# pgal put ALBUM DIR...: a folder adds the image files below it (name
# order, subfolders too, hidden ones and other files left out), as the
# TUI's add screen does; -r is accepted. Running the same put again stores
# nothing new, says "N already stored" and exits 0.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
ok "an album" "$PGAL" mkalbum trip
D=$T/pics
mkdir -p "$D/day 2/later" "$D/.thumbs"
cp "$FIX/orient-1.jpg" "$D/b.jpg"
cp "$FIX/orient-2.jpg" "$D/A.JPG"
cp "$FIX/orient-3.jpg" "$D/day 2/c.jpeg"
cp "$FIX/nikon-d2h-gps.jpg" "$D/day 2/later/d.jpg"
cp "$FIX/iphone4s-lens.jpg" "$D/.thumbs/hidden.jpg"
echo "not a photo" > "$D/notes.txt"

ok "put a folder" "$PGAL" put trip "$D"
check "adds the four photos below it, in name order" '[ "$(grep "^added " "$T/out" | cut -d" " -f2)" = "$(printf "trip/A.JPG\ntrip/b.jpg\ntrip/c.jpeg\ntrip/d.jpg")" ]'
check "not the hidden folder's, nor the text file" '! grep -q "hidden\|notes" "$T/out" "$T/err"'
ok "ls" "$PGAL" ls trip --json
jcheck "four photos" "sorted(p['name'] for p in j) == ['A.JPG', 'b.jpg', 'c.jpeg', 'd.jpg']"
blobs=$(count_blobs)

ok "the same put again (with -r and a trailing slash) succeeds" "$PGAL" put -r trip "$D/"
check "stores nothing new" '! grep -q "^added " "$T/out" && [ "$(count_blobs)" -eq '"$blobs"' ]'
check "says 4 already stored" 'grep -q "^4 already stored" "$T/out"'
check "and where each one is" 'grep -q "^already stored .*day 2/later/d.jpg as trip/d.jpg" "$T/out"'
ok "with --json: [] and the count on stderr" "$PGAL" put trip "$D" --recursive --json
jcheck "nothing added" "j == []"
check "the count" 'grep -q "4 already stored" "$T/err"'

cp "$FIX/iphone4s-lens.jpg" "$D/day 2/e.jpg"
ok "a new photo in the folder" "$PGAL" put trip "$D"
check "only it is added" '[ "$(grep -c "^added " "$T/out")" -eq 1 ] && grep -q "^added trip/e.jpg" "$T/out" && grep -q "^4 already stored" "$T/out"'
ok "--force stores the same bytes again" "$PGAL" put trip "$D/b.jpg" --force
check "under a new name" 'grep -q "^added trip/b-2.jpg" "$T/out"'

expect_rc 2 "a path that does not exist" "$PGAL" put trip "$T/nowhere" "$D/b.jpg"
check "names it, and still looks at the rest" 'grep -q "nowhere: no such file or folder" "$T/err" && grep -q "^1 already stored" "$T/out"'
mkdir -p "$T/empty"
expect_rc 5 "a folder with no photos" "$PGAL" put trip "$T/empty"
check "says so" 'grep -q "no photos there" "$T/err"'
done_testing
