#!/bin/sh
# `make bench`: every benchmark, each printing its figures and its ratios
# against a peer run side by side.   usage: sh bench/run.sh BUILD_DIR
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
sh bench/ingest.sh "$build"
sh bench/preview.sh "$build"
sh bench/aws.sh "$build"
sh bench/ssh.sh "$build"
sh bench/fleet.sh "$build"
