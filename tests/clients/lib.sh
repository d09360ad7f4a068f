# TAP helpers for the client tier: the third-party SFTP and SCP clients
# people script with (rclone, lftp, PuTTY's pscp/psftp) against a
# pgal-sshd started here (tests/ssh/lib.sh: start_sshd, make_user,
# add_key, make_jpegs...). Each client runs without a prompt: rclone and
# lftp with a password on the command line, PuTTY with the host key's
# fingerprint given.
. "$(dirname "$0")/../ssh/lib.sh"

# need_client NAME...: a client that is not installed fails the test file
need_client() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 && continue
		echo "Bail out! $c is not installed (tools/deps.sh installs it)"
		exit 1
	done
}

# setup_alice [CONFIG LINE...]: a fresh PGAL_HOME, a server started with
# the config lines, user alice (password $PW) with the key $T/id_alice,
# the CLI logged in as her, and her album trip
PW='alice password 1'
setup_alice() {
	setup_home
	start_sshd "$@"
	make_user alice "$PW" && add_key alice "$PW" && "$PGAL" mkalbum trip >/dev/null ||
		{ echo "Bail out! cannot make user alice"; exit 1; }
}

# host_fingerprint: the server's host key as "SHA256:..." (PuTTY's -hostkey)
host_fingerprint() {
	ssh-keyscan -p "$PORT" -t ed25519 "$HOST" 2>/dev/null > "$T/hostkey.scan"
	ssh-keygen -l -E sha256 -f "$T/hostkey.scan" | awk '{ print $2; exit }'
}

# photo_field ALBUM NAME FIELD: a field of the stored photo (pgal info --json)
photo_field() {
	"$PGAL" info "$1/$2" --json 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$3"
}
# stored_names ALBUM: the album's stored photo names, one a line, sorted
stored_names() {
	"$PGAL" ls "$1" --json 2>/dev/null |
		python3 -c 'import json, sys; [print(p["name"]) for p in sorted(json.load(sys.stdin), key=lambda p: p["name"])]'
}

# make_exif_jpegs DIR COUNT [FIRST]: distinct small JPEGs p000.jpg... that
# keep a camera's EXIF (taken 2003): crops of the Nikon fixture at a
# different offset each (FIRST: start at that one's offset). A sync tool
# that saw the EXIF time as the file's mtime would send them again.
make_exif_jpegs() {
	mkdir -p "$1"
	python3 - "$FIX/nikon-d2h-gps.jpg" "$1" "$2" "${3:-0}" <<'PY' || return 1
import subprocess, sys
src, d, n, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
for i in range(first, first + n):
    subprocess.run(["vips", "crop", src, f"{d}/p{i - first:03d}.jpg[Q=85]",
                    str(3 * i), str(2 * i), "320", "240"], check=True)
PY
}
