#!/bin/sh
# The CLI flow on the production variant: metadata in DynamoDB (dynalite),
# photos in S3 (s3rver), mail through SES (aws-ses-v2-local), all started
# here on loopback: signup -> confirm with the code SES received -> login ->
# mkalbum -> put -> ls --json -> info -> edit -> search -> rm -> rmalbum ->
# cancel, checking the items DynamoDB holds along the way. dynalite runs
# behind dynalite-gsi.js with the by-sha and by-blob indexes never
# answering (an index that has not caught up yet): the duplicate check and
# gc must not need them.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
export PGAL_TEST_STALE_GSI=by-sha,by-blob
peer_start DDB dynalite-gsi dynalite-gsi
unset PGAL_TEST_STALE_GSI
peer_start S3 s3rver s3rver
peer_start SES aws-ses-v2-local ses
SECRET=cli-ddb-secret-R4nd0m
aws_env S3RVER "$SECRET"
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DDB"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
export AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES"
export PGAL_STORE=dynamodb PGAL_BLOBS=s3 PGAL_MAIL=ses
export PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=ddb/ PGAL_S3_PATH_STYLE=yes
export PGAL_MAIL_FROM="Photo Gallery <photos@example.org>"
NIKON="$FIX/nikon-d2h-gps.jpg"

# items of the gallery table, counted straight from dynalite
items() {
	curl -s -X POST -H "Content-Type: application/x-amz-json-1.0" \
	    -H "X-Amz-Target: DynamoDB_20120810.Scan" -H "X-Amz-Date: 20200101T000000Z" \
	    -H "Authorization: AWS4-HMAC-SHA256 Credential=S3RVER/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00" \
	    --data-binary "{\"TableName\":\"$1\",\"Select\":\"COUNT\"}" \
	    "http://127.0.0.1:$DDB/" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Count"])'
}
# pks TABLE [KEY]: the partition keys (attribute KEY, default albumID) of
# a table's items, sorted, one line
pks() {
	curl -s -X POST -H "Content-Type: application/x-amz-json-1.0" \
	    -H "X-Amz-Target: DynamoDB_20120810.Scan" -H "X-Amz-Date: 20200101T000000Z" \
	    -H "Authorization: AWS4-HMAC-SHA256 Credential=S3RVER/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=00" \
	    --data-binary "{\"TableName\":\"$1\"}" \
	    "http://127.0.0.1:$DDB/" | python3 -c 'import json, sys; print(" ".join(sorted(i[sys.argv[1]]["S"] for i in json.load(sys.stdin)["Items"])))' "${2:-albumID}"
}
s3keys() {
	curl -s -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	    "http://127.0.0.1:$S3/pgal-test?list-type=2&prefix=ddb/&max-keys=1000" |
	    grep -o '<Key>' | wc -l | tr -d ' '
}

# only pgal init makes the tables: before it, a command names the missing
# one and creates nothing
expect_rc 4 "signup before pgal init fails" env PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
check "naming the missing table" 'grep -q "table PhotoGalleryUsers does not exist; run pgal init" "$T/err"'
check "and creating none" '[ "$(PATH=/usr/bin:$PATH aws --endpoint-url "$AWS_ENDPOINT_URL_DYNAMODB" dynamodb list-tables --query "length(TableNames)" --output text)" = 0 ]'
ok "pgal init creates them" "$PGAL" init
ok "signup (SES gets the code)" env PGAL_PASSWORD=alice-password-1 "$PGAL" signup alice alice@example.org
code=$(curl -s "http://127.0.0.1:$SES/store" | python3 -c 'import json, re, sys
m = json.load(sys.stdin)["emails"][-1]
print([l for l in m["body"]["text"].split("\n") if re.fullmatch(r"[A-Z2-9]{10}", l)][0])')
check "a code arrived through SES" '[ -n "$code" ]'
expect_rc 5 "signup of a taken name is refused" env PGAL_PASSWORD=other-password-1 "$PGAL" signup alice other@example.org
check "saying it is taken" 'grep -q "the user name .alice. is taken" "$T/err"'
ok "confirm with it" "$PGAL" confirm alice "$code"
ok "login" env PGAL_PASSWORD=alice-password-1 "$PGAL" login alice
ok "whoami" "$PGAL" whoami
check "is alice" 'grep -q alice "$T/out"'
ok "mkalbum" "$PGAL" mkalbum trip --title "Trip 2003"
expect_rc 5 "mkalbum of a taken name" "$PGAL" mkalbum trip
ok "put a camera photo" "$PGAL" put trip "$NIKON" --title Beijing --tags sea,Sunset
check "its three objects are in S3" '[ "$(s3keys)" -eq 3 ]'
ok "the same file again is not stored again" "$PGAL" put trip "$NIKON"
check "saying where it is" 'grep -q "already stored .* as trip/nikon-d2h-gps.jpg" "$T/out"'
ok "gc with no minimum age, right after the put" "$PGAL" gc --min-age 0
check "keeps the photo's three objects (its row is seen at once)" '[ "$(s3keys)" -eq 3 ]'
ok "put --force stores the same bytes again" "$PGAL" put trip "$NIKON" --force
check "under a new name, with its own three objects" '[ "$(s3keys)" -eq 6 ]'
ok "rm the second copy" "$PGAL" rm trip/nikon-d2h-gps-2.jpg
check "its objects are gone" '[ "$(s3keys)" -eq 3 ]'
ok "ls --json" "$PGAL" ls trip --json
jcheck "one photo with its facts" "len(j) == 1 and j[0]['name'] == 'nikon-d2h-gps.jpg' and j[0]['bytes'] == $(stat -c %s "$NIKON") and j[0]['sha256'] == '$(sha256sum "$NIKON" | cut -d' ' -f1)'"
jcheck "title and tags as given, normalized" "j[0]['title'] == 'Beijing' and j[0]['tags'] == ['sea', 'sunset']"
ok "albums --json" "$PGAL" albums --json
jcheck "the album counts its photo and bytes" "len(j) == 1 and j[0]['name'] == 'trip' and j[0].get('photo_count', j[0].get('photos')) == 1"
ok "info --json" "$PGAL" info trip/nikon-d2h-gps.jpg --json
jcheck "EXIF survived DynamoDB: make, taken_at, GPS without altitude" "j['exif']['make'] == 'NIKON CORPORATION' and j['taken_at'] == '2003-11-23T18:07:37' and abs(j['exif']['gps']['lat'] - (39 + 54/60 + 56/3600)) < 1e-5 and j['exif']['gps']['alt'] is None"
ok "search a word, any case" "$PGAL" search beiJING --json
jcheck "finds it" "[p['name'] for p in j] == ['nikon-d2h-gps.jpg'] and j[0]['album'] == 'trip'"
ok "search by tag" "$PGAL" search --tag sunset --json
jcheck "finds it" "len(j) == 1"
ok "edit the tags" "$PGAL" edit trip/nikon-d2h-gps.jpg --tags dusk
ok "search the old tag" "$PGAL" search --tag sunset --json
jcheck "finds nothing now" "j == []"
ok "rm the photo" "$PGAL" rm trip/nikon-d2h-gps.jpg
check "its objects are gone from S3" '[ "$(s3keys)" -eq 0 ]'
expect_rc 2 "info on it is not found" "$PGAL" info trip/nikon-d2h-gps.jpg
ok "put it again" "$PGAL" put trip "$NIKON"
# by title: titled photos first, the untitled ones last (the store's index
# puts '' first; core reads the two runs of it)
ok "a titled photo beside the untitled one" "$PGAL" put trip "$FIX/iphone4s-lens.jpg" --title Zebra
ok "ls --sort title --json" "$PGAL" ls trip --sort title --json
jcheck "the titled photo first, the untitled one last" "[(p['name'], p['title']) for p in j] == [('iphone4s-lens.jpg', 'Zebra'), ('nikon-d2h-gps.jpg', '')]"
ok "rmalbum" "$PGAL" rmalbum trip --yes
check "S3 is empty" '[ "$(s3keys)" -eq 0 ]'
check "the gallery table holds nothing but its layout item (no photo, ref or album left)" \
	'[ "$(items PhotoGallery)" -eq 1 ] && [ "$(pks PhotoGallery)" = "#LAYOUT" ]'
ok "cancel" env PGAL_PASSWORD=alice-password-1 "$PGAL" cancel --yes
# (marks stay until they expire: login and mail counts, hashed codes)
check "nothing of alice is left in the users table" \
	'[ -z "$(pks PhotoGalleryUsers pk | tr " " "\n" | grep -v "^M#")" ]'
expect_rc 3 "she cannot log in (denied, as for any unknown name)" env PGAL_PASSWORD=alice-password-1 "$PGAL" login alice
check "no message carries the secret key" '! grep -rq "$SECRET" "$T/out" "$T/err"'
echo "1..$n"
[ "$nfail" -eq 0 ]
