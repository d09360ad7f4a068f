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
. bench/setup.sh
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
bench_cc "$work/preview-bench" bench/preview-bench.c "$libs ncursesw chafa" \
	"${BENCH_TUI_LIB:-$build/libpgaltui.a}"
bench_cc "$work/seed" tests/tui/seed.c "$libs"

pgal="$build/pgal"
export PGAL_HOME="$work/home" XDG_CONFIG_HOME="$work/config"
export PGAL_PASSWORD="bench-password-1"
unset PGAL_TOKEN PGAL_CONFIG
bench_user "$pgal" bench "$PGAL_PASSWORD"
"$pgal" mkalbum b >/dev/null
"$pgal" put b "$photo" >/dev/null
"$pgal" put b "$other" >/dev/null
name=$(basename "$photo")
oname=$(basename "$other")
"$pgal" get "b/$name" --preview -o "$work/preview.jpg" >/dev/null

# each round: the chafa CLI on the original and on the stored preview, and
# the TUI's preview path in 256 colours and in true colour (the driver
# times itself: "cold_ms first_ms lookup_ms repeat_ms repeat_bytes
# screen_ms", see bench/preview-bench.c)
cmd_orig() { chafa_cli "$photo"; }
cmd_prev() { chafa_cli "$work/preview.jpg"; }
cmd_tui() { "$work/preview-bench" render b "$name" "$oname" "$size" 3 xterm-256color; }
cmd_dtui() { "$work/preview-bench" render b "$name" "$oname" "$size" 3 xterm-direct; }
chafa_cli() {
	chafa -f symbols -c 240 --symbols block+border+space+solid+quad+half-wide \
		--size "$size" --animate off "$1" > /dev/null
}

echo "preview: $name (6000x4000), stored preview $(vipsheader "$work/preview.jpg" | sed 's/.*: //;s/ .*//'), $runs rounds, medians"
for size in 80x24 200x60; do
	d="$work/$size"
	mkdir -p "$d"
	bench_rounds "$d" "$runs" orig prev tui dtui
	# the CLI's times in ms; the driver's figures by column
	o=$(bench_median "$d/orig.us" | awk '{ printf "%.2f", $1 / 1000 }')
	p=$(bench_median "$d/prev.us" | awk '{ printf "%.2f", $1 / 1000 }')
	c=$(bench_median "$d/tui.out" 1); t=$(bench_median "$d/tui.out" 2)
	l=$(bench_median "$d/tui.out" 3); a=$(bench_median "$d/tui.out" 4)
	by=$(bench_median "$d/tui.out" 5); sc=$(bench_median "$d/tui.out" 6)
	dt=$(bench_median "$d/dtui.out" 2); da=$(bench_median "$d/dtui.out" 4)
	db=$(bench_median "$d/dtui.out" 5); ds=$(bench_median "$d/dtui.out" 6)
	printf '  %-7s pgal-tui first view %8.2f ms | chafa CLI original %8.2f ms: %s | chafa CLI preview %7.2f ms: %s\n' \
		"$size" "$t" "$o" "$(bench_ratio "$t" "$o" "<=" 0.25)" "$p" "$(bench_ratio "$t" "$p" "<=" 1.0)"
	printf '  %-7s   true colour: first view %8.2f ms (%s the CLI on the original, %s on the preview)\n' \
		"$size" "$dt" "$(bench_ratio "$dt" "$o")" "$(bench_ratio "$dt" "$p")"
	awk -v s="$size" -v a="$a" -v c="$c" -v l="$l" \
	    -v by="$by" -v sc="$sc" -v da="$da" -v db="$db" -v ds="$ds" 'BEGIN {
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
