#!/bin/sh
# Photos with real camera files: put (per-file results, duplicates, unique
# names, hostile files next to good ones), info/ls JSON against what
# vipsheader reads from the fixtures, edit, search, get, mv, rm.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
NIKON="$FIX/nikon-d2h-gps.jpg"
IPHONE="$FIX/iphone4s-lens.jpg"
ok "mkalbum" "$PGAL" mkalbum trip
expect_rc 2 "put into a missing album" "$PGAL" put nope "$NIKON" "$IPHONE"
check "one error line, not one per file" '[ "$(wc -l < "$T/err")" -eq 1 ]'
ok "put two camera photos" "$PGAL" put trip "$NIKON" "$IPHONE"
check "a result line per file" 'grep -qx "added trip/nikon-d2h-gps.jpg (500x375, [0-9.]* kB)" "$T/out" && grep -q "^added trip/iphone4s-lens.jpg (102x205, " "$T/out"'
check "no progress bar when stderr is not a terminal" '[ ! -s "$T/err" ]'

# ---- info --json against the fixture's EXIF (values from vipsheader -a) ----
ok "info --json (Nikon D2H)" "$PGAL" info trip/nikon-d2h-gps.jpg --json
jcheck "names and size" "j['album'] == 'trip' and j['name'] == 'nikon-d2h-gps.jpg' and j['bytes'] == $(stat -c %s "$NIKON") and j['mime'] == 'image/jpeg'"
jcheck "sha256 as sha256sum computes it" "j['sha256'] == '$(sha256sum "$NIKON" | cut -d' ' -f1)'"
jcheck "pixels (vipsheader)" "j['width'] == $(vipsheader -f width "$NIKON") and j['height'] == $(vipsheader -f height "$NIKON")"
jcheck "make and model" "j['exif']['make'] == 'NIKON CORPORATION' and j['exif']['model'] == 'NIKON D2H'"
jcheck "taken_at from DateTimeOriginal 2003:11:23 18:07:37" "j['taken_at'] == '2003-11-23T18:07:37'"
jcheck "added_at is ISO 8601 UTC" "__import__('re').fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', j['added_at']) is not None"
jcheck "exposure 1/125, f/4.5, 23.33 mm" "j['exif']['exposure_time'] == '1/125' and abs(j['exif']['f_number'] - 4.5) < 1e-6 and abs(j['exif']['focal_length'] - 23.33) < 0.01"
jcheck "GPS N 39 54 56, E 116 23 27, no altitude" "abs(j['exif']['gps']['lat'] - (39 + 54/60 + 56/3600)) < 1e-5 and abs(j['exif']['gps']['lon'] - (116 + 23/60 + 27/3600)) < 1e-5 and j['exif']['gps']['alt'] is None"
jcheck "orientation 1, no ISO, no lens" "j['exif']['orientation'] == 1 and j['exif']['iso'] is None and j['exif']['lens'] is None"
jcheck "title, description, tags empty" "j['title'] == '' and j['description'] == '' and j['tags'] == []"

ok "info --json (iPhone 4S)" "$PGAL" info trip/iphone4s-lens.jpg --json
jcheck "orientation 6 swaps the stored 205x102" "j['exif']['orientation'] == 6 and j['width'] == $(vipsheader -f height "$IPHONE") and j['height'] == $(vipsheader -f width "$IPHONE")"
jcheck "lens" "j['exif']['make'] == 'Apple' and j['exif']['model'] == 'iPhone 4S' and 'iPhone 4S back camera 4.28mm f/2.4' in j['exif']['lens']"
jcheck "ISO 50, f/2.4, 1/1284, 4.28 mm" "j['exif']['iso'] == 50 and abs(j['exif']['f_number'] - 2.4) < 1e-6 and j['exif']['exposure_time'] == '1/1284' and abs(j['exif']['focal_length'] - 4.28) < 1e-6"
jcheck "GPS N 59 19 57.17, E 18 3 53.79, 29 m" "abs(j['exif']['gps']['lat'] - (59 + 19/60 + 57.17/3600)) < 1e-5 and abs(j['exif']['gps']['lon'] - (18 + 3/60 + 53.79/3600)) < 1e-5 and abs(j['exif']['gps']['alt'] - 29) < 1e-6"
jcheck "taken 2014-09-01T15:03:47" "j['taken_at'] == '2014-09-01T15:03:47'"
ok "info as text" "$PGAL" info trip/nikon-d2h-gps.jpg
check "shows the camera as the TUI does: the model repeats the make" 'grep -qx "camera  *NIKON D2H" "$T/out"'
check "the camera's clock to the minute, the exposure on one line" 'grep -qx "taken  *2003-11-23 18:07" "$T/out" && grep -qx "exposure  *1/125 s  f/4.5  23.3 mm" "$T/out"'
expect_rc 2 "info of a missing photo" "$PGAL" info trip/nope.jpg
expect_rc 1 "info without ALBUM/PHOTO" "$PGAL" info trip

# ---- duplicates and names ----
ok "the same bytes again are not stored again (and are no error)" "$PGAL" put trip "$NIKON"
check "it says where they are" 'grep -q "^already stored .*nikon-d2h-gps.jpg as trip/nikon-d2h-gps.jpg" "$T/out" && grep -q "^1 already stored" "$T/out"'
ok "--force stores it anyway" "$PGAL" put trip "$NIKON" --force
check "under a new name -2" 'grep -q "^added trip/nikon-d2h-gps-2.jpg " "$T/out"'
ok "--force again" "$PGAL" put trip "$NIKON" --force
check "and -3" 'grep -q "^added trip/nikon-d2h-gps-3.jpg " "$T/out"'
check "3 blob files per photo" 'blobs_match_rows'

# ---- hostile files beside good ones ----
expect_rc 5 "a put with hostile files" "$PGAL" put trip "$FIX/text.jpg" "$FIX/orient-1.jpg" "$FIX/empty.jpg" "$FIX/truncated.jpg" "$FIX/bomb.png" "$FIX/orient-2.jpg"
check "the good files were stored" 'grep -q "^added trip/orient-1.jpg " "$T/out" && grep -q "^added trip/orient-2.jpg " "$T/out" && [ "$(wc -l < "$T/out")" -eq 2 ]'
check "each bad file has its line" 'for f in text.jpg empty.jpg truncated.jpg bomb.png; do grep -q "^pgal: skipped .*$f: " "$T/err" || exit 1; done; [ "$(wc -l < "$T/err")" -eq 4 ]'
check "no blob left behind by the refused files" 'blobs_match_rows'
expect_rc 5 "a bomb alone" "$PGAL" put trip "$FIX/bomb.png"
check "is refused as too many pixels" 'grep -qi "pixel" "$T/err"'
tmpdir=$T/files; mkdir -p "$tmpdir"
cp "$FIX/orient-3.jpg" "$tmpdir/three.jpg"
rc_missing=0; "$PGAL" put trip "$tmpdir/missing.jpg" "$tmpdir/three.jpg" > "$T/out" 2> "$T/err" < /dev/null || rc_missing=$?
check "a missing file fails, the next is stored" '[ "$rc_missing" -ne 0 ] && grep -q "^added trip/three.jpg " "$T/out"'
# evil EXIF: escape sequences never reach the output
ok "put a photo with escape sequences in its EXIF" "$PGAL" put trip "$FIX/evil-exif.jpg"
ok "info of it" "$PGAL" info trip/evil-exif.jpg
check "no control character in the text output" '! tr -d "\n" < "$T/out" | LC_ALL=C grep -q "[[:cntrl:]]"'
ok "info --json of it" "$PGAL" info trip/evil-exif.jpg --json
jcheck "no control characters in the JSON strings" "not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in (j['exif']['make'] or '') + (j['exif']['model'] or ''))"
jcheck "the visible text is kept" "'Evil' in j['exif']['make'] and 'Corp' in j['exif']['make']"

# ---- put options ----
ok "put with --title, --description, --tags" "$PGAL" put trip "$FIX/orient-5.jpg" --title "Five" --description "the fifth" --tags "Sea, beach ,SEA" --json
jcheck "put --json is a list of the added photos" "len(j) == 1 and j[0]['name'] == 'orient-5.jpg' and j[0]['title'] == 'Five' and j[0]['description'] == 'the fifth'"
jcheck "tags normalized: lower case, a sorted set" "j[0]['tags'] == ['beach', 'sea']"

# ---- ls ----
ok "ls" "$PGAL" ls trip
check "a header and a row per photo" '[ "$(wc -l < "$T/out")" -eq 10 ] && head -1 "$T/out" | grep -q "^NAME"'
ok "ls --json" "$PGAL" ls trip --json
jcheck "9 photos" 'len(j) == 9 and len(set(p["name"] for p in j)) == 9'
jcheck "each with the photo fields" 'all(set(p) >= {"album","name","title","description","tags","width","height","bytes","mime","sha256","taken_at","added_at","exif"} for p in j)'
jcheck "sorted by taken (or added when unknown)" '[(p["taken_at"] or p["added_at"])[:19] for p in j] == sorted((p["taken_at"] or p["added_at"])[:19] for p in j)'
ok "edit titles" sh -c '"$0" edit trip/nikon-d2h-gps.jpg --title Beijing && "$0" edit trip/iphone4s-lens.jpg --title Stockholm && "$0" edit trip/orient-1.jpg --title Alpha' "$PGAL"
ok "ls --sort title --json" "$PGAL" ls trip --sort title --json
jcheck "titled photos in title order" '[p["title"] for p in j if p["title"]] == ["Alpha", "Beijing", "Five", "Stockholm"]'
ok "ls --sort added --json" "$PGAL" ls trip --sort added --json
jcheck "in the order added" '[p["added_at"] for p in j] == sorted(p["added_at"] for p in j) and j[0]["name"] == "nikon-d2h-gps.jpg" and j[-1]["name"] == "orient-5.jpg"'
expect_rc 1 "ls --sort bogus" "$PGAL" ls trip --sort size
expect_rc 2 "ls of a missing album" "$PGAL" ls nope
ok "ls of an empty album, JSON" sh -c '"$0" mkalbum empty >/dev/null && "$0" ls empty --json' "$PGAL"
jcheck "is []" 'j == []'

# ---- edit ----
ok "edit --tags" "$PGAL" edit trip/nikon-d2h-gps.jpg --tags " Beach,SEA, beach ,sunset" --json
jcheck "tags normalized" "j['tags'] == ['beach', 'sea', 'sunset'] and j['title'] == 'Beijing'"
ok "edit --description" "$PGAL" edit trip/nikon-d2h-gps.jpg --description "Tiananmen at dusk"
check "says updated" 'grep -q "^updated trip/nikon-d2h-gps.jpg$" "$T/out"'
expect_rc 1 "edit with nothing to change" "$PGAL" edit trip/nikon-d2h-gps.jpg
expect_rc 2 "edit of a missing photo" "$PGAL" edit trip/nope.jpg --title x
expect_rc 5 "a tag too long" "$PGAL" edit trip/nikon-d2h-gps.jpg --tags "$(printf 't%.0s' $(seq 41))"
ok "edit --tags on another" "$PGAL" edit trip/iphone4s-lens.jpg --tags "sea,boat"

# ---- search ----
ok "search a word of a title" "$PGAL" search Beijing --json
jcheck "finds the photo" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
ok "search a word of a description" "$PGAL" search dusk --json
jcheck "finds it too" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg']"
ok "search --tag" "$PGAL" search --tag sea --json
jcheck "the three tagged photos" "sorted(p['name'] for p in j) == ['iphone4s-lens.jpg', 'nikon-d2h-gps.jpg', 'orient-5.jpg']"
ok "search words and tag" "$PGAL" search Stockholm --tag sea --json
jcheck "only the one with both" "[p['name'] for p in j] == ['iphone4s-lens.jpg']"
ok "search with no match" "$PGAL" search zebra --json
jcheck "is []" 'j == []'
ok "search as text" "$PGAL" search --tag sea
check "rows show album/name" 'grep -q "^trip/iphone4s-lens.jpg " "$T/out"'
expect_rc 1 "search with nothing to look for" "$PGAL" search

# ---- get ----
ok "get -o" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/got.jpg"
check "byte-identical original" 'cmp -s "$NIKON" "$T/got.jpg"'
check "-o writes nothing on stdout" '[ ! -s "$T/out" ]'
"$PGAL" get trip/iphone4s-lens.jpg > "$T/got2.jpg" 2> "$T/err" < /dev/null
check "get to stdout, byte-identical" 'cmp -s "$IPHONE" "$T/got2.jpg"'
ok "get --thumb" "$PGAL" get trip/nikon-d2h-gps.jpg --thumb -o "$T/thumb"
check "the thumbnail is an image of at most 256 px" 'w=$(vipsheader -f width "$T/thumb") && h=$(vipsheader -f height "$T/thumb") && [ "$w" -le 256 ] && [ "$h" -le 256 ] && [ "$w" -eq 256 -o "$h" -eq 256 ]'
ok "get --preview" "$PGAL" get trip/iphone4s-lens.jpg --preview -o "$T/preview"
check "the preview is upright (orientation applied): taller than wide" '[ "$(vipsheader -f height "$T/preview")" -gt "$(vipsheader -f width "$T/preview")" ]'
expect_rc 1 "--thumb and --preview" "$PGAL" get trip/nikon-d2h-gps.jpg --thumb --preview -o "$T/x"
expect_rc 2 "get of a missing photo" "$PGAL" get trip/nope.jpg -o "$T/nope.jpg"
check "leaves no file" '[ -z "$(ls "$T" | grep nope)" ]'
script -qec "$PGAL get trip/nikon-d2h-gps.jpg; echo rc=\$?" /dev/null > "$T/tty" 2>&1 < /dev/null
check "get refuses a terminal as stdout" 'grep -q "rc=1" "$T/tty" && grep -q "terminal" "$T/tty" && [ "$(wc -c < "$T/tty")" -lt 400 ]'

# ---- mv and rm ----
nblobs=$(count_blobs)
ok "mkalbum other" "$PGAL" mkalbum other
ok "mv to another album" "$PGAL" mv trip/orient-2.jpg other
check "says where" 'grep -q "^moved trip/orient-2.jpg to other/orient-2.jpg$" "$T/out"'
ok "mv with a new name" "$PGAL" mv other/orient-2.jpg trip/two.jpg --json
jcheck "the moved photo" "j['album'] == 'trip' and j['name'] == 'two.jpg' and j['width'] == 40"
expect_rc 2 "mv to a missing album" "$PGAL" mv trip/two.jpg nope
expect_rc 2 "mv of a missing photo" "$PGAL" mv trip/nope.jpg other
check "mv copies no blob" '[ "$(count_blobs)" -eq "$nblobs" ]'
ok "rm" "$PGAL" rm trip/two.jpg
check "rm removes its 3 blob files" '[ "$(count_blobs)" -eq $((nblobs - 3)) ]'
expect_rc 2 "rm again" "$PGAL" rm trip/two.jpg
expect_rc 2 "rm keeps going past a missing photo" "$PGAL" rm trip/nope.jpg trip/three.jpg
check "and deletes the next" 'grep -q "^deleted trip/three.jpg$" "$T/out"'
check "every row has its 3 blobs, nothing else" 'blobs_match_rows'

done_testing
