#!/bin/sh
# The storage quota (quota_bytes) is enforced by ingest itself, for every door.
. "$(dirname "$0")/lib.sh"
setup_home
PW=correct-horse-battery
signup_user alice "$PW"
PGAL_PASSWORD=$PW "$PGAL" login alice >/dev/null 2>&1
"$PGAL" mkalbum a >/dev/null
nikon=$(stat -c %s "$FIX/nikon-d2h-gps.jpg")
iphone=$(stat -c %s "$FIX/iphone4s-lens.jpg")
# room for the Nikon photo but not for the iPhone one as well
export PGAL_QUOTA_BYTES=$((nikon + iphone - 1))
expect_rc 0 "a photo within the quota" "$PGAL" put a "$FIX/nikon-d2h-gps.jpg"
expect_rc 5 "the next one would pass the quota" "$PGAL" put a "$FIX/iphone4s-lens.jpg"
check "the message names the quota" 'grep -q "quota" "$T/err"'
"$PGAL" ls a --json > "$T/ls"
check "only the first photo is stored" '[ "$(grep -c "\"name\"" "$T/ls")" -eq 1 ]'
check "and no blob of the refused one" '[ "$(find "$PGAL_HOME/blobs" -type f | wc -l)" -eq 3 ]'
export PGAL_QUOTA_BYTES=0
expect_rc 0 "0 means no quota" "$PGAL" put a "$FIX/iphone4s-lens.jpg"
done_testing
