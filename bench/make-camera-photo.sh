#!/bin/sh
# bench/make-camera-photo.sh FIXTURES OUT: a camera-like 24 MP JPEG
# (~10 MB) for the ingest and preview benchmarks: a real photo (the Nikon
# D2H sample, with its EXIF and GPS) upscaled to 6000x4000 with mild
# sensor-like noise. Pure noise (FIXTURES/big-24mp.jpg) would measure only
# the entropy decoder; real photos spend more in the IDCT, which
# shrink-on-load skips. Written under a temporary name and renamed, so a
# killed run leaves no half-written photo.
set -eu
fixtures=$1 out=$2
g=$(mktemp -d /tmp/pgal-bench-photo.XXXXXX)
trap 'rm -rf "$g"' EXIT
trap 'exit 1' INT TERM HUP
mkdir -p "$(dirname "$out")"
vips resize "$fixtures/nikon-d2h-gps.jpg" "$g/up.v" 12 --kernel cubic
vips crop "$g/up.v" "$g/crop.v" 0 0 6000 4000
vips gaussnoise "$g/noise.v" 6000 4000 --sigma 6 --mean 0
vips add "$g/crop.v" "$g/noise.v" "$g/sum.v"
vips cast "$g/sum.v" "$g/cast.v" uchar
vips copy "$g/cast.v" "$g/camera.jpg[Q=94]"
mv "$g/camera.jpg" "$out.$$" && mv "$out.$$" "$out"
