#!/bin/sh
# rclone (sftp backend) against pgal-sshd for what it asks over exec and
# SFTP extensions: md5sum and sha1sum of photos (rclone md5sum, hashsum,
# check), also of photos stored before their digests were kept; `about`
# (statvfs@openssh.com, or "df -k PATH" over exec) shows the user's quota;
# OpenSSH's sftp df likewise; hardlink@openssh.com is not advertised (a
# photo has one name).
. "$(dirname "$0")/exec-lib.sh"
need_client rclone rclone version
start_gallery "quota_bytes = 10M"
QUOTA=10485760
# the photos rclone checks, one with a space in its name (rclone escapes it
# with a backslash on the command line)
mkdir -p "$T/src"
cp "$FIX/nikon-d2h-gps.jpg" "$FIX/small.gif" "$T/src/" && cp "$FIX/iphone4s-lens.jpg" "$T/src/two words.jpg"
"$PGAL" put trip "$T/src/nikon-d2h-gps.jpg" "$T/src/small.gif" "$T/src/two words.jpg" > /dev/null ||
	{ echo "Bail out! pgal put failed"; exit 1; }
cat > "$T/rclone.conf" <<EOF
[pg]
type = sftp
host = $HOST
port = $PORT
user = alice
key_file = $T/id_alice
known_hosts_file = $T/known_hosts
EOF
ssh-keyscan -p "$PORT" "$HOST" 2>/dev/null | sed "s/^$HOST/[$HOST]:$PORT/" > "$T/known_hosts"
# the server has the database open: wait for its locks
db_sql() { sqlite3 -cmd '.timeout 5000' "$PGAL_HOME/pgal.db" "$1"; }
rc() { timeout 60 rclone --config "$T/rclone.conf" --low-level-retries 1 --retries 1 "$@"; }
r() { key_ssh "$T/id_alice" alice "$@"; }

# the expected lines, from coreutils on the originals
(cd "$T/src" && md5sum -- * | sort > "$T/want.md5" && sha1sum -- * | sort > "$T/want.sha1")
same_sums() { sort "$T/out" | diff "$1" - > "$T/diff"; }
# rclone 1.60 probes for md5sum and sha1sum ("md5sum" on empty input) on
# its first hash and saves what works in its config; objects hashed while
# the probe runs are "hash unsupported" (its cache of hash types is
# published before it is filled), so the first run hashes one photo
ok "rclone's first hash probes the commands" rc md5sum pg:trip/small.gif
check "and keeps them" "grep -q '^md5sum_command = md5sum' '$T/rclone.conf' && grep -q '^sha1sum_command = sha1sum' '$T/rclone.conf'"
ok "rclone md5sum" rc md5sum pg:trip
check "gives coreutils' MD5 of every original" "same_sums '$T/want.md5'"
ok "rclone hashsum sha1" rc hashsum sha1 pg:trip
check "gives coreutils' SHA-1 of every original" "same_sums '$T/want.sha1'"
ok "rclone check against the originals (sizes and MD5)" rc check "$T/src" pg:trip
check "finds them all the same by hash" "grep -q '3 matching files' '$T/err' && ! grep -q 'hashes could not be checked' '$T/err'"
# the same size, one byte changed: only the digest tells
cp -r "$T/src" "$T/changed"
printf 'X' | dd of="$T/changed/small.gif" bs=1 seek=1000 conv=notrunc 2> /dev/null
expect_rc 1 "rclone check sees a photo whose bytes differ at the same size" rc check "$T/changed" pg:trip
check "names it" "grep -q 'small.gif' '$T/err'"

# rows stored before the digests were kept (the migration leaves them
# empty): hashed from the original when first asked for, and saved
db_sql "UPDATE photos SET md5 = '', sha1 = ''"
ok "rclone md5sum of photos stored without digests" rc md5sum pg:trip
check "gives the MD5 of every original" "same_sums '$T/want.md5'"
check "and the digests are stored now" \
	"[ \$(db_sql \"SELECT count(*) FROM photos WHERE md5 != '' AND sha1 != ''\") -eq 3 ]"
# an SFTP upload is stored with its digests (the command waits for it)
b=$(printf 'put %s /trip/up.tif\n' "$FIX/small.tif" | batch)
ok "an upload over SFTP" key_sftp "$b"
ok "md5sum of it over exec" r md5sum /trip/up.tif
check "is coreutils' MD5" "[ \"\$(cut -d' ' -f1 '$T/out')\" = \"\$(md5sum < '$FIX/small.tif' | cut -d' ' -f1)\" ]"
check "stored by the ingest (the row has both digests)" \
	"[ \"\$(db_sql \"SELECT md5 != '' AND sha1 != '' FROM photos WHERE name = 'up.tif'\")\" = 1 ]"
ok "sha256sum over exec, with the SFTP path" r sha256sum "'/trip/two words.jpg'"
check "is coreutils' SHA-256" "[ \"\$(cut -d' ' -f1 '$T/out')\" = \"\$(sha256sum < '$T/src/two words.jpg' | cut -d' ' -f1)\" ]"
printf '' > "$T/empty"
md5_empty=$(md5sum < "$T/empty" | cut -d' ' -f1)
ok "md5sum of its input (rclone's probe, on empty input)" sh -c "$(command -v ssh) $SSHO -p $PORT -o BatchMode=yes -o IdentitiesOnly=yes -i '$T/id_alice' alice@$HOST md5sum < '$T/empty'"
check "is the MD5 of nothing" "[ \"\$(cut -d' ' -f1 '$T/out')\" = $md5_empty ]"
expect_rc 2 "md5sum of a missing photo: exit 2" r md5sum /trip/nope.jpg

# what the account holds, from whoami, in the 1 KiB blocks df counts
r whoami --json > "$T/who.json"
USED_KIB=$(python3 -c "import json,sys; b=json.load(open(sys.argv[1]))['bytes']; print((b + 1023) // 1024)" "$T/who.json")

ok "rclone about (statvfs@openssh.com)" rc about pg:trip --json
jcheck "shows the quota, what the photos use and the rest free" \
	"j['total'] == $QUOTA and j['used'] == $USED_KIB * 1024 and j['free'] == $QUOTA - $USED_KIB * 1024"
expect_rc 1 "rclone about of a missing album fails" rc about pg:nope
ok "df -k / over exec (rclone's fallback)" r df -k /
check "the second line has 1K-blocks, Used and Available" \
	"awk 'NR == 2 { good = \$2 == $QUOTA / 1024 && \$3 == $USED_KIB && \$4 == \$2 - \$3 } END { exit !good }' '$T/out'"

b=$(printf 'df /trip\n' | batch)
ok "OpenSSH sftp df" key_sftp "$b"
check "shows the quota in KiB" "grep -Eq '^ *$((QUOTA / 1024)) +$USED_KIB ' '$T/out'"
b=$(printf 'ln /trip/nikon-d2h-gps.jpg /trip/again.jpg\n' | batch)
fails "OpenSSH sftp ln: no hard links" key_sftp "$b"
check "the server does not offer them" "grep -q 'does not support hardlink' '$T/err'"
done_testing
