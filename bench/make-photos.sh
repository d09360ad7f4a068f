#!/bin/sh
# bench/make-photos.sh SOURCE DIR COUNT: COUNT camera-size JPEGs
# DIR/IMG_0000.jpg... made with libvips from one big fixture, each different
# (crop offset, a label burnt in at its own place, JPEG quality 46..54):
# about 5.3 MB and 23 MP each, so 200 are about 1 GiB. Files already there
# are kept, so later runs (and smaller ones) reuse the cache; each file is
# written under a temporary name and renamed, so a killed run leaves no
# half-written photo.
set -eu
src=$1 dir=$2 count=$3
[ -f "$src" ] || { echo "make-photos: $src missing (make fixtures)" >&2; exit 1; }
mkdir -p "$dir"
tmp=$(mktemp -d "$dir/.tmp.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP

# the crop must fit the source whatever the offset (0..96, 0..52)
w=$(vipsheader -f width "$src")
h=$(vipsheader -f height "$src")
cw=$((w - 96)) ch=$((h - 52))
[ "$cw" -gt 1000 ] && [ "$ch" -gt 1000 ] || { echo "make-photos: $src too small" >&2; exit 1; }

i=0
while [ "$i" -lt "$count" ]; do
	[ -s "$dir/$(printf 'IMG_%04d.jpg' "$i")" ] || echo "$i"
	i=$((i + 1))
done > "$tmp/todo"
[ -s "$tmp/todo" ] || exit 0
echo "making $(wc -l < "$tmp/todo") of $count camera-size JPEGs in $dir (cached for later runs)..."

# two at a time: the machine is shared
export src dir tmp cw ch
xargs -P 2 -n 1 sh -c '
	i=$1
	name=$(printf "IMG_%04d" "$i")
	t="$tmp/$name"
	vips crop "$src" "$t.v" $((i % 97)) $((i % 53)) "$cw" "$ch"
	vips text "$t-label.v" "$name" --dpi 1200
	vips insert "$t.v" "$t-label.v" "$t.jpg[Q=$((46 + i % 9))]" \
		$((200 + (i * 131) % (cw - 1400))) $((200 + (i * 71) % (ch - 600)))
	rm -f "$t.v" "$t-label.v"
	mv "$t.jpg" "$dir/$name.jpg"
' sh < "$tmp/todo"
