#!/bin/sh
# The CLI with photos in S3 (blobs = s3) against s3rver on loopback: put
# (a 28 MB photo goes up in parts), get back byte for byte, rm and gc
# remove exactly their objects, rmalbum empties the prefix; retries through
# the fault proxy; an unreachable or missing bucket is a clear error; the
# secret key never shows.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start S3 s3rver s3rver
peer_start PROXY "the fault proxy" proxy proxy "$S3"
SECRET=s3-secret-Jx81p
aws_env S3RVER "$SECRET"
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"
export PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=cli/ PGAL_S3_PATH_STYLE=yes
# 16 MiB: the 28 MB photo goes up in parts, so the CLI exercises multipart too
export PGAL_S3_MULTIPART_THRESHOLD=16M
NIKON="$FIX/nikon-d2h-gps.jpg"
BIG="$FIX/big-24mp.jpg"

# the keys under cli/ in the bucket, one a line, straight from s3rver
keys() {
	curl -s -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	    "http://127.0.0.1:$S3/pgal-test?list-type=2&prefix=cli/&max-keys=1000" |
	    python3 -c 'import re, sys
for k in re.findall(r"<Key>([^<]*)</Key>", sys.stdin.read()):
    print(k)'
}
nkeys() {
	keys | wc -l | tr -d ' '
}

login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum trip
ok "put a camera photo and a 28 MB one" "$PGAL" put trip "$NIKON" "$BIG"
check "three objects per photo (original, thumbnail, preview)" '[ "$(nkeys)" -eq 6 ]'
check "every key has the blob shape under the prefix" '[ "$(keys | grep -cE "^cli/(orig|thumb|preview)/[0-9a-f]{2}/[0-9a-f]{32}$")" -eq 6 ]'
ok "get the big original back" "$PGAL" get trip/big-24mp.jpg -o "$T/big.out"
check "byte for byte (it went up in parts)" 'cmp -s "$BIG" "$T/big.out"'
ok "get the camera photo back" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/nikon.out"
check "byte for byte" 'cmp -s "$NIKON" "$T/nikon.out"'
ok "get a thumbnail" "$PGAL" get trip/nikon-d2h-gps.jpg --thumb -o "$T/thumb.out"
check "a JPEG of at most 256 px" '[ "$(vipsheader -f width "$T/thumb.out")" -le 256 ] && [ "$(vipsheader -f height "$T/thumb.out")" -le 256 ]'
ok "rm the big photo" "$PGAL" rm trip/big-24mp.jpg
check "its three objects are gone" '[ "$(nkeys)" -eq 3 ]'

# an orphan (as a crash between blob and row would leave) is collected
ORPHAN=cli/orig/ab/abababababababababababababababab
curl -s -X PUT -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" --data-binary orphan \
    "http://127.0.0.1:$S3/pgal-test/$ORPHAN" > /dev/null
check "the orphan is there" 'keys | grep -qx "$ORPHAN"'
ok "gc" "$PGAL" gc --min-age 0
check "gc removed the orphan and nothing else" '! keys | grep -qx "$ORPHAN" && [ "$(nkeys)" -eq 3 ]'

# ---- retries through the fault proxy ----
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$PROXY"
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/fail?n=2&status=503" > /dev/null
ok "get rides out two 503s" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/nikon2.out"
check "byte for byte" 'cmp -s "$NIKON" "$T/nikon2.out"'
curl -s "http://127.0.0.1:$PROXY/__fault/stats" > "$T/out"
jcheck "two failed tries were retried" "j['failed'] == 2"
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/fail?n=20&status=503" > /dev/null
expect_rc 4 "endless 503s: a backend error after the capped retries" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/nikon3.out"
check "the error says S3, what failed and that it gave up" 'grep -q "^pgal: blobs s3: S3 HeadBucket: ServiceUnavailable (HTTP 503, request id FAULTPROXY[0-9]*, gave up after retries)$" "$T/err"'
check "the secret key is not in the message" '! grep -q "$SECRET" "$T/out" "$T/err"'
# S3 refusing the instance's credentials is the backend failing (exit 4),
# not the user being refused (exit 3 means "not logged in")
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/fail?n=20&status=403" > /dev/null
expect_rc 4 "S3 answers 403: a backend failure, exit 4" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/nikon4.out"
check "the error says S3 refused (a HEAD has no error body)" 'grep -q "S3 HeadBucket: Forbidden (HTTP 403" "$T/err"'
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
expect_rc 4 "no AWS credentials at all: a backend failure too" env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_CONFIG_FILE=/nonexistent AWS_EC2_METADATA_DISABLED=true "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/nikon5.out"
check "saying where credentials come from" 'grep -q "no AWS credentials" "$T/err"'

# ---- the peer dies mid-upload (the proxy drops the connection half way
# through a PUT body): retried where safe, and when it keeps dying, a clear
# error with nothing stored: no row, no object left behind ----
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
before=$(nkeys)
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/cut?n=1&method=PUT" > /dev/null
ok "a PUT cut once mid-body is retried" "$PGAL" put trip "$FIX/iphone4s-lens.jpg"
curl -s "http://127.0.0.1:$PROXY/__fault/stats" > "$T/out"
jcheck "the proxy did cut one upload" "j['cut_done'] == 1"
ok "the retried photo reads back" "$PGAL" get trip/iphone4s-lens.jpg -o "$T/iphone.out"
check "byte for byte" 'cmp -s "$FIX/iphone4s-lens.jpg" "$T/iphone.out"'
check "three more objects, no stray one" '[ "$(nkeys)" -eq $((before + 3)) ]'
before=$(nkeys)
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/cut?n=100&method=PUT" > /dev/null
expect_rc 4 "a peer that dies on every PUT: a backend error" "$PGAL" put trip "$FIX/orient-3.jpg"
check "that says S3 and the endpoint" 'grep -q "^pgal: .*S3.*" "$T/err"'
check "no photo row" '! "$PGAL" ls trip | grep -q orient-3'
check "no object left behind" '[ "$(nkeys)" -eq "$before" ]'
# a multipart upload whose second part keeps dying is aborted whole
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/cut?n=100&method=PUT&after=1" > /dev/null
rows=$("$PGAL" ls trip | wc -l)
expect_rc 4 "a 28 MB photo whose second part never arrives fails" "$PGAL" put --force trip "$BIG"
check "no row for it" '[ "$("$PGAL" ls trip | wc -l)" -eq "$rows" ]'
check "and no object left behind" '[ "$(nkeys)" -eq "$before" ]'
# slow answers (1.5 s each) are waited for, not failed
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/delay?n=3&ms=1500" > /dev/null
ok "slow answers still succeed" "$PGAL" get trip/iphone4s-lens.jpg -o "$T/iphone2.out"
check "byte for byte" 'cmp -s "$FIX/iphone4s-lens.jpg" "$T/iphone2.out"'
curl -s -X POST "http://127.0.0.1:$PROXY/__fault/reset" > /dev/null
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$S3"

ok "rmalbum" "$PGAL" rmalbum trip --yes
check "the prefix is empty" '[ "$(nkeys)" -eq 0 ]'

# ---- the bucket cannot be reached ----
expect_rc 4 "a missing bucket is a backend error" env PGAL_S3_BUCKET=no-such-bucket "$PGAL" albums
check "naming the bucket" 'grep -q "S3 bucket no-such-bucket does not exist" "$T/err"'
expect_rc 4 "nobody listening is a backend error" env AWS_ENDPOINT_URL_S3=http://127.0.0.1:1 "$PGAL" albums
check "naming the endpoint" 'grep -q "S3 HeadBucket: http://127.0.0.1:1 unreachable" "$T/err"'
expect_rc 5 "a bad prefix is refused" env PGAL_S3_PREFIX=../x "$PGAL" albums
echo "1..$n"
[ "$nfail" -eq 0 ]
