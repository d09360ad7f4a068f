#!/bin/sh
# Test photos, made or fetched, never committed:
#  - real camera JPEGs from Debian's golang-github-rwcarlsen-goexif-dev
#  - big JPEGs generated with libvips (24 MP)
#  - hostile files: truncated JPEG, pixel bomb PNG header, text named .jpg, empty.
set -eu
dir=${1:-build/fixtures}
stamp="$dir/.done-v1"
[ -f "$stamp" ] && exit 0
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && apt-get download golang-github-rwcarlsen-goexif-dev >/dev/null 2>&1) || {
	echo "error: cannot download golang-github-rwcarlsen-goexif-dev (apt-get update first?)" >&2
	exit 1
}
dpkg -x "$tmp"/golang-github-rwcarlsen-goexif-dev_*.deb "$tmp/x"
src="$tmp/x/usr/share/gocode/src/github.com/rwcarlsen/goexif/exif"
cp "$src/sample1.jpg" "$dir/nikon-d2h-gps.jpg"
cp "$src/samples/has-lens-info.jpg" "$dir/iphone4s-lens.jpg"
for i in 1 2 3 4 5 6 7 8; do cp "$src/samples/f$i-exif.jpg" "$dir/orient-$i.jpg"; done
mkdir -p "$dir/corrupt"
cp "$src"/corrupt/*.jpg "$dir/corrupt/"
# 24 MP (6000x4000) photo-like JPEG: smooth gradients plus noise, camera-sized
vips black "$tmp/b.v" 6000 4000 --bands 3
vips gaussnoise "$tmp/n.v" 6000 4000 --sigma 40 --mean 128
vips xyz "$tmp/xy.v" 6000 4000
vips extract_band "$tmp/xy.v" "$tmp/x.v" 0
vips linear "$tmp/x.v" "$tmp/xs.v" 0.04 0
vips bandjoin "$tmp/xs.v $tmp/n.v $tmp/xs.v" "$tmp/rgb.v"
vips cast "$tmp/rgb.v" "$tmp/rgbc.v" uchar
vips copy "$tmp/rgbc.v" "$dir/big-24mp.jpg[Q=90]"
vips copy "$tmp/rgbc.v" "$dir/big-24mp.png"
vips resize "$dir/big-24mp.jpg" "$dir/medium.webp[Q=80]" 0.2
vips resize "$dir/big-24mp.jpg" "$dir/small.gif" 0.05
vips resize "$dir/big-24mp.jpg" "$dir/small.tif" 0.05
# hostile files
head -c 20000 "$dir/nikon-d2h-gps.jpg" > "$dir/truncated.jpg"
printf 'this is not a photo\n' > "$dir/text.jpg"
: > "$dir/empty.jpg"
/usr/bin/python3 - "$dir/bomb.png" <<'PY'
import struct, sys, zlib
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
# a 60000x60000 RGB PNG header with a tiny (invalid) body: must be refused before decoding
ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(data)
PY
# EXIF strings carrying terminal escape sequences (make, model, software)
/usr/bin/python3 - "$dir/evil-exif.jpg" <<'PY'
import sys
from PIL import Image
im = Image.new("RGB", (640, 480), (200, 40, 40))
ex = Image.Exif()
ex[0x010F] = "Evil\x1b]0;pwned\x07Corp"        # Make
ex[0x0110] = "Cam\x1b[2J\x1b[31mX\x9b1m\x07"    # Model
ex[0x0131] = "soft\rware\x00tail"             # Software
im.save(sys.argv[1], "JPEG", exif=ex.tobytes(), quality=85)
PY
touch "$stamp"
