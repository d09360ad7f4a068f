#!/bin/sh
# Preview benchmark: pgal-tui's preview of a 24 MP photo (read the stored
# 1600 px preview, decode with shrink-on-load, chafa symbols into cells) at
# 80x24 and 200x60, against the `chafa` CLI on the original file and on the
# same 1600 px preview, in the same run, interleaved round after round;
# then the repeat view from the cache, and the time to the first album
# screen of a 100 000-photo album. Each figure is a median.
# Targets: <= 0.25x chafa on the original, <= 1.0x chafa on the preview,
# repeat view < 5 ms, album screen < 50 ms.
#   usage: sh bench/preview.sh [BUILD_DIR]   (BENCH_RUNS=7, BENCH_ALBUM_ROWS=100000)
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
build=${1:-build}
case $build in /*) ;; *) build="$top/$build" ;; esac
runs=${BENCH_RUNS:-7}
[ "$runs" -ge 3 ] || runs=3
rows=${BENCH_ALBUM_ROWS:-100000}
fixtures=${PGAL_FIXTURES:-$top/build/fixtures}

if ! command -v chafa >/dev/null 2>&1; then
	echo "preview: chafa CLI not installed, skipped"
	exit 0
fi
if [ ! -f "$build/libpgaltui.a" ] || [ ! -x "$build/pgal" ]; then
	echo "preview: $build/libpgaltui.a or $build/pgal missing, skipped"
	exit 0
fi

work=$(mktemp -d /tmp/pgal-bench-preview.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# the same camera-like 24 MP JPEG as bench/ingest.sh (made there if absent)
photo="$build/bench/camera-24mp.jpg"
if [ ! -s "$photo" ]; then
	mkdir -p "$build/bench" "$work/gen"
	g="$work/gen"
	vips resize "$fixtures/nikon-d2h-gps.jpg" "$g/up.v" 12 --kernel cubic
	vips crop "$g/up.v" "$g/crop.v" 0 0 6000 4000
	vips gaussnoise "$g/noise.v" 6000 4000 --sigma 6 --mean 0
	vips add "$g/crop.v" "$g/noise.v" "$g/sum.v"
	vips cast "$g/sum.v" "$g/cast.v" uchar
	vips copy "$g/cast.v" "$g/camera.jpg[Q=94]"
	mv "$g/camera.jpg" "$photo.$$" && mv "$photo.$$" "$photo"
fi

libs="vips libexif sqlite3 libcrypt openssl jansson libcurl libmariadb"
cc -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
	-I"$top/core" -I"$top/tui" $(pkg-config --cflags ncursesw chafa) \
	-o "$work/preview-bench" "$top/bench/preview-bench.c" \
	"$build/libpgaltui.a" "$build/libpgal.a" \
	$(pkg-config --libs $libs ncursesw chafa) -lm
cc -std=gnu11 -O2 -D_GNU_SOURCE -I"$top/core" -o "$work/seed" "$top/tests/tui/seed.c" \
	"$build/libpgal.a" $(pkg-config --libs $libs) -lm

pgal="$build/pgal"
export PGAL_HOME="$work/home" XDG_CONFIG_HOME="$work/config"
export PGAL_PASSWORD="bench-password-1"
unset PGAL_TOKEN PGAL_CONFIG
"$pgal" signup bench bench@example.org >/dev/null
eml=$(ls -t "$PGAL_HOME"/outbox/*.eml | head -n 1)
"$pgal" confirm bench "$(tr -d '\r' < "$eml" | grep -E '^[A-Z0-9]{10}$' | head -n 1)" >/dev/null
"$pgal" login bench >/dev/null
"$pgal" mkalbum b >/dev/null
"$pgal" put b "$photo" >/dev/null
name=$(basename "$photo")
"$pgal" get "b/$name" --preview -o "$work/preview.jpg" >/dev/null

ms() {
	date +%s%N
}
# chafa_ms FILE SIZE: one run of the CLI, in ms, output discarded
chafa_ms() {
	a=$(ms)
	chafa -f symbols -c 240 --symbols block+border+space+solid+quad+half-wide \
		--size "$2" --animate off "$1" > /dev/null
	b=$(ms)
	echo "$(( (b - a) / 1000 ))" | awk '{ printf "%.2f", $1 / 1000 }'
}
med() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "preview: $name (6000x4000), stored preview $(vipsheader "$work/preview.jpg" | sed 's/.*: //;s/ .*//'), $runs rounds, medians"
for size in 80x24 200x60; do
	: > "$work/orig" ; : > "$work/prev" ; : > "$work/tui" ; : > "$work/again" ; : > "$work/cold" ; : > "$work/look"
	r=0
	while [ $r -lt "$runs" ]; do
		chafa_ms "$photo" "$size" >> "$work/orig"
		chafa_ms "$work/preview.jpg" "$size" >> "$work/prev"
		"$work/preview-bench" render b "$name" "$size" 3 > "$work/one"
		cut -d' ' -f1 "$work/one" >> "$work/cold"
		cut -d' ' -f2 "$work/one" >> "$work/tui"
		cut -d' ' -f3 "$work/one" >> "$work/look"
		cut -d' ' -f4 "$work/one" >> "$work/again"
		echo >> "$work/orig"; echo >> "$work/prev"
		r=$((r + 1))
	done
	o=$(grep . "$work/orig" | med); p=$(grep . "$work/prev" | med)
	t=$(med < "$work/tui"); a=$(med < "$work/again"); c=$(med < "$work/cold"); l=$(med < "$work/look")
	awk -v s="$size" -v o="$o" -v p="$p" -v t="$t" -v a="$a" -v c="$c" -v l="$l" 'BEGIN {
		printf "  %-7s pgal-tui first view %8.2f ms | chafa CLI original %8.2f ms (%.3fx, target <= 0.25x %s) | chafa CLI preview %7.2f ms (%.3fx, target <= 1.0x %s)\n",
			s, t, o, t / o, t / o <= 0.25 ? "ok" : "MISSED", p, t / p, t / p <= 1.0 ? "ok" : "MISSED"
		printf "  %-7s pgal-tui repeat view %.2f ms with the terminal output of every cell, %.2f us for the cached cells (target < 5 ms %s); first view in a new process (libraries starting) %.2f ms\n", s, a, l * 1000, a < 5 ? "ok" : "MISSED", c
	}'
done

# time to the first album screen of a big album (rows made by the test seeder)
"$pgal" mkalbum big >/dev/null
"$pgal" put big "$fixtures/nikon-d2h-gps.jpg" >/dev/null
a=$(ms)
"$work/seed" bench big $((rows - 1))
b=$(ms)
t=$("$work/preview-bench" album big "$runs")
awk -v n="$rows" -v t="$t" -v s="$(( (b - a) / 1000000 ))" 'BEGIN {
	printf "  album of %d photos (seeded in %d ms): first album screen %.2f ms (target < 50 ms %s)\n",
		n, s, t, t < 50 ? "ok" : "MISSED" }'
