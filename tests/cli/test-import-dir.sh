#!/bin/sh
# pgal import DIR [ALBUM]: a folder tree of camera photos, one album per
# folder (deeper folders into their top folder's album, photos right in DIR
# into an album named after DIR), through the same ingest and duplicate
# check as put; run again it stores nothing new. The S3 side of the same
# engine is tests/integration/test-import-s3.sh.
. "$(dirname "$0")/lib.sh"
setup_home
login_user alice alice-password-1 || echo "# login_user failed"
D=$T/camera
mkdir -p "$D/Holidays/day 2" "$D/Été à Paris" "$D/.cache" "$D/Garden"
cp "$FIX/nikon-d2h-gps.jpg" "$D/Holidays/DSC_0001.JPG"
cp "$FIX/iphone4s-lens.jpg" "$D/Holidays/day 2/IMG_0002.jpg"
cp "$FIX/orient-1.jpg" "$D/Été à Paris/IMG_0003.jpeg"
cp "$FIX/orient-7.jpg" "$D/Garden/IMG_0004.jpg"
cp "$FIX/orient-5.jpg" "$D/loose.jpg"
cp "$FIX/iphone4s-lens.jpg" "$D/.cache/thumb.jpg"
echo "exported by the old gallery" > "$D/Holidays/README.txt"
ln -s "$FIX/orient-8.jpg" "$D/Garden/link.jpg"
sha() { sha256sum "$1" | cut -d' ' -f1; }

# one of the photos is in the gallery already, put there by put
ok "an album" "$PGAL" mkalbum Garden
ok "a photo put before" "$PGAL" put Garden "$D/Garden/IMG_0004.jpg"

ok "import DIR" "$PGAL" import "$D"
cp "$T/out" "$T/run1"
sed 's/^/# /' "$T/run1"
check "a line per file: stored, already stored (the put one), skipped" '
	grep -q "^stored Holidays/DSC_0001.JPG as Holidays/DSC_0001.JPG (" "$T/run1" &&
	grep -q "^stored Holidays/day 2/IMG_0002.jpg as Holidays/IMG_0002.jpg (" "$T/run1" &&
	grep -q "^stored Été à Paris/IMG_0003.jpeg as Ete a Paris/IMG_0003.jpeg (" "$T/run1" &&
	grep -q "^stored loose.jpg as camera/loose.jpg (" "$T/run1" &&
	grep -qx "already stored Garden/IMG_0004.jpg as Garden/IMG_0004.jpg" "$T/run1" &&
	grep -qx "skipped Holidays/README.txt: not an image (jpg, png, webp, gif, tiff, heic)" "$T/run1"'
check "hidden folders and symbolic links left out, as put does" '! grep -q "thumb.jpg\|link.jpg" "$T/run1" "$T/err"'
check "the summary" 'tail -1 "$T/run1" | grep -qx "$D: 4 stored, 1 already stored, 1 skipped, 0 failed"'
LC_ALL=C sort > "$T/want" <<EOW
Ete a Paris/IMG_0003.jpeg $(sha "$FIX/orient-1.jpg")
Garden/IMG_0004.jpg $(sha "$FIX/orient-7.jpg")
Holidays/DSC_0001.JPG $(sha "$FIX/nikon-d2h-gps.jpg")
Holidays/IMG_0002.jpg $(sha "$FIX/iphone4s-lens.jpg")
camera/loose.jpg $(sha "$FIX/orient-5.jpg")
EOW
check "the gallery holds the five camera photos byte for byte (ls --json, sha256sum)" \
	'gallery_sums > "$T/gallery1" && cmp -s "$T/want" "$T/gallery1"'
ok "albums --json" "$PGAL" albums --json
jcheck "the new albums are titled after their folders (an accented one named without accents)" \
	"{a['name']: a['title'] for a in j if a['name'] != 'Garden'} == {'Holidays': 'Holidays', 'Ete a Paris': 'Été à Paris', 'camera': 'camera'}"

ok "the same import again" "$PGAL" import "$D/"
check "nothing new, and it says so" 'tail -1 "$T/out" | grep -qx "$D: 0 stored, 5 already stored, 1 skipped, 0 failed (nothing new)"'
check "the gallery unchanged" 'gallery_sums > "$T/gallery2" && cmp -s "$T/gallery1" "$T/gallery2"'

cp "$FIX/orient-4.jpg" "$D/Holidays/day 2/IMG_0005.jpg"
ok "a new photo in the tree" "$PGAL" import "$D"
check "only it is stored" '[ "$(grep -c "^stored " "$T/out")" -eq 1 ] && grep -q "^stored Holidays/day 2/IMG_0005.jpg as Holidays/IMG_0005.jpg (" "$T/out"'

N=$T/new
mkdir -p "$N/a" "$N/b"
cp "$FIX/orient-2.jpg" "$N/a/one.jpg"
cp "$FIX/orient-3.jpg" "$N/b/two.jpg"
cp "$FIX/text.jpg" "$N/b/broken.jpg"
expect_rc 5 "import DIR ALBUM: all into ALBUM; a broken photo fails the run" "$PGAL" import "$N" Everything
check "both photos in Everything, the broken one named with its reason" '
	grep -qx "created album Everything" "$T/out" &&
	gallery_sums | grep "^Everything/" > "$T/every" &&
	[ "$(cat "$T/every")" = "$(printf "Everything/one.jpg %s\nEverything/two.jpg %s" "$(sha "$FIX/orient-2.jpg")" "$(sha "$FIX/orient-3.jpg")")" ] &&
	grep -qx "pgal: failed b/broken.jpg: not a supported image (JPEG, PNG, WebP, GIF or TIFF)" "$T/err"'
expect_rc 5 "an ALBUM that is no album name" "$PGAL" import "$N" "../x"
expect_rc 2 "a folder that does not exist" "$PGAL" import "$T/nowhere"
check "says so" 'grep -q "no such folder" "$T/err"'

if command -v script > /dev/null 2>&1; then
	cp "$FIX/orient-6.jpg" "$N/a/three.jpg"
	script -qfec "$PGAL import $N Everything > $T/tty.out; echo rc=\$?" /dev/null < /dev/null > "$T/tty" 2>&1
	check "on a terminal: a progress bar on stderr" 'grep -q "\[[#.]*\] [0-9]*/4 " "$T/tty"'
	check "not in the results" '! grep -q "\[#" "$T/tty.out" && grep -q "^stored a/three.jpg" "$T/tty.out"'
else
	check "script(1) is installed (the progress bar test needs a terminal)" false
fi
done_testing
