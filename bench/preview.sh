#!/bin/sh
# Preview benchmark: pgal-tui's preview of a 24 MP photo (read the stored
# 1600 px preview, decode with shrink-on-load, chafa symbols into cells) at
# 80x24 and 200x60, against the `chafa` CLI on the original file and on the
# same 1600 px preview, in the same run, interleaved round after round;
# then the repeat view from the cache (keypress to the frame's bytes
# written to a pseudo-terminal, in 256 colours and in true colour), and
# the time to the first album screen of a 100 000-photo album. Each
# figure is a median.
# Targets: <= 0.25x chafa on the original, <= 1.0x chafa on the preview,
# repeat view < 5 ms, album screen < 50 ms.
#   usage: sh bench/preview.sh [BUILD_DIR]   (BENCH_RUNS=7, BENCH_ALBUM_ROWS=100000,
#          BENCH_TUI_LIB=another libpgaltui.a to compare, e.g. an older one)
set -eu
cd "$(dirname "$0")/.."
. bench/timing.sh
bench_dirs "${1:-}"
runs=$(bench_runs 7 3)
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

# the same camera-like 24 MP JPEG as bench/ingest.sh, made once
photo="$build/bench/camera-24mp.jpg"
[ -s "$photo" ] || sh bench/make-camera-photo.sh "$fixtures" "$photo"
# a second photo of the same kind for flipping between two in the photo view
other="$build/bench/camera-24mp-b.jpg"
if [ ! -s "$other" ]; then
	mkdir -p "$work/gen"
	vips flip "$photo" "$work/gen/flip.jpg[Q=94]" horizontal
	mv "$work/gen/flip.jpg" "$other.$$" && mv "$other.$$" "$other"
fi

libs="vips libexif sqlite3 libcrypt openssl jansson libcurl libmariadb"
cc -std=gnu11 -O2 -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
	-I"$top/core" -I"$top/tui" $(pkg-config --cflags ncursesw chafa) \
	-o "$work/preview-bench" "$top/bench/preview-bench.c" \
	"${BENCH_TUI_LIB:-$build/libpgaltui.a}" "$build/libpgal.a" \
	$(pkg-config --libs $libs ncursesw chafa) -lm -lutil -lpthread
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
"$pgal" put b "$other" >/dev/null
name=$(basename "$photo")
oname=$(basename "$other")
"$pgal" get "b/$name" --preview -o "$work/preview.jpg" >/dev/null

# chafa_ms FILE SIZE: one run of the CLI, in ms, output discarded
chafa_ms() {
	a=$(bench_now)
	chafa -f symbols -c 240 --symbols block+border+space+solid+quad+half-wide \
		--size "$2" --animate off "$1" > /dev/null
	b=$(bench_now)
	echo "$(( (b - a) / 1000 ))" | awk '{ printf "%.2f", $1 / 1000 }'
}

echo "preview: $name (6000x4000), stored preview $(vipsheader "$work/preview.jpg" | sed 's/.*: //;s/ .*//'), $runs rounds, medians"
for size in 80x24 200x60; do
	for f in orig prev tui again cold look bytes screen dtui dagain dbytes dscreen; do
		: > "$work/$f"
	done
	r=0
	while [ $r -lt "$runs" ]; do
		chafa_ms "$photo" "$size" >> "$work/orig"
		chafa_ms "$work/preview.jpg" "$size" >> "$work/prev"
		"$work/preview-bench" render b "$name" "$oname" "$size" 3 xterm-256color > "$work/one"
		read -r c1 c2 c3 c4 c5 c6 < "$work/one"
		echo "$c1" >> "$work/cold"; echo "$c2" >> "$work/tui"; echo "$c3" >> "$work/look"
		echo "$c4" >> "$work/again"; echo "$c5" >> "$work/bytes"; echo "$c6" >> "$work/screen"
		"$work/preview-bench" render b "$name" "$oname" "$size" 3 xterm-direct > "$work/one"
		read -r c1 c2 c3 c4 c5 c6 < "$work/one"
		echo "$c2" >> "$work/dtui"; echo "$c4" >> "$work/dagain"
		echo "$c5" >> "$work/dbytes"; echo "$c6" >> "$work/dscreen"
		echo >> "$work/orig"; echo >> "$work/prev"
		r=$((r + 1))
	done
	o=$(grep . "$work/orig" | bench_median); p=$(grep . "$work/prev" | bench_median)
	t=$(bench_median "$work/tui"); a=$(bench_median "$work/again")
	c=$(bench_median "$work/cold"); l=$(bench_median "$work/look")
	by=$(bench_median "$work/bytes"); sc=$(bench_median "$work/screen")
	dt=$(bench_median "$work/dtui"); da=$(bench_median "$work/dagain")
	db=$(bench_median "$work/dbytes"); ds=$(bench_median "$work/dscreen")
	awk -v s="$size" -v o="$o" -v p="$p" -v t="$t" -v a="$a" -v c="$c" -v l="$l" \
	    -v by="$by" -v sc="$sc" -v dt="$dt" -v da="$da" -v db="$db" -v ds="$ds" 'BEGIN {
		printf "  %-7s pgal-tui first view %8.2f ms | chafa CLI original %8.2f ms (%.3fx, target <= 0.25x %s) | chafa CLI preview %7.2f ms (%.3fx, target <= 1.0x %s)\n",
			s, t, o, t / o, t / o <= 0.25 ? "ok" : "MISSED", p, t / p, t / p <= 1.0 ? "ok" : "MISSED"
		printf "  %-7s   true colour: first view %8.2f ms (%.3fx the CLI on the original, %.3fx on the preview)\n", s, dt, dt / o, dt / p
		printf "  %-7s pgal-tui repeat view, keypress to the frame written, every cell changing (target < 5 ms):\n", s
		printf "  %-7s   256 colours %.2f ms (%s), %.0f bytes; true colour %.2f ms (%s), %.0f bytes\n", s, a, a < 5 ? "ok" : "MISSED", by, da, da < 5 ? "ok" : "MISSED", db
		printf "  %-7s   the whole photo screen (preview and info pane): 256 colours %.2f ms, true colour %.2f ms; cache lookup %.2f us; first view in a new process (libraries starting) %.2f ms\n", s, sc, ds, l * 1000, c
	}'
done

# time to the first album screen of a big album (rows made by the test seeder)
"$pgal" mkalbum big >/dev/null
"$pgal" put big "$fixtures/nikon-d2h-gps.jpg" >/dev/null
a=$(bench_now)
"$work/seed" bench big $((rows - 1))
b=$(bench_now)
t=$("$work/preview-bench" album big "$runs")
awk -v n="$rows" -v t="$t" -v s="$(( (b - a) / 1000000 ))" 'BEGIN {
	printf "  album of %d photos (seeded in %d ms): first album screen %.2f ms (target < 50 ms %s)\n",
		n, s, t, t < 50 ? "ok" : "MISSED" }'
