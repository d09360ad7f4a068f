#!/bin/sh
# Read your own uploads across a fleet: photos sent through one host are
# stored there in the background, yet a command run right after the client
# is done, through ANOTHER host, sees them all: it waits for the user's
# uploads still being stored on any host (their markers in the shared
# store), and an SFTP listing there shows them with their sizes at once
# (rclone stats what it wrote from whichever connection it likes). Pinned
# to hosts 1 and 2 directly, then through HAProxy (roundrobin: the ls
# lands on the other host); on MariaDB and on DynamoDB (dynalite).
# pgal-test: plain build only (the sanitizer build runs the shared upload notes in
# tests/ssh/test-read-own-uploads.sh and the store contract)
. "$(dirname "$0")/lib.sh"
PW='alice password 1'
FLEET_STORE=${FLEET_STORE:-mysql dynamodb}

# camera-size photos: each takes far longer to store than to send
make_camera_jpegs "$T/cam" 8 || fleet_bail "cannot make test photos"

k() { key_ssh "$T/id_alice" alice "$@"; }
stored_count() {
	"$PGAL" ls "$1" --json 2>/dev/null | python3 -c 'import json, sys; print(len(json.load(sys.stdin)))'
}
send() {
	key_scp "$T/id_alice" "$@"
}
sftp_batch() {
	sftp $SSHO -P "$PORT" -o BatchMode=yes -o IdentitiesOnly=yes -i "$T/id_alice" -b "$1" alice@$HOST
}

# round STORE ALBUM FROM TO FIRST LAST: scp of photos FIRST..LAST through
# host FROM, then at once an SFTP listing and an ls through host TO
round() {
	album=$2 from=$3 to=$4
	files=$(i=$5; while [ "$i" -le "$6" ]; do printf '%s/cam/c%02d.jpg ' "$T" "$i"; i=$((i + 1)); done)
	count=$(($6 - $5 + 1))
	"$PGAL" mkalbum "$album" > /dev/null
	# shellcheck disable=SC2086 # $files is several words on purpose
	ok "$1: scp of $count camera photos through host $from" at "$from" send $files "alice@$HOST:$album/"
	before=$(stored_count "$album")
	printf 'ls -l /%s\n' "$album" > "$T/batch.$album"
	ok "$1: sftp ls -l /$album through host $to right after" at "$to" sftp_batch "$T/batch.$album"
	cp "$T/out" "$T/sftp.$album"
	check "$1: the listing has all $count, each with its size" "[ \$(awk '\$NF ~ /(^|\/)c[0-9][0-9][.]jpg\$/ && \$5 > 0' '$T/sftp.$album' | wc -l) -eq $count ]"
	ok "$1: ls $album --json through host $to right after" at "$to" k ls "$album" --json
	jcheck "$1: lists all $count" "len(j) == $count"
	check "$1: and said nothing on stderr" "[ ! -s '$T/err' ]"
	check "$1: not by luck: only $before of $count were stored when scp was done" "[ $before -lt $count ]"
}

for store in $FLEET_STORE; do
	[ "$HOSTS" -eq 0 ] || fleet_reset
	fleet_start "$store" 3 "max_upload_bytes = 16M" "ssh_ingest_timeout_secs = 20" "max_pixels = 1000000000" "ssh_ingest_workers = 1"
	make_user alice "$PW" || fleet_bail "cannot make the user"
	add_key alice "$PW" || fleet_bail "cannot add the key"
	round "$store, pinned" pinned 1 2 0 3
	round "$store, through HAProxy" lb 0 0 4 7
	up=$(grep -l 'stored lb/' "$T"/host[0-9]/sshd.log)
	ls=$(grep -l 'exec: user alice: ls lb' "$T"/host[0-9]/sshd.log)
	check "$store: HAProxy sent the uploads ($up) and the ls ($ls) to different hosts" \
	    "[ \$(echo '$up' | wc -w) = 1 ] && [ \$(echo '$ls' | wc -w) = 1 ] && [ '$up' != '$ls' ]"
done
done_testing
