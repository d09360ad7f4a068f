#!/bin/sh
# Ingest benchmark: the whole `pgal put` of a 24 MP camera-like JPEG against
# `vipsthumbnail -s 1600` of the same file (target: no slower) and against
# the Python stack doing the same work (bench/ingest_pil.py; target: at
# least 1.2x faster). The commands run interleaved, round after round, so
# load on the machine hits them alike; each figure is the median.
#   usage: sh bench/ingest.sh [BUILD_DIR]     (BENCH_RUNS=7 by default, >= 5)
set -eu
cd "$(dirname "$0")/.."
. bench/setup.sh
. bench/timing.sh
bench_dirs "${1:-}"
runs=$(bench_runs 7 5)
fixtures=${PGAL_FIXTURES:-$top/build/fixtures}
py=/usr/bin/python3

work=$(mktemp -d /tmp/pgal-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT INT TERM

# A camera-like 24 MP JPEG (~10 MB), made once
photo="$build/bench/camera-24mp.jpg"
[ -s "$photo" ] || sh bench/make-camera-photo.sh "$fixtures" "$photo"
mkdir -p "$build/bench"

# The ingest core without the gallery around it (always reported).
core="$build/bench/ingest-core"
bench_cc "$core" bench/ingest-core.c "vips libexif sqlite3 libcrypt openssl jansson"

# The whole `pgal put`, in a throwaway home with a confirmed user.
pgal="$build/pgal"
have_put=0
if [ -x "$pgal" ]; then
	export PGAL_HOME="$work/home" XDG_CONFIG_HOME="$work/config"
	export PGAL_PASSWORD="bench-password-1"
	export PGAL_CONFIG="$work/pgal.conf"
	unset PGAL_TOKEN
	: > "$PGAL_CONFIG"
	if (cd "$work" && bench_user "$pgal" bench "$PGAL_PASSWORD" &&
	    "$pgal" mkalbum a >/dev/null &&
	    "$pgal" put a "$photo" --force >/dev/null); then
		have_put=1
	else
		echo "note: could not set up a pgal user; timing the ingest core only" >&2
	fi
fi

mkdir -p "$work/core-out" "$work/py-out"
cmd_put() { (cd "$work" && "$pgal" put a "$photo" --force); }
cmd_core() { "$core" "$photo" "$work/core-out"; }
cmd_vt() { vipsthumbnail -s 1600 "$photo" -o "$work/vt.jpg"; }
cmd_py() { "$py" "$top/bench/ingest_pil.py" "$photo" "$work/py-out"; }

labels="core vt py"
[ "$have_put" -eq 1 ] && labels="put $labels"

bench_rounds "$work" "$runs" $labels

# median LABEL: of LABEL's rounds, in ms
median() { bench_median "$work/$1.us" | awk '{ printf "%.1f", $1 / 1000 }'; }

size=$(vipsheader -f width "$photo")x$(vipsheader -f height "$photo")
mb=$(awk -v b="$(wc -c < "$photo")" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "ingest benchmark: $(basename "$photo") ($size, $mb MB), median of $runs interleaved runs, $(nproc) CPUs"
[ "$have_put" -eq 1 ] && printf '  %-44s %8s ms\n' "pgal put (whole ingest)" "$(median put)"
printf '  %-44s %8s ms\n' "ingest core (detect, hash, image, store)" "$(median core)"
printf '  %-44s %8s ms\n' "vipsthumbnail -s 1600" "$(median vt)"
printf '  %-44s %8s ms\n' "python PIL stack (bench/ingest_pil.py)" "$(median py)"

ingest=core
[ "$have_put" -eq 1 ] && ingest=put
vt=$(median vt)
pyt=$(median py)
ing=$(median "$ingest")
tag=
[ "$ingest" = core ] && tag=" (ingest core only: pgal not built)"
echo "ingest vs vipsthumbnail -s 1600: $(bench_ratio "$ing" "$vt" "<=" 1.0)$tag"
echo "ingest vs python PIL stack, times faster: $(bench_ratio "$pyt" "$ing" ">=" 1.2)$tag"
if [ "$ingest" = put ]; then
	c=$(median core)
	echo "ingest core only: $(bench_ratio "$c" "$vt") of vipsthumbnail, $(bench_ratio "$pyt" "$c") faster than python"
fi
