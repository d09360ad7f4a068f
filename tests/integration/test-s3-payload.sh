#!/bin/sh
# Ingest hands the original's SHA-256 (from its duplicate check) down to the
# S3 backend, and that is the x-amz-content-sha256 of the upload: watched by
# s3-verify-proxy.py (which, like S3, refuses a hash that does not match the
# body) in front of s3rver. The stored original is the file byte for byte;
# the renditions (put from memory over plain http) carry their own hashes.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/lib.sh"
setup_home
peers_init
peer_start S3 s3rver s3rver
peer_start V "the verify proxy" verify verify "$S3"
aws_env S3RVER payload-secret
export AWS_ENDPOINT_URL_S3="http://127.0.0.1:$V"
export PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test PGAL_S3_PREFIX=payload/ PGAL_S3_PATH_STYLE=yes
NIKON="$FIX/nikon-d2h-gps.jpg"
SHA=$(sha256sum "$NIKON" | cut -d' ' -f1)

login_user alice alice-password-1 || echo "# login_user failed"
ok "mkalbum" "$PGAL" mkalbum trip
curl -s -f -X POST -o /dev/null "http://127.0.0.1:$V/__verify/reset"
ok "put a photo" "$PGAL" put trip "$NIKON"
curl -s -f -o "$T/log" "http://127.0.0.1:$V/__verify/log"
# the PUTs the proxy saw: path sha256 body_sha256 length chunked
python3 -c 'import json, sys
for x in json.load(open(sys.argv[1])):
    if x["method"] == "PUT":
        print(x["path"], x["sha256"], x["body_sha256"], x["length"], x["chunked"])' "$T/log" > "$T/puts"
sed 's/^/# /' "$T/puts"
ORIG=$(grep "^/pgal-test/payload/orig/" "$T/puts" || true)
check "one PUT of the original" '[ "$(grep -c "^/pgal-test/payload/orig/" "$T/puts")" -eq 1 ]'
check "sent with the original's SHA-256 (sha256sum)" '[ "$(echo "$ORIG" | cut -d" " -f2)" = "$SHA" ]'
check "which matches what arrived, all of it, with a Content-Length" \
	'[ "$(echo "$ORIG" | cut -d" " -f3)" = "$SHA" ] && [ "$(echo "$ORIG" | cut -d" " -f4)" -eq "$(wc -c < "$NIKON")" ] && [ "$(echo "$ORIG" | cut -d" " -f5)" = False ]'
check "thumbnail and preview: each with the hash of its own bytes" \
	'[ "$(grep -c -E "^/pgal-test/payload/(thumb|preview)/" "$T/puts")" -eq 2 ] && grep -E "^/pgal-test/payload/(thumb|preview)/" "$T/puts" | awk "\$2 != \$3 { bad = 1 } END { exit bad }"'
KEY=$(echo "$ORIG" | cut -d" " -f1)
curl -s -f -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -D "$T/hdr" -o "$T/got" "http://127.0.0.1:$S3$KEY"
check "s3rver holds the original byte for byte" 'cmp -s "$NIKON" "$T/got"'
check "with the ETag of its MD5 (md5sum)" \
	'[ "$(tr -d "\r\"" < "$T/hdr" | awk "tolower(\$1) == \"etag:\" { print \$2 }")" = "$(md5sum "$NIKON" | cut -d" " -f1)" ]'
ok "get gives it back" "$PGAL" get trip/nikon-d2h-gps.jpg -o "$T/back.jpg"
check "byte for byte" 'cmp -s "$NIKON" "$T/back.jpg"'
done_testing
