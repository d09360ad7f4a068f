#!/bin/sh
# The CLI flow of the foundation issue on the RDS variant: metadata in MySQL
# (a throwaway MariaDB), photos in S3 (s3rver), mail through SES
# (aws-ses-v2-local), all on loopback: signup, confirm with the code SES
# carried, login, mkalbum, put a camera photo, ls/info/search --json, rm,
# rmalbum, cancel; the rows are checked in MariaDB and the objects in the
# bucket at each step. No password or secret key ever shows.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
setup_home
DB="$T/mariadb"
export MARIADB_CACHE="$PGAL_BUILD/test-cache/mariadb"
peers_init 'sh "$here/mariadb.sh" stop "$DB" > /dev/null 2>&1'
sh "$here/mariadb.sh" start "$DB" > /dev/null || { echo "not ok 1 - MariaDB did not start"; exit 1; }
peer_start S3 s3rver s3rver
peer_start SES aws-ses-v2-local ses
. "$DB/mariadb.env"
SECRET=rds-variant-secret-Q7x
aws_env S3RVER "$SECRET"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3" AWS_ENDPOINT_URL_SES="http://127.0.0.1:$SES"
export PGAL_STORE=mysql PGAL_BLOBS=s3 PGAL_MAIL=ses
export PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=rds/ PGAL_S3_PATH_STYLE=yes
export PGAL_MAIL_FROM="Photo Gallery <photos@example.org>"
PW=alice-password-1
NIKON="$FIX/nikon-d2h-gps.jpg"

sql() {
	sh "$here/mariadb.sh" sql "$DB" "USE pgal_test; $1"
}
nkeys() {
	curl -s -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	    "http://127.0.0.1:$S3/pgal-test?list-type=2&prefix=rds/&max-keys=1000" |
	    grep -o '<Key>[^<]*</Key>' | wc -l | tr -d ' '
}
# the newest code SES carried
ses_code() {
	curl -s "http://127.0.0.1:$SES/store" | python3 -c 'import json, re, sys
m = json.load(sys.stdin)["emails"][-1]
print([l for l in m["body"]["text"].split("\n") if re.fullmatch(r"[A-Z2-9]{10}", l)][0])'
}

ok "init: the schema, the bucket, SES" "$PGAL" init
check "one line per backend" 'grep -q "^store mysql: ok" "$T/out" && grep -q "^blobs s3: bucket '"'"'pgal-test'"'"' reachable" "$T/out" && [ "$(wc -l < "$T/out")" -eq 3 ]'
ok "signup" env PGAL_PASSWORD=$PW "$PGAL" signup alice alice@example.org
check "the user row is in MariaDB, unconfirmed, with a hashed password" '[ "$(sql "SELECT confirmed, pwhash LIKE '"'"'\$%'"'"', pwhash <> '"'"'$PW'"'"' FROM users WHERE name = '"'"'alice'"'"'")" = "0	1	1" ]'
code=$(ses_code)
check "SES carried a code" '[ -n "$code" ]'
ok "confirm with it" "$PGAL" confirm alice "$code"
ok "login" env PGAL_PASSWORD=$PW "$PGAL" login alice
check "one session row, keyed by a hash (not the token)" '[ "$(sql "SELECT COUNT(*) FROM sessions")" -eq 1 ] && [ "$(sql "SELECT token_hash FROM sessions")" != "$(saved_token)" ]'
ok "whoami" "$PGAL" whoami
check "is alice" 'grep -q alice "$T/out"'
ok "mkalbum" "$PGAL" mkalbum trip --title "Beijing 2003"
ok "put a camera photo" "$PGAL" put trip "$NIKON" --tags "city,night"
check "one photo row and its tags in MariaDB" '[ "$(sql "SELECT COUNT(*) FROM photos")" -eq 1 ] && [ "$(sql "SELECT GROUP_CONCAT(tag ORDER BY tag) FROM photo_tags")" = "city,night" ]'
check "three objects in the bucket (original, thumbnail, preview)" '[ "$(nkeys)" -eq 3 ]'
ok "ls --json" "$PGAL" ls trip --json
jcheck "lists the photo" "len(j) == 1 and j[0]['name'] == 'nikon-d2h-gps.jpg' and j[0]['album'] == 'trip'"
ok "info --json" "$PGAL" info trip/nikon-d2h-gps.jpg --json
jcheck "bytes and sha256 of the file" "j['bytes'] == $(stat -c %s "$NIKON") and j['sha256'] == '$(sha256sum "$NIKON" | cut -d' ' -f1)'"
jcheck "EXIF made the round trip through MySQL" "j['exif']['make'] == 'NIKON CORPORATION' and j['taken_at'] == '2003-11-23T18:07:37' and abs(j['exif']['gps']['lat'] - (39 + 54/60 + 56/3600)) < 1e-5 and j['exif']['gps']['alt'] is None"
jcheck "tags" "j['tags'] == ['city', 'night']"
ok "albums --json" "$PGAL" albums --json
jcheck "the album counts its photo and bytes" "len(j) == 1 and j[0]['name'] == 'trip' and j[0]['photos'] == 1 and j[0]['bytes'] == $(stat -c %s "$NIKON")"
ok "search by tag" "$PGAL" search --tag night --json
jcheck "finds it" "len(j) == 1 and j[0]['name'] == 'nikon-d2h-gps.jpg'"
ok "search by words, any case" "$PGAL" search NIKON-D2H --json
jcheck "finds it by name" "len(j) == 1"
ok "rm" "$PGAL" rm trip/nikon-d2h-gps.jpg
check "the row and its tags are gone" '[ "$(sql "SELECT COUNT(*) FROM photos")" -eq 0 ] && [ "$(sql "SELECT COUNT(*) FROM photo_tags")" -eq 0 ]'
check "and its three objects" '[ "$(nkeys)" -eq 0 ]'
ok "put it again" "$PGAL" put trip "$NIKON"
# by title: titled photos first, the untitled ones last (the store's index
# puts '' first; core reads the two runs of it)
ok "a titled photo beside the untitled one" "$PGAL" put trip "$FIX/iphone4s-lens.jpg" --title Zebra
ok "ls --sort title --json" "$PGAL" ls trip --sort title --json
jcheck "the titled photo first, the untitled one last" "[(p['name'], p['title']) for p in j] == [('iphone4s-lens.jpg', 'Zebra'), ('nikon-d2h-gps.jpg', '')]"
ok "rmalbum" "$PGAL" rmalbum trip --yes
check "album and photo rows gone" '[ "$(sql "SELECT COUNT(*) FROM albums")" -eq 0 ] && [ "$(sql "SELECT COUNT(*) FROM photos")" -eq 0 ]'
check "the bucket is empty" '[ "$(nkeys)" -eq 0 ]'
ok "mkalbum and put once more" sh -c '"$0" mkalbum last && "$0" put last "$1"' "$PGAL" "$NIKON"
ok "cancel" env PGAL_PASSWORD=$PW "$PGAL" cancel --yes
check "nothing of alice is left in MariaDB" '[ "$(sql "SELECT (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM sessions) + (SELECT COUNT(*) FROM albums) + (SELECT COUNT(*) FROM photos) + (SELECT COUNT(*) FROM photo_tags) + (SELECT COUNT(*) FROM ssh_keys)")" -eq 0 ]'
check "nor in the bucket" '[ "$(nkeys)" -eq 0 ]'
expect_rc 3 "her session is gone" "$PGAL" whoami
check "no password or secret in any output" '! grep -r -q -e "$PGAL_MYSQL_PASSWORD" -e "$SECRET" -e "$PW" "$T/out" "$T/err"'

done_testing
