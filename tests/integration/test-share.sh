#!/bin/sh
# pgal share against s3rver: the link downloads the original byte for byte
# with no credentials, its signature is what the SDKs' signer makes (s3rver
# does not check signatures), it stops working after its TTL; TTL bounds;
# another user's photo is not found; a not-logged-in call is denied; with
# blobs = fs the command says sharing needs S3.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
setup_home
peers_init
peer_start S3 s3rver s3rver
SECRET=share-secret-Qm27v
# s3rver knows one access key id, S3RVER (it checks the id, not the signature)
aws_env S3RVER "$SECRET"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
export PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=share/ PGAL_S3_PATH_STYLE=yes
NIKON="$FIX/nikon-d2h-gps.jpg"
PHOTO=trip/nikon-d2h-gps.jpg

# fetch URL FILE: a plain GET, no credentials of any kind; prints the status
fetch() {
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY curl -s -q -o "$2" -w '%{http_code}' "$1"
}
# the value of query parameter NAME in URL
qparam() {
	python3 -c 'import sys, urllib.parse
q = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)
print(q.get(sys.argv[2], [""])[0])' "$1" "$2"
}

login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum trip
ok "put a photo" "$PGAL" put trip "$NIKON"

ok "share with --ttl 10m" "$PGAL" share "$PHOTO" --ttl 10m
URL=$(head -n 1 "$T/out")
check "one line, an http URL to the bucket" '[ "$(wc -l < "$T/out")" -eq 1 ] && case $URL in "http://127.0.0.1:$S3/pgal-test/share/orig/"*) true ;; *) false ;; esac'
check "valid 600 s, signed for host only" '[ "$(qparam "$URL" X-Amz-Expires)" = 600 ] && [ "$(qparam "$URL" X-Amz-SignedHeaders)" = host ]'
check "the secret key is not in it" '! grep -q "$SECRET" "$T/out" "$T/err"'
check "the link downloads the original with no credentials" '[ "$(fetch "$URL" "$T/dl")" = 200 ] && cmp -s "$NIKON" "$T/dl"'
check "its signature is the one the SDKs' signer makes" 'node "$here/presign-check.js" "$URL" "$SECRET"'
check "and not one a wrong secret would make" '! node "$here/presign-check.js" "$URL" not-the-secret 2>/dev/null'
ok "with a session token" env AWS_SESSION_TOKEN="tok/en+1=" "$PGAL" share "$PHOTO"
URL2=$(head -n 1 "$T/out")
check "the token rides in the query and is signed" '[ "$(qparam "$URL2" X-Amz-Security-Token)" = "tok/en+1=" ] && node "$here/presign-check.js" "$URL2" "$SECRET" "tok/en+1="'

ok "share --json (default TTL)" "$PGAL" share "$PHOTO" --json
NOW=$(date +%s)
jcheck "album, photo, url, ttl 3600" "j['album'] == 'trip' and j['photo'] == 'nikon-d2h-gps.jpg' and j['url'].startswith('http://127.0.0.1:$S3/') and j['ttl'] == 3600"
jcheck "expires_at is an hour from now" "abs(__import__('calendar').timegm(__import__('time').strptime(j['expires_at'], '%Y-%m-%dT%H:%M:%SZ')) - $NOW - 3600) <= 5"
ok "7 days is the longest" "$PGAL" share "$PHOTO" --ttl 7d
check "X-Amz-Expires=604800" '[ "$(qparam "$(head -n 1 "$T/out")" X-Amz-Expires)" = 604800 ]'
ok "168h is 7 days too" "$PGAL" share "$PHOTO" --ttl 168h
# a browser shows the photo: stored as image/jpeg, answered inline under
# the photo's name (s3rver honours the signed response-* parameters)
ok "share for a browser" "$PGAL" share "$PHOTO"
URLB=$(head -n 1 "$T/out")
check "the link asks for an inline answer under the photo's name, signed" \
	'[ "$(qparam "$URLB" response-content-disposition)" = "inline; filename=\"nikon-d2h-gps.jpg\"; filename*=UTF-8'"''"'nikon-d2h-gps.jpg" ] && node "$here/presign-check.js" "$URLB" "$SECRET"'
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY curl -s -q -D "$T/hdrs" -o "$T/dlb" "$URLB"
check "the answer is Content-Type image/jpeg (stored with the object)" 'tr -d "\r" < "$T/hdrs" | grep -qix "content-type: image/jpeg"'
check "and Content-Disposition inline with the name" 'tr -d "\r" < "$T/hdrs" | grep -qi "^content-disposition: inline; filename=\"nikon-d2h-gps.jpg\""'
check "the bytes are the original" 'cmp -s "$NIKON" "$T/dlb"'
ok "put a PNG" "$PGAL" put trip "$FIX/big-24mp.png"
ok "share it" "$PGAL" share trip/big-24mp.png
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY curl -s -q -D "$T/hdrs" -o /dev/null "$(head -n 1 "$T/out")"
check "a PNG is stored as image/png" 'tr -d "\r" < "$T/hdrs" | grep -qix "content-type: image/png"'

# temporary credentials (an instance role over IMDSv2) ending in 30 minutes:
# a 7-day link would die with them, so it is cut to their end and says so
peer_start IMDS "the fake instance metadata service" imds
curl -s -X POST "http://127.0.0.1:$IMDS/__imds/expires?secs=1800" > /dev/null
curl -s -X POST "http://127.0.0.1:$IMDS/__imds/keyid?id=S3RVER" > /dev/null
role() {
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
	    AWS_CONFIG_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=false \
	    AWS_EC2_METADATA_SERVICE_ENDPOINT="http://127.0.0.1:$IMDS/" "$@"
}
ok "share --ttl 7d with the instance role's credentials" role "$PGAL" share "$PHOTO" --ttl 7d
URLR=$(head -n 1 "$T/out")
check "signed with the role's session token" 'case $(qparam "$URLR" X-Amz-Security-Token) in imds-token-*) true ;; *) false ;; esac'
check "valid until the credentials end, not 7 days" '[ "$(qparam "$URLR" X-Amz-Expires)" -le 1800 ] && [ "$(qparam "$URLR" X-Amz-Expires)" -ge 1700 ]'
check "the user is told when it really expires" 'grep -q "^share: the link expires at .*sooner than asked: the AWS credentials signing it end then" "$T/err"'
ok "the same with --json" role "$PGAL" share "$PHOTO" --ttl 7d --json
NOW=$(date +%s)
jcheck "ttl and expires_at are the real ones" "j['ttl'] <= 1800 and abs(__import__('calendar').timegm(__import__('time').strptime(j['expires_at'], '%Y-%m-%dT%H:%M:%SZ')) - $NOW - 1800) <= 60"
ok "a 10-minute link with them is left as asked" role "$PGAL" share "$PHOTO" --ttl 10m
check "600 s, no note" '[ "$(qparam "$(head -n 1 "$T/out")" X-Amz-Expires)" = 600 ] && [ ! -s "$T/err" ]'
expect_rc 1 "8 days is refused" "$PGAL" share "$PHOTO" --ttl 8d
check "saying the bounds" 'grep -q "7 days" "$T/err"'
expect_rc 1 "0 s is refused" "$PGAL" share "$PHOTO" --ttl 0
expect_rc 1 "a malformed TTL is refused" "$PGAL" share "$PHOTO" --ttl 1w
expect_rc 1 "a unit only is refused" "$PGAL" share "$PHOTO" --ttl h
expect_rc 1 "a huge number is refused" "$PGAL" share "$PHOTO" --ttl 99999999999999999999
expect_rc 2 "a missing photo is not found" "$PGAL" share trip/nope.jpg
expect_rc 2 "a missing album is not found" "$PGAL" share nope/nikon-d2h-gps.jpg
expect_rc 1 "ALBUM alone is a usage error" "$PGAL" share trip

# expiry: s3rver enforces X-Amz-Date + X-Amz-Expires
ok "a 1-second link" "$PGAL" share "$PHOTO" --ttl 1s
URL1=$(head -n 1 "$T/out")
# until the clock is past the link's end (not until the link fails: that
# is the check)
END1=$(python3 -c 'import calendar, sys, time, urllib.parse
q = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)
print(calendar.timegm(time.strptime(q["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ")) + int(q["X-Amz-Expires"][0]))' "$URL1")
wait_until 10 eval '[ "$(date +%s)" -gt "${END1:-0}" ]'
check "stops working once expired (403)" '[ "$(fetch "$URL1" "$T/dl1")" = 403 ] && grep -q "expired" "$T/dl1"'

# another user cannot share alice's photo, even with an album of that name
ALICE_TOKEN=$(saved_token)
login_user bob bob-password-1 || echo "# login_user bob failed"
expect_rc 2 "bob cannot share alice's photo" "$PGAL" share "$PHOTO"
ok "bob makes his own album trip" "$PGAL" mkalbum trip
expect_rc 2 "still not found through his album of the same name" "$PGAL" share "$PHOTO"
check "the message does not leak a link" '! grep -q "http" "$T/out" "$T/err"'
expect_rc 3 "no session: denied" env PGAL_TOKEN= XDG_CONFIG_HOME="$T/none" "$PGAL" share "$PHOTO"
expect_rc 3 "a logged-out session: denied" env PGAL_TOKEN="$(printf '%064d' 0)" "$PGAL" share "$PHOTO"
check "alice's token still works" 'PGAL_TOKEN=$ALICE_TOKEN "$PGAL" share "$PHOTO" > /dev/null 2>&1'

# blobs = fs cannot make links: a clear usage error
export PGAL_HOME="$T/fshome" XDG_CONFIG_HOME="$T/fsxdg"
mkdir -p "$PGAL_HOME" "$XDG_CONFIG_HOME"
unset PGAL_BLOBS PGAL_S3_BUCKET PGAL_S3_PREFIX PGAL_S3_PATH_STYLE
login_user carol carol-password-1 || echo "# login_user carol failed"
ok "fs: mkalbum and put" sh -c '"$0" mkalbum trip && "$0" put trip "$1"' "$PGAL" "$NIKON"
expect_rc 1 "fs: share is a usage error" "$PGAL" share "$PHOTO"
check "saying it needs the S3 blob backend" 'grep -q "^pgal: sharing links need the S3 blob backend (blobs = s3)" "$T/err"'
done_testing
