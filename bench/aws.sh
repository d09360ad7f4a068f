#!/bin/sh
# AWS benchmark, against the test peers on loopback, everything side by side
# in the same run:
#  - S3 upload of a 100 MiB object: pgal's S3 blob backend (bench/aws-core.c,
#    one streamed PUT below s3_multipart_threshold) against curl's own SigV4
#    single PUT of the same file to the same s3rver (target: pgal at least as
#    fast, >= 1.0x). pgal is measured the way ingest uploads an original: its
#    SHA-256 is already known (ingest hashed it for the duplicate check), so
#    put_fd_sha256 signs that and reads the file once. The endpoint is plain
#    http, where pgal without a known hash must hash the file first (over
#    https it would send UNSIGNED-PAYLOAD, as curl here does): that mode is
#    measured too and shown for reference;
#  - metadata operations per second per store backend (sqlite, mysql on a
#    throwaway MariaDB, dynamodb on dynalite): creating a photo row, and
#    reading an album page of 100.
# Runs interleave round after round so load hits them alike; each figure is
# the median.   usage: sh bench/aws.sh [BUILD_DIR]   (BENCH_RUNS=5 by default)
set -eu
cd "$(dirname "$0")/.."
. bench/setup.sh
. bench/timing.sh
bench_dirs "${1:-}"
runs=$(bench_runs 5 3)
meta_n=${BENCH_META_N:-500}
meta_pages=${BENCH_META_PAGES:-100}
peers=tests/integration/peers.sh
mariadb=tests/integration/mariadb.sh

work=$(mktemp -d /tmp/pgal-bench-aws.XXXXXX)
export PEERS_OWNER=$$
cleanup() {
	sh "$peers" stop "$work/peers" 2>/dev/null || true
	sh "$mariadb" stop "$work/db" > /dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

core="$build/bench/aws-core"
bench_cc "$core" bench/aws-core.c "vips libexif sqlite3 libcrypt openssl jansson libcurl libmariadb"

s3=$(sh "$peers" start s3rver "$work/peers")
key=S3RVER
secret=bench-secret
export AWS_ACCESS_KEY_ID=$key AWS_SECRET_ACCESS_KEY=$secret AWS_REGION=us-east-1
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL PGAL_CONFIG PGAL_TOKEN
export AWS_EC2_METADATA_DISABLED=true AWS_ENDPOINT_URL_S3="http://127.0.0.1:$s3"
export PGAL_HOME="$work/home" PGAL_BLOBS=s3 PGAL_S3_BUCKET=pgal-test \
	PGAL_S3_PATH_STYLE=yes PGAL_S3_PREFIX=bench/
mkdir -p "$PGAL_HOME"

# ---- S3: 100 MiB up ----
obj="$work/obj.bin"
head -c $((100 * 1024 * 1024)) /dev/urandom > "$obj"
size=$(wc -c < "$obj")
# known before the timed runs, as ingest knows it before it uploads
sha=$(sha256sum "$obj" | cut -d' ' -f1)
cmd_pgal() { "$core" s3put "$obj" "$sha" > "$work/pgal.key"; }
cmd_hash() { "$core" s3put "$obj" > "$work/hash.key"; }
cmd_curl() {
	curl -s -f -o /dev/null --aws-sigv4 "aws:amz:us-east-1:s3" --user "$key:$secret" \
	    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -T "$obj" \
	    "http://127.0.0.1:$s3/pgal-test/bench/curl-object"
}
bench_rounds "$work" "$runs" pgal curl hash
# both arrived whole
for k in "$(cat "$work/pgal.key")" "$(cat "$work/hash.key")" curl-object; do
	got=$(curl -s -o /dev/null -w '%{size_download}' -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
	    "http://127.0.0.1:$s3/pgal-test/bench/$k")
	[ "$got" -eq "$size" ] || { echo "bench: bench/$k has $got bytes, not $size" >&2; exit 1; }
done

pg=$(bench_median "$work/pgal.us")
cu=$(bench_median "$work/curl.us")
hs=$(bench_median "$work/hash.us")
echo "aws benchmark: s3rver, dynalite and MariaDB on loopback, median of $runs interleaved runs, $(nproc) CPUs"
awk -v p="$pg" -v c="$cu" -v h="$hs" -v b="$size" 'BEGIN {
	printf "  %-58s %8.0f ms  %6.1f MiB/s\n", "pgal put_fd_sha256, hash known (ingest path)", p / 1000, b / 1048576 / (p / 1e6)
	printf "  %-58s %8.0f ms  %6.1f MiB/s\n", "curl --aws-sigv4 single PUT, UNSIGNED-PAYLOAD", c / 1000, b / 1048576 / (c / 1e6)
	printf "  %-58s %8.0f ms  %6.1f MiB/s\n", "(reference) pgal put_fd, no hash known: hashes first (http)", h / 1000, b / 1048576 / (h / 1e6)
}'
echo "s3 put 100 MiB, mode hash-known (ingest path), speed pgal/curl: $(bench_ratio "$cu" "$pg" ">=" 1.0)"
echo "s3 put 100 MiB, mode no-hash over http (hash first), speed pgal/curl: $(bench_ratio "$cu" "$hs")"

# ---- metadata ops per store ----
stores="sqlite"
ddb=$(sh "$peers" start dynalite "$work/peers") && stores="$stores dynamodb" ||
	echo "note: dynalite did not start; no dynamodb figures" >&2
if sh "$mariadb" start "$work/db" > /dev/null; then
	stores="sqlite mysql${ddb:+ dynamodb}"
else
	echo "note: MariaDB did not start; no mysql figures" >&2
fi
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:${ddb:-1}"
# PGAL_MYSQL_* for the mysql runs only
menv() {
	if [ "$1" = mysql ]; then
		. "$work/db/mariadb.env"
	fi
}
ok_stores=""
for st in $stores; do
	if (menv "$st"; PGAL_STORE=$st "$core" meta 10 1 > /dev/null 2> "$work/err.$st"); then
		ok_stores="$ok_stores $st"
	else
		echo "note: store $st not benchmarked: $(cat "$work/err.$st")" >&2
	fi
done
# one driver run a round and store, timing itself: "INSERTS_PER_S PAGES_PER_S"
for st in $ok_stores; do
	eval "cmd_meta_$st() { (menv $st; PGAL_STORE=$st \"\$core\" meta \"\$meta_n\" \"\$meta_pages\"); }"
done
# shellcheck disable=SC2086 # a list
bench_rounds "$work" "$runs" $(for st in $ok_stores; do echo "meta_$st"; done)
printf '  %-12s %18s %22s\n' "store" "photo rows / s" "album pages of 100 / s"
for st in $ok_stores; do
	printf '  %-12s %18s %22s\n' "$st" "$(bench_median "$work/meta_$st.out" 1)" "$(bench_median "$work/meta_$st.out" 2)"
done
printf 'metadata ops/s (insert, page of 100):'
for st in $ok_stores; do
	printf ' %s %s, %s;' "$st" "$(bench_median "$work/meta_$st.out" 1)" "$(bench_median "$work/meta_$st.out" 2)"
done
echo
