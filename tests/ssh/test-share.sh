#!/bin/sh
# `share` over SSH against a pgal-sshd whose blobs are in S3 (s3rver on
# loopback): the printed link downloads the original byte for byte with no
# credentials and carries the signature the SDKs' signer makes; its TTL is
# the one asked for and it stops working once expired; out-of-bounds TTLs
# are refused; another user cannot share alice's photo (not even through an
# album of the same name); the guest cannot run it at all; no secret leaks.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../integration/lib.sh"
integ=$(cd "$(dirname "$0")/../integration" && pwd)
setup_home
peers_init cleanup_ssh
peer_start S3 s3rver s3rver
SECRET=ssh-share-secret-Hk3s
# s3rver knows one access key id, S3RVER (it checks the id, not the signature)
aws_env S3RVER "$SECRET"
unset PGAL_BLOBS PGAL_S3_BUCKET PGAL_S3_PREFIX
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
# the server alone is configured for S3; the CLI only makes the accounts
start_sshd "blobs = s3" "s3_bucket = pgal-test" "s3_prefix = sshshare/" "s3_path_style = yes"
NIKON="$FIX/nikon-d2h-gps.jpg"
PHOTO=trip/nikon-d2h-gps.jpg
PW='alice password 1'
BPW='bob password 1'
make_user alice "$PW" || echo "# make_user alice failed"
make_user bob "$BPW" || echo "# make_user bob failed"
a() { pw_ssh alice "$PW" "$@"; }
b() { pw_ssh bob "$BPW" "$@"; }

# fetch URL FILE: a plain GET, no credentials of any kind; prints the status
fetch() {
	env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY curl -s -q -o "$2" -w '%{http_code}' "$1"
}
qparam() {
	python3 -c 'import sys, urllib.parse
q = urllib.parse.parse_qs(urllib.parse.urlsplit(sys.argv[1]).query)
print(q.get(sys.argv[2], [""])[0])' "$1" "$2"
}
# expires_at URL: when a link stops working (X-Amz-Date + X-Amz-Expires), UTC seconds
expires_at() {
	python3 -c 'import calendar, sys, time
print(calendar.timegm(time.strptime(sys.argv[1], "%Y%m%dT%H%M%SZ")) + int(sys.argv[2]))' \
		"$(qparam "$1" X-Amz-Date)" "$(qparam "$1" X-Amz-Expires)"
}

ok "mkalbum over ssh" a mkalbum trip
ok "the photo goes in with scp" pw_scp "$PW" "$NIKON" alice@$HOST:trip/
# the row is written after the blobs: once ls lists the photo they are stored
listed() {
	a ls trip 2>/dev/null | grep -q nikon-d2h-gps.jpg
}
wait_until 30 listed
check "its original is in the bucket, not in a local folder" \
	'[ "$(find "$P/s3" -path "*sshshare/orig/*" -type f | grep -c -v metadata)" -ge 1 ] && [ "$(count_blobs)" -eq 0 ]'

ok "share over ssh with --ttl 1h" a share "$PHOTO" --ttl 1h
URL=$(head -n 1 "$T/out")
check "one line: a link into the bucket" \
	'[ "$(wc -l < "$T/out")" -eq 1 ] && case $URL in "http://127.0.0.1:$S3/pgal-test/sshshare/orig/"*) true ;; *) false ;; esac'
check "valid 3600 s, signed for host only" \
	'[ "$(qparam "$URL" X-Amz-Expires)" = 3600 ] && [ "$(qparam "$URL" X-Amz-SignedHeaders)" = host ]'
check "the link downloads the original byte for byte, no credentials" \
	'[ "$(fetch "$URL" "$T/dl")" = 200 ] && cmp -s "$NIKON" "$T/dl"'
check "its signature is the one the SDKs' signer makes" 'node "$integ/presign-check.js" "$URL" "$SECRET"'
check "the secret is in neither the output nor the server log" \
	'! grep -q "$SECRET" "$T/out" "$T/err" "$T/sshd.log"'
ok "share --json over ssh" a share "$PHOTO" --json
jcheck "album, photo, url to the bucket, ttl 3600" \
	"j['album'] == 'trip' and j['photo'] == 'nikon-d2h-gps.jpg' and j['url'].startswith('http://127.0.0.1:$S3/pgal-test/sshshare/orig/') and j['ttl'] == 3600"

# a short TTL: the link works, then S3 (s3rver) refuses it once expired
ok "share --ttl 2s" a share "$PHOTO" --ttl 2s
SHORT=$(head -n 1 "$T/out")
check "X-Amz-Expires=2" '[ "$(qparam "$SHORT" X-Amz-Expires)" = 2 ]'
# until the clock is past the link's end (a whole second past: S3 counts in seconds)
END=$(expires_at "$SHORT")
wait_until 10 eval '[ "$(date +%s)" -gt "$END" ]'
check "once expired the link is refused (403, expired)" \
	'[ "$(fetch "$SHORT" "$T/dl2")" = 403 ] && grep -q "expired" "$T/dl2" && ! cmp -s "$NIKON" "$T/dl2"'
check "the 1 h link still works" '[ "$(fetch "$URL" "$T/dl3")" = 200 ] && cmp -s "$NIKON" "$T/dl3"'
expect_rc 1 "--ttl 0 is refused" a share "$PHOTO" --ttl 0
expect_rc 1 "--ttl 8d is refused (7 days at most)" a share "$PHOTO" --ttl 8d
check "saying the bounds" 'grep -q "7 days" "$T/err"'
expect_rc 1 "a malformed --ttl is refused" a share "$PHOTO" --ttl 1w
expect_rc 2 "a missing photo: not found" a share trip/nope.jpg

# bob cannot share alice's photo, not even through his own album "trip"
expect_rc 2 "bob: alice's photo is not found" b share "$PHOTO"
check "and no link is printed" '! grep -q "http" "$T/out" "$T/err"'
ok "bob makes his own album trip" b mkalbum trip
expect_rc 2 "still not found through his album of the same name" b share "$PHOTO" --ttl 1h
check "still no link" '! grep -q "http" "$T/out" "$T/err"'
fails "the guest cannot share" guest_ssh share "$PHOTO"
check "nor gets a link" '! grep -q "http://127.0.0.1:$S3" "$T/out"'
ok "alice still can" a share "$PHOTO"
done_testing
