#!/bin/sh
# rclone (sftp backend) against pgal-sshd for what it asks over exec and
# SFTP extensions: `about` (statvfs@openssh.com, or "df -k PATH" over exec)
# shows the user's quota; OpenSSH's sftp df likewise; hardlink@openssh.com
# is not advertised (a photo has one name).
. "$(dirname "$0")/exec-lib.sh"
need_client rclone rclone version
start_gallery "quota_bytes = 10M"
QUOTA=10485760
"$PGAL" put trip "$FIX/nikon-d2h-gps.jpg" > /dev/null || { echo "Bail out! pgal put failed"; exit 1; }
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
rc() { timeout 60 rclone --config "$T/rclone.conf" --low-level-retries 1 --retries 1 "$@"; }
r() { key_ssh "$T/id_alice" alice "$@"; }

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
