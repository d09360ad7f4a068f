#!/bin/sh
# pgal import s3://BUCKET/PREFIX [ALBUM] against s3rver, with a bucket laid
# out like the old gallery's: photos under a prefix in one folder per album,
# with what such a bucket also holds (a note, a folder marker, a key with
# control characters, keys S3 allows and s3rver cannot hold: a '..' segment,
# a name over S3's 1024 bytes, added to the listing by s3-keys-proxy.py,
# which also encodes keys as S3 does for encoding-type=url).
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start S3 s3rver s3rver
peer_start K "the S3 listing proxy" s3keys "$S3"
aws_env S3RVER S3RVER
export PATH=/usr/bin:$PATH
AWS="aws --endpoint-url http://127.0.0.1:$S3"
# pgal reads the bucket through the proxy, with the blobs' S3 settings
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$K" PGAL_S3_PATH_STYLE=yes
CTL=$(printf 'bad\001\033[31mname')

sha() { sha256sum "$FIX/$1" | cut -d' ' -f1; }

# the bucket as the old gallery left it, uploaded in one go by the AWS CLI
B=$T/bucket
mkdir -p "$B/photos/Holidays" "$B/photos/Family 2019" "$B/elsewhere" "$B/more/a" "$B/more/b" "$B/broken/Old"
cp "$FIX/nikon-d2h-gps.jpg" "$B/photos/Holidays/nikon.jpg"
cp "$FIX/orient-3.jpg" "$B/photos/Holidays/orient-3.jpg"
cp "$FIX/orient-6.jpg" "$B/photos/Holidays/$CTL.jpg"
cp "$FIX/iphone4s-lens.jpg" "$B/photos/Family 2019/iphone.jpg"
echo "albums exported 2019" > "$B/photos/Family 2019/notes.txt"
cp "$FIX/small.gif" "$B/photos/cover.gif"
cp "$FIX/orient-8.jpg" "$B/elsewhere/orient-8.jpg"
cp "$FIX/orient-4.jpg" "$B/more/a/orient-4.jpg"
cp "$FIX/orient-5.jpg" "$B/more/b/orient-5.jpg"
cp "$FIX/text.jpg" "$B/broken/Old/text.jpg"
: > "$T/empty"
ok "the old gallery's bucket" $AWS s3 mb s3://old-gallery
ok "its objects" $AWS s3 sync --only-show-errors "$B" s3://old-gallery/
ok "a folder marker (what the S3 console's 'Create folder' makes)" \
	$AWS s3api put-object --bucket old-gallery --key "photos/Family 2019/" --body "$T/empty"
LONG=photos/Holidays/$(python3 -c 'print("x" * 1100)').jpg
ok "keys s3rver cannot hold, listed by the proxy" sh -c '
	curl -sf -X POST "http://127.0.0.1:$1/__keys/add?key=photos%2FHolidays%2F..%2Fescape.jpg&size=994" &&
	curl -sf -X POST "http://127.0.0.1:$1/__keys/add?key=$2&size=994"' sh "$K" "$LONG"

login_user alice alice-password-1 || echo "# login_user failed"
# two keys a page: the listing is followed over its pages
export PGAL_S3_LIST_PAGE=2
ok "import s3://old-gallery/photos" "$PGAL" import s3://old-gallery/photos
sed 's/^/# /' "$T/out"
cp "$T/out" "$T/run1"
check "each photo stored, in the album of its folder" '
	grep -q "^stored Holidays/nikon.jpg as Holidays/nikon.jpg (" "$T/run1" &&
	grep -q "^stored Holidays/orient-3.jpg as Holidays/orient-3.jpg (" "$T/run1" &&
	grep -q "^stored Family 2019/iphone.jpg as Family 2019/iphone.jpg " "$T/run1"'
check "a photo right under the prefix: the album named after the prefix" \
	'grep -q "^stored cover.gif as photos/cover.gif " "$T/run1"'
check "the key with control characters: stored under its name without them (the escape sequence whole), none printed" '
	grep -q "^stored Holidays/badname.jpg as Holidays/badname.jpg " "$T/run1" &&
	! grep -q "$(printf "[\001\033]")" "$T/run1" "$T/err"'
check "the note, the folder marker, the '..' key, the overlong key: skipped with a reason" '
	grep -qx "skipped Family 2019/notes.txt: not an image (jpg, png, webp, gif, tiff, heic)" "$T/run1" &&
	grep -qx "skipped Family 2019/: a folder marker, not a photo" "$T/run1" &&
	grep -qx "skipped Holidays/../escape.jpg: '"'"'.'"'"', '"'"'..'"'"' or an empty part in its name" "$T/run1" &&
	grep -q "^skipped .*: a key longer than S3 allows or not readable" "$T/run1"'
check "the albums made, titled after their folders" '"$PGAL" albums --json > "$T/albums.json" &&
	python3 -c "import json, sys
a = {x[\"name\"]: x[\"title\"] for x in json.load(open(sys.argv[1]))}
sys.exit(a != {\"Holidays\": \"Holidays\", \"Family 2019\": \"Family 2019\", \"photos\": \"photos\"})" "$T/albums.json"'
gallery_sums > "$T/gallery1"
sed 's/^/# /' "$T/gallery1"
LC_ALL=C sort > "$T/want1" <<EOW
Family 2019/iphone.jpg $(sha iphone4s-lens.jpg)
Holidays/badname.jpg $(sha orient-6.jpg)
Holidays/nikon.jpg $(sha nikon-d2h-gps.jpg)
Holidays/orient-3.jpg $(sha orient-3.jpg)
photos/cover.gif $(sha small.gif)
EOW
check "the gallery holds exactly the five photos, byte for byte (ls --json, sha256sum)" \
	'cmp -s "$T/want1" "$T/gallery1"'
check "the summary line" 'tail -1 "$T/run1" | grep -qx "s3://old-gallery/photos/: 5 stored, 0 already stored, 4 skipped, 0 failed"'

ok "the same import again" "$PGAL" import s3://old-gallery/photos
cp "$T/out" "$T/run2"
check "nothing new, and it says so" \
	'tail -1 "$T/run2" | grep -qx "s3://old-gallery/photos/: 0 stored, 5 already stored, 4 skipped, 0 failed (nothing new)"'
check "each photo named as already stored where it is" \
	'grep -qx "already stored Holidays/nikon.jpg as Holidays/nikon.jpg" "$T/run2" && [ "$(grep -c "^already stored " "$T/run2")" -eq 5 ]'
check "the gallery unchanged" 'gallery_sums > "$T/gallery2" && cmp -s "$T/gallery1" "$T/gallery2"'

ok "import s3://old-gallery/more/ Everything (ALBUM: every folder into one)" \
	"$PGAL" import s3://old-gallery/more/ Everything
check "both photos in Everything, a new album" '
	grep -qx "created album Everything" "$T/out" &&
	grep -q "^stored a/orient-4.jpg as Everything/orient-4.jpg " "$T/out" &&
	grep -q "^stored b/orient-5.jpg as Everything/orient-5.jpg " "$T/out" &&
	gallery_sums | grep "^Everything/" > "$T/every" && [ "$(wc -l < "$T/every")" -eq 2 ] &&
	grep -qx "Everything/orient-4.jpg $(sha orient-4.jpg)" "$T/every"'
check "nothing of elsewhere/ came in" '! gallery_sums | grep -q "$(sha orient-8.jpg)"'

expect_rc 5 "an object named .jpg that is no image: the import fails" \
	"$PGAL" import s3://old-gallery/broken
check "naming it and why" 'grep -qx "pgal: failed Old/text.jpg: not a supported image (JPEG, PNG, WebP, GIF or TIFF)" "$T/err"'
check "counted" 'tail -1 "$T/out" | grep -qx "s3://old-gallery/broken/: 0 stored, 0 already stored, 0 skipped, 1 failed"'
expect_rc 5 "an object over max_upload_bytes: refused without being stored whole" \
	env PGAL_MAX_UPLOAD_BYTES=50000 "$PGAL" import s3://old-gallery/photos/Holidays
check "naming the limit" 'grep -q "^pgal: failed nikon.jpg: too big (the limit is 50000 bytes, max_upload_bytes)" "$T/err"'
expect_rc 2 "a bucket that does not exist" "$PGAL" import s3://no-such-bucket/photos
check "says so" 'grep -q "NoSuchBucket" "$T/err"'
expect_rc 1 "not a bucket name" "$PGAL" import s3://Bad_Bucket/photos
done_testing
