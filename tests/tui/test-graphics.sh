#!/bin/sh
# Sixel and kitty previews, checked by what they show: pgal-tui runs with
# the graphics forced by the setting (PGAL_TUI_GRAPHICS) in tmux, which
# does not draw them, so the bytes it writes are taken with pipe-pane.
# The image is decoded by other programs (ImageMagick reads the sixel; the
# kitty payload, base64 RGBA/RGB/PNG chunks, is decoded here in Python) and
# compared with the photo's stored preview scaled to the same size (mean
# absolute difference per channel), and against another photo, which must
# differ far more. Its place and size in cells must be the free area of
# the photo screen (left of the info pane, between the title and the
# status line), fitted to the photo with the terminal's own cell size.
. "$(dirname "$0")/lib.sh"
setup_home
login_user erin 'a long password' || echo "# login failed"
ok "an album" "$PGAL" mkalbum pics
ok "the photo" "$PGAL" put pics "$FIX/nikon-d2h-gps.jpg"
ok "another photo" "$PGAL" put pics "$FIX/iphone4s-lens.jpg"
ok "the stored preview" "$PGAL" get pics/nikon-d2h-gps.jpg --preview -o "$T/preview.jpg"
ok "the other preview" "$PGAL" get pics/iphone4s-lens.jpg --preview -o "$T/other.jpg"
ENVS="PGAL_HOME=$PGAL_HOME XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
COLS=100
ROWS=30
check "ImageMagick reads sixel" "convert -list format 2>/dev/null | grep -q 'SIXEL'"
iw=$(vipsheader -f width "$T/preview.jpg")
ih=$(vipsheader -f height "$T/preview.jpg")
check "the preview's size (${iw}x$ih)" "[ '${iw:-0}' -gt 0 ] && [ '${ih:-0}' -gt 0 ]"

# the pane's cell size in pixels, as a program in it sees it
term_cleanup
tm new-session -d -s probe -x $COLS -y $ROWS "python3 -c '
import fcntl, struct, termios
r, c, xp, yp = struct.unpack(\"HHHH\", fcntl.ioctl(1, termios.TIOCGWINSZ, bytes(8)))
open(\"$T/winsize\", \"w\").write(\"%d %d %d %d\" % (c, r, xp, yp))'"
wait_until 5 test -s "$T/winsize"
read -r wc wr wxp wyp < "$T/winsize"
if [ "${wxp:-0}" -gt 0 ] && [ "${wyp:-0}" -gt 0 ]; then
	pxw=$((wxp / wc)); pxh=$((wyp / wr))
else
	pxw=10; pxh=20 # the terminal does not say: pgal-tui assumes 10x20
fi
check "the pane is ${COLS}x$ROWS cells of ${pxw}x$pxh pixels" "[ '$wc' = $COLS ] && [ '$wr' = $ROWS ]"

# extract RAW KIND OUT: the last image written, as "row col width height
# cols rows" (1-based cell of its top left, pixels, cells as sent: kitty
# only); the picture goes to OUT (sixel: the DCS string; kitty: a PPM)
extract() {
	python3 -c '
import base64, re, sys, zlib
raw, kind, out = open(sys.argv[1], "rb").read(), sys.argv[2], sys.argv[3]
pos = [m for m in re.finditer(rb"\x1b7\x1b\[(\d+);(\d+)H(?=\x1bP|\x1b_G)", raw)]
if not pos:
	sys.exit("no image placed")
m = pos[-1]
y, x, at = int(m.group(1)), int(m.group(2)), m.end()
if kind == "sixel":
	end = raw.find(b"\x1b\\", at)
	dcs = raw[at:end + 2]
	r = re.match(rb"\x1bP[0-9;]*q\"1;1;(\d+);(\d+)", dcs)
	if end < 0 or not r:
		sys.exit("no sixel raster attributes")
	open(out, "wb").write(dcs)
	print(y, x, r.group(1).decode(), r.group(2).decode(), 0, 0)
	sys.exit(0)
# every chunk is base64 on its own (padded), as the protocol allows
keys, data = {}, b""
for c in re.finditer(rb"\x1b_G([^;\x1b]*)(?:;([^\x1b]*))?\x1b\\", raw[at:]):
	k = dict(kv.split(b"=", 1) for kv in c.group(1).split(b",") if b"=" in kv)
	if not keys:
		keys = k
	data += base64.b64decode(c.group(2) or b"", validate=True)
	if k.get(b"m", b"0") == b"0":
		break
if keys.get(b"o") == b"z":
	data = zlib.decompress(data)
f = keys.get(b"f", b"32")
if f == b"100":
	open(out + ".png", "wb").write(data)
	w = h = 0
else:
	w, h = int(keys[b"s"]), int(keys[b"v"])
	n = 4 if f == b"32" else 3
	if len(data) != w * h * n:
		sys.exit("payload of %d bytes for %dx%d" % (len(data), w, h))
	rgb = bytearray(w * h * 3)
	for i in range(3):
		rgb[i::3] = data[i::n]
	open(out, "wb").write(b"P6\n%d %d\n255\n" % (w, h) + bytes(rgb))
print(y, x, w, h, int(keys.get(b"c", b"0")), int(keys.get(b"r", b"0")))' "$@"
}

# mad A.ppm B.ppm: the mean absolute difference per channel (0..255)
mad() {
	python3 -c '
import sys
def ppm(p):
	b = open(p, "rb").read()
	# header tokens (vips writes a comment line), then one whitespace byte
	tok, i = [], 0
	while len(tok) < 4:
		while b[i:i + 1].isspace():
			i += 1
		if b[i:i + 1] == b"#":
			i = b.index(b"\n", i)
			continue
		j = i
		while not b[j:j + 1].isspace():
			j += 1
		tok.append(b[i:j])
		i = j
	assert tok[0] == b"P6" and tok[3] == b"255", "not an 8-bit PPM"
	return int(tok[1]), int(tok[2]), b[i + 1:]
(w1, h1, a), (w2, h2, b) = ppm(sys.argv[1]), ppm(sys.argv[2])
assert (w1, h1) == (w2, h2), "sizes differ"
print("%.2f" % (sum(abs(x - y) for x, y in zip(a, b)) / len(a)))' "$1" "$2"
}

# to_ppm IN W H OUT: IN scaled to exactly WxH, as 8-bit sRGB PPM
to_ppm() {
	rm -f "$4"
	vips thumbnail "$1" "$T/scaled.v" "$2" --height "$3" --size force || return 1
	vips colourspace "$T/scaled.v" "$T/srgb.v" srgb || return 1
	if [ "$(vipsheader -f bands "$T/srgb.v")" -gt 3 ]; then
		vips flatten "$T/srgb.v" "$T/flat.v" || return 1
	else
		cp "$T/srgb.v" "$T/flat.v"
	fi
	vips cast "$T/flat.v" "$4" uchar
}

# image_written RAW: RAW holds an image placed and written whole (it ends
# before the cursor is restored); an empty capture is not a match
image_written() {
	perl -e 'local $/; my $s = <STDIN> // ""; exit($s =~ /\e7\e\[\d+;\d+H(?:\eP|\e_G).*\e\\\e8/s ? 0 : 1)' < "$1"
}

for gfx in sixel kitty; do
	tui_start $COLS $ROWS $ENVS PGAL_TUI_GRAPHICS=$gfx
	wait_for "pics" >/dev/null; keys Enter
	wait_for "nikon-d2h-gps\.jpg" >/dev/null
	: > "$T/raw-$gfx"
	tm pipe-pane -o -t t "cat >> '$T/raw-$gfx'"
	keys Enter
	step "$gfx: the photo view" "Camera +NIKON D2H"
	settle
	# until the image has been written whole
	wait_until 20 image_written "$T/raw-$gfx"
	tm pipe-pane -t t
	screen > "$T/text-$gfx"
	tui_quit "$gfx: exits cleanly"
	if ! extract "$T/raw-$gfx" $gfx "$T/img-$gfx" > "$T/geom-$gfx" 2> "$T/err-$gfx"; then
		check "$gfx: an image was written ($(cat "$T/err-$gfx"))" false
		continue
	fi
	read -r y x w h c r < "$T/geom-$gfx"
	echo "# $gfx: at row $y column $x, ${w}x$h pixels, ${c}x$r cells"

	# the free area, found on the screen: from below the title bar to
	# above the status line, left of the info pane (its labels start two
	# columns after the area's end)
	lab=$(awk '{ i = index($0, "Name   "); if (i > 0) { print i - 1; exit } }' "$T/text-$gfx")
	check "$gfx: the info pane is on the screen" "[ -n '$lab' ]"
	bw=$((${lab:-2} - 2)); bh=$((ROWS - 3))
	# the photo fitted into it in cells of pxw x pxh pixels, centred
	exp=$(awk -v iw="$iw" -v ih="$ih" -v bw="$bw" -v bh="$bh" -v pw="$pxw" -v ph="$pxh" 'BEGIN {
		cw = bw; ch = int(bw * ih * pw / iw / ph + 0.5)
		if (ch > bh) { ch = bh; cw = int(bh * ph * iw / ih / pw + 0.5) }
		printf "%d %d %d %d\n", cw, ch, 2 + int((bh - ch) / 2), 1 + int((bw - cw) / 2) }')
	read -r ecw ech ey ex <<EOF
$exp
EOF
	echo "# $gfx: the area is ${bw}x$bh cells; expected ${ecw}x$ech cells at row $ey column $ex"
	check "$gfx: placed at the area's top left as centred (row $y col $x)" "[ '$y' = '$ey' ] && [ '$x' = '$ex' ]"
	case $gfx in
	sixel)
		# pixel for pixel: the cells times the cell size (sixel rows are 6 pixels)
		check "$gfx: ${w}x$h pixels cover ${ecw}x$ech cells" \
			"[ '$w' = $((ecw * pxw)) ] && [ '$h' -le $((ech * pxh)) ] && [ '$h' -gt $((ech * pxh - 6)) ]"
		check "$gfx: ImageMagick decodes it" "convert 'sixel:$T/img-$gfx' '$T/dec-$gfx.png'"
		dw=$(vipsheader -f width "$T/dec-$gfx.png" 2>/dev/null)
		dh=$(vipsheader -f height "$T/dec-$gfx.png" 2>/dev/null)
		check "$gfx: decoded at the size it announced (${dw}x$dh)" "[ '$dw' = '$w' ] && [ '$dh' = '$h' ]"
		dec="$T/dec-$gfx.png"
		;;
	kitty)
		check "$gfx: sent for ${ecw}x$ech cells (c=$c, r=$r)" "[ '$c' = '$ecw' ] && [ '$r' = '$ech' ]"
		check "$gfx: sent at the terminal's resolution (${w}x$h)" \
			"[ '$w' = $((ecw * pxw)) ] && [ '$h' = $((ech * pxh)) ]"
		dec="$T/img-$gfx"
		;;
	esac
	to_ppm "$dec" "$w" "$h" "$T/got-$gfx.ppm"
	to_ppm "$T/preview.jpg" "$w" "$h" "$T/want-$gfx.ppm"
	to_ppm "$T/other.jpg" "$w" "$h" "$T/other-$gfx.ppm"
	same=$(mad "$T/got-$gfx.ppm" "$T/want-$gfx.ppm")
	diff=$(mad "$T/got-$gfx.ppm" "$T/other-$gfx.ppm")
	check "$gfx: the image is the photo (mean difference $same of 255)" "awk 'BEGIN { exit !($same < 8) }'"
	check "$gfx: and not another photo (mean difference $diff)" "awk 'BEGIN { exit !($diff > 25 && $diff > 4 * $same) }'"
done
done_testing
