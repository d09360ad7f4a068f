#!/bin/sh
# Dropbear's client (dbclient, dropbear-bin) against pgal-sshd: commands,
# and SFTP with dbclient as the transport of OpenSSH's sftp (sftp -S; dropbear
# has no SFTP client of its own) at its default receive window (24 KiB) and
# small ones (-W). Dropbear re-opens its window only after a third of it
# is used: a server that waits for more of it never answers.
. "$(dirname "$0")/exec-lib.sh"
need_client dbclient sh -c 'dbclient -V 2>&1 | grep -q Dropbear'
need_client dropbearconvert test -x "$(command -v dropbearconvert)"
start_gallery
# dbclient reads keys in its own format
dropbearconvert openssh dropbear "$T/id_alice" "$T/id_alice.db" > /dev/null 2>&1 ||
	{ echo "Bail out! dropbearconvert failed"; exit 1; }
"$PGAL" put trip "$FIX/small.tif" > /dev/null || { echo "Bail out! pgal put failed"; exit 1; }

# db WINDOW COMMAND...: a command over dbclient at that receive window
db() {
	db_w=$1
	shift
	timeout 30 dbclient -y -y -i "$T/id_alice.db" -W "$db_w" -p "$PORT" alice@"$HOST" "$@"
}
ok "a command over dbclient" db 24576 whoami
check "prints the user" "grep -q '^alice' '$T/out'"
ok "a command's binary output through a 1000-byte window" db 1000 get trip/small.tif
check "comes byte for byte" "cmp -s '$FIX/small.tif' '$T/out'"

# sftp -S PROGRAM runs PROGRAM with OpenSSH options (dbclient ignores
# them with a warning) and "-s HOST sftp"; timeout turns a hang into a
# failure
window_sftp() {
	printf '#!/bin/sh\nexec dbclient -y -y -i %s -W %s "$@" 2>>%s\n' "$T/id_alice.db" "$1" "$T/dbclient.log" \
		> "$T/dbclient-w$1"
	chmod +x "$T/dbclient-w$1"
	timeout 30 sftp -S "$T/dbclient-w$1" -P "$PORT" -b "$2" alice@"$HOST"
}
for case in 24576:nikon-d2h-gps.jpg 4096:medium.webp 1000:small.gif; do
	w=${case%%:*} photo=${case#*:}
	rm -f "$T/got-$w.tif"
	b=$(printf 'ls -l /\nput %s /trip/%s\nls -l /trip\nget /trip/small.tif %s\n' \
		"$FIX/$photo" "$photo" "$T/got-$w.tif" | batch)
	ok "sftp through dbclient -W $w: list, upload, download" window_sftp "$w" "$b"
	check "the upload is listed" "grep -q '$photo' '$T/out'"
	check "the download is the original byte for byte" "cmp -s '$FIX/small.tif' '$T/got-$w.tif'"
done
done_testing
